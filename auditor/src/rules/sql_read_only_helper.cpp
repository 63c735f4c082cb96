// sql-read-only-helper: the SQL a read-only helper can reach only reads.
#include <memory>

#include "classify/sql_effect.hpp"
#include "classify/sql_reading.hpp"
#include "rules/sql_support.hpp"

namespace pmc::audit {
namespace {

class SqlReadOnlyHelperRule : public Rule {
 public:
  std::string_view id() const override { return "sql-read-only-helper"; }
  std::string_view summary() const override { return "SQL reachable from a read-only helper only reads"; }
  std::string_view explanation() const override {
    return "For each read-only helper of the contract (read_only_helpers), every SQL literal "
           "handed to a SQL-taking call (a contract sink or dynamic_sql.sql_functions, such as "
           "the runtime's query()) in a function its main() can reach (the entry-points rule's "
           "call graph) must be read-only: SELECT, SHOW, SET/RESET, transaction control or "
           "EXPLAIN without a data-changing CTE, SELECT INTO or a call of a state-changing "
           "function. Text that only builds a string (a DDL constant a writer uses later) is not "
           "run by the helper: running it needs a writable connection, which entry-points "
           "judges. SQL in the runtime's database layer is the layer's own and is not read here. "
           "Reported at the literal.";
  }

  void check(const AuditContext& context, Findings& findings) const override {
    const std::vector<SqlLiteral> literals = sql_literals(context);
    for (const contract::ReadOnlyHelper& helper : context.contract.read_only_helpers) {
      std::vector<std::size_t> mains;
      for (const MainFact& main : context.graph.mains()) {
        if (context.relative(main.where) != helper.source) continue;
        if (auto node = context.graph.find(main.id)) mains.push_back(*node);
      }
      if (mains.empty()) continue;
      const std::set<std::string> reached = reachable_ids(context, mains);
      for (const SqlLiteral& literal : literals) {
        if (!literal.at_sql_call || context.in_database_layer(literal.where) || !uses_any(literal, reached)) continue;
        const auto parsed = parse_sql_text(literal.text, literal.at_sql_call);
        if (!parsed) continue;
        for (const std::string& text : parsed->texts) {
          if (sql_effect(text, context.contract.sinks.state_changing_sql_functions) != SqlEffect::Mutating) continue;
          findings.add({std::string(id()), severity(), literal.where,
                        "read-only helper " + helper.binary + " (" + helper.source + ") can reach SQL that writes: " +
                            quoted_excerpt(literal.text),
                        {}});
          break;
        }
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_sql_read_only_helper_rule() { return std::make_unique<SqlReadOnlyHelperRule>(); }

}  // namespace pmc::audit
