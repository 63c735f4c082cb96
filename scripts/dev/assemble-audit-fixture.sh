#!/usr/bin/env bash
# Assembles fixture repositories of fixtures/audit into one git repository at DEST, the way
# tests/auditor does: the tiny runtime of common/, this repository's rules/contract.json (unless a
# fixture brings its own) and CONTRACT.md, the fixtures' files, and DEST/build/compile_commands.json.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
fixtures=$root/fixtures/audit

if [[ $# -lt 2 || $1 == -h || $1 == --help ]]; then
  echo "usage: assemble-audit-fixture.sh DEST FIXTURE... (folders of fixtures/audit)" >&2
  exit 2
fi
dest=$1
shift
for fixture in "$@"; do
  [[ -d $fixtures/$fixture && $fixture != common ]] ||
    { echo "assemble-audit-fixture: no fixture repository fixtures/audit/$fixture" >&2; exit 2; }
done

rm -rf -- "$dest"
mkdir -p -- "$dest/repo/rules" "$dest/build"
repo=$(cd "$dest/repo" && pwd)
cp -R "$fixtures/common/." "$repo/"
cp "$root/rules/contract.json" "$repo/rules/contract.json"
cp "$root/CONTRACT.md" "$repo/CONTRACT.md"
for fixture in "$@"; do cp -R "$fixtures/$fixture/." "$repo/"; done
git -C "$repo" init -q

# A file whose first line says `fixture: unlisted` stays out: pmc-audit must interpolate its flags.
{
  echo "["
  separator=
  while IFS= read -r -d '' file; do
    head -n1 -- "$file" | grep -q 'fixture: unlisted' && continue
    printf '%s  {"directory": "%s", "file": "%s", "arguments": ["clang++-19", "-std=c++20", "-I%s", "-I%s/runtime/include", "-I%s/runtime/include", "-isystem", "/usr/include/postgresql", "-c", "%s", "-o", "%s.o"]}' \
      "$separator" "$repo" "$file" "$repo" "$repo" "$root" "$file" "$file"
    separator=$',\n'
  done < <(find "$repo" -name .git -prune -o -name '*.cpp' -type f -print0 | sort -z)
  printf '\n]\n'
} >"$dest/build/compile_commands.json"
echo "$repo"
