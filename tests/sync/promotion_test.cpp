// pmc-sync-reference-data against real dev and prod databases (fingerprinted dev and prod), run
// as a real subprocess: the plan, the apply, the refusals, a kill -9 mid-apply, odd names.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "pmc/contract.hpp"
#include "pmc/db.hpp"
#include "pmc/fingerprint_access.hpp"
#include "pmc/guard.hpp"
#include "pmc/sync/apply.hpp"
#include "pmc/sync/snapshot.hpp"
#include "process.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {
namespace {

// Runs SQL on a raw connection (tests may); returns the first column of every row.
std::vector<std::string> sql(const std::string& url, const std::string& statement) {
  PGconn* conn = PQconnectdb(url.c_str());
  EXPECT_EQ(PQstatus(conn), CONNECTION_OK) << PQerrorMessage(conn);
  PGresult* result = PQexec(conn, statement.c_str());
  const auto status = PQresultStatus(result);
  EXPECT_TRUE(status == PGRES_TUPLES_OK || status == PGRES_COMMAND_OK)
      << statement << ": " << PQresultErrorMessage(result);
  std::vector<std::string> values;
  for (int row = 0; status == PGRES_TUPLES_OK && row < PQntuples(result); ++row) {
    values.emplace_back(PQgetvalue(result, row, 0));
  }
  PQclear(result);
  PQfinish(conn);
  return values;
}

std::string one(const std::string& url, const std::string& statement) {
  const auto values = sql(url, statement);
  return values.empty() ? std::string("<no row>") : values.front();
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

enum class Sequences { Included, LeftOut };

// pg_dump --data-only without Debian's random \restrict / \unrestrict lines. Sequence positions
// can be left out: PostgreSQL advances sequences outside transactions, so a rolled-back insert
// still moves them (a gap in ids, never a row).
std::string data_dump(const std::string& url, Sequences sequences = Sequences::Included) {
  const ProcessResult dump = run_process(
      {std::string(PMC_PG_BINDIR) + "/pg_dump", "--data-only", "--dbname", url},
      clean_environment());
  EXPECT_EQ(dump.exit_code, 0) << dump.err;
  std::istringstream lines(dump.out);
  std::string kept;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("\\restrict", 0) == 0 || line.rfind("\\unrestrict", 0) == 0) continue;
    if (sequences == Sequences::LeftOut && line.rfind("SELECT pg_catalog.setval(", 0) == 0) continue;
    kept += line + '\n';
  }
  return kept;
}

class Promotion : public ::testing::Test {
 protected:
  void SetUp() override {
    ThrowawayCluster& cluster = ThrowawayCluster::shared();
    dev_ = cluster.fresh_database("sync_dev");
    prod_ = cluster.fresh_database("sync_prod");
    const std::string schema = read_file(std::string(PMC_SOURCE_DIR) +
                                         "/fixtures/reference-data/schema.sql");
    sql(dev_, schema);
    sql(prod_, schema);
    // The test process writes the fingerprints itself; it may claim to be CI.
    setenv("CI", "true", 1);
    const guard::CiPass pass = guard::enforce_ci_only_execution();
    for (const auto& [url, environment] : {std::pair{dev_, "dev"}, std::pair{prod_, "prod"}}) {
      db::ConnectOptions options;
      options.url = url;
      options.application_name = "sync-test";
      options.expected_environment = environment;
      db::connect_for_fingerprint_init(options, pass).write_first(environment);
    }
  }

  ProcessResult sync(std::vector<std::string> arguments, const std::string& input = "",
                     bool in_ci = true) {
    Environment environment = clean_environment();
    if (in_ci) environment["CI"] = "true";
    environment["DEV_DATABASE_URL"] = dev_;
    environment["PROD_DATABASE_URL"] = prod_;
    arguments.insert(arguments.begin(), pmc_binary("pmc-sync-reference-data"));
    return run_process(arguments, environment, input);
  }

  void seed_example() {
    sql(dev_,
        "INSERT INTO service_categories (name, description, icon) VALUES "
        "('Home', 'Inside', 'house'), ('Garden', 'Outside', 'tree');"
        "INSERT INTO services (name, description, \"categoryId\", \"basePrice\") VALUES "
        "('Cleaning', 'Clean', 1, 10.00), ('Mowing', 'Mow', 2, 20.00),"
        "('Booked', 'B', 1, 50.00), ('Provided', 'P', 1, 60.00)");
    // Prod's ids differ from dev's: Garden is 1 here, Home does not exist yet.
    sql(prod_,
        "INSERT INTO service_categories (name, description, icon) VALUES "
        "('Garden', 'Outside', 'tree'), ('Prod only category', NULL, NULL);"
        "INSERT INTO services (name, description, \"categoryId\", \"basePrice\") VALUES "
        "('Mowing', 'Mow', 1, 15.00), ('Booked', 'B', 1, 40.00), ('Provided', 'P', 1, 30.00),"
        "('Prod only', 'kept', 2, 1.00);"
        "INSERT INTO bookings (\"serviceId\", customer) VALUES (2, 'Ann');"
        "INSERT INTO providers (name) VALUES ('Bob');"
        "INSERT INTO provider_services (\"providerId\", \"serviceId\") VALUES (1, 3)");
  }

