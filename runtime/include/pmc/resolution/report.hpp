// An assessment for people (text) and machines (JSON): per failed migration its decision, why, and
// for one that needs a person what exists, what is missing and what the catalog cannot show.
#pragma once

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>

#include "pmc/resolution/assessment.hpp"

namespace pmc::resolution {

std::string assessment_text(const Assessment& assessment);
nlohmann::json assessment_json(const Assessment& assessment);

// The assessment as the programs print it: the text, or the JSON on one line (invalid UTF-8 in
// logs replaced, not fatal).
void write_assessment(std::ostream& out, const Assessment& assessment, bool json);

}  // namespace pmc::resolution
