// pmc::db against a real server: values travel only as parameters and identifiers only through
// libpq's escaping, so names and values with quotes, semicolons, backslashes and non-ASCII text
// come back byte for byte; transactions roll back unless committed; a read-only session cannot
// write; application_name and the timeouts are what the entry point asked for.
#include <gtest/gtest.h>

#include <chrono>

#include "db_fixture.hpp"
#include "pmc/fingerprint.hpp"
#include "process.hpp"
#include "raw_sql.hpp"

namespace pmc::test {
namespace {

const std::vector<std::string> kAwkwardTexts = {
    "it's",
    "a \"quoted\" value",
    "semi; colon; DROP TABLE victims; --",
    "'); DELETE FROM victims; --",
    "back\\slash \\' \\\\ \\x41",
    "$1 $2 %s %n {}",
    "ünïcødé — 日本語 — 🙂",
    "line\nbreak\ttab\r",
    "",
};

// Hex of the bytes, as PostgreSQL's encode(…, 'hex') prints them.
std::string hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xf]);
  }
  return out;
}

class Database : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = fingerprinted_dev_database(ThrowawayCluster::shared().fresh_database("db"));
  }
  std::string url_;
};

TEST_F(Database, ValuesRoundTripAsParametersUnharmed) {
  db::WritableConnection connection = db::connect_writable(dev_options(url_), test_ci_pass());
  connection.execute("CREATE TABLE victims (id serial PRIMARY KEY, value text)");
  db::Params values;
  for (const std::string& text : kAwkwardTexts) values.emplace_back(text);
  values.emplace_back(std::nullopt);
  for (const db::Param& value : values) {
    EXPECT_EQ(
        connection.execute("INSERT INTO victims (value) VALUES ($1)", {value}).affected_rows(), 1);
  }
  const db::Result back = connection.query("SELECT value FROM victims ORDER BY id");
  ASSERT_EQ(back.rows(), static_cast<int>(values.size()));
  for (int row = 0; row < back.rows(); ++row) {
    EXPECT_EQ(back.value(row, 0), values[static_cast<std::size_t>(row)]) << row;
  }
  // The same bytes, read by plain libpq: nothing was escaped twice or lost on the way in.
  const SqlResult raw = run_sql(url_,
                                "SELECT encode(convert_to(value, 'UTF8'), 'hex') FROM victims "
                                "WHERE value IS NOT NULL ORDER BY id");
  ASSERT_TRUE(raw.ok()) << raw.error;
  ASSERT_EQ(raw.rows.size(), kAwkwardTexts.size());
  for (std::size_t i = 0; i < kAwkwardTexts.size(); ++i) {
    EXPECT_EQ(raw.rows[i][0].value_or("<null>"), hex(kAwkwardTexts[i])) << kAwkwardTexts[i];
  }
  EXPECT_EQ(sql_value(url_, "SELECT count(*) FROM victims"), std::to_string(values.size()));
  // As a comparison value too: each text finds exactly its own row.
  for (const std::string& text : kAwkwardTexts) {
    EXPECT_EQ(connection.query("SELECT count(*) FROM victims WHERE value = $1", {text}).text(0, 0),
              "1")
        << text;
  }
}

