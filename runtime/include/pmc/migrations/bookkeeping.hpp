// Writes to `_prisma_migrations`, each exactly as Prisma writes it (same statements, same values:
// random lowercase UUID v4 ids, client-clock UTC timestamps), on the table the caller located
// under the lock (history.hpp), named qualified. Deploy's writes are category `migrate-deploy`;
// resolve's are `migrate-resolve`. Callers hold the advisory lock (lock.hpp).
#pragma once

#include <string>

#include "pmc/db.hpp"
#include "pmc/migrations/history.hpp"
#include "pmc/migrations/store.hpp"
#include "pmc/mutation.hpp"

namespace pmc::migrations {

// ---- deploy (migrate deploy) ----

// Creates the table with Prisma's DDL (history.hpp). The caller checked that it is missing.
PMC_MUTATION("migrate-deploy")
void create_migrations_table_for_deploy(db::WritableConnection& connection,
                                        const MigrationsTable& table);

// Prisma's first write before running a script: (id, checksum, started_at, migration_name).
// Returns the new row's id.
PMC_MUTATION("migrate-deploy")
std::string record_migration_started(db::WritableConnection& connection,
                                     const MigrationsTable& table, const LocalMigration& migration);

// After the script succeeded: applied_steps_count + 1 and finished_at = now. Prisma writes the
// two in two statements; one statement leaves the same row with one commit fewer.
PMC_MUTATION("migrate-deploy")
void record_migration_finished(db::WritableConnection& connection, const MigrationsTable& table,
                               const std::string& id);

// Between two migrations of one deploy: `finished_id` finished (as record_migration_finished) and
// `next` started (as record_migration_started), in one transaction. The rows are Prisma's; a
// crash before the commit leaves `finished_id` failed, as a crash after Prisma's script and
// before its bookkeeping does. One commit instead of two per migration is what keeps a deploy
// near the cost of the scripts alone when commits are flushed to disk. Returns `next`'s row id.
PMC_MUTATION("migrate-deploy")
std::string record_migration_finished_and_next_started(db::WritableConnection& connection,
                                                       const MigrationsTable& table,
                                                       const std::string& finished_id,
                                                       const LocalMigration& next);

// After the script failed: logs = the error text; the row stays failed.
PMC_MUTATION("migrate-deploy")
void record_migration_failed(db::WritableConnection& connection, const MigrationsTable& table,
                             const std::string& id, const std::string& logs);

// ---- resolve (migrate resolve) ----

// `prisma migrate resolve --applied` creates the table when it is missing; so does pmc.
PMC_MUTATION("migrate-resolve")
void create_migrations_table_for_resolve(db::WritableConnection& connection,
                                         const MigrationsTable& table);

// rolled_back_at = now on every row of `migration_name` that is neither finished nor rolled back.
// Returns how many rows changed.
PMC_MUTATION("migrate-resolve")
long mark_rolled_back(db::WritableConnection& connection, const MigrationsTable& table,
                      const std::string& migration_name);

// Prisma's `resolve --applied` row: a new id, the file's current checksum, logs = '',
// started_at = finished_at = now, applied_steps_count = 0.
PMC_MUTATION("migrate-resolve")
void insert_applied_row(db::WritableConnection& connection, const MigrationsTable& table,
                        const LocalMigration& migration);

}  // namespace pmc::migrations
