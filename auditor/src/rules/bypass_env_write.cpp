// bypass-env-write: nothing in the audited code writes the CI variable or the expected-environment
// variable, nor writes a variable whose name it does not state.
#include <memory>

#include "rules/contract_code.hpp"
#include "rules/rule.hpp"

namespace pmc::audit {
namespace {

class BypassEnvWriteRule : public Rule {
 public:
  std::string_view id() const override { return "bypass-env-write"; }
  std::string_view summary() const override {
    return "no code sets, changes or removes CI or the expected-environment variable";
  }
  std::string_view explanation() const override {
    return "The guard trusts the CI variable and the runtime the expected-environment variable "
           "(the contract's environment section: CI, PMC_EXPECTED_ENV). A program that writes "
           "either (setenv, putenv, unsetenv, an assignment through environ) can talk the guard "
           "or a later program into running outside CI or against another environment. Any "
           "such write in the audited code is a finding, and so is a write whose variable cannot "
           "be read off the code (a name that is not a string literal, clearenv, environ "
           "assigned from a built string): it may be either. The tests and benches, which start "
           "their own throwaway servers, are excluded paths of the contract. Reported at the "
           "variable's name, or at the call.";
  }

  void check(const AuditContext& context, Findings& findings) const override {
    const contract::Environment& environment = context.contract.environment;
    for (const UnitFacts& unit : context.units) {
      for (const EnvironmentFact& access : unit.environment) {
        if (access.access != EnvironmentAccess::Write || !reportable(context, access.where)) continue;
        std::string message;
        if (access.function == "clearenv") {
          message = "'clearenv' removes every environment variable, " + environment.ci_variable +
                    " and " + environment.expected_env_variable + " among them";
        } else if (!access.literal) {
          const std::string writer = access.function == "environ" ? "an assignment through 'environ'"
                                                                  : "'" + access.function + "'";
          message = writer + " writes an environment variable whose name is not a string literal: it "
                    "may be " + environment.ci_variable + " or " + environment.expected_env_variable;
        } else if (access.name == environment.ci_variable || access.name == environment.expected_env_variable) {
          message = "'" + access.function + "' writes '" + access.name + "', which " +
                    (access.name == environment.ci_variable ? "the CI guard trusts"
                                                            : "states the environment a database must be");
        } else {
          continue;
        }
        findings.add({std::string(id()), severity(), access.where,
                      message + "; only the environment a program is started in may say these", {}});
      }
    }
  }
};

}  // namespace

std::unique_ptr<Rule> make_bypass_env_write_rule() { return std::make_unique<BypassEnvWriteRule>(); }

}  // namespace pmc::audit
