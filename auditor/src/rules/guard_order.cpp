// guard-order: the first statement of every guarded entry point's main() is the runtime's own
// guard, unconditional, and nothing of the entry point's file runs before it.
#include <algorithm>
#include <memory>

#include "rules/rule.hpp"

namespace pmc::audit {
namespace {

// Calls that read the environment or a file: a namespace-scope initialiser making one runs
// before the guard could refuse.
bool reads_environment_or_file(const std::string& name) {
  static const char* const kReaders[] = {
      "getenv", "secure_getenv", "std::getenv", "fopen", "fopen64", "freopen", "open", "open64",
      "openat", "read", "pread", "std::basic_ifstream::basic_ifstream",
      "std::basic_fstream::basic_fstream", "std::basic_ifstream::open", "std::basic_fstream::open",
      "std::basic_filebuf::open"};
  if (name.rfind("std::filesystem::", 0) == 0) return true;
  return std::find(std::begin(kReaders), std::end(kReaders), name) != std::end(kReaders);
}

bool is_sink(const contract::Contract& contract, const std::string& name) {
  for (const auto* list : {&contract.sinks.sql_functions, &contract.sinks.connection_functions,
                           &contract.sinks.spawn_functions, &contract.sinks.dynamic_lookup_functions}) {
    if (std::find(list->begin(), list->end(), name) != list->end()) return true;
  }
  return false;
}

class GuardOrderRule : public Rule {
 public:
  std::string_view id() const override { return "guard-order"; }
  std::string_view summary() const override {
    return "the CI guard is the first statement of each entry point's main(), and nothing runs before it";
  }
  std::string_view explanation() const override {
    return "For every entry point of rules/contract.json with a guard, the first statement of "
           "main() (a declaration initialised by the call counts) must be the call of the guard "
           "the contract names: unconditional, written out rather than produced by a macro, not "
           "inside or after a preprocessor conditional in main(), not inside a try block whose "
           "handler carries on, and the runtime's own function: its definition must be the one "
           "in the contract's guard source, not a local function, declaration or macro of the "
           "same name. enforce_ci_only_when_applying must get main()'s own argc and argv. No "
           "namespace-scope variable of the entry point's file may be initialised by calling a "
           "function of the repository, a sink, or something that reads the environment or a "
           "file, since that runs before main(). Reported at the offending statement or variable.";
  }

  void check(const AuditContext& context, Findings& findings) const override {
    for (const MainFact& main : context.graph.mains()) {
      const contract::EntryPoint* entry = context.contract.find_entry_point_by_source(context.relative(main.where));
      if (entry == nullptr || entry->status == contract::EntryPointStatus::Removed) continue;
      const contract::Guard* guard = context.contract.find_guard(entry->guard);
      if (guard == nullptr) continue;
      check_first_statement(context, main, *entry, *guard, findings);
      check_initialisers(context, main, *entry, findings);
    }
  }

 private:
  void report(Findings& findings, const SourceLocation& where, std::string message,
              std::vector<Note> notes = {}) const {
    findings.add({std::string(id()), severity(), where, std::move(message), std::move(notes)});
  }

