// sql-reference-allowlist: reference-sync SQL names only the contract's reference-data tables and
// columns (and, to read, the references that protect them and the system catalog).
#include <algorithm>
#include <map>
#include <memory>

#include "classify/sql_effect.hpp"
#include "classify/sql_reading.hpp"
#include "rules/sql_support.hpp"

namespace pmc::audit {
namespace {

constexpr char kCategory[] = "reference-sync";

struct Allowed {
  bool catalog = false;
  bool writable = false;  // an allowlisted table; otherwise readable only (a protecting table)
  std::set<std::string> columns;
};

bool is_catalog_schema(const std::string& schema) {
  return schema == "pg_catalog" || schema == "information_schema";
}

class SqlReferenceAllowlistRule : public Rule {
 public:
  std::string_view id() const override { return "sql-reference-allowlist"; }
  std::string_view summary() const override {
    return "reference-sync SQL touches only the allowlisted tables and columns";
  }
  std::string_view explanation() const override {
    return "SQL literals used by functions annotated PMC_MUTATION(\"reference-sync\") or "
           "reachable from them are parsed; every table and column they name must be in the "
           "contract's reference_data: a table of it with its key, natural key and columns. To "
           "read (a statement that does not write), also the protecting references "
           "(protected_by table and column) and relations qualified with pg_catalog or "
           "information_schema. A column qualified by an alias of something that is not a table "
           "(a function's result, a CTE) is not a table column; an unqualified column must "
           "belong to one of the statement's tables. SQL of the runtime's database layer is "
           "not read. Reported at the literal.";
  }

  void check(const AuditContext& context, Findings& findings) const override {
    const std::vector<std::size_t> starts = nodes_in_category(context, kCategory);
    if (starts.empty()) return;
    const std::set<std::string> reached = reachable_ids(context, starts);
    const std::map<std::string, Allowed> tables = allowed_tables(context.contract);
    for (const SqlLiteral& literal : sql_literals(context)) {
      if (context.in_database_layer(literal.where) || !uses_any(literal, reached)) continue;
      const auto parsed = parse_sql_text(literal.text, literal.at_sql_call);
      if (!parsed) continue;
      for (std::size_t i = 0; i < parsed->statements.size(); ++i) {
        const bool writes = sql_effect(parsed->texts[i], context.contract.sinks.state_changing_sql_functions) ==
                            SqlEffect::Mutating;
        const std::string problem = first_problem(names_used(parsed->statements[i]), tables, writes);
        if (problem.empty()) continue;
        findings.add({std::string(id()), severity(), literal.where,
                      "reference-sync SQL " + quoted_excerpt(literal.text) + " " + problem +
                          "; only rules/contract.json reference_data may widen what promotion touches",
                      {}});
        break;
      }
    }
  }

 private:
  static std::map<std::string, Allowed> allowed_tables(const contract::Contract& contract) {
    std::map<std::string, Allowed> tables;
    for (const contract::ReferenceTable& table : contract.reference_data) {
      Allowed& allowed = tables[table.table];
      allowed.writable = true;
      allowed.columns.insert(table.columns.begin(), table.columns.end());
      allowed.columns.insert(table.key_column);
      allowed.columns.insert(table.natural_key);
    }
    for (const contract::ReferenceTable& table : contract.reference_data) {
      for (const contract::ProtectingReference& by : table.protected_by) {
        tables[by.table].columns.insert(by.column);
      }
    }
    return tables;
  }

  static std::string first_problem(const NamesUsed& names, const std::map<std::string, Allowed>& tables, bool writes) {
    std::map<std::string, Allowed> in_scope;  // by name and alias
    std::set<std::string> unqualified_columns;
    bool any_table = false;
    for (const RelationUse& relation : names.relations) {
      if (relation.name == kFragmentCompletionName) continue;  // the end of a fragment, not a name
      Allowed allowed;
      if (is_catalog_schema(relation.schema)) {
        if (writes) return "writes the system catalog relation " + relation.schema + "." + relation.name;
        allowed.catalog = true;
      } else {
        const auto found = tables.find(relation.name);
        if (found == tables.end()) return "names table \"" + relation.name + "\", which is not reference data";
        if (!found->second.writable && (writes || relation.target)) {
          return "writes table \"" + relation.name + "\", which protects reference data and is not reference data";
        }
        allowed = found->second;
        any_table = true;
        unqualified_columns.insert(allowed.columns.begin(), allowed.columns.end());
      }
      in_scope[relation.name] = allowed;
      if (!relation.alias.empty()) in_scope[relation.alias] = allowed;
    }
    for (const ColumnUse& column : names.columns) {
      if (column.name == kFragmentCompletionName) continue;
      if (column.qualifier.empty()) {
        if (!any_table || unqualified_columns.count(column.name) != 0) continue;
        return "names column \"" + column.name + "\", which none of its reference-data tables allows";
      }
      const auto scope = in_scope.find(column.qualifier);
      if (scope == in_scope.end() || scope->second.catalog) continue;  // not a table's alias
      if (scope->second.columns.count(column.name) == 0) {
        return "names column \"" + column.qualifier + "." + column.name + "\", which is not allowlisted";
      }
    }
    return {};
  }
};

}  // namespace

std::unique_ptr<Rule> make_sql_reference_allowlist_rule() { return std::make_unique<SqlReferenceAllowlistRule>(); }

}  // namespace pmc::audit
