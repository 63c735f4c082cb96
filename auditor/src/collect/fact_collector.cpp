// The one walk over a unit's AST: function definitions and what each calls, sinks, lambdas,
// addresses taken, overrides, PMC_MUTATION categories, mains and namespace-scope initialisers.
// Declarations from system headers are skipped whole: their bodies are not ours to judge.
#include <deque>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/AST/RecursiveASTVisitor.h>

#include "collect/ast_support.hpp"
#include "collect/bypass_facts.hpp"
#include "collect/fact_collector.hpp"
#include "collect/main_statement.hpp"
#include "collect/sink_matcher.hpp"
#include "collect/sql_literals.hpp"

namespace pmc::audit {
namespace {

constexpr llvm::StringLiteral kMutationPrefix = "pmc::mutation:";

// Library calls that call whatever callable they hold or are given.
bool calls_what_it_holds(const clang::FunctionDecl& callee) {
  if (!callee.isInStdNamespace()) return false;
  if (const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(&callee)) {
    if (method->getOverloadedOperator() != clang::OO_Call) return false;
    const clang::CXXRecordDecl* holder = method->getParent();
    if (holder->getIdentifier() == nullptr) return false;
    const llvm::StringRef name = holder->getName();
    return name == "function" || name == "move_only_function" || name == "copyable_function" ||
           name == "function_ref" || name == "packaged_task" || name == "reference_wrapper";
  }
  if (callee.getIdentifier() == nullptr) return false;
  const llvm::StringRef name = callee.getName();
  return name == "invoke" || name == "invoke_r" || name == "apply";
}

const clang::CXXDestructorDecl* destructor_of(clang::QualType type) {
  const clang::Type* element = type->getBaseElementTypeUnsafe();
  const clang::CXXRecordDecl* record = element->getAsCXXRecordDecl();
  if (record == nullptr || !record->hasDefinition()) return nullptr;
  const clang::CXXDestructorDecl* destructor = record->getDestructor();
  if (destructor == nullptr || destructor->isTrivial()) return nullptr;
  return destructor;
}

class FactVisitor : public clang::RecursiveASTVisitor<FactVisitor> {
  using Base = clang::RecursiveASTVisitor<FactVisitor>;

 public:
  FactVisitor(clang::ASTContext& context, const CollectOptions& options,
              const ConditionalRegions& regions)
      : ast_(context), sinks_(options), bypass_(ast_, options), sql_(ast_, options), regions_(regions) {
    const clang::SourceManager& sources = context.getSourceManager();
    facts_.source = ast_.file_of(sources.getLocForStartOfFile(sources.getMainFileID()));
    init_id_ = "init:" + facts_.source;
  }

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }
  bool shouldWalkTypesOfTypeLocs() const { return false; }

  bool TraverseDecl(clang::Decl* decl) {
    if (decl == nullptr) return true;
    if (!llvm::isa<clang::TranslationUnitDecl>(decl) && ast_.in_system_header(decl)) return true;
    if (auto* function = llvm::dyn_cast<clang::FunctionDecl>(decl);
        function != nullptr && function->doesThisDeclarationHaveABody()) {
      return traverse_function(*function);
    }
    if (auto* variable = llvm::dyn_cast<clang::VarDecl>(decl);
        variable != nullptr && variable->isFileVarDecl() && variable->hasInit() &&
        !variable->getDeclContext()->isDependentContext()) {
      return traverse_namespace_variable(*variable);
    }
    return Base::TraverseDecl(decl);
  }

  bool VisitFunctionDecl(clang::FunctionDecl* function) {
    if (!function->hasAttrs()) return true;
    for (const auto* annotation : function->specific_attrs<clang::AnnotateAttr>()) {
      llvm::StringRef text = annotation->getAnnotation();
      if (!text.consume_front(kMutationPrefix)) continue;
      std::vector<std::string>& categories = facts_.categories[ast_.id_of(function)];
      if (std::find(categories.begin(), categories.end(), text) == categories.end()) {
        categories.emplace_back(text);
      }
    }
    return true;
  }

  bool VisitCXXMethodDecl(clang::CXXMethodDecl* method) {
    if (method->size_overridden_methods() == 0) return true;
    const std::string& id = ast_.id_of(method);
    if (facts_.overrides.count(id) != 0) return true;
    std::vector<std::string>& overridden = facts_.overrides[id];
    for (const clang::CXXMethodDecl* base : method->overridden_methods()) {
      overridden.push_back(ast_.id_of(base));
      // Only the library calls it: treat it as callable from anywhere.
      if (ast_.in_system_header(base)) address_taken_.insert(id);
    }
    return true;
  }

