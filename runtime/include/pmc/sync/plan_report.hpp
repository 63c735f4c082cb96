// The plan for people (a readable table) and for machines (JSON).
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "pmc/sync/plan.hpp"

namespace pmc::sync {

std::string plan_as_text(const Plan& plan);
// The same text written to `out` piece by piece, without holding all of it at once.
void write_plan_text(std::ostream& out, const Plan& plan);
nlohmann::json plan_as_json(const Plan& plan);

}  // namespace pmc::sync
