// bypass-ci-check: only the contract's guard reads the CI variable; a home-made CI check elsewhere
// is a second, weaker gate that can drift from the guard.
#include <memory>
#include <set>

#include "rules/contract_code.hpp"
#include "rules/rule.hpp"

namespace pmc::audit {
namespace {

class BypassCiCheckRule : public Rule {
 public:
  std::string_view id() const override { return "bypass-ci-check"; }
  std::string_view summary() const override {
    return "the CI variable is read only by the contract's guard";
  }
  std::string_view explanation() const override {
    return "Deciding whether a program runs in CI is the guard's job (the contract's guards and "
           "the file that defines them). Any other read of the CI variable (getenv, "
           "secure_getenv, CLI11's envname) in the audited code is a home-made CI check: it may "
           "accept what the guard refuses (CI=1, any value) or be the switch a bypass hangs on. "
           "In contract code (entry points and helpers, what they reach, the runtime folder), an "
           "environment read whose name is not a string literal is a finding too: it may read "
           "CI. Reported at the variable's name, or at the call.";
  }

  void check(const AuditContext& context, Findings& findings) const override {
    std::set<std::string> guard_files;
    for (const contract::Guard& guard : context.contract.guards) {
      guard_files.insert(context.repository.absolute(guard.definition));
    }
    const std::string& ci = context.contract.environment.ci_variable;
    const ContractCode contract_code(context);
    for (const UnitFacts& unit : context.units) {
      for (const EnvironmentFact& access : unit.environment) {
        if (access.access != EnvironmentAccess::Read || guard_files.count(access.where.file) != 0 ||
            !reportable(context, access.where)) {
          continue;
        }
        std::string message;
        if (access.literal && access.name == ci) {
          message = "'" + access.function + "' reads '" + ci + "' outside the guard: a home-made CI check";
        } else if (!access.literal && contract_code.contains(access.where)) {
          message = "'" + access.function + "' reads an environment variable whose name is not a "
                    "string literal, in contract code: it may read '" + ci + "'";
        } else {
          continue;
        }
        findings.add({std::string(id()), severity(), access.where,
                      message + "; only the contract's guard decides whether this is CI", {}});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_bypass_ci_check_rule() { return std::make_unique<BypassCiCheckRule>(); }

}  // namespace pmc::audit
