#!/usr/bin/env bash
# Writes a fuzz target's seed corpus, made from the repository's fixtures, into a folder:
#   fuzz/seeds.sh contract|sql_parser|migrations_folder OUT_DIR
# contract: rules/contract.json and every contract under fixtures/; sql_parser: every .sql file
# under fixtures/; migrations_folder: each migrations folder of fixtures/ packed in the target's
# input format (fuzz/migrations_folder_fuzzer.cpp), whole and one migration at a time.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
target=${1:?usage: seeds.sh TARGET OUT_DIR}
out=${2:?usage: seeds.sh TARGET OUT_DIR}
mkdir -p "$out"

seed() {  # copies a file into the corpus under a name that says where it came from
  local source=$1
  cp -- "$source" "$out/$(echo "${source#"$root"/}" | tr '/' '_')"
}

# One packed folder: the lock file's bytes, then 0x1E name 0x1F script per migration.
pack() {
  local folder=$1 output=$2
  shift 2
  {
    [[ -f "$folder/migration_lock.toml" ]] && cat "$folder/migration_lock.toml"
    for migration in "$@"; do
      printf '\x1e%s\x1f' "$migration"
      cat "$folder/$migration/migration.sql"
    done
  } >"$output"
}

case "$target" in
  contract)
    seed "$root/rules/contract.json"
    while IFS= read -r file; do seed "$file"; done < <(find "$root/fixtures" -name '*.json' | sort)
    ;;
  sql_parser)
    while IFS= read -r file; do seed "$file"; done < <(find "$root/fixtures" -name '*.sql' | sort)
    ;;
  migrations_folder)
    while IFS= read -r folder; do
      mapfile -t migrations < <(find "$folder" -mindepth 2 -maxdepth 2 -name migration.sql \
        -printf '%h\n' | xargs -n1 basename | sort)
      label=$(echo "${folder#"$root"/}" | tr '/' '_')
      pack "$folder" "$out/$label" "${migrations[@]:0:8}"
      for migration in "${migrations[@]}"; do pack "$folder" "$out/${label}_$migration" "$migration"; done
    done < <(find "$root/fixtures" -name migration.sql -printf '%h\n' | xargs -n1 dirname | sort -u)
    ;;
  *)
    echo "seeds.sh: unknown target '$target' (contract, sql_parser, migrations_folder)" >&2
    exit 2
    ;;
esac
