// Collects the bypass facts of one unit (see bypass_facts.hpp). Names and options are kept only
// when they match the contract's patterns, so the facts stay small; environment accesses are all
// kept, because the CI-check and environment-write rules judge names the patterns do not hold.
#include "collect/bypass_facts.hpp"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/Lex/MacroInfo.h>
#include <clang/Lex/Token.h>

namespace pmc::audit {
namespace {

enum class EnvFunction { None, Read, Write, Put, Clear };

// The C library's environment functions, at global scope or in std (std::getenv is ::getenv).
EnvFunction environment_function(const clang::FunctionDecl& callee) {
  if (llvm::isa<clang::CXXMethodDecl>(callee) || callee.getIdentifier() == nullptr) {
    return EnvFunction::None;
  }
  const clang::DeclContext* scope = callee.getDeclContext()->getRedeclContext();
  if (!scope->isTranslationUnit() && !scope->isStdNamespace()) return EnvFunction::None;
  const llvm::StringRef name = callee.getName();
  if (name == "getenv" || name == "secure_getenv") return EnvFunction::Read;
  if (name == "setenv" || name == "unsetenv") return EnvFunction::Write;
  if (name == "putenv") return EnvFunction::Put;
  if (name == "clearenv") return EnvFunction::Clear;
  return EnvFunction::None;
}

// CLI11's Option::envname(NAME): the option's value is read from that variable.
bool is_cli11_envname(const clang::FunctionDecl& callee) {
  const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(&callee);
  if (method == nullptr || method->getIdentifier() == nullptr || method->getName() != "envname") {
    return false;
  }
  return AstSupport::qualified_name(method->getParent()) == "CLI::Option";
}

const clang::VarDecl* environ_variable(const clang::Expr* expression) {
  for (;;) {
    expression = expression->IgnoreParenImpCasts();
    if (const auto* subscript = llvm::dyn_cast<clang::ArraySubscriptExpr>(expression)) {
      expression = subscript->getBase();
    } else if (const auto* unary = llvm::dyn_cast<clang::UnaryOperator>(expression);
               unary != nullptr && unary->getOpcode() == clang::UO_Deref) {
      expression = unary->getSubExpr();
    } else {
      break;
    }
  }
  const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(expression);
  if (reference == nullptr) return nullptr;
  const auto* variable = llvm::dyn_cast<clang::VarDecl>(reference->getDecl());
  if (variable == nullptr || variable->getIdentifier() == nullptr || !variable->hasGlobalStorage() ||
      !variable->getDeclContext()->getRedeclContext()->isTranslationUnit()) {
    return nullptr;
  }
  const llvm::StringRef name = variable->getName();
  return name == "environ" || name == "__environ" ? variable : nullptr;
}

// "NAME=value" (putenv, environ entries): the name.
std::string name_before_equals(const std::string& text) { return text.substr(0, text.find('=')); }

std::optional<NameKind> name_kind(const clang::NamedDecl& decl) {
  if (llvm::isa<clang::FieldDecl>(decl)) return NameKind::Field;
  if (llvm::isa<clang::VarDecl>(decl)) return NameKind::Variable;
  if (llvm::isa<clang::EnumConstantDecl>(decl)) return NameKind::Enumerator;
  if (llvm::isa<clang::FunctionDecl>(decl)) return NameKind::Function;
  return std::nullopt;
}

class MacroRecorder : public clang::PPCallbacks {
 public:
  MacroRecorder(const clang::SourceManager& sources, const CollectOptions& options, MacroUses& out)
      : sources_(sources),
        patterns_(options.bypass_name_patterns, options.bypass_flag_patterns),
        out_(out) {}

  void MacroDefined(const clang::Token& name, const clang::MacroDirective* directive) override {
    const clang::MacroInfo* info = directive != nullptr ? directive->getMacroInfo() : nullptr;
    record(name, NameKind::MacroDefined, info != nullptr && info->isFunctionLike());
  }