  bool VisitCallExpr(clang::CallExpr* call) {
    // The callee's name is a call, not an address taken, wherever the call stands.
    if (const auto* reference =
            llvm::dyn_cast<clang::DeclRefExpr>(call->getCallee()->IgnoreParenImpCasts())) {
      callee_references_.insert(reference);
    }
    bypass_.on_call(*call);
    Context* context = current();
    if (context == nullptr || call->isTypeDependent()) return true;
    const clang::FunctionDecl* callee = call->getDirectCallee();
    if (callee == nullptr) {
      if (!llvm::isa<clang::CXXPseudoDestructorExpr>(call->getCallee()->IgnoreParens())) {
        mark_indirect(*context, call->getBeginLoc());
      }
      return true;
    }

    llvm::SmallVector<const clang::Expr*, 8> arguments(call->arguments());
    if (llvm::isa<clang::CXXOperatorCallExpr>(call) && llvm::isa<clang::CXXMethodDecl>(callee) &&
        !arguments.empty()) {
      arguments.erase(arguments.begin());  // the object
    }
    if (auto sink = sinks_.match_call(*callee, arguments, call->getExprLoc(), ast_)) {
      context->function->sinks.push_back(std::move(*sink));
    }
    sql_.on_call(*callee, arguments, call->getExprLoc(), context->function->id);

    const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(callee);
    if (method != nullptr && llvm::isa<clang::CXXConversionDecl>(method) &&
        method->getParent()->isLambda()) {
      address_taken_.insert(ast_.lambda_id(method->getParent()));  // lambda to function pointer
    }
    const auto* member = llvm::dyn_cast<clang::MemberExpr>(call->getCallee()->IgnoreParens());
    const bool virtual_call =
        method != nullptr && method->isVirtual() && (member == nullptr || !member->hasQualifier());
    const bool library = ast_.in_system_header(callee);
    if (virtual_call) {
      add_call(*context, *callee, CallKind::Virtual, call->getExprLoc());
    } else if (!library) {
      add_call(*context, *callee, CallKind::Direct, call->getExprLoc());
    }
    if (library) {
      if (calls_what_it_holds(*callee)) mark_indirect(*context, call->getExprLoc());
      add_callbacks(*context, arguments);
    }
    if (context->variable != nullptr) {
      context->variable->callees.push_back(
          {ast_.id_of(callee), AstSupport::qualified_name(callee), library});
    }
    return true;
  }

  bool VisitCXXConstructExpr(clang::CXXConstructExpr* construct) {
    Context* context = current();
    if (context == nullptr || construct->isTypeDependent()) return true;
    const clang::CXXConstructorDecl* constructor = construct->getConstructor();
    if (constructor == nullptr) return true;
    llvm::SmallVector<const clang::Expr*, 8> arguments(construct->arguments());
    if (auto sink = sinks_.match_call(*constructor, arguments, construct->getExprLoc(), ast_)) {
      context->function->sinks.push_back(std::move(*sink));
    }
    const bool library = ast_.in_system_header(constructor);
    if (!library && !constructor->isTrivial()) {
      add_call(*context, *constructor, CallKind::Construct, construct->getExprLoc());
    }
    add_destructor(*context, construct->getType(), construct->getExprLoc());
    if (library) add_callbacks(*context, arguments);
    if (context->variable != nullptr && !constructor->isTrivial()) {
      context->variable->callees.push_back(
          {ast_.id_of(constructor), AstSupport::qualified_name(constructor), library});
    }
    return true;
  }

  bool VisitCXXDeleteExpr(clang::CXXDeleteExpr* deletion) {
    Context* context = current();
    if (context == nullptr || deletion->isTypeDependent()) return true;
    const clang::CXXDestructorDecl* destructor = destructor_of(deletion->getDestroyedType());
    if (destructor == nullptr) return true;
    if (destructor->isVirtual()) {
      add_call(*context, *destructor, CallKind::Virtual, deletion->getBeginLoc());
    } else if (!ast_.in_system_header(destructor)) {
      add_call(*context, *destructor, CallKind::Construct, deletion->getBeginLoc());
    }
    return true;
  }

  bool VisitCXXBindTemporaryExpr(clang::CXXBindTemporaryExpr* temporary) {
    Context* context = current();
    if (context == nullptr) return true;
    add_destructor(*context, temporary->getType(), temporary->getBeginLoc());
    return true;
  }

  bool VisitVarDecl(clang::VarDecl* variable) {
    Context* context = current();
    if (context == nullptr || variable->getType()->isDependentType() ||
        variable->getType()->isReferenceType()) {
      return true;
    }
    add_destructor(*context, variable->getType(), variable->getLocation());
    return true;
  }

