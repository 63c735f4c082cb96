// The deploy pipeline script run as a real process with a controlled PATH.
#include "pipeline_support.hpp"

namespace pmc::test {

ProcessResult run_pipeline(const std::vector<std::string>& arguments, const Environment& extra) {
  Environment environment = clean_environment();
  environment["CI"] = "true";
  environment["PMC_BIN_DIR"] = PMC_BUILD_BIN_DIR;
  environment["PATH"] = std::string(PMC_PG_BINDIR) + ":/usr/bin:/bin";
  for (const auto& [name, value] : extra) environment[name] = value;
  std::vector<std::string> argv = {"/bin/bash",
                                   std::string(PMC_SOURCE_DIR) + "/scripts/deploy-pipeline.sh"};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  return run_process(argv, environment, "", std::chrono::minutes(5));
}

}  // namespace pmc::test
