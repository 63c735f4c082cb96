// pmc-bench-deploy: pmc-deploy-db applying N generated migrations (about five objects each)
// beside its baselines, in one run on one throwaway cluster: (a) the floor, psql sending each file
// as one query over one session with no bookkeeping, and (b) the Prisma CLI route (prisma 6.19.3,
// JS engine, tests/migrations/prisma-route.sh). Prints the times and the ratios (target: pmc
// within 1.3x of the floor).
//
//   <build>/bench/deploy/pmc-bench-deploy [--migrations N] [--runs N] [--prisma-runs N] [--fsync]
#include <libpq-fe.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "pmc/cli.hpp"
#include "pmc/db.hpp"
#include "pmc/fingerprint_access.hpp"
#include "pmc/guard.hpp"
#include "process.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::bench {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

struct Settings {
  int migrations = 500;
  int runs = 3;         // pmc and the floor: the median of this many
  int prisma_runs = 1;  // the Prisma route is slow; once is enough for its ratio
  bool fsync = false;   // the harness's clusters run with fsync off; production does not
};

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

double median(std::vector<double> values) {
  std::sort(values.begin(), values.end());
  return values[values.size() / 2];
}

std::string scalar(const std::string& url, const std::string& query) {
  PGconn* connection = PQconnectdb(url.c_str());
  PGresult* result = PQexec(connection, query.c_str());
  std::string value = PQresultStatus(result) == PGRES_TUPLES_OK && PQntuples(result) > 0
                          ? PQgetvalue(result, 0, 0)
                          : std::string("error: ") + PQerrorMessage(connection);
  PQclear(result);
  PQfinish(connection);
  return value;
}

void expect(const std::string& url, const std::string& query, const std::string& value) {
  const std::string found = scalar(url, query);
  if (found != value) throw std::runtime_error(query + ": expected " + value + ", found " + found);
}

// Prisma's own style of migration: an enum, a table (with its sequence and primary key), a
// unique index, a foreign key to the previous migration's table.
std::string migration_script(int i) {
  const std::string n = std::to_string(i);
  std::string script =
      "-- CreateEnum\n"
      "CREATE TYPE \"Status" +
      n +
      "\" AS ENUM ('ACTIVE', 'PAUSED', 'RETIRED');\n\n"
      "-- CreateTable\n"
      "CREATE TABLE \"item_" +
      n +
      "\" (\n"
      "    \"id\" SERIAL NOT NULL,\n"
      "    \"name\" TEXT NOT NULL,\n"
      "    \"status\" \"Status" +
      n +
      "\" NOT NULL DEFAULT 'ACTIVE',\n"
      "    \"parentId\" INTEGER,\n"
      "    \"createdAt\" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,\n\n"
      "    CONSTRAINT \"item_" +
      n +
      "_pkey\" PRIMARY KEY (\"id\")\n"
      ");\n\n"
      "-- CreateIndex\n"
      "CREATE UNIQUE INDEX \"item_" +
      n + "_name_key\" ON \"item_" + n + "\"(\"name\");\n";
  if (i > 0) {
    script +=
        "\n-- AddForeignKey\n"
        "ALTER TABLE \"item_" +
        n + "\" ADD CONSTRAINT \"item_" + n +
        "_parentId_fkey\" FOREIGN KEY (\"parentId\") REFERENCES \"item_" + std::to_string(i - 1) +
        "\"(\"id\") ON DELETE SET NULL ON UPDATE CASCADE;\n";
  }
  return script;
}

