// Reads the Prisma migrations folder: folders in byte order, their migration.sql files, the lock
// file's provider; refuses anything Prisma would refuse, before any connection is opened.
#include "pmc/migrations/store.hpp"

#include <algorithm>
#include <cerrno>
#include <fstream>
#include <iterator>
#include <sstream>
#include <system_error>
#include <vector>

#include "pmc/error.hpp"
#include "pmc/migrations/checksum.hpp"
#include "pmc/utf8.hpp"

namespace pmc::migrations {
namespace {

namespace fs = std::filesystem;

Failure bad_input(const std::string& code, const std::string& message) {
  return Failure(code, message, {}, {}, ExitCode::UsageOrInput);
}

// A lock file holds a provider line and comments; anything larger is not Prisma's lock file.
constexpr std::uintmax_t kMaxLockFileBytes = 1024 * 1024;

Failure unreadable(const fs::path& file, const std::error_code& error) {
  return bad_input("PMC-3103", "cannot read " + file.string() + ": " + error.message());
}

Failure too_large(const fs::path& file, std::uintmax_t size, std::uintmax_t limit,
                  const std::string& why) {
  return bad_input("PMC-3103", file.string() + " is " + std::to_string(size) +
                                   " bytes, over the limit of " + std::to_string(limit) + ": " +
                                   why);
}

// Refused by its size before a byte is read, and read with a bound (a file that grows meanwhile
// is refused as well): a file is never loaded blindly.
std::string read_bytes(const fs::path& file, std::uintmax_t limit, const std::string& why) {
  std::error_code error;
  const std::uintmax_t size = fs::file_size(file, error);
  if (error) throw unreadable(file, error);
  if (size > limit) throw too_large(file, size, limit, why);
  errno = 0;
  std::ifstream in(file, std::ios::binary);
  if (!in) throw unreadable(file, std::error_code(errno, std::generic_category()));
  std::string bytes;
  bytes.reserve(static_cast<std::size_t>(size));
  std::vector<char> buffer(64 * 1024);
  while (in.read(buffer.data(), static_cast<std::streamsize>(buffer.size())) || in.gcount() > 0) {
    bytes.append(buffer.data(), static_cast<std::size_t>(in.gcount()));
    if (bytes.size() > limit) throw too_large(file, bytes.size(), limit, why);
  }
  if (in.bad()) throw unreadable(file, std::make_error_code(std::errc::io_error));
  return bytes;
}

// Prisma reads migration_lock.toml line by line, not as TOML (prisma-engines,
// migration-connector/src/migrations_directory.rs): the first line starting with "provider",
// without `provider = ` and the quotes. pmc reads it the same way so both accept the same files.
void check_lock_file_provider(const fs::path& lock_file) {
  std::istringstream lines(
      read_bytes(lock_file, kMaxLockFileBytes, "a Prisma lock file names one provider"));
  std::string line;
  while (std::getline(lines, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("provider", 0) != 0) continue;
    std::string_view value = line;
    if (value.rfind("provider = ", 0) == 0) value.remove_prefix(11);
    while (!value.empty() && value.front() == '"') value.remove_prefix(1);
    while (!value.empty() && value.back() == '"') value.remove_suffix(1);
    if (value == "postgresql" || value == "postgres") return;
    throw Failure("PMC-3019",
                  "migration_lock.toml names provider \"" + std::string(value) +
                      "\", but pmc deploys to PostgreSQL",
                  "The lock file is " + lock_file.string() + ".",
                  "Generate the migrations for provider \"postgresql\", or point --migrations at "
                  "the PostgreSQL migrations folder.");
  }
  // A lock file without a provider line: Prisma treats it as matching; so does pmc.
}

}  // namespace

MigrationStore MigrationStore::load(const fs::path& dir) {
  std::error_code error;
  const fs::file_status status = fs::status(dir, error);
  if (error && error != std::errc::no_such_file_or_directory) {
    throw bad_input("PMC-3103",
                    "cannot read migrations folder " + dir.string() + ": " + error.message());
  }
  if (!fs::exists(status)) {
    throw bad_input("PMC-3103", "migrations folder " + dir.string() + " does not exist");
  }
  if (!fs::is_directory(status)) {
    throw bad_input("PMC-3103", "migrations folder " + dir.string() + " is not a directory");
  }

  MigrationStore store;
  store.dir_ = dir;
  std::vector<fs::path> folders;
  fs::directory_iterator entries(dir, error);
  if (error) {
    throw bad_input("PMC-3103", "cannot read migrations folder " + dir.string() + ": " +
                                    error.message());
  }
  for (const fs::directory_entry& entry : entries) {
    // Files (the lock file, a README) are not migrations: Prisma lists directories only.
    if (entry.is_directory(error)) folders.push_back(entry.path());
  }

  const fs::path lock_file = dir / "migration_lock.toml";
  if (fs::is_regular_file(lock_file, error)) check_lock_file_provider(lock_file);

  for (const fs::path& folder : folders) {
    LocalMigration migration;
    migration.name = folder.filename().string();
    if (!is_valid_utf8(migration.name)) {
      throw bad_input("PMC-3103", "migration folder name " + folder.string() + " is not UTF-8");
    }
    if (migration.name.size() > kMaxMigrationNameLength) {
      throw bad_input("PMC-3103", "migration folder name " + folder.string() + " is " +
                                      std::to_string(migration.name.size()) +
                                      " bytes long; _prisma_migrations holds at most 255");
    }
    migration.script_path = folder / "migration.sql";
    const fs::file_status script_status = fs::status(migration.script_path, error);
    if (error && error != std::errc::no_such_file_or_directory) {
      throw unreadable(migration.script_path, error);
    }
    if (!fs::exists(script_status)) {
      throw bad_input("PMC-3015", "migration folder " + folder.string() +
                                      " has no migration.sql file");
    }
    if (!fs::is_regular_file(script_status)) {
      throw bad_input("PMC-3103", migration.script_path.string() + " is not a regular file");
    }
    migration.script = read_bytes(migration.script_path, kMaxMigrationScriptBytes,
                                  "PostgreSQL cannot receive a longer script as one query");
    if (!is_valid_utf8(migration.script)) {
      throw bad_input("PMC-3103", migration.script_path.string() + " is not valid UTF-8");
    }
    // libpq sends the script as a C string: a NUL would silently cut it short, and the part
    // after it would be recorded as applied without having run.
    if (const std::size_t nul = migration.script.find('\0'); nul != std::string::npos) {
      throw bad_input("PMC-3103", migration.script_path.string() + " contains a NUL byte (at byte " +
                                      std::to_string(nul) + "), which PostgreSQL cannot run");
    }
    migration.checksum = checksum_of(migration.script);
    store.migrations_.push_back(std::move(migration));
  }
  // Byte order of the names (std::string compares as unsigned bytes).
  std::sort(store.migrations_.begin(), store.migrations_.end(),
            [](const LocalMigration& a, const LocalMigration& b) { return a.name < b.name; });
  return store;
}

const LocalMigration* MigrationStore::find(const std::string& name) const {
  for (const LocalMigration& migration : migrations_) {
    if (migration.name == name) return &migration;
  }
  return nullptr;
}

}  // namespace pmc::migrations
