// A writable connection cannot be built around a session by hand: its constructor is private.
// expect-error: calling a private constructor of class 'pmc::db::WritableConnection'
#include "pmc/db.hpp"

int main() {
  pmc::db::WritableConnection writable{nullptr};
  return 0;
}
