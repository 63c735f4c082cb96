// pmc beside the real Prisma CLI (6.19.3 through its JS engine, installed by prisma-route.sh):
// Prisma reads pmc's rows as its own, and pmc reads Prisma's. This route runs scripts statement by
// statement, so it checks rows and status here, never script atomicity (deploy_test does that).
#include <gtest/gtest.h>

#include "migration_test_support.hpp"
#include "prisma_cli_support.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {
namespace {

constexpr char kFailing[] = "20240301000000_provider_rating";
constexpr char kAfter[] = "20240302000000_booking_notes";
constexpr char kFailingScript[] =
    "ALTER TABLE \"providers\" ADD COLUMN \"rating\" INTEGER;\n"
    "ALTER TABLE \"providers\" ADD CONSTRAINT \"providers_rating_check\""
    " CHECK (\"rating\" BETWEEN 1 AND 5 AND \"nope\" > 0);\n";
constexpr char kFixedScript[] =
    "ALTER TABLE \"providers\" ADD COLUMN \"rating\" INTEGER;\n"
    "ALTER TABLE \"providers\" ADD CONSTRAINT \"providers_rating_check\""
    " CHECK (\"rating\" BETWEEN 1 AND 5);\n";

using Output = PrismaOutput;

class PrismaCli : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { install_prisma_cli(); }

  static ProcessResult pmc_resolve(const std::string& url, const MigrationsFolder& folder,
                                   const std::string& how, const std::string& name) {
    return run_pmc("pmc-resolve-failed-migrations", url,
                   {"--migrations", folder.path().string(), how, name});
  }

  MigrationsFolder folder_ = MigrationsFolder::copy_of(reference_migrations());
};

TEST_F(PrismaCli, StatusIsUpToDateAfterPmcDeploys) {
  const std::string url = fingerprinted_database("prisma_status");
  ASSERT_EQ(deploy(url, folder_).exit_code, 0);
  const Output status = prisma(url, folder_, {"migrate", "status"});
  EXPECT_EQ(status.exit_code, 0) << status.text;
  EXPECT_TRUE(contains(status.text, "4 migrations found")) << status.text;
  EXPECT_TRUE(contains(status.text, "Database schema is up to date!")) << status.text;
  // And Prisma's deploy finds nothing to do.
  const Output deployed = prisma(url, folder_, {"migrate", "deploy"});
  EXPECT_EQ(deployed.exit_code, 0) << deployed.text;
  EXPECT_TRUE(contains(deployed.text, "No pending migrations to apply.")) << deployed.text;
}

TEST_F(PrismaCli, ReportsTheMigrationThatFailedUnderPmc) {
  const std::string url = fingerprinted_database("prisma_failed");
  folder_.write(kFailing, kFailingScript);
  ASSERT_EQ(deploy(url, folder_).exit_code, 1);
  const Output status = prisma(url, folder_, {"migrate", "status"});
  EXPECT_EQ(status.exit_code, 1) << status.text;
  EXPECT_TRUE(contains(status.text, std::string("Following migration have failed:\n") + kFailing))
      << status.text;
  const Output deployed = prisma(url, folder_, {"migrate", "deploy"});
  EXPECT_EQ(deployed.exit_code, 1) << deployed.text;
  EXPECT_TRUE(contains(deployed.text, "P3009")) << deployed.text;
  EXPECT_TRUE(contains(deployed.text, std::string("The `") + kFailing + "` migration started at"))
      << deployed.text;
}

// Two databases failed alike by pmc; one resolved by pmc, the other by Prisma: the rows, Prisma's
// status and Prisma's next deploy must not tell them apart.
class ResolvedByBoth : public PrismaCli, public ::testing::WithParamInterface<const char*> {
 protected:
  void SetUp() override {
    by_pmc_ = fingerprinted_database("by_pmc");
    by_prisma_ = fingerprinted_database("by_prisma");
    folder_.write(kFailing, kFailingScript);
    folder_.write(kAfter, "ALTER TABLE \"bookings\" ADD COLUMN \"notes\" TEXT;\n");
    for (const std::string& url : {by_pmc_, by_prisma_}) {
      ASSERT_EQ(deploy(url, folder_).exit_code, 1);
    }
  }
  std::string by_pmc_, by_prisma_;
};

