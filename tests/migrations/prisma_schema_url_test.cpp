// One Prisma-style URL, `…?schema=app`, given to pmc and to the real Prisma CLI: both keep
// `_prisma_migrations` and the migrations' tables in schema `app` (creating it when missing), and
// each reads the other's history there.
#include <gtest/gtest.h>

#include "migration_test_support.hpp"
#include "prisma_cli_support.hpp"

namespace pmc::test {
namespace {

constexpr char kSchemaParameter[] = "&schema=app";
constexpr char kFailing[] = "20240301000000_provider_rating";
constexpr char kFailingScript[] =
    "ALTER TABLE \"providers\" ADD COLUMN \"rating\" INTEGER;\n"
    "ALTER TABLE \"providers\" ADD CONSTRAINT \"providers_rating_check\" CHECK (\"nope\" > 0);\n";

// `app._prisma_migrations` as "name|checksum|finished?|rolled back?|applied_steps_count|logs".
std::vector<std::string> app_rows(const std::string& url) {
  return sql(url,
             "SELECT migration_name || '|' || checksum || '|' || (finished_at IS NOT NULL)::text"
             " || '|' || (rolled_back_at IS NOT NULL)::text || '|' || applied_steps_count || '|'"
             " || coalesce(logs, '<null>') FROM app._prisma_migrations ORDER BY started_at");
}

// Every table outside the system schemas, with its columns: "schema.table(column type, …)".
std::vector<std::string> tables(const std::string& url) {
  return sql(url,
             "SELECT table_schema || '.' || table_name || '(' || string_agg(column_name || ' ' ||"
             " data_type, ', ' ORDER BY ordinal_position) || ')' FROM information_schema.columns"
             " WHERE table_schema NOT IN ('pg_catalog', 'information_schema')"
             " GROUP BY table_schema, table_name ORDER BY 1");
}

class PrismaSchemaUrl : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { install_prisma_cli(); }
  MigrationsFolder folder_ = MigrationsFolder::copy_of(reference_migrations());
};

TEST_F(PrismaSchemaUrl, PmcAndPrismaKeepTheHistoryInTheNamedSchema) {
  // Fingerprinted first: the fingerprint is public.database_metadata, outside schema `app`, so
  // Prisma does not find its schema "not empty" either.
  const std::string by_pmc = fingerprinted_database("schema_url_pmc");
  const std::string by_prisma = fingerprinted_database("schema_url_prisma");

  const ProcessResult deployed = deploy(by_pmc + kSchemaParameter, folder_);
  ASSERT_EQ(deployed.exit_code, 0) << deployed.err;
  EXPECT_TRUE(contains(deployed.out, "created schema \"app\"")) << deployed.out;
  const PrismaOutput prisma_deployed =
      prisma(by_prisma + kSchemaParameter, folder_, {"migrate", "deploy"});
  ASSERT_EQ(prisma_deployed.exit_code, 0) << prisma_deployed.text;

  // The same tables in the same places; public keeps only the fingerprint.
  const std::vector<std::string> pmc_tables = tables(by_pmc);
  EXPECT_EQ(pmc_tables, tables(by_prisma));
  ASSERT_EQ(pmc_tables.size(), 8u);  // seven in app (history included), the fingerprint
  EXPECT_EQ(pmc_tables.back().rfind("public.database_metadata(", 0), 0u) << pmc_tables.back();
  for (std::size_t i = 0; i + 1 < pmc_tables.size(); ++i) {
    EXPECT_EQ(pmc_tables[i].rfind("app.", 0), 0u) << pmc_tables[i];
  }
  EXPECT_EQ(app_rows(by_pmc).size(), kReferenceMigrationCount);
  EXPECT_EQ(app_rows(by_pmc), app_rows(by_prisma));

  // Each reads the other's history as complete.
  const PrismaOutput status = prisma(by_pmc + kSchemaParameter, folder_, {"migrate", "status"});
  EXPECT_EQ(status.exit_code, 0) << status.text;
  EXPECT_TRUE(contains(status.text, "Database schema is up to date!")) << status.text;
  const ProcessResult noop = deploy(by_prisma + kSchemaParameter, folder_);
  ASSERT_EQ(noop.exit_code, 0) << noop.err;
  EXPECT_TRUE(contains(noop.out, "No pending migrations to apply (4 already applied)."))
      << noop.out;

  // A failure pmc records there is the failure Prisma reports.
  folder_.write(kFailing, kFailingScript);
  ASSERT_EQ(deploy(by_pmc + kSchemaParameter, folder_).exit_code, 1);
  const PrismaOutput failed = prisma(by_pmc + kSchemaParameter, folder_, {"migrate", "status"});
  EXPECT_EQ(failed.exit_code, 1) << failed.text;
  EXPECT_TRUE(contains(failed.text, std::string("Following migration have failed:\n") + kFailing))
      << failed.text;
}

}  // namespace
}  // namespace pmc::test
