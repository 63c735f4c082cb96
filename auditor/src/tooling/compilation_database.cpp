// Loads compile_commands.json with LibTooling, expands response files, infers driver modes and
// interpolates commands for unlisted files; fails closed with a clear error.
#include "tooling/compilation_database.hpp"

#include <clang/Tooling/CompilationDatabase.h>
#include <clang/Tooling/JSONCompilationDatabase.h>
#include <llvm/Support/VirtualFileSystem.h>

#include <cstdint>
#include <fstream>
#include <nlohmann/json.hpp>
#include <system_error>

#include "pmc/error.hpp"

namespace pmc::audit {
namespace {

// Response files (`@file` in a command) are read through this: a regular file of at most
// kMaxResponseFile bytes. LLVM reads whatever the name opens to the end, so `@/dev/zero` or a
// FIFO would hang the audit; refused, the argument stays as written (LLVM drops the error) and
// the unit's parse reports it.
class ResponseFileSystem : public llvm::vfs::ProxyFileSystem {
 public:
  static constexpr std::uint64_t kMaxResponseFile = 16u << 20;

  ResponseFileSystem() : ProxyFileSystem(llvm::vfs::getRealFileSystem()) {}

  llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>> openFileForRead(const llvm::Twine& path) override {
    // Checked before opening too: opening a FIFO blocks until someone writes to it.
    if (const std::error_code refused = refusal(getUnderlyingFS().status(path))) return refused;
    llvm::ErrorOr<std::unique_ptr<llvm::vfs::File>> file = ProxyFileSystem::openFileForRead(path);
    if (!file) return file;
    if (const std::error_code refused = refusal((*file)->status())) return refused;
    return file;
  }

 private:
  static std::error_code refusal(const llvm::ErrorOr<llvm::vfs::Status>& status) {
    if (!status) return status.getError();
    if (status->getType() != llvm::sys::fs::file_type::regular_file) {
      return std::make_error_code(std::errc::invalid_argument);
    }
    if (status->getSize() > kMaxResponseFile) return std::make_error_code(std::errc::file_too_large);
    return {};
  }
};

}  // namespace

struct CompilationDatabase::Impl {
  std::filesystem::path path;
  std::unique_ptr<clang::tooling::CompilationDatabase> database;
};

CompilationDatabase::CompilationDatabase(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
CompilationDatabase::CompilationDatabase(CompilationDatabase&&) noexcept = default;
CompilationDatabase& CompilationDatabase::operator=(CompilationDatabase&&) noexcept = default;
CompilationDatabase::~CompilationDatabase() = default;

CompilationDatabase CompilationDatabase::load(const std::filesystem::path& location) {
  std::error_code error;
  std::filesystem::path path = location;
  if (std::filesystem::is_directory(location, error)) path /= "compile_commands.json";
  if (!std::filesystem::exists(path, error)) {
    throw Failure("PMC-A003", "no compilation database: " + path.string() + " does not exist", {},
                  "Configure the build with -DCMAKE_EXPORT_COMPILE_COMMANDS=ON and give its "
                  "directory with -p.",
                  ExitCode::UsageOrInput);
  }
  // LLVM's reader prints JSON syntax errors to stderr itself: check the syntax first.
  try {
    std::ifstream in(path, std::ios::binary);
    (void)nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& error) {
    throw Failure("PMC-A004", path.string() + " is not a valid compilation database", error.what(),
                  "Regenerate it with the build (cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON).",
                  ExitCode::UsageOrInput);
  }
  std::string problem;
  std::unique_ptr<clang::tooling::JSONCompilationDatabase> json =
      clang::tooling::JSONCompilationDatabase::loadFromFile(
          path.string(), problem, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (json == nullptr) {
    throw Failure("PMC-A004", path.string() + " is not a valid compilation database", problem,
                  "Regenerate it with the build (cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON).",
                  ExitCode::UsageOrInput);
  }
  if (json->getAllFiles().empty()) {
    throw Failure("PMC-A004", path.string() + " lists no file to compile", {},
                  "Regenerate it with the build (cmake -DCMAKE_EXPORT_COMPILE_COMMANDS=ON).",
                  ExitCode::UsageOrInput);
  }
  auto impl = std::make_unique<Impl>();
  impl->path = path;
  impl->database = clang::tooling::inferMissingCompileCommands(
      clang::tooling::inferTargetAndDriverMode(clang::tooling::expandResponseFiles(
          std::move(json), llvm::makeIntrusiveRefCnt<ResponseFileSystem>())));
  return CompilationDatabase(std::move(impl));
}

std::vector<UnitCommand> CompilationDatabase::commands_for(const std::string& absolute_file) const {
  std::vector<UnitCommand> units;
  for (clang::tooling::CompileCommand& command :
       impl_->database->getCompileCommands(absolute_file)) {
    UnitCommand unit;
    unit.file = absolute_file;
    unit.directory = std::move(command.Directory);
    unit.arguments = std::move(command.CommandLine);
    unit.interpolated = !command.Heuristic.empty();
    units.push_back(std::move(unit));
  }
  return units;
}

const std::filesystem::path& CompilationDatabase::path() const { return impl_->path; }

}  // namespace pmc::audit
