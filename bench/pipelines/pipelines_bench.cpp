// pmc-bench-pipelines: the deploy pipeline (scripts/deploy-pipeline.sh: predeploy gate, verified
// pg_dump backup, resolve, deploy) started N times at once against one new database, beside one
// pipeline alone on another, repeated; every run is checked (every pipeline exits 0, every
// migration has exactly one applied row). Prints the wall times and their ratio.
//
//   <build>/bench/pipelines/pmc-bench-pipelines [--pipelines 8] [--runs 3] [--migrations 40]
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include "concurrent_pipelines.hpp"
#include "pmc/cli.hpp"
#include "pmc/db.hpp"
#include "pmc/fingerprint_access.hpp"
#include "pmc/guard.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::bench {
namespace {

namespace fs = std::filesystem;

struct Settings {
  int pipelines = 8;
  int runs = 3;
  int migrations = 40;
};

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

class Bench {
 public:
  explicit Bench(const Settings& settings)
      : settings_(settings), ci_(guard::enforce_ci_only_execution()) {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/pmc-bench-pipelines-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    migrations_ = root_ / "migrations";
    fs::create_directories(migrations_);
    fs::copy(fs::path(PMC_SOURCE_DIR) / "fixtures/prisma-app/prisma/migrations", migrations_,
             fs::copy_options::recursive);
    test::write_generated_migrations(migrations_, settings_.migrations);
  }
  ~Bench() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  Bench(const Bench&) = delete;
  Bench& operator=(const Bench&) = delete;

  // `count` pipelines at once on a new database; the wall time, after checking the outcome.
  double pipelines(int count) {
    const std::string url = cluster_.fresh_database("bench");
    db::ConnectOptions options;
    options.url = url;
    options.application_name = "pmc-bench-pipelines";
    options.expected_environment = "prod";
    db::connect_for_fingerprint_init(options, ci_).write_first("prod");
    const fs::path work = root_ / ("run-" + std::to_string(++runs_));
    fs::create_directories(work);
    const test::ConcurrentPipelines run =
        test::run_pipelines_at_once(count, url, migrations_, work, 600);
    for (const test::PipelineOutcome& pipeline : run.pipelines) {
      if (pipeline.exit_code != 0) {
        throw std::runtime_error("a pipeline failed (exit " + std::to_string(pipeline.exit_code) +
                                 "):\n" + pipeline.log);
      }
    }
    if (const std::string problem = test::applied_exactly_once_problem(url, migrations_);
        !problem.empty()) {
      throw std::runtime_error("not every migration was applied exactly once: " + problem);
    }
    return run.seconds;
  }

 private:
  Settings settings_;
  test::ThrowawayCluster cluster_;
  guard::CiPass ci_;
  fs::path root_, migrations_;
  int runs_ = 0;
};

int run(const Settings& settings) {
  std::printf(
      "pmc-bench-pipelines: deploy-pipeline.sh (gate, pg_dump backup, resolve, deploy) with %d "
      "migrations (the reference app's 4 and %d generated), each run on a new database; median "
      "of %d runs; every pipeline must exit 0 and every migration be applied exactly once\n",
      settings.migrations + 4, settings.migrations, settings.runs);
  std::fflush(stdout);
  Bench bench(settings);
  std::vector<double> alone, together;
  for (int i = 0; i < settings.runs; ++i) {
    alone.push_back(bench.pipelines(1));
    together.push_back(bench.pipelines(settings.pipelines));
  }
  const double one = median(alone);
  const double all = median(together);
  std::printf("  %-44s %8.3f s\n", "one pipeline alone", one);
  std::printf("  %-44s %8.3f s   %.2fx one alone, %.2fx %d run one after another\n",
              (std::to_string(settings.pipelines) + " pipelines started at once").c_str(), all,
              all / one, all / (one * settings.pipelines), settings.pipelines);
  std::printf("  every run: %d pipelines exited 0, each of the %d migrations applied once\n",
              settings.pipelines, settings.migrations + 4);
  return 0;
}

}  // namespace
}  // namespace pmc::bench

int main(int argc, char** argv) {
  pmc::cli::CommandLine command_line(
      "pmc-bench-pipelines",
      "Times N deploy pipelines started at once against one database beside one pipeline alone, "
      "on a throwaway cluster it starts and removes; checks every migration applied once.");
  CLI::App& app = command_line.app();
  pmc::bench::Settings settings;
  app.add_option("--pipelines", settings.pipelines, "pipelines started at once")
      ->check(CLI::Range(1, 64));
  app.add_option("--runs", settings.runs, "runs of each (the median)")->check(CLI::PositiveNumber);
  app.add_option("--migrations", settings.migrations, "generated migrations besides the 4")
      ->check(CLI::Range(0, 10000));
  if (const std::optional<int> done = command_line.parse(argc, argv)) return *done;
  // The pipeline's programs run their CI guard; this bench is their CI.
  setenv("CI", "true", 1);
  return pmc::cli::run("pmc-bench-pipelines", [&] { return pmc::bench::run(settings); });
}
