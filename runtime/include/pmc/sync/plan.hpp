// The promotion plan: what dev has that prod lacks or holds differently, keyed on each table's
// natural key. Pure data in, pure data out: no database here, so the rules are testable alone.
#pragma once

#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace pmc::sync {

using Value = std::optional<std::string>;  // a column as text; nullopt is SQL NULL

// A row's column values, immutable and shared between a snapshot and the plans made from it,
// so that planning 100,000 creates (twice, when applying) copies no values. Compares by content.
class RowValues {
 public:
  RowValues() : values_(none()) {}
  // Implicit on purpose: a RowValues is just its values, e.g. {"Cleaning", NULL, …}.
  RowValues(std::vector<Value> values)
      : values_(std::make_shared<const std::vector<Value>>(std::move(values))) {}
  RowValues(std::initializer_list<Value> values) : RowValues(std::vector<Value>(values)) {}

  const Value& operator[](std::size_t i) const { return (*values_)[i]; }
  const Value& at(std::size_t i) const { return values_->at(i); }
  std::size_t size() const { return values_->size(); }
  std::vector<Value>::const_iterator begin() const { return values_->begin(); }
  std::vector<Value>::const_iterator end() const { return values_->end(); }
  bool operator==(const RowValues& other) const {
    return values_ == other.values_ || *values_ == *other.values_;
  }

 private:
  static const std::shared_ptr<const std::vector<Value>>& none() {
    static const auto empty = std::make_shared<const std::vector<Value>>();
    return empty;
  }
  std::shared_ptr<const std::vector<Value>> values_;
};

// One row as read from a database. `values` follow the table's writable columns in contract
// order; a column that references another reference table holds that row's natural key (the
// category's name, not its id), which is what makes ids comparable across databases.
struct SnapshotRow {
  std::string id;   // the key column as text, meaningful only inside its own database
  std::string key;  // the natural key
  RowValues values;
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
  bool operator==(const ColumnChange&) const = default;
};

struct RowCreate {
  std::string key;
  RowValues values;
  bool operator==(const RowCreate&) const = default;
};

struct RowUpdate {
  std::string key;
  std::string id;  // prod's id
  std::vector<ColumnChange> changes;
  RowValues values;  // every writable column as dev has it
  bool operator==(const RowUpdate&) const = default;
};

struct RowProtected {
  std::string key;
  std::string id;
  std::vector<ColumnChange> changes;  // what dev would have changed
  std::vector<std::string> reasons;
  bool operator==(const RowProtected&) const = default;
};

struct TablePlan {
  std::string table;
  std::vector<std::string> columns;
  std::vector<RowCreate> creates;
  std::vector<RowUpdate> updates;
  std::vector<std::string> unchanged;
  std::vector<RowProtected> protected_rows;
  std::vector<std::string> prod_only;  // left alone: promotion never deletes
  bool operator==(const TablePlan&) const = default;
};

struct Plan {
  std::vector<TablePlan> tables;
  std::size_t creates() const;
  std::size_t updates() const;
  std::size_t protected_rows() const;
  std::size_t unchanged() const;
  bool writes_anything() const { return creates() + updates() > 0; }
  bool operator==(const Plan&) const = default;
};

// Compares dev with prod table by table (same tables, same columns, same order). Rows are sorted
// by natural key so that the plan, its output and the order of writes are deterministic.
// Throws pmc::Failure (PMC-5004) when a natural key appears twice on one side.
Plan plan_reference_sync(const Snapshot& dev, const Snapshot& prod);

}  // namespace pmc::sync
