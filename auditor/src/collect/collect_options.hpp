// What the fact collector needs from the contract: the names of the sinks. Plain data, so the
// runner's callers never see a Clang header.
#pragma once

#include <string>
#include <vector>

namespace pmc::audit {

struct CollectOptions {
  std::vector<std::string> sql_functions;         // qualified names: PQexec, pqxx::…::exec
  std::vector<std::string> connection_functions;  // constructors as ns::Class::Class
  std::vector<std::string> spawn_functions;
  std::vector<std::string> dynamic_lookup_functions;
};

}  // namespace pmc::audit
