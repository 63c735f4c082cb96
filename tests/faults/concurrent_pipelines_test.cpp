// Load: eight deploy pipelines (predeploy gate, verified backup, resolve, deploy) started at once
// against one database, three times over, each time on a new database: every pipeline succeeds and
// every migration is applied exactly once. (bench/pipelines times the same beside one pipeline.)
#include <gtest/gtest.h>

#include <iostream>

#include "concurrent_pipelines.hpp"
#include "fault_support.hpp"
#include "migration_test_support.hpp"

namespace pmc::test {
namespace {

constexpr int kPipelines = 8;
constexpr int kRepetitions = 3;
constexpr int kGenerated = 16;

TEST(ConcurrentPipelines, EightAtOnceApplyEachMigrationExactlyOnceEveryTime) {
  MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  write_generated_migrations(folder.path(), kGenerated);
  const std::size_t total = folder.names().size();
  for (int repetition = 1; repetition <= kRepetitions; ++repetition) {
    SCOPED_TRACE("repetition " + std::to_string(repetition));
    const std::string url = fingerprinted_database("load");
    const MigrationsFolder work;
    const ConcurrentPipelines run =
        run_pipelines_at_once(kPipelines, url, folder.path(), work.path(), 120);
    std::size_t applied_lines = 0;
    for (const PipelineOutcome& pipeline : run.pipelines) {
      EXPECT_EQ(pipeline.exit_code, 0) << pipeline.log;
      for (std::size_t at = pipeline.log.find("\napplied "); at != std::string::npos;
           at = pipeline.log.find("\napplied ", at + 1)) {
        ++applied_lines;
      }
    }
    EXPECT_EQ(applied_lines, total);
    EXPECT_EQ(applied_exactly_once_problem(url, folder.path()), "");
    journal("repetition " + std::to_string(repetition) + ": " + std::to_string(kPipelines) +
            " pipelines at once, " + std::to_string(total) + " migrations: all exited 0 = " +
            (HasFailure() ? "no" : "yes") + ", " + std::to_string(applied_lines) +
            " applied lines in all, each migration applied once; wall " +
            std::to_string(run.seconds) + " s");
  }
}

}  // namespace
}  // namespace pmc::test
