// The one libpq connection underneath every pmc connection: statements, scripts, escaping.
#include "session.hpp"

#include <vector>

namespace pmc::db {

Session::Session(PGconn* connection, std::string where)
    : connection_(connection), where_(std::move(where)) {}

Session::~Session() { PQfinish(connection_); }

bool Session::connection_lost() const { return PQstatus(connection_) != CONNECTION_OK; }

Result Session::checked(PGresult* result, std::string_view context) {
  const ExecStatusType status = result != nullptr ? PQresultStatus(result) : PGRES_FATAL_ERROR;
  if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK || status == PGRES_EMPTY_QUERY) {
    Result out;
    out.handle_ = std::make_shared<Result::Handle>(result);
    return out;
  }
  // Copy the fields out before PQclear: they point into the result.
  const char* sqlstate = result != nullptr ? PQresultErrorField(result, PG_DIAG_SQLSTATE) : nullptr;
  // libpq reports a lost connection without a SQLSTATE; 08006 is connection_failure.
  std::string state = sqlstate != nullptr ? sqlstate : (connection_lost() ? "08006" : "XX000");
  std::string message = result != nullptr ? PQresultErrorMessage(result) : "";
  if (message.empty()) message = PQerrorMessage(connection_);
  PQclear(result);
  throw DatabaseError(std::move(state), std::move(message), std::string(context));
}

Result Session::run(std::string_view sql, const Params& params, std::string_view context) {
  const std::string statement(sql);
  std::vector<const char*> values;
  values.reserve(params.size());
  for (const Param& param : params) values.push_back(param ? param->c_str() : nullptr);
  return checked(PQexecParams(connection_, statement.c_str(), static_cast<int>(values.size()),
                              nullptr, values.data(), nullptr, nullptr, 0),
                 context);
}

Result Session::run_script(std::string_view script, std::string_view context) {
  const std::string text(script);
  return checked(PQexec(connection_, text.c_str()), context);
}

std::string Session::quote_identifier(std::string_view name) {
  char* quoted = PQescapeIdentifier(connection_, name.data(), name.size());
  if (quoted == nullptr) {
    throw Failure("PMC-D002", "cannot quote identifier", PQerrorMessage(connection_),
                  "Identifiers must be valid text in the database's encoding.",
                  ExitCode::UsageOrInput);
  }
  std::string out(quoted);
  PQfreemem(quoted);
  return out;
}

}  // namespace pmc::db
