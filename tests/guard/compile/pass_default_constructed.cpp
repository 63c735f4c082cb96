// Only the guard can make a pass: its constructor is private.
// expect-error: calling a private constructor of class 'pmc::guard::CiPass'
#include "pmc/db.hpp"

int main() {
  pmc::guard::CiPass forged;
  pmc::db::ConnectOptions options;
  pmc::db::WritableConnection writable = pmc::db::connect_writable(options, forged);
  return 0;
}
