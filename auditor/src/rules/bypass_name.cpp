// bypass-name: no escape hatch by name in C/C++: environment variables and command-line options
// anywhere, macros and identifiers in contract code, that match the contract's bypass patterns.
#include <memory>

#include "classify/bypass_patterns.hpp"
#include "rules/contract_code.hpp"
#include "rules/rule.hpp"

namespace pmc::audit {
namespace {

constexpr char kRemedy[] =
    "; an escape hatch has no place here (an exception is a change of the contract, not a switch)";

class BypassNameRule : public Rule {
 public:
  std::string_view id() const override { return "bypass-name"; }
  std::string_view summary() const override {
    return "no environment variable, option, macro or identifier shaped like an escape hatch";
  }
  std::string_view explanation() const override {
    return "The contract's bypass patterns (bypass.name_patterns: SKIP_, BYPASS_, ALLOW_, FORCE_, "
           "UNSAFE_, DISABLE_, OVERRIDE_, NO_VERIFY, *_CONSENT_* …, matched case-sensitively "
           "against '_'-separated segments, so ALLOWED_COLUMNS and kAllowedTables do not match; "
           "bypass.flag_patterns: --skip-*, --force …) are findings where they can switch "
           "something: an environment variable read or written (getenv, secure_getenv, CLI11's "
           "envname, setenv …) and a string literal that is exactly a command-line option "
           "(\"--force\", \"-f,--force\"; help text and comments do not count), anywhere in the "
           "audited code; and in contract code (entry points and helpers, every file defining a "
           "function they can reach, the runtime folder) a macro tested by #if/#ifdef/#ifndef, an "
           "object-like macro defined or used, and a variable, member, function or enumerator "
           "declared with such a name. Function-like macros that are only defined and expanded "
           "(DISABLE_COPY(T)) generate code and switch nothing: not findings. Reported at the "
           "name.";
  }

  void check(const AuditContext& context, Findings& findings) const override {
    const BypassPatterns patterns(context.contract.bypass.name_patterns,
                                  context.contract.bypass.flag_patterns);
    const ContractCode contract_code(context);
    for (const UnitFacts& unit : context.units) {
      for (const EnvironmentFact& access : unit.environment) {
        if (!access.literal || !reportable(context, access.where)) continue;
        const std::string* pattern = patterns.match_name(access.name);
        if (pattern == nullptr) continue;
        const char* verb = access.access == EnvironmentAccess::Read ? "reads" : "writes";
        add(findings, access.where,
            "'" + access.function + "' " + verb + " the environment variable '" + access.name +
                "', which matches the bypass pattern '" + *pattern + "'");
      }
      for (const OptionFact& option : unit.options) {
        if (!reportable(context, option.where)) continue;
        const std::string* pattern = patterns.match_flag(option.option);
        if (pattern == nullptr) continue;
        add(findings, option.where,
            "the command-line option '" + option.option + "' matches the bypass flag pattern '" +
                *pattern + "'");
      }
      for (const NameFact& name : unit.bypass_names) {
        if (!reportable(context, name.where) || !contract_code.contains(name.where)) continue;
        if (name.function_like && name.kind != NameKind::MacroTested) continue;
        const std::string* pattern = patterns.match_name(name.name);
        if (pattern == nullptr) continue;
        add(findings, name.where,
            describe(name) + " in contract code matches the bypass pattern '" + *pattern + "'");
      }
    }
  }

 private:
  static std::string describe(const NameFact& name) {
    switch (name.kind) {
      case NameKind::MacroDefined: return "the macro '" + name.name + "' defined here";
      case NameKind::MacroTested: return "the macro '" + name.name + "' tested here";
      case NameKind::MacroExpanded: return "the macro '" + name.name + "' used here";
      default: return std::string("the ") + to_string(name.kind) + " '" + name.name + "' declared here";
    }
  }

  void add(Findings& findings, const SourceLocation& where, std::string message) const {
    findings.add({std::string(id()), severity(), where, std::move(message) + kRemedy, {}});
  }
};

}  // namespace

std::unique_ptr<Rule> make_bypass_name_rule() { return std::make_unique<BypassNameRule>(); }

}  // namespace pmc::audit
