// The rule list. A new rule is a file in rules/ with a make_…_rule() and one line here.
#include "rules/registry.hpp"

namespace pmc::audit {

std::unique_ptr<Rule> make_entry_points_rule();
std::unique_ptr<Rule> make_guard_order_rule();
std::unique_ptr<Rule> make_connections_rule();
std::unique_ptr<Rule> make_bypass_name_rule();
std::unique_ptr<Rule> make_bypass_env_write_rule();
std::unique_ptr<Rule> make_bypass_ci_check_rule();
std::unique_ptr<Rule> make_bypass_text_rule();
std::unique_ptr<Rule> make_sql_destructive_rule();
std::unique_ptr<Rule> make_sql_read_only_helper_rule();
std::unique_ptr<Rule> make_sql_reference_allowlist_rule();
std::unique_ptr<Rule> make_sql_dynamic_rule();
std::unique_ptr<Rule> make_script_entry_point_rule();
std::unique_ptr<Rule> make_contract_doc_rule();
std::unique_ptr<Rule> make_pipeline_rule();
std::unique_ptr<Rule> make_migrations_rule();

const std::vector<std::unique_ptr<Rule>>& all_rules() {
  static const std::vector<std::unique_ptr<Rule>> rules = [] {
    std::vector<std::unique_ptr<Rule>> list;
    list.push_back(make_entry_points_rule());
    list.push_back(make_guard_order_rule());
    list.push_back(make_connections_rule());
    list.push_back(make_bypass_name_rule());
    list.push_back(make_bypass_env_write_rule());
    list.push_back(make_bypass_ci_check_rule());
    list.push_back(make_bypass_text_rule());
    list.push_back(make_sql_destructive_rule());
    list.push_back(make_sql_read_only_helper_rule());
    list.push_back(make_sql_reference_allowlist_rule());
    list.push_back(make_sql_dynamic_rule());
    list.push_back(make_script_entry_point_rule());
    list.push_back(make_contract_doc_rule());
    list.push_back(make_pipeline_rule());
    list.push_back(make_migrations_rule());
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
