// pmc::db: RAII over libpq. Values travel only as parameters, identifiers only through libpq's
// escaping. Reading and writing are different types; both come only out of the connect functions
// below, which validate the database's environment fingerprint first, and the writing one needs
// the CI guard's pass.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pmc/error.hpp"
#include "pmc/guard.hpp"

namespace pmc::db {

using Param = std::optional<std::string>;  // nullopt is SQL NULL
using Params = std::vector<Param>;
// Fills `values` with row `index` of a COPY, in the statement's column order. The same vector
// comes back for every row, so a source can reuse its strings' storage.
using CopyRowSource = std::function<void(std::size_t index, Params& values)>;
// Receives each row of a `COPY (SELECT …) TO STDOUT`, decoded; the same vector every time.
using CopyRowSink = std::function<void(const Params& values)>;

struct ConnectOptions {
  std::string url;  // libpq URL or keyword/value string; a URL may carry Prisma's parameters too
  std::string application_name;      // the entry point's binary name
  std::string expected_environment;  // required: "dev", "prod", …
  std::chrono::milliseconds connect_budget{std::chrono::seconds(30)};
  std::optional<std::chrono::milliseconds> statement_timeout;
  std::optional<std::chrono::milliseconds> lock_timeout;
};

// What every program starts from: the URL, its own name and the environment it expects; the
// rest at their defaults.
ConnectOptions connect_options(std::string url, std::string program, std::string expected_environment);

// A database error with its SQLSTATE, as the server reported it.
class DatabaseError : public Failure {
 public:
  DatabaseError(std::string sqlstate, std::string server_message, std::string context);
  const std::string& sqlstate() const { return sqlstate_; }
  const std::string& server_message() const { return server_message_; }

 private:
  std::string sqlstate_, server_message_;
};

class Result {
 public:
  int rows() const;
  int columns() const;
  std::optional<std::string> value(int row, int column) const;  // nullopt for NULL
  std::string text(int row, int column) const;                  // NULL reads as ""
  std::string column_name(int column) const;
  long affected_rows() const;

 private:
  friend class Session;
  struct Handle;
  std::shared_ptr<Handle> handle_;
};

// The libpq connection underneath both connection types. Not constructible outside the runtime.
class Session;

class ReadOnlyConnection;
class WritableConnection;

// A transaction that rolls back unless commit() was called.
class Transaction {
 public:
  Transaction(Transaction&&) noexcept;
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction();
  void commit();

 private:
  friend class WritableConnection;
  explicit Transaction(Session& session);
  Session* session_;
  bool open_;
};

class ReadOnlyConnection {
 public:
  ReadOnlyConnection(ReadOnlyConnection&&) noexcept;
  ~ReadOnlyConnection();
  Result query(std::string_view sql, const Params& params = {});
  // `COPY (SELECT …) TO STDOUT`: rows stream to `row` one at a time instead of being held in a
  // Result (large reads). Returns the number of rows.
  long copy_out(std::string_view copy_statement, const CopyRowSink& row);
  std::string quote_identifier(std::string_view name);
  const std::string& environment() const;  // the validated fingerprint's environment

 private:
  friend ReadOnlyConnection connect_read_only(const ConnectOptions&);
  explicit ReadOnlyConnection(std::unique_ptr<Session> session);
  std::unique_ptr<Session> session_;
};

class WritableConnection {
 public:
  WritableConnection(WritableConnection&&) noexcept;
  ~WritableConnection();
  Result query(std::string_view sql, const Params& params = {});    // reads
  long copy_out(std::string_view copy_statement, const CopyRowSink& row);  // as above
  Result execute(std::string_view sql, const Params& params = {});  // writes, parameters only
  // A whole script as one simple-protocol query (one implicit transaction): migration files only.
  Result execute_script(std::string_view script);
  // `COPY table (columns) FROM STDIN` (text format), then `rows` rows, each filled in by
  // `row`: every value is encoded and streamed as COPY data, never part of any statement's
  // text. Returns the rows stored.
  long copy_rows(std::string_view copy_statement, std::size_t rows, const CopyRowSource& row);
  Transaction begin();
  std::string quote_identifier(std::string_view name);
  const std::string& environment() const;
  // The schema the URL's `?schema=` names (Prisma's parameter): the session's whole search_path.
  const std::optional<std::string>& url_schema() const;

 private:
  friend WritableConnection connect_writable(const ConnectOptions&, const guard::CiPass&);
  explicit WritableConnection(std::unique_ptr<Session> session);
  std::unique_ptr<Session> session_;
};

// Connect with bounded retry, then validate the fingerprint (pmc/fingerprint.hpp); throws
// pmc::Failure with a stable code on any refusal.
ReadOnlyConnection connect_read_only(const ConnectOptions& options);
WritableConnection connect_writable(const ConnectOptions& options, const guard::CiPass& pass);

// The URL with any password replaced by "****", for messages.
std::string mask_password(std::string_view url);

}  // namespace pmc::db
