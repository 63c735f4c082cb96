// main()'s first statement, unwrapped and described as plain facts.
#include "collect/main_statement.hpp"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/Stmt.h>
#include <clang/AST/StmtCXX.h>

namespace pmc::audit {
namespace {

// A handler stops the program's course when one of its own statements returns, throws or calls
// a function that does not return (exit, abort, std::terminate …).
bool handler_stops(const clang::CXXCatchStmt& handler) {
  const auto* block = llvm::dyn_cast_or_null<clang::CompoundStmt>(handler.getHandlerBlock());
  if (block == nullptr) return false;
  for (const clang::Stmt* statement : block->body()) {
    if (llvm::isa<clang::ReturnStmt>(statement)) return true;
    const auto* expression = llvm::dyn_cast<clang::Expr>(statement);
    if (expression == nullptr) continue;
    expression = expression->IgnoreUnlessSpelledInSource();
    if (llvm::isa<clang::CXXThrowExpr>(expression)) return true;
    if (const auto* call = llvm::dyn_cast<clang::CallExpr>(expression)) {
      const clang::FunctionDecl* callee = call->getDirectCallee();
      if (callee != nullptr && callee->isNoReturn()) return true;
    }
  }
  return false;
}

TryFact describe_try(const clang::CXXTryStmt& attempt, AstSupport& ast) {
  TryFact fact;
  fact.where = ast.location(attempt.getTryLoc());
  for (unsigned i = 0; i < attempt.getNumHandlers(); ++i) {
    const clang::CXXCatchStmt* handler = attempt.getHandler(i);
    if (!handler_stops(*handler)) {
      fact.handler_carries_on = true;
      fact.handler = ast.location(handler->getCatchLoc());
      break;
    }
  }
  return fact;
}

std::string kind_of(const clang::Stmt& statement) {
  if (const auto* declaration = llvm::dyn_cast<clang::DeclStmt>(&statement)) {
    return declaration->isSingleDecl() ? "declaration" : "declaration of several variables";
  }
  if (llvm::isa<clang::Expr>(statement)) return "expression";
  if (llvm::isa<clang::IfStmt>(statement)) return "if statement";
  if (llvm::isa<clang::SwitchStmt>(statement)) return "switch statement";
  if (llvm::isa<clang::ForStmt>(statement) || llvm::isa<clang::CXXForRangeStmt>(statement) ||
      llvm::isa<clang::WhileStmt>(statement) || llvm::isa<clang::DoStmt>(statement)) {
    return "loop";
  }
  if (llvm::isa<clang::ReturnStmt>(statement)) return "return statement";
  if (llvm::isa<clang::NullStmt>(statement)) return "empty statement";
  return statement.getStmtClassName();
}

// The expression whose value the statement is: an expression statement, or the initialiser of
// the one variable a declaration declares. A cast to void is looked through.
const clang::Expr* value_of(const clang::Stmt& statement) {
  const clang::Expr* value = nullptr;
  if (const auto* declaration = llvm::dyn_cast<clang::DeclStmt>(&statement)) {
    if (!declaration->isSingleDecl()) return nullptr;
    const auto* variable = llvm::dyn_cast<clang::VarDecl>(declaration->getSingleDecl());
    if (variable == nullptr) return nullptr;
    value = variable->getInit();
  } else {
    value = llvm::dyn_cast<clang::Expr>(&statement);
  }
  while (value != nullptr) {
    value = value->IgnoreUnlessSpelledInSource();
    const auto* cast = llvm::dyn_cast<clang::ExplicitCastExpr>(value);
    if (cast == nullptr || !cast->getType()->isVoidType()) break;
    value = cast->getSubExpr();
  }
  return value;
}

int parameter_named(const clang::Expr* argument, const clang::FunctionDecl& main) {
  const auto* reference =
      llvm::dyn_cast<clang::DeclRefExpr>(argument->IgnoreParenImpCasts());
  if (reference == nullptr) return -1;
  for (unsigned i = 0; i < main.getNumParams(); ++i) {
    if (reference->getDecl() == main.getParamDecl(i)) return static_cast<int>(i);
  }
  return -1;
}

void describe_call(const clang::CallExpr& call, const clang::FunctionDecl& main, AstSupport& ast,
                   MainFact& fact) {
  const clang::FunctionDecl* callee = call.getDirectCallee();
  if (callee == nullptr) return;
  fact.is_call = true;
  fact.callee = ast.id_of(callee);
  fact.callee_name = AstSupport::qualified_name(callee);
  fact.call = ast.location(call.getExprLoc());
  // Any token of the callee's name from a macro: `pmc::guard::NAME` with NAME a macro too.
  const clang::Expr* name = call.getCallee()->IgnoreParenImpCasts();
  fact.callee_name_from_macro = name->getBeginLoc().isMacroID() || name->getEndLoc().isMacroID();
  if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(name)) {
    fact.callee_name_from_macro = fact.callee_name_from_macro || reference->getLocation().isMacroID();
  }
  if (const clang::FunctionDecl* definition = callee->getDefinition()) {
    fact.callee_definition = ast.file_of(definition->getLocation());
  }
  for (const clang::Expr* argument : call.arguments()) {
    fact.argument_parameters.push_back(parameter_named(argument, main));
  }
}

// Whether a conditional region of the main file overlaps main's text from its opening brace to
// the end of the statement: the statement sits inside it, or code before it may be compiled in.
const ConditionalRegion* conditional_before(const clang::SourceManager& sources,
                                            clang::SourceLocation body_begin,
                                            clang::SourceLocation statement_end,
                                            const ConditionalRegions& regions) {
  body_begin = sources.getExpansionLoc(body_begin);
  statement_end = sources.getExpansionLoc(statement_end);
  if (!sources.isWrittenInMainFile(body_begin)) return nullptr;
  for (const ConditionalRegion& region : regions) {
    if (sources.isBeforeInTranslationUnit(region.opening, statement_end) &&
        sources.isBeforeInTranslationUnit(body_begin, region.closing)) {
      return &region;
    }
  }
  return nullptr;
}

}  // namespace

MainFact describe_main(const clang::FunctionDecl& main, AstSupport& ast,
                       const ConditionalRegions& regions) {
  MainFact fact;
  fact.id = ast.id_of(&main);
  fact.where = ast.location(main.getLocation());
  fact.parameters = main.getNumParams();

  const clang::Stmt* current = main.getBody();
  while (current != nullptr) {
    if (const auto* attempt = llvm::dyn_cast<clang::CXXTryStmt>(current)) {
      fact.tries.push_back(describe_try(*attempt, ast));
      current = attempt->getTryBlock();
    } else if (const auto* block = llvm::dyn_cast<clang::CompoundStmt>(current)) {
      current = block->body_empty() ? nullptr : block->body_front();
    } else {
      break;
    }
  }
  if (current == nullptr) return fact;

  fact.has_statement = true;
  fact.statement_kind = kind_of(*current);
  fact.statement = ast.location(current->getBeginLoc());
  fact.statement_from_macro = current->getBeginLoc().isMacroID();
  if (const ConditionalRegion* region = conditional_before(
          ast.sources(), main.getBody()->getBeginLoc(), current->getEndLoc(), regions)) {
    fact.conditional_before = true;
    fact.conditional = ast.location(region->opening);
  }
  if (const auto* call = llvm::dyn_cast_or_null<clang::CallExpr>(value_of(*current))) {
    describe_call(*call, main, ast, fact);
  }
  return fact;
}

}  // namespace pmc::audit
