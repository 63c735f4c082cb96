// pmc-resolve-applied-migrations' one job: under Prisma's advisory lock, mark each failed
// migration the catalog check settles as applied or rolled back, with Prisma's own resolve
// bookkeeping. Never runs migration SQL; leaves the ones that need a person untouched.
#pragma once

#include <chrono>

#include "pmc/db.hpp"
#include "pmc/migrations/store.hpp"
#include "pmc/mutation.hpp"
#include "pmc/resolution/assessment.hpp"

namespace pmc::resolution {

// Returns the assessment made under the lock, with `resolved` set on what was marked. Throws
// PMC-3102 when the lock is not free within `lock_timeout`.
PMC_MUTATION("migrate-resolve")
Assessment resolve_failed_migrations(db::WritableConnection& connection,
                                     const migrations::MigrationStore& store,
                                     std::chrono::milliseconds lock_timeout);

}  // namespace pmc::resolution
