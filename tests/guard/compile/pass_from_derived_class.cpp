// A derived class cannot mint passes: CiPass is final.
// expect-error: base 'CiPass' is marked 'final'
#include "pmc/guard.hpp"

struct Forged : pmc::guard::CiPass {
  Forged() {}
};

int main() {
  Forged forged;
  return 0;
}
