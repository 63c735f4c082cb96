// The facts the bypass rules judge, read off one unit: environment reads and writes, option
// literals, and declared or macro names that match the contract's bypass patterns. The fact
// visitor hands it calls, declarations, literals and assignments; a PPCallbacks records macros.
// Internal to collect/.
#pragma once

#include <memory>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <clang/Basic/SourceManager.h>
#include <clang/Lex/PPCallbacks.h>

#include "classify/bypass_patterns.hpp"
#include "collect/ast_support.hpp"
#include "collect/collect_options.hpp"
#include "facts/facts.hpp"

namespace pmc::audit {

class BypassCollector {
 public:
  BypassCollector(AstSupport& ast, const CollectOptions& options);

  void on_call(const clang::CallExpr& call);               // getenv, setenv, envname …
  void on_declaration(const clang::NamedDecl& decl);       // variables, functions, enumerators
  void on_string_literal(const clang::StringLiteral& literal);  // "--force", "-f,--force"
  void on_assignment(const clang::BinaryOperator& assignment);  // environ[i] = …

  void take(UnitFacts& facts);

 private:
  void add_environment(EnvironmentAccess access, const std::string& function,
                       const clang::Expr* name, clang::SourceLocation call);

  AstSupport& ast_;
  BypassPatterns patterns_;
  std::vector<EnvironmentFact> environment_;
  std::vector<OptionFact> options_;
  std::vector<NameFact> names_;
  std::set<std::tuple<std::string, unsigned, unsigned, std::string>> seen_;  // file, line, column, what
};

// A macro named by the preprocessor, kept until the AST gives absolute locations.
struct MacroUse {
  std::string name;
  NameKind kind = NameKind::MacroDefined;
  bool function_like = false;
  clang::SourceLocation where;
};

struct MacroUses {
  std::vector<MacroUse> uses;
};

// Records #define, #ifdef/#ifndef/#elifdef/#elifndef, the names in #if/#elif conditions and
// macro expansions outside system headers, for names matching the bypass patterns.
std::unique_ptr<clang::PPCallbacks> make_macro_recorder(const clang::SourceManager& sources,
                                                       const CollectOptions& options,
                                                       MacroUses& out);

// Adds the recorded macros to the unit's facts (locations resolved, repeats dropped).
void add_macro_names(clang::ASTContext& context, const MacroUses& macros, UnitFacts& facts);

}  // namespace pmc::audit
