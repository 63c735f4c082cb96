// The `_prisma_migrations` table as Prisma reads it: its DDL, its rows in `started_at` order,
// and what state each row says its migration is in. Reading only; writes are in bookkeeping.hpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pmc/db.hpp"

namespace pmc::migrations {

// Prisma's DDL, unqualified: the table lives in the connection's current schema.
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

// Whether `_prisma_migrations` exists in the connection's current schema.
bool migrations_table_exists(db::ReadOnlyConnection& connection);
bool migrations_table_exists(db::WritableConnection& connection);

// Every row, ORDER BY started_at as Prisma reads them; empty when the table does not exist.
std::vector<MigrationRow> read_migration_rows(db::ReadOnlyConnection& connection);
std::vector<MigrationRow> read_migration_rows(db::WritableConnection& connection);

// The failed rows (finished_at and rolled_back_at NULL), in started_at order: what blocks deploy.
std::vector<MigrationRow> failed_rows(const std::vector<MigrationRow>& rows);
std::vector<MigrationRow> list_failed_rows(db::ReadOnlyConnection& connection);
std::vector<MigrationRow> list_failed_rows(db::WritableConnection& connection);

}  // namespace pmc::migrations