TEST_F(Database, IdentifiersRoundTripThroughLibpqEscaping) {
  db::WritableConnection connection = db::connect_writable(dev_options(url_), test_ci_pass());
  const std::vector<std::string> names = {"Odd \"table\"; DROP TABLE victims; --",
                                          "back\\slash\\",
                                          "ünïcødé tåble 日本",
                                          "MixedCase",
                                          "select",
                                          "it's"};
  for (const std::string& name : names) {
    const std::string table = connection.quote_identifier(name);
    const std::string column = connection.quote_identifier(name + " column");
    connection.execute("CREATE TABLE " + table + " (" + column + " text)");
    connection.execute("INSERT INTO " + table + " (" + column + ") VALUES ($1)", {name});
    EXPECT_EQ(connection.query("SELECT " + column + " FROM " + table).text(0, 0), name);
    EXPECT_EQ(connection
                  .query("SELECT count(*) FROM pg_catalog.pg_class WHERE relname = $1 AND "
                         "relnamespace = 'public'::regnamespace",
                         {name})
                  .text(0, 0),
              "1")
        << name;
    EXPECT_EQ(connection
                  .query("SELECT attname FROM pg_catalog.pg_attribute WHERE attrelid = "
                         "to_regclass($1) AND attnum = 1",
                         {table})
                  .text(0, 0),
              name + " column");
  }
  // The server sees exactly these tables and nothing was dropped along the way.
  EXPECT_EQ(sql_value(url_, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'"),
            std::to_string(names.size() + 1));  // + database_metadata
}

TEST_F(Database, ADatabaseWithAnAwkwardNameIsFingerprintedAndVerified) {
  const std::string name = "pmc odd 'name'; DROP DATABASE x; -- \\ ünïcødé";
  ThrowawayCluster& cluster = ThrowawayCluster::shared();
  cluster.create_database(name);
  const std::string url = keyword_url(cluster.dir().string(), name);
  fingerprinted_dev_database(url);
  db::ReadOnlyConnection reader = db::connect_read_only(dev_options(url));
  EXPECT_EQ(reader.environment(), "dev");
  EXPECT_EQ(reader.query("SELECT current_database()").text(0, 0), name);
  EXPECT_EQ(sql_value(url, "SELECT database_name FROM public.database_metadata"), name);

  Environment environment = clean_environment();
  const ProcessResult verified = run_process(
      {pmc_binary("pmc-verify-fingerprints"), "--database-url", url, "--expect-env", "dev"},
      environment);
  EXPECT_EQ(verified.exit_code, 0) << verified.out << verified.err;
  EXPECT_NE(verified.out.find("healthy: environment \"dev\", database \"" + name + "\""),
            std::string::npos)
      << verified.out;
}

TEST_F(Database, ATransactionRollsBackUnlessCommitted) {
  db::WritableConnection connection = db::connect_writable(dev_options(url_), test_ci_pass());
  connection.execute("CREATE TABLE kept (value text)");
  {
    db::Transaction transaction = connection.begin();
    connection.execute("INSERT INTO kept VALUES ($1)", {std::string("dropped")});
    EXPECT_EQ(connection.query("SELECT count(*) FROM kept").text(0, 0), "1");
  }
  EXPECT_EQ(sql_value(url_, "SELECT count(*) FROM kept"), "0");
  {
    db::Transaction transaction = connection.begin();
    connection.execute("INSERT INTO kept VALUES ($1)", {std::string("committed")});
    transaction.commit();
    EXPECT_THROW(transaction.commit(), Failure);
  }
  EXPECT_EQ(sql_value(url_, "SELECT value FROM kept"), "committed");
  {  // a moved transaction rolls back once, through its new owner
    db::Transaction first = connection.begin();
    connection.execute("INSERT INTO kept VALUES ($1)", {std::string("moved")});
    db::Transaction second = std::move(first);
  }
  EXPECT_EQ(sql_value(url_, "SELECT count(*) FROM kept"), "1");
}

TEST_F(Database, AReadOnlyConnectionCannotWrite) {
  db::ReadOnlyConnection reader = db::connect_read_only(dev_options(url_));
  try {
    reader.query("CREATE TABLE written (id int)");
    FAIL() << "a read-only session wrote";
  } catch (const db::DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "25006") << error.what();  // read_only_sql_transaction
  }
  EXPECT_EQ(sql_value(url_, "SELECT to_regclass('public.written') IS NULL"), "t");
}

TEST_F(Database, OneQueryIsOneStatement) {
  db::WritableConnection connection = db::connect_writable(dev_options(url_), test_ci_pass());
  try {
    connection.execute("CREATE TABLE a (id int); CREATE TABLE b (id int)");
    FAIL() << "two statements ran as one parameterised query";
  } catch (const db::DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "42601") << error.what();
  }
  EXPECT_EQ(sql_value(url_, "SELECT to_regclass('public.a') IS NULL"), "t");
}

