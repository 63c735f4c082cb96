// Session::copy_out: COPY … TO STDOUT, each row decoded from COPY's text format as it arrives,
// so a large read never sits in memory twice (once in libpq, once in the caller).
#include <exception>

#include "session.hpp"

namespace pmc::db {
namespace {

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// One field of COPY's text format: \N alone is NULL; a backslash escapes b f n r t v, up to
// three octal digits, x and up to two hex digits, or stands for the character after it.
void decode_field(std::string_view field, Param& value) {
  if (field == "\\N") {
    value.reset();
    return;
  }
  if (!value) value.emplace();
  std::string& text = *value;
  text.clear();
  for (std::size_t i = 0; i < field.size(); ++i) {
    if (field[i] != '\\' || i + 1 == field.size()) {
      text += field[i];
      continue;
    }
    const char c = field[++i];
    switch (c) {
      case 'b':
        text += '\b';
        break;
      case 'f':
        text += '\f';
        break;
      case 'n':
        text += '\n';
        break;
      case 'r':
        text += '\r';
        break;
      case 't':
        text += '\t';
        break;
      case 'v':
        text += '\v';
        break;
      case 'x': {
        int byte = 0;
        std::size_t digits = 0;
        for (; digits < 2 && i + 1 < field.size() && hex_digit(field[i + 1]) >= 0; ++digits) {
          byte = byte * 16 + hex_digit(field[++i]);
        }
        text += digits == 0 ? 'x' : static_cast<char>(byte);
        break;
      }
      default:
        if (c >= '0' && c <= '7') {
          int byte = c - '0';
          for (int digits = 1;
               digits < 3 && i + 1 < field.size() && field[i + 1] >= '0' && field[i + 1] <= '7';
               ++digits) {
            byte = byte * 8 + (field[++i] - '0');
          }
          text += static_cast<char>(byte);
        } else {
          text += c;
        }
    }
  }
}

// A row: fields split at tabs (a tab inside a value is always escaped), the newline dropped.
void decode_row(std::string_view line, Params& values) {
  if (!line.empty() && line.back() == '\n') line.remove_suffix(1);
  std::size_t column = 0;
  for (std::size_t from = 0;; ++column) {
    const std::size_t tab = line.find('\t', from);
    if (column == values.size()) values.emplace_back();
    decode_field(line.substr(from, tab == std::string_view::npos ? line.npos : tab - from),
                 values[column]);
    if (tab == std::string_view::npos) break;
    from = tab + 1;
  }
  values.resize(column + 1);
}

}  // namespace

long Session::copy_out(std::string_view statement, const CopyRowSink& row,
                       std::string_view context) {
  const std::string text(statement);
  // The extended protocol, as in run(): a second statement cannot ride along with the COPY.
  PGresult* started =
      PQexecParams(connection_, text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0);
  if (PQresultStatus(started) != PGRES_COPY_OUT) {
    static_cast<void>(checked(started, context));  // throws the server's error, if any
    throw Failure("PMC-D005", "statement is not COPY … TO STDOUT",
                  "The statement completed without sending rows: " + text.substr(0, 80));
  }
  PQclear(started);
  Params values;
  long rows = 0;
  std::exception_ptr failure;
  for (;;) {
    char* buffer = nullptr;
    const int size = PQgetCopyData(connection_, &buffer, 0);
    if (size < 0) break;  // -1: done, -2: an error, reported by the result below
    // After a failure the rest is read and dropped: the connection must reach the end of the
    // COPY before it can take another command.
    if (!failure) {
      try {
        decode_row(std::string_view(buffer, static_cast<std::size_t>(size)), values);
        row(values);
        ++rows;
      } catch (...) {
        failure = std::current_exception();
      }
    }
    PQfreemem(buffer);
  }
  PGresult* finished = PQgetResult(connection_);
  while (PGresult* extra = PQgetResult(connection_)) PQclear(extra);
  if (failure) {
    PQclear(finished);
    std::rethrow_exception(failure);
  }
  static_cast<void>(checked(finished, context));
  return rows;
}

}  // namespace pmc::db
