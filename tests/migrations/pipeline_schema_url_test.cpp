// scripts/deploy-pipeline.sh on the URL Prisma uses, `…?schema=app`: every pmc step works in schema
// `app`, and the backup step hands pg_dump (libpq's alone) the URL without Prisma's parameters.
#include <gtest/gtest.h>

#include <algorithm>

#include "migration_test_support.hpp"
#include "pipeline_support.hpp"

namespace pmc::test {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(PipelineSchemaUrl, RunsEveryStepInTheNamedSchema) {
  const std::string url = fingerprinted_database("pipeline_schema");
  const MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  const MigrationsFolder backups;
  const auto pipeline = [&] {
    return run_pipeline(
        {"--migrations", folder.path().string(), "--backup-dir", backups.path().string()},
        {{"DATABASE_URL", url + "&schema=app&connection_limit=1&pgbouncer=false"},
         {"PMC_EXPECTED_ENV", "prod"}});
  };
  const ProcessResult first = pipeline();
  ASSERT_EQ(first.exit_code, 0) << first.err << first.out;
  EXPECT_TRUE(contains(first.out, "created schema \"app\"")) << first.out;

  folder.write("20240301000000_booking_notes", "ALTER TABLE bookings ADD COLUMN notes text;\n");
  const ProcessResult second = pipeline();
  ASSERT_EQ(second.exit_code, 0) << second.err << second.out;
  EXPECT_TRUE(contains(second.out, "applied 20240301000000_booking_notes")) << second.out;
  EXPECT_EQ(one(url, "SELECT count(*) FROM app._prisma_migrations WHERE finished_at IS NOT NULL"),
            std::to_string(kReferenceMigrationCount + 1));
  EXPECT_EQ(one(url, "SELECT to_regclass('public._prisma_migrations') IS NULL"), "t");

  // The second backup holds the first run's work in `app`, and the fingerprint.
  std::vector<fs::path> dumps;
  for (const auto& entry : fs::directory_iterator(backups.path())) dumps.push_back(entry.path());
  ASSERT_EQ(dumps.size(), 2u);
  std::sort(dumps.begin(), dumps.end());
  const ProcessResult list =
      run_process({pg_tool("pg_restore"), "--list", dumps.back().string()}, clean_environment());
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(contains(list.out, "TABLE DATA app _prisma_migrations")) << list.out;
  EXPECT_TRUE(contains(list.out, "TABLE DATA public database_metadata")) << list.out;
}

}  // namespace
}  // namespace pmc::test
