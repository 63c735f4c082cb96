// Pipelines started together with spawn_detached, waited for, and the history checked with raw SQL.
#include "concurrent_pipelines.hpp"

#include <sys/wait.h>

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "process.hpp"
#include "raw_sql.hpp"

namespace pmc::test {

namespace fs = std::filesystem;

ConcurrentPipelines run_pipelines_at_once(int count, const std::string& url,
                                          const fs::path& migrations, const fs::path& work_dir,
                                          double lock_timeout_seconds) {
  Environment environment = clean_environment();
  environment["CI"] = "true";
  environment["PMC_BIN_DIR"] = PMC_BUILD_BIN_DIR;
  environment["PATH"] = std::string(PMC_PG_BINDIR) + ":/usr/bin:/bin";
  environment["DATABASE_URL"] = url;
  environment["PMC_EXPECTED_ENV"] = "prod";
  char timeout[32];
  std::snprintf(timeout, sizeof timeout, "%.1f", lock_timeout_seconds);

  ConcurrentPipelines result;
  std::vector<int> pids;
  const auto started = std::chrono::steady_clock::now();
  for (int i = 0; i < count; ++i) {
    const fs::path backups = work_dir / ("backups-" + std::to_string(i));
    fs::create_directories(backups);
    pids.push_back(spawn_detached(
        {"/bin/bash", std::string(PMC_SOURCE_DIR) + "/scripts/deploy-pipeline.sh",
         "--migrations", migrations.string(), "--backup-dir", backups.string(), "--lock-timeout",
         timeout},
        environment, (work_dir / ("pipeline-" + std::to_string(i) + ".log")).string()));
  }
  for (int i = 0; i < count; ++i) {
    int status = 0;
    PipelineOutcome outcome;
    if (waitpid(pids[static_cast<std::size_t>(i)], &status, 0) > 0) {
      outcome.exit_code = WIFSIGNALED(status) ? -WTERMSIG(status) : WEXITSTATUS(status);
    }
    std::ifstream in(work_dir / ("pipeline-" + std::to_string(i) + ".log"), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    outcome.log = text.str();
    result.pipelines.push_back(std::move(outcome));
  }
  result.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

std::string applied_exactly_once_problem(const std::string& url, const fs::path& migrations) {
  std::vector<std::string> folders;
  for (const auto& entry : fs::directory_iterator(migrations)) {
    if (entry.is_directory()) folders.push_back(entry.path().filename().string());
  }
  const SqlResult rows = run_sql(
      url,
      "SELECT migration_name, count(*) FILTER (WHERE finished_at IS NOT NULL AND rolled_back_at "
      "IS NULL), count(*) FILTER (WHERE finished_at IS NULL AND rolled_back_at IS NULL), "
      "count(*) FILTER (WHERE rolled_back_at IS NOT NULL) FROM _prisma_migrations GROUP BY 1");
  if (!rows.ok()) return "cannot read _prisma_migrations: " + rows.error;
  std::string problem;
  std::size_t applied_once = 0;
  for (const auto& row : rows.rows) {
    const std::string name = row[0].value_or("?");
    if (row[1] != std::optional<std::string>("1") || row[2] != std::optional<std::string>("0") ||
        row[3] != std::optional<std::string>("0")) {
      problem += name + ": " + row[1].value_or("?") + " applied, " + row[2].value_or("?") +
                 " failed, " + row[3].value_or("?") + " rolled back; ";
    } else {
      ++applied_once;
    }
  }
  if (applied_once != folders.size() || rows.rows.size() != folders.size()) {
    problem += std::to_string(folders.size()) + " folders, " + std::to_string(rows.rows.size()) +
               " migrations with rows, " + std::to_string(applied_once) + " applied exactly once";
  }
  return problem;
}

void write_generated_migrations(const fs::path& migrations, int count) {
  for (int i = 0; i < count; ++i) {
    const std::string n = std::to_string(i);
    char name[64];
    std::snprintf(name, sizeof name, "2025%010d_item_%d", i, i);
    fs::create_directories(migrations / name);
    std::string script = "-- CreateEnum\nCREATE TYPE \"Status" + n +
                         "\" AS ENUM ('ACTIVE', 'PAUSED');\n\n-- CreateTable\nCREATE TABLE \"item_" +
                         n +
                         "\" (\n    \"id\" SERIAL NOT NULL,\n    \"name\" TEXT NOT NULL,\n"
                         "    \"status\" \"Status" +
                         n +
                         "\" NOT NULL DEFAULT 'ACTIVE',\n    \"parentId\" INTEGER,\n\n"
                         "    CONSTRAINT \"item_" +
                         n + "_pkey\" PRIMARY KEY (\"id\")\n);\n\n-- CreateIndex\nCREATE UNIQUE INDEX \"item_" +
                         n + "_name_key\" ON \"item_" + n + "\"(\"name\");\n";
    if (i > 0) {
      script += "\n-- AddForeignKey\nALTER TABLE \"item_" + n + "\" ADD CONSTRAINT \"item_" + n +
                "_parentId_fkey\" FOREIGN KEY (\"parentId\") REFERENCES \"item_" +
                std::to_string(i - 1) + "\"(\"id\") ON DELETE SET NULL ON UPDATE CASCADE;\n";
    }
    std::ofstream(migrations / name / "migration.sql", std::ios::binary) << script;
  }
}

}  // namespace pmc::test
