// The frontend action pmc-audit runs on each unit: record the main file's preprocessor
// conditionals, refuse a unit with errors, collect the facts and list the files the unit read.
#include <clang/AST/ASTConsumer.h>
#include <clang/Basic/FileManager.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Lex/Preprocessor.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/Path.h>

#include "collect/bypass_facts.hpp"
#include "collect/fact_collector.hpp"

namespace pmc::audit {
namespace {

class CollectConsumer : public clang::ASTConsumer {
 public:
  CollectConsumer(const CollectOptions& options, const ConditionalRegions& regions,
                  const MacroUses& macros, CollectResult& out)
      : options_(options), regions_(regions), macros_(macros), out_(out) {}

  void HandleTranslationUnit(clang::ASTContext& context) override {
    if (context.getDiagnostics().hasErrorOccurred()) {
      out_.has_errors = true;
      return;
    }
    out_.facts = collect_facts(context, options_, regions_);
    add_macro_names(context, macros_, out_.facts);
  }

 private:
  const CollectOptions& options_;
  const ConditionalRegions& regions_;
  const MacroUses& macros_;
  CollectResult& out_;
};

class CollectAction : public clang::ASTFrontendAction {
 public:
  CollectAction(const CollectOptions& options, CollectResult& out) : options_(options), out_(out) {}

 protected:
  std::unique_ptr<clang::ASTConsumer> CreateASTConsumer(clang::CompilerInstance& compiler,
                                                        llvm::StringRef) override {
    compiler.getPreprocessor().addPPCallbacks(
        make_conditional_recorder(compiler.getSourceManager(), regions_));
    compiler.getPreprocessor().addPPCallbacks(
        make_macro_recorder(compiler.getSourceManager(), options_, macros_));
    return std::make_unique<CollectConsumer>(options_, regions_, macros_, out_);
  }

  void EndSourceFileAction() override {
    clang::CompilerInstance& compiler = getCompilerInstance();
    if (compiler.getDiagnostics().hasErrorOccurred()) out_.has_errors = true;
    const clang::SourceManager& sources = compiler.getSourceManager();
    for (auto entry = sources.fileinfo_begin(); entry != sources.fileinfo_end(); ++entry) {
      const clang::FileEntryRef file = entry->first;
      const llvm::StringRef real = file.getFileEntry().tryGetRealPathName();
      llvm::SmallString<256> path(real.empty() ? file.getName() : real);
      if (real.empty()) {
        compiler.getFileManager().makeAbsolutePath(path);
        llvm::sys::path::remove_dots(path, true);
      }
      out_.inputs.emplace_back(path.str());
    }
  }

 private:
  const CollectOptions& options_;
  CollectResult& out_;
  ConditionalRegions regions_;
  MacroUses macros_;
};

}  // namespace

std::unique_ptr<clang::FrontendAction> make_collect_action(const CollectOptions& options,
                                                           CollectResult& out) {
  return std::make_unique<CollectAction>(options, out);
}

}  // namespace pmc::audit
