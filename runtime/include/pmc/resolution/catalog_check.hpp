// The catalog check: whether each effect of a migration shows in the database, for any number of
// migrations in one query (parameters only, reads only).
#pragma once

#include <string>
#include <vector>

#include "pmc/db.hpp"
#include "pmc/resolution/effects.hpp"

namespace pmc::resolution {

enum class EffectState {
  Done,     // the catalog shows the effect (an idempotent creation: the object exists)
  NotDone,  // the catalog shows the state before it
  Unclear,  // neither: exists but differs, both or neither name of a rename, a missing column
};
std::string state_name(EffectState state);  // "done", "not done", "unclear"

struct EffectCheck {
  Effect effect;
  EffectState state = EffectState::NotDone;
  std::string observed;  // what the catalog shows, for the person who reads the report
};

// One list of checks per migration, in the order given; all objects in one round trip.
std::vector<std::vector<EffectCheck>> check_effects(
    db::ReadOnlyConnection& connection, const std::vector<MigrationEffects>& migrations);
std::vector<std::vector<EffectCheck>> check_effects(
    db::WritableConnection& connection, const std::vector<MigrationEffects>& migrations);

}  // namespace pmc::resolution
