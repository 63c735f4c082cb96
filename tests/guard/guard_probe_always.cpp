// Test-only entry point: enforce_ci_only_execution() as the first statement, then one connection
// to DATABASE_URL, so that a test sees in the server's log whether a run got past the guard.
#include <cstdio>
#include <cstdlib>

#include "pmc/fingerprint_access.hpp"
#include "pmc/guard.hpp"

int main() {
  [[maybe_unused]] const pmc::guard::CiPass ci = pmc::guard::enforce_ci_only_execution();
  std::puts("guard passed: CI pass granted");
  std::fflush(stdout);
  pmc::db::ConnectOptions options;
  const char* url = std::getenv("DATABASE_URL");
  options.url = url != nullptr ? url : "";
  options.application_name = "pmc-guard-probe";
  try {
    std::printf("connected to database %s\n",
                pmc::db::inspect_fingerprint(options).current.database_name.c_str());
  } catch (const pmc::Failure& failure) {
    std::fprintf(stderr, "%s\n", failure.what());
    return 3;
  }
  return 0;
}
