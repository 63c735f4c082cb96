#!/usr/bin/env bash
# pmc-audit's text-rule pass (--rules bypass-text) beside ripgrep with the same patterns, in one
# run, over a generated tree of CI YAML, shell, CMake, Dockerfile, .env, Makefile and JSON files
# (default 200 MB, a few bypass matches in it) plus a copy of this repository. Prints wall and CPU
# seconds of each and the ratio. Target: pmc-audit at least as fast as ripgrep.
#
#   bench/audit-text/run.sh [MEGABYTES]      (default 200; PMC_BUILD_DIR picks the build)
set -euo pipefail
if ! command -v rg >/dev/null; then
  echo "audit-text bench: ripgrep (rg) is not installed; install it (apt-get install -y ripgrep) to compare" >&2
  exit 2
fi
exec python3 "$(dirname "$0")/bench.py" "$@"
