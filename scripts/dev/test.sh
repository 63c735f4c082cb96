#!/usr/bin/env bash
# The test command: installs what is missing, builds, and runs every test suite with ctest.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
"$root/scripts/dev/install-deps.sh"
"$root/scripts/dev/build.sh"
cd "${PMC_BUILD_DIR:-$root/build}"
ctest --output-on-failure -j"${PMC_JOBS:-$(nproc)}" "$@"
