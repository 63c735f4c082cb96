// The fingerprint-writing connection needs the pass as well.
// expect-error: too few arguments to function call, expected 2, have 1
#include "pmc/fingerprint_access.hpp"

int main() {
  pmc::db::ConnectOptions options;
  pmc::db::FingerprintInitConnection init = pmc::db::connect_for_fingerprint_init(options);
  return 0;
}
