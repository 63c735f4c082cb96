// Reads `_prisma_migrations` as Prisma does (ORDER BY started_at) and names each row's state.
#include "pmc/migrations/history.hpp"

#include <cstdlib>

namespace pmc::migrations {
namespace {

// The table Prisma means is the one in the current schema (the first existing schema of the
// search_path), which is also what the unqualified name in every other statement resolves to.
constexpr std::string_view kTableExistsSql =
    "SELECT EXISTS (SELECT 1 FROM pg_catalog.pg_class c"
    " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
    " WHERE n.nspname = current_schema() AND c.relname = '_prisma_migrations'"
    " AND c.relkind IN ('r', 'p'))";

// Timestamps as UTC ISO 8601 whatever the session's TimeZone and DateStyle say.
constexpr std::string_view kReadRowsSql =
    "SELECT id, checksum,"
    " to_char(finished_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
    " migration_name, logs,"
    " to_char(rolled_back_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
    " to_char(started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'),"
    " applied_steps_count"
    " FROM _prisma_migrations ORDER BY started_at ASC";

template <class Connection>
bool table_exists(Connection& connection) {
  return connection.query(kTableExistsSql).text(0, 0) == "t";
}

template <class Connection>
std::vector<MigrationRow> read_rows(Connection& connection) {
  std::vector<MigrationRow> rows;
  if (!table_exists(connection)) return rows;
  const db::Result result = connection.query(kReadRowsSql);
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

bool migrations_table_exists(db::ReadOnlyConnection& connection) {
  return table_exists(connection);
}
bool migrations_table_exists(db::WritableConnection& connection) {
  return table_exists(connection);
}

std::vector<MigrationRow> read_migration_rows(db::ReadOnlyConnection& connection) {
  return read_rows(connection);
}
std::vector<MigrationRow> read_migration_rows(db::WritableConnection& connection) {
  return read_rows(connection);
}

std::vector<MigrationRow> failed_rows(const std::vector<MigrationRow>& rows) {
  std::vector<MigrationRow> failed;
  for (const MigrationRow& row : rows) {
    if (row.state() == RowState::Failed) failed.push_back(row);
  }
  return failed;
}

std::vector<MigrationRow> list_failed_rows(db::ReadOnlyConnection& connection) {
  return failed_rows(read_rows(connection));
}
std::vector<MigrationRow> list_failed_rows(db::WritableConnection& connection) {
  return failed_rows(read_rows(connection));
}

}  // namespace pmc::migrations
