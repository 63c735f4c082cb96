// A column of values as one PostgreSQL text[] literal, so a whole column travels as ONE query
// parameter (unnest($1::text[]) on the server) instead of one statement per row.
#pragma once

#include <string>
#include <vector>

#include "pmc/sync/plan.hpp"

namespace pmc::sync {

// {"a","b\"c",NULL}: every element double-quoted with " and \ escaped, NULL for nullopt.
std::string text_array_literal(const std::vector<Value>& values);

}  // namespace pmc::sync
