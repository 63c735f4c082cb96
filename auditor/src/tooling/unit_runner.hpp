// Runs the fact collector on one unit in this process (one call per thread at a time; each call
// builds its own compiler instance). The interface names no Clang type.
#pragma once

#include <string>
#include <vector>

#include "collect/collect_options.hpp"
#include "tooling/unit.hpp"

namespace pmc::audit {

UnitOutcome run_unit(const UnitCommand& unit, const CollectOptions& options);

// The command line run_unit gives the compiler (syntax only, builtin headers, GCC-only flags
// and precompiled headers removed).
std::vector<std::string> adjusted_arguments(const UnitCommand& unit);

// Names the compiler inside the collector, for cache keys.
std::string collector_identity();

}  // namespace pmc::audit
