// From collected facts to findings: the call graph, then every registered rule. Plain C++.
#pragma once

#include <string>
#include <vector>

#include "collect/collect_options.hpp"
#include "facts/facts.hpp"
#include "pmc/contract.hpp"
#include "report/finding.hpp"
#include "report/reports.hpp"
#include "repository/repository.hpp"

namespace pmc::audit {

// Runs every rule, or only those whose ids `rule_ids` lists (ids from rule_infos()).
// `contract_file` is the file the contract was read from (rules/contract.json or --contract).
std::vector<Finding> judge(const contract::Contract& contract, const std::string& contract_file,
                           const Repository& repository,
                           const std::vector<UnitFacts>& units,
                           const std::vector<std::string>& rule_ids = {});

// Whether any rule of the selection (empty: all) judges C/C++ facts: if none does, no unit need
// be parsed.
bool selection_reads_code(const std::vector<std::string>& rule_ids);

// The sinks the collector looks for, from the contract.
CollectOptions collect_options(const contract::Contract& contract);

std::vector<RuleInfo> rule_infos();

}  // namespace pmc::audit
