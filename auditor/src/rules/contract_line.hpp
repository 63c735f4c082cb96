// Where in the contract file a rule reports something about the contract itself.
#pragma once

#include <string>

#include "report/finding.hpp"

namespace pmc::audit {

// The first line of `contract_file` holding `needle`, searched from the first line holding
// `after` (empty: from the top); the file's first line when there is none.
SourceLocation contract_line(const std::string& contract_file, const std::string& needle,
                             const std::string& after = {});

}  // namespace pmc::audit
