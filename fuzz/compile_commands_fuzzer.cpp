// libFuzzer target: pmc-audit's compile_commands.json reader (tooling/compilation_database: our
// syntax check, then LibTooling's JSON database with response files expanded, driver modes
// inferred and commands interpolated for unlisted files) on arbitrary file contents. It must load
// or refuse with a pmc::Failure (exit 2, PMC-A004); a loaded database answers for every file it
// lists and for one it does not. Clang's own code is not instrumented (the shared libclang-cpp of
// the system): libFuzzer steers by our code's coverage, the sanitizers check our code, and a
// crash or hang anywhere still counts.
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pmc/error.hpp"
#include "tooling/compilation_database.hpp"

namespace {

namespace fs = std::filesystem;

// One folder per process (tmpfs when there is one: the file is rewritten for every input).
const fs::path& scratch() {
  static const fs::path dir = [] {
    const fs::path base = fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path();
    fs::path made = base / ("pmc-fuzz-compile-commands-" + std::to_string(getpid()));
    fs::create_directories(made);
    return made;
  }();
  return dir;
}

// The files an entry lists, made absolute as LibTooling makes them (against its directory).
std::string listed_file(const nlohmann::json& entry) {
  if (!entry.is_object() || !entry.contains("file") || !entry.at("file").is_string()) return {};
  const fs::path file = entry.at("file").get<std::string>();
  if (file.is_absolute() || !entry.contains("directory") || !entry.at("directory").is_string()) {
    return file.string();
  }
  return (fs::path(entry.at("directory").get<std::string>()) / file).lexically_normal().string();
}

void ask(const pmc::audit::CompilationDatabase& database, const std::string& file) {
  for (const pmc::audit::UnitCommand& unit : database.commands_for(file)) {
    if (unit.file != file) std::abort();
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const fs::path file = scratch() / "compile_commands.json";
  std::ofstream(file, std::ios::binary | std::ios::trunc)
      .write(text.data(), static_cast<std::streamsize>(text.size()));
  try {
    const pmc::audit::CompilationDatabase database = pmc::audit::CompilationDatabase::load(scratch());
    if (database.path() != file) std::abort();
    // It loaded, so it is JSON.
    const nlohmann::json entries = nlohmann::json::parse(text);
    if (entries.is_array()) {
      for (const nlohmann::json& entry : entries) {
        if (const std::string listed = listed_file(entry); !listed.empty()) ask(database, listed);
      }
    }
    ask(database, "/nonexistent/pmc-fuzz/unlisted.cpp");
    ask(database, "/nonexistent/pmc-fuzz/unlisted.h");
  } catch (const pmc::Failure& failure) {
    if (failure.code() != "PMC-A004" || failure.exit_code() != pmc::ExitCode::UsageOrInput ||
        failure.message().empty()) {
      std::abort();
    }
  }
  return 0;
}
