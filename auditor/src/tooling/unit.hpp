// One translation unit to audit: a file and the command line that compiles it, and what parsing
// it gave. Plain data.
#pragma once

#include <string>
#include <vector>

#include "facts/facts.hpp"

namespace pmc::audit {

struct UnitCommand {
  std::string file;       // absolute path
  std::string directory;  // the command's working directory
  std::vector<std::string> arguments;  // argv, the compiler first
  bool interpolated = false;  // not listed in compile_commands.json: flags from the nearest file
};

struct UnitOutcome {
  bool compiled = false;
  UnitFacts facts;
  std::vector<std::string> inputs;  // every file the unit read (absolute)
  std::string diagnostics;          // the compiler's errors when it did not compile
};

}  // namespace pmc::audit