  bool VisitDeclRefExpr(clang::DeclRefExpr* reference) {
    if (Context* context = current()) sql_.on_reference(*reference, context->function->id);
    const auto* function = llvm::dyn_cast<clang::FunctionDecl>(reference->getDecl());
    if (function == nullptr) return true;
    if (callee_references_.erase(reference) != 0) return true;  // the callee of a call
    if (in_pattern()) return true;  // a template's pattern: its instantiations say what runs
    if (Context* context = current()) {
      if (auto sink = sinks_.match_reference(*function, reference->getLocation(), ast_)) {
        context->function->sinks.push_back(std::move(*sink));
      }
    }
    if (!ast_.in_system_header(function)) address_taken_.insert(ast_.id_of(function));
    return true;
  }

  // Bypass facts: names, option literals and writes through environ (see bypass_facts.hpp).
  bool VisitNamedDecl(clang::NamedDecl* decl) {
    bypass_.on_declaration(*decl);
    return true;
  }
  bool VisitStringLiteral(clang::StringLiteral* literal) {
    bypass_.on_string_literal(*literal);
    if (Context* context = current()) sql_.on_string_literal(*literal, context->function->id);
    return true;
  }
  bool VisitBinaryOperator(clang::BinaryOperator* assignment) {
    bypass_.on_assignment(*assignment);
    return true;
  }

  bool VisitLambdaExpr(clang::LambdaExpr* lambda) {
    Context* context = current();
    if (context == nullptr) return true;
    const std::string id = ast_.lambda_id(lambda->getLambdaClass());
    add_call(*context, id, lambda_name(*lambda->getLambdaClass()), CallKind::Lambda,
             lambda->getBeginLoc());
    // A lambda stored at namespace scope can be called from anywhere that can see it.
    if (context->function->id == init_id_) address_taken_.insert(id);
    return true;
  }

  UnitFacts take() {
    for (FunctionFact& function : functions_) facts_.functions.push_back(std::move(function));
    facts_.address_taken.assign(address_taken_.begin(), address_taken_.end());
    for (DynamicInitFact& variable : variables_) {
      if (!variable.callees.empty()) facts_.dynamic_inits.push_back(std::move(variable));
    }
    bypass_.take(facts_);
    sql_.take(facts_);
    return std::move(facts_);
  }

 private:
  struct Context {
    FunctionFact* function = nullptr;  // null inside a template pattern: not code that runs
    DynamicInitFact* variable = nullptr;
  };

  bool in_pattern() const { return !contexts_.empty() && contexts_.back().function == nullptr; }

  Context* current() {
    if (contexts_.empty() || contexts_.back().function == nullptr) return nullptr;
    return &contexts_.back();
  }

  bool traverse_function(clang::FunctionDecl& function) {
    if (function.isDependentContext()) {
      contexts_.push_back({});
      const bool result = Base::TraverseDecl(&function);
      contexts_.pop_back();
      return result;
    }
    FunctionFact& fact = function_fact(function);
    contexts_.push_back({&fact, nullptr});
    if (const auto* destructor = llvm::dyn_cast<clang::CXXDestructorDecl>(&function)) {
      add_member_destructors(*destructor);
    }
    if (function.isMain()) {
      MainFact main = describe_main(function, ast_, regions_);
      main.unit_init = init_id_;
      facts_.mains.push_back(std::move(main));
    }
    const bool result = Base::TraverseDecl(&function);
    contexts_.pop_back();
    return result;
  }

  bool traverse_namespace_variable(clang::VarDecl& variable) {
    DynamicInitFact* tracked = nullptr;
    if (ast_.in_main_file(variable.getLocation()) && !constant_initialised(variable)) {
      variables_.push_back({variable.getQualifiedNameAsString(),
                            ast_.location(variable.getLocation()),
                            {}});
      tracked = &variables_.back();
    }
    contexts_.push_back({&init_fact(), tracked});
    const bool result = Base::TraverseDecl(&variable);
    contexts_.pop_back();
    return result;
  }

  bool constant_initialised(const clang::VarDecl& variable) const {
    if (variable.isConstexpr()) return true;
    const clang::Expr* init = variable.getInit();
    return init != nullptr && !init->isValueDependent() &&
           init->isConstantInitializer(ast_.context(), variable.getType()->isReferenceType());
  }

