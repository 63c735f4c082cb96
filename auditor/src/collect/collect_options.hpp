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
  std::vector<std::string> bypass_name_patterns;  // the contract's bypass patterns: only names
  std::vector<std::string> bypass_flag_patterns;  // and options that match them are kept
  std::vector<std::string> runtime_sql_functions;  // the runtime's SQL-taking functions
  std::vector<std::string> sql_builders;           // every category's builders (classes, functions)
};

}  // namespace pmc::audit