TEST_F(Database, SessionsCarryTheEntryPointsNameAndTimeouts) {
  db::ConnectOptions options = dev_options(url_ + "&application_name=someone-else");
  options.application_name = "pmc-db-test-entry";
  options.statement_timeout = std::chrono::milliseconds(400);
  options.lock_timeout = std::chrono::milliseconds(700);
  db::WritableConnection connection = db::connect_writable(options, test_ci_pass());
  EXPECT_EQ(connection.query("SELECT current_setting('application_name')").text(0, 0),
            "pmc-db-test-entry");
  EXPECT_EQ(connection.query("SHOW statement_timeout").text(0, 0), "400ms");
  EXPECT_EQ(connection.query("SHOW lock_timeout").text(0, 0), "700ms");
  try {
    connection.query("SELECT pg_sleep(5)");
    FAIL() << "statement_timeout did not stop the statement";
  } catch (const db::DatabaseError& error) {
    EXPECT_EQ(error.sqlstate(), "57014") << error.what();  // query_canceled
  }
  db::ReadOnlyConnection reader = db::connect_read_only(dev_options(url_));
  EXPECT_EQ(reader.query("SHOW default_transaction_read_only").text(0, 0), "on");
  EXPECT_EQ(reader.query("SHOW statement_timeout").text(0, 0), "0");  // unset: server default
}

TEST(Connect, NeedsAnExpectedEnvironmentAndAUsableUrl) {
  db::ConnectOptions options = dev_options(ThrowawayCluster::shared().url());
  options.expected_environment = "";
  try {
    db::connect_read_only(options);
    FAIL() << "connected without an expected environment";
  } catch (const Failure& failure) {
    EXPECT_EQ(failure.code(), "PMC-F008");
    EXPECT_EQ(failure.exit_code(), ExitCode::UsageOrInput);
  }
  options = dev_options("postgresql://user:pa55word@[bad");
  try {
    db::connect_read_only(options);
    FAIL() << "an unparsable URL was accepted";
  } catch (const Failure& failure) {
    EXPECT_EQ(failure.code(), "PMC-C001");
    EXPECT_EQ(failure.exit_code(), ExitCode::UsageOrInput);
    EXPECT_EQ(std::string(failure.what()).find("pa55word"), std::string::npos) << failure.what();
  }
}

TEST(Connect, APermanentFailureIsNotRetried) {
  db::ConnectOptions options = dev_options(ThrowawayCluster::shared().url("no_such_database"));
  options.connect_budget = std::chrono::seconds(20);
  const auto started = std::chrono::steady_clock::now();
  try {
    db::connect_read_only(options);
    FAIL() << "connected to a database that does not exist";
  } catch (const Failure& failure) {
    EXPECT_EQ(failure.code(), "PMC-C003") << failure.what();
    EXPECT_NE(failure.detail().find("does not exist"), std::string::npos) << failure.detail();
  }
  EXPECT_LT(std::chrono::steady_clock::now() - started, std::chrono::seconds(5));
}

TEST(MaskPassword, HidesEverySecretAndKeepsTheRest) {
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"postgresql://app:s3cret@db.example.com:5432/prod",
       "postgresql://app:****@db.example.com:5432/prod"},
      {"postgres://app:p@ss:w0rd@host/db?sslmode=require",
       "postgres://app:****@host/db?sslmode=require"},
      {"postgresql://app@host/db?password=s3cret&sslmode=require",
       "postgresql://app@host/db?password=****&sslmode=require"},
      {"postgresql://host/db?sslpassword=s3cret", "postgresql://host/db?sslpassword=****"},
      {"host=db user=app password=s3cret dbname=prod",
       "host=db user=app password=**** dbname=prod"},
      {"host=db password = 'it\\'s s3cret' dbname=prod", "host=db password = **** dbname=prod"},
      {"password=s3cret host=db", "password=**** host=db"},
      {"host=db sslpassword=s3cret", "host=db sslpassword=****"},
      {"postgresql://host:5432/db", "postgresql://host:5432/db"},
      {"postgresql://app@host/db", "postgresql://app@host/db"},
  };
  for (const auto& [url, masked] : cases) EXPECT_EQ(db::mask_password(url), masked) << url;
}

}  // namespace
}  // namespace pmc::test
