// apply_reference_sync: lock, re-read, re-plan, write set-based, commit, in one transaction.
// Creates go in as one COPY per table (as fast as loading the rows can be), updates as one
// UPDATE … FROM unnest(…) per table; references travel as prod's own ids, looked up by name.
#include "pmc/sync/apply.hpp"

#include <map>
#include <unordered_map>

#include "pmc/error.hpp"
#include "pmc/sync/array_literal.hpp"
#include "pmc/sync/reference_tables.hpp"
#include "pmc/sync/snapshot.hpp"
#include "pmc/sync/sql_builder.hpp"

namespace pmc::sync {
namespace {

// A referenced table's natural key -> its row's id in prod.
using IdsByKey = std::unordered_map<std::string, std::string>;

class ProdWriter {
 public:
  ProdWriter(db::WritableConnection& prod, const contract::Contract& contract)
      : prod_(prod),
        contract_(contract),
        sql_([&prod](std::string_view name) { return prod.quote_identifier(name); }) {}

  const ReferenceSqlBuilder& sql() const { return sql_; }

  PMC_MUTATION("reference-sync")
  void write(const contract::ReferenceTable& table, const TablePlan& plan) {
    if (plan.creates.empty() && plan.updates.empty()) return;
    if (!plan.creates.empty()) {
      const std::vector<const IdsByKey*> links = links_of(table);
      const long copied = prod_.copy_rows(
          sql_.copy_rows(table), plan.creates.size(), [&](std::size_t index, db::Params& values) {
            as_prod_stores_it(table, links, plan.creates[index], values);
          });
      expect_rows(copied, plan.creates.size(), table.table, "create");
    }
    if (!plan.updates.empty()) {
      const std::vector<const IdsByKey*> links = links_of(table);
      std::vector<db::Params> rows(plan.updates.size());
      for (std::size_t index = 0; index < rows.size(); ++index) {
        as_prod_stores_it(table, links, plan.updates[index], rows[index]);
      }
      std::vector<Value> ids;
      ids.reserve(plan.updates.size());
      for (const RowUpdate& update : plan.updates) ids.push_back(update.id);
      db::Params params{text_array_literal(ids)};
      std::vector<Value> column;
      column.reserve(rows.size());
      for (std::size_t i = 0; i < table.columns.size(); ++i) {
        column.clear();
        for (const db::Params& row : rows) column.push_back(row[i]);
        params.push_back(text_array_literal(column));
      }
      const db::Result updated =
          prod_.execute(sql_.update_rows(table, column_types(table)), params);
      expect_rows(updated.affected_rows(), plan.updates.size(), table.table, "update");
    }
  }

 private:
  // Per column, prod's ids of the table it references (nullptr for a plain value column).
  std::vector<const IdsByKey*> links_of(const contract::ReferenceTable& table) {
    std::vector<const IdsByKey*> links(table.columns.size(), nullptr);
    for (std::size_t i = 0; i < table.columns.size(); ++i) {
      if (const contract::ReferenceLink* link = link_of(table, table.columns[i])) {
        links[i] = &ids_of(link->table);
      }
    }
    return links;
  }

  // A planned row as prod stores it: a reference's natural key becomes prod's id of that row.
  template <typename Row>
  static void as_prod_stores_it(const contract::ReferenceTable& table,
                                const std::vector<const IdsByKey*>& links, const Row& row,
                                db::Params& values) {
    values.assign(row.values.begin(), row.values.end());
    for (std::size_t i = 0; i < values.size(); ++i) {
      if (links[i] == nullptr || !values[i]) continue;
      const auto id = links[i]->find(*values[i]);
      if (id == links[i]->end()) missing_reference(table, row.key, i, *values[i]);
      values[i] = id->second;
    }
  }

  // Read once, when the first row that references the table is written: tables are written in
  // reference order, so the referenced table already holds every row this plan creates.
  const IdsByKey& ids_of(const std::string& referenced) {
    const auto cached = ids_.find(referenced);
    if (cached != ids_.end()) return cached->second;
    const contract::ReferenceTable* table = contract_.find_reference_table(referenced);
    if (table == nullptr) {
      throw Failure("PMC-5006", "reference to table \"" + referenced + "\" cannot be resolved",
                    "The contract's reference data does not list it.");
    }
    IdsByKey& ids = ids_[referenced];
    const db::Result result = prod_.query(sql_.select_keys(*table));
    ids.reserve(static_cast<std::size_t>(result.rows()));
    for (int row = 0; row < result.rows(); ++row) ids[result.text(row, 1)] = result.text(row, 0);
    return ids;
  }

  ColumnTypes column_types(const contract::ReferenceTable& table) {
    ColumnTypes types;
    const db::Result result = prod_.query(sql_.select_column_types(), {sql_.quoted_table(table)});
    for (int row = 0; row < result.rows(); ++row) types[result.text(row, 0)] = result.text(row, 1);
    return types;
  }

  [[noreturn]] static void missing_reference(const contract::ReferenceTable& table,
                                             const std::string& key, std::size_t column,
                                             const std::string& referenced_key) {
    throw Failure("PMC-5007", "a row to write references a row prod does not have",
                  "Table \"" + table.table + "\", row \"" + key + "\": " + table.columns[column] +
                      " names \"" + referenced_key + "\" of \"" +
                      link_of(table, table.columns[column])->table +
                      "\", which prod lacks and the plan does not create. Nothing was committed.",
                  "Check that dev is consistent (the referenced row exists there), then run "
                  "again.");
  }

  static void expect_rows(long written, std::size_t planned, const std::string& table,
                          const char* what) {
    if (written == static_cast<long>(planned)) return;
    throw Failure("PMC-5007", "prod wrote a different number of rows than planned",
                  "Table \"" + table + "\": " + std::to_string(planned) + " row(s) to " + what +
                      ", " + std::to_string(written) + " written. Nothing was committed.",
                  "Run the dry run again and check the plan.");
  }

  db::WritableConnection& prod_;
  const contract::Contract& contract_;
  const ReferenceSqlBuilder sql_;
  std::map<std::string, IdsByKey> ids_;
};

}  // namespace

PMC_MUTATION("reference-sync")
Plan apply_reference_sync(db::WritableConnection& prod, const Snapshot& dev,
                          const contract::Contract& contract) {
  ProdWriter writer(prod, contract);
  const std::vector<contract::ReferenceTable> tables = tables_in_write_order(contract);
  db::Transaction transaction = prod.begin();
  for (const contract::ReferenceTable& table : tables) {
    prod.execute(writer.sql().lock_for_sync(table));
  }
  for (const contract::ReferenceTable& table : tables) {
    const std::string lock = writer.sql().lock_protecting(table);
    if (!lock.empty()) prod.execute(lock);
  }
  const Plan plan = plan_reference_sync(dev, read_snapshot(prod, contract, Protection::Read));
  for (std::size_t i = 0; i < tables.size(); ++i) writer.write(tables[i], plan.tables[i]);
  transaction.commit();
  return plan;
}

}  // namespace pmc::sync
