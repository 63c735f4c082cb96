// Prisma-style URLs against a real server: `?schema=` is the session's whole search_path from its
// first statement (and what RESET returns to), whatever characters the name holds; Prisma's pool
// and engine parameters are accepted and left out; socket_timeout limits each statement; a
// parameter neither libpq nor Prisma knows, or a Prisma value pmc cannot honour, is one clear
// error naming it, with the password masked.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "db_fixture.hpp"
#include "process.hpp"
#include "raw_sql.hpp"

namespace pmc::test {
namespace {

std::string quoted(const std::string& name) {
  std::string out = "\"";
  for (const char c : name) out += c == '"' ? std::string("\"\"") : std::string(1, c);
  return out + "\"";
}

// Every byte but the unreserved ones as %XX, as a careful user writes a URL.
std::string percent_encoded(const std::string& text) {
  static constexpr char kDigits[] = "0123456789ABCDEF";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (std::isalnum(byte) != 0 || c == '-' || c == '.' || c == '_' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kDigits[byte >> 4];
      out += kDigits[byte & 15];
    }
  }
  return out;
}

class PrismaUrl : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = fingerprinted_dev_database(ThrowawayCluster::shared().fresh_database("prisma_url"));
  }
  // A schema named `name` holding marker(name), the name as a value.
  void make_schema(const std::string& name) {
    const SqlResult made =
        run_sql(url_, "CREATE SCHEMA " + quoted(name) + "; CREATE TABLE " + quoted(name) +
                          ".marker AS SELECT " + sql_literal(name) + "::text AS name");
    ASSERT_TRUE(made.ok()) << made.error;
  }
  std::string url_;
};

TEST_F(PrismaUrl, SchemaIsTheWholeSearchPathFromTheStart) {
  make_schema("app");
  db::WritableConnection writer =
      db::connect_writable(dev_options(url_ + "&schema=app"), test_ci_pass());
  EXPECT_EQ(writer.environment(), "dev");  // the fingerprint stays public.database_metadata
  EXPECT_EQ(writer.url_schema(), std::optional<std::string>("app"));
  EXPECT_EQ(writer.query("SHOW search_path").text(0, 0), "\"app\"");
  EXPECT_EQ(writer.query("SELECT current_schema()").text(0, 0), "app");
  EXPECT_EQ(writer.query("SELECT name FROM marker").text(0, 0), "app");
  // A session default, as Prisma's startup parameter is: RESET comes back to it.
  writer.execute("SET search_path TO public");
  writer.execute("RESET search_path");
  EXPECT_EQ(writer.query("SELECT current_schema()").text(0, 0), "app");
  writer.execute("SET search_path TO public");
  writer.execute("RESET ALL");
  EXPECT_EQ(writer.query("SELECT current_schema()").text(0, 0), "app");

  db::ReadOnlyConnection reader = db::connect_read_only(dev_options(url_ + "&schema=app"));
  EXPECT_EQ(reader.query("SELECT current_schema()").text(0, 0), "app");
  EXPECT_EQ(reader.query("SHOW default_transaction_read_only").text(0, 0), "on");

  // The programs take the same URL.
  const ProcessResult verified =
      run_process({pmc_binary("pmc-verify-fingerprints"), "--database-url", url_ + "&schema=app",
                   "--expect-env", "dev"},
                  clean_environment());
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("healthy"), std::string::npos) << verified.out;
}

TEST_F(PrismaUrl, SchemaNamesCannotInjectSql) {
  ASSERT_TRUE(run_sql(url_, "CREATE TABLE public.victims (id integer)").ok());
  const std::vector<std::string> names = {
      "we\"ird",
      "semi; colon; DROP TABLE public.victims; --",
      "'); DROP TABLE public.victims; --",
      "\"; DROP TABLE public.victims; --",
      "back\\slash \\' \\\\",
      "x -c default_transaction_read_only=off",
      "tab\tand\nnewline -c role=nobody",
      "comma,public",
      "$user's",
      "ünïcødé 日本",
      " MixedCase ",
  };
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    make_schema(name);
    const std::string url = url_ + "&schema=" + percent_encoded(name);
    db::ReadOnlyConnection reader = db::connect_read_only(dev_options(url));
    EXPECT_EQ(reader.query("SELECT current_schema()").text(0, 0), name);
    EXPECT_EQ(reader.query("SELECT name FROM marker").text(0, 0), name);
    EXPECT_EQ(reader.query("SELECT count(*) FROM pg_catalog.current_schemas(false)").text(0, 0),
              "1");
    EXPECT_EQ(reader.query("SHOW default_transaction_read_only").text(0, 0), "on");
    EXPECT_EQ(reader.query("SELECT current_user = session_user").text(0, 0), "t");
    db::WritableConnection writer = db::connect_writable(dev_options(url), test_ci_pass());
    EXPECT_EQ(writer.query("SELECT name FROM marker").text(0, 0), name);
    EXPECT_EQ(writer.url_schema(), std::optional<std::string>(name));
  }
  EXPECT_EQ(sql_value(url_, "SELECT to_regclass('public.victims') IS NOT NULL"), "t");
  EXPECT_EQ(sql_value(
                url_, "SELECT count(*) FROM pg_namespace WHERE nspname = ANY (ARRAY[" +
                          [&] {
                            std::string list;
                            for (const std::string& name : names) {
                              list += (list.empty() ? "" : ", ") + sql_literal(name);
                            }
                            return list;
                          }() +
                          "])"),
            std::to_string(names.size()));
}

