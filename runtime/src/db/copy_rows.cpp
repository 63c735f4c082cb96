// Session::copy_rows: COPY … FROM STDIN with rows encoded here in COPY's text format, streamed
// in chunks. The values never become statement text, as with parameters.
#include "session.hpp"

namespace pmc::db {
namespace {

// Small enough that encoding the next chunk overlaps the server's work on the last one (a send
// blocks until the socket takes it), large enough to keep calls few. The server reads 64 KiB.
constexpr std::size_t kChunk = std::size_t{64} << 10;

// COPY text format: tab between columns, newline after each row, \N for NULL, and a backslash
// escape for the four bytes the format gives meaning to (so "\." can never end the data early).
void append_value(std::string& out, const Param& value) {
  if (!value) {
    out += "\\N";
    return;
  }
  const std::string& text = *value;
  std::size_t from = 0;
  for (std::size_t at = text.find_first_of("\\\t\n\r"); at != std::string::npos;
       at = text.find_first_of("\\\t\n\r", from)) {
    out.append(text, from, at - from);
    out += '\\';
    switch (text[at]) {
      case '\t':
        out += 't';
        break;
      case '\n':
        out += 'n';
        break;
      case '\r':
        out += 'r';
        break;
      default:
        out += '\\';
        break;
    }
    from = at + 1;
  }
  out.append(text, from, std::string::npos);
}

}  // namespace

long Session::copy_rows(std::string_view statement, std::size_t rows, const CopyRowSource& row,
                        std::string_view context) {
  const std::string text(statement);
  // The extended protocol, as in run(): a second statement cannot ride along with the COPY.
  PGresult* started =
      PQexecParams(connection_, text.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0);
  if (PQresultStatus(started) != PGRES_COPY_IN) {
    static_cast<void>(checked(started, context));  // throws the server's error, if any
    throw Failure("PMC-D005", "statement is not COPY … FROM STDIN",
                  "The statement completed without asking for data: " + text.substr(0, 80));
  }
  PQclear(started);

  std::string buffer;
  buffer.reserve(kChunk + 4096);
  bool sent = true;
  const auto flush = [&] {
    if (sent && !buffer.empty()) {
      sent = PQputCopyData(connection_, buffer.data(), static_cast<int>(buffer.size())) == 1;
    }
    buffer.clear();
  };
  // Every result must be read before the connection takes another command (the ROLLBACK).
  const auto finish = [&](const char* error) {
    PQputCopyEnd(connection_, error);
    PGresult* finished = PQgetResult(connection_);
    while (PGresult* extra = PQgetResult(connection_)) PQclear(extra);
    return finished;
  };
  Params values;
  try {
    for (std::size_t index = 0; index < rows; ++index) {
      row(index, values);
      for (std::size_t i = 0; i < values.size(); ++i) {
        if (i > 0) buffer += '\t';
        append_value(buffer, values[i]);
      }
      buffer += '\n';
      if (buffer.size() >= kChunk) flush();
    }
    flush();
  } catch (...) {
    // Ending the copy with an error makes the server discard it.
    PQclear(finish("pmc: the rows to copy could not be produced"));
    throw;
  }
  return checked(finish(sent ? nullptr : "pmc: sending COPY data failed"), context).affected_rows();
}

}  // namespace pmc::db
