// Shared helpers of the migration suites: raw SQL, fingerprints, temp migrations folders, runs.
#include "migration_test_support.hpp"

#include <gtest/gtest.h>
#include <libpq-fe.h>
#include <stdlib.h>

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "pmc/db.hpp"
#include "pmc/fingerprint_access.hpp"
#include "pmc/guard.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {
namespace fs = std::filesystem;

fs::path reference_migrations() {
  return fs::path(PMC_SOURCE_DIR) / "fixtures/prisma-app/prisma/migrations";
}

namespace {

struct Outcome {
  std::vector<std::string> values;
  std::optional<std::string> error;
};

Outcome run_statement(const std::string& url, const std::string& statement) {
  Outcome outcome;
  PGconn* conn = PQconnectdb(url.c_str());
  if (PQstatus(conn) != CONNECTION_OK) {
    outcome.error = PQerrorMessage(conn);
    PQfinish(conn);
    return outcome;
  }
  PGresult* result = PQexec(conn, statement.c_str());
  const ExecStatusType status = PQresultStatus(result);
  if (status == PGRES_TUPLES_OK) {
    for (int row = 0; row < PQntuples(result); ++row) {
      outcome.values.emplace_back(PQgetisnull(result, row, 0) ? "<null>"
                                                              : PQgetvalue(result, row, 0));
    }
  } else if (status != PGRES_COMMAND_OK && status != PGRES_EMPTY_QUERY) {
    outcome.error = PQresultErrorMessage(result);
  }
  PQclear(result);
  PQfinish(conn);
  return outcome;
}

}  // namespace

std::vector<std::string> sql(const std::string& url, const std::string& statement) {
  Outcome outcome = run_statement(url, statement);
  EXPECT_FALSE(outcome.error) << statement << ": " << outcome.error.value_or("");
  return outcome.values;
}

std::string one(const std::string& url, const std::string& statement) {
  const auto values = sql(url, statement);
  return values.empty() ? std::string("<no row>") : values.front();
}

std::optional<std::string> sql_error(const std::string& url, const std::string& statement) {
  return run_statement(url, statement).error;
}

void write_fingerprint(const std::string& url, const std::string& environment) {
  setenv("CI", "true", 1);  // the test process writes fingerprints itself; it may claim CI
  const guard::CiPass pass = guard::enforce_ci_only_execution();
  db::ConnectOptions options;
  options.url = url;
  options.application_name = "migrations-test";
  options.expected_environment = environment;
  db::connect_for_fingerprint_init(options, pass).write_first(environment);
}

std::string fingerprinted_database(const std::string& prefix, const std::string& environment) {
  const std::string url = ThrowawayCluster::shared().fresh_database(prefix);
  write_fingerprint(url, environment);
  return url;
}

std::vector<std::string> migration_rows(const std::string& url) {
  return sql(url,
             "SELECT migration_name || '|' || checksum || '|' ||"
             " (finished_at IS NOT NULL)::text || '|' || (rolled_back_at IS NOT NULL)::text || '|'"
             " || applied_steps_count || '|' || coalesce(logs, '<null>')"
             " FROM _prisma_migrations ORDER BY started_at");
}

MigrationsFolder::MigrationsFolder() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/pmc-migrations-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed: " + pattern);
  root_ = pattern;
  path_ = root_ / "migrations";
  fs::create_directories(path_);
}

MigrationsFolder MigrationsFolder::copy_of(const fs::path& source) {
  MigrationsFolder folder;
  fs::copy(source, folder.path_,
           fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  return folder;
}

MigrationsFolder::MigrationsFolder(MigrationsFolder&& other) noexcept
    : root_(std::move(other.root_)), path_(std::move(other.path_)) {
  other.root_.clear();
}

MigrationsFolder::~MigrationsFolder() {
  std::error_code ignored;
  if (!root_.empty()) fs::remove_all(root_, ignored);
}

fs::path MigrationsFolder::script(const std::string& migration) const {
  return path_ / migration / "migration.sql";
}

void MigrationsFolder::write(const std::string& migration, const std::string& script_text) const {
  fs::create_directories(path_ / migration);
  write_file(script(migration), script_text);
}

std::string MigrationsFolder::read(const std::string& migration) const {
  return read_file(script(migration));
}

std::vector<std::string> MigrationsFolder::names() const {
  std::vector<std::string> out;
  for (const auto& entry : fs::directory_iterator(path_)) {
    if (entry.is_directory()) out.push_back(entry.path().filename().string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_file(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << bytes;
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

std::string sha256_hex(const std::string& bytes) {
  // sha256sum, not pmc's own code: the checksum is checked against an independent implementation.
  const ProcessResult result = run_process({"/usr/bin/sha256sum", "-"}, clean_environment(), bytes);
  if (result.exit_code != 0 || result.out.size() < 64) throw std::runtime_error("sha256sum failed");
  return result.out.substr(0, 64);
}

ProcessResult run_pmc(const std::string& program, const std::string& url,
                      std::vector<std::string> arguments, const std::string& environment) {
  Environment env = clean_environment();
  env["CI"] = "true";
  env["DATABASE_URL"] = url;
  env["PMC_EXPECTED_ENV"] = environment;
  arguments.insert(arguments.begin(), pmc_binary(program));
  return run_process(arguments, env);
}

ProcessResult deploy(const std::string& url, const MigrationsFolder& folder,
                     std::vector<std::string> extra) {
  extra.insert(extra.begin(), {"--migrations", folder.path().string()});
  return run_pmc("pmc-deploy-db", url, std::move(extra));
}

std::string pg_tool(const std::string& name) { return std::string(PMC_PG_BINDIR) + "/" + name; }

std::string schema_dump(const std::string& url) {
  const ProcessResult dump = run_process({pg_tool("pg_dump"), "--schema-only", "--no-owner",
                                          "--exclude-table=_prisma_migrations", "--dbname", url},
                                         clean_environment());
  EXPECT_EQ(dump.exit_code, 0) << dump.err;
  std::istringstream lines(dump.out);
  std::string kept;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("\\restrict", 0) == 0 || line.rfind("\\unrestrict", 0) == 0) continue;
    kept += line + '\n';
  }
  return kept;
}

}  // namespace pmc::test
