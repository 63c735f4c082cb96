// The two connection types and transactions: thin, typed doors onto a validated Session.
#include "session.hpp"

namespace pmc::db {
namespace {

// A moved-from connection has no session; using one is a programming error worth a clear message.
Session& live(const std::unique_ptr<Session>& session) {
  if (!session) {
    throw Failure("PMC-D004", "connection was moved away",
                  "This connection object no longer owns a database session.");
  }
  return *session;
}

}  // namespace

Transaction::Transaction(Session& session) : session_(&session), open_(true) {
  session_->run("BEGIN", {}, "begin a transaction");
}

Transaction::Transaction(Transaction&& other) noexcept
    : session_(other.session_), open_(other.open_) {
  other.open_ = false;
}

Transaction::~Transaction() {
  if (!open_ || session_->connection_lost()) return;
  try {
    session_->run("ROLLBACK", {}, "roll back a transaction");
  } catch (...) {
    // A destructor cannot report; the server rolls back when the session ends anyway.
  }
}

void Transaction::commit() {
  if (!open_) throw Failure("PMC-D003", "transaction is not open", "commit() ran twice or after a move.");
  open_ = false;
  session_->run("COMMIT", {}, "commit a transaction");
}

ReadOnlyConnection::ReadOnlyConnection(std::unique_ptr<Session> session)
    : session_(std::move(session)) {}
ReadOnlyConnection::ReadOnlyConnection(ReadOnlyConnection&&) noexcept = default;
ReadOnlyConnection::~ReadOnlyConnection() = default;

Result ReadOnlyConnection::query(std::string_view sql, const Params& params) {
  return live(session_).run(sql, params, "query");
}

long ReadOnlyConnection::copy_out(std::string_view copy_statement, const CopyRowSink& row) {
  return live(session_).copy_out(copy_statement, row, "copy");
}

std::string ReadOnlyConnection::quote_identifier(std::string_view name) {
  return live(session_).quote_identifier(name);
}

const std::string& ReadOnlyConnection::environment() const { return live(session_).environment; }

WritableConnection::WritableConnection(std::unique_ptr<Session> session)
    : session_(std::move(session)) {}
WritableConnection::WritableConnection(WritableConnection&&) noexcept = default;
WritableConnection::~WritableConnection() = default;

Result WritableConnection::query(std::string_view sql, const Params& params) {
  return live(session_).run(sql, params, "query");
}

Result WritableConnection::execute(std::string_view sql, const Params& params) {
  return live(session_).run(sql, params, "statement");
}

Result WritableConnection::execute_script(std::string_view script) {
  return live(session_).run_script(script, "script");
}

long WritableConnection::copy_out(std::string_view copy_statement, const CopyRowSink& row) {
  return live(session_).copy_out(copy_statement, row, "copy");
}

long WritableConnection::copy_rows(std::string_view copy_statement, std::size_t rows,
                                   const CopyRowSource& row) {
  return live(session_).copy_rows(copy_statement, rows, row, "copy");
}

Transaction WritableConnection::begin() { return Transaction(live(session_)); }

std::string WritableConnection::quote_identifier(std::string_view name) {
  return live(session_).quote_identifier(name);
}

const std::string& WritableConnection::environment() const { return live(session_).environment; }

const std::optional<std::string>& WritableConnection::url_schema() const {
  return live(session_).url_schema;
}

}  // namespace pmc::db
