// The resolving step: lock, assess under the lock (so no deploy or resolve changes the rows in
// between), then Prisma's `resolve --applied` / `--rolled-back` bookkeeping for each settled one.
#include "pmc/resolution/resolve.hpp"

#include "pmc/migrations/lock.hpp"
#include "pmc/migrations/prisma_resolve.hpp"

namespace pmc::resolution {

Assessment resolve_failed_migrations(db::WritableConnection& connection,
                                     const migrations::MigrationStore& store,
                                     std::chrono::milliseconds lock_timeout) {
  const migrations::MigrationLock lock =
      migrations::acquire_migration_lock(connection, lock_timeout);
  // Located once, under the lock: the rows assessed are the rows marked.
  const migrations::MigrationsTable table = migrations::MigrationsTable::locate(connection);
  Assessment assessment = assess_failed_migrations(connection, table, store);
  for (FailedMigration& migration : assessment.migrations) {
    if (migration.decision.outcome == Outcome::Applied) {
      migrations::resolve_as_applied(connection, table, store, migration.name);
      migration.resolved = true;
    } else if (migration.decision.outcome == Outcome::RolledBack) {
      migrations::resolve_as_rolled_back(connection, table, migration.name);
      migration.resolved = true;
    }
  }
  return assessment;
}

}  // namespace pmc::resolution