  void check_first_statement(const AuditContext& context, const MainFact& main,
                             const contract::EntryPoint& entry, const contract::Guard& guard,
                             Findings& findings) const {
    const std::string wanted = "'" + guard.function + "'";
    if (!main.has_statement) {
      report(findings, main.where, entry.binary + ": main() is empty; its first statement must call " + wanted);
      return;
    }
    if (main.conditional_before) {
      report(findings, main.statement,
             entry.binary + ": the guard must come first in main(), outside any preprocessor "
             "conditional; the conditional at line " + std::to_string(main.conditional.line) +
             " can change what runs first",
             {{main.conditional, "preprocessor conditional here"}});
      return;
    }
    if (main.statement_from_macro || (main.is_call && main.callee_name_from_macro)) {
      const std::string what = main.statement_from_macro ? "the first statement of main()"
                                                         : "the name of the function main() calls first";
      report(findings, main.statement,
             entry.binary + ": " + what + " comes from a macro; write the call of " + wanted + " out");
      return;
    }
    if (!main.is_call) {
      report(findings, main.statement,
             entry.binary + ": the first statement of main() must be the call of " + wanted +
                 ", found " + article(main.statement_kind));
      return;
    }
    if (main.callee_name != guard.function) {
      report(findings, main.statement,
             entry.binary + ": the first statement of main() calls '" + main.callee_name +
                 "', not the runtime's guard " + wanted);
      return;
    }
    if (check_definition(context, main, entry, guard, findings)) return;
    for (std::size_t i = 0; i < main.argument_parameters.size(); ++i) {
      if (main.argument_parameters[i] != static_cast<int>(i)) {
        report(findings, main.call,
               entry.binary + ": " + wanted + " must be given main()'s own argc and argv, unmodified");
        return;
      }
    }
    for (const TryFact& attempt : main.tries) {
      if (!attempt.handler_carries_on) continue;
      report(findings, main.statement,
             entry.binary + ": the guard is inside a try block whose handler carries on; main() "
             "could continue without the guard",
             {{attempt.handler, "this handler neither returns, throws nor exits"}});
      return;
    }
  }

  // The callee must be defined exactly where the contract says the guard is: a local definition
  // of the same name shares its USR, so only the place tells them apart.
  bool check_definition(const AuditContext& context, const MainFact& main,
                        const contract::EntryPoint& entry, const contract::Guard& guard,
                        Findings& findings) const {
    const std::string expected = context.repository.absolute(guard.definition);
    std::vector<SourceLocation> definitions;
    if (const std::optional<std::size_t> node = context.graph.find(main.callee)) {
      definitions = context.graph.node(*node).definitions;
    }
    for (const SourceLocation& definition : definitions) {
      if (definition.file == expected) continue;
      // A file with its own main() is another program's: it is never linked into this one.
      if (definition.file != main.where.file && holds_a_main(context, definition.file)) continue;
      const std::string shown = context.relative(definition).empty() ? definition.file : context.relative(definition);
      report(findings, main.call,
             entry.binary + ": the '" + guard.function + "' called here is defined in " + shown +
                 ", not only in the runtime's " + guard.definition,
             {{definition, "this definition shadows the runtime's guard"}});
      return true;
    }
    if (definitions.empty()) {
      report(findings, main.call,
             entry.binary + ": '" + guard.function + "' is not defined in any audited file; it "
             "must be the runtime's own definition in " + guard.definition);
      return true;
    }
    return false;
  }

  void check_initialisers(const AuditContext& context, const MainFact& main,
                          const contract::EntryPoint& entry, Findings& findings) const {
    for (const UnitInit& init : context.graph.dynamic_inits()) {
      if (init.unit != main.where.file) continue;
      for (const InitCallee& callee : init.variable.callees) {
        std::string why;
        if (is_sink(context.contract, callee.name)) {
          why = "the sink '" + callee.name + "'";
        } else if (reads_environment_or_file(callee.name)) {
          why = "'" + callee.name + "' (it reads the environment or a file)";
        } else if (!callee.in_system_header) {
          why = "'" + callee.name + "' (a function of this repository)";
        } else {
          continue;
        }
        report(findings, init.variable.where,
               entry.binary + ": the namespace-scope variable '" + init.variable.variable +
                   "' is initialised by calling " + why + " before main()'s guard runs");
        break;
      }
    }
  }

  static bool holds_a_main(const AuditContext& context, const std::string& file) {
    return std::any_of(context.graph.mains().begin(), context.graph.mains().end(),
                       [&](const MainFact& other) { return other.where.file == file; });
  }

  static std::string article(const std::string& kind) {
    const bool vowel = !kind.empty() && std::string_view("aeiou").find(kind.front()) != std::string_view::npos;
    return (vowel ? "an " : "a ") + kind;
  }
};

}  // namespace

std::unique_ptr<Rule> make_guard_order_rule() { return std::make_unique<GuardOrderRule>(); }

}  // namespace pmc::audit
