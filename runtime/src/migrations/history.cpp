// Finds `_prisma_migrations` once, reads it as Prisma does (ORDER BY started_at) and names each
// row's state.
#include "pmc/migrations/history.hpp"

#include <cstdlib>

#include "pmc/error.hpp"

namespace pmc::migrations {
namespace {

constexpr std::string_view kCurrentSchemaSql =
    "SELECT pg_catalog.current_schema(), pg_catalog.current_setting('search_path')";

constexpr std::string_view kTableExistsSql =
    "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = $1 AND c.relname = '_prisma_migrations' AND c.relkind IN ('r', 'p'))";

// Timestamps as UTC ISO 8601 whatever the session's TimeZone and DateStyle say.
constexpr std::string_view kReadColumnsSql =
    "SELECT id, checksum,"
    " to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
    " migration_name, logs,"
    " to_char(rolled_back_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
    " to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
    " applied_steps_count FROM ";

template <class Connection>
bool table_exists(Connection& connection, const MigrationsTable& table) {
  if (!table.schema()) return false;
  return connection.query(kTableExistsSql, {*table.schema()}).text(0, 0) == "t";
}

template <class Connection>
std::vector<MigrationRow> read_rows(Connection& connection, const MigrationsTable& table) {
  std::vector<MigrationRow> rows;
  if (!table_exists(connection, table)) return rows;
  const db::Result result = connection.query(std::string(kReadColumnsSql) + table.qualified_name() +
                                             " ORDER BY started_at ASC");
  rows.reserve(static_cast<std::size_t>(result.rows()));
  for (int r = 0; r < result.rows(); ++r) {
    MigrationRow row;
    row.id = result.text(r, 0);
    row.checksum = result.text(r, 1);
    row.finished_at = result.value(r, 2);
    row.migration_name = result.text(r, 3);
    row.logs = result.value(r, 4);
    row.rolled_back_at = result.value(r, 5);
    row.started_at = result.text(r, 6);
    row.applied_steps_count = std::atoi(result.text(r, 7).c_str());
    rows.push_back(std::move(row));
  }
  return rows;
}

}  // namespace

RowState MigrationRow::state() const {
  if (rolled_back_at) return RowState::RolledBack;
  return finished_at ? RowState::Applied : RowState::Failed;
}

std::string_view state_name(RowState state) {
  switch (state) {
    case RowState::Applied:
      return "applied";
    case RowState::Failed:
      return "failed";
    case RowState::RolledBack:
      return "rolled back";
  }
  return "unknown";
}

template <class Connection>
MigrationsTable MigrationsTable::locate_on(Connection& connection) {
  const db::Result current = connection.query(kCurrentSchemaSql);
  MigrationsTable table;
  table.schema_ = current.value(0, 0);
  table.search_path_ = current.text(0, 1);
  if (table.schema_) {
    table.qualified_name_ = connection.quote_identifier(*table.schema_) + "._prisma_migrations";
  }
  return table;
}

MigrationsTable MigrationsTable::locate(db::ReadOnlyConnection& connection) {
  return locate_on(connection);
}
MigrationsTable MigrationsTable::locate(db::WritableConnection& connection) {
  return locate_on(connection);
}

const std::string& MigrationsTable::require_schema() const {
  if (schema_) return *schema_;
  throw Failure("PMC-3104", "the connection has no current schema to keep _prisma_migrations in",
                "No schema of the search_path (" + search_path_ + ") exists in this database.",
                "Create the schema, or point the URL's search_path (or ?schema=) at an existing "
                "one.");
}

const std::string& MigrationsTable::qualified_name() const {
  require_schema();
  return qualified_name_;
}

std::string migrations_table_ddl(const MigrationsTable& table) {
  const std::string_view columns = kMigrationsTableDdl.substr(kMigrationsTableDdl.find(" ("));
  return "CREATE TABLE " + table.qualified_name() + std::string(columns);
}

bool migrations_table_exists(db::ReadOnlyConnection& connection, const MigrationsTable& table) {
  return table_exists(connection, table);
}
bool migrations_table_exists(db::WritableConnection& connection, const MigrationsTable& table) {
  return table_exists(connection, table);
}

std::vector<MigrationRow> read_migration_rows(db::ReadOnlyConnection& connection,
                                              const MigrationsTable& table) {
  return read_rows(connection, table);
}
std::vector<MigrationRow> read_migration_rows(db::WritableConnection& connection,
                                              const MigrationsTable& table) {
  return read_rows(connection, table);
}

std::vector<MigrationRow> failed_rows(const std::vector<MigrationRow>& rows) {
  std::vector<MigrationRow> failed;
  for (const MigrationRow& row : rows) {
    if (row.state() == RowState::Failed) failed.push_back(row);
  }
  return failed;
}

}  // namespace pmc::migrations
