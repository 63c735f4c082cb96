// What the sql rules read in a SQL text, with PostgreSQL's own parser (libpg_query via pmc_sql):
// whether it is SQL at all, the destructive operations in it (also nested, also in DO blocks),
// and the tables and columns it names. Plain C++.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace pmc::audit {

// A text "is SQL" when it parses into at least one statement and, unless it is (part of) a
// SQL-taking call's argument, has more than one word. At a SQL call a fragment ("DELETE FROM " +
// table) is SQL when the text followed by one identifier parses. nullopt: not SQL.
// The identifier that completes a fragment; the rules ignore it as a name.
inline constexpr std::string_view kFragmentCompletionName = "pmc_fragment_completion";
struct ParsedSql {
  std::vector<nlohmann::json> statements;  // each {"SelectStmt": {…}}
  std::vector<std::string> texts;          // each statement's text
  bool fragment = false;
};
std::optional<ParsedSql> parse_sql_text(std::string_view text, bool at_sql_call);

// "DELETE", "TRUNCATE", "DROP TABLE", "ALTER TABLE … DROP COLUMN" … found anywhere in the
// statement, including the static statements of a DO block's PL/pgSQL.
std::vector<std::string> destructive_operations(const nlohmann::json& statement, std::string_view text);

struct RelationUse {
  std::string schema;  // empty when unqualified
  std::string name;
  std::string alias;
  bool target = false;  // written: INSERT/UPDATE/DELETE/MERGE/COPY FROM/TRUNCATE/DDL target
};

struct ColumnUse {
  std::string qualifier;  // table or alias before the column, empty when unqualified
  std::string name;
  bool assigned = false;  // INSERT column list or UPDATE SET: a column of the target
};

struct NamesUsed {
  std::vector<RelationUse> relations;  // CTE names left out
  std::vector<ColumnUse> columns;
};
NamesUsed names_used(const nlohmann::json& statement);

}  // namespace pmc::audit
