#!/usr/bin/env bash
# Configures (once) and builds pmc into build/ (or $PMC_BUILD_DIR) with clang-19 and Ninja.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${PMC_BUILD_DIR:-$root/build}

if [[ ! -f "$build/build.ninja" ]]; then
  mkdir -p "$build"
  cmake -S "$root" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE="${PMC_BUILD_TYPE:-Release}" \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DCMAKE_PREFIX_PATH=/usr/lib/llvm-19 >"$build/configure.log" 2>&1 \
    || { cat "$build/configure.log" >&2; rm -f "$build/build.ninja"; exit 1; }
fi
ln -sfn "$build/compile_commands.json" "$root/compile_commands.json"
# Ninja's progress lines are noise in logs; errors and warnings still show.
cmake --build "$build" -- -j"${PMC_JOBS:-$(nproc)}" | { grep -vE '^\[[0-9]+/[0-9]+\] ' || true; }
