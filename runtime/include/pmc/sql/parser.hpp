// pmc::sql: PostgreSQL's own parser (libpg_query) behind RAII: parse trees as JSON, statements with
// their byte ranges, PL/pgSQL bodies, and errors that carry the line and column a person reads.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace pmc::sql {

// A place in a text as people count it: 1-based line, 1-based column in characters (UTF-8).
struct SourcePosition {
  int line = 1;
  int column = 1;
};

// The line and column of a 0-based byte offset (libpg_query's `location`, `stmt_location`).
SourcePosition position_of_byte(std::string_view text, std::size_t byte_offset);

// The 0-based byte offset of a 1-based character position (libpg_query's error `cursorpos`).
std::size_t byte_of_character(std::string_view text, int one_based_character);

// The parser refused the text. byte_offset/position are set when PostgreSQL reported a position.
class ParseError : public std::runtime_error {
 public:
  ParseError(std::string message, bool has_position, std::size_t byte_offset,
             SourcePosition position);
  const std::string& parser_message() const { return parser_message_; }
  bool has_position() const { return has_position_; }
  std::size_t byte_offset() const { return byte_offset_; }
  SourcePosition position() const { return position_; }

 private:
  std::string parser_message_;
  bool has_position_;
  std::size_t byte_offset_;
  SourcePosition position_;
};

// One top-level statement: its raw parse tree (the node under "stmt", e.g. {"CreateStmt": {…}})
// and where it sits in the script. Fields libpg_query omits (zero, false, empty) stay absent.
struct Statement {
  nlohmann::json tree;
  std::size_t begin = 0;  // byte offset of the statement's first token (leading blanks skipped)
  std::size_t end = 0;    // byte offset one past its last byte (without the `;`)
  std::string_view text(std::string_view script) const {
    return script.substr(begin, end - begin);
  }
};

// Parses a whole script. Throws ParseError (with position) on the first syntax error.
std::vector<Statement> parse_statements(std::string_view script);

// The full parse result as libpg_query returns it ({"version":…, "stmts":[…]}).
nlohmann::json parse_tree(std::string_view script);

// Byte ranges [begin, end) of each statement, by the parser (fails on a syntax error).
struct StatementRange {
  std::size_t begin = 0;
  std::size_t end = 0;
};
std::vector<StatementRange> split_statements(std::string_view script);

// Parses the PL/pgSQL of a `DO` statement or a `CREATE FUNCTION … LANGUAGE plpgsql` (the whole
// statement's text): the array of PLpgSQL_function trees. PL/pgSQL errors carry no position.
nlohmann::json parse_plpgsql(std::string_view statement_text);

}  // namespace pmc::sql
