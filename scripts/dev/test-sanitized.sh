#!/usr/bin/env bash
# The whole test suite under AddressSanitizer and UndefinedBehaviorSanitizer: configures
# build-asan/ (or $PMC_ASAN_BUILD_DIR) once with PMC_SANITIZE=ON and PMC_FUZZ=ON, builds it, and
# runs ctest there, which also runs each fuzz target for a few seconds (fuzz_<target>_short).
# Every program a test starts is instrumented too; any finding aborts it, so the test fails.
#   scripts/dev/test-sanitized.sh [ctest arguments…]      PMC_JOBS sets the parallelism
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${PMC_ASAN_BUILD_DIR:-$root/build-asan}
jobs=${PMC_JOBS:-$(nproc)}

"$root/scripts/dev/install-deps.sh"
# PMC_FUZZ: the same instrumentation plus libFuzzer's coverage, so one build holds both.
configured() {
  [[ -f "$build/build.ninja" ]] && grep -q '^PMC_FUZZ:BOOL=ON' "$build/CMakeCache.txt" &&
    grep -q '^PMC_SANITIZE:BOOL=ON' "$build/CMakeCache.txt" &&
    grep -q '^CMAKE_CXX_COMPILER:[A-Z]*=.*clang++-19$' "$build/CMakeCache.txt"
}
if ! configured; then
  # A cache made for another compiler or options: CMake would keep parts of it.
  mkdir -p "$build"
  rm -rf "$build/CMakeCache.txt" "$build/CMakeFiles"
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPMC_SANITIZE=ON \
    -DPMC_FUZZ=ON -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DCMAKE_PREFIX_PATH=/usr/lib/llvm-19 >"$build/configure.log" 2>&1 \
    || { cat "$build/configure.log" >&2; rm -f "$build/build.ninja"; exit 1; }
fi
# Ninja's progress lines are noise in logs; errors and warnings still show.
cmake --build "$build" -- -j"$jobs" | { grep -vE '^\[[0-9]+/[0-9]+\] ' || true; }

# Leaks count as findings; reports name the source line (llvm-symbolizer from clang-19).
export ASAN_OPTIONS="detect_leaks=1:detect_stack_use_after_return=1:check_initialization_order=1:strict_init_order=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-19/bin/llvm-symbolizer
# Third-party leaks pmc cannot free, each explained in the file.
export LSAN_OPTIONS="suppressions=$root/scripts/dev/lsan-suppressions.txt:print_suppressions=0"
cd "$build"
ctest --output-on-failure -j"$jobs" "$@"
