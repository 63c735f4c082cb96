// The rule list. A new rule is a file in rules/ with a make_…_rule() and one line here.
#include "rules/registry.hpp"

namespace pmc::audit {

std::unique_ptr<Rule> make_entry_points_rule();
std::unique_ptr<Rule> make_guard_order_rule();
std::unique_ptr<Rule> make_connections_rule();

const std::vector<std::unique_ptr<Rule>>& all_rules() {
  static const std::vector<std::unique_ptr<Rule>> rules = [] {
    std::vector<std::unique_ptr<Rule>> list;
    list.push_back(make_entry_points_rule());
    list.push_back(make_guard_order_rule());
    list.push_back(make_connections_rule());
    return list;
  }();
  return rules;
}

const Rule* find_rule(std::string_view id) {
  for (const auto& rule : all_rules()) {
    if (rule->id() == id) return rule.get();
  }
  return nullptr;
}

}  // namespace pmc::audit
