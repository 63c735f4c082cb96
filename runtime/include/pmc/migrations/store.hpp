// The migrations folder in Prisma's layout: `<dir>/<folder>/migration.sql` plus an optional
// `migration_lock.toml`, read once and checked, in the order Prisma applies them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace pmc::migrations {

struct LocalMigration {
  std::string name;                // the folder name: what `_prisma_migrations.migration_name` holds
  std::filesystem::path script_path;
  std::string script;              // the file's bytes, checked to be UTF-8
  std::string checksum;            // checksum_of(script)
};

class MigrationStore {
 public:
  // Reads every folder of `dir`. Throws pmc::Failure: exit 2 for unreadable or malformed input
  // (PMC-3015 folder without migration.sql, PMC-3103 bad folder / file / name), exit 1 when
  // migration_lock.toml names another provider (PMC-3019).
  static MigrationStore load(const std::filesystem::path& dir);

  const std::filesystem::path& dir() const { return dir_; }
  // Folders in byte order of their names (Prisma's order for `YYYYMMDDHHMMSS_name` folders).
  const std::vector<LocalMigration>& migrations() const { return migrations_; }
  const LocalMigration* find(const std::string& name) const;

 private:
  std::filesystem::path dir_;
  std::vector<LocalMigration> migrations_;
};

// Prisma's limit: `migration_name` is VARCHAR(255).
inline constexpr std::size_t kMaxMigrationNameLength = 255;

// The longest migration.sql PostgreSQL can receive as the one simple-protocol query a deploy
// sends: the server refuses a message over PQ_LARGE_MESSAGE_LIMIT (1 GiB - 2 bytes), which counts
// the message's 4-byte length and the script's terminating NUL. Longer files are refused by their
// size before they are read.
inline constexpr std::uintmax_t kMaxMigrationScriptBytes = 0x3ffffffe - 4 - 1;

}  // namespace pmc::migrations
