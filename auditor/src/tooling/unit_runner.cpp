// One unit through clang's driver and frontend in this process: the command line adjusted for a
// syntax-only parse outside clang's install tree, then the collect action.
#include "tooling/unit_runner.hpp"

#include <algorithm>

#include <clang/Basic/DiagnosticOptions.h>
#include <clang/Basic/FileManager.h>
#include <clang/Basic/Version.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/TextDiagnosticPrinter.h>
#include <clang/Tooling/ArgumentsAdjusters.h>
#include <clang/Tooling/Tooling.h>
#include <llvm/Support/VirtualFileSystem.h>
#include <llvm/Support/raw_ostream.h>

#include "collect/fact_collector.hpp"

namespace pmc::audit {
namespace {

// Flags GCC knows and clang does not: clang would warn and carry on, but they are noise here.
constexpr const char* kGccOnlyPrefixes[] = {
    "-fconcepts-diagnostics-depth=", "-mno-direct-extern-access", "-fdeps-", "-fmodules-ts",
    "-fmodule-mapper=", "-fipa-", "-fno-ipa-", "-flto-partition=", "-fno-fat-lto-objects",
    "-fstack-usage", "-fcallgraph-info",
};

bool gcc_only(const std::string& argument) {
  for (const char* prefix : kGccOnlyPrefixes) {
    if (argument.rfind(prefix, 0) == 0) return true;
  }
  return false;
}

bool names_cmake_pch(const std::string& argument) {
  return argument.find("cmake_pch") != std::string::npos;
}

// A precompiled header from another compiler version is fatal: parse the headers instead.
std::vector<std::string> without_precompiled_headers(const std::vector<std::string>& arguments) {
  std::vector<std::string> kept;
  for (std::size_t i = 0; i < arguments.size(); ++i) {
    const std::string& argument = arguments[i];
    const auto at = [&](std::size_t k) -> const std::string& {
      static const std::string none;
      return i + k < arguments.size() ? arguments[i + k] : none;
    };
    if (argument == "-Xclang" && at(1) == "-include-pch") {
      i += 3;
    } else if (argument == "-Xclang" && at(1) == "-include" && names_cmake_pch(at(3))) {
      i += 3;
    } else if (argument == "-include-pch" || (argument == "-include" && names_cmake_pch(at(1)))) {
      i += 1;
    } else if (!gcc_only(argument)) {
      kept.push_back(argument);
    }
  }
  return kept;
}

// FrontendActionFactory's runInvocation, except that the compiler's "N errors generated" line
// goes nowhere: errors reach the caller through the diagnostics text.
class CollectToolAction : public clang::tooling::ToolAction {
 public:
  CollectToolAction(const CollectOptions& options, CollectResult& result)
      : options_(options), result_(result) {}

  bool runInvocation(std::shared_ptr<clang::CompilerInvocation> invocation,
                     clang::FileManager* files,
                     std::shared_ptr<clang::PCHContainerOperations> pch_operations,
                     clang::DiagnosticConsumer* diagnostics) override {
    clang::CompilerInstance compiler(std::move(pch_operations));
    compiler.setInvocation(std::move(invocation));
    compiler.setFileManager(files);
    std::unique_ptr<clang::FrontendAction> action = make_collect_action(options_, result_);
    compiler.createDiagnostics(diagnostics, /*ShouldOwnClient=*/false);
    if (!compiler.hasDiagnostics()) return false;
    compiler.createSourceManager(*files);
    compiler.setVerboseOutputStream(std::make_unique<llvm::raw_null_ostream>());
    const bool succeeded = compiler.ExecuteAction(*action);
    files->clearStatCache();
    return succeeded;
  }

 private:
  const CollectOptions& options_;
  CollectResult& result_;
};

}  // namespace

std::vector<std::string> adjusted_arguments(const UnitCommand& unit) {
  using clang::tooling::CommandLineArguments;
  CommandLineArguments arguments = without_precompiled_headers(unit.arguments);
  arguments = clang::tooling::getClangStripOutputAdjuster()(arguments, unit.file);
  arguments = clang::tooling::getClangStripDependencyFileAdjuster()(arguments, unit.file);
  arguments = clang::tooling::getClangSyntaxOnlyAdjuster()(arguments, unit.file);
  CommandLineArguments extra = {"-w", "-Wno-unknown-warning-option"};
  const bool has_resource_dir =
      std::any_of(arguments.begin(), arguments.end(),
                  [](const std::string& a) { return a.rfind("-resource-dir", 0) == 0; });
  // ClangTool would look for the builtin headers next to our own executable.
  if (!has_resource_dir) extra.push_back("-resource-dir=" PMC_CLANG_RESOURCE_DIR);
  arguments.insert(arguments.begin() + (arguments.empty() ? 0 : 1), extra.begin(), extra.end());
  return arguments;
}

UnitOutcome run_unit(const UnitCommand& unit, const CollectOptions& options) {
  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> file_system(
      llvm::vfs::createPhysicalFileSystem().release());
  file_system->setCurrentWorkingDirectory(unit.directory);
  llvm::IntrusiveRefCntPtr<clang::FileManager> files(
      new clang::FileManager(clang::FileSystemOptions(), file_system));

  CollectResult result;
  std::string diagnostics;
  llvm::raw_string_ostream diagnostics_stream(diagnostics);
  llvm::IntrusiveRefCntPtr<clang::DiagnosticOptions> diagnostic_options(
      new clang::DiagnosticOptions());
  clang::TextDiagnosticPrinter printer(diagnostics_stream, diagnostic_options.get());

  CollectToolAction action(options, result);
  clang::tooling::ToolInvocation invocation(adjusted_arguments(unit), &action, files.get(),
                                            std::make_shared<clang::PCHContainerOperations>());
  invocation.setDiagnosticConsumer(&printer);
  const bool ran = invocation.run();
  diagnostics_stream.flush();

  UnitOutcome outcome;
  outcome.compiled = ran && !result.has_errors;
  outcome.inputs = std::move(result.inputs);
  if (outcome.compiled) {
    outcome.facts = std::move(result.facts);
  } else {
    outcome.diagnostics = diagnostics.empty() ? "the compiler stopped without a message" : diagnostics;
  }
  return outcome;
}

std::string collector_identity() { return clang::getClangFullVersion(); }

}  // namespace pmc::audit
