// Test-only entry point: enforce_ci_only_when_applying(argc, argv) as the first statement, then
// one connection to DATABASE_URL, so that a test sees in the server's log whether a run got past
// the guard, and on stdout whether it holds a CI pass.
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "pmc/fingerprint_access.hpp"
#include "pmc/guard.hpp"

int main(int argc, char** argv) {
  const std::optional<pmc::guard::CiPass> ci =
      pmc::guard::enforce_ci_only_when_applying(argc, argv);
  std::puts(ci ? "guard passed: CI pass granted" : "guard passed: no CI pass (read-only run)");
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
