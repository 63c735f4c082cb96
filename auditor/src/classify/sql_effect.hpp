// Whether a SQL text can change a database, read with PostgreSQL's own parser (libpg_query via
// pmc_sql). Plain C++.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace pmc::audit {

enum class SqlEffect {
  NotSql,    // does not parse as SQL (a statement name, a message …)
  ReadOnly,  // every statement is SELECT, SHOW, EXPLAIN (of a read, or without ANALYZE), SET,
             // RESET or transaction control, with no data-changing CTE, SELECT INTO, or call of
             // a state-changing function
  Mutating,
};

SqlEffect sql_effect(std::string_view text, const std::vector<std::string>& state_changing_functions);

}  // namespace pmc::audit
