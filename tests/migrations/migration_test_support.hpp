// What the migration suites share: raw SQL on a throwaway database, fingerprinted databases,
// migrations folders copied from the reference app's history, and the programs run for real.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "process.hpp"

namespace pmc::test {

// The reference app's Prisma history (fixtures/prisma-app/prisma/migrations).
std::filesystem::path reference_migrations();
inline constexpr std::size_t kReferenceMigrationCount = 4;

// Runs SQL on a raw libpq connection (tests may); the first column of every row. Fails the test
// on an error.
std::vector<std::string> sql(const std::string& url, const std::string& statement);
std::string one(const std::string& url, const std::string& statement);
// Runs SQL and returns the server's error message, or nullopt when it succeeded.
std::optional<std::string> sql_error(const std::string& url, const std::string& statement);

// A fresh database of the shared cluster, fingerprinted `environment` (written the way
// pmc-init-fingerprint writes it).
std::string fingerprinted_database(const std::string& prefix,
                                   const std::string& environment = "prod");
void write_fingerprint(const std::string& url, const std::string& environment = "prod");

// `_prisma_migrations` as text rows, one per row in started_at order:
// "name|checksum|finished?|rolled back?|applied_steps_count|logs" (NULL logs read "<null>").
std::vector<std::string> migration_rows(const std::string& url);

// A migrations folder in a temp dir, removed with the object.
class MigrationsFolder {
 public:
  MigrationsFolder();  // empty
  static MigrationsFolder copy_of(const std::filesystem::path& source);
  MigrationsFolder(MigrationsFolder&&) noexcept;
  MigrationsFolder& operator=(MigrationsFolder&&) = delete;
  ~MigrationsFolder();

  const std::filesystem::path& path() const { return path_; }
  std::filesystem::path script(const std::string& migration) const;
  // Writes <folder>/migration.sql (creating the folder).
  void write(const std::string& migration, const std::string& script) const;
  std::string read(const std::string& migration) const;
  std::vector<std::string> names() const;  // migration folders, sorted

 private:
  std::filesystem::path root_, path_;
};

std::string read_file(const std::filesystem::path& path);
void write_file(const std::filesystem::path& path, const std::string& bytes);
std::string sha256_hex(const std::string& bytes);

// Runs a pmc program in CI with DATABASE_URL and PMC_EXPECTED_ENV set.
ProcessResult run_pmc(const std::string& program, const std::string& url,
                      std::vector<std::string> arguments, const std::string& environment = "prod");
ProcessResult deploy(const std::string& url, const MigrationsFolder& folder,
                     std::vector<std::string> extra = {});

// The PostgreSQL client tools of the harness's server (pg_dump, psql …).
std::string pg_tool(const std::string& name);

// pg_dump --schema-only without `_prisma_migrations` and Debian's random \restrict lines.
std::string schema_dump(const std::string& url);

}  // namespace pmc::test