TEST_F(PrismaUrl, PoolAndEngineParametersAreAcceptedAndLeftOut) {
  db::WritableConnection connection = db::connect_writable(
      dev_options(url_ + "&connection_limit=5&pool_timeout=0&pgbouncer=true&statement_cache_size=0"
                         "&max_connection_lifetime=60&max_idle_connection_lifetime=300"
                         "&sslaccept=accept_invalid_certs&connect_timeout=5"),
      test_ci_pass());
  EXPECT_EQ(connection.query("SELECT current_schema()").text(0, 0), "public");
  EXPECT_EQ(connection.query("SHOW statement_timeout").text(0, 0), "0");
  EXPECT_FALSE(connection.url_schema());
}

TEST_F(PrismaUrl, SocketTimeoutLimitsEachStatement) {
  db::ReadOnlyConnection reader = db::connect_read_only(dev_options(url_ + "&socket_timeout=1"));
  EXPECT_EQ(reader.query("SHOW statement_timeout").text(0, 0), "1s");
  try {
    reader.query("SELECT pg_sleep(3)");
    FAIL() << "socket_timeout did not stop the statement";
  } catch (const db::DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "57014") << error.what();  // query_canceled
  }
  // An entry point's own statement timeout is the one that counts.
  db::ConnectOptions options = dev_options(url_ + "&socket_timeout=1");
  options.statement_timeout = std::chrono::milliseconds(400);
  EXPECT_EQ(db::connect_read_only(options).query("SHOW statement_timeout").text(0, 0), "400ms");
}

TEST(PrismaUrlRefusal, EachBadParameterIsOneClearErrorNamingIt) {
  const std::string base = "postgresql://app:pa55word@db.invalid/prod?";
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"nonsense=1", "\"nonsense\""},
      {"schema=", "schema is empty"},
      {"schema=a&schema=b", "schema is given twice"},
      {"schema=" + std::string(64, 'a'), "longer than PostgreSQL's 63-byte limit"},
      {"schema=%24user", "schema=$user cannot name a schema"},
      {"schema=%zz", "schema has a broken %-escape"},
      {"schema=a%00b", "schema has a broken %-escape"},
      {"connection_limit=many", "connection_limit=many is not a whole number"},
      {"pool_timeout=-1", "pool_timeout=-1 is not a whole number"},
      {"pgbouncer=yes", "pgbouncer=yes is not true or false"},
      {"socket_timeout=3.5", "socket_timeout=3.5 is not a whole number of seconds"},
      {"sslaccept=maybe", "sslaccept=maybe is neither strict nor accept_invalid_certs"},
      {"sslaccept=strict", "sslaccept=strict asks for a verified server certificate"},
      {"sslaccept=strict&sslmode=require", "only with sslmode=verify-full"},
      {"sslpassword=pa55word&sslidentity=client.p12", "sslidentity"},
  };
  for (const auto& [query, expected] : cases) {
    SCOPED_TRACE(query);
    try {
      db::connect_read_only(dev_options(base + query));
      FAIL() << "accepted";
    } catch (const Failure& failure) {
      EXPECT_EQ(failure.code(), "PMC-C001");
      EXPECT_EQ(failure.exit_code(), ExitCode::UsageOrInput);
      EXPECT_NE(failure.message().find(expected), std::string::npos) << failure.message();
      EXPECT_EQ(std::string(failure.what()).find("pa55word"), std::string::npos) << failure.what();
      EXPECT_EQ(failure.message().find('\n'), std::string::npos) << failure.message();
    }
  }
  // Prisma's names belong to its URLs: a keyword/value string is libpq's alone.
  try {
    db::connect_read_only(dev_options("host=/tmp dbname=prod schema=app"));
    FAIL() << "accepted";
  } catch (const Failure& failure) {
    EXPECT_EQ(failure.code(), "PMC-C001");
    EXPECT_NE(failure.message().find("\"schema\""), std::string::npos) << failure.message();
  }
  // From a program: one line, exit 2, the parameter named, the password masked.
  const ProcessResult refused =
      run_process({pmc_binary("pmc-verify-fingerprints"), "--database-url",
                   base + "schema=app&pool_size=4", "--expect-env", "dev"},
                  clean_environment());
  const std::string said = refused.out + refused.err;  // its report line, on stdout
  EXPECT_EQ(refused.exit_code, 2);
  EXPECT_EQ(std::count(said.begin(), said.end(), '\n'), 1) << said;
  EXPECT_NE(said.find("\"pool_size\""), std::string::npos) << said;
  EXPECT_NE(said.find("app:****@"), std::string::npos) << said;
  EXPECT_EQ(said.find("pa55word"), std::string::npos) << said;
}

}  // namespace
}  // namespace pmc::test