  void MacroExpands(const clang::Token& name, const clang::MacroDefinition& definition,
                    clang::SourceRange, const clang::MacroArgs*) override {
    const clang::MacroInfo* info = definition.getMacroInfo();
    record(name, NameKind::MacroExpanded, info != nullptr && info->isFunctionLike());
  }

  void Ifdef(clang::SourceLocation, const clang::Token& name, const clang::MacroDefinition&) override {
    record(name, NameKind::MacroTested, false);
  }
  void Ifndef(clang::SourceLocation, const clang::Token& name, const clang::MacroDefinition&) override {
    record(name, NameKind::MacroTested, false);
  }
  void Elifdef(clang::SourceLocation, const clang::Token& name, const clang::MacroDefinition&) override {
    record(name, NameKind::MacroTested, false);
  }
  void Elifndef(clang::SourceLocation, const clang::Token& name, const clang::MacroDefinition&) override {
    record(name, NameKind::MacroTested, false);
  }
  void If(clang::SourceLocation, clang::SourceRange condition, ConditionValueKind) override {
    record_condition(condition.getBegin());
  }
  void Elif(clang::SourceLocation, clang::SourceRange condition, ConditionValueKind,
            clang::SourceLocation) override {
    record_condition(condition.getBegin());
  }

 private:
  bool examined(clang::SourceLocation where) const {
    return where.isValid() && where.isFileID() && !sources_.isInSystemHeader(where) &&
           !sources_.isWrittenInBuiltinFile(where) && !sources_.isWrittenInCommandLineFile(where);
  }

  void record(const clang::Token& token, NameKind kind, bool function_like) {
    const clang::IdentifierInfo* identifier = token.getIdentifierInfo();
    if (identifier == nullptr || !examined(token.getLocation())) return;
    const llvm::StringRef name = identifier->getName();
    if (patterns_.match_name({name.data(), name.size()}) == nullptr) return;
    out_.uses.push_back({name.str(), kind, function_like, token.getLocation()});
  }

  // Every identifier of an #if/#elif condition (`defined(X)`, `X && Y`), up to the line's end.
  void record_condition(clang::SourceLocation begin) {
    if (!examined(begin)) return;
    bool invalid = false;
    const char* text = sources_.getCharacterData(begin, &invalid);
    if (invalid || text == nullptr) return;
    std::size_t i = 0;
    auto identifier_char = [](char c) {
      return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    };
    for (;;) {
      const char c = text[i];
      if (c == '\0' || (c == '\n' && (i == 0 || text[i - 1] != '\\'))) break;
      if (!identifier_char(c) || (i > 0 && identifier_char(text[i - 1]))) {
        ++i;
        continue;
      }
      std::size_t end = i;
      while (identifier_char(text[end])) ++end;
      const std::string_view name(text + i, end - i);
      if (patterns_.match_name(name) != nullptr) {
        out_.uses.push_back({std::string(name), NameKind::MacroTested, false,
                             begin.getLocWithOffset(static_cast<int>(i))});
      }
      i = end;
    }
  }

