// `migrate deploy` as Prisma runs it: lock, table, refusals, then each pending script as one
// simple-protocol query between Prisma's bookkeeping writes.
#include "pmc/migrations/deploy.hpp"

#include <map>
#include <set>

#include "pmc/error.hpp"
#include "pmc/migrations/bookkeeping.hpp"
#include "pmc/migrations/checksum.hpp"
#include "pmc/migrations/history.hpp"
#include "pmc/migrations/lock.hpp"
#include "session_settings.hpp"

namespace pmc::migrations {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::microseconds;

// Tables that do not make a schema "not empty": PostGIS's own (as Prisma excepts them) and pmc's
// environment fingerprint, which must exist before any pmc connection is allowed, so a new
// database always holds it when its first deploy runs.
constexpr std::string_view kOccupyingTablesSql =
    "SELECT c.relname::text FROM pg_catalog.pg_class c"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')"
    " AND c.relname NOT IN ('spatial_ref_sys', 'geometry_columns', 'geography_columns',"
    " 'raster_columns', 'raster_overviews')"
    " AND NOT (n.nspname = 'public' AND c.relname = 'database_metadata')"
    " ORDER BY c.relname";

constexpr int kTablesNamed = 5;

// The table's schema, under the lock. Prisma's engine creates the URL's `?schema=` when it does
// not exist yet, and so does deploy: a new environment's first deploy has nobody else to make it.
// Without `?schema=`, a search_path naming no existing schema is refused (PMC-3104).
MigrationsTable locate_migrations_table(db::WritableConnection& connection, DeployReport& report) {
  MigrationsTable table = MigrationsTable::locate(connection);
  if (!table.schema() && connection.url_schema()) {
    connection.execute("CREATE SCHEMA " + connection.quote_identifier(*connection.url_schema()));
    report.created_schema = connection.url_schema();
    table = MigrationsTable::locate(connection);
  }
  table.require_schema();
  return table;
}

void refuse_non_empty_schema(db::WritableConnection& connection, const MigrationsTable& table) {
  const db::Result tables = connection.query(kOccupyingTablesSql, {table.require_schema()});
  if (tables.rows() == 0) return;
  std::string names;
  for (int row = 0; row < tables.rows() && row < kTablesNamed; ++row) {
    names += (row > 0 ? ", " : "") + tables.text(row, 0);
  }
  if (tables.rows() > kTablesNamed) {
    names += " and " + std::to_string(tables.rows() - kTablesNamed) + " more";
  }
  throw Failure("PMC-3005", "the database schema is not empty and has no _prisma_migrations table",
                "Schema \"" + table.require_schema() + "\" already holds " +
                    std::to_string(tables.rows()) + " table(s): " + names +
                    ". Deploying would run the first migrations over objects they did not make.",
                "Baseline the database: record the migrations its schema already contains as "
                "applied (https://pris.ly/d/migrate-baseline), then deploy again.");
}

void refuse_failed_migrations(const std::vector<MigrationRow>& rows) {
  const std::vector<MigrationRow> failed = failed_rows(rows);
  if (failed.empty()) return;
  std::string detail;
  for (const MigrationRow& row : failed) {
    if (!detail.empty()) detail += " ";
    detail +=
        "The `" + row.migration_name + "` migration started at " + row.started_at + " failed.";
  }
  throw Failure("PMC-3009",
                "found " + std::to_string(failed.size()) +
                    " failed migration(s) in the target database; new migrations will not be "
                    "applied",
                detail,
                "Run the deploy pipeline (scripts/deploy-pipeline.sh): pmc-check-failed-migrations "
                "tells whether each can be resolved, pmc-resolve-applied-migrations resolves it.");
}

void refuse_edited_applied_migrations(const std::vector<MigrationRow>& rows,
                                      const MigrationStore& store) {
  std::set<std::string> edited;
  std::string detail;
  for (const MigrationRow& row : rows) {
    if (row.state() != RowState::Applied) continue;
    const LocalMigration* local = store.find(row.migration_name);
    if (local == nullptr || checksum_matches(local->script, row.checksum)) continue;
    if (!edited.insert(local->script_path.string()).second) continue;
    if (!detail.empty()) detail += " ";
    detail += local->script_path.string() + " has checksum " + local->checksum +
              ", but it was applied with checksum " + row.checksum + " (at " +
              row.finished_at.value_or("?") + ").";
  }
  if (edited.empty()) return;
  throw Failure("PMC-3101",
                std::to_string(edited.size()) +
                    " applied migration file(s) changed after they were applied: " +
                    *edited.begin() + (edited.size() > 1 ? " and others" : ""),
                detail,
                "Restore the applied file(s) to what was deployed (git history has them) and put "
                "the change in a new migration folder.");
}

std::string failure_logs(const std::string& name, const db::DatabaseError& error) {
  return "Migration name: " + name + "\n\nDatabase error code: " + error.sqlstate() +
         "\n\nDatabase error:\n" + error.server_message();
}

[[noreturn]] void fail_migration(db::WritableConnection& connection, const MigrationsTable& table,
                                 const std::string& row_id, const LocalMigration& migration,
                                 const db::DatabaseError& error) {
  std::string recorded = "The row of this migration is recorded as failed, with the error in logs.";
  try {
    // A script that committed part of itself may have kept a SET ROLE that cannot write the row.
    restore_session_settings(connection);
    record_migration_failed(connection, table, row_id, failure_logs(migration.name, error));
  } catch (const Failure& also) {
    // A lost connection (a server crash) leaves the row failed with logs NULL, as with Prisma.
    recorded = "The row of this migration stays failed; its logs could not be written (" +
               also.message() + ").";
  }
  std::string first_line = error.server_message();
  while (!first_line.empty() && first_line.back() == '\n') first_line.pop_back();
  if (const auto end = first_line.find('\n'); end != std::string::npos) first_line.resize(end);
  if (first_line.rfind("ERROR:  ", 0) == 0) first_line.erase(0, 8);  // libpq's severity prefix
  throw Failure("PMC-3018",
                "migration " + migration.name +
                    " failed to apply; new migrations cannot be applied before the error is "
                    "recovered from",
                "File " + migration.script_path.string() + ". Database error code: " +
                    error.sqlstate() + ". Database error: " + first_line +
                    ". The script ran as one transaction, so none of its statements remain "
                    "unless the script committed on its own. " +
                    recorded,
                "Fix the cause, then run the deploy pipeline (scripts/deploy-pipeline.sh): "
                "pmc-resolve-applied-migrations marks the migration rolled back (or applied) so "
                "that the next deploy can run.");
}

microseconds since(Clock::time_point start) {
  return std::chrono::duration_cast<microseconds>(Clock::now() - start);
}

}  // namespace

