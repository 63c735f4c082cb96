// The plan for people (a readable table) and for machines (JSON).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "pmc/sync/plan.hpp"

namespace pmc::sync {

std::string plan_as_text(const Plan& plan);
nlohmann::json plan_as_json(const Plan& plan);

}  // namespace pmc::sync
