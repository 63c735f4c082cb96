// `prisma migrate resolve`'s checks and writes (schema-engine mark_migration_applied and
// mark_migration_rolled_back), with pmc's error codes for Prisma's P3008, P3011, P3012, P3017.
#include "pmc/migrations/prisma_resolve.hpp"

#include "pmc/error.hpp"
#include "pmc/migrations/bookkeeping.hpp"
#include "pmc/migrations/history.hpp"

namespace pmc::migrations {
namespace {

std::vector<MigrationRow> rows_of(db::WritableConnection& connection, const MigrationsTable& table,
                                  const std::string& name) {
  std::vector<MigrationRow> rows;
  for (MigrationRow& row : read_migration_rows(connection, table)) {
    if (row.migration_name == name) rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

void resolve_as_applied(db::WritableConnection& connection, const MigrationsTable& table,
                        const MigrationStore& store, const std::string& migration_name) {
  const LocalMigration* migration = store.find(migration_name);
  if (migration == nullptr) {
    throw Failure("PMC-3017", "migration " + migration_name + " could not be found",
                  "There is no folder " + (store.dir() / migration_name).string() +
                      " with a migration.sql file.",
                  "Give the whole name of the migration's folder in " + store.dir().string() + ".",
                  ExitCode::UsageOrInput);
  }
  if (!migrations_table_exists(connection, table)) {
    create_migrations_table_for_resolve(connection, table);
  }
  const std::vector<MigrationRow> rows = rows_of(connection, table, migration_name);
  // Any finished row refuses, even one rolled back by hand since: Prisma 6.19 does the same.
  for (const MigrationRow& row : rows) {
    if (!row.finished_at) continue;
    throw Failure("PMC-3008",
                  "migration " + migration_name + " is already recorded as applied in the database",
                  "Its row " + row.id + " finished at " + row.finished_at.value_or("?") + ".",
                  "Nothing to resolve: deploy applies only what is not applied yet.");
  }
  // Both writes or neither: a failed row rolled back without its applied row would make the next
  // deploy run the script again.
  db::Transaction transaction = connection.begin();
  mark_rolled_back(connection, table, migration_name);
  insert_applied_row(connection, table, *migration);
  transaction.commit();
}

void resolve_as_rolled_back(db::WritableConnection& connection, const MigrationsTable& table,
                            const std::string& migration_name) {
  const std::vector<MigrationRow> rows = rows_of(connection, table, migration_name);
  if (rows.empty()) {
    throw Failure("PMC-3011",
                  "migration " + migration_name +
                      " cannot be rolled back because it was never applied to the database",
                  "_prisma_migrations has no row for it.",
                  "Check the name: only a migration that failed can be marked rolled back.");
  }
  bool any_unfinished = false;
  for (const MigrationRow& row : rows) any_unfinished = any_unfinished || !row.finished_at;
  if (!any_unfinished) {
    throw Failure("PMC-3012",
                  "migration " + migration_name +
                      " cannot be rolled back because it is not in a failed state",
                  "Every row of it (" + std::to_string(rows.size()) + ") finished successfully.",
                  "A migration that succeeded is undone by a new migration, not by resolve.");
  }
  mark_rolled_back(connection, table, migration_name);
}

}  // namespace pmc::migrations
