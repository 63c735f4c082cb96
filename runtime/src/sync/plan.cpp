// plan_reference_sync: dev against prod, row by natural key, column by column.
#include "pmc/sync/plan.hpp"

#include <algorithm>

#include "pmc/error.hpp"

namespace pmc::sync {
namespace {

// The rows in byte order of their natural keys; a key twice is refused.
std::vector<const SnapshotRow*> sorted_by_key(const TableSnapshot& table, const char* side) {
  std::vector<const SnapshotRow*> rows;
  rows.reserve(table.rows.size());
  for (const SnapshotRow& row : table.rows) rows.push_back(&row);
  std::sort(rows.begin(), rows.end(),
            [](const SnapshotRow* a, const SnapshotRow* b) { return a->key < b->key; });
  const auto twice = std::adjacent_find(
      rows.begin(), rows.end(),
      [](const SnapshotRow* a, const SnapshotRow* b) { return a->key == b->key; });
  if (twice != rows.end()) {
    throw Failure(
        "PMC-5004",
        std::string("the ") + side + " table \"" + table.table + "\" holds one natural key twice",
        "The key \"" + (*twice)->key +
            "\" names more than one row, so promotion "
            "cannot tell which row is meant.",
        "Make the natural key unique in the " + std::string(side) +
            " database (a unique index), then run again.");
  }
  return rows;
}

std::vector<ColumnChange> differences(const std::vector<std::string>& columns,
                                      const SnapshotRow& prod, const SnapshotRow& dev) {
  std::vector<ColumnChange> changes;
  for (std::size_t i = 0; i < columns.size(); ++i) {
    if (prod.values.at(i) != dev.values.at(i)) {
      changes.push_back({columns[i], prod.values[i], dev.values[i]});
    }
  }
  return changes;
}

TablePlan plan_table(const TableSnapshot& dev, const TableSnapshot& prod) {
  if (dev.table != prod.table || dev.columns != prod.columns) {
    throw Failure("PMC-5006", "dev and prod snapshots do not describe the same table",
                  "dev: \"" + dev.table + "\", prod: \"" + prod.table + "\".");
  }
  TablePlan plan;
  plan.table = dev.table;
  plan.columns = dev.columns;
  const std::vector<const SnapshotRow*> dev_rows = sorted_by_key(dev, "dev");
  const std::vector<const SnapshotRow*> prod_rows = sorted_by_key(prod, "prod");
  plan.creates.reserve(dev_rows.size());
  plan.unchanged.reserve(dev_rows.size());
  // One walk over both sorted lists, like a merge join.
  auto prod_row = prod_rows.begin();
  for (const SnapshotRow* dev_row : dev_rows) {
    for (; prod_row != prod_rows.end() && (*prod_row)->key < dev_row->key; ++prod_row) {
      plan.prod_only.push_back((*prod_row)->key);
    }
    if (prod_row == prod_rows.end() || (*prod_row)->key != dev_row->key) {
      plan.creates.push_back({dev_row->key, dev_row->values});
      continue;
    }
    const SnapshotRow& matched = **prod_row++;
    std::vector<ColumnChange> changes = differences(dev.columns, matched, *dev_row);
    if (changes.empty()) {
      plan.unchanged.push_back(dev_row->key);
      continue;
    }
    const auto protection = prod.protected_ids.find(matched.id);
    if (protection != prod.protected_ids.end()) {
      plan.protected_rows.push_back(
          {dev_row->key, matched.id, std::move(changes), protection->second});
    } else {
      plan.updates.push_back({dev_row->key, matched.id, std::move(changes), dev_row->values});
    }
  }
  for (; prod_row != prod_rows.end(); ++prod_row) plan.prod_only.push_back((*prod_row)->key);
  return plan;
}

template <typename Member>
std::size_t total(const std::vector<TablePlan>& tables, Member member) {
  std::size_t sum = 0;
  for (const TablePlan& table : tables) sum += (table.*member).size();
  return sum;
}

}  // namespace

std::size_t Plan::creates() const { return total(tables, &TablePlan::creates); }
std::size_t Plan::updates() const { return total(tables, &TablePlan::updates); }
std::size_t Plan::protected_rows() const { return total(tables, &TablePlan::protected_rows); }
std::size_t Plan::unchanged() const { return total(tables, &TablePlan::unchanged); }

Plan plan_reference_sync(const Snapshot& dev, const Snapshot& prod) {
  if (dev.tables.size() != prod.tables.size()) {
    throw Failure("PMC-5006", "dev and prod snapshots hold different numbers of tables");
  }
  Plan plan;
  for (std::size_t i = 0; i < dev.tables.size(); ++i) {
    plan.tables.push_back(plan_table(dev.tables[i], prod.tables[i]));
  }
  return plan;
}

}  // namespace pmc::sync
