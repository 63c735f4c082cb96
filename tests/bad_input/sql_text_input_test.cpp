// The bad-input matrix, SQL text: what the parser wrapper (pmc/sql/parser.hpp) is given may be
// any bytes (migration files, string literals the auditor reads). Text that is not UTF-8 made
// libpg_query return JSON nlohmann::json refused, so an exception of another type escaped every
// caller (found by fuzz/sql_parser_fuzzer.cpp; the input is
// fixtures/fuzz/sql_parser/crash-invalid-utf8-in-a-dollar-quoted-body.sql). It is a ParseError
// with the place of the first bad byte now.
#include <gtest/gtest.h>

#include <string>

#include "pmc/sql/parser.hpp"

namespace pmc::test {
namespace {

void expect_parse_error_at(const std::string& text, std::size_t byte, int line, int column) {
  for (int entry = 0; entry < 3; ++entry) {
    try {
      if (entry == 0) sql::parse_statements(text);
      if (entry == 1) sql::split_statements(text);
      if (entry == 2) sql::parse_plpgsql(text);
      ADD_FAILURE() << "accepted by entry point " << entry;
    } catch (const sql::ParseError& error) {
      EXPECT_EQ(error.parser_message(), "the SQL text is not valid UTF-8 (byte " +
                                            std::to_string(byte) + ")");
      EXPECT_TRUE(error.has_position());
      EXPECT_EQ(error.byte_offset(), byte);
      EXPECT_EQ(error.position().line, line);
      EXPECT_EQ(error.position().column, column);
    }
  }
}

TEST(SqlTextInput, BytesThatAreNotUtf8InADollarQuotedBodyAreAParseErrorWithTheirPlace) {
  expect_parse_error_at("DO $$\nBEGIN\n  RAISE NOTICE 'caf\xff';\nEND $$;\n", 31, 3, 20);
}

TEST(SqlTextInput, BytesThatAreNotUtf8InAStringLiteralAreAParseErrorWithTheirPlace) {
  expect_parse_error_at("SELECT 'caf\xe9';", 11, 1, 12);
  // A truncated sequence at the very end, an overlong, a surrogate.
  expect_parse_error_at("SELECT 1; -- \xe2\x82", 13, 1, 14);
  expect_parse_error_at("SELECT '\xc0\xaf';", 8, 1, 9);
  expect_parse_error_at("SELECT '\xed\xa0\x80';", 8, 1, 9);
}

TEST(SqlTextInput, WellFormedUtf8StillParses) {
  EXPECT_EQ(sql::parse_statements("SELECT 'café', '日本', '\xf0\x9f\x98\x80';").size(), 1u);
}

}  // namespace
}  // namespace pmc::test