  const clang::SourceManager& sources_;
  BypassPatterns patterns_;
  MacroUses& out_;
};

}  // namespace

BypassCollector::BypassCollector(AstSupport& ast, const CollectOptions& options)
    : ast_(ast), patterns_(options.bypass_name_patterns, options.bypass_flag_patterns) {}

void BypassCollector::add_environment(EnvironmentAccess access, const std::string& function,
                                      const clang::Expr* name, clang::SourceLocation call) {
  EnvironmentFact fact;
  fact.access = access;
  fact.function = function;
  if (name != nullptr) {
    if (std::optional<std::string> text = ast_.literal_text(name)) {
      fact.literal = true;
      fact.name = function == "putenv" || function == "environ" ? name_before_equals(*text) : *text;
    }
  }
  fact.where = ast_.location(name != nullptr ? name->getBeginLoc() : call);
  if (!fact.where.valid()) return;
  if (!seen_.emplace(fact.where.file, fact.where.line, fact.where.column, "env:" + function).second) return;
  environment_.push_back(std::move(fact));
}

void BypassCollector::on_call(const clang::CallExpr& call) {
  const clang::FunctionDecl* callee = call.getDirectCallee();
  if (callee == nullptr) return;
  const clang::Expr* first = call.getNumArgs() > 0 ? call.getArg(0) : nullptr;
  if (is_cli11_envname(*callee)) {
    add_environment(EnvironmentAccess::Read, "CLI::Option::envname", first, call.getBeginLoc());
    return;
  }
  const std::string name = callee->getIdentifier() != nullptr ? callee->getName().str() : "";
  switch (environment_function(*callee)) {
    case EnvFunction::None: return;
    case EnvFunction::Read: add_environment(EnvironmentAccess::Read, name, first, call.getBeginLoc()); return;
    case EnvFunction::Write:
    case EnvFunction::Put: add_environment(EnvironmentAccess::Write, name, first, call.getBeginLoc()); return;
    case EnvFunction::Clear: add_environment(EnvironmentAccess::Write, name, nullptr, call.getBeginLoc()); return;
  }
}

void BypassCollector::on_assignment(const clang::BinaryOperator& assignment) {
  if (!assignment.isAssignmentOp() || environ_variable(assignment.getLHS()) == nullptr) return;
  add_environment(EnvironmentAccess::Write, "environ", assignment.getRHS(), assignment.getOperatorLoc());
}

void BypassCollector::on_declaration(const clang::NamedDecl& decl) {
  if (decl.isImplicit() || decl.getIdentifier() == nullptr) return;
  const std::optional<NameKind> kind = name_kind(decl);
  if (!kind) return;
  const llvm::StringRef name = decl.getName();
  if (patterns_.match_name({name.data(), name.size()}) == nullptr) return;
  if (ast_.in_system_header(decl.getLocation())) return;
  NameFact fact{name.str(), *kind, false, ast_.location(decl.getLocation())};
  if (!fact.where.valid()) return;
  if (!seen_.emplace(fact.where.file, fact.where.line, fact.where.column, "name:" + fact.name).second) return;
  names_.push_back(std::move(fact));
}

void BypassCollector::on_string_literal(const clang::StringLiteral& literal) {
  if (literal.getCharByteWidth() != 1) return;
  const llvm::StringRef text = literal.getString();
  const std::size_t first = text.find_first_not_of(" \t");
  if (first == llvm::StringRef::npos || text[first] != '-') return;  // cheap: most literals stop here
  for (const std::string& option : option_spec_options({text.data(), text.size()})) {
    if (patterns_.match_flag(option) == nullptr) continue;
    OptionFact fact{option, ast_.location(literal.getBeginLoc())};
    if (!fact.where.valid() || ast_.in_system_header(literal.getBeginLoc())) continue;
    if (!seen_.emplace(fact.where.file, fact.where.line, fact.where.column, "option:" + option).second) continue;
    options_.push_back(std::move(fact));
  }
}

void BypassCollector::take(UnitFacts& facts) {
  facts.environment = std::move(environment_);
  facts.options = std::move(options_);
  facts.bypass_names = std::move(names_);
}

std::unique_ptr<clang::PPCallbacks> make_macro_recorder(const clang::SourceManager& sources,
                                                       const CollectOptions& options,
                                                       MacroUses& out) {
  return std::make_unique<MacroRecorder>(sources, options, out);
}

void add_macro_names(clang::ASTContext& context, const MacroUses& macros, UnitFacts& facts) {
  AstSupport ast(context);
  std::set<std::tuple<std::string, unsigned, unsigned, NameKind>> seen;
  for (const MacroUse& use : macros.uses) {
    NameFact fact{use.name, use.kind, use.function_like, ast.location(use.where)};
    if (!fact.where.valid()) continue;
    if (!seen.emplace(fact.where.file, fact.where.line, fact.where.column, fact.kind).second) continue;
    facts.bypass_names.push_back(std::move(fact));
  }
}

}  // namespace pmc::audit
