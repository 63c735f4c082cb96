// The promotion plan: what dev has that prod lacks or holds differently, keyed on each table's
// natural key. Pure data in, pure data out: no database here, so the rules are testable alone.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace pmc::sync {

using Value = std::optional<std::string>;  // a column as text; nullopt is SQL NULL

// One row as read from a database. `values` follow the table's writable columns in contract
// order; a column that references another reference table holds that row's natural key (the
// category's name, not its id), which is what makes ids comparable across databases.
struct SnapshotRow {
  std::string id;   // the key column as text, meaningful only inside its own database
  std::string key;  // the natural key
  std::vector<Value> values;
};

struct TableSnapshot {
  std::string table;
  std::vector<std::string> columns;
  std::vector<SnapshotRow> rows;
  // Prod only: id -> why the row must not change ("referenced by 2 rows of bookings.serviceId").
  std::map<std::string, std::vector<std::string>> protected_ids;
};

struct Snapshot {
  std::vector<TableSnapshot> tables;  // in write order (pmc/sync/reference_tables.hpp)
};

struct ColumnChange {
  std::string column;
  Value before;
  Value after;
};

struct RowCreate {
  std::string key;
  std::vector<Value> values;
};

struct RowUpdate {
  std::string key;
  std::string id;  // prod's id
  std::vector<ColumnChange> changes;
  std::vector<Value> values;  // every writable column as dev has it
};

struct RowProtected {
  std::string key;
  std::string id;
  std::vector<ColumnChange> changes;  // what dev would have changed
  std::vector<std::string> reasons;
};

struct TablePlan {
  std::string table;
  std::vector<std::string> columns;
  std::vector<RowCreate> creates;
  std::vector<RowUpdate> updates;
  std::vector<std::string> unchanged;
  std::vector<RowProtected> protected_rows;
  std::vector<std::string> prod_only;  // left alone: promotion never deletes
};

struct Plan {
  std::vector<TablePlan> tables;
  std::size_t creates() const;
  std::size_t updates() const;
  std::size_t protected_rows() const;
  std::size_t unchanged() const;
  bool writes_anything() const { return creates() + updates() > 0; }
};

// Compares dev with prod table by table (same tables, same columns, same order). Rows are sorted
// by natural key so that the plan, its output and the order of writes are deterministic.
// Throws pmc::Failure (PMC-5004) when a natural key appears twice on one side.
Plan plan_reference_sync(const Snapshot& dev, const Snapshot& prod);

}  // namespace pmc::sync
