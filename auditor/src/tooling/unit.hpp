// One translation unit to audit: a file and the command line that compiles it. Plain data.
#pragma once

#include <string>
#include <vector>

namespace pmc::audit {

struct UnitCommand {
  std::string file;       // absolute path
  std::string directory;  // the command's working directory
  std::vector<std::string> arguments;  // argv, the compiler first
  bool interpolated = false;  // not listed in compile_commands.json: flags from the nearest file
};

}  // namespace pmc::audit
