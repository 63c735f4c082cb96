// Sink recognition by qualified name, with the literal text of each argument.
#include "collect/sink_matcher.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>

namespace pmc::audit {
namespace {

std::string last_component(const std::string& qualified) {
  const std::size_t colon = qualified.rfind("::");
  return colon == std::string::npos ? qualified : qualified.substr(colon + 2);
}

bool is_char_pointer(clang::QualType type) {
  const clang::PointerType* pointer = type->getAs<clang::PointerType>();
  return pointer != nullptr && pointer->getPointeeType()->isAnyCharacterType();
}

}  // namespace

SinkMatcher::SinkMatcher(const CollectOptions& options) {
  auto add = [this](const std::vector<std::string>& names, SinkKind kind) {
    for (const std::string& name : names) {
      kinds_.emplace(name, kind);
      last_names_.insert(last_component(name));
    }
  };
  add(options.sql_functions, SinkKind::Sql);
  add(options.connection_functions, SinkKind::Connection);
  add(options.spawn_functions, SinkKind::Spawn);
  add(options.dynamic_lookup_functions, SinkKind::DynamicLookup);
}

std::optional<std::pair<SinkKind, std::string>> SinkMatcher::sink_of(
    const clang::FunctionDecl& function) const {
  llvm::StringRef last;
  if (const auto* constructor = llvm::dyn_cast<clang::CXXConstructorDecl>(&function)) {
    if (constructor->getParent()->getIdentifier() == nullptr) return std::nullopt;
    last = constructor->getParent()->getName();
  } else if (function.getIdentifier() != nullptr) {
    last = function.getName();
  } else {
    return std::nullopt;
  }
  if (!last_names_.contains(last)) return std::nullopt;
  std::string name = function.getQualifiedNameAsString();
  const auto found = kinds_.find(name);
  if (found == kinds_.end()) return std::nullopt;
  return std::make_pair(found->second, std::move(name));
}

std::optional<SinkFact> SinkMatcher::match_call(const clang::FunctionDecl& callee,
                                                llvm::ArrayRef<const clang::Expr*> arguments,
                                                clang::SourceLocation where,
                                                AstSupport& ast) const {
  auto sink = sink_of(callee);
  if (!sink) return std::nullopt;
  SinkFact fact;
  fact.kind = sink->first;
  fact.function = std::move(sink->second);
  fact.where = ast.location(where);
  for (const clang::Expr* argument : arguments) {
    if (llvm::isa<clang::CXXDefaultArgExpr>(argument)) continue;  // not written at the call
    SinkArgument recorded;
    if (std::optional<std::string> text = ast.literal_text(argument)) {
      recorded.literal = true;
      recorded.text = std::move(*text);
    }
    fact.arguments.push_back(std::move(recorded));
  }
  for (unsigned i = 0; i < callee.getNumParams(); ++i) {
    if (is_char_pointer(callee.getParamDecl(i)->getType())) {
      fact.command_argument = static_cast<int>(i);
      break;
    }
  }
  return fact;
}

std::optional<SinkFact> SinkMatcher::match_reference(const clang::FunctionDecl& function,
                                                     clang::SourceLocation where,
                                                     AstSupport& ast) const {
  auto sink = sink_of(function);
  if (!sink) return std::nullopt;
  SinkFact fact;
  fact.kind = sink->first;
  fact.function = std::move(sink->second);
  fact.where = ast.location(where);
  fact.address_taken = true;
  return fact;
}

}  // namespace pmc::audit
