// RawConnection: libpq with every failure turned into an exception naming the statement.
#include "raw_connection.hpp"

#include <stdexcept>

namespace pmc::bench {

RawConnection::RawConnection(const std::string& url) : connection_(PQconnectdb(url.c_str())) {
  if (PQstatus(connection_) != CONNECTION_OK) {
    const std::string message = PQerrorMessage(connection_);
    PQfinish(connection_);
    throw std::runtime_error("cannot connect to " + url + ": " + message);
  }
}

RawConnection::~RawConnection() { PQfinish(connection_); }

void RawConnection::check(PGresult* result, const std::string& what) {
  const ExecStatusType status = PQresultStatus(result);
  const bool ok = status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK;
  const std::string message = ok ? "" : PQresultErrorMessage(result);
  PQclear(result);
  if (!ok) throw std::runtime_error(what.substr(0, 200) + ": " + message);
}

void RawConnection::run(const std::string& sql) { check(PQexec(connection_, sql.c_str()), sql); }

std::string RawConnection::one(const std::string& sql) {
  PGresult* result = PQexec(connection_, sql.c_str());
  if (PQresultStatus(result) != PGRES_TUPLES_OK || PQntuples(result) == 0) {
    check(result, sql);
    return {};
  }
  std::string value = PQgetvalue(result, 0, 0);
  PQclear(result);
  return value;
}

void RawConnection::copy_in(const std::string& copy_statement, const std::string& text) {
  PGresult* started = PQexec(connection_, copy_statement.c_str());
  if (PQresultStatus(started) != PGRES_COPY_IN) check(started, copy_statement);
  PQclear(started);
  // Chunks of 1 MiB, as a client streaming a file would send them.
  constexpr std::size_t kChunk = 1 << 20;
  for (std::size_t at = 0; at < text.size(); at += kChunk) {
    const std::size_t size = std::min(kChunk, text.size() - at);
    if (PQputCopyData(connection_, text.data() + at, static_cast<int>(size)) != 1) {
      throw std::runtime_error("COPY data: " + std::string(PQerrorMessage(connection_)));
    }
  }
  if (PQputCopyEnd(connection_, nullptr) != 1) {
    throw std::runtime_error("COPY end: " + std::string(PQerrorMessage(connection_)));
  }
  check(PQgetResult(connection_), copy_statement);
  while (PGresult* rest = PQgetResult(connection_)) PQclear(rest);
}

void RawConnection::prepare(const std::string& name, const std::string& sql) {
  check(PQprepare(connection_, name.c_str(), sql.c_str(), 0, nullptr), sql);
}

void RawConnection::run_prepared(const std::string& name, const std::vector<const char*>& values) {
  check(PQexecPrepared(connection_, name.c_str(), static_cast<int>(values.size()), values.data(),
                       nullptr, nullptr, 0),
        name);
}

}  // namespace pmc::bench