DeployReport deploy_migrations(db::WritableConnection& connection, const MigrationStore& store,
                               const DeployOptions& options,
                               const std::function<void(const AppliedMigration&)>& on_applied) {
  const Clock::time_point started = Clock::now();
  DeployReport report;
  report.migrations_found = store.migrations().size();

  const MigrationLock lock = acquire_migration_lock(connection, options.lock_timeout);
  const MigrationsTable table = locate_migrations_table(connection, report);
  if (!migrations_table_exists(connection, table)) {
    refuse_non_empty_schema(connection, table);
    create_migrations_table_for_deploy(connection, table);
    report.created_migrations_table = true;
  }

  const std::vector<MigrationRow> rows = read_migration_rows(connection, table);
  refuse_failed_migrations(rows);
  refuse_edited_applied_migrations(rows, store);

  std::set<std::string> applied_names;
  for (const MigrationRow& row : rows) {
    if (row.state() == RowState::Applied) applied_names.insert(row.migration_name);
  }
  for (const std::string& name : applied_names) {
    if (store.find(name) == nullptr) report.missing_locally.push_back(name);
  }

  std::vector<const LocalMigration*> pending;
  for (const LocalMigration& migration : store.migrations()) {
    if (applied_names.count(migration.name) > 0) {
      ++report.already_applied;
    } else {
      pending.push_back(&migration);
    }
  }

  // Each script runs between its row's start and finish, as Prisma runs it; the finish of one
  // and the start of the next share a commit (bookkeeping.hpp says why). After each script the
  // session is put back as it started (session_settings.hpp).
  std::string row_id;
  for (std::size_t i = 0; i < pending.size(); ++i) {
    const LocalMigration& migration = *pending[i];
    const Clock::time_point migration_started = Clock::now();
    if (i == 0) row_id = record_migration_started(connection, table, migration);
    try {
      connection.execute_script(migration.script);
    } catch (const db::DatabaseError& error) {
      fail_migration(connection, table, row_id, migration, error);
    }
    restore_session_settings(connection);
    if (i + 1 < pending.size()) {
      row_id =
          record_migration_finished_and_next_started(connection, table, row_id, *pending[i + 1]);
    } else {
      record_migration_finished(connection, table, row_id);
    }
    AppliedMigration applied{migration.name, since(migration_started)};
    if (on_applied) on_applied(applied);
    report.applied.push_back(std::move(applied));
  }
  report.duration = since(started);
  return report;
}

}  // namespace pmc::migrations
