// `prisma migrate resolve --applied | --rolled-back NAME` with Prisma's checks and error codes,
// and no look at the catalog: the deprecated path, and the marking step of pmc's own resolution.
#pragma once

#include <string>

#include "pmc/db.hpp"
#include "pmc/migrations/history.hpp"
#include "pmc/migrations/store.hpp"
#include "pmc/mutation.hpp"

namespace pmc::migrations {

// Marks NAME applied. Throws pmc::Failure PMC-3017 (no such folder, exit 2) or PMC-3008 (a row
// of NAME is already finished, even one rolled back by hand since, as Prisma 6.19 refuses it;
// exit 1). Creates the table when missing (PMC-3104 when `table` has no schema). Caller holds the
// lock and located `table` under it. Rolling back NAME's failed rows and inserting the applied
// row happen in one transaction of its own: call it outside one.
PMC_MUTATION("migrate-resolve")
void resolve_as_applied(db::WritableConnection& connection, const MigrationsTable& table,
                        const MigrationStore& store, const std::string& migration_name);

// Marks NAME's failed rows rolled back. Throws PMC-3011 (no row of NAME) or PMC-3012 (every row
// of NAME finished), exit 1. Caller holds the lock and located `table` under it.
PMC_MUTATION("migrate-resolve")
void resolve_as_rolled_back(db::WritableConnection& connection, const MigrationsTable& table,
                            const std::string& migration_name);

}  // namespace pmc::migrations
