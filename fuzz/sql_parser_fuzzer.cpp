// libFuzzer target: the SQL parser wrapper (pmc/sql/parser.hpp) on arbitrary text: statements
// with their byte ranges, the split, PL/pgSQL bodies and positions. It must parse or throw
// ParseError, and what it returns must hold together (ranges inside the text, in order, the split
// agreeing with the parse).
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <vector>

#include "pmc/sql/parser.hpp"

namespace {

void check_position(std::string_view text, std::size_t byte) {
  const pmc::sql::SourcePosition position = pmc::sql::position_of_byte(text, byte);
  if (position.line < 1 || position.column < 1) std::abort();
}

void check_statements(std::string_view text) {
  const std::vector<pmc::sql::Statement> statements = pmc::sql::parse_statements(text);
  std::size_t previous_end = 0;
  for (const pmc::sql::Statement& statement : statements) {
    if (statement.begin > statement.end || statement.end > text.size() ||
        statement.begin < previous_end) {
      std::abort();
    }
    previous_end = statement.end;
    check_position(text, statement.begin);
    check_position(text, statement.end);
    (void)statement.text(text);
    // PL/pgSQL bodies, as the resolution reads them.
    if (statement.tree.contains("DoStmt") || statement.tree.contains("CreateFunctionStmt")) {
      try {
        (void)pmc::sql::parse_plpgsql(statement.text(text));
      } catch (const pmc::sql::ParseError&) {
      }
    }
  }
  const std::vector<pmc::sql::StatementRange> ranges = pmc::sql::split_statements(text);
  for (const pmc::sql::StatementRange& range : ranges) {
    if (range.begin > range.end || range.end > text.size()) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    check_statements(text);
  } catch (const pmc::sql::ParseError& error) {
    if (error.has_position() && error.byte_offset() > text.size()) std::abort();
  }
  for (int character = 1; character <= 64; character *= 2) {
    if (pmc::sql::byte_of_character(text, character) > text.size()) std::abort();
  }
  return 0;
}
