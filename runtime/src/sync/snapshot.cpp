// read_snapshot: one COPY out per reference table and one query per protecting reference.
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
  const std::size_t width = table.columns.size();
  // Streamed row by row (COPY … TO STDOUT): a table of 100,000 rows is held once, here.
  connection.copy_out(sql.copy_rows_out(table), [&](const db::Params& fields) {
    if (fields.size() != 1 + width + link_positions.size() || !fields[0]) {
      throw Failure("PMC-5005", "the rows of \"" + table.table + "\" could not be read",
                    "A row came back with " + std::to_string(fields.size()) + " columns.");
    }
    SnapshotRow read;
    read.id = *fields[0];
    read.values = RowValues(
        std::vector<Value>(fields.begin() + 1, fields.begin() + 1 + static_cast<long>(width)));
    for (std::size_t j = 0; j < link_positions.size(); ++j) {
      const std::size_t position = link_positions[j];
      const Value& raw = fields[1 + width + j];
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
  });
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

// One REPEATABLE READ snapshot for all of a read-only connection's queries: a row and the row it
// references (a service and its category) are seen as of one moment, even while dev changes.
class OneSnapshot {
 public:
  explicit OneSnapshot(db::ReadOnlyConnection& connection) : connection_(connection) {
    connection_.query("BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY");
  }
  // The transaction only read: ending it by ROLLBACK loses nothing, on success or failure.
  ~OneSnapshot() {
    try {
      connection_.query("ROLLBACK");
    } catch (...) {
      // A destructor cannot report; the session ends soon anyway.
    }
  }
  OneSnapshot(const OneSnapshot&) = delete;
  OneSnapshot& operator=(const OneSnapshot&) = delete;

 private:
  db::ReadOnlyConnection& connection_;
};

}  // namespace

Snapshot read_snapshot(db::ReadOnlyConnection& connection, const contract::Contract& contract,
                       Protection protection) {
  const OneSnapshot snapshot(connection);
  return read_any(connection, contract, protection);
}

Snapshot read_snapshot(db::WritableConnection& connection, const contract::Contract& contract,
                       Protection protection) {
  return read_any(connection, contract, protection);
}

}  // namespace pmc::sync
