// What every part of the collector asks of a Clang AST: absolute locations, stable function ids,
// qualified names and the text of string literals. Internal to collect/.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>

#include <clang/AST/ASTContext.h>
#include <clang/AST/Decl.h>
#include <clang/AST/Expr.h>
#include <clang/Basic/SourceManager.h>

#include "facts/facts.hpp"

namespace pmc::audit {

class AstSupport {
 public:
  explicit AstSupport(clang::ASTContext& context);

  clang::ASTContext& context() const { return context_; }
  const clang::SourceManager& sources() const { return sources_; }

  // The expansion location (where a macro was used), as an absolute path, line and column.
  SourceLocation location(clang::SourceLocation where);
  const std::string& file_of(clang::SourceLocation where);
  bool in_system_header(clang::SourceLocation where) const;
  bool in_system_header(const clang::Decl* decl) const;
  bool in_main_file(clang::SourceLocation where) const;

  // The id facts use for a function (see FunctionFact::id): instantiations fold into their
  // pattern, lambdas are named by place, internal linkage adds the defining file.
  const std::string& id_of(const clang::FunctionDecl* function);
  std::string lambda_id(const clang::CXXRecordDecl* lambda_class);
  static std::string qualified_name(const clang::NamedDecl* decl);

  // The text of a string literal, looked through parentheses, implicit conversions, std::string
  // and std::string_view construction, ""s literals, c_str()/data() and named constants.
  std::optional<std::string> literal_text(const clang::Expr* expression, int depth = 0) const;

 private:
  clang::ASTContext& context_;
  const clang::SourceManager& sources_;
  // unordered_map: references handed out stay valid while new entries arrive.
  std::unordered_map<const clang::Decl*, std::string> ids_;
  std::unordered_map<unsigned, std::string> files_;  // FileID hash -> absolute path
  std::string no_file_;
};

}  // namespace pmc::audit
