// A home-made guard in the guard's namespace is no friend of CiPass, so it cannot make one.
// expect-error: calling a private constructor of class 'pmc::guard::CiPass'
#include "pmc/guard.hpp"

namespace pmc::guard {
CiPass enforce_ci_only_execution(int) { return CiPass(); }
}  // namespace pmc::guard

int main() {
  const pmc::guard::CiPass forged = pmc::guard::enforce_ci_only_execution(0);
  return 0;
}