  FunctionFact& function_fact(const clang::FunctionDecl& function) {
    const std::string& id = ast_.id_of(&function);
    auto [entry, inserted] = function_index_.try_emplace(id, functions_.size());
    if (!inserted) return functions_[entry->second];
    FunctionFact& fact = functions_.emplace_back();
    fact.id = id;
    const clang::FunctionDecl* pattern = function.getTemplateInstantiationPattern();
    const clang::FunctionDecl& shown = pattern != nullptr ? *pattern : function;
    fact.where = ast_.location(shown.getLocation());
    const auto* method = llvm::dyn_cast<clang::CXXMethodDecl>(&shown);
    fact.name = method != nullptr && method->getParent()->isLambda()
                    ? lambda_name(*method->getParent())
                    : AstSupport::qualified_name(&shown);
    return fact;
  }

  std::string lambda_name(const clang::CXXRecordDecl& lambda_class) {
    return "lambda at line " + std::to_string(ast_.location(lambda_class.getLocation()).line);
  }

  FunctionFact& init_fact() {
    auto [entry, inserted] = function_index_.try_emplace(init_id_, functions_.size());
    if (!inserted) return functions_[entry->second];
    FunctionFact& fact = functions_.emplace_back();
    fact.id = init_id_;
    fact.name = "namespace-scope initialisers";
    fact.where = {facts_.source, 1, 1};
    return fact;
  }

  void add_call(Context& context, const clang::FunctionDecl& callee, CallKind kind,
                clang::SourceLocation where) {
    add_call(context, ast_.id_of(&callee), AstSupport::qualified_name(&callee), kind, where);
  }

  void add_call(Context& context, const std::string& id, const std::string& name, CallKind kind,
                clang::SourceLocation where) {
    std::string key = std::to_string(static_cast<int>(kind)) + id;
    if (!seen_calls_[context.function].insert(std::move(key)).second) return;
    context.function->calls.push_back({id, name, kind, ast_.location(where)});
  }

  void add_destructor(Context& context, clang::QualType type, clang::SourceLocation where) {
    const clang::CXXDestructorDecl* destructor = destructor_of(type);
    if (destructor != nullptr && !ast_.in_system_header(destructor)) {
      add_call(context, *destructor, CallKind::Construct, where);
    }
  }

  // A destructor's body does not show the destruction of bases and members: add them.
  void add_member_destructors(const clang::CXXDestructorDecl& destructor) {
    Context& context = contexts_.back();
    const clang::CXXRecordDecl* record = destructor.getParent();
    for (const clang::CXXBaseSpecifier& base : record->bases()) {
      add_destructor(context, base.getType(), destructor.getLocation());
    }
    for (const clang::FieldDecl* field : record->fields()) {
      add_destructor(context, field->getType(), destructor.getLocation());
    }
  }

  // Functions handed to a library function may be called by it.
  void add_callbacks(Context& context, llvm::ArrayRef<const clang::Expr*> arguments) {
    for (const clang::Expr* argument : arguments) {
      const clang::Expr* value = argument->IgnoreParenImpCasts();
      if (const auto* address = llvm::dyn_cast<clang::UnaryOperator>(value);
          address != nullptr && address->getOpcode() == clang::UO_AddrOf) {
        value = address->getSubExpr()->IgnoreParenImpCasts();
      }
      const auto* reference = llvm::dyn_cast<clang::DeclRefExpr>(value);
      if (reference == nullptr) continue;
      const auto* function = llvm::dyn_cast<clang::FunctionDecl>(reference->getDecl());
      if (function != nullptr && !ast_.in_system_header(function)) {
        add_call(context, *function, CallKind::Callback, reference->getLocation());
      }
    }
  }

  void mark_indirect(Context& context, clang::SourceLocation where) {
    if (context.function->indirect_calls) return;
    context.function->indirect_calls = true;
    context.function->first_indirect_call = ast_.location(where);
  }

  AstSupport ast_;
  SinkMatcher sinks_;
  BypassCollector bypass_;
  SqlLiteralCollector sql_;
  const ConditionalRegions& regions_;
  UnitFacts facts_;
  std::string init_id_;
  std::deque<FunctionFact> functions_;  // deque: contexts keep pointers into it
  std::unordered_map<std::string, std::size_t> function_index_;
  std::unordered_map<const FunctionFact*, std::unordered_set<std::string>> seen_calls_;
  std::deque<DynamicInitFact> variables_;
  std::set<std::string> address_taken_;
  std::unordered_set<const clang::DeclRefExpr*> callee_references_;
  std::vector<Context> contexts_;
};

}  // namespace

UnitFacts collect_facts(clang::ASTContext& context, const CollectOptions& options,
                        const ConditionalRegions& regions) {
  FactVisitor visitor(context, options, regions);
  visitor.TraverseDecl(context.getTranslationUnitDecl());
  return visitor.take();
}

}  // namespace pmc::audit
