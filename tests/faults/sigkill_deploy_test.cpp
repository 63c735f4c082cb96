// pmc-deploy-db killed with SIGKILL at a random moment of a deploy, 50 times in a row on one
// database whose history grows by two migrations a round (one of 40 DDL statements, long enough
// for kills to land inside it, and a small one). After every kill the database must be in a state
// the next run finishes: at most one failed row, every migration's statements all there or none,
// and after the pipeline's recovery each migration applied exactly once. The moments are seeded
// (PMC_FAULT_SEED reproduces a run) and every round's kill and what the next run saw is printed.
#include <gtest/gtest.h>
#include <signal.h>

#include <chrono>
#include <cstdio>
#include <algorithm>
#include <cstdlib>
#include <map>
#include <random>
#include <thread>

#include "deploy_recovery.hpp"
#include "fault_support.hpp"
#include "migration_test_support.hpp"

namespace pmc::test {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr int kRounds = 50;
constexpr int kTables = 20;           // per long migration: a table and an index each
constexpr int kObjects = 3 * kTables;  // tables, their primary-key indexes, the other indexes

std::string stamp(int round, int which) {
  char text[32];
  std::snprintf(text, sizeof text, "20250101%06d", round * 10 + which);
  return text;
}
std::string tables_name(int round) { return stamp(round, 0) + "_r" + std::to_string(round) + "_tables"; }
std::string note_name(int round) { return stamp(round, 1) + "_r" + std::to_string(round) + "_note"; }

std::string tables_script(int round) {
  std::string script;
  for (int t = 0; t < kTables; ++t) {
    const std::string table = "r" + std::to_string(round) + "_t" + std::to_string(t);
    script += "CREATE TABLE \"" + table + "\" (\"id\" INTEGER PRIMARY KEY, \"v\" TEXT);\n" +
              "CREATE INDEX \"" + table + "_v_idx\" ON \"" + table + "\"(\"v\");\n";
  }
  return script;
}

int tables_objects(const std::string& url, int round) {
  return std::stoi(one(url,
                       "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = "
                       "c.relnamespace WHERE n.nspname = 'public' AND c.relname LIKE 'r" +
                           std::to_string(round) + "\\_t%'"));
}

bool note_exists(const std::string& url, int round) {
  return one(url, "SELECT to_regclass('r" + std::to_string(round) + "_note') IS NOT NULL") == "t";
}

unsigned seed_of_this_run() {
  if (const char* given = std::getenv("PMC_FAULT_SEED"); given != nullptr && *given != '\0') {
    return static_cast<unsigned>(std::strtoul(given, nullptr, 10));
  }
  return std::random_device{}();
}

// What the state says about where the kill landed.
std::string phase_of(int exit_code, const RowCounts& tables, const RowCounts& note,
                     int objects, const std::string& output) {
  if (exit_code >= 0) return "after the deploy had finished";
  if (tables.failed == 1) {
    return objects == kObjects ? "inside the long script (its backend finished and committed it)"
                               : "after its row was started, before its script ran";
  }
  if (note.failed == 1) {
    return note.applied == 0 && tables.applied == 1
               ? "inside or just before the small script"
               : "?";
  }
  if (tables.applied == 1 && note.applied == 1) return "after both were applied, before exit";
  if (tables.applied == 1) return "between the two migrations";
  return mentions(output, "migrations found") ? "after connecting, before any row was written"
                                              : "while starting, connecting or checking the "
                                                "fingerprint";
}

TEST(SigkillDeploy, FiftyKillsAtRandomMomentsEachLeaveAStateTheNextRunFinishes) {
  const unsigned seed = seed_of_this_run();
  std::mt19937 random(seed);
  journal("seed " + std::to_string(seed) + " (PMC_FAULT_SEED=" + std::to_string(seed) +
          " repeats this run); recovery through " +
          (resolution_programs_built()
               ? "pmc-check-failed-migrations and pmc-resolve-applied-migrations"
               : "the deprecated pmc-resolve-failed-migrations (resolution programs not built)"));

  const std::string url = fingerprinted_database("sigkill");
  MigrationsFolder folder = MigrationsFolder::copy_of(reference_migrations());
  Environment environment = clean_environment();
  environment["CI"] = "true";
  environment["DATABASE_URL"] = url;
  environment["PMC_EXPECTED_ENV"] = "prod";
  const MigrationsFolder logs;
  const std::string log = (logs.path() / "deploy.log").string();
  auto start_deploy = [&] {
    return spawn_detached({pmc_binary("pmc-deploy-db"), "--migrations", folder.path().string(),
                           "--lock-timeout", "30"},
                          environment, log);
  };
  // The moment the program has connected and its fingerprint passed: its first line.
  auto wait_until_connected = [&log] {
    for (int i = 0; i < 10000 && !mentions(read_file(log), "migrations found"); ++i) {
      std::this_thread::sleep_for(milliseconds(1));
    }
  };

  // Rounds 0 and 1 are not killed: round 1 measures how long one round's deploy takes here, and
  // how much of it passes before the program has connected.
  folder.write(tables_name(0), tables_script(0));
  folder.write(note_name(0), "CREATE TABLE \"r0_note\" (\"id\" INTEGER);\n");
  ASSERT_EQ(deploy(url, folder).exit_code, 0);
  folder.write(tables_name(1), tables_script(1));
  folder.write(note_name(1), "CREATE TABLE \"r1_note\" (\"id\" INTEGER);\n");
  const Clock::time_point timed = Clock::now();
  const int calibration = start_deploy();
  wait_until_connected();
  const long connect_ms =
      std::chrono::duration_cast<milliseconds>(Clock::now() - timed).count();
  ASSERT_EQ(wait_for_exit(calibration), 0) << read_file(log);
  const long deploy_ms =
      std::chrono::duration_cast<milliseconds>(Clock::now() - timed).count();
  // Even rounds count from the start of the process (start-up, connect, fingerprint), odd rounds
  // from its first line (lock, bookkeeping, scripts), so both halves of a deploy get kills.
  std::uniform_int_distribution<long> from_start(0, deploy_ms);
  std::uniform_int_distribution<long> from_connected(0, std::max(1L, deploy_ms - connect_ms));
  journal("one round's deploy takes " + std::to_string(deploy_ms) + " ms here, " +
          std::to_string(connect_ms) + " ms of it before it has connected; kills land uniformly "
          "in [0, " + std::to_string(deploy_ms) + "] ms after the start (even rounds) or in [0, " +
          std::to_string(std::max(1L, deploy_ms - connect_ms)) +
          "] ms after its first line (odd rounds)");

  std::map<std::string, int> phases;
  int failed_rows_seen = 0;
  for (int round = 2; round < kRounds + 2; ++round) {
    SCOPED_TRACE("round " + std::to_string(round) + ", seed " + std::to_string(seed));
    folder.write(tables_name(round), tables_script(round));
    folder.write(note_name(round),
                 "CREATE TABLE \"r" + std::to_string(round) + "_note\" (\"id\" INTEGER);\n");
    const bool after_connecting = round % 2 == 1;
    const long delay = after_connecting ? from_connected(random) : from_start(random);
    const int pid = start_deploy();
    if (after_connecting) wait_until_connected();
    std::this_thread::sleep_for(milliseconds(delay));
    kill(pid, SIGKILL);
    const int exit_code = wait_for_exit(pid);
    const std::string output = read_file(log);
    // A killed client's backend finishes the statement it was given before it notices.
    ASSERT_TRUE(wait_until_gone(url, "pmc-deploy-db"));

    const RowCounts tables = row_counts(url, tables_name(round));
    const RowCounts note = row_counts(url, note_name(round));
    const int objects = tables_objects(url, round);
    const bool note_there = note_exists(url, round);
    // Never half: a migration's statements are all there or none, and its row says which
    // (applied: all; no row: none; failed: either, for the resolution to read).
    EXPECT_TRUE(objects == 0 || objects == kObjects) << objects;
    EXPECT_LE(tables.applied + tables.failed, 1);
    EXPECT_LE(note.applied + note.failed, 1);
    EXPECT_EQ(tables.rolled_back + note.rolled_back, 0);
    EXPECT_EQ(one(url, "SELECT count(*) FROM _prisma_migrations WHERE finished_at IS NULL AND "
                       "rolled_back_at IS NULL"),
              std::to_string(tables.failed + note.failed));
    if (tables.applied == 1) EXPECT_EQ(objects, kObjects);
    if (tables.applied + tables.failed == 0) {
      EXPECT_EQ(objects, 0);
      EXPECT_EQ(note.applied + note.failed, 0);
    }
    if (note.applied == 1) EXPECT_TRUE(note_there);
    if (note.applied + note.failed == 0) EXPECT_FALSE(note_there);
    if (note.applied + note.failed == 1) EXPECT_EQ(tables.applied, 1);

    std::map<std::string, Verdict> expected;
    if (tables.failed == 1) {
      expected[tables_name(round)] = objects == kObjects ? Verdict::Applied : Verdict::RolledBack;
    }
    if (note.failed == 1) {
      expected[note_name(round)] = note_there ? Verdict::Applied : Verdict::RolledBack;
    }
    failed_rows_seen += tables.failed + note.failed;
    const std::string phase = phase_of(exit_code, tables, note, objects, output);
    ++phases[phase];

    // Without a failed row the next deploy needs no resolution (the pipeline's gate and resolve
    // would find nothing); with one, the pipeline's steps resolve it first.
    std::string said = "no failed row, so the deploy alone";
    const ProcessResult next = expected.empty() ? deploy(url, folder, {"--lock-timeout", "30"})
                                                : resolve_then_deploy(url, folder, expected, said);
    EXPECT_EQ(next.exit_code, 0) << next.out << next.err;
    EXPECT_EQ(tables_objects(url, round), kObjects);
    EXPECT_TRUE(note_exists(url, round));
    expect_each_applied_once(url, folder);
    journal("round " + std::to_string(round) + ": SIGKILL " + std::to_string(delay) + " ms after " +
            (after_connecting ? "its first line" : "the start") + " (" +
            describe_exit(exit_code) + "), " + phase + " -> next run saw: " +
            "r" + std::to_string(round) + "_tables " + describe(tables) + " with " +
            std::to_string(objects) + "/" + std::to_string(kObjects) + " objects, r" +
            std::to_string(round) + "_note " + describe(note) + "; " + said +
            "; pmc-deploy-db " + describe_exit(next.exit_code) + ": " +
            last_line(next.out));
    if (HasFailure()) break;
  }
  std::string summary;
  for (const auto& [phase, count] : phases) {
    summary += (summary.empty() ? "" : "; ") + std::to_string(count) + "x " + phase;
  }
  journal(std::to_string(kRounds) + " kills: " + summary + "; " +
          std::to_string(failed_rows_seen) + " failed rows resolved");
  // The kills did land inside scripts, so the recovery of failed rows was exercised.
  EXPECT_GT(failed_rows_seen, 0);
}

}  // namespace
}  // namespace pmc::test
