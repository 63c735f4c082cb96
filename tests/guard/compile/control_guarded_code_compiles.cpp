// Control: the guarded ways to open writing connections compile, so each failing snippet beside
// this one fails for the one thing it does differently.
// expect: compiles
#include <optional>
#include <utility>

#include "pmc/db.hpp"
#include "pmc/fingerprint_access.hpp"
#include "pmc/guard.hpp"

int main(int argc, char** argv) {
  const pmc::guard::CiPass ci = pmc::guard::enforce_ci_only_execution();
  pmc::db::ConnectOptions options;
  pmc::db::WritableConnection writable = pmc::db::connect_writable(options, ci);
  pmc::db::FingerprintInitConnection init = pmc::db::connect_for_fingerprint_init(options, ci);
  const std::optional<pmc::guard::CiPass> applying =
      pmc::guard::enforce_ci_only_when_applying(argc, argv);
  if (applying) pmc::db::WritableConnection other = pmc::db::connect_writable(options, *applying);
  pmc::guard::CiPass first = pmc::guard::enforce_ci_only_execution();
  pmc::guard::CiPass moved = std::move(first);  // moving a pass on is allowed
  pmc::db::ReadOnlyConnection reader = pmc::db::connect_read_only(options);  // reading needs none
  return 0;
}
