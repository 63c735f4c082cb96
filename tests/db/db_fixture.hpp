// A fresh database fingerprinted `dev`, and connections to it the way entry points open them;
// the test process may claim to be CI (tests write only to their own throwaway clusters).
#pragma once

#include <cstdlib>
#include <string>

#include "pmc/db.hpp"
#include "pmc/fingerprint_access.hpp"
#include "pmc/guard.hpp"
#include "throwaway_cluster.hpp"

namespace pmc::test {

inline const guard::CiPass& test_ci_pass() {
  setenv("CI", "true", 1);
  static const guard::CiPass pass = guard::enforce_ci_only_execution();
  return pass;
}

inline db::ConnectOptions dev_options(const std::string& url) {
  db::ConnectOptions options;
  options.url = url;
  options.application_name = "pmc-db-test";
  options.expected_environment = "dev";
  options.connect_budget = std::chrono::seconds(10);
  return options;
}

// Creates the database `name` (or a fresh one) and writes its `dev` fingerprint.
inline std::string fingerprinted_dev_database(const std::string& url) {
  db::connect_for_fingerprint_init(dev_options(url), test_ci_pass()).write_first("dev");
  return url;
}

}  // namespace pmc::test
