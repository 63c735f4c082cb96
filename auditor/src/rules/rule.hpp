// A rule of pmc-audit: a stable id, a one-paragraph explanation, and a check over the merged
// facts. One rule per file in rules/; registry.cpp lists them. No Clang here: rules judge facts.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "classify/sink_judge.hpp"
#include "graph/call_graph.hpp"
#include "pmc/contract.hpp"
#include "report/finding.hpp"
#include "repository/repository.hpp"

namespace pmc::audit {

struct AuditContext {
  const contract::Contract& contract;
  const std::string& contract_file;  // where the contract was read: findings about it go there
  const Repository& repository;
  const CallGraph& graph;
  const SinkJudge& sinks;
  const std::vector<UnitFacts>& units;  // every unit's facts, for rules that read them directly

  // Repository-relative path of a file, or "" when it lies outside the repository.
  std::string relative(const SourceLocation& where) const { return repository.relative(where.file); }
  // Whether a file belongs to the runtime's database layer (the only code that calls libpq).
  bool in_database_layer(const SourceLocation& where) const {
    const std::string path = relative(where);
    return !path.empty() && path.rfind(contract.validating_connect.layer, 0) == 0;
  }
};

class Rule {
 public:
  virtual ~Rule() = default;
  virtual std::string_view id() const = 0;
  virtual std::string_view summary() const = 0;      // one line
  virtual std::string_view explanation() const = 0;  // one paragraph: what, why, where reported
  virtual Severity severity() const { return Severity::Error; }
  // Whether the rule judges C/C++ facts; a rule that reads only text files does not, and a run
  // of such rules alone (--rules) parses no unit.
  virtual bool reads_code() const { return true; }
  virtual void check(const AuditContext& context, Findings& findings) const = 0;
};

}  // namespace pmc::audit