TEST_P(ResolvedByBoth, PrismaSeesNoDifference) {
  const std::string how = GetParam();
  const ProcessResult pmc = pmc_resolve(by_pmc_, folder_, how, kFailing);
  ASSERT_EQ(pmc.exit_code, 0) << pmc.err;
  const Output prisma_resolved = prisma(by_prisma_, folder_, {"migrate", "resolve", how, kFailing});
  ASSERT_EQ(prisma_resolved.exit_code, 0) << prisma_resolved.text;
  EXPECT_EQ(migration_rows(by_pmc_), migration_rows(by_prisma_));

  const Output status_pmc = prisma(by_pmc_, folder_, {"migrate", "status"});
  const Output status_prisma = prisma(by_prisma_, folder_, {"migrate", "status"});
  EXPECT_EQ(status_pmc.exit_code, status_prisma.exit_code);
  EXPECT_EQ(status_pmc.text, status_prisma.text);
  EXPECT_FALSE(contains(status_pmc.text, "have failed")) << status_pmc.text;

  // Rolled back, it is fixed before the next deploy runs it again (applied, it stays as it is).
  if (how == "--rolled-back") folder_.write(kFailing, kFixedScript);
  const Output deploy_pmc = prisma(by_pmc_, folder_, {"migrate", "deploy"});
  const Output deploy_prisma = prisma(by_prisma_, folder_, {"migrate", "deploy"});
  EXPECT_EQ(deploy_pmc.exit_code, 0) << deploy_pmc.text;
  EXPECT_EQ(deploy_pmc.text, deploy_prisma.text);
  EXPECT_EQ(contains(deploy_pmc.text, std::string(kFailing) + "/"), how == "--rolled-back")
      << deploy_pmc.text;  // applied again only when rolled back
  EXPECT_TRUE(contains(deploy_pmc.text, std::string(kAfter) + "/")) << deploy_pmc.text;
  EXPECT_EQ(migration_rows(by_pmc_), migration_rows(by_prisma_));
  EXPECT_EQ(prisma(by_pmc_, folder_, {"migrate", "status"}).exit_code, 0);
}

INSTANTIATE_TEST_SUITE_P(Resolve, ResolvedByBoth, ::testing::Values("--applied", "--rolled-back"),
                         [](const auto& info) {
                           return std::string(info.param) == "--applied" ? "Applied" : "RolledBack";
                         });

TEST_F(PrismaCli, PmcReadsADatabaseThatPrismaDeployed) {
  // Prisma deploys into a new database (Prisma refuses a fingerprinted one as not empty: P3005);
  // the fingerprint comes after, into the table the history made.
  const std::string url = ThrowawayCluster::shared().fresh_database("prisma_first");
  const Output deployed = prisma(url, folder_, {"migrate", "deploy"});
  ASSERT_EQ(deployed.exit_code, 0) << deployed.text;
  write_fingerprint(url);

  const ProcessResult noop = deploy(url, folder_);
  ASSERT_EQ(noop.exit_code, 0) << noop.err;
  EXPECT_TRUE(contains(noop.out, "No pending migrations to apply (4 already applied)."))
      << noop.out;

  // Same schema as pmc's own deploy of the history into a fingerprinted database.
  const std::string by_pmc = fingerprinted_database("pmc_first");
  ASSERT_EQ(deploy(by_pmc, folder_).exit_code, 0);
  EXPECT_EQ(schema_dump(url), schema_dump(by_pmc));

  folder_.write(kAfter, "ALTER TABLE \"bookings\" ADD COLUMN \"notes\" TEXT;\n");
  const ProcessResult next = deploy(url, folder_);
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_TRUE(contains(next.out, std::string("applied ") + kAfter)) << next.out;
  EXPECT_TRUE(contains(next.out, "1 migration applied")) << next.out;
  const Output status = prisma(url, folder_, {"migrate", "status"});
  EXPECT_EQ(status.exit_code, 0) << status.text;
  EXPECT_TRUE(contains(status.text, "Database schema is up to date!")) << status.text;
}

TEST_F(PrismaCli, PmcRefusesPrismasFailedMigrationAndResolvesIt) {
  const std::string url = ThrowawayCluster::shared().fresh_database("prisma_failed_first");
  folder_.write(kFailing, kFailingScript);
  folder_.write(kAfter, "ALTER TABLE \"bookings\" ADD COLUMN \"notes\" TEXT;\n");
  ASSERT_EQ(prisma(url, folder_, {"migrate", "deploy"}).exit_code, 1);
  write_fingerprint(url);

  const ProcessResult refused = deploy(url, folder_);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_TRUE(contains(refused.err, "[PMC-3009]")) << refused.err;
  EXPECT_TRUE(contains(refused.err, std::string("The `") + kFailing + "` migration started at"))
      << refused.err;

  ASSERT_EQ(pmc_resolve(url, folder_, "--applied", kFailing).exit_code, 0);
  const ProcessResult next = deploy(url, folder_);
  ASSERT_EQ(next.exit_code, 0) << next.err;
  EXPECT_TRUE(contains(next.out, std::string("applied ") + kAfter)) << next.out;
  EXPECT_FALSE(contains(next.out, std::string("applied ") + kFailing)) << next.out;
  EXPECT_EQ(prisma(url, folder_, {"migrate", "status"}).exit_code, 0);
}

}  // namespace
}  // namespace pmc::test
