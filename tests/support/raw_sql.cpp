// Raw libpq helpers for tests: one connection per call, results copied out as text.
#include "raw_sql.hpp"

#include <libpq-fe.h>

namespace pmc::test {
namespace {

std::string trimmed(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

std::string quoted_value(const std::string& value) {
  std::string out = "'";
  for (char c : value) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out + "'";
}

}  // namespace

SqlResult run_sql(const std::string& url, const std::string& statement) {
  SqlResult out;
  PGconn* connection = PQconnectdb(url.c_str());
  if (PQstatus(connection) != CONNECTION_OK) {
    out.error = trimmed(PQerrorMessage(connection));
    out.sqlstate = "08000";
    PQfinish(connection);
    return out;
  }
  PGresult* result = PQexec(connection, statement.c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_TUPLES_OK) {
    for (int row = 0; row < PQntuples(result); ++row) {
      std::vector<std::optional<std::string>> values;
      for (int column = 0; column < PQnfields(result); ++column) {
        if (PQgetisnull(result, row, column)) {
          values.emplace_back(std::nullopt);
        } else {
          values.emplace_back(
              std::string(PQgetvalue(result, row, column),
                          static_cast<std::size_t>(PQgetlength(result, row, column))));
        }
      }
      out.rows.push_back(std::move(values));
    }
  } else if (status != PGRES_COMMAND_OK && status != PGRES_EMPTY_QUERY) {
    out.error = trimmed(PQresultErrorMessage(result));
    const char* state = PQresultErrorField(result, PG_DIAG_SQLSTATE);
    out.sqlstate = state != nullptr ? state : "";
    if (out.error.empty()) out.error = "statement failed";
  }
  PQclear(result);
  PQfinish(connection);
  return out;
}

std::string sql_value(const std::string& url, const std::string& statement) {
  const SqlResult result = run_sql(url, statement);
  if (!result.ok()) return "ERROR: " + result.error;
  if (result.rows.empty() || result.rows.front().empty()) return "<no row>";
  return result.rows.front().front().value_or("<null>");
}

std::string keyword_url(const std::string& socket_dir, const std::string& database) {
  return "host=" + quoted_value(socket_dir) + " user=postgres dbname=" + quoted_value(database);
}

std::string sql_literal(const std::string& text) {
  std::string out = "'";
  for (const char c : text) {
    out += c;
    if (c == '\'') out += '\'';
  }
  return out + "'";
}

}  // namespace pmc::test
