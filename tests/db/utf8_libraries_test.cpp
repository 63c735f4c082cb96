// libpq and libpg_query in one program (libpg_query-notes.md: both export pg_utf_mblen): UTF-8
// goes through PostgreSQL's parser and through a libpq session, and both agree on every byte.
#include <gtest/gtest.h>

#include "db_fixture.hpp"
#include "pmc/sql/parser.hpp"

namespace pmc::test {
namespace {

TEST(LibpqWithLibpgQuery, Utf8TextSurvivesTheParserAndTheServer) {
  const std::string url =
      fingerprinted_dev_database(ThrowawayCluster::shared().fresh_database("utf8"));
  db::ReadOnlyConnection connection = db::connect_read_only(dev_options(url));
  const std::string column = "spalte_äöü_日本_🙂";
  const std::string literal = "ünïcødé ✓ — 日本語 — 🙂";
  const std::string parameter = "paramètre 'quoted' ; \\ 🙂";
  // PQescapeIdentifier walks the name with the encoding's character lengths (pg_utf_mblen).
  const std::string quoted = connection.quote_identifier(column);
  EXPECT_EQ(quoted, "\"" + column + "\"");
  const std::string statement =
      "SELECT '" + literal + "' AS " + quoted + ", $1::text AS \"zweite_ß\"";

  const std::vector<sql::Statement> parsed = sql::parse_statements(statement);
  ASSERT_EQ(parsed.size(), 1u);
  const nlohmann::json& targets = parsed[0].tree.at("SelectStmt").at("targetList");
  ASSERT_EQ(targets.size(), 2u);
  EXPECT_EQ(targets[0]["ResTarget"]["name"], column);
  EXPECT_EQ(targets[0]["ResTarget"]["val"]["A_Const"]["sval"]["sval"], literal);
  EXPECT_EQ(targets[1]["ResTarget"]["name"], "zweite_ß");
  EXPECT_EQ(parsed[0].text(statement), statement);

  const db::Result result = connection.query(statement, {parameter});
  EXPECT_EQ(result.column_name(0), column);
  EXPECT_EQ(result.column_name(1), "zweite_ß");
  EXPECT_EQ(result.text(0, 0), literal);
  EXPECT_EQ(result.text(0, 1), parameter);
  EXPECT_EQ(connection.query("SELECT length($1), octet_length($1)", {literal}).text(0, 0),
            "19");  // characters, not bytes: the server read UTF-8 as UTF-8
}

}  // namespace
}  // namespace pmc::test
