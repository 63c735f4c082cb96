// Findings as one JSON document: repository-relative places, notes, and the summary.
#include <nlohmann/json.hpp>

#include "report/reports.hpp"

namespace pmc::audit {
namespace {

nlohmann::json place(const Repository& repository, const SourceLocation& where) {
  const std::string relative = repository.relative(where.file);
  return {{"file", relative.empty() ? where.file : relative},
          {"line", where.line},
          {"column", where.column}};
}

}  // namespace

void write_json(std::ostream& out, const ReportInput& input) {
  nlohmann::json findings = nlohmann::json::array();
  for (const Finding& finding : input.findings) {
    nlohmann::json item = place(input.repository, finding.where);
    item["rule"] = finding.rule;
    item["severity"] = to_string(finding.severity);
    item["message"] = finding.message;
    nlohmann::json notes = nlohmann::json::array();
    for (const Note& note : finding.notes) {
      nlohmann::json entry = place(input.repository, note.where);
      entry["message"] = note.message;
      notes.push_back(std::move(entry));
    }
    item["notes"] = std::move(notes);
    findings.push_back(std::move(item));
  }
  std::size_t errors = 0;
  for (const Finding& finding : input.findings) errors += finding.severity == Severity::Error ? 1 : 0;
  const nlohmann::json document = {
      {"tool", "pmc-audit"},
      {"version", input.version},
      {"root", input.repository.root().string()},
      {"findings", std::move(findings)},
      {"summary",
       {{"errors", errors},
        {"warnings", input.findings.size() - errors},
        {"files", input.summary.files},
        {"units", input.summary.units},
        {"cached_units", input.summary.cached},
        {"interpolated_units", input.summary.interpolated},
        {"excluded_paths", input.summary.excluded_paths},
        {"line", summary_line(input.findings, input.summary)}}}};
  out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace pmc::audit
