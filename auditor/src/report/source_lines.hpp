// Lines of source files for diagnostics, each file read once.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace pmc::audit {

class SourceLines {
 public:
  // The 1-based line without its newline; empty when the file or line does not exist.
  const std::string& line(const std::string& file, unsigned number);

 private:
  std::map<std::string, std::vector<std::string>> files_;
  std::string none_;
};

}  // namespace pmc::audit
