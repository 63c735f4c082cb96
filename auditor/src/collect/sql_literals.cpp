// SQL literal and SQL-call facts: which literals may be SQL, and where each string argument of a
// SQL-taking call comes from, looked through concatenation, std::string construction, c_str()
// and const locals (a variable that can change later counts as built at run time).
#include "collect/sql_literals.hpp"

#include <algorithm>
#include <array>
#include <cctype>

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>

namespace pmc::audit {
namespace {

constexpr int kMaxDepth = 10;

bool is_standard_string_record(const clang::CXXRecordDecl* record) {
  if (record == nullptr || !record->isInStdNamespace() || record->getIdentifier() == nullptr) return false;
  const llvm::StringRef name = record->getName();
  return name == "basic_string" || name == "basic_string_view";
}

bool is_string_type(clang::QualType type) {
  type = type.getNonReferenceType();
  if (const clang::PointerType* pointer = type->getAs<clang::PointerType>()) {
    return pointer->getPointeeType()->isAnyCharacterType();
  }
  return is_standard_string_record(type->getAsCXXRecordDecl());
}

}  // namespace

bool starts_like_sql_statement(std::string_view text) {
  static constexpr std::array<std::string_view, 44> kKeywords = {
      "ALTER",   "ANALYZE", "BEGIN",      "CALL",    "CHECKPOINT", "CLOSE",   "CLUSTER", "COMMENT",
      "COMMIT",  "COPY",    "CREATE",     "DEALLOCATE", "DECLARE", "DELETE",  "DISCARD", "DO",
      "DROP",    "END",     "EXECUTE",    "EXPLAIN", "FETCH",      "GRANT",   "IMPORT",  "INSERT",
      "LISTEN",  "LOCK",    "MERGE",      "NOTIFY",  "PREPARE",    "REASSIGN", "REFRESH", "REINDEX",
      "RELEASE", "RESET",   "REVOKE",     "ROLLBACK", "SAVEPOINT", "SELECT",  "SET",     "SHOW",
      "START",   "TRUNCATE", "UPDATE",    "WITH"};
  std::size_t i = 0;
  while (i < text.size()) {
    const char c = text[i];
    if (std::isspace(static_cast<unsigned char>(c)) || c == '(') {
      ++i;
    } else if (text.substr(i, 2) == "--") {
      const std::size_t end = text.find('\n', i);
      i = end == std::string_view::npos ? text.size() : end + 1;
    } else if (text.substr(i, 2) == "/*") {
      const std::size_t end = text.find("*/", i + 2);
      i = end == std::string_view::npos ? text.size() : end + 2;
    } else {
      break;
    }
  }
  std::string word;
  while (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) {
    word += static_cast<char>(std::toupper(static_cast<unsigned char>(text[i])));
    ++i;
  }
  if (word.empty() || (i < text.size() && (std::isalnum(static_cast<unsigned char>(text[i])) || text[i] == '_'))) {
    return false;
  }
  return std::find(kKeywords.begin(), kKeywords.end(), word) != kKeywords.end();
}

SqlLiteralCollector::SqlLiteralCollector(AstSupport& ast, const CollectOptions& options)
    : ast_(ast), builders_(options.sql_builders) {
  sql_functions_.insert(options.sql_functions.begin(), options.sql_functions.end());
  sql_functions_.insert(options.runtime_sql_functions.begin(), options.runtime_sql_functions.end());
}

void SqlLiteralCollector::add_text(const clang::StringLiteral& literal, const std::string& function,
                                   bool at_call) {
  if (!literal.isOrdinary() && !literal.isUTF8()) return;
  const llvm::StringRef text = literal.getString();
  if (!starts_like_sql_statement(std::string_view(text.data(), text.size()))) return;
  const SourceLocation where = ast_.location(literal.getBeginLoc());
  if (!where.valid()) return;
  if (!seen_texts_.emplace(function, where.file, where.line, where.column).second) {
    if (at_call) {
      for (SqlTextFact& fact : texts_) {
        if (fact.function == function && fact.where == where) fact.at_sql_call = true;
      }
    }
    return;
  }
  texts_.push_back({function, text.str(), where, at_call});
}

void SqlLiteralCollector::on_string_literal(const clang::StringLiteral& literal, const std::string& function) {
  if (ast_.in_system_header(literal.getBeginLoc())) return;
  add_text(literal, function, false);
}

const clang::StringLiteral* SqlLiteralCollector::constant_literal(const clang::Expr* expression,
                                                                  int depth) const {
  if (expression == nullptr || depth > kMaxDepth) return nullptr;
  const clang::Expr* e = expression->IgnoreUnlessSpelledInSource()->IgnoreParens();
  if (const auto* literal = llvm::dyn_cast<clang::StringLiteral>(e)) return literal;
  if (const auto* construct = llvm::dyn_cast<clang::CXXConstructExpr>(e)) {
    if (construct->getNumArgs() >= 1 && is_standard_string_record(construct->getConstructor()->getParent())) {
      return constant_literal(construct->getArg(0), depth + 1);
    }
    return nullptr;
  }
  if (const auto* cast = llvm::dyn_cast<clang::ExplicitCastExpr>(e)) return constant_literal(cast->getSubExpr(), depth + 1);
  if (const auto* list = llvm::dyn_cast<clang::InitListExpr>(e)) {
    return list->getNumInits() == 1 ? constant_literal(list->getInit(0), depth + 1) : nullptr;
  }
  if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(e)) {
    const auto* variable = llvm::dyn_cast<clang::VarDecl>(reference->getDecl());
    if (variable == nullptr || llvm::isa<clang::ParmVarDecl>(variable)) return nullptr;
    if (!variable->isConstexpr() && !variable->getType().isConstant(ast_.context())) return nullptr;
    return constant_literal(variable->getAnyInitializer(), depth + 1);
  }
  return nullptr;
}

