// pmc-audit-clang.so: the ClangFrontend over the compilation database and the unit runner. The
// only translation unit of pmc-audit's process that links Clang and LLVM.
#include <utility>

#include "tooling/clang_frontend.hpp"
#include "tooling/compilation_database.hpp"
#include "tooling/unit_runner.hpp"

namespace pmc::audit {
namespace {

class LoadedCommands final : public CompileCommands {
 public:
  explicit LoadedCommands(CompilationDatabase database) : database_(std::move(database)) {}
  std::vector<UnitCommand> commands_for(const std::string& absolute_file) const override {
    return database_.commands_for(absolute_file);
  }
  const std::filesystem::path& path() const override { return database_.path(); }

 private:
  CompilationDatabase database_;
};

class LibToolingFrontend final : public ClangFrontend {
 public:
  std::unique_ptr<CompileCommands> load_commands(const std::filesystem::path& location) const override {
    return std::make_unique<LoadedCommands>(CompilationDatabase::load(location));
  }
  UnitOutcome run_unit(const UnitCommand& unit, const CollectOptions& options) const override {
    return pmc::audit::run_unit(unit, options);
  }
  std::string collector_identity() const override { return pmc::audit::collector_identity(); }
};

}  // namespace
}  // namespace pmc::audit

extern "C" __attribute__((visibility("default"))) const pmc::audit::ClangFrontend* pmc_audit_clang_frontend() {
  static const pmc::audit::LibToolingFrontend frontend;
  return &frontend;
}
