// The two programs beyond the per-kind outcomes: failed rows pmc cannot analyse (an edited file, a
// missing folder, SQL that does not parse), several failed migrations in one run, the CI guard,
// Prisma's advisory lock, the command line, and a gate that only reads.
#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "pmc/migrations/checksum.hpp"
#include "raw_sql.hpp"
#include "resolution_support.hpp"
#include "server_log.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {
namespace {

// A migrations folder of its own in a temp dir, removed afterwards.
class Folder {
 public:
  Folder() {
    path_ = std::filesystem::temp_directory_path() /
            ("pmc-resolution-" + std::to_string(getpid()) + "-" + std::to_string(++count_));
    std::filesystem::remove_all(path_);
    std::filesystem::create_directories(path_);
  }
  ~Folder() { std::filesystem::remove_all(path_); }
  Folder(const Folder&) = delete;
  Folder& operator=(const Folder&) = delete;

  FixtureMigration write(const std::string& name, const std::string& script) const {
    std::filesystem::create_directories(path_ / name);
    std::ofstream(path_ / name / "migration.sql", std::ios::binary) << script;
    return {name, script};
  }
  const std::filesystem::path& path() const { return path_; }

 private:
  static inline int count_ = 0;
  std::filesystem::path path_;
};

class Programs : public ::testing::Test {
 protected:
  void SetUp() override {
    url_ = ThrowawayCluster::shared().fresh_database("programs");
    fingerprint(url_);
    create_migrations_table(url_);
  }

  ProcessResult check(std::vector<std::string> arguments = {}) {
    return run_program("pmc-check-failed-migrations", url_, folder_.path(), std::move(arguments));
  }
  ProcessResult resolve(std::vector<std::string> arguments = {}, bool in_ci = true) {
    return run_program("pmc-resolve-applied-migrations", url_, folder_.path(), std::move(arguments),
                       in_ci);
  }

