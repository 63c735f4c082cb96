// Internal to the catalog check: the one query that looks every object up, and what it returns.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "pmc/db.hpp"
#include "pmc/resolution/effects.hpp"

namespace pmc::resolution::detail {

// One object to look up. `made_here`: the migration creates it (or its table or enum type), so an
// unqualified name is in current_schema(); otherwise it is where the search path finds it.
struct Probe {
  ObjectName object;
  bool made_here = false;
  std::optional<std::string> type_name;  // a column's expected type, as to_regtype() reads it
  std::optional<int> type_modifier;      // its typmod, when pmc knows it
  bool wants_default = false;            // a column whose default is compared
};

struct Observation {
  bool found = false;
  std::string detail;  // relkind, contype, typtype, or the table an index is on
  // Columns only:
  std::string type;           // format_type() of the column
  bool type_matches = false;  // atttypid = to_regtype(expected)
  int type_modifier = -1;
  std::string expected_type;  // format_type() of the expectation, for messages
  bool not_null = false;
  std::optional<std::string> default_expression;  // pg_get_expr()
};

// The typed name to_regtype() reads for an expectation ("pg_catalog"."int4"[]), or nullopt when
// the SQL named the type in a way pmc does not look up (database-qualified, %TYPE).
std::optional<std::string> regtype_text(const ColumnExpectation& column);

// Runs the lookup for every probe in one query; observations in the probes' order (found false
// for what does not exist).
template <class Connection>
std::vector<Observation> observe(Connection& connection, const std::vector<Probe>& probes);

extern template std::vector<Observation> observe(db::ReadOnlyConnection&,
                                                 const std::vector<Probe>&);
extern template std::vector<Observation> observe(db::WritableConnection&,
                                                 const std::vector<Probe>&);

}  // namespace pmc::resolution::detail