void SqlLiteralCollector::on_reference(const clang::DeclRefExpr& reference, const std::string& function) {
  if (!llvm::isa<clang::VarDecl>(reference.getDecl())) return;
  if (const clang::StringLiteral* literal = constant_literal(&reference, 0)) {
    if (!ast_.in_system_header(literal->getBeginLoc())) add_text(*literal, function, false);
  }
}

bool SqlLiteralCollector::is_builder(const std::string& qualified) const {
  return std::any_of(builders_.begin(), builders_.end(), [&](const std::string& builder) {
    return qualified == builder ||
           (qualified.size() > builder.size() + 2 && qualified.compare(0, builder.size(), builder) == 0 &&
            qualified.compare(builder.size(), 2, "::") == 0);
  });
}

void SqlLiteralCollector::classify(const clang::Expr* expression, const std::string& function,
                                   Origin& origin, int depth) {
  auto dynamic_here = [&](const clang::Expr* part) {
    if (!origin.dynamic) origin.dynamic_part = part->getBeginLoc();
    origin.dynamic = true;
  };
  if (expression == nullptr) return;
  if (depth > kMaxDepth) return dynamic_here(expression);
  const clang::Expr* e = expression->IgnoreUnlessSpelledInSource()->IgnoreParens();

  if (const clang::StringLiteral* literal = constant_literal(e, 0)) {
    if (!ast_.in_system_header(literal->getBeginLoc())) add_text(*literal, function, true);
    return;
  }
  if (const auto* conditional = llvm::dyn_cast<clang::ConditionalOperator>(e)) {
    classify(conditional->getTrueExpr(), function, origin, depth + 1);
    classify(conditional->getFalseExpr(), function, origin, depth + 1);
    return;
  }
  if (const auto* cast = llvm::dyn_cast<clang::ExplicitCastExpr>(e)) {
    return classify(cast->getSubExpr(), function, origin, depth + 1);
  }
  if (const auto* construct = llvm::dyn_cast<clang::CXXConstructExpr>(e)) {
    if (!is_standard_string_record(construct->getConstructor()->getParent())) return dynamic_here(e);
    if (construct->getNumArgs() == 0) return;  // an empty string
    return classify(construct->getArg(0), function, origin, depth + 1);
  }
  if (const auto* operator_call = llvm::dyn_cast<clang::CXXOperatorCallExpr>(e)) {
    if (operator_call->getOperator() == clang::OO_Plus && operator_call->getNumArgs() == 2) {
      classify(operator_call->getArg(0), function, origin, depth + 1);
      classify(operator_call->getArg(1), function, origin, depth + 1);
      return;
    }
    return dynamic_here(e);
  }
  if (const auto* call = llvm::dyn_cast<clang::CallExpr>(e)) {
    const clang::FunctionDecl* callee = call->getDirectCallee();
    if (callee == nullptr) return dynamic_here(e);
    const std::string name = callee->getQualifiedNameAsString();
    if (is_builder(name)) {
      if (std::find(origin.builders.begin(), origin.builders.end(), name) == origin.builders.end()) {
        origin.builders.push_back(name);
      }
      return;
    }
    if (const auto* member_call = llvm::dyn_cast<clang::CXXMemberCallExpr>(call)) {
      const clang::CXXMethodDecl* method = member_call->getMethodDecl();
      if (method != nullptr && method->getIdentifier() != nullptr &&
          (method->getName() == "c_str" || method->getName() == "data") &&
          is_standard_string_record(method->getParent())) {
        return classify(member_call->getImplicitObjectArgument(), function, origin, depth + 1);
      }
    }
    return dynamic_here(e);
  }
  if (const auto* member = llvm::dyn_cast<clang::MemberExpr>(e)) {
    // A data member the contract names as a source (a migration file's text) counts as a builder.
    const std::string name = member->getMemberDecl()->getQualifiedNameAsString();
    if (llvm::isa<clang::FieldDecl>(member->getMemberDecl()) && is_builder(name)) {
      if (std::find(origin.builders.begin(), origin.builders.end(), name) == origin.builders.end()) {
        origin.builders.push_back(name);
      }
      return;
    }
    return dynamic_here(e);
  }
  if (const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(e)) {
    const auto* variable = llvm::dyn_cast<clang::VarDecl>(reference->getDecl());
    // A const local is followed to its initialiser; anything that may change is run-time SQL.
    if (variable != nullptr && !llvm::isa<clang::ParmVarDecl>(variable) && variable->hasLocalStorage() &&
        variable->getType().isConstQualified() && !variable->getType()->isReferenceType() &&
        variable->getInit() != nullptr) {
      return classify(variable->getInit(), function, origin, depth + 1);
    }
    return dynamic_here(e);
  }
  dynamic_here(e);
}

