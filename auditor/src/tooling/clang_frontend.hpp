// What pmc-audit needs from Clang, behind virtual calls: the compilation database and the fact
// collector live in a module (pmc-audit-clang.so) that is loaded only when C/C++ units are read.
// Runs of text rules alone, --help and --list-rules never map the Clang and LLVM libraries, whose
// start-up (relocations, static constructors) costs more than scanning a large repository.
#pragma once

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "collect/collect_options.hpp"
#include "tooling/unit.hpp"

namespace pmc::audit {

// A loaded compile_commands.json (see tooling/compilation_database.hpp).
class CompileCommands {
 public:
  virtual ~CompileCommands() = default;
  virtual std::vector<UnitCommand> commands_for(const std::string& absolute_file) const = 0;
  virtual const std::filesystem::path& path() const = 0;
};

class ClangFrontend {
 public:
  virtual ~ClangFrontend() = default;
  // Throws pmc::Failure (exit 2) as CompilationDatabase::load does.
  virtual std::unique_ptr<CompileCommands> load_commands(const std::filesystem::path& location) const = 0;
  // Safe to call from several threads at once (see tooling/unit_runner.hpp).
  virtual UnitOutcome run_unit(const UnitCommand& unit, const CollectOptions& options) const = 0;
  // Names the compiler inside the collector, for cache keys.
  virtual std::string collector_identity() const = 0;
};

struct LoadedFrontend {
  const ClangFrontend& frontend;
  std::filesystem::path module;  // the module's file, for cache keys
};

// Loads pmc-audit-clang.so from beside the running executable, once. Throws pmc::Failure
// PMC-A010 (exit 2) naming the module when it is missing or does not load.
LoadedFrontend load_clang_frontend();

}  // namespace pmc::audit

// The module's one exported symbol: the frontend, alive until the process exits.
extern "C" const pmc::audit::ClangFrontend* pmc_audit_clang_frontend();
