// The rule that turns checked effects into applied / rolled back / needs a person.
#include "pmc/resolution/decision.hpp"

namespace pmc::resolution {

std::string outcome_name(Outcome outcome) {
  switch (outcome) {
    case Outcome::Applied:
      return "applied";
    case Outcome::RolledBack:
      return "rolled back";
    case Outcome::NeedsPerson:
      return "needs a person";
  }
  return "unknown";
}

Decision decide(const std::vector<EffectCheck>& checks, const std::vector<Finding>& findings) {
  if (!findings.empty()) {
    return {Outcome::NeedsPerson,
            std::to_string(findings.size()) +
                (findings.size() == 1 ? " statement does" : " statements do") +
                " something the catalog cannot show"};
  }
  if (checks.empty()) {
    return {Outcome::RolledBack, "it changes no object pmc checks: running it again is safe"};
  }
  std::size_t done = 0, unclear = 0, done_required = 0;
  for (const EffectCheck& check : checks) {
    if (check.state == EffectState::Done) ++done;
    if (check.state == EffectState::Done && !check.effect.idempotent) ++done_required;
    if (check.state == EffectState::Unclear) ++unclear;
  }
  const std::string counts = std::to_string(done) + " of " + std::to_string(checks.size()) +
                             " effects are in the database";
  if (unclear > 0) {
    return {Outcome::NeedsPerson, counts + ", and " + std::to_string(unclear) +
                                      (unclear == 1 ? " is" : " are") +
                                      " neither as before nor as after the migration"};
  }
  if (done == checks.size()) return {Outcome::Applied, counts};
  if (done_required == 0) {
    return {Outcome::RolledBack,
            counts + (done == 0 ? "" : " (only ones that running it again leaves as they are)")};
  }
  return {Outcome::NeedsPerson, counts + ": it was partly applied"};
}

}  // namespace pmc::resolution
