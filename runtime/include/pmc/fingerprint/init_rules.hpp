// What pmc-init-fingerprint may do to a database, decided only from what the database shows:
// write a first fingerprint, leave an identical one alone, re-bind a moved one, or refuse. The
// dry run shows this decision; the writing transaction takes it again under the table's lock.
#pragma once

#include <optional>
#include <string_view>

#include "pmc/error.hpp"
#include "pmc/fingerprint.hpp"

namespace pmc::fingerprint {

enum class InitStep { Write, NothingToDo, Refuse };

struct InitDecision {
  InitStep step = InitStep::Refuse;
  std::optional<Fingerprint> stored;  // the intact fingerprint found, if any
  Fingerprint result;                 // what the row states once the step is done
  std::optional<Failure> refusal;     // set exactly when step == Refuse
};

// The first fingerprint of `environment`: Write where there is no table or no row; NothingToDo
// where an intact row of that environment is bound to this very database; anything else refuses
// (PMC-F007: a fingerprint is never changed, PMC-F008: not a valid environment name).
InitDecision decide_first_write(const Observation& observation, std::string_view environment);

// Re-binding a moved database: Write (the new binding, same environment) where an intact row of
// `expected_environment` is bound to another database; NothingToDo where it is bound here already;
// anything else refuses (PMC-F009): a missing, corrupted or other-environment row is never
// re-bound.
InitDecision decide_rebind(const Observation& observation, std::string_view expected_environment);

}  // namespace pmc::fingerprint