class Bench {
 public:
  explicit Bench(const Settings& settings)
      : settings_(settings), ci_(guard::enforce_ci_only_execution()) {
    if (settings_.fsync) {
      scalar(cluster_.url(), "ALTER SYSTEM SET fsync = on");
      scalar(cluster_.url(), "SELECT pg_reload_conf()");
    }
    expect(cluster_.url(), "SHOW fsync", settings_.fsync ? "on" : "off");
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/pmc-bench-deploy-XXXXXX";
    if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
    root_ = pattern;
    dir_ = root_ / "migrations";
    fs::create_directories(dir_);
    std::ofstream(dir_ / "migration_lock.toml") << "provider = \"postgresql\"\n";
    for (int i = 0; i < settings_.migrations; ++i) {
      char name[64];
      std::snprintf(name, sizeof name, "2024%010d_item_%d", i, i);
      fs::create_directories(dir_ / name);
      scripts_.push_back(migration_script(i));
      std::ofstream(dir_ / name / "migration.sql", std::ios::binary) << scripts_.back();
    }
  }
  ~Bench() {
    std::error_code ignored;
    fs::remove_all(root_, ignored);
  }
  Bench(const Bench&) = delete;
  Bench& operator=(const Bench&) = delete;

  // (a) One psql session; each file is one -c, which psql sends as one simple query.
  double floor() {
    const std::string url = database("floor", true);
    std::vector<std::string> argv = {
        std::string(PMC_PG_BINDIR) + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", url};
    for (const std::string& script : scripts_) {
      argv.push_back("-c");
      argv.push_back(script);
    }
    const double elapsed = timed(argv, test::clean_environment(), "psql");
    expect_tables(url);
    return elapsed;
  }

  double pmc() {
    const std::string url = database("pmc", true);
    test::Environment environment = test::clean_environment();
    environment["CI"] = "true";
    environment["DATABASE_URL"] = url;
    environment["PMC_EXPECTED_ENV"] = "prod";
    const double elapsed = timed({test::pmc_binary("pmc-deploy-db"), "--migrations", dir_.string()},
                                 environment, "pmc-deploy-db");
    expect_tables(url);
    expect(url, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL",
           std::to_string(settings_.migrations));
    return elapsed;
  }

  // (b) Prisma refuses a fingerprinted database as not empty (P3005): it gets a bare one.
  double prisma() {
    const std::string url = database("prisma", false);
    const double elapsed = timed(prisma_argv("deploy"), prisma_environment(url), "prisma");
    expect_tables(url);
    expect(url, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NOT NULL",
           std::to_string(settings_.migrations));
    last_prisma_url_ = url;
    return elapsed;
  }

  // What the Prisma route costs with nothing to do: node, the CLI, the config, one connection.
  double prisma_fixed_cost() {
    return timed(prisma_argv("status"), prisma_environment(last_prisma_url_), "prisma");
  }

  static void install_prisma() {
    const test::ProcessResult install =
        test::run_process({"/bin/bash", PMC_PRISMA_ROUTE, "install"}, test::clean_environment(), "",
                          std::chrono::minutes(10));
    if (install.exit_code != 0) throw std::runtime_error("prisma-route.sh install: " + install.err);
  }

 private:
  std::vector<std::string> prisma_argv(const std::string& command) const {
    return {"/bin/bash", PMC_PRISMA_ROUTE, "run", dir_.string(), "migrate", command};
  }

  static test::Environment prisma_environment(const std::string& url) {
    test::Environment environment = test::clean_environment();
    environment["DATABASE_URL"] = url;
    return environment;
  }

  static double timed(const std::vector<std::string>& argv, const test::Environment& environment,
                      const std::string& what) {
    const Clock::time_point start = Clock::now();
    const test::ProcessResult result =
        test::run_process(argv, environment, "", std::chrono::minutes(30));
    const double elapsed = seconds_since(start);
    if (result.exit_code != 0) {
      throw std::runtime_error(what + " failed: " + result.err.substr(0, 2000) +
                               result.out.substr(0, 2000));
    }
    return elapsed;
  }

  std::string database(const std::string& prefix, bool fingerprinted) {
    const std::string url = cluster_.fresh_database(prefix);
    if (fingerprinted) {
      db::ConnectOptions options;
      options.url = url;
      options.application_name = "pmc-bench-deploy";
      options.expected_environment = "prod";
      db::connect_for_fingerprint_init(options, ci_).write_first("prod");
    }
    return url;
  }

  void expect_tables(const std::string& url) const {
    expect(url, "SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relname LIKE 'item\\_%'",
           std::to_string(settings_.migrations));
  }

  Settings settings_;
  test::ThrowawayCluster cluster_;
  guard::CiPass ci_;
  fs::path root_, dir_;
  std::vector<std::string> scripts_;
  std::string last_prisma_url_;
};

double repeated(int runs, const std::function<double()>& measure) {
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) times.push_back(measure());
  return median(times);
}