  std::string url_;
  Folder folder_;
};

const char kTable[] = "CREATE TABLE a (id int PRIMARY KEY);\nCREATE TABLE b (id int);\n";

TEST_F(Programs, NothingFailedIsNothingToDo) {
  folder_.write("20250101000000_a", kTable);
  run_ok(url_, "DROP TABLE _prisma_migrations");  // also when Prisma never ran here
  for (ProcessResult run : {check(), resolve()}) {
    EXPECT_EQ(run.exit_code, 0) << run.err;
    EXPECT_EQ(run.out, "No failed migrations.\n");
  }
}

TEST_F(Programs, AFileEditedAfterItFailedNeedsAPerson) {
  const FixtureMigration original = folder_.write("20250101000000_a", kTable);
  record_failed(url_, original, 0);
  folder_.write("20250101000000_a", std::string(kTable) + "CREATE TABLE c ();\n");  // edited since
  const auto rows = migration_rows(url_);
  for (ProcessResult run : {check({"--format", "json"}), resolve({"--format", "json"})}) {
    EXPECT_EQ(run.exit_code, 1) << run.err;
    const nlohmann::json report = nlohmann::json::parse(run.out);
    EXPECT_EQ(report["failed_migrations"][0]["outcome"], "needs-person");
    EXPECT_NE(
        report["failed_migrations"][0]["reason"].get<std::string>().find("changed after it failed"),
        std::string::npos)
        << run.out;
  }
  EXPECT_EQ(migration_rows(url_), rows);
  // CRLF line endings are the same file to Prisma, and to pmc.
  std::string crlf;
  for (const char c : std::string(kTable))
    crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  folder_.write("20250101000000_a", crlf);
  EXPECT_EQ(check().exit_code, 0);
}

TEST_F(Programs, AMissingFolderOrSqlThatDoesNotParseNeedsAPerson) {
  record_failed(url_, {"20250101000000_gone", kTable}, 0);
  const FixtureMigration broken = folder_.write("20250102000000_broken", "CREATE TABLE (;\n");
  record_failed(url_, broken, 1);
  const ProcessResult run = check();
  EXPECT_EQ(run.exit_code, 1);
  // Folder order first, then what has no folder.
  EXPECT_LT(run.out.find("20250102000000_broken: NEEDS A PERSON"),
            run.out.find("20250101000000_gone"))
      << run.out;
  EXPECT_NE(run.out.find("does not parse"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("no folder"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("2 failed migrations need a person"), std::string::npos) << run.out;
}

TEST_F(Programs, SeveralFailedMigrationsAreDecidedEachOnItsOwn) {
  const FixtureMigration applied = folder_.write("20250101000000_a", kTable);
  const FixtureMigration data =
      folder_.write("20250102000000_b", "ALTER TABLE b ADD COLUMN n int;\nUPDATE b SET n = id;\n");
  const FixtureMigration partial = folder_.write(
      "20250103000000_c", "CREATE TABLE c1 ();\nCREATE TABLE c2 ();\nCREATE TABLE c3 ();\n");
  record_failed(url_, applied, 0);
  record_failed(url_, data, 1);
  record_failed(url_, partial, 2);
  run_ok(url_, applied.script);
  run_ok(url_, "CREATE TABLE c1 (); CREATE TABLE c3 ();");

  const ProcessResult gate = check();
  EXPECT_EQ(gate.exit_code, 1);
  EXPECT_NE(gate.out.find("20250101000000_a: resolvable: mark applied"), std::string::npos)
      << gate.out;
  // For a person: what exists, what is missing, and what the catalog cannot show, with lines.
  EXPECT_NE(gate.out.find("cannot check  UPDATE of b (data-change), line 2"), std::string::npos)
      << gate.out;
  EXPECT_NE(gate.out.find("  done      create table c1, line 1: present"), std::string::npos)
      << gate.out;
  EXPECT_NE(gate.out.find("  not done  create table c2, line 2: missing"), std::string::npos)
      << gate.out;

  const ProcessResult run = resolve();
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_NE(run.out.find("20250101000000_a: marked applied"), std::string::npos) << run.out;
  const std::vector<std::string> rows = migration_rows(url_);
  ASSERT_EQ(rows.size(), 4U);
  EXPECT_EQ(rows[0].substr(0, 27), "20250101000000_a|false|true");
  EXPECT_EQ(rows[1].substr(0, 28), "20250102000000_b|false|false");
  EXPECT_EQ(rows[2].substr(0, 28), "20250103000000_c|false|false");
  EXPECT_EQ(rows[3],
            "20250101000000_a|true|false|" + migrations::checksum_of(applied.script) + "||0");
}

TEST_F(Programs, WhatTheCatalogCannotTellApartNeedsAPersonEvenWhenFullyApplied) {
  run_ok(url_, "CREATE TABLE t (a int, b int); CREATE INDEX t_idx ON t (a);");
  const FixtureMigration recreated = folder_.write(
      "20250101000000_recreate", "DROP INDEX t_idx;\nCREATE INDEX t_idx ON t (b);\n");
  const FixtureMigration dynamic = folder_.write(
      "20250102000000_dynamic",
      "DO $$ BEGIN EXECUTE format('CREATE TABLE %I (id int)', 'made_' || 'later'); END $$;\n");
  record_failed(url_, recreated, 0);
  record_failed(url_, dynamic, 1);
  run_ok(url_, recreated.script);
  run_ok(url_, dynamic.script);
  const auto rows = migration_rows(url_);
  const ProcessResult run = resolve({"--format", "json"});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  const nlohmann::json report = nlohmann::json::parse(run.out);
  ASSERT_EQ(report["failed_migrations"].size(), 2U);
  EXPECT_EQ(report["failed_migrations"][0]["concerns"][0]["concern"], "indistinguishable");
  EXPECT_EQ(report["failed_migrations"][1]["concerns"][0]["concern"], "dynamic-sql");
  EXPECT_EQ(report["needs_person"], 2);
  EXPECT_EQ(migration_rows(url_), rows);
}

TEST_F(Programs, ResolveOutsideCiIsRefusedBeforeAnyConnection) {
  const FixtureMigration migration = folder_.write("20250101000000_a", kTable);
  record_failed(url_, migration, 0);
  const auto rows = migration_rows(url_);
  const ServerLogWatch log(ThrowawayCluster::shared());
  const ProcessResult refused = resolve({}, /*in_ci=*/false);
  EXPECT_EQ(refused.exit_code, 1);
  EXPECT_NE(refused.err.find("CI"), std::string::npos) << refused.err;
  EXPECT_TRUE(refused.out.empty());
  EXPECT_TRUE(log.connection_lines().empty());
  EXPECT_EQ(migration_rows(url_), rows);
  // The gate reads only: it runs outside CI.
  EXPECT_EQ(run_program("pmc-check-failed-migrations", url_, folder_.path(), {}, false).exit_code,
            0);
}

TEST_F(Programs, ResolveWaitsForPrismasAdvisoryLockThenGivesUp) {
  const FixtureMigration migration = folder_.write("20250101000000_a", kTable);
  record_failed(url_, migration, 0);
  const auto rows = migration_rows(url_);
  PGconn* holder = PQconnectdb(url_.c_str());
  ASSERT_EQ(PQstatus(holder), CONNECTION_OK);
  PQclear(PQexec(holder, "SELECT pg_advisory_lock(72707369)"));
  const ProcessResult waited = resolve({"--lock-timeout", "0.3"});
  EXPECT_EQ(waited.exit_code, 1);
  EXPECT_NE(waited.err.find("PMC-3102"), std::string::npos) << waited.err;
  EXPECT_EQ(migration_rows(url_), rows);
  EXPECT_EQ(check().exit_code, 0);  // the gate takes no lock
  PQfinish(holder);
  EXPECT_EQ(resolve().exit_code, 0);
  EXPECT_EQ(migration_rows(url_).size(), 1U);  // marked rolled back: nothing of it is there
}

TEST_F(Programs, TheCommandLineIsTheSharedOne) {
  folder_.write("20250101000000_a", kTable);
  Environment environment = clean_environment();
  environment["CI"] = "true";
  for (const char* program : {"pmc-check-failed-migrations", "pmc-resolve-applied-migrations"}) {
    // No --expect-env and no PMC_EXPECTED_ENV: a usage error.
    const ProcessResult missing = run_process(
        {pmc_binary(program), "--database-url", url_, "--migrations", folder_.path().string()},
        environment);
    EXPECT_EQ(missing.exit_code, 2) << program << missing.err;
    EXPECT_NE(missing.err.find("--expect-env"), std::string::npos) << missing.err;
    // Another environment than the fingerprint states: refused.
    const ProcessResult wrong =
        run_process({pmc_binary(program), "--database-url", url_, "--expect-env", "prod",
                     "--migrations", folder_.path().string()},
                    environment);
    EXPECT_EQ(wrong.exit_code, 1) << program << wrong.err;
    // A migrations folder that is not there: an input error naming it.
    const ProcessResult no_folder =
        run_process({pmc_binary(program), "--database-url", url_, "--expect-env", "dev",
                     "--migrations", "/nonexistent/migrations"},
                    environment);
    EXPECT_EQ(no_folder.exit_code, 2) << program << no_folder.err;
    EXPECT_NE(no_folder.err.find("/nonexistent/migrations"), std::string::npos) << no_folder.err;
  }
}

TEST_F(Programs, TheGateSendsOnlyReadsAndResolveNeverRunsMigrationSql) {
  const FixtureMigration migration = folder_.write("20250101000000_a", kTable);
  record_failed(url_, migration, 0);
  run_ok(url_, "ALTER DATABASE " + sql_value(url_, "SELECT quote_ident(current_database())") +
                   " SET log_statement = 'all'");
  const ServerLogWatch log(ThrowawayCluster::shared());
  EXPECT_EQ(check().exit_code, 0);
  std::istringstream lines(log.new_text());
  int statements = 0;
  for (std::string line; std::getline(lines, line);) {
    for (const std::string marker : {"statement: ", "execute <unnamed>: "}) {
      const auto at = line.find(marker);
      if (at == std::string::npos) continue;
      ++statements;
      const std::string sql = line.substr(at + marker.size());
      EXPECT_TRUE(sql.rfind("SELECT", 0) == 0 || sql.rfind("WITH", 0) == 0 ||
                  sql.rfind("SET", 0) == 0 || sql.rfind("SHOW", 0) == 0)
          << line;
    }
  }
  EXPECT_GT(statements, 0);
  // Resolving (rolled back: nothing of it is there) writes only bookkeeping, never `a` or `b`.
  const ServerLogWatch resolving(ThrowawayCluster::shared());
  EXPECT_EQ(resolve().exit_code, 0);
  EXPECT_EQ(resolving.new_text().find("CREATE TABLE"), std::string::npos);
  EXPECT_EQ(sql_value(url_, "SELECT to_regclass('a') IS NULL"), "t");
}

}  // namespace
}  // namespace pmc::test
