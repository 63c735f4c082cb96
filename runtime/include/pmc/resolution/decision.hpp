// The decision for one failed migration from its checked effects (design.md, "Resolution of
// failed migrations"): every effect done → applied; none done → rolled back; otherwise, or with
// anything the catalog cannot show, a person decides.
#pragma once

#include <string>
#include <vector>

#include "pmc/resolution/catalog_check.hpp"
#include "pmc/resolution/effects.hpp"

namespace pmc::resolution {

enum class Outcome { Applied, RolledBack, NeedsPerson };
std::string outcome_name(Outcome outcome);  // "applied", "rolled back", "needs a person"

struct Decision {
  Outcome outcome = Outcome::NeedsPerson;
  std::string reason;  // one sentence, for the report
};

// Idempotent effects (IF NOT EXISTS, DO … EXCEPTION, inside IF) that are done count for
// "applied" and do not stand against "rolled back": running them again changes nothing.
Decision decide(const std::vector<EffectCheck>& checks, const std::vector<Finding>& findings);

}  // namespace pmc::resolution
