// What the sql rules share: the SQL literals of every unit merged by place, and the function ids a
// set of starting functions can reach. Plain C++.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "rules/rule.hpp"

namespace pmc::audit {

struct SqlLiteral {
  SourceLocation where;
  std::string text;
  std::set<std::string> functions;  // ids of the functions that use it
  bool at_sql_call = false;         // part of a SQL-taking call's argument: fragments count
};

// Every literal once (a header's literal is seen from every unit that includes it).
std::vector<SqlLiteral> sql_literals(const AuditContext& context);

// The ids of every function reachable from the given graph nodes (themselves included).
std::set<std::string> reachable_ids(const AuditContext& context, const std::vector<std::size_t>& starts);

// The graph nodes annotated PMC_MUTATION(category).
std::vector<std::size_t> nodes_in_category(const AuditContext& context, const std::string& category);

bool uses_any(const SqlLiteral& literal, const std::set<std::string>& ids);

// "DELETE FROM x WHERE …" shortened for a message.
std::string quoted_excerpt(const std::string& text);

}  // namespace pmc::audit
