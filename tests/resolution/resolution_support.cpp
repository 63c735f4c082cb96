// Fixtures, fingerprints, bookkeeping rows and program runs for the resolution suites.
#include "resolution_support.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include "pmc/db.hpp"
#include "pmc/fingerprint_access.hpp"
#include "pmc/guard.hpp"
#include "pmc/migrations/checksum.hpp"
#include "pmc/migrations/history.hpp"
#include "pmc/sql/parser.hpp"
#include "raw_sql.hpp"

namespace pmc::test {
namespace {

std::string read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string started_at(int minute) {
  return "timestamptz '2025-01-01 00:00:00+00' + interval '" + std::to_string(minute) + " minutes'";
}

}  // namespace

std::filesystem::path resolution_fixtures() {
  return std::filesystem::path(PMC_SOURCE_DIR) / "fixtures/migrations/resolution";
}

std::filesystem::path reference_app_migrations() {
  return std::filesystem::path(PMC_SOURCE_DIR) / "fixtures/prisma-app/prisma/migrations";
}

std::vector<FixtureMigration> fixture_migrations(const std::filesystem::path& dir) {
  std::vector<FixtureMigration> migrations;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.is_directory() && std::filesystem::exists(entry.path() / "migration.sql")) {
      migrations.push_back(
          {entry.path().filename().string(), read_file(entry.path() / "migration.sql")});
    }
  }
  std::sort(migrations.begin(), migrations.end(),
            [](const auto& a, const auto& b) { return a.name < b.name; });
  return migrations;
}

void run_ok(const std::string& url, const std::string& sql) {
  const SqlResult result = run_sql(url, sql);
  ASSERT_TRUE(result.ok()) << result.error << "\nin: " << sql;
}

void fingerprint(const std::string& url) {
  setenv("CI", "true", 1);  // tests may claim CI; the guard hands out its pass only then
  const guard::CiPass pass = guard::enforce_ci_only_execution();
  db::ConnectOptions options;
  options.url = url;
  options.application_name = "resolution-test";
  options.expected_environment = "dev";
  db::connect_for_fingerprint_init(options, pass).write_first("dev");
}

std::string first_statements(const std::string& script, std::size_t count) {
  std::string part;
  const auto ranges = sql::split_statements(script);
  for (std::size_t i = 0; i < std::min(count, ranges.size()); ++i) {
    part += script.substr(ranges[i].begin, ranges[i].end - ranges[i].begin) + ";\n";
  }
  return part;
}

void create_migrations_table(const std::string& url) {
  run_ok(url, std::string(migrations::kMigrationsTableDdl));
}

void record_applied(const std::string& url, const FixtureMigration& migration, int minute) {
  run_ok(url,
         "INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, logs,"
         " started_at, applied_steps_count) VALUES (gen_random_uuid()::text, " +
             sql_literal(migrations::checksum_of(migration.script)) + ", " + started_at(minute) +
             " + interval '1 second', " + sql_literal(migration.name) + ", NULL, " +
             started_at(minute) + ", 1)");
}

void record_failed(const std::string& url, const FixtureMigration& migration, int minute,
                   const std::string& checksum) {
  run_ok(url,
         "INSERT INTO _prisma_migrations (id, checksum, migration_name, logs, started_at,"
         " applied_steps_count) VALUES (gen_random_uuid()::text, " +
             sql_literal(checksum.empty() ? migrations::checksum_of(migration.script) : checksum) +
             ", " + sql_literal(migration.name) + ", " +
             sql_literal("Migration name: " + migration.name +
                     "\n\nDatabase error code: 57014\n\nDatabase error:\nERROR:  canceled\n") +
             ", " + started_at(minute) + ", 0)");
}

std::vector<std::string> migration_rows(const std::string& url) {
  const SqlResult result = run_sql(
      url,
      "SELECT migration_name || '|' || (finished_at IS NOT NULL) || '|' ||"
      " (rolled_back_at IS NOT NULL) || '|' || checksum || '|' || coalesce(logs, '<null>') || '|'"
      " || applied_steps_count FROM _prisma_migrations ORDER BY started_at, finished_at NULLS "
      "FIRST");
  EXPECT_TRUE(result.ok()) << result.error;
  std::vector<std::string> rows;
  for (const auto& row : result.rows) rows.push_back(row.front().value_or("<null>"));
  return rows;
}

ProcessResult run_program(const std::string& program, const std::string& url,
                          const std::filesystem::path& dir, std::vector<std::string> arguments,
                          bool in_ci) {
  Environment environment = clean_environment();
  if (in_ci) environment["CI"] = "true";
  environment["DATABASE_URL"] = url;
  environment["PMC_EXPECTED_ENV"] = "dev";
  arguments.insert(arguments.begin(), {pmc_binary(program), "--migrations", dir.string()});
  return run_process(arguments, environment);
}

}  // namespace pmc::test
