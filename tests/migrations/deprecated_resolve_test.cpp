// pmc-resolve-failed-migrations (deprecated) against real PostgreSQL: Prisma's resolve semantics
// and error cases, no look at the catalog, the deprecation notice, the advisory lock.
#include <gtest/gtest.h>
#include <libpq-fe.h>

#include "migration_test_support.hpp"

namespace pmc::test {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

constexpr char kFailing[] = "20240301000000_provider_rating";
constexpr char kAfter[] = "20240302000000_booking_notes";

class DeprecatedResolve : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = fingerprinted_database("resolve");
    folder_.write(kFailing,
                  "ALTER TABLE \"providers\" ADD COLUMN \"rating\" INTEGER;\n"
                  "ALTER TABLE \"providers\" ADD CONSTRAINT \"providers_rating_check\""
                  " CHECK (\"rating\" BETWEEN 1 AND 5 AND \"nope\" > 0);\n");
    folder_.write(kAfter, "ALTER TABLE \"bookings\" ADD COLUMN \"notes\" TEXT;\n");
  }

  // Deploys the history up to the failing migration, which fails.
  void deploy_until_failure() {
    const ProcessResult run = deploy(url_, folder_);
    ASSERT_EQ(run.exit_code, 1) << run.out << run.err;
    ASSERT_TRUE(contains(run.err, "[PMC-3018]")) << run.err;
  }

  ProcessResult resolve(std::vector<std::string> arguments) {
    arguments.insert(arguments.begin(), {"--migrations", folder_.path().string()});
    return run_pmc("pmc-resolve-failed-migrations", url_, std::move(arguments));
  }

  std::string url_;
  MigrationsFolder folder_ = MigrationsFolder::copy_of(reference_migrations());
};

TEST_F(DeprecatedResolve, RolledBackMarksTheFailedRowAndTheNextDeployRunsItAgain) {
  deploy_until_failure();
  const ProcessResult run = resolve({"--rolled-back", kFailing});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.err, "deprecated")) << run.err;
  EXPECT_TRUE(contains(run.err, "pmc-resolve-applied-migrations")) << run.err;
  EXPECT_TRUE(contains(run.out, "marked as rolled back")) << run.out;
  EXPECT_EQ(one(url_,
                "SELECT (finished_at IS NULL)::text || (rolled_back_at IS NOT NULL)::text"
                " FROM _prisma_migrations WHERE migration_name = '" +
                    std::string(kFailing) + "'"),
            "truetrue");

  // Fixed, the migration is applied again as a new row; the rolled-back row stays.
  folder_.write(kFailing, "ALTER TABLE \"providers\" ADD COLUMN \"rating\" INTEGER;\n");
  const ProcessResult next = deploy(url_, folder_);
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_TRUE(contains(next.out, "applied " + std::string(kFailing))) << next.out;
  EXPECT_TRUE(contains(next.out, "applied " + std::string(kAfter))) << next.out;
  EXPECT_EQ(sql(url_,
                "SELECT (finished_at IS NOT NULL)::text || '/' ||"
                " (rolled_back_at IS NOT NULL)::text FROM _prisma_migrations"
                " WHERE migration_name = '" +
                    std::string(kFailing) + "' ORDER BY started_at"),
            (std::vector<std::string>{"false/true", "true/false"}));
}

TEST_F(DeprecatedResolve, AppliedRecordsPrismasRowWithoutCheckingTheDatabase) {
  deploy_until_failure();
  const std::string failed_id = one(url_,
                                    "SELECT id FROM _prisma_migrations WHERE migration_name"
                                    " = '" +
                                        std::string(kFailing) + "'");
  const ProcessResult run = resolve({"--applied", kFailing});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_TRUE(contains(run.err, "pmc-resolve-applied-migrations")) << run.err;
  // The failed row is rolled back; a new row says applied: logs '', no steps, started = finished,
  // the file's current checksum. The column it would have added is missing: no object check.
  EXPECT_EQ(one(url_,
                "SELECT (rolled_back_at IS NOT NULL)::text FROM _prisma_migrations"
                " WHERE id = '" +
                    failed_id + "'"),
            "true");
  EXPECT_EQ(one(url_,
                "SELECT checksum || '|' || logs || '|' || applied_steps_count || '|' ||"
                " (started_at = finished_at)::text || '|' || (rolled_back_at IS NULL)::text"
                " FROM _prisma_migrations WHERE migration_name = '" +
                    std::string(kFailing) + "' AND id <> '" + failed_id + "'"),
            sha256_hex(folder_.read(kFailing)) + "||0|true|true");
  EXPECT_EQ(one(url_,
                "SELECT count(*) FROM information_schema.columns"
                " WHERE table_name = 'providers' AND column_name = 'rating'"),
            "0");

  // The next deploy goes on after it and does not run it.
  const ProcessResult next = deploy(url_, folder_);
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_FALSE(contains(next.out, "applied " + std::string(kFailing))) << next.out;
  EXPECT_TRUE(contains(next.out, "applied " + std::string(kAfter))) << next.out;
}

