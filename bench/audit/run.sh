#!/usr/bin/env bash
# pmc-audit beside its baselines over the same units, in one run: clang-19 -fsyntax-only (one
# process per unit: the floor), pmc-audit --jobs 1 and --jobs 2 from a cold cache, pmc-audit
# again over the unchanged tree (warm cache), and clang-tidy-19 with one cheap check. The units
# are this repository's (a copy, less the contract's excluded paths) plus generated ones.
#
#   bench/audit/run.sh [GENERATED_UNITS]      (default 40; PMC_BUILD_DIR picks the build)
#
# Targets: --jobs 1 within 1.1x of the floor; --jobs 2 at least 1.8x faster than --jobs 1; the
# warm run at most 5% of the cold one, with identical findings. Prints wall and CPU seconds.
set -euo pipefail
exec python3 "$(dirname "$0")/bench.py" "$@"
