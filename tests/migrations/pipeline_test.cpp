// scripts/deploy-pipeline.sh refusing bad input and stopping at a step it cannot run, before
// anything touches the database.
#include <gtest/gtest.h>

#include "migration_test_support.hpp"
#include "pipeline_support.hpp"

namespace pmc::test {
namespace {

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(Pipeline, RefusesBadInputWithUsage) {
  const ProcessResult no_url = run_pipeline({"--expect-env", "prod"});
  EXPECT_EQ(no_url.exit_code, 2);
  EXPECT_TRUE(contains(no_url.err, "give --database-url or set DATABASE_URL")) << no_url.err;

  const ProcessResult no_env = run_pipeline({"--database-url", "postgresql:///x"});
  EXPECT_EQ(no_env.exit_code, 2);
  EXPECT_TRUE(contains(no_env.err, "--expect-env")) << no_env.err;

  const ProcessResult unknown =
      run_pipeline({"--database-url", "postgresql:///x", "--expect-env", "prod", "--yes"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_TRUE(contains(unknown.err, "unknown argument '--yes'")) << unknown.err;

  const ProcessResult timeout = run_pipeline(
      {"--database-url", "postgresql:///x", "--expect-env", "prod", "--lock-timeout", "soon"});
  EXPECT_EQ(timeout.exit_code, 2);
  EXPECT_TRUE(contains(timeout.err, "--lock-timeout")) << timeout.err;
  for (const ProcessResult* run : {&no_url, &no_env, &unknown, &timeout}) {
    EXPECT_FALSE(contains(run->out, "[1/4]")) << run->out;  // no step started
  }
}

TEST(Pipeline, StopsAtTheFirstStepWhoseProgramIsMissingNamingIt) {
  const std::string url = fingerprinted_database("pipeline_missing");
  const MigrationsFolder nowhere;  // an empty folder stands for a PMC_BIN_DIR without programs
  const MigrationsFolder backups;
  const ProcessResult run = run_pipeline(
      {"--migrations", reference_migrations().string(), "--backup-dir", backups.path().string()},
      {{"DATABASE_URL", url},
       {"PMC_EXPECTED_ENV", "prod"},
       {"PMC_BIN_DIR", nowhere.path().string()}});
  EXPECT_EQ(run.exit_code, 2);
  EXPECT_TRUE(contains(run.out, "[1/4] predeploy")) << run.out;
  EXPECT_TRUE(contains(run.err, "stopped at step 'predeploy'")) << run.err;
  EXPECT_TRUE(contains(run.err, "pmc-check-failed-migrations was not found")) << run.err;
  EXPECT_FALSE(contains(run.out, "[2/4]")) << run.out;
  EXPECT_TRUE(std::filesystem::is_empty(backups.path()));
  EXPECT_EQ(one(url, "SELECT to_regclass('_prisma_migrations') IS NULL"), "t");
}

}  // namespace
}  // namespace pmc::test
