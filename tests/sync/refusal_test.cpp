// What pmc-sync-reference-data refuses, and that each refusal leaves both databases as they
// were: --apply outside CI (before any connection), no YES, swapped URLs, a contract naming a
// table outside the allowlist, and a kill -9 in the middle of the apply.
#include <libpq-fe.h>
#include <signal.h>
#include <sys/wait.h>

#include <chrono>
#include <fstream>
#include <thread>

#include "pmc/contract.hpp"
#include "pmc/db.hpp"
#include "pmc/error.hpp"
#include "pmc/guard.hpp"
#include "pmc/sync/apply.hpp"
#include "pmc/sync/snapshot.hpp"
#include "promotion_fixture.hpp"
#include "server_log.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {
namespace {

TEST_F(Promotion, ApplyOutsideCiIsRefusedBeforeAnyConnection) {
  seed_example();
  const std::string before = data_dump(prod_);
  {
    // The witness works: a dry run (in CI) is seen connecting to dev and to prod.
    const ServerLogWatch log(ThrowawayCluster::shared());
    ASSERT_EQ(sync({}).exit_code, 0);
    EXPECT_GE(log.connection_lines().size(), 2u) << log.new_text();
  }
  struct Case {
    std::vector<std::string> arguments;
    int exit_code;
    const char* says;
  };
  for (const Case& refused : {Case{{"--apply"}, 1, "CI"}, Case{{"--dry-run", "--apply"}, 1, "CI"},
                              Case{{"--format", "json", "--apply"}, 1, "CI"},
                              // Not the bare flag: the guard cannot see it, so it is refused
                              // as usage, in or out of CI, still before any connection.
                              Case{{"--apply=true"}, 2, "PMC-5020"}}) {
    const ServerLogWatch log(ThrowawayCluster::shared());
    const ProcessResult result = sync(refused.arguments, "YES\n", /*in_ci=*/false);
    EXPECT_EQ(result.exit_code, refused.exit_code) << refused.arguments.back() << result.err;
    EXPECT_NE(result.err.find(refused.says), std::string::npos) << result.err;
    EXPECT_TRUE(result.out.empty()) << result.out;
    EXPECT_EQ(log.connection_lines(), std::vector<std::string>{}) << refused.arguments.back();
  }
  const ServerLogWatch log(ThrowawayCluster::shared());
  const ProcessResult in_ci = sync({"--apply=true"}, "YES\n");
  EXPECT_EQ(in_ci.exit_code, 2) << in_ci.err;
  EXPECT_EQ(log.connection_lines(), std::vector<std::string>{});
  EXPECT_EQ(data_dump(prod_), before);
}

TEST_F(Promotion, AnythingButTheLineYesAbortsWithNothingWritten) {
  seed_example();
  const std::string before = data_dump(prod_);
  for (const std::string input : {"", "\n", "yes\n", "Yes\n", "YES please\n", " YES\n", "YES \n",
                                  "YES\r\n", "\nYES\n", "NO\nYES\n", "Y\n"}) {
    const ProcessResult aborted = sync({"--apply"}, input);
    EXPECT_EQ(aborted.exit_code, 1) << input;
    EXPECT_NE(aborted.err.find("PMC-5008"), std::string::npos) << aborted.err;
    EXPECT_EQ(data_dump(prod_), before) << input;
  }
  // The control: the same run with the line YES writes.
  ASSERT_EQ(sync({"--apply"}, "YES\n").exit_code, 0);
  EXPECT_NE(data_dump(prod_), before);
}

TEST_F(Promotion, SwappedOrRepeatedUrlsAreRefusedByTheFingerprints) {
  seed_example();
  const std::string before = data_dump(prod_);
  const std::string dev_before = data_dump(dev_);
  for (const std::vector<std::string>& urls :
       {std::vector<std::string>{"--dev-url", prod_, "--prod-url", dev_},
        std::vector<std::string>{"--prod-url", dev_},     // dev given as prod
        std::vector<std::string>{"--dev-url", prod_}}) {  // prod given as dev
    for (const bool apply : {true, false}) {
      std::vector<std::string> arguments = urls;
      if (apply) arguments.push_back("--apply");
      const ProcessResult refused = sync(arguments, "YES\n");
      EXPECT_EQ(refused.exit_code, 1) << refused.err;
      EXPECT_NE(refused.err.find("PMC-F003"), std::string::npos) << refused.err;
      EXPECT_TRUE(refused.out.empty()) << refused.out;
    }
  }
  EXPECT_EQ(data_dump(prod_), before);
  EXPECT_EQ(data_dump(dev_), dev_before);
}

// The program embeds its contract, so a wider one can only come through the library: the
// builder checks every name against the embedded allowlist, whatever contract it is handed.
TEST_F(Promotion, AContractNamingATableOutsideTheAllowlistIsRefused) {
  seed_example();
  sql(prod_, "CREATE TABLE users (id serial PRIMARY KEY, name text, \"isActive\" boolean)");
  sql(dev_,
      "CREATE TABLE users (id serial PRIMARY KEY, name text, \"isActive\" boolean);"
      "INSERT INTO users (name) VALUES ('mallory')");
  const std::string before = data_dump(prod_);
  contract::Contract wider = contract::embedded();
  contract::ReferenceTable users = *wider.find_reference_table("service_categories");
  users.table = "users";
  users.columns = {"name", "isActive"};
  wider.reference_data.push_back(users);
  const auto expect_refused = [](const std::function<void()>& attempt) {
    try {
      attempt();
      ADD_FAILURE() << "a table outside the allowlist was used";
    } catch (const Failure& failure) {
      EXPECT_EQ(failure.code(), "PMC-5001") << failure.message();
      EXPECT_NE(failure.message().find("\"users\""), std::string::npos) << failure.message();
      EXPECT_EQ(failure.exit_code(), ExitCode::Refused);
    }
  };

  db::ConnectOptions options;
  options.url = dev_;
  options.application_name = "sync-test";
  options.expected_environment = "dev";
  db::ReadOnlyConnection dev = db::connect_read_only(options);
  expect_refused([&] { sync::read_snapshot(dev, wider, sync::Protection::Ignore); });

  options.url = prod_;
  options.expected_environment = "prod";
  const guard::CiPass pass = guard::enforce_ci_only_execution();
  db::WritableConnection prod = db::connect_writable(options, pass);
  sync::Snapshot with_users =
      sync::read_snapshot(dev, contract::embedded(), sync::Protection::Ignore);
  with_users.tables.push_back({"users", users.columns, {{"1", "mallory", {"mallory", {}}}}, {}});
  expect_refused([&] { sync::apply_reference_sync(prod, with_users, wider); });
  // The refusal rolled back the locks and whatever the plan held for the allowed tables.
  EXPECT_EQ(data_dump(prod_), before);
  EXPECT_EQ(one(prod_, "SELECT count(*) FROM users"), "0");
}

TEST_F(Promotion, KillDashNineMidApplyLeavesProdAsBefore) {
  seed_example();
  const std::string before = data_dump(prod_, Sequences::LeftOut);
  const std::string before_with_sequences = data_dump(prod_);
  // Hold Mowing's row: the sync locks its tables, copies its creates in, then waits on this
  // row's update.
  PGconn* holder = PQconnectdb(prod_.c_str());
  ASSERT_EQ(PQstatus(holder), CONNECTION_OK);
  PQclear(PQexec(holder, "BEGIN; SELECT 1 FROM services WHERE name = 'Mowing' FOR UPDATE"));

  const std::string yes = ThrowawayCluster::shared().dir().string() + "/yes.txt";
  std::ofstream(yes) << "YES\n";
  const std::string log = ThrowawayCluster::shared().dir().string() + "/kill-test.log";
  const int pid = spawn_detached(
      {"/bin/sh", "-c", "exec \"$0\" --apply < \"$1\"", pmc_binary("pmc-sync-reference-data"), yes},
      sync_environment(), log);
  // Waiting on a lock, and holding a transaction id: it has written already.
  const std::string waiting =
      "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'pmc-sync-reference-data' "
      "AND wait_event_type = 'Lock' AND backend_xid IS NOT NULL AND datname = current_database()";
  bool blocked = false;
  for (int i = 0; i < 300 && !blocked; ++i) {
    blocked = one(prod_, waiting) == "1";
    if (!blocked) std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  ASSERT_TRUE(blocked) << read_file(log);
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
  EXPECT_EQ(one(prod_, gone), "0");
  // The kill landed after rows were written: the sequences moved (they are not transactional),
  // yet not one row of data differs.
  EXPECT_NE(data_dump(prod_), before_with_sequences);
  EXPECT_EQ(data_dump(prod_, Sequences::LeftOut), before);
  // And prod is usable: the next run applies the whole plan.
  ASSERT_EQ(sync({"--apply"}, "YES\n").exit_code, 0);
  EXPECT_EQ(one(prod_, "SELECT \"basePrice\" FROM services WHERE name = 'Mowing'"), "20.00");
}

}  // namespace
}  // namespace pmc::test
