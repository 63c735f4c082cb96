// sql-destructive: DELETE, TRUNCATE and DROP appear only in the migrations folder, never in SQL
// written into C/C++ code.
#include <memory>

#include "classify/sql_reading.hpp"
#include "rules/sql_support.hpp"

namespace pmc::audit {
namespace {

class SqlDestructiveRule : public Rule {
 public:
  std::string_view id() const override { return "sql-destructive"; }
  std::string_view summary() const override {
    return "no DELETE, TRUNCATE or DROP in SQL outside the migrations folder";
  }
  std::string_view explanation() const override {
    return "Every string literal of the audited C/C++ code whose first word is a SQL statement "
           "keyword and which parses with PostgreSQL's parser (libpg_query) is read; so is a "
           "literal that is part of a SQL-taking call's argument and parses once one identifier "
           "is appended (\"DELETE FROM \" + table). A DELETE, TRUNCATE, DROP (any object), or "
           "ALTER TABLE ... DROP COLUMN/CONSTRAINT anywhere in it (a CTE, a subquery, EXPLAIN "
           "ANALYZE, the static statements of a DO block) is a finding unless the file lies in "
           "the contract's migrations folder: removing data or objects is a migration, reviewed "
           "and deployed by the pipeline, never a program's run-time decision. Reported at the "
           "literal.";
  }

  void check(const AuditContext& context, Findings& findings) const override {
    const std::string migrations = context.contract.migrations_dir + "/";
    for (const SqlLiteral& literal : sql_literals(context)) {
      if (context.relative(literal.where).rfind(migrations, 0) == 0) continue;
      const auto parsed = parse_sql_text(literal.text, literal.at_sql_call);
      if (!parsed) continue;
      std::string operations;
      for (std::size_t i = 0; i < parsed->statements.size(); ++i) {
        for (const std::string& operation : destructive_operations(parsed->statements[i], parsed->texts[i])) {
          if (operations.find(operation) != std::string::npos) continue;
          operations += (operations.empty() ? "" : ", ") + operation;
        }
      }
      if (operations.empty()) continue;
      findings.add({std::string(id()), severity(), literal.where,
                    std::string(parsed->fragment ? "SQL fragment " : "SQL ") + quoted_excerpt(literal.text) +
                        " runs " + operations + " outside the migrations folder (" +
                        context.contract.migrations_dir + "); removing data or objects is a migration",
                    {}});
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_sql_destructive_rule() { return std::make_unique<SqlDestructiveRule>(); }

}  // namespace pmc::audit