TEST_F(DeprecatedResolve, AppliedOnADatabaseWithoutTheTableCreatesItAsPrismaDoes) {
  // Baselining: the schema exists, the history table does not.
  sql(url_, "CREATE TABLE legacy (id int)");
  const ProcessResult run = resolve({"--applied", "20240115093000_service_catalog"});
  ASSERT_EQ(run.exit_code, 0) << run.err;
  EXPECT_EQ(one(url_, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"),
            "1");
}

TEST_F(DeprecatedResolve, PrismasErrorCases) {
  deploy_until_failure();
  const std::vector<std::string> before = migration_rows(url_);

  const ProcessResult no_folder = resolve({"--applied", "20240301000000_provider"});  // P3017
  EXPECT_EQ(no_folder.exit_code, 2);
  EXPECT_TRUE(contains(no_folder.err, "[PMC-3017]") &&
              contains(no_folder.err, "20240301000000_provider could not be found"))
      << no_folder.err;

  const ProcessResult applied_twice = resolve({"--applied", "20240122093000_providers"});  // P3008
  EXPECT_EQ(applied_twice.exit_code, 1);
  EXPECT_TRUE(contains(applied_twice.err, "[PMC-3008]") &&
              contains(applied_twice.err, "already recorded as applied"))
      << applied_twice.err;

  const ProcessResult never_applied = resolve({"--rolled-back", kAfter});  // P3011
  EXPECT_EQ(never_applied.exit_code, 1);
  EXPECT_TRUE(contains(never_applied.err, "[PMC-3011]") &&
              contains(never_applied.err, "never applied"))
      << never_applied.err;

  const ProcessResult succeeded = resolve({"--rolled-back", "20240122093000_providers"});  // P3012
  EXPECT_EQ(succeeded.exit_code, 1);
  EXPECT_TRUE(contains(succeeded.err, "[PMC-3012]") &&
              contains(succeeded.err, "not in a failed state"))
      << succeeded.err;

  // A finished row rolled back by hand still refuses --applied, as in Prisma 6.19.
  sql(url_,
      "UPDATE _prisma_migrations SET rolled_back_at = now()"
      " WHERE migration_name = '20240205093000_bookings'");
  const ProcessResult hand_rolled = resolve({"--applied", "20240205093000_bookings"});
  EXPECT_EQ(hand_rolled.exit_code, 1);
  EXPECT_TRUE(contains(hand_rolled.err, "[PMC-3008]")) << hand_rolled.err;
  sql(url_,
      "UPDATE _prisma_migrations SET rolled_back_at = NULL"
      " WHERE migration_name = '20240205093000_bookings'");

  EXPECT_EQ(migration_rows(url_), before);  // every refusal changed nothing
}

TEST_F(DeprecatedResolve, RollingBackTwiceIsQuietAsInPrisma) {
  deploy_until_failure();
  ASSERT_EQ(resolve({"--rolled-back", kFailing}).exit_code, 0);
  const std::vector<std::string> before =
      sql(url_, "SELECT id || rolled_back_at::text FROM _prisma_migrations ORDER BY id");
  const ProcessResult again = resolve({"--rolled-back", kFailing});
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(sql(url_, "SELECT id || rolled_back_at::text FROM _prisma_migrations ORDER BY id"),
            before);
}

TEST_F(DeprecatedResolve, UsageErrors) {
  const ProcessResult none = resolve({});
  EXPECT_EQ(none.exit_code, 2);
  EXPECT_TRUE(contains(none.err, "--applied NAME or --rolled-back NAME")) << none.err;
  const ProcessResult both = resolve({"--applied", kFailing, "--rolled-back", kFailing});
  EXPECT_EQ(both.exit_code, 2) << both.err;
  const ProcessResult missing_folder =
      run_pmc("pmc-resolve-failed-migrations", url_,
              {"--migrations", "/nonexistent/migrations", "--applied", kFailing});
  EXPECT_EQ(missing_folder.exit_code, 2);
  EXPECT_TRUE(contains(missing_folder.err, "/nonexistent/migrations")) << missing_folder.err;
  EXPECT_EQ(one(url_, "SELECT to_regclass('_prisma_migrations') IS NULL"), "t");
}

TEST_F(DeprecatedResolve, WaitsForTheAdvisoryLockLikeDeploy) {
  deploy_until_failure();
  PGconn* holder = PQconnectdb(url_.c_str());
  ASSERT_EQ(PQstatus(holder), CONNECTION_OK);
  PQclear(PQexec(holder, "SELECT pg_advisory_lock(72707369)"));
  const ProcessResult blocked = resolve({"--rolled-back", kFailing, "--lock-timeout", "0.3"});
  PQfinish(holder);
  EXPECT_EQ(blocked.exit_code, 1);
  EXPECT_TRUE(contains(blocked.err, "[PMC-3102]")) << blocked.err;
  EXPECT_EQ(one(url_, "SELECT count(*) FROM _prisma_migrations WHERE rolled_back_at IS NOT NULL"),
            "0");
}

TEST_F(DeprecatedResolve, RefusesOutsideCi) {
  Environment outside = clean_environment();
  outside["DATABASE_URL"] = url_;
  outside["PMC_EXPECTED_ENV"] = "prod";
  const ProcessResult run = run_process(
      {pmc_binary("pmc-resolve-failed-migrations"), "--rolled-back", kFailing}, outside);
  EXPECT_EQ(run.exit_code, 1);
  EXPECT_TRUE(contains(run.err, "runs only in CI")) << run.err;
}

}  // namespace
}  // namespace pmc::test
