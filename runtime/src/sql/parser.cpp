// RAII over libpg_query's parse, split and PL/pgSQL entry points. Every result is freed, error or
// not, and pg_query_exit() is never called (it breaks later parses in this library version).
#include "pmc/sql/parser.hpp"

#include <pg_query.h>

#include <cctype>
#include <memory>
#include <string>

#include "pmc/utf8.hpp"

namespace pmc::sql {
namespace {

// libpg_query reads NUL-terminated strings: a NUL inside the text would silently cut it short.
// And it copies literal bytes into its JSON as they are: text that is not UTF-8 would come back
// as JSON no JSON parser accepts (fuzzing found it), so it is refused here, with its place.
std::string terminated_copy(std::string_view text) {
  if (text.find('\0') != std::string_view::npos) {
    throw ParseError("the SQL text contains a NUL byte", false, 0, {});
  }
  if (const std::size_t bad = first_invalid_utf8(text); bad != std::string_view::npos) {
    throw ParseError("the SQL text is not valid UTF-8 (byte " + std::to_string(bad) + ")", true,
                     bad, position_of_byte(text, bad));
  }
  return std::string(text);
}

ParseError error_from(const PgQueryError& error, std::string_view text) {
  std::string message = error.message != nullptr ? error.message : "syntax error";
  if (error.cursorpos <= 0) return ParseError(std::move(message), false, 0, {});
  const std::size_t byte = byte_of_character(text, error.cursorpos);
  return ParseError(std::move(message), true, byte, position_of_byte(text, byte));
}

struct ParseResultOwner {
  PgQueryParseResult result;
  ~ParseResultOwner() { pg_query_free_parse_result(result); }
};
struct SplitResultOwner {
  PgQuerySplitResult result;
  ~SplitResultOwner() { pg_query_free_split_result(result); }
};
struct PlpgsqlResultOwner {
  PgQueryPlpgsqlParseResult result;
  ~PlpgsqlResultOwner() { pg_query_free_plpgsql_parse_result(result); }
};

bool is_blank(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

// stmt_location starts right after the previous `;`: skip the blanks and comments in between so
// that a statement's position is that of its first token.
std::size_t skip_blanks_and_comments(std::string_view text, std::size_t at, std::size_t end) {
  while (at < end) {
    if (is_blank(text[at])) {
      ++at;
    } else if (text.substr(at, 2) == "--") {
      const std::size_t newline = text.find('\n', at);
      at = newline == std::string_view::npos ? end : newline + 1;
    } else if (text.substr(at, 2) == "/*") {
      // PostgreSQL block comments nest.
      int depth = 0;
      std::size_t i = at;
      do {
        if (text.substr(i, 2) == "/*") {
          ++depth;
          i += 2;
        } else if (text.substr(i, 2) == "*/") {
          --depth;
          i += 2;
        } else {
          ++i;
        }
      } while (depth > 0 && i < end);
      at = i;
    } else {
      break;
    }
  }
  return std::min(at, end);
}

std::size_t trim_end(std::string_view text, std::size_t begin, std::size_t end) {
  while (end > begin && is_blank(text[end - 1])) --end;
  return end;
}

}  // namespace

ParseError::ParseError(std::string message, bool has_position, std::size_t byte_offset,
                       SourcePosition position)
    : std::runtime_error(has_position ? message + " at line " + std::to_string(position.line) +
                                            ", column " + std::to_string(position.column)
                                      : message),
      parser_message_(std::move(message)),
      has_position_(has_position),
      byte_offset_(byte_offset),
      position_(position) {}

nlohmann::json parse_tree(std::string_view script) {
  const std::string text = terminated_copy(script);
  ParseResultOwner owner{pg_query_parse(text.c_str())};
  if (owner.result.error != nullptr) throw error_from(*owner.result.error, text);
  return nlohmann::json::parse(owner.result.parse_tree);
}

std::vector<Statement> parse_statements(std::string_view script) {
  nlohmann::json tree = parse_tree(script);
  std::vector<Statement> statements;
  if (!tree.contains("stmts")) return statements;
  for (nlohmann::json& raw : tree["stmts"]) {
    const auto location = raw.value("stmt_location", std::size_t{0});
    const auto length = raw.value("stmt_len", std::size_t{0});  // 0: to the end of the text
    const std::size_t stop = length == 0 ? script.size() : std::min(location + length, script.size());
    Statement statement;
    statement.begin = skip_blanks_and_comments(script, location, stop);
    statement.end = trim_end(script, statement.begin, stop);
    statement.tree = std::move(raw["stmt"]);
    statements.push_back(std::move(statement));
  }
  return statements;
}

std::vector<StatementRange> split_statements(std::string_view script) {
  const std::string text = terminated_copy(script);
  SplitResultOwner owner{pg_query_split_with_parser(text.c_str())};
  if (owner.result.error != nullptr) throw error_from(*owner.result.error, text);
  std::vector<StatementRange> ranges;
  ranges.reserve(static_cast<std::size_t>(owner.result.n_stmts));
  for (int i = 0; i < owner.result.n_stmts; ++i) {
    const PgQuerySplitStmt& raw = *owner.result.stmts[i];
    const auto location = static_cast<std::size_t>(raw.stmt_location);
    const auto length = static_cast<std::size_t>(raw.stmt_len);
    const std::size_t stop = length == 0 ? text.size() : std::min(location + length, text.size());
    StatementRange range;
    range.begin = skip_blanks_and_comments(text, location, stop);
    range.end = trim_end(text, range.begin, stop);
    ranges.push_back(range);
  }
  return ranges;
}

nlohmann::json parse_plpgsql(std::string_view statement_text) {
  const std::string text = terminated_copy(statement_text);
  PlpgsqlResultOwner owner{pg_query_parse_plpgsql(text.c_str())};
  if (owner.result.error != nullptr) {
    // PL/pgSQL errors carry no usable position.
    throw ParseError(owner.result.error->message != nullptr ? owner.result.error->message
                                                            : "PL/pgSQL syntax error",
                     false, 0, {});
  }
  if (owner.result.plpgsql_funcs == nullptr) return nlohmann::json::array();
  return nlohmann::json::parse(owner.result.plpgsql_funcs);
}

}  // namespace pmc::sql
