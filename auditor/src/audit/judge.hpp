// From collected facts to findings: the call graph, then every registered rule. Plain C++.
#pragma once

#include <vector>

#include "collect/collect_options.hpp"
#include "facts/facts.hpp"
#include "pmc/contract.hpp"
#include "report/finding.hpp"
#include "report/reports.hpp"
#include "repository/repository.hpp"

namespace pmc::audit {

std::vector<Finding> judge(const contract::Contract& contract, const Repository& repository,
                           const std::vector<UnitFacts>& units);

// The sinks the collector looks for, from the contract.
CollectOptions collect_options(const contract::Contract& contract);

std::vector<RuleInfo> rule_infos();

}  // namespace pmc::audit
