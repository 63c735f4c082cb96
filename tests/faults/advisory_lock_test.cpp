// Prisma's migration advisory lock held by someone else: every program that takes it waits up to
// --lock-timeout, gives up with one error naming the holder, and changes nothing; a holder that
// dies mid-wait lets the waiter go on; another key (even the same number as two int4 halves) does
// not block; the pipeline stops at its resolve step, naming it.
#include <gtest/gtest.h>
#include <unistd.h>

#include <chrono>
#include <memory>
#include <thread>

#include "deploy_recovery.hpp"
#include "fault_support.hpp"
#include "migration_test_support.hpp"
#include "pipeline_support.hpp"

namespace pmc::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr char kTakeLock[] = "SELECT pg_advisory_lock(72707369)";
constexpr char kHolderName[] = "prisma-schema-engine";

long milliseconds_since(Clock::time_point start) {
  return std::chrono::duration_cast<milliseconds>(Clock::now() - start).count();
}

// The database as a later run would see it: the history and the schema.
std::string state_of(const std::string& url) {
  const bool has_table =
      one(url, "SELECT to_regclass('_prisma_migrations') IS NOT NULL") == "t";
  std::string rows;
  if (has_table) {
    for (const std::string& row : migration_rows(url)) rows += row + "\n";
  }
  return rows + schema_dump(url);
}

struct LockTaker {
  const char* program;
  std::vector<std::string> arguments;  // besides --migrations and --lock-timeout
};

void PrintTo(const LockTaker& taker, std::ostream* out) { *out << taker.program; }

std::vector<LockTaker> lock_takers() {
  std::vector<LockTaker> takers = {
      {"pmc-deploy-db", {}},
      {"pmc-resolve-failed-migrations", {"--rolled-back", "20240301000000_broken"}}};
  if (resolution_programs_built()) takers.push_back({"pmc-resolve-applied-migrations", {}});
  return takers;
}

class AdvisoryLockHeld : public ::testing::TestWithParam<LockTaker> {
 protected:
  void SetUp() override { url_ = fingerprinted_database("lock"); }
  std::string url_;
  MigrationsFolder folder_ = MigrationsFolder::copy_of(reference_migrations());
};

// A failed migration for the resolvers to work on, then the holder takes the lock.
TEST_P(AdvisoryLockHeld, TheProgramWaitsItsTimeoutThenNamesTheHolderAndChangesNothing) {
  const LockTaker& taker = GetParam();
  ASSERT_EQ(deploy(url_, folder_).exit_code, 0);
  folder_.write("20240301000000_broken", "CREATE TABLE \"broken\" (\"id\" INTEGER);\nSELECT 1/0;\n");
  ASSERT_EQ(deploy(url_, folder_).exit_code, 1);
  const std::string before = state_of(url_);

  HoldingSession holder(url_, kHolderName);
  holder.run(kTakeLock);
  std::vector<std::string> arguments = {"--migrations", folder_.path().string(),
                                        "--lock-timeout", "1.5"};
  arguments.insert(arguments.end(), taker.arguments.begin(), taker.arguments.end());
  const Clock::time_point started = Clock::now();
  const ProcessResult run = run_pmc(taker.program, url_, arguments);
  const long waited = milliseconds_since(started);

  EXPECT_EQ(run.exit_code, 1) << run.err;
  const std::string error = error_line(run.err);
  EXPECT_TRUE(mentions(error, "[PMC-3102]") && mentions(error, "timed out after 1.5 s") &&
              mentions(error, "pg_advisory_lock(72707369)"))
      << run.err;
  EXPECT_TRUE(mentions(run.err, "pid " + std::to_string(holder.backend_pid()) + " (" +
                                    kHolderName + ")"))
      << run.err;
  EXPECT_GE(waited, 1500);
  EXPECT_LT(waited, 1500 + 5000);
  EXPECT_EQ(state_of(url_), before);
  journal(std::string(taker.program) + " with the lock held by pid " +
          std::to_string(holder.backend_pid()) + " (" + kHolderName + "), --lock-timeout 1.5: " +
          describe_exit(run.exit_code) + " after " + std::to_string(waited) + " ms: " + error);
}

INSTANTIATE_TEST_SUITE_P(EachProgram, AdvisoryLockHeld, ::testing::ValuesIn(lock_takers()),
                         [](const ::testing::TestParamInfo<LockTaker>& info) {
                           std::string name;
                           for (const char* c = info.param.program; *c != '\0'; ++c) {
                             if (*c != '-') name.push_back(*c);
                           }
                           return name;
                         });

class AdvisoryLock : public ::testing::Test {
 protected:
  void SetUp() override { url_ = fingerprinted_database("lock"); }
  std::string url_;
  MigrationsFolder folder_ = MigrationsFolder::copy_of(reference_migrations());
  MigrationsFolder logs_;
};

