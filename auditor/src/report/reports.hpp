// The three forms of pmc-audit's output: clang-style text (source line and caret), JSON, and
// SARIF 2.1.0 for code-scanning services; plus the one-line summary. Plain C++.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>
#include <vector>

#include "report/finding.hpp"
#include "repository/repository.hpp"

namespace pmc::audit {

struct AuditSummary {
  std::size_t files = 0;         // C/C++ files audited
  std::size_t units = 0;         // compile commands run (or reused)
  std::size_t cached = 0;        // units whose facts came from the cache
  std::size_t interpolated = 0;  // units parsed with flags taken from a neighbour
  std::vector<std::string> excluded_paths;
};

struct RuleInfo {
  std::string id;
  std::string summary;
  std::string explanation;
  Severity severity = Severity::Error;
};

struct ReportInput {
  const std::vector<Finding>& findings;
  const Repository& repository;
  const AuditSummary& summary;
  const std::vector<RuleInfo>& rules;
  std::string version;
};

std::string summary_line(const std::vector<Finding>& findings, const AuditSummary& summary);
void write_text(std::ostream& out, const ReportInput& input);
void write_json(std::ostream& out, const ReportInput& input);
void write_sarif(std::ostream& out, const ReportInput& input);

}  // namespace pmc::audit
