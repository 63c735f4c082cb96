// The reference tables a contract names, in the order promotion writes them: a table comes after
// every table its columns reference, so referenced rows exist before the rows that point at them.
#pragma once

#include <string_view>
#include <vector>

#include "pmc/contract.hpp"

namespace pmc::sync {

// Throws pmc::Failure (PMC-5006) when a reference names a table the contract does not list, or
// the references form a cycle.
std::vector<contract::ReferenceTable> tables_in_write_order(const contract::Contract& contract);

// The link a column carries to another reference table, or nullptr for a plain value column.
const contract::ReferenceLink* link_of(const contract::ReferenceTable& table,
                                       std::string_view column);

// Position of the natural key among the table's writable columns; throws (PMC-5006) when the
// contract does not make the natural key writable (creates could not set it).
std::size_t natural_key_position(const contract::ReferenceTable& table);

}  // namespace pmc::sync
