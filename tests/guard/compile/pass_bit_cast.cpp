// Bytes cannot be turned into a pass: CiPass is not trivially copyable.
// expect-error: no matching function for call to 'bit_cast'
#include <bit>

#include "pmc/guard.hpp"

int main() {
  const pmc::guard::CiPass forged = std::bit_cast<pmc::guard::CiPass>('x');
  return 0;
}
