// Several deploy pipelines (scripts/deploy-pipeline.sh, as CI runs it) started at once against
// one database, and the check that each migration then has exactly one applied row. Shared by the
// load test and bench/pipelines (which times it beside one pipeline alone).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

namespace pmc::test {

struct PipelineOutcome {
  int exit_code = -1;  // -signal when killed
  std::string log;     // stdout and stderr together
};

struct ConcurrentPipelines {
  double seconds = 0;  // wall time from the first start to the last exit
  std::vector<PipelineOutcome> pipelines;
};

// Starts `count` pipelines at once (each with a backup folder of its own under `work_dir`) and
// waits for all of them.
ConcurrentPipelines run_pipelines_at_once(int count, const std::string& url,
                                          const std::filesystem::path& migrations,
                                          const std::filesystem::path& work_dir,
                                          double lock_timeout_seconds);

// Empty when every migration folder has exactly one applied row and no row is failed or rolled
// back; otherwise what is wrong.
std::string applied_exactly_once_problem(const std::string& url,
                                         const std::filesystem::path& migrations);

// Migrations in the style Prisma writes them (an enum, a table with a sequence and primary key, a
// unique index, a foreign key to the previous one), named after the reference app's history.
void write_generated_migrations(const std::filesystem::path& migrations, int count);

}  // namespace pmc::test
