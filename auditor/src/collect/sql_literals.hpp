// The facts the sql rules judge, read off one unit: string literals that may be SQL (where they
// are used), and calls of SQL-taking functions with where each string argument comes from
// (literals, the contract's builders, or anything else). The fact visitor hands it literals,
// references and calls with the id of the function they stand in. Internal to collect/.
#pragma once

#include <set>
#include <string>
#include <tuple>
#include <vector>

#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <llvm/ADT/ArrayRef.h>

#include "collect/ast_support.hpp"
#include "collect/collect_options.hpp"
#include "facts/facts.hpp"

namespace pmc::audit {

// Whether a text's first word (after blanks, SQL comments and opening parentheses) is the
// keyword a SQL statement starts with. A cheap filter: the rules parse what passes it.
bool starts_like_sql_statement(std::string_view text);

class SqlLiteralCollector {
 public:
  SqlLiteralCollector(AstSupport& ast, const CollectOptions& options);

  void on_string_literal(const clang::StringLiteral& literal, const std::string& function);
  // A named constant used in a function: its literal counts as used there too.
  void on_reference(const clang::DeclRefExpr& reference, const std::string& function);
  void on_call(const clang::FunctionDecl& callee, llvm::ArrayRef<const clang::Expr*> arguments,
               clang::SourceLocation where, const std::string& function);

  void take(UnitFacts& facts);

 private:
  struct Origin {
    bool dynamic = false;
    clang::SourceLocation dynamic_part;
    std::vector<std::string> builders;
  };

  void classify(const clang::Expr* expression, const std::string& function, Origin& origin, int depth);
  bool is_builder(const std::string& qualified) const;
  void add_text(const clang::StringLiteral& literal, const std::string& function, bool at_call);
  const clang::StringLiteral* constant_literal(const clang::Expr* expression, int depth) const;

  AstSupport& ast_;
  std::set<std::string> sql_functions_;  // contract sinks of kind SQL and the runtime's
  std::vector<std::string> builders_;
  std::vector<SqlTextFact> texts_;
  std::vector<SqlCallFact> calls_;
  std::set<std::tuple<std::string, std::string, unsigned, unsigned>> seen_texts_;  // function, file, line, column
};

}  // namespace pmc::audit
