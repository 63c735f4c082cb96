// Runs a program as a real subprocess with a controlled environment and standard input, and
// captures its exit status and output: how tests exercise pmc's binaries.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace pmc::test {

using Environment = std::map<std::string, std::string>;

struct ProcessResult {
  int exit_code = -1;  // -1 when killed by a signal (see signal)
  int signal = 0;
  bool timed_out = false;
  std::string out;
  std::string err;
};

// This process's environment without anything that steers pmc or libpq (CI, PMC_*, *DATABASE_URL,
// PG*), so each test states what it sets.
Environment clean_environment();

ProcessResult run_process(const std::vector<std::string>& argv, const Environment& environment,
                          const std::string& standard_input = "",
                          std::chrono::milliseconds timeout = std::chrono::seconds(120));

// Starts a process without waiting for it; returns its pid. Its output goes to `log_path`.
int spawn_detached(const std::vector<std::string>& argv, const Environment& environment,
                   const std::string& log_path);

// Path of a pmc binary in the build tree (pmc-deploy-db …).
std::string pmc_binary(const std::string& name);

}  // namespace pmc::test
