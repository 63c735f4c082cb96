#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test suite with ctest; then
# the same suites built with AddressSanitizer and UndefinedBehaviorSanitizer (build-asan/), less
# the self-audit, which the first run has done.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/dev/install-deps.sh"
"$root/scripts/dev/build.sh"
(cd "${PMC_BUILD_DIR:-$root/build}" && ctest --output-on-failure -j"${PMC_JOBS:-$(nproc)}" "$@")
"$root/scripts/dev/test-sanitized.sh" -E '^pmc_audit_self$' "$@"
