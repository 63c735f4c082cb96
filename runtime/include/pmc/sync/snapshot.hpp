// Reads a contract's reference tables out of one database, through the allowlist-checked
// builder: the input of plan_reference_sync.
#pragma once

#include "pmc/contract.hpp"
#include "pmc/db.hpp"
#include "pmc/sync/plan.hpp"

namespace pmc::sync {

enum class Protection {
  Ignore,  // dev: nothing there is protected
  Read,    // prod: rows referenced by the contract's protecting tables are marked
};

// Each table streams in through one COPY (SELECT …) TO STDOUT; on a read-only connection all
// tables are read in one REPEATABLE READ snapshot, so a row and the row it references agree.
// Throws pmc::Failure: a table or column outside the allowlist (PMC-5001/5002), a natural key
// that is NULL or a reference to a row that does not exist (PMC-5005).
Snapshot read_snapshot(db::ReadOnlyConnection& connection, const contract::Contract& contract,
                       Protection protection);
// The same on prod's writable connection: inside the applying transaction, under its locks, the
// plan sees what it will change.
Snapshot read_snapshot(db::WritableConnection& connection, const contract::Contract& contract,
                       Protection protection);

}  // namespace pmc::sync
