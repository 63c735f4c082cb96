// A deploy interrupted in the middle of a migration script, three ways: the server stopped fast,
// the server stopped immediately (a crash), the backend terminated with pg_terminate_backend.
// Each time the deploy exits non-zero naming the migration, the database holds one failed row and
// none of that script's statements, the next deploy refuses it, the gate calls it rolled back,
// and the pipeline's recovery applies everything exactly once.
#include <gtest/gtest.h>

#include <memory>

#include "deploy_recovery.hpp"
#include "fault_support.hpp"
#include "migration_test_support.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {
namespace {

// Applied before the fault; interrupted in its ALTER TABLE, which waits for the lock a session of
// the test holds on services; never started.
constexpr char kBefore[] = "20240301000000_loyalty";
constexpr char kWindow[] = "20240302000000_window";
constexpr char kAfter[] = "20240303000000_after_window";

bool relation_exists(const std::string& url, const std::string& name) {
  return one(url, "SELECT to_regclass('" + name + "') IS NOT NULL") == "t";
}

bool column_exists(const std::string& url, const std::string& table, const std::string& column) {
  return one(url,
             "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'public'"
             " AND table_name = '" +
                 table + "' AND column_name = '" + column + "'") == "1";
}

std::string window_objects(const std::string& url) {
  return std::string("window_a ") + (relation_exists(url, "window_a") ? "present" : "absent") +
         ", services.window_note " +
         (column_exists(url, "services", "window_note") ? "present" : "absent") + ", window_b " +
         (relation_exists(url, "window_b") ? "present" : "absent");
}

class DeployInterrupted : public ::testing::TestWithParam<Fault> {
 protected:
  void SetUp() override {
    url_ = fingerprinted_database("interrupted");
    ASSERT_EQ(deploy(url_, folder_).exit_code, 0);
    folder_.write(kBefore, "CREATE TABLE \"loyalty\" (\"id\" SERIAL PRIMARY KEY);\n");
    folder_.write(kWindow,
                  "CREATE TABLE \"window_a\" (\"id\" INTEGER);\n"
                  "ALTER TABLE \"services\" ADD COLUMN \"window_note\" TEXT;\n"
                  "CREATE TABLE \"window_b\" (\"id\" INTEGER);\n");
    folder_.write(kAfter, "CREATE TABLE \"after_window\" (\"id\" INTEGER);\n");
  }
  // A failed test must not leave the suite without its server.
  void TearDown() override { ThrowawayCluster::shared().start(); }

  void inject(Fault fault, const std::string& backend) {
    switch (fault) {
      case Fault::ServerStoppedFast:
        ThrowawayCluster::shared().stop_fast();
        break;
      case Fault::ServerStoppedImmediately:
        ThrowawayCluster::shared().stop_immediately();
        break;
      case Fault::BackendTerminated:
        ASSERT_EQ(one(url_, "SELECT pg_terminate_backend(" + backend + ")"), "t");
        break;
    }
  }

