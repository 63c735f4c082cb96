// The decisions of pmc-init-fingerprint: first write, nothing to do, re-bind, or refusal.
#include "pmc/fingerprint/init_rules.hpp"

#include <string>

namespace pmc::fingerprint {
namespace {

// Both decisions describe a run in CI (writing is CI-only), so `prod` is judged as CI judges it.
constexpr bool kJudgedAsInCi = true;

InitDecision refusal(Failure failure, std::optional<Fingerprint> stored = std::nullopt) {
  InitDecision decision;
  decision.step = InitStep::Refuse;
  decision.stored = std::move(stored);
  decision.refusal = std::move(failure);
  return decision;
}

// One line on what the stored row says and when it was written, for refusals.
std::string stored_row_facts(const Observation& observation) {
  const StoredRow& row = observation.rows.front();
  std::string facts =
      "environment \"" + row.environment + "\" written " + row.written_at + " by " + row.written_by;
  if (observation.rows.size() > 1)
    facts += " (and " + std::to_string(observation.rows.size() - 1) + " more rows)";
  return facts;
}

}  // namespace

InitDecision decide_first_write(const Observation& observation, std::string_view environment) {
  if (!is_valid_environment_name(environment)) {
    return refusal(Failure(kInvalidEnvironmentCode,
                           "invalid environment \"" + std::string(environment) +
                               "\": use lower-case letters, digits, '-' and '_', starting with a "
                               "letter (at most 63)",
                           {}, {}, ExitCode::UsageOrInput));
  }
  const Fingerprint wanted{kFormatVersion, std::string(environment), observation.current};
  if (!observation.table_exists || observation.rows.empty()) {
    InitDecision decision;
    decision.step = InitStep::Write;
    decision.result = wanted;
    return decision;
  }
  const Verdict verdict = evaluate(observation, environment, kJudgedAsInCi);
  if (verdict.healthy()) {
    InitDecision decision;
    decision.step = InitStep::NothingToDo;
    decision.stored = verdict.fingerprint;
    decision.result = *verdict.fingerprint;
    return decision;
  }
  return refusal(
      Failure(kAlreadyPresentCode,
              "database already has a fingerprint; pmc-init-fingerprint never changes one",
              "Found at " + observation.where + ": " + stored_row_facts(observation) + ", " +
                  std::string(state_name(verdict.state)) + " when \"" + std::string(environment) +
                  "\" is asked for (" + verdict.failure->message() + ").",
              verdict.state == State::BoundElsewhere
                  ? "If this database has really replaced the one the fingerprint names, re-bind "
                    "it in CI: pmc-init-fingerprint --rebind --expect-env " +
                        verdict.fingerprint->environment + " --apply (it asks for YES)."
                  : "Find out why this database carries that fingerprint before using it; a "
                    "fingerprint is written once and never changed by pmc."),
      verdict.fingerprint);
}

InitDecision decide_rebind(const Observation& observation, std::string_view expected_environment) {
  if (!is_valid_environment_name(expected_environment)) {
    return refusal(Failure(kInvalidEnvironmentCode,
                           "invalid expected environment \"" + std::string(expected_environment) +
                               "\": use lower-case letters, digits, '-' and '_', starting with a "
                               "letter (at most 63)",
                           {}, {}, ExitCode::UsageOrInput));
  }
  const Verdict verdict = evaluate(observation, expected_environment, kJudgedAsInCi);
  if (verdict.healthy()) {
    InitDecision decision;
    decision.step = InitStep::NothingToDo;
    decision.stored = verdict.fingerprint;
    decision.result = *verdict.fingerprint;
    return decision;
  }
  const std::string refused =
      "refusing to re-bind: only an intact fingerprint of the expected "
      "environment that names another database can be re-bound";
  if (verdict.fingerprint && verdict.fingerprint->environment != expected_environment) {
    return refusal(Failure(kRebindRefusedCode, refused,
                           "The fingerprint at " + observation.where + " states \"" +
                               verdict.fingerprint->environment + "\", not \"" +
                               std::string(expected_environment) + "\".",
                           "Re-binding keeps the environment it finds; check --database-url and "
                           "--expect-env."),
                   verdict.fingerprint);
  }
  if (verdict.state != State::BoundElsewhere) {
    return refusal(Failure(kRebindRefusedCode, refused,
                           "The fingerprint at " + observation.where + " is " +
                               std::string(state_name(verdict.state)) + ": " +
                               verdict.failure->message() + ". " + verdict.failure->detail(),
                           verdict.failure->hint()),
                   verdict.fingerprint);
  }
  InitDecision decision;
  decision.step = InitStep::Write;
  decision.stored = verdict.fingerprint;
  decision.result = {kFormatVersion, verdict.fingerprint->environment, observation.current};
  return decision;
}

}  // namespace pmc::fingerprint
