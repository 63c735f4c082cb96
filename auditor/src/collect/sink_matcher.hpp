// Recognises the contract's sinks (libpq SQL and connection functions, process spawns, dlsym) at
// a call or a reference, and records their arguments for the judge. Internal to collect/.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <llvm/ADT/ArrayRef.h>
#include <llvm/ADT/StringSet.h>

#include "collect/ast_support.hpp"
#include "collect/collect_options.hpp"
#include "facts/facts.hpp"

namespace pmc::audit {

class SinkMatcher {
 public:
  explicit SinkMatcher(const CollectOptions& options);

  std::optional<SinkFact> match_call(const clang::FunctionDecl& callee,
                                     llvm::ArrayRef<const clang::Expr*> arguments,
                                     clang::SourceLocation where, AstSupport& ast) const;
  // A sink named without being called (its address taken): it may be called from anywhere.
  std::optional<SinkFact> match_reference(const clang::FunctionDecl& function,
                                          clang::SourceLocation where, AstSupport& ast) const;

 private:
  std::optional<std::pair<SinkKind, std::string>> sink_of(const clang::FunctionDecl& function) const;

  llvm::StringSet<> last_names_;  // cheap first test: the unqualified name
  std::unordered_map<std::string, SinkKind> kinds_;
};

}  // namespace pmc::audit