  std::string url_;
  MigrationsFolder folder_ = MigrationsFolder::copy_of(reference_migrations());
  MigrationsFolder logs_;
};

TEST_P(DeployInterrupted, MidScriptLeavesOneFailedRowAndTheRecoveryAppliesEachMigrationOnce) {
  const Fault fault = GetParam();
  auto holder = std::make_unique<HoldingSession>(url_, "pmc-fault-holder");
  holder->run("BEGIN; SELECT count(*) FROM services");

  Environment environment = clean_environment();
  environment["CI"] = "true";
  environment["DATABASE_URL"] = url_;
  environment["PMC_EXPECTED_ENV"] = "prod";
  const std::string log = (logs_.path() / "deploy.log").string();
  const int pid = spawn_detached({pmc_binary("pmc-deploy-db"), "--migrations",
                                  folder_.path().string(), "--lock-timeout", "30"},
                                 environment, log);
  ASSERT_TRUE(wait_for(url_, waits_on_lock("pmc-deploy-db", "window_note"))) << read_file(log);
  const std::string backend = waiting_backend(url_, "pmc-deploy-db", "window_note");
  inject(fault, backend);
  journal(fault_name(fault) + " while pmc-deploy-db's backend (pid " + backend + ") waited for a"
          " lock inside " + kWindow + "'s script (its 2nd of 3 statements), after " + kBefore +
          " was applied");
  holder.reset();  // the holder's own session ends: nothing waits on it any more

  const int exit_code = wait_for_exit(pid);
  const std::string output = read_file(log);
  EXPECT_EQ(exit_code, 1) << output;
  EXPECT_TRUE(mentions(output, "[PMC-3018]") && mentions(output, kWindow)) << output;
  EXPECT_TRUE(mentions(output, "its logs could not be written")) << output;
  journal("pmc-deploy-db: " + describe_exit(exit_code) + ": " + error_line(output));

  if (fault != Fault::BackendTerminated) {
    ThrowawayCluster::shared().start();
    journal("server started again on the same data" +
            std::string(fault == Fault::ServerStoppedImmediately ? " (crash recovery)" : ""));
  }

  // The next run sees one failed row (logs NULL: the connection was gone before they could be
  // written) and none of the interrupted script's statements.
  const RowCounts before = row_counts(url_, kBefore);
  const RowCounts window = row_counts(url_, kWindow);
  const RowCounts after = row_counts(url_, kAfter);
  EXPECT_EQ(before.applied, 1);
  EXPECT_EQ(window.failed, 1);
  EXPECT_EQ(window.applied + window.rolled_back, 0);
  EXPECT_EQ(window.failed_logs.value_or(""), "<null>");
  EXPECT_EQ(describe(after), "no row");
  EXPECT_TRUE(relation_exists(url_, "loyalty"));
  EXPECT_EQ(window_objects(url_),
            "window_a absent, services.window_note absent, window_b absent");
  EXPECT_FALSE(relation_exists(url_, "after_window"));
  journal("next run saw: " + std::string(kBefore) + " " + describe(before) + "; " + kWindow +
          " " + describe(window) + " (logs " + window.failed_logs.value_or("-") + "), " +
          window_objects(url_) + "; " + kAfter + " " + describe(after));

  const ProcessResult refused = deploy(url_, folder_);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(mentions(refused.err, "[PMC-3009]") && mentions(refused.err, kWindow))
      << refused.err;
  EXPECT_FALSE(relation_exists(url_, "after_window"));
  journal("next pmc-deploy-db alone: " + describe_exit(refused.exit_code) + ": " +
          error_line(refused.err));

  if (const std::optional<GateReport> gate = run_gate(url_, folder_)) {
    EXPECT_EQ(gate->exit_code, 0) << gate->output;
    ASSERT_EQ(gate->verdicts.count(kWindow), 1u) << gate->output;
    EXPECT_EQ(gate->verdicts.size(), 1u) << gate->output;
    EXPECT_EQ(verdict_name(gate->verdicts.at(kWindow)), "rolled back") << gate->output;
  }
  std::string said;
  const ProcessResult recovered =
      resolve_then_deploy(url_, folder_, {{kWindow, Verdict::RolledBack}}, said);
  EXPECT_EQ(recovered.exit_code, 0) << recovered.err;
  journal("recovery: " + said + "; then pmc-deploy-db " + describe_exit(recovered.exit_code) +
          ", applied " + std::to_string(row_counts(url_, kWindow).applied + row_counts(url_, kAfter).applied) +
          " of the 2 left");

  EXPECT_EQ(window_objects(url_),
            "window_a present, services.window_note present, window_b present");
  EXPECT_TRUE(relation_exists(url_, "after_window"));
  expect_each_applied_once(url_, folder_);
  EXPECT_EQ(describe(row_counts(url_, kWindow)), "1 applied + 1 rolled back");
}

INSTANTIATE_TEST_SUITE_P(EachFault, DeployInterrupted,
                         ::testing::Values(Fault::ServerStoppedFast,
                                           Fault::ServerStoppedImmediately,
                                           Fault::BackendTerminated),
                         [](const ::testing::TestParamInfo<Fault>& info) { return fault_test_name(info.param); });

}  // namespace
}  // namespace pmc::test
