// The optional pass of enforce_ci_only_when_applying cannot be copied either.
// expect-error: call to implicitly-deleted copy constructor
#include <optional>

#include "pmc/guard.hpp"

int main(int argc, char** argv) {
  const std::optional<pmc::guard::CiPass> ci = pmc::guard::enforce_ci_only_when_applying(argc, argv);
  const std::optional<pmc::guard::CiPass> copy = ci;
  return 0;
}
