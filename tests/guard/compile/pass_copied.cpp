// A pass is move-only: it cannot be copied into a second holder.
// expect-error: call to deleted constructor of 'const pmc::guard::CiPass'
#include "pmc/guard.hpp"

int main() {
  const pmc::guard::CiPass ci = pmc::guard::enforce_ci_only_execution();
  const pmc::guard::CiPass copy = ci;
  return 0;
}
