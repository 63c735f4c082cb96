// The `_prisma_migrations` table as Prisma reads it: its DDL, its rows in `started_at` order,
// and what state each row says its migration is in. Reading only; writes are in bookkeeping.hpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pmc/db.hpp"

namespace pmc::migrations {

// Prisma's DDL, unqualified: the table lives in the connection's current schema. pmc runs it
// qualified (migrations_table_ddl).
inline constexpr std::string_view kMigrationsTableDdl =
    "CREATE TABLE _prisma_migrations (\n"
    "    id                      VARCHAR(36) PRIMARY KEY NOT NULL,\n"
    "    checksum                VARCHAR(64) NOT NULL,\n"
    "    finished_at             TIMESTAMPTZ,\n"
    "    migration_name          VARCHAR(255) NOT NULL,\n"
    "    logs                    TEXT,\n"
    "    rolled_back_at          TIMESTAMPTZ,\n"
    "    started_at              TIMESTAMPTZ NOT NULL DEFAULT now(),\n"
    "    applied_steps_count     INTEGER NOT NULL DEFAULT 0\n"
    ")";

// Where `_prisma_migrations` is: the session's current schema (the first existing schema of the
// search_path, which `?schema=` sets) when pmc starts, captured once under the advisory lock.
// Every statement on the table names it qualified, so a migration script's session-level
// `SET search_path` cannot send pmc's bookkeeping to another schema (or to none).
class MigrationsTable {
 public:
  static MigrationsTable locate(db::ReadOnlyConnection& connection);
  static MigrationsTable locate(db::WritableConnection& connection);

  // Empty when no schema of the search_path exists: then there is no table to read, and
  // writing one throws PMC-3104 (require_schema).
  const std::optional<std::string>& schema() const { return schema_; }
  const std::string& require_schema() const;
  // `"schema"._prisma_migrations`, the schema quoted by the connection (require_schema first).
  const std::string& qualified_name() const;

 private:
  MigrationsTable() = default;
  template <class Connection>
  static MigrationsTable locate_on(Connection& connection);
  std::optional<std::string> schema_;
  std::string qualified_name_;
  std::string search_path_;  // for PMC-3104's message
};

// Prisma's CREATE TABLE, qualified with the table's schema.
std::string migrations_table_ddl(const MigrationsTable& table);

enum class RowState {
  Applied,     // finished_at set, rolled_back_at NULL
  Failed,      // finished_at NULL, rolled_back_at NULL (also a crash mid-script)
  RolledBack,  // rolled_back_at set: the migration counts as not applied
};

struct MigrationRow {
  std::string id;
  std::string checksum;
  std::optional<std::string> finished_at;     // UTC, ISO 8601 ("2026-11-24T17:57:06.123456Z")
  std::string migration_name;
  std::optional<std::string> logs;
  std::optional<std::string> rolled_back_at;  // UTC, ISO 8601
  std::string started_at;                     // UTC, ISO 8601
  int applied_steps_count = 0;

  RowState state() const;
};

std::string_view state_name(RowState state);  // "applied", "failed", "rolled back"

// Whether `_prisma_migrations` exists where `table` says.
bool migrations_table_exists(db::ReadOnlyConnection& connection, const MigrationsTable& table);
bool migrations_table_exists(db::WritableConnection& connection, const MigrationsTable& table);

// Every row, ORDER BY started_at as Prisma reads them; empty when the table does not exist.
std::vector<MigrationRow> read_migration_rows(db::ReadOnlyConnection& connection,
                                              const MigrationsTable& table);
std::vector<MigrationRow> read_migration_rows(db::WritableConnection& connection,
                                              const MigrationsTable& table);

// The failed rows (finished_at and rolled_back_at NULL), in started_at order: what blocks deploy.
std::vector<MigrationRow> failed_rows(const std::vector<MigrationRow>& rows);

}  // namespace pmc::migrations
