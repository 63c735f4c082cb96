// scripts/deploy-pipeline.sh end to end with the real programs: predeploy check, verified
// backup, resolve, deploy, in that order, stopping at the first failing step and naming it.
#include <gtest/gtest.h>

#include "migration_test_support.hpp"
#include "pipeline_support.hpp"

namespace pmc::test {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> files;
  if (!fs::exists(dir)) return files;
  for (const auto& entry : fs::directory_iterator(dir)) files.push_back(entry.path());
  return files;
}

// Adds a unique index on providers.name: fails while two providers share a name (23505).
constexpr char kUnique[] = "20240301000000_unique_provider_names";
constexpr char kUniqueScript[] =
    "-- CreateIndex\n"
    "CREATE UNIQUE INDEX \"providers_name_key\" ON \"providers\"(\"name\");\n";

class PipelineRun : public ::testing::Test {
 protected:
  void SetUp() override { url_ = fingerprinted_database("pipeline"); }

  ProcessResult pipeline() {
    return run_pipeline({"--migrations", folder_.path().string(), "--backup-dir",
                         backups_.path().string(), "--lock-timeout", "5"},
                        {{"DATABASE_URL", url_}, {"PMC_EXPECTED_ENV", "prod"}});
  }

  // The history deployed, then kUnique failed on duplicate provider names.
  void fail_on_duplicates() {
    ASSERT_EQ(deploy(url_, folder_).exit_code, 0);
    sql(url_, "INSERT INTO providers (name) VALUES ('Ann'), ('Ann')");
    folder_.write(kUnique, kUniqueScript);
    ASSERT_EQ(deploy(url_, folder_).exit_code, 1);
  }

  std::string url_;
  MigrationsFolder folder_ = MigrationsFolder::copy_of(reference_migrations());
  MigrationsFolder backups_;
};

TEST_F(PipelineRun, RunsTheFourStepsInOrderWithAVerifiedBackup) {
  const ProcessResult run = pipeline();
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  std::size_t at = 0;
  for (const char* step : {"[1/4] predeploy", "[2/4] backup", "[3/4] resolve", "[4/4] deploy"}) {
    const std::size_t found = run.out.find(step, at);
    ASSERT_NE(found, std::string::npos) << step << " after offset " << at << ":\n" << run.out;
    at = found;
  }
  EXPECT_TRUE(contains(run.out, "done: predeploy, backup, resolve, deploy")) << run.out;
  EXPECT_EQ(one(url_, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL"),
            "4");

  const std::vector<fs::path> dumps = files_in(backups_.path());
  ASSERT_EQ(dumps.size(), 1u);
  const ProcessResult list =
      run_process({pg_tool("pg_restore"), "--list", dumps.front().string()}, clean_environment());
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_TRUE(contains(list.out, "TABLE DATA public database_metadata")) << list.out;
  EXPECT_FALSE(contains(list.out, "_prisma_migrations")) << list.out;  // taken before the deploy
}

TEST_F(PipelineRun, AFailedMigrationThatNeedsAPersonStopsAtPredeploy) {
  ASSERT_EQ(deploy(url_, folder_).exit_code, 0);
  // A data change that failed: the catalog cannot tell whether it ran, a person must decide.
  folder_.write("20240301000000_backfill",
                "UPDATE \"providers\" SET \"name\" = upper(\"name\");\n"
                "ALTER TABLE \"providers\" ADD COLUMN \"nope\" INTEGER REFERENCES \"missing\";\n");
  ASSERT_EQ(deploy(url_, folder_).exit_code, 1);
  const std::vector<std::string> before = migration_rows(url_);

  const ProcessResult run = pipeline();
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_TRUE(contains(run.err, "stopped at step 'predeploy'")) << run.err;
  EXPECT_FALSE(contains(run.out, "[2/4]")) << run.out;
  EXPECT_TRUE(files_in(backups_.path()).empty());
  EXPECT_EQ(migration_rows(url_), before);
}

TEST_F(PipelineRun, AResolvableFailedMigrationIsResolvedThenDeployed) {
  fail_on_duplicates();
  sql(url_, "DELETE FROM providers WHERE id = (SELECT max(id) FROM providers)");  // the data fix
  const ProcessResult run = pipeline();
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_TRUE(contains(run.out, std::string("applied ") + kUnique)) << run.out;
  EXPECT_EQ(files_in(backups_.path()).size(), 1u);
  EXPECT_EQ(sql(url_,
                "SELECT (finished_at IS NOT NULL)::text || '/' ||"
                " (rolled_back_at IS NOT NULL)::text FROM _prisma_migrations"
                " WHERE migration_name = '" +
                    std::string(kUnique) + "' ORDER BY started_at"),
            (std::vector<std::string>{"false/true", "true/false"}));
}

TEST_F(PipelineRun, AFailedBackupStopsBeforeResolveAndDeploy) {
  fail_on_duplicates();
  const std::vector<std::string> before = migration_rows(url_);
  write_file(backups_.path() / "occupied", "a file where the backup folder should be");
  const ProcessResult run = run_pipeline({"--migrations", folder_.path().string(), "--backup-dir",
                                          (backups_.path() / "occupied" / "backups").string()},
                                         {{"DATABASE_URL", url_}, {"PMC_EXPECTED_ENV", "prod"}});
  EXPECT_NE(run.exit_code, 0);
  EXPECT_TRUE(contains(run.out, "[2/4] backup")) << run.out;
  EXPECT_TRUE(contains(run.err, "stopped at step 'backup'")) << run.err;
  EXPECT_FALSE(contains(run.out, "[3/4]")) << run.out;
  EXPECT_EQ(migration_rows(url_), before);  // resolve did not run: the row is still failed
}

TEST_F(PipelineRun, AFailingDeployIsNamed) {
  ASSERT_EQ(deploy(url_, folder_).exit_code, 0);
  sql(url_, "INSERT INTO providers (name) VALUES ('Ann'), ('Ann')");
  folder_.write(kUnique, kUniqueScript);
  const ProcessResult run = pipeline();
  EXPECT_EQ(run.exit_code, 1) << run.out;
  EXPECT_TRUE(contains(run.out, "[4/4] deploy")) << run.out;
  EXPECT_TRUE(contains(run.err, "[PMC-3018]")) << run.err;
  EXPECT_TRUE(contains(run.err, "stopped at step 'deploy'")) << run.err;
}

}  // namespace
}  // namespace pmc::test