TEST_F(AdvisoryLock, AWaitingDeployGoesOnAsSoonAsTheHolderDies) {
  auto holder = std::make_unique<HoldingSession>(url_, kHolderName);
  holder->run(kTakeLock);
  const std::string holder_pid = std::to_string(holder->backend_pid());
  Environment environment = clean_environment();
  environment["CI"] = "true";
  environment["DATABASE_URL"] = url_;
  environment["PMC_EXPECTED_ENV"] = "prod";
  const std::string log = (logs_.path() / "deploy.log").string();
  const int pid = spawn_detached({pmc_binary("pmc-deploy-db"), "--migrations",
                                  folder_.path().string(), "--lock-timeout", "60"},
                                 environment, log);
  // Connected (its first line is printed after the fingerprint passed) and polling for the lock.
  for (int i = 0; i < 1500 && !mentions(read_file(log), "migrations found"); ++i) {
    std::this_thread::sleep_for(milliseconds(20));
  }
  ASSERT_TRUE(mentions(read_file(log), "migrations found")) << read_file(log);
  std::this_thread::sleep_for(milliseconds(500));
  EXPECT_EQ(one(url_, "SELECT to_regclass('_prisma_migrations') IS NULL"), "t");

  const Clock::time_point killed = Clock::now();
  EXPECT_EQ(one(url_, "SELECT pg_terminate_backend(" + holder_pid + ")"), "t");
  const int exit_code = wait_for_exit(pid);
  const long after = milliseconds_since(killed);
  EXPECT_EQ(exit_code, 0) << read_file(log);
  EXPECT_LT(after, 10000);
  EXPECT_EQ(one(url_, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"),
            std::to_string(kReferenceMigrationCount));
  journal("holder (pid " + holder_pid + ") terminated while pmc-deploy-db polled for the lock: "
          "the deploy finished (" + describe_exit(exit_code) + ") " + std::to_string(after) +
          " ms later, " + std::to_string(kReferenceMigrationCount) + " migrations applied");
}

TEST_F(AdvisoryLock, TimeoutZeroGivesUpAtOnceWhenHeldAndGoesOnWhenFree) {
  {
    HoldingSession holder(url_, kHolderName);
    holder.run(kTakeLock);
    const Clock::time_point started = Clock::now();
    const ProcessResult held = deploy(url_, folder_, {"--lock-timeout", "0"});
    const long waited = milliseconds_since(started);
    EXPECT_EQ(held.exit_code, 1);
    EXPECT_TRUE(mentions(error_line(held.err), "[PMC-3102]")) << held.err;
    EXPECT_LT(waited, 5000);
    EXPECT_EQ(one(url_, "SELECT to_regclass('_prisma_migrations') IS NULL"), "t");
    journal("--lock-timeout 0 with the lock held: " + describe_exit(held.exit_code) + " after " +
            std::to_string(waited) + " ms: " + error_line(held.err));
  }
  const ProcessResult free_lock = deploy(url_, folder_, {"--lock-timeout", "0"});
  EXPECT_EQ(free_lock.exit_code, 0) << free_lock.err;
}

// Only the bigint key 72707369 is Prisma's: the same number in the two-int4 key space, and the
// neighbouring bigint, are other locks.
TEST_F(AdvisoryLock, OtherKeysDoNotBlock) {
  HoldingSession holder(url_, kHolderName);
  holder.run("SELECT pg_advisory_lock(0, 72707369), pg_advisory_lock(72707368)");
  const ProcessResult run = deploy(url_, folder_, {"--lock-timeout", "0.5"});
  EXPECT_EQ(run.exit_code, 0) << run.err;
}

#ifdef PMC_HAVE_RESOLUTION_PROGRAMS
TEST_F(AdvisoryLock, ThePipelineStopsAtItsResolveStepNamingIt) {
  HoldingSession holder(url_, kHolderName);
  holder.run(kTakeLock);
  const MigrationsFolder backups;
  const ProcessResult run = run_pipeline({"--migrations", folder_.path().string(), "--backup-dir",
                                          backups.path().string(), "--lock-timeout", "1"},
                                         {{"DATABASE_URL", url_}, {"PMC_EXPECTED_ENV", "prod"}});
  EXPECT_EQ(run.exit_code, 1) << run.out << run.err;
  EXPECT_TRUE(mentions(run.err, "[PMC-3102]")) << run.err;
  EXPECT_TRUE(mentions(run.err, "stopped at step 'resolve' (exit 1)")) << run.err;
  EXPECT_FALSE(mentions(run.out, "[4/4] deploy")) << run.out;
  EXPECT_EQ(one(url_, "SELECT to_regclass('_prisma_migrations') IS NULL"), "t");
  const std::size_t stopped = run.err.rfind("deploy-pipeline: stopped");
  journal("deploy-pipeline.sh with the lock held: " + describe_exit(run.exit_code) + ": " +
          (stopped == std::string::npos ? run.err : first_line(run.err.substr(stopped))));
}
#endif

}  // namespace
}  // namespace pmc::test
