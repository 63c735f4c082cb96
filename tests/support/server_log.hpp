// What a throwaway cluster's server logged from a point on. The clusters run with
// log_connections = on, so a test can show that a refused run opened no connection.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "throwaway_cluster.hpp"

namespace pmc::test {

class ServerLogWatch {
 public:
  explicit ServerLogWatch(const ThrowawayCluster& cluster);  // starts at the log's current end

  std::string new_text() const;  // everything logged since the watch started
  // The "connection received" / "connection authorized" lines logged since the watch started.
  std::vector<std::string> connection_lines() const;

 private:
  std::filesystem::path log_;
  std::uintmax_t start_;
};

}  // namespace pmc::test
