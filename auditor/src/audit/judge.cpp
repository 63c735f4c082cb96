// Runs the rules over the merged graph.
#include "audit/judge.hpp"

#include "classify/sink_judge.hpp"
#include "graph/call_graph.hpp"
#include "rules/registry.hpp"

namespace pmc::audit {

std::vector<Finding> judge(const contract::Contract& contract, const Repository& repository,
                           const std::vector<UnitFacts>& units) {
  const CallGraph graph(units);
  const SinkJudge sinks(contract);
  const AuditContext context{contract, repository, graph, sinks};
  Findings findings;
  for (const auto& rule : all_rules()) rule->check(context, findings);
  return findings.sorted();
}

CollectOptions collect_options(const contract::Contract& contract) {
  return {contract.sinks.sql_functions, contract.sinks.connection_functions,
          contract.sinks.spawn_functions, contract.sinks.dynamic_lookup_functions};
}

std::vector<RuleInfo> rule_infos() {
  std::vector<RuleInfo> infos;
  for (const auto& rule : all_rules()) {
    infos.push_back({std::string(rule->id()), std::string(rule->summary()),
                     std::string(rule->explanation()), rule->severity()});
  }
  return infos;
}

}  // namespace pmc::audit
