// Deduplication and order of findings.
#include "report/finding.hpp"

#include <algorithm>
#include <tuple>

namespace pmc::audit {
namespace {

auto key_of(const Finding& finding) {
  return std::tie(finding.where, finding.rule, finding.message);
}

}  // namespace

const char* to_string(Severity severity) {
  return severity == Severity::Error ? "error" : "warning";
}

void Findings::add(Finding finding) {
  const bool known = std::any_of(findings_.begin(), findings_.end(), [&](const Finding& other) {
    return key_of(other) == key_of(finding);
  });
  if (!known) findings_.push_back(std::move(finding));
}

std::vector<Finding> Findings::sorted() const {
  std::vector<Finding> ordered = findings_;
  std::sort(ordered.begin(), ordered.end(),
            [](const Finding& a, const Finding& b) { return key_of(a) < key_of(b); });
  return ordered;
}

}  // namespace pmc::audit
