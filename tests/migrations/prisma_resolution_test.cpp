// pmc-resolve-applied-migrations beside Prisma's own `migrate resolve`: two databases with the
// same two failed migrations, one whose effects are all in the catalog and one that left none.
// pmc decides and marks both; on the other database Prisma is told the same by hand. The rows,
// Prisma's status and Prisma's next deploy must not tell the two databases apart.
#include <gtest/gtest.h>

#include "migration_test_support.hpp"
#include "prisma_cli_support.hpp"
#include "raw_sql.hpp"

namespace pmc::test {
namespace {

constexpr char kApplied[] = "20240301000000_provider_rating";  // ran, its row never finished
constexpr char kAppliedScript[] = "ALTER TABLE \"providers\" ADD COLUMN \"rating\" INTEGER;\n";
constexpr char kRolledBack[] = "20240302000000_booking_notes";  // failed, nothing of it remains
constexpr char kRolledBackScript[] = "ALTER TABLE \"bookings\" ADD COLUMN \"notes\" TEXT;\n";

// A failed row as a deploy leaves it (finished_at NULL), `minutes_ago` before now.
std::string failed_row(const std::string& name, const std::string& script, int minutes_ago,
                       const std::string& logs) {
  return "INSERT INTO _prisma_migrations (id, checksum, started_at, migration_name, logs,"
         " applied_steps_count) VALUES (gen_random_uuid()::text, " +
         sql_literal(sha256_hex(script)) + ", now() - interval '" + std::to_string(minutes_ago) +
         " minutes', " + sql_literal(name) + ", " + logs + ", 0)";
}

class ResolvedAppliedAndRolledBack : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { install_prisma_cli(); }

  void SetUp() override {
    by_pmc_ = fingerprinted_database("resolver_pmc");
    by_prisma_ = fingerprinted_database("resolver_prisma");
    const MigrationsFolder history = MigrationsFolder::copy_of(reference_migrations());
    folder_.write(kApplied, kAppliedScript);
    folder_.write(kRolledBack, kRolledBackScript);
    for (const std::string& url : {by_pmc_, by_prisma_}) {
      ASSERT_EQ(deploy(url, history).exit_code, 0);
      // The first crashed after its script committed (logs NULL), the second was cancelled.
      sql(url, kAppliedScript);
      sql(url, failed_row(kApplied, kAppliedScript, 2, "NULL"));
      sql(url, failed_row(kRolledBack, kRolledBackScript, 1,
                          sql_literal(std::string("Migration name: ") + kRolledBack +
                                  "\n\nDatabase error code: 57014\n\nDatabase error:\nERROR:  "
                                  "canceling statement due to statement timeout\n")));
    }
  }

  std::string by_pmc_, by_prisma_;
  MigrationsFolder folder_ = MigrationsFolder::copy_of(reference_migrations());
};

TEST_F(ResolvedAppliedAndRolledBack, PrismaSeesWhatItsOwnResolveLeaves) {
  const ProcessResult resolved =
      run_pmc("pmc-resolve-applied-migrations", by_pmc_, {"--migrations", folder_.path().string()});
  ASSERT_EQ(resolved.exit_code, 0) << resolved.out << resolved.err;
  for (const std::vector<std::string>& how :
       {std::vector<std::string>{"--applied", kApplied},
        std::vector<std::string>{"--rolled-back", kRolledBack}}) {
    const PrismaOutput output = prisma(by_prisma_, folder_, {"migrate", "resolve", how[0], how[1]});
    ASSERT_EQ(output.exit_code, 0) << output.text;
  }
  const std::vector<std::string> rows = migration_rows(by_pmc_);
  EXPECT_EQ(rows, migration_rows(by_prisma_));
  ASSERT_EQ(rows.size(), kReferenceMigrationCount + 3);
  EXPECT_TRUE(contains(rows.back(),
                       std::string(kApplied) + "|" + sha256_hex(kAppliedScript) + "|true|false|0|"))
      << rows.back();  // resolve's new applied row

  const PrismaOutput status_pmc = prisma(by_pmc_, folder_, {"migrate", "status"});
  const PrismaOutput status_prisma = prisma(by_prisma_, folder_, {"migrate", "status"});
  EXPECT_EQ(status_pmc.exit_code, status_prisma.exit_code);
  EXPECT_EQ(status_pmc.text, status_prisma.text);
  // (Prisma 6.19's status counts a rolled-back migration's name as known: "up to date".)
  EXPECT_FALSE(contains(status_pmc.text, "have failed")) << status_pmc.text;

  // Rolled back, the second runs again; the first, applied, does not.
  const PrismaOutput deploy_pmc = prisma(by_pmc_, folder_, {"migrate", "deploy"});
  const PrismaOutput deploy_prisma = prisma(by_prisma_, folder_, {"migrate", "deploy"});
  EXPECT_EQ(deploy_pmc.exit_code, 0) << deploy_pmc.text;
  EXPECT_EQ(deploy_pmc.text, deploy_prisma.text);
  EXPECT_TRUE(contains(deploy_pmc.text, std::string(kRolledBack) + "/")) << deploy_pmc.text;
  EXPECT_FALSE(contains(deploy_pmc.text, std::string(kApplied) + "/")) << deploy_pmc.text;
  EXPECT_EQ(migration_rows(by_pmc_), migration_rows(by_prisma_));
  EXPECT_EQ(schema_dump(by_pmc_), schema_dump(by_prisma_));
  EXPECT_EQ(prisma(by_pmc_, folder_, {"migrate", "status"}).exit_code, 0);
}

}  // namespace
}  // namespace pmc::test