void SqlLiteralCollector::on_call(const clang::FunctionDecl& callee, llvm::ArrayRef<const clang::Expr*> arguments,
                                  clang::SourceLocation where, const std::string& function) {
  if (callee.getIdentifier() == nullptr && !llvm::isa<clang::CXXConstructorDecl>(callee)) return;
  const std::string name = callee.getQualifiedNameAsString();
  if (sql_functions_.count(name) == 0) return;
  Origin origin;
  for (std::size_t i = 0; i < arguments.size() && i < callee.getNumParams(); ++i) {
    if (llvm::isa<clang::CXXDefaultArgExpr>(arguments[i])) continue;
    if (!is_string_type(callee.getParamDecl(static_cast<unsigned>(i))->getType())) continue;
    classify(arguments[i], function, origin, 0);
  }
  SqlCallFact fact;
  fact.function = function;
  fact.callee = name;
  fact.where = ast_.location(where);
  fact.dynamic = origin.dynamic;
  if (origin.dynamic) fact.dynamic_part = ast_.location(origin.dynamic_part);
  fact.builders = std::move(origin.builders);
  // Template instantiations fold into their pattern: one fact per call site.
  const bool known = std::any_of(calls_.begin(), calls_.end(), [&](const SqlCallFact& call) {
    return call.function == fact.function && call.where == fact.where;
  });
  if (!known) calls_.push_back(std::move(fact));
}

void SqlLiteralCollector::take(UnitFacts& facts) {
  facts.sql_texts = std::move(texts_);
  facts.sql_calls = std::move(calls_);
}

}  // namespace pmc::audit
