// Reading source lines on demand.
#include "report/source_lines.hpp"

#include <fstream>

namespace pmc::audit {

const std::string& SourceLines::line(const std::string& file, unsigned number) {
  auto [entry, inserted] = files_.try_emplace(file);
  if (inserted) {
    std::ifstream in(file, std::ios::binary);
    for (std::string text; std::getline(in, text);) {
      if (!text.empty() && text.back() == '\r') text.pop_back();
      entry->second.push_back(std::move(text));
    }
  }
  if (number == 0 || number > entry->second.size()) return none_;
  return entry->second[number - 1];
}

}  // namespace pmc::audit
