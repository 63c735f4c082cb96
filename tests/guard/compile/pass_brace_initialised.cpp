// CiPass is no aggregate: braces reach the same private constructor.
// expect-error: calling a private constructor of class 'pmc::guard::CiPass'
#include "pmc/db.hpp"

int main() {
  pmc::db::ConnectOptions options;
  pmc::db::WritableConnection writable = pmc::db::connect_writable(options, pmc::guard::CiPass{});
  return 0;
}