void line(const char* what, double seconds, const std::string& ratio = {}) {
  std::printf("  %-48s %8.3f s   %s\n", what, seconds, ratio.c_str());
}

std::string ratio_text(double ratio, const char* against) {
  char text[96];
  std::snprintf(text, sizeof text, "%6.2fx %s", ratio, against);
  return text;
}

int run(const Settings& settings) {
  std::printf(
      "pmc-bench-deploy: %d migrations (enum, table + sequence + primary key, unique "
      "index, foreign key each); pmc and floor: median of %d runs, Prisma: %d; fsync %s\n",
      settings.migrations, settings.runs, settings.prisma_runs,
      settings.fsync ? "on" : "off (the test harness's setting)");
  std::fflush(stdout);
  Bench::install_prisma();
  Bench bench(settings);
  // Interleaved, so that a machine whose load drifts weighs on both alike.
  std::vector<double> floors, pmcs;
  for (int run = 0; run < settings.runs; ++run) {
    floors.push_back(bench.floor());
    pmcs.push_back(bench.pmc());
  }
  const double floor = median(floors);
  const double pmc = median(pmcs);
  const double prisma = repeated(settings.prisma_runs, [&] { return bench.prisma(); });
  const double prisma_fixed = bench.prisma_fixed_cost();

  char target[96];
  std::snprintf(target, sizeof target, "%s (target <= 1.3x: %s)",
                ratio_text(pmc / floor, "the floor").c_str(),
                pmc <= 1.3 * floor ? "met" : "MISSED");
  line("(a) floor: psql, each file one query", floor);
  line("pmc-deploy-db (lock, checks, Prisma's rows)", pmc, target);
  line("(b) Prisma CLI route: prisma migrate deploy", prisma,
       ratio_text(prisma / floor, "the floor") + ", " + ratio_text(prisma / pmc, "pmc"));
  line("    of which its fixed cost (migrate status)", prisma_fixed);
  std::printf("  pmc's bookkeeping per migration: %.2f ms over the floor's %.2f ms\n",
              (pmc - floor) * 1000.0 / settings.migrations, floor * 1000.0 / settings.migrations);
  return 0;
}

}  // namespace
}  // namespace pmc::bench

int main(int argc, char** argv) {
  pmc::cli::CommandLine command_line(
      "pmc-bench-deploy",
      "Times pmc-deploy-db on generated migrations beside psql (one query per file, the floor) "
      "and the Prisma CLI route, on a throwaway cluster it starts and removes.");
  CLI::App& app = command_line.app();
  pmc::bench::Settings settings;
  app.add_option("--migrations", settings.migrations, "migrations to generate")
      ->check(CLI::PositiveNumber);
  app.add_option("--runs", settings.runs, "runs of pmc and the floor (the median)")
      ->check(CLI::PositiveNumber);
  app.add_option("--prisma-runs", settings.prisma_runs, "runs of the Prisma route (the median)")
      ->check(CLI::PositiveNumber);
  app.add_flag("--fsync", settings.fsync,
               "run the cluster with fsync on, as production does (every commit reaches the disk)");
  if (const std::optional<int> done = command_line.parse(argc, argv)) return *done;
  // The bench writes fingerprints and deploys on its own throwaway cluster only.
  setenv("CI", "true", 1);
  try {
    return pmc::bench::run(settings);
  } catch (const std::exception& error) {
    std::fprintf(stderr, "pmc-bench-deploy: %s\n", error.what());
    return 1;
  }
}
