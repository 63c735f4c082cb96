// pmc-sync-dev-to-prod-services: removed. It only points at its replacement; it links nothing.
#include <cstdio>
#include <cstdlib>

int main() {
  std::fputs(
      "pmc-sync-dev-to-prod-services: removed; use pmc-sync-reference-data (--dry-run by "
      "default, --apply in CI) to promote reference data from dev to prod.\n",
      stderr);
  return EXIT_FAILURE;
}
