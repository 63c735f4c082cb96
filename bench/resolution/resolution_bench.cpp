// pmc-bench-resolution: how long resolution takes to decide one failed migration with about
// 2,000 objects (target: under 100 ms), in one run on one throwaway cluster:
//   - the decision in-process (read _prisma_migrations, extract, ONE catalog query, decide), and
//     its parts: extracting the effects, the catalog query;
//   - pmc-check-failed-migrations end to end (process start, connect, fingerprint, decision);
//   - the floor: psql -c 'SELECT 1' (start a client, connect, one query);
//   - the baseline: the same lookups as one round trip per object.
// Each figure is the median (and the least) of --runs runs, with this process's CPU time, for the
// migration fully applied (every object found and compared) and not applied at all.
//
//   <build>/bench/resolution/pmc-bench-resolution [--objects N] [--runs N]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <string>
#include <thread>
#include <vector>

#include "pmc/cli.hpp"
#include "pmc/db.hpp"
#include "pmc/fingerprint_access.hpp"
#include "pmc/guard.hpp"
#include "pmc/migrations/checksum.hpp"
#include "pmc/migrations/history.hpp"
#include "pmc/migrations/store.hpp"
#include "pmc/resolution/assessment.hpp"
#include "pmc/resolution/catalog_check.hpp"
#include "pmc/resolution/extract.hpp"
#include "process.hpp"
#include "raw_sql.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::bench {
namespace {

using Clock = std::chrono::steady_clock;
constexpr char kMigration[] = "20250101000000_bench";

struct Timing {
  double median = 0;  // wall clock
  double least = 0;   // wall clock: the run that waited least for a core
  double cpu = 0;     // this process's CPU time, median (the server's is not in it)
};

double cpu_milliseconds() {
  timespec now{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) * 1e3 + static_cast<double>(now.tv_nsec) / 1e6;
}

Timing time_runs(int runs, const std::function<void()>& work) {
  std::vector<double> wall, cpu;
  for (int run = 0; run < runs; ++run) {
    const double cpu_start = cpu_milliseconds();
    const Clock::time_point start = Clock::now();
    work();
    wall.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    cpu.push_back(cpu_milliseconds() - cpu_start);
  }
  std::sort(wall.begin(), wall.end());
  std::sort(cpu.begin(), cpu.end());
  return {wall[wall.size() / 2], wall.front(), cpu[cpu.size() / 2]};
}

// Each table brings 15 objects: itself, 8 columns (types with typmods, defaults), its serial
// sequence, primary key, check, unique index, index and foreign key.
std::string generate_migration(std::size_t objects) {
  std::string sql = "CREATE TYPE \"BenchStatus\" AS ENUM ('ACTIVE', 'PAUSED', 'CLOSED');\n";
  for (std::size_t i = 0; 4 + i * 15 < objects; ++i) {
    const std::string t = "bench_table_" + std::to_string(i);
    sql += "CREATE TABLE \"" + t +
           "\" (\n"
           "    \"id\" SERIAL PRIMARY KEY,\n"
           "    \"name\" VARCHAR(120) NOT NULL,\n"
           "    \"status\" \"BenchStatus\" NOT NULL DEFAULT 'ACTIVE',\n"
           "    \"amount\" DECIMAL(12,2) NOT NULL DEFAULT 0,\n"
           "    \"created_at\" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,\n"
           "    \"note\" TEXT,\n"
           "    \"parent_id\" INTEGER,\n"
           "    \"flags\" TEXT[] DEFAULT '{}',\n"
           "    CONSTRAINT \"" +
           t +
           "_amount_check\" CHECK (\"amount\" >= 0)\n"
           ");\n"
           "CREATE UNIQUE INDEX \"" +
           t + "_name_key\" ON \"" + t +
           "\"(\"name\");\n"
           "CREATE INDEX \"" +
           t + "_created_at_idx\" ON \"" + t +
           "\"(\"created_at\");\n"
           "ALTER TABLE \"" +
           t + "\" ADD CONSTRAINT \"" + t +
           "_parent_id_fkey\" FOREIGN KEY "
           "(\"parent_id\") REFERENCES \"" +
           t + "\"(\"id\");\n";
  }
  return sql;
}

void must(const std::string& url, const std::string& sql) {
  const test::SqlResult result = test::run_sql(url, sql);
  if (!result.ok()) {
    std::cerr << "pmc-bench-resolution: setup failed: " << result.error << "\n";
    std::exit(2);
  }
}

struct Figures {
  Timing decision, extract, query, program, floor, baseline;
  std::size_t effects = 0;
  std::string outcome;
};

Figures measure(const std::string& url, const std::filesystem::path& dir, int runs) {
  Figures figures;
  db::ConnectOptions options;
  options.url = url;
  options.application_name = "pmc-bench-resolution";
  options.expected_environment = "dev";
  db::ReadOnlyConnection connection = db::connect_read_only(options);
  const migrations::MigrationStore store = migrations::MigrationStore::load(dir);
  const std::string& script = store.migrations().front().script;

  resolution::Assessment assessment;
  figures.decision = time_runs(
      runs, [&] { assessment = resolution::assess_failed_migrations(connection, store); });
  figures.effects = assessment.migrations.front().checks.size();
  figures.outcome = resolution::outcome_name(assessment.migrations.front().decision.outcome);

  resolution::MigrationEffects effects;
  figures.extract = time_runs(runs, [&] { effects = resolution::extract_effects(script); });
  figures.query = time_runs(runs, [&] { resolution::check_effects(connection, {effects}); });

  test::Environment environment = test::clean_environment();
  environment["DATABASE_URL"] = url;
  environment["PMC_EXPECTED_ENV"] = "dev";
  figures.program = time_runs(runs, [&] {
    test::run_process(
        {test::pmc_binary("pmc-check-failed-migrations"), "--migrations", dir.string()},
        environment);
  });
  // The floor of any program that starts and asks the server something: psql -c 'SELECT 1'.
  figures.floor = time_runs(runs, [&] {
    test::run_process({std::string(PMC_PG_BINDIR) + "/psql", "-X", "-q", "-c", "SELECT 1", url},
                      environment);
  });

  // The naive way: one round trip per object (the same lookup, one effect at a time).
  std::vector<resolution::MigrationEffects> one_each;
  for (const resolution::Effect& effect : effects.effects) one_each.push_back({{effect}, {}});
  figures.baseline = time_runs(1, [&] {
    for (const resolution::MigrationEffects& single : one_each) {
      resolution::check_effects(connection, {single});
    }
  });
  return figures;
}

void row(const char* what, const Timing& timing) {
  std::printf("  %-54s %10.1f %10.1f %10.1f\n", what, timing.median, timing.least, timing.cpu);
}

void print(const char* state, const Figures& f) {
  std::printf("%s: %zu objects, decided: %s\n", state, f.effects, f.outcome.c_str());
  std::printf("  %-54s %10s %10s %10s\n", "", "median ms", "least ms", "our CPU ms");
  row("decision in-process (rows, extract, one query, decide)", f.decision);
  row("  extract the effects from the SQL", f.extract);
  row("  the one catalog query and the comparison", f.query);
  row("pmc-check-failed-migrations end to end", f.program);
  row("floor: psql -c 'SELECT 1' end to end", f.floor);
  row("baseline: one round trip per object (one run)", f.baseline);
  std::printf(
      "  decision %s the 100 ms target (median); baseline / decision = %.0fx; "
      "program / floor = %.1fx\n",
      f.decision.median < 100.0 ? "meets" : "MISSES", f.baseline.median / f.decision.median,
      f.program.median / f.floor.median);
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string one, five;
  in >> one >> five;
  return one + " " + five;
}

int run(std::size_t objects, int runs) {
  setenv("CI", "true", 1);  // the bench writes its own fingerprints into its own cluster
  test::ThrowawayCluster cluster;
  const std::filesystem::path dir = cluster.dir() / "migrations";
  std::filesystem::create_directories(dir / kMigration);
  const std::string script = generate_migration(objects);
  std::ofstream(dir / kMigration / "migration.sql", std::ios::binary) << script;

  std::vector<std::pair<const char*, std::string>> states = {{"applied", "bench_applied"},
                                                             {"not applied", "bench_none"}};
  for (const auto& [state, name] : states) {
    const std::string url = cluster.create_database(name);
    const guard::CiPass pass = guard::enforce_ci_only_execution();
    db::ConnectOptions options;
    options.url = url;
    options.application_name = "pmc-bench-resolution";
    options.expected_environment = "dev";
    db::connect_for_fingerprint_init(options, pass).write_first("dev");
    must(url, std::string(migrations::kMigrationsTableDdl));
    must(url,
         "INSERT INTO _prisma_migrations (id, checksum, migration_name, logs) VALUES "
         "(gen_random_uuid()::text, " +
             test::sql_literal(migrations::checksum_of(script)) + ", '" + kMigration + "', 'failed')");
    if (std::string(state) == "applied") must(url, script);
    print(state, measure(url, dir, runs));
  }
  std::printf(
      "%d runs per figure; load average %s on %u cores (wall times include waiting for "
      "a core when other jobs run)\n",
      runs, load_average().c_str(), std::thread::hardware_concurrency());
  return 0;
}

}  // namespace
}  // namespace pmc::bench

int main(int argc, char** argv) {
  pmc::cli::CommandLine command_line(
      "pmc-bench-resolution",
      "Times the decision for one failed migration of about 2,000 objects beside one round trip "
      "per object, on a throwaway cluster of its own.");
  std::size_t objects = 2000;
  int runs = 11;
  command_line.app()
      .add_option("--objects", objects, "objects in the generated migration")
      ->check(CLI::Range(20, 100000));
  command_line.app()
      .add_option("--runs", runs, "runs per figure (the median is printed)")
      ->check(CLI::Range(1, 1000));
  if (const std::optional<int> done = command_line.parse(argc, argv)) return *done;
  return pmc::cli::run("pmc-bench-resolution", [&] { return pmc::bench::run(objects, runs); });
}
