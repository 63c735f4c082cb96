// Runs the rules over the merged graph.
#include "audit/judge.hpp"

#include <algorithm>

#include "classify/sink_judge.hpp"
#include "graph/call_graph.hpp"
#include "rules/registry.hpp"

namespace pmc::audit {

namespace {

bool selected(const Rule& rule, const std::vector<std::string>& rule_ids) {
  return rule_ids.empty() || std::find(rule_ids.begin(), rule_ids.end(), rule.id()) != rule_ids.end();
}

}  // namespace

std::vector<Finding> judge(const contract::Contract& contract, const std::string& contract_file,
                           const Repository& repository,
                           const std::vector<UnitFacts>& units,
                           const std::vector<std::string>& rule_ids) {
  const CallGraph graph(units);
  const SinkJudge sinks(contract);
  const AuditContext context{contract, contract_file, repository, graph, sinks, units};
  Findings findings;
  for (const auto& rule : all_rules()) {
    if (selected(*rule, rule_ids)) rule->check(context, findings);
  }
  return findings.sorted();
}

CollectOptions collect_options(const contract::Contract& contract) {
  CollectOptions options;
  options.sql_functions = contract.sinks.sql_functions;
  options.connection_functions = contract.sinks.connection_functions;
  options.spawn_functions = contract.sinks.spawn_functions;
  options.dynamic_lookup_functions = contract.sinks.dynamic_lookup_functions;
  options.bypass_name_patterns = contract.bypass.name_patterns;
  options.bypass_flag_patterns = contract.bypass.flag_patterns;
  options.runtime_sql_functions = contract.dynamic_sql.sql_functions;
  for (const contract::SqlBuilders& builders : contract.dynamic_sql.builders) {
    options.sql_builders.insert(options.sql_builders.end(), builders.functions.begin(), builders.functions.end());
  }
  return options;
}

bool selection_reads_code(const std::vector<std::string>& rule_ids) {
  return std::any_of(all_rules().begin(), all_rules().end(), [&](const auto& rule) {
    return selected(*rule, rule_ids) && rule->reads_code();
  });
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
