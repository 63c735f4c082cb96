// Orders a contract's reference tables so that referenced tables are written first.
#include "pmc/sync/reference_tables.hpp"

#include <algorithm>
#include <set>

#include "pmc/error.hpp"

namespace pmc::sync {

const contract::ReferenceLink* link_of(const contract::ReferenceTable& table,
                                       std::string_view column) {
  for (const contract::ReferenceLink& link : table.references) {
    if (link.column == column) return &link;
  }
  return nullptr;
}

std::size_t natural_key_position(const contract::ReferenceTable& table) {
  const auto found = std::find(table.columns.begin(), table.columns.end(), table.natural_key);
  if (found == table.columns.end()) {
    throw Failure("PMC-5006", "reference table \"" + table.table + "\" cannot be promoted",
                  "Its natural key \"" + table.natural_key +
                      "\" is not among its writable columns, so a new row could not be keyed.",
                  "List the natural key among the table's columns in rules/contract.json.");
  }
  return static_cast<std::size_t>(found - table.columns.begin());
}

std::vector<contract::ReferenceTable> tables_in_write_order(const contract::Contract& contract) {
  for (const contract::ReferenceTable& table : contract.reference_data) {
    for (const contract::ReferenceLink& link : table.references) {
      if (contract.find_reference_table(link.table) == nullptr) {
        throw Failure("PMC-5006", "reference table \"" + table.table + "\" cannot be promoted",
                      "Its column \"" + link.column + "\" references \"" + link.table +
                          "\", which the contract's reference data does not list.",
                      "Add the referenced table to the reference data or drop the reference.");
      }
    }
  }
  // Repeatedly take every table whose references are all placed already; no progress is a cycle.
  std::vector<contract::ReferenceTable> ordered;
  std::set<std::string> placed;
  while (ordered.size() < contract.reference_data.size()) {
    const std::size_t before = ordered.size();
    for (const contract::ReferenceTable& table : contract.reference_data) {
      if (placed.count(table.table) != 0) continue;
      const bool ready =
          std::all_of(table.references.begin(), table.references.end(),
                      [&](const contract::ReferenceLink& link) {
                        return placed.count(link.table) != 0 || link.table == table.table;
                      });
      if (ready) {
        ordered.push_back(table);
        placed.insert(table.table);
      }
    }
    if (ordered.size() == before) {
      throw Failure("PMC-5006", "reference tables cannot be ordered",
                    "The references between the contract's reference tables form a cycle.",
                    "Break the cycle in rules/contract.json.");
    }
  }
  return ordered;
}

}  // namespace pmc::sync
