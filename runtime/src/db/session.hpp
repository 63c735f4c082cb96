// Internal to the database layer: one libpq connection, the only code that runs SQL on it.
#pragma once

#include <libpq-fe.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "pmc/db.hpp"
#include "pmc/fingerprint.hpp"
#include "prisma_parameters.hpp"

namespace pmc::db {

struct Result::Handle {
  explicit Handle(PGresult* result) : result(result) {}
  ~Handle() { PQclear(result); }
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  PGresult* result;
};

enum class Access { ReadOnly, ReadWrite };

class Session {
 public:
  Session(PGconn* connection, std::string where);  // takes ownership of the connection
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // One statement with parameters (extended protocol: a second statement cannot ride along).
  // `context` says what pmc was doing, for errors.
  Result run(std::string_view sql, const Params& params, std::string_view context);
  // A whole script in the simple protocol, as one implicit transaction.
  Result run_script(std::string_view script, std::string_view context);
  // COPY … FROM STDIN with the rows as its data (copy_rows.cpp); returns the rows stored.
  long copy_rows(std::string_view statement, std::size_t rows, const CopyRowSource& row,
                 std::string_view context);
  // COPY … TO STDOUT, each row decoded and handed to `row` (copy_out.cpp); returns the rows.
  long copy_out(std::string_view statement, const CopyRowSink& row, std::string_view context);
  std::string quote_identifier(std::string_view name);
  bool connection_lost() const;

  const std::string& where() const { return where_; }  // the URL, password masked
  std::string environment;  // set once the fingerprint is validated
  // The URL's ?schema= (Prisma's parameter), the session's search_path.
  std::optional<std::string> url_schema;

 private:
  Result checked(PGresult* result, std::string_view context);
  PGconn* connection_;
  std::string where_;
};

// Opens a session with bounded retry and backoff (connect.cpp); a first query has succeeded on it.
std::unique_ptr<Session> open_session(const ConnectOptions& options, Access access);

// fingerprint_store.cpp: reading and writing public.database_metadata on a session.
fingerprint::Observation observe_fingerprint(Session& session);

// url.cpp: Prisma's parameters must be valid and the rest must parse (libpq's own parser);
// throws PMC-C001 (exit 2) when they do not.
DatabaseUrl require_parsable_url(const std::string& url);

}  // namespace pmc::db
