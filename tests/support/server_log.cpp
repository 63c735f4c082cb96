// Reads the tail of a throwaway cluster's server log.
#include "server_log.hpp"

#include <fstream>
#include <sstream>

namespace pmc::test {

ServerLogWatch::ServerLogWatch(const ThrowawayCluster& cluster)
    : log_(cluster.server_log()), start_(std::filesystem::file_size(cluster.server_log())) {}

std::string ServerLogWatch::new_text() const {
  std::ifstream in(log_, std::ios::binary);
  in.seekg(static_cast<std::streamoff>(start_));
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::vector<std::string> ServerLogWatch::connection_lines() const {
  std::istringstream lines(new_text());
  std::vector<std::string> out;
  for (std::string line; std::getline(lines, line);) {
    if (line.find("connection received") != std::string::npos ||
        line.find("connection authorized") != std::string::npos) {
      out.push_back(line);
    }
  }
  return out;
}

}  // namespace pmc::test
