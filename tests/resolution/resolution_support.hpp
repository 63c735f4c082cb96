// What the resolution suites share: the fixture migrations, fingerprinted databases, Prisma's
// `_prisma_migrations` rows written as Prisma writes them, and the two programs run for real.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "process.hpp"

namespace pmc::test {

struct FixtureMigration {
  std::string name;    // the folder name
  std::string script;  // migration.sql
};

std::filesystem::path resolution_fixtures();       // fixtures/migrations/resolution
std::filesystem::path reference_app_migrations();  // fixtures/prisma-app/prisma/migrations
std::vector<FixtureMigration> fixture_migrations(const std::filesystem::path& dir);

// Runs SQL on a raw connection and fails the test when the server refuses it.
void run_ok(const std::string& url, const std::string& sql);

// Writes the `dev` environment fingerprint the programs' connections validate.
void fingerprint(const std::string& url);

// The first `count` statements of a script, as one script: a migration run partly by hand.
std::string first_statements(const std::string& script, std::size_t count);

// `_prisma_migrations` with Prisma's DDL, and rows exactly as Prisma's deploy leaves them: an
// applied row, or a failed one (finished_at NULL, the error in logs). `minute` orders started_at.
void create_migrations_table(const std::string& url);
void record_applied(const std::string& url, const FixtureMigration& migration, int minute);
void record_failed(const std::string& url, const FixtureMigration& migration, int minute,
                   const std::string& checksum = "");

// Every row as "name|finished|rolled back|checksum|logs|applied_steps_count", by started_at.
std::vector<std::string> migration_rows(const std::string& url);

// Runs pmc-check-failed-migrations / pmc-resolve-applied-migrations against `url` (PMC env dev)
// with --migrations `dir`, in CI unless told otherwise.
ProcessResult run_program(const std::string& program, const std::string& url,
                          const std::filesystem::path& dir, std::vector<std::string> arguments = {},
                          bool in_ci = true);

}  // namespace pmc::test
