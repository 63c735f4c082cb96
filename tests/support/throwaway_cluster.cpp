// Delegates every cluster operation to throwaway-pg.sh so that tests and the main job share one
// implementation of init, start, stale-cluster clean-up and stop.
#include "throwaway_cluster.hpp"

#include <unistd.h>

#include <cstdlib>
#include <memory>
#include <stdexcept>
#include <vector>

#include "process.hpp"

namespace pmc::test {

std::string run_harness_script(const std::vector<std::string>& arguments) {
  std::vector<std::string> argv = {"/bin/bash", PMC_THROWAWAY_PG_SCRIPT};
  argv.insert(argv.end(), arguments.begin(), arguments.end());
  ProcessResult result = run_process(argv, clean_environment(), "", std::chrono::seconds(120));
  if (result.exit_code != 0) {
    throw std::runtime_error("throwaway-pg.sh failed (exit " + std::to_string(result.exit_code) +
                             "): " + result.err);
  }
  std::string out = result.out;
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

ThrowawayCluster::ThrowawayCluster() {
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/pmc-pg-XXXXXX";
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed: " + pattern);
  dir_ = pattern;
  start();
}

ThrowawayCluster::~ThrowawayCluster() {
  try {
    run_harness_script({"stop", dir_.string(), "--immediate"});
  } catch (...) {
    // Nothing to do: the next start under the same parent reaps it (owner is gone).
  }
}

ThrowawayCluster& ThrowawayCluster::shared() {
  static std::unique_ptr<ThrowawayCluster> cluster = std::make_unique<ThrowawayCluster>();
  return *cluster;
}

void ThrowawayCluster::start() {
  run_harness_script({"start", dir_.string(), "--owner", std::to_string(getpid())});
}

void ThrowawayCluster::stop_immediately() { run_harness_script({"kill", dir_.string()}); }

void ThrowawayCluster::stop_fast() { run_harness_script({"kill", dir_.string(), "--fast"}); }

std::string ThrowawayCluster::url(const std::string& database) const {
  return run_harness_script({"url", dir_.string(), database});
}

std::string ThrowawayCluster::create_database(const std::string& name) {
  return run_harness_script({"createdb", dir_.string(), name});
}

std::string ThrowawayCluster::fresh_database(const std::string& prefix) {
  return create_database(prefix + "_" + std::to_string(++databases_made_));
}

}  // namespace pmc::test
