// Code that skipped the guard has no pass, and connect_writable has no overload without one.
// expect-error: too few arguments to function call, expected 2, have 1
#include "pmc/db.hpp"

int main() {
  pmc::db::ConnectOptions options;
  pmc::db::WritableConnection writable = pmc::db::connect_writable(options);
  return 0;
}
