// The statements Prisma's migration persistence runs against `_prisma_migrations`
// (prisma-engines sql-schema-connector), with the same columns and values, on the table named
// qualified (MigrationsTable: a script's `SET search_path` cannot redirect them).
#include "pmc/migrations/bookkeeping.hpp"

#include "row_values.hpp"

namespace pmc::migrations {

void create_migrations_table_for_deploy(db::WritableConnection& connection,
                                        const MigrationsTable& table) {
  connection.execute(migrations_table_ddl(table));
}

std::string record_migration_started(db::WritableConnection& connection,
                                     const MigrationsTable& table,
                                     const LocalMigration& migration) {
  std::string id = new_row_id();
  connection.execute("INSERT INTO " + table.qualified_name() +
                         " (id, checksum, started_at, migration_name) VALUES ($1, $2, $3, $4)",
                     {id, migration.checksum, utc_now_timestamp(), migration.name});
  return id;
}

void record_migration_finished(db::WritableConnection& connection, const MigrationsTable& table,
                               const std::string& id) {
  connection.execute("UPDATE " + table.qualified_name() +
                         " SET applied_steps_count = applied_steps_count + 1, finished_at = $1"
                         " WHERE id = $2",
                     {utc_now_timestamp(), id});
}

std::string record_migration_finished_and_next_started(db::WritableConnection& connection,
                                                       const MigrationsTable& table,
                                                       const std::string& finished_id,
                                                       const LocalMigration& next) {
  db::Transaction transaction = connection.begin();
  record_migration_finished(connection, table, finished_id);
  std::string id = record_migration_started(connection, table, next);
  transaction.commit();
  return id;
}

void record_migration_failed(db::WritableConnection& connection, const MigrationsTable& table,
                             const std::string& id, const std::string& logs) {
  connection.execute("UPDATE " + table.qualified_name() + " SET logs = $1 WHERE id = $2",
                     {logs, id});
}

void create_migrations_table_for_resolve(db::WritableConnection& connection,
                                         const MigrationsTable& table) {
  connection.execute(migrations_table_ddl(table));
}

long mark_rolled_back(db::WritableConnection& connection, const MigrationsTable& table,
                      const std::string& migration_name) {
  return connection
      .execute("UPDATE " + table.qualified_name() +
                   " SET rolled_back_at = $1"
                   " WHERE migration_name = $2 AND finished_at IS NULL AND rolled_back_at IS NULL",
               {utc_now_timestamp(), migration_name})
      .affected_rows();
}

void insert_applied_row(db::WritableConnection& connection, const MigrationsTable& table,
                        const LocalMigration& migration) {
  const std::string now = utc_now_timestamp();
  connection.execute(
      "INSERT INTO " + table.qualified_name() +
          " (id, checksum, started_at, finished_at, migration_name, applied_steps_count, logs)"
          " VALUES ($1, $2, $3, $3, $4, 0, '')",
      {new_row_id(), migration.checksum, now, migration.name});
}

}  // namespace pmc::migrations
