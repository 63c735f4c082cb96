// Every rule of pmc-audit, in one list: the only place that knows them all.
#pragma once

#include <memory>
#include <string_view>
#include <vector>

#include "rules/rule.hpp"

namespace pmc::audit {

const std::vector<std::unique_ptr<Rule>>& all_rules();
const Rule* find_rule(std::string_view id);

}  // namespace pmc::audit
