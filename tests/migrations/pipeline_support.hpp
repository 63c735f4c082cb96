// Runs scripts/deploy-pipeline.sh as CI would: the pmc programs of this build, PostgreSQL's
// client tools of the harness's server, CI=true.
#pragma once

#include <string>
#include <vector>

#include "process.hpp"

namespace pmc::test {

ProcessResult run_pipeline(const std::vector<std::string>& arguments,
                           const Environment& extra = {});

}  // namespace pmc::test
