#!/usr/bin/env bash
# One replay test: the target's seed corpus made from fixtures/ now, then the crashes fuzzing
# found (fixtures/fuzz/<target>/, when any), through the target's replay binary.
#   replay.sh REPLAY_BINARY TARGET WORK_DIR
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
binary=$1 target=$2 work=$3
rm -rf "$work" && mkdir -p "$work"
"$root/fuzz/seeds.sh" "$target" "$work"
exec "$binary" "$work" "$root/fixtures/fuzz/$target"
