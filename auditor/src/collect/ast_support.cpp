// Locations, ids, names and literal texts read off a Clang AST for the facts.
#include "collect/ast_support.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/Basic/FileManager.h>
#include <clang/Index/USRGeneration.h>
#include <llvm/ADT/SmallString.h>
#include <llvm/Support/Path.h>

namespace pmc::audit {
namespace {

bool is_standard_string(const clang::CXXRecordDecl* record) {
  if (record == nullptr || !record->isInStdNamespace() || record->getIdentifier() == nullptr) {
    return false;
  }
  const llvm::StringRef name = record->getName();
  return name == "basic_string" || name == "basic_string_view";
}

}  // namespace

AstSupport::AstSupport(clang::ASTContext& context)
    : context_(context), sources_(context.getSourceManager()) {}

const std::string& AstSupport::file_of(clang::SourceLocation where) {
  const clang::FileID file = sources_.getFileID(sources_.getExpansionLoc(where));
  if (file.isInvalid()) return no_file_;
  auto [entry, inserted] = files_.try_emplace(file.getHashValue());
  if (inserted) {
    if (const clang::OptionalFileEntryRef ref = sources_.getFileEntryRefForID(file)) {
      const llvm::StringRef real = ref->getFileEntry().tryGetRealPathName();
      llvm::SmallString<256> path(real.empty() ? ref->getName() : real);
      if (real.empty()) {
        sources_.getFileManager().makeAbsolutePath(path);
        llvm::sys::path::remove_dots(path, true);
      }
      entry->second = std::string(path.str());
    }
  }
  return entry->second;
}

SourceLocation AstSupport::location(clang::SourceLocation where) {
  SourceLocation out;
  if (where.isInvalid()) return out;
  const clang::SourceLocation expansion = sources_.getExpansionLoc(where);
  out.file = file_of(expansion);
  const auto [file, offset] = sources_.getDecomposedLoc(expansion);
  out.line = sources_.getLineNumber(file, offset);
  out.column = sources_.getColumnNumber(file, offset);
  return out;
}

bool AstSupport::in_system_header(clang::SourceLocation where) const {
  return where.isValid() && sources_.isInSystemHeader(sources_.getExpansionLoc(where));
}

bool AstSupport::in_system_header(const clang::Decl* decl) const {
  return in_system_header(decl->getLocation());
}

bool AstSupport::in_main_file(clang::SourceLocation where) const {
  return where.isValid() && sources_.isInMainFile(sources_.getExpansionLoc(where));
}

std::string AstSupport::lambda_id(const clang::CXXRecordDecl* lambda_class) {
  const clang::SourceLocation where = sources_.getExpansionLoc(lambda_class->getLocation());
  return "lambda:" + file_of(where) + ":" + std::to_string(sources_.getFileOffset(where));
}

const std::string& AstSupport::id_of(const clang::FunctionDecl* function) {
  const clang::FunctionDecl* pattern = function;
  if (const clang::FunctionDecl* from = function->getTemplateInstantiationPattern()) {
    pattern = from;
  }
  pattern = pattern->getCanonicalDecl();
  auto [entry, inserted] = ids_.try_emplace(pattern);
  if (!inserted) return entry->second;

  if (const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(pattern);
      method != nullptr && method->getParent()->isLambda()) {
    entry->second = lambda_id(method->getParent());
  } else if (pattern->isMain()) {
    const clang::FunctionDecl* definition = pattern->getDefinition();
    entry->second = "main:" + file_of((definition ? definition : pattern)->getLocation());
  } else {
    llvm::SmallString<128> usr;
    if (clang::index::generateUSRForDecl(pattern, usr)) {
      usr = "name:" + pattern->getQualifiedNameAsString();  // no USR: fall back to the name
    }
    entry->second = std::string(usr.str());
    if (!pattern->isExternallyVisible()) entry->second += "@" + file_of(pattern->getLocation());
  }
  return entry->second;
}

std::string AstSupport::qualified_name(const clang::NamedDecl* decl) {
  if (const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(decl);
      method != nullptr && method->getParent()->isLambda()) {
    return "lambda";
  }
  return decl->getQualifiedNameAsString();
}

std::optional<std::string> AstSupport::literal_text(const clang::Expr* expression,
                                                    int depth) const {
  if (expression == nullptr || depth > 6) return std::nullopt;
  const clang::Expr* e = expression->IgnoreUnlessSpelledInSource()->IgnoreParens();

  if (const auto* literal = llvm::dyn_cast<clang::StringLiteral>(e)) {
    if (literal->isOrdinary() || literal->isUTF8()) return literal->getString().str();
    return std::nullopt;
  }
  if (const auto* construct = llvm::dyn_cast<clang::CXXConstructExpr>(e)) {
    if (construct->getNumArgs() >= 1 && is_standard_string(construct->getConstructor()->getParent())) {
      return literal_text(construct->getArg(0), depth + 1);
    }
    return std::nullopt;
  }
  if (const auto* cast = llvm::dyn_cast<clang::ExplicitCastExpr>(e)) {
    return literal_text(cast->getSubExpr(), depth + 1);
  }
  if (const auto* user_literal = llvm::dyn_cast<clang::UserDefinedLiteral>(e)) {
    if (user_literal->getLiteralOperatorKind() == clang::UserDefinedLiteral::LOK_Template ||
        user_literal->getLiteralOperatorKind() == clang::UserDefinedLiteral::LOK_String) {
      return literal_text(user_literal->getArg(0), depth + 1);
    }
    return std::nullopt;
  }
  if (const auto* member_call = llvm::dyn_cast<clang::CXXMemberCallExpr>(e)) {
    const clang::CXXMethodDecl* method = member_call->getMethodDecl();
    if (method != nullptr && method->getIdentifier() != nullptr &&
        (method->getName() == "c_str" || method->getName() == "data") &&
        is_standard_string(method->getParent())) {
      return literal_text(member_call->getImplicitObjectArgument(), depth + 1);
    }
    return std::nullopt;
  }
  if (const auto* list = llvm::dyn_cast<clang::InitListExpr>(e)) {
    if (list->getNumInits() == 1) return literal_text(list->getInit(0), depth + 1);
    return std::nullopt;
  }
  if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(e)) {
    const auto* variable = llvm::dyn_cast<clang::VarDecl>(reference->getDecl());
    if (variable == nullptr || llvm::isa<clang::ParmVarDecl>(variable)) return std::nullopt;
    if (!variable->isConstexpr() && !variable->getType().isConstant(context_)) return std::nullopt;
    return literal_text(variable->getAnyInitializer(), depth + 1);
  }
  return std::nullopt;
}

}  // namespace pmc::audit
