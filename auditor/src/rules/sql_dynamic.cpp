// sql-dynamic: SQL built at run time inside a mutation category comes only from that category's
// approved builders (for reference-sync, the runtime's allowlist-checked pmc::sync::ReferenceSqlBuilder).
#include <algorithm>
#include <memory>

#include "rules/sql_support.hpp"

namespace pmc::audit {
namespace {

bool built_by(const std::string& qualified, const std::vector<std::string>& builders) {
  return std::any_of(builders.begin(), builders.end(), [&](const std::string& builder) {
    return qualified == builder || qualified.rfind(builder + "::", 0) == 0;
  });
}

std::string listed(const std::vector<std::string>& names) {
  if (names.empty()) return "none";
  std::string text;
  for (const std::string& name : names) text += (text.empty() ? "'" : ", '") + name + "'";
  return text;
}

class SqlDynamicRule : public Rule {
 public:
  std::string_view id() const override { return "sql-dynamic"; }
  std::string_view summary() const override {
    return "SQL built at run time in a mutation category goes through that category's builder";
  }
  std::string_view explanation() const override {
    return "In every function annotated PMC_MUTATION(category) and everything it can reach, each "
           "call of a SQL-taking function (the contract's SQL sinks and dynamic_sql.sql_functions, "
           "the runtime's execute/query/copy functions) has its string arguments traced: through "
           "concatenation, std::string construction, c_str() and const locals. Every part must be "
           "a string literal or the result of one of the category's builders in "
           "dynamic_sql.builders (reference-sync: pmc::sync::ReferenceSqlBuilder, which checks "
           "every name against the embedded allowlist); a part that is anything else (a "
           "parameter, a non-const variable, another function's result) is a finding, and so is a "
           "builder of another category. Calls inside the runtime's database layer take the "
           "caller's SQL and are judged at the caller. Reported at the call, with the part as a "
           "note.";
  }

  void check(const AuditContext& context, Findings& findings) const override {
    for (const std::string& category : context.contract.categories) {
      const std::vector<std::size_t> starts = nodes_in_category(context, category);
      if (starts.empty()) continue;
      const std::set<std::string> reached = reachable_ids(context, starts);
      std::vector<std::string> builders;
      for (const contract::SqlBuilders& entry : context.contract.dynamic_sql.builders) {
        if (entry.category == category) builders = entry.functions;
      }
      for (const UnitFacts& unit : context.units) {
        for (const SqlCallFact& call : unit.sql_calls) {
          if (reached.count(call.function) == 0 || context.relative(call.where).empty() ||
              context.in_database_layer(call.where)) {
            continue;
          }
          check_call(category, builders, call, findings);
        }
      }
    }
  }

 private:
  void check_call(const std::string& category, const std::vector<std::string>& builders, const SqlCallFact& call,
                  Findings& findings) const {
    const std::string head = "SQL handed to '" + call.callee + "' in PMC_MUTATION(\"" + category + "\") code ";
    const std::string hint = "; build it with the category's builders (" + listed(builders) +
                             ", rules/contract.json dynamic_sql) from literals";
    if (call.dynamic) {
      std::vector<Note> notes;
      if (call.dynamic_part.valid()) notes.push_back({call.dynamic_part, "this part is built at run time"});
      findings.add({std::string(id()), severity(), call.where, head + "is built at run time" + hint, notes});
      return;
    }
    for (const std::string& builder : call.builders) {
      if (built_by(builder, builders)) continue;
      findings.add({std::string(id()), severity(), call.where,
                    head + "is built by '" + builder + "', which is not a builder of this category" + hint, {}});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_sql_dynamic_rule() { return std::make_unique<SqlDynamicRule>(); }

}  // namespace pmc::audit
