// Raw libpq for tests only (tests may open raw connections): set databases up, break them behind
// pmc's back, and look at what pmc left, independently of pmc's own database layer.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace pmc::test {

struct SqlResult {
  std::vector<std::vector<std::optional<std::string>>> rows;  // nullopt is NULL
  std::string error;     // the server's or libpq's message; empty on success
  std::string sqlstate;  // of the error
  bool ok() const { return error.empty(); }
};

// Runs `statement` (one or more statements, simple protocol) on a connection of its own.
SqlResult run_sql(const std::string& url, const std::string& statement);

// The first column of the first row; "<no row>", "<null>" or "ERROR: …" otherwise.
std::string sql_value(const std::string& url, const std::string& statement);

// A string constant for raw SQL: in single quotes, inner quotes doubled (standard_conforming_strings
// on, PostgreSQL's default, so backslashes need nothing).
std::string sql_literal(const std::string& text);

// A libpq keyword/value string for a database of a throwaway cluster, quoted so that any
// database name (quotes, backslashes, spaces, non-ASCII) survives.
std::string keyword_url(const std::string& socket_dir, const std::string& database);

}  // namespace pmc::test
