// apply_reference_sync: lock, re-read, re-plan, write set-based, commit, in one transaction.
#include "pmc/sync/apply.hpp"

#include "pmc/error.hpp"
#include "pmc/sync/array_literal.hpp"
#include "pmc/sync/reference_tables.hpp"
#include "pmc/sync/snapshot.hpp"
#include "pmc/sync/sql_builder.hpp"

namespace pmc::sync {
namespace {

ColumnTypes column_types(db::WritableConnection& prod, const ReferenceSqlBuilder& sql,
                         const contract::ReferenceTable& table) {
  ColumnTypes types;
  const db::Result result = prod.query(sql.select_column_types(), {sql.quoted_table(table)});
  for (int row = 0; row < result.rows(); ++row) types[result.text(row, 0)] = result.text(row, 1);
  return types;
}

// One text[] per column, the rows in plan order.
template <typename Row>
db::Params column_arrays(std::size_t columns, const std::vector<Row>& rows) {
  db::Params params;
  std::vector<Value> column;
  column.reserve(rows.size());
  for (std::size_t i = 0; i < columns; ++i) {
    column.clear();
    for (const Row& row : rows) column.push_back(row.values.at(i));
    params.push_back(text_array_literal(column));
  }
  return params;
}

void expect_rows(long written, std::size_t planned, const std::string& table,
                 const char* what) {
  if (written == static_cast<long>(planned)) return;
  throw Failure("PMC-5007", std::string("prod wrote a different number of rows than planned"),
                "Table \"" + table + "\": " + std::to_string(planned) + " row(s) to " + what +
                    ", " + std::to_string(written) + " written; a referenced row is missing "
                    "in prod. Nothing was committed.",
                "Run the dry run again and check the plan.");
}

PMC_MUTATION("reference-sync")
void write_table(db::WritableConnection& prod, const ReferenceSqlBuilder& sql,
                 const contract::ReferenceTable& table, const TablePlan& plan) {
  if (plan.creates.empty() && plan.updates.empty()) return;
  const ColumnTypes types = column_types(prod, sql, table);
  if (!plan.creates.empty()) {
    const db::Result inserted = prod.execute(sql.insert_rows(table, types),
                                             column_arrays(table.columns.size(), plan.creates));
    expect_rows(inserted.affected_rows(), plan.creates.size(), table.table, "create");
  }
  if (!plan.updates.empty()) {
    std::vector<Value> ids;
    ids.reserve(plan.updates.size());
    for (const RowUpdate& update : plan.updates) ids.push_back(update.id);
    db::Params params{text_array_literal(ids)};
    for (db::Param& column : column_arrays(table.columns.size(), plan.updates)) {
      params.push_back(std::move(column));
    }
    const db::Result updated = prod.execute(sql.update_rows(table, types), params);
    expect_rows(updated.affected_rows(), plan.updates.size(), table.table, "update");
  }
}

}  // namespace

PMC_MUTATION("reference-sync")
Plan apply_reference_sync(db::WritableConnection& prod, const Snapshot& dev,
                          const contract::Contract& contract) {
  const ReferenceSqlBuilder sql(
      [&prod](std::string_view name) { return prod.quote_identifier(name); });
  const std::vector<contract::ReferenceTable> tables = tables_in_write_order(contract);
  db::Transaction transaction = prod.begin();
  for (const contract::ReferenceTable& table : tables) prod.execute(sql.lock_for_sync(table));
  for (const contract::ReferenceTable& table : tables) {
    const std::string lock = sql.lock_protecting(table);
    if (!lock.empty()) prod.execute(lock);
  }
  const Plan plan = plan_reference_sync(dev, read_snapshot(prod, contract, Protection::Read));
  for (std::size_t i = 0; i < tables.size(); ++i) write_table(prod, sql, tables[i], plan.tables[i]);
  transaction.commit();
  return plan;
}

}  // namespace pmc::sync
