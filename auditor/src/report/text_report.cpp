// Findings the way clang prints diagnostics: `file:line:col: error: message [rule]`, the source
// line with its number, a caret under the column, then the notes the same way.
#include <iomanip>

#include "report/reports.hpp"
#include "report/source_lines.hpp"

namespace pmc::audit {
namespace {

std::string shown_path(const Repository& repository, const std::string& file) {
  const std::string relative = repository.relative(file);
  return relative.empty() ? file : relative;
}

void write_snippet(std::ostream& out, SourceLines& lines, const SourceLocation& where) {
  const std::string& text = lines.line(where.file, where.line);
  if (text.empty()) return;
  out << std::setw(5) << where.line << " | " << text << "\n";
  std::string caret;
  for (std::size_t i = 0; i + 1 < where.column && i < text.size(); ++i) {
    caret += text[i] == '\t' ? '\t' : ' ';
  }
  out << "      | " << caret << "^\n";
}

void write_place(std::ostream& out, const Repository& repository, const SourceLocation& where) {
  if (!where.valid()) {
    out << "pmc-audit: ";
    return;
  }
  out << shown_path(repository, where.file) << ":" << where.line << ":" << where.column << ": ";
}

}  // namespace

std::string summary_line(const std::vector<Finding>& findings, const AuditSummary& summary) {
  std::size_t errors = 0;
  for (const Finding& finding : findings) errors += finding.severity == Severity::Error ? 1 : 0;
  const std::size_t warnings = findings.size() - errors;
  std::string line = "pmc-audit: ";
  if (findings.empty()) {
    line += "no findings";
  } else {
    line += std::to_string(errors) + (errors == 1 ? " error" : " errors") + ", " +
            std::to_string(warnings) + (warnings == 1 ? " warning" : " warnings");
  }
  line += " in " + std::to_string(summary.files) + " C/C++ files (" +
          std::to_string(summary.units) + " units, " + std::to_string(summary.cached) +
          " from cache, " + std::to_string(summary.interpolated) + " with interpolated flags)";
  line += "; excluded by the contract:";
  if (summary.excluded_paths.empty()) line += " nothing";
  for (std::size_t i = 0; i < summary.excluded_paths.size(); ++i) {
    line += (i == 0 ? " " : ", ") + summary.excluded_paths[i];
  }
  return line;
}

void write_text(std::ostream& out, const ReportInput& input) {
  SourceLines lines;
  for (const Finding& finding : input.findings) {
    write_place(out, input.repository, finding.where);
    out << to_string(finding.severity) << ": " << finding.message << " [" << finding.rule << "]\n";
    write_snippet(out, lines, finding.where);
    for (const Note& note : finding.notes) {
      write_place(out, input.repository, note.where);
      out << "note: " << note.message << "\n";
      write_snippet(out, lines, note.where);
    }
  }
  out << summary_line(input.findings, input.summary) << "\n";
}

}  // namespace pmc::audit
