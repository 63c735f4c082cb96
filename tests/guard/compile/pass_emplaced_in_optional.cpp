// std::optional cannot default-construct a pass in place: the library has no access either.
// expect-error: no matching member function for call to 'emplace'
#include <optional>

#include "pmc/guard.hpp"

int main() {
  std::optional<pmc::guard::CiPass> forged;
  forged.emplace();
  return 0;
}
