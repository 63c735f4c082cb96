// Query results (owning their PGresult) and the error a failed statement raises.
#include <cstdlib>

#include "session.hpp"

namespace pmc::db {
namespace {

std::string first_line(std::string text) {
  while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
  return text;
}

}  // namespace

DatabaseError::DatabaseError(std::string sqlstate, std::string server_message, std::string context)
    : Failure("PMC-D001", context + " failed: " + first_line(server_message),
              "SQLSTATE " + sqlstate + ".",
              "The server refused the statement; the message above is the server's own."),
      sqlstate_(std::move(sqlstate)),
      server_message_(std::move(server_message)) {}

int Result::rows() const { return handle_ ? PQntuples(handle_->result) : 0; }

int Result::columns() const { return handle_ ? PQnfields(handle_->result) : 0; }

std::optional<std::string> Result::value(int row, int column) const {
  if (!handle_ || row < 0 || row >= rows() || column < 0 || column >= columns()) {
    throw std::out_of_range("pmc::db::Result: no cell (" + std::to_string(row) + ", " +
                            std::to_string(column) + ")");
  }
  if (PQgetisnull(handle_->result, row, column)) return std::nullopt;
  return std::string(PQgetvalue(handle_->result, row, column),
                     static_cast<std::size_t>(PQgetlength(handle_->result, row, column)));
}

std::string Result::text(int row, int column) const { return value(row, column).value_or(""); }

std::string Result::column_name(int column) const {
  if (!handle_ || column < 0 || column >= columns()) {
    throw std::out_of_range("pmc::db::Result: no column " + std::to_string(column));
  }
  return PQfname(handle_->result, column);
}

long Result::affected_rows() const {
  if (!handle_) return 0;
  const char* count = PQcmdTuples(handle_->result);
  return count != nullptr && *count != '\0' ? std::strtol(count, nullptr, 10) : 0;
}

}  // namespace pmc::db
