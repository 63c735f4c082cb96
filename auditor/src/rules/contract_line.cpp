// Finds a line of the contract file.
#include "rules/contract_line.hpp"

#include <fstream>

namespace pmc::audit {

SourceLocation contract_line(const std::string& contract_file, const std::string& needle, const std::string& after) {
  std::ifstream in(contract_file);
  unsigned number = 0;
  bool started = after.empty();
  for (std::string line; std::getline(in, line);) {
    ++number;
    if (!started && line.find(after) != std::string::npos) started = true;
    if (started && line.find(needle) != std::string::npos) return {contract_file, number, 1};
  }
  return {contract_file, 1, 1};
}

}  // namespace pmc::audit
