// SARIF 2.1.0 (OASIS), as GitHub code scanning reads it: the rules with their explanations,
// results with repository-relative locations under %SRCROOT%, notes as related locations.
#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "report/reports.hpp"
#include "report/source_lines.hpp"
#include "support/sha256.hpp"

namespace pmc::audit {
namespace {

constexpr char kSchema[] = "https://json.schemastore.org/sarif-2.1.0.json";

// RFC 3986: everything but unreserved characters and '/' is percent-encoded.
std::string uri_path(const std::string& path) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string encoded;
  for (const unsigned char c : path) {
    if (std::isalnum(c) != 0 || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      encoded += static_cast<char>(c);
    } else {
      encoded += '%';
      encoded += kHex[c >> 4];
      encoded += kHex[c & 0xf];
    }
  }
  return encoded;
}

const char* level(Severity severity) { return severity == Severity::Error ? "error" : "warning"; }

// Clang counts columns in bytes; SARIF here in Unicode code points (UTF-8 lead bytes).
unsigned code_point_column(SourceLines& lines, const SourceLocation& where) {
  const std::string& text = lines.line(where.file, where.line);
  unsigned column = 1;
  for (std::size_t i = 0; i + 1 < where.column && i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) ++column;
  }
  return text.empty() ? std::max(1u, where.column) : column;
}

nlohmann::json physical_location(const Repository& repository, SourceLines& lines,
                                 const SourceLocation& where) {
  nlohmann::json artifact;
  const std::string relative = repository.relative(where.file);
  if (relative.empty()) {
    artifact = {{"uri", "file://" + uri_path(where.file)}};
  } else {
    artifact = {{"uri", uri_path(relative)}, {"uriBaseId", "%SRCROOT%"}};
  }
  nlohmann::json location = {{"artifactLocation", artifact}};
  if (where.line > 0) {
    location["region"] = {{"startLine", where.line}, {"startColumn", code_point_column(lines, where)}};
  }
  return {{"physicalLocation", location}};
}

}  // namespace

void write_sarif(std::ostream& out, const ReportInput& input) {
  SourceLines lines;
  nlohmann::json rules = nlohmann::json::array();
  for (const RuleInfo& rule : input.rules) {
    rules.push_back({{"id", rule.id},
                     {"name", rule.id},
                     {"shortDescription", {{"text", rule.summary}}},
                     {"fullDescription", {{"text", rule.explanation}}},
                     {"help", {{"text", rule.explanation}}},
                     {"defaultConfiguration", {{"level", level(rule.severity)}}}});
  }
  nlohmann::json results = nlohmann::json::array();
  for (const Finding& finding : input.findings) {
    nlohmann::json result = {{"ruleId", finding.rule},
                             {"level", level(finding.severity)},
                             {"message", {{"text", finding.message}}},
                             {"locations", {physical_location(input.repository, lines, finding.where)}}};
    for (std::size_t i = 0; i < input.rules.size(); ++i) {
      if (input.rules[i].id == finding.rule) result["ruleIndex"] = i;
    }
    nlohmann::json related = nlohmann::json::array();
    for (std::size_t i = 0; i < finding.notes.size(); ++i) {
      nlohmann::json location = physical_location(input.repository, lines, finding.notes[i].where);
      location["id"] = i + 1;
      location["message"] = {{"text", finding.notes[i].message}};
      related.push_back(std::move(location));
    }
    if (!related.empty()) result["relatedLocations"] = std::move(related);
    // Stable across line moves: the rule, the file and the message.
    result["partialFingerprints"] = {
        {"pmcFinding/v1", sha256_hex(finding.rule + "\n" + input.repository.relative(finding.where.file) +
                                     "\n" + finding.message)}};
    results.push_back(std::move(result));
  }
  const nlohmann::json document = {
      {"$schema", kSchema},
      {"version", "2.1.0"},
      {"runs",
       {{{"tool",
          {{"driver",
            {{"name", "pmc-audit"},
             {"version", input.version},
             {"semanticVersion", input.version},
             {"rules", std::move(rules)}}}}},
         {"originalUriBaseIds",
          {{"%SRCROOT%", {{"uri", "file://" + uri_path(input.repository.root().string() + "/")}}}}},
         {"columnKind", "unicodeCodePoints"},
         {"results", std::move(results)}}}}};
  out << document.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

}  // namespace pmc::audit