  std::string dev_, prod_;
};

TEST_F(Promotion, AppliesCreatesUpdatesMapsCategoriesAndSkipsProtectedRows) {
  seed_example();
  const ProcessResult dry = sync({});
  ASSERT_EQ(dry.exit_code, 0) << dry.err;
  EXPECT_NE(dry.out.find("protected"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("bookings.serviceId"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("provider_services.serviceId"), std::string::npos) << dry.out;
  EXPECT_NE(dry.out.find("basePrice: \"15.00\" -> \"20.00\""), std::string::npos) << dry.out;
  EXPECT_EQ(one(prod_, "SELECT count(*) FROM services"), "4");  // the dry run wrote nothing

  const ProcessResult applied = sync({"--apply"}, "YES\n");
  ASSERT_EQ(applied.exit_code, 0) << applied.err << applied.out;
  // Cleaning is created under prod's own id of Home (mapped by name).
  EXPECT_EQ(one(prod_, "SELECT c.name FROM services s JOIN service_categories c "
                       "ON c.id = s.\"categoryId\" WHERE s.name = 'Cleaning'"),
            "Home");
  EXPECT_EQ(one(prod_, "SELECT \"basePrice\" FROM services WHERE name = 'Mowing'"), "20.00");
  EXPECT_EQ(one(prod_, "SELECT \"basePrice\" FROM services WHERE name = 'Booked'"), "40.00");
  EXPECT_EQ(one(prod_, "SELECT \"basePrice\" FROM services WHERE name = 'Provided'"), "30.00");
  EXPECT_EQ(one(prod_, "SELECT description FROM services WHERE name = 'Prod only'"), "kept");
  EXPECT_EQ(one(prod_, "SELECT count(*) FROM service_categories WHERE name = 'Prod only category'"),
            "1");
  EXPECT_EQ(one(prod_, "SELECT count(*) FROM services"), "5");
  EXPECT_EQ(one(prod_, "SELECT count(*) FROM bookings"), "1");

  // A second run plans nothing and changes nothing, byte for byte.
  const std::string before = data_dump(prod_);
  const ProcessResult again = sync({"--apply", "--format", "json"}, "YES\n");
  ASSERT_EQ(again.exit_code, 0) << again.err;
  const nlohmann::json plan = nlohmann::json::parse(again.out.substr(0, again.out.find('\n')));
  EXPECT_EQ(plan["summary"]["create"], 0);
  EXPECT_EQ(plan["summary"]["update"], 0);
  EXPECT_EQ(plan["summary"]["protected"], 2);
  EXPECT_EQ(data_dump(prod_), before);
}

TEST_F(Promotion, ApplyOutsideCiIsRefusedBeforeAnyConnection) {
  seed_example();
  const std::string log = ThrowawayCluster::shared().server_log().string();
  const std::size_t log_before = read_file(log).size();
  const ProcessResult refused = sync({"--apply"}, "YES\n", /*in_ci=*/false);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("CI"), std::string::npos) << refused.err;
  EXPECT_EQ(read_file(log).substr(log_before).find("connection received"), std::string::npos);
  EXPECT_EQ(one(prod_, "SELECT count(*) FROM services"), "4");
}

TEST_F(Promotion, AnythingButYesAbortsWithNothingWritten) {
  seed_example();
  const std::string before = data_dump(prod_);
  for (const std::string input : {"", "yes\n", "YES please\n", " YES\n", "NO\n"}) {
    const ProcessResult aborted = sync({"--apply"}, input);
    EXPECT_EQ(aborted.exit_code, 1) << input;
    EXPECT_NE(aborted.err.find("PMC-5008"), std::string::npos) << aborted.err;
    EXPECT_EQ(data_dump(prod_), before) << input;
  }
}

TEST_F(Promotion, SwappedUrlsAreRefusedByTheFingerprints) {
  seed_example();
  const std::string before = data_dump(prod_);
  const std::string dev_before = data_dump(dev_);
  const ProcessResult swapped =
      sync({"--apply", "--dev-url", prod_, "--prod-url", dev_}, "YES\n");
  EXPECT_EQ(swapped.exit_code, 1) << swapped.err;
  EXPECT_NE(swapped.err.find("PMC-F003"), std::string::npos) << swapped.err;
  EXPECT_EQ(data_dump(prod_), before);
  EXPECT_EQ(data_dump(dev_), dev_before);
}

TEST_F(Promotion, AContractNamingATableOutsideTheAllowlistIsRefused) {
  seed_example();
  sql(prod_, "CREATE TABLE users (id serial PRIMARY KEY, name text, \"isActive\" boolean)");
  const std::string before = data_dump(prod_);
  contract::Contract wider = contract::embedded();
  contract::ReferenceTable users = *wider.find_reference_table("service_categories");
  users.table = "users";
  users.columns = {"name", "isActive"};
  wider.reference_data.push_back(users);

  db::ConnectOptions options;
  options.url = dev_;
  options.application_name = "sync-test";
  options.expected_environment = "dev";
  db::ReadOnlyConnection dev = db::connect_read_only(options);
  const sync::Snapshot dev_rows = sync::read_snapshot(dev, contract::embedded(),
                                                      sync::Protection::Ignore);
  try {
    sync::read_snapshot(dev, wider, sync::Protection::Ignore);
    FAIL() << "the builder read a table outside the allowlist";
  } catch (const Failure& failure) {
    EXPECT_EQ(failure.code(), "PMC-5001");
    EXPECT_EQ(failure.exit_code(), ExitCode::Refused);
  }
  options.url = prod_;
  options.expected_environment = "prod";
  const guard::CiPass pass = guard::enforce_ci_only_execution();
  db::WritableConnection prod = db::connect_writable(options, pass);
  sync::Snapshot with_users = dev_rows;
  with_users.tables.push_back({"users", users.columns, {}, {}});
  EXPECT_THROW(sync::apply_reference_sync(prod, with_users, wider), Failure);
  EXPECT_EQ(data_dump(prod_), before);
}

TEST_F(Promotion, KillDashNineMidApplyLeavesProdAsBefore) {
  seed_example();
  const std::string before = data_dump(prod_, Sequences::LeftOut);
  // Hold Mowing's row: the sync locks its tables, inserts, then waits on this row's update.
  PGconn* holder = PQconnectdb(prod_.c_str());
  ASSERT_EQ(PQstatus(holder), CONNECTION_OK);
  PQclear(PQexec(holder, "BEGIN; SELECT 1 FROM services WHERE name = 'Mowing' FOR UPDATE"));

  const std::string yes = ThrowawayCluster::shared().dir().string() + "/yes.txt";
  std::ofstream(yes) << "YES\n";
  Environment environment = clean_environment();
  environment["CI"] = "true";
  environment["DEV_DATABASE_URL"] = dev_;
  environment["PROD_DATABASE_URL"] = prod_;
  const int pid = spawn_detached(
      {"/bin/sh", "-c", "exec \"$0\" --apply < \"$1\"", pmc_binary("pmc-sync-reference-data"),
       yes},
      environment, ThrowawayCluster::shared().dir().string() + "/kill-test.log");
  const std::string waiting =
      "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pmc-sync-reference-data' "
      "AND wait_event_type = 'Lock' AND datname = current_database()";
  bool blocked = false;
  for (int i = 0; i < 300 && !blocked; ++i) {
    blocked = one(prod_, waiting) == "1";
    if (!blocked) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(blocked) << read_file(ThrowawayCluster::shared().dir().string() + "/kill-test.log");
  // The sync is mid-transaction: its inserts are done, its update waits.
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFSIGNALED(status));
  PQclear(PQexec(holder, "ROLLBACK"));
  PQfinish(holder);
  const std::string gone =
      "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pmc-sync-reference-data'";
  for (int i = 0; i < 100 && one(prod_, gone) != "0"; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  EXPECT_EQ(data_dump(prod_, Sequences::LeftOut), before);
}

TEST_F(Promotion, NamesWithQuotesSemicolonsBackslashesAndNonAsciiRoundTrip) {
  sql(dev_,
      "INSERT INTO service_categories (name, description, icon) VALUES "
      "(E'O''Brien\\'s \"quoted\"; DROP TABLE services; --', E'line\\nbreak', E'\\\\'),"
      "('Ünïcødé 日本 🚀', '{\"a\",NULL}', 'NULL');"
      "INSERT INTO services (name, description, \"categoryId\", \"basePrice\") VALUES "
      "(E'back\\\\slash \\\\\" ); DELETE FROM services; --', NULL, 1, 1.50),"
      "('Ünïcødé service ß', E'tab\\there', 2, 2.25)");
  const ProcessResult applied = sync({"--apply"}, "YES\n");
  ASSERT_EQ(applied.exit_code, 0) << applied.err << applied.out;
  const std::string rows =
      "SELECT string_agg(format('%s|%s|%s|%s|%s', s.name, s.description, c.name, c.description, "
      "c.icon), E'\\n' ORDER BY s.name) FROM services s JOIN service_categories c "
      "ON c.id = s.\"categoryId\"";
  EXPECT_EQ(one(prod_, rows), one(dev_, rows));
  EXPECT_EQ(one(prod_, "SELECT count(*) FROM services"), "2");
  const ProcessResult again = sync({"--format", "json"});
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(nlohmann::json::parse(again.out)["summary"]["writes_anything"], false) << again.out;
}

TEST(DeprecatedSync, ExitsOneNamingItsReplacement) {
  Environment environment = clean_environment();
  environment["CI"] = "true";
  const ProcessResult result =
      run_process({pmc_binary("pmc-sync-dev-to-prod-services"), "--apply"}, environment, "YES\n");
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_NE(result.err.find("pmc-sync-reference-data"), std::string::npos);
  EXPECT_EQ(std::count(result.err.begin(), result.err.end(), '\n'), 1);
  EXPECT_TRUE(result.out.empty());
}

}  // namespace
}  // namespace pmc::test
