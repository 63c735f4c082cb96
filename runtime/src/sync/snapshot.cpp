// read_snapshot: one query per reference table and one per protecting reference.
#include "pmc/sync/snapshot.hpp"

#include "pmc/error.hpp"
#include "pmc/sync/reference_tables.hpp"
#include "pmc/sync/sql_builder.hpp"

namespace pmc::sync {
namespace {

template <typename Connection>
TableSnapshot read_table(Connection& connection, const ReferenceSqlBuilder& sql,
                         const contract::ReferenceTable& table, Protection protection) {
  TableSnapshot snapshot;
  snapshot.table = table.table;
  snapshot.columns = table.columns;
  const std::size_t key_at = natural_key_position(table);
  std::vector<std::size_t> link_positions;
  for (std::size_t i = 0; i < table.columns.size(); ++i) {
    if (link_of(table, table.columns[i]) != nullptr) link_positions.push_back(i);
  }
  const db::Result result = connection.query(sql.select_rows(table));
  const int width = static_cast<int>(table.columns.size());
  snapshot.rows.reserve(static_cast<std::size_t>(result.rows()));
  for (int row = 0; row < result.rows(); ++row) {
    SnapshotRow read;
    read.id = result.text(row, 0);
    read.values.reserve(table.columns.size());
    for (int column = 0; column < width; ++column) read.values.push_back(result.value(row, 1 + column));
    for (std::size_t j = 0; j < link_positions.size(); ++j) {
      const std::size_t position = link_positions[j];
      const Value raw = result.value(row, 1 + width + static_cast<int>(j));
      if (raw && !read.values[position]) {
        throw Failure("PMC-5005",
                      "a row of \"" + table.table + "\" references a row that does not exist",
                      "Row " + table.key_column + " = " + read.id + " has " +
                          table.columns[position] + " = " + *raw + ", which no row of \"" +
                          link_of(table, table.columns[position])->table + "\" has.",
                      "Fix the reference in that database (or add a foreign key), then run again.");
      }
    }
    if (!read.values[key_at]) {
      throw Failure("PMC-5005", "a row of \"" + table.table + "\" has no natural key",
                    "Row " + table.key_column + " = " + read.id + " has " + table.natural_key +
                        " NULL; promotion matches rows by " + table.natural_key + ".",
                    "Give the row a " + table.natural_key + ", then run again.");
    }
    read.key = *read.values[key_at];
    snapshot.rows.push_back(std::move(read));
  }
  if (protection == Protection::Read) {
    for (const contract::ProtectingReference& by : table.protected_by) {
      const db::Result referenced = connection.query(sql.select_protecting_ids(table, by));
      for (int row = 0; row < referenced.rows(); ++row) {
        snapshot.protected_ids[referenced.text(row, 0)].push_back(
            "referenced by " + referenced.text(row, 1) + " row(s) of " + by.table + "." +
            by.column);
      }
    }
  }
  return snapshot;
}

template <typename Connection>
Snapshot read_any(Connection& connection, const contract::Contract& contract,
                  Protection protection) {
  const ReferenceSqlBuilder sql(
      [&connection](std::string_view name) { return connection.quote_identifier(name); });
  Snapshot snapshot;
  for (const contract::ReferenceTable& table : tables_in_write_order(contract)) {
    snapshot.tables.push_back(read_table(connection, sql, table, protection));
  }
  return snapshot;
}

}  // namespace

Snapshot read_snapshot(db::ReadOnlyConnection& connection, const contract::Contract& contract,
                       Protection protection) {
  return read_any(connection, contract, protection);
}

Snapshot read_snapshot(db::WritableConnection& connection, const contract::Contract& contract,
                       Protection protection) {
  return read_any(connection, contract, protection);
}

}  // namespace pmc::sync
