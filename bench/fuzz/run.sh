#!/usr/bin/env bash
# Runs each libFuzzer target of fuzz/ for a given time from its seed corpus (fuzz/seeds.sh) and
# prints, per target, the executions, the rate, the corpus it grew and the crashes it found.
# Exit 1 when any target crashed (its inputs are kept and named); copy each into
# fixtures/fuzz/<target>/ and tests/fuzz_replay replays it from then on.
#
#   bench/fuzz/run.sh [--build-dir DIR] [--seconds N] [--work-dir DIR] [--no-build] [TARGET…]
#
# Targets: contract, sql_parser, extractor, migrations_folder, sql_literal, compile_commands,
# text_scanner, shell (default: all). --build-dir defaults to build-fuzz/, configured with PMC_FUZZ=ON and built (the
# fuzz targets only) unless --no-build.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=$root/build-fuzz
seconds=60
work=
build_them=1
targets=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --build-dir) build=${2:?--build-dir needs a folder}; shift 2 ;;
    --seconds) seconds=${2:?--seconds needs a number}; shift 2 ;;
    --work-dir) work=${2:?--work-dir needs a folder}; shift 2 ;;
    --no-build) build_them=0; shift ;;
    -h|--help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    -*) echo "run.sh: unknown option '$1'" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]] || { echo "run.sh: --seconds must be a positive whole number" >&2; exit 2; }
[[ ${#targets[@]} -gt 0 ]] ||
  targets=(contract sql_parser extractor migrations_folder sql_literal compile_commands text_scanner shell)

if [[ $build_them -eq 1 && ! -f "$build/build.ninja" ]]; then
  mkdir -p "$build"
  cmake -S "$root" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPMC_FUZZ=ON \
    -DCMAKE_C_COMPILER=clang-19 -DCMAKE_CXX_COMPILER=clang++-19 \
    -DCMAKE_PREFIX_PATH=/usr/lib/llvm-19 >"$build/configure.log" 2>&1 \
    || { cat "$build/configure.log" >&2; rm -f "$build/build.ninja"; exit 1; }
fi
binaries=()
for target in "${targets[@]}"; do binaries+=("pmc-fuzz-$target"); done
if [[ $build_them -eq 1 ]]; then
  cmake --build "$build" --target "${binaries[@]}" -- -j"${PMC_JOBS:-1}" |
    { grep -vE '^\[[0-9]+/[0-9]+\] ' || true; }
fi

[[ -n "$work" ]] || work=$(mktemp -d "${TMPDIR:-/tmp}/pmc-fuzz-XXXXXX")
export ASAN_OPTIONS="detect_leaks=1:halt_on_error=1"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1"
export ASAN_SYMBOLIZER_PATH=/usr/lib/llvm-19/bin/llvm-symbolizer
# Third-party leaks pmc cannot free, each explained in the file.
export LSAN_OPTIONS="suppressions=$root/scripts/dev/lsan-suppressions.txt:print_suppressions=0"

printf '%-18s %8s %12s %10s %8s %8s\n' target seconds executions 'exec/s' corpus crashes
crashed=0
for target in "${targets[@]}"; do
  seeds=$work/$target/seeds corpus=$work/$target/corpus artifacts=$work/$target/artifacts
  # A reused work folder keeps its corpus; the crashes reported are this run's.
  rm -rf "$seeds" "$artifacts"
  mkdir -p "$seeds" "$corpus" "$artifacts"
  "$root/fuzz/seeds.sh" "$target" "$seeds"
  log=$work/$target/fuzz.log
  # New inputs go to the first folder (corpus), never into the seeds; crashes to artifacts.
  "$build/fuzz/pmc-fuzz-$target" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -print_final_stats=1 -artifact_prefix="$artifacts/" "$corpus" "$seeds" >"$log" 2>&1 || true
  executions=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  found=$(find "$artifacts" -type f | wc -l)
  printf '%-18s %8s %12s %10s %8s %8s\n' "$target" "$seconds" "${executions:-?}" "${rate:-?}" \
    "$(find "$corpus" -type f | wc -l)" "$found"
  if [[ "$found" -gt 0 || -z "$executions" ]]; then
    crashed=1
    echo "  $target: see $log" >&2
    grep -E '^(==[0-9]+==ERROR|SUMMARY|.*runtime error)' "$log" | head -n 5 | sed 's/^/  /' >&2 || true
    find "$artifacts" -type f | sed 's/^/  input: /' >&2
  fi
done
echo "work folder: $work"
exit "$crashed"
