// Applies the promotion plan to prod: recomputed inside the one applying transaction, under
// locks, written set-based (per table, the creates as one COPY and the updates as one UPDATE).
#pragma once

#include "pmc/contract.hpp"
#include "pmc/db.hpp"
#include "pmc/mutation.hpp"
#include "pmc/sync/plan.hpp"

namespace pmc::sync {

// Locks the reference tables against writes and the protecting tables against new references,
// reads prod again, plans against `dev`, writes, commits; returns the plan it applied. Any
// failure rolls the whole transaction back: prod is as before. Never deletes anything.
PMC_MUTATION("reference-sync")
Plan apply_reference_sync(db::WritableConnection& prod, const Snapshot& dev,
                          const contract::Contract& contract);

}  // namespace pmc::sync
