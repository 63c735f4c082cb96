// libFuzzer target: the migrations-folder reader (MigrationStore::load) on folders made from the
// input: entries separated by 0x1E; the first is migration_lock.toml's content (no file when
// empty), each next one `name 0x1F script` (a folder and its migration.sql) or a bare name (a
// folder without migration.sql). The reader must load or refuse with a pmc::Failure (exit 1 or 2,
// a message); what it loads must be in byte order with checksums that match.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include "pmc/error.hpp"
#include "pmc/migrations/checksum.hpp"
#include "pmc/migrations/store.hpp"

namespace {

namespace fs = std::filesystem;

constexpr char kEntrySeparator = '\x1e';
constexpr char kNameSeparator = '\x1f';
constexpr int kMaxFolders = 8;

// One folder per process, emptied for every input (tmpfs when there is one: it is rewritten
// tens of thousands of times a minute).
const fs::path& scratch() {
  static const fs::path dir = [] {
    const fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    return base / ("pmc-fuzz-migrations-" + std::to_string(getpid()));
  }();
  return dir;
}

// A name the file system can hold: no '/' or NUL, at most 255 bytes, not "." or "..".
std::string as_folder_name(std::string_view bytes) {
  std::string name(bytes.substr(0, 255));
  for (char& c : name) {
    if (c == '/' || c == '\0') c = '_';
  }
  return name == "." || name == ".." ? std::string() : name;
}

void write(const fs::path& file, std::string_view bytes) {
  std::ofstream(file, std::ios::binary).write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  std::error_code ignored;
  fs::remove_all(scratch(), ignored);
  const fs::path dir = scratch() / "migrations";
  fs::create_directories(dir);

  const std::size_t first = input.find(kEntrySeparator);
  if (const std::string_view lock = input.substr(0, first); !lock.empty()) {
    write(dir / "migration_lock.toml", lock);
  }
  input = first == std::string_view::npos ? std::string_view() : input.substr(first + 1);
  for (int folders = 0; !input.empty() && folders < kMaxFolders; ++folders) {
    const std::size_t end = input.find(kEntrySeparator);
    const std::string_view entry = input.substr(0, end);
    input = end == std::string_view::npos ? std::string_view() : input.substr(end + 1);
    const std::size_t split = entry.find(kNameSeparator);
    const std::string name = as_folder_name(entry.substr(0, split));
    if (name.empty() || fs::exists(dir / name) || !fs::create_directory(dir / name, ignored)) {
      continue;
    }
    if (split != std::string_view::npos) write(dir / name / "migration.sql", entry.substr(split + 1));
  }

  try {
    const pmc::migrations::MigrationStore store = pmc::migrations::MigrationStore::load(dir);
    const std::string* previous = nullptr;
    for (const pmc::migrations::LocalMigration& migration : store.migrations()) {
      if (previous != nullptr && !(*previous < migration.name)) std::abort();
      previous = &migration.name;
      if (migration.checksum != pmc::migrations::checksum_of(migration.script)) std::abort();
      if (!pmc::migrations::checksum_matches(migration.script, migration.checksum)) std::abort();
      if (migration.script.find('\0') != std::string::npos) std::abort();
      if (migration.name.size() > pmc::migrations::kMaxMigrationNameLength) std::abort();
      if (store.find(migration.name) != &migration) std::abort();
    }
  } catch (const pmc::Failure& failure) {
    if (failure.message().empty() || failure.exit_code() == pmc::ExitCode::Done) std::abort();
  }
  fs::remove_all(scratch(), ignored);
  return 0;
}
