#!/usr/bin/env bash
# Writes a fuzz target's seed corpus, made from the repository's fixtures, into a folder:
#   fuzz/seeds.sh TARGET OUT_DIR
# TARGET: contract, sql_parser, extractor, migrations_folder, sql_literal, compile_commands,
# text_scanner or shell.
# contract: rules/contract.json and every contract under fixtures/; sql_parser and extractor:
# every .sql file under fixtures/; migrations_folder: each migrations folder of fixtures/ packed in
# the target's input format (fuzz/migrations_folder_fuzzer.cpp), whole and one migration at a
# time; sql_literal: the SQL string literals of the audit fixtures (fixtures/audit/), each
# statement kind the classifier tells apart, and every .sql file; compile_commands: a database for
# each audit fixture repository in both command forms, and the variants LibTooling reads;
# text_scanner: the files of fixtures/audit/ that are not C/C++ (the text rules' own fixtures),
# and this repository's scripts and CMake files; shell: the same files less CMake, each behind the
# byte that gives it its kind (fuzz/shell_fuzzer.cpp).
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
  sql_parser|extractor)
    while IFS= read -r file; do seed "$file"; done < <(find "$root/fixtures" -name '*.sql' | sort)
    ;;
  sql_literal)
    while IFS= read -r file; do seed "$file"; done < <(find "$root/fixtures" -name '*.sql' | sort)
    # String literals in the audit fixtures' C++ that start like SQL (seeds only: the classifier
    # itself reads SQL with PostgreSQL's parser).
    n=0
    while IFS= read -r literal; do
      printf '%s' "${literal:1:${#literal}-2}" >"$out/audit-literal-$((n += 1))"
    done < <(grep -rhoE '"[A-Z][A-Za-z_]* [^"]*"' "$root/fixtures/audit" --include='*.cpp' | sort -u)
    # One of each kind the classifier tells apart.
    n=0
    for literal in "SELECT 1" "SHOW search_path" "SET statement_timeout = 0" "RESET ALL" \
        "BEGIN; SELECT 1; COMMIT" "EXPLAIN SELECT * FROM t" "EXPLAIN ANALYZE DELETE FROM t" \
        "EXPLAIN (ANALYZE, BUFFERS) SELECT 1" "SELECT * INTO copy FROM t" \
        "WITH x AS (UPDATE t SET a = 1 RETURNING a) SELECT * FROM x" \
        "SELECT nextval('s'), pg_catalog.setval('s', 1)" "SELECT lo_unlink(1)" \
        "INSERT INTO t VALUES (1) ON CONFLICT DO NOTHING" "MERGE INTO t USING u ON t.a = u.a WHEN MATCHED THEN DELETE" \
        "COPY t FROM STDIN" "CALL p()" "TRUNCATE t" "DO \$\$BEGIN PERFORM 1; END\$\$" \
        "VACUUM t" "LOCK TABLE t" "NOTIFY c" "PQexec" "sh -c" "env LANG=C"; do
      printf '%s' "$literal" >"$out/kind-$((n += 1))"
    done
    ;;
  compile_commands)
    # One database per audit fixture repository, as tests/auditor writes it (arguments) and as
    # CMake does (command); paths under /nonexistent, which the reader never opens.
    while IFS= read -r fixture; do
      label=$(basename "$fixture")
      mapfile -t files < <(cd "$fixture" && find . -name '*.cpp' | sed 's|^\./||' | sort)
      {
        echo "["
        separator=
        for file in "${files[@]}"; do
          printf '%s  {"directory": "/nonexistent/%s", "file": "%s", "arguments": ["clang++-19", "-std=c++20", "-Iruntime/include", "-isystem", "/usr/include/postgresql", "-c", "%s", "-o", "%s.o"]}' \
            "$separator" "$label" "$file" "$file" "$file"
          separator=$',\n'
        done
        printf '\n]\n'
      } >"$out/audit-$label-arguments.json"
      {
        echo "["
        separator=
        for file in "${files[@]}"; do
          printf '%s  {"directory": "/nonexistent/%s/build", "command": "/usr/bin/clang++-19 -DNDEBUG -I/nonexistent/%s/runtime/include -O2 -std=c++20 -o %s.o -c /nonexistent/%s/%s", "file": "/nonexistent/%s/%s", "output": "%s.o"}' \
            "$separator" "$label" "$label" "$file" "$label" "$file" "$label" "$file" "$file"
          separator=$',\n'
        done
        printf '\n]\n'
      } >"$out/audit-$label-command.json"
    done < <(find "$root/fixtures/audit" -mindepth 1 -maxdepth 1 -type d ! -name common | sort)
    # The forms LibTooling also reads: quoting and escapes in commands, a response file, the MSVC
    # driver, a relative file, gcc, a header, and databases it refuses (none listed, not a list).
    printf '%s' '[{"directory": "/nonexistent", "command": "c++ -DNAME=\"a b\" '"'"'-I/x y'"'"' -c a.cpp", "file": "a.cpp"}]' >"$out/quoted.json"
    printf '%s' '[{"directory": "/nonexistent", "arguments": ["clang++", "@/nonexistent/flags.rsp", "-c", "b.cpp"], "file": "b.cpp"}]' >"$out/response-file.json"
    printf '%s' '[{"directory": "C:\\src", "command": "clang-cl.exe /nologo /EHsc /Fo:c.obj /c c.cpp", "file": "c.cpp"}]' >"$out/clang-cl.json"
    printf '%s' '[{"directory": "/nonexistent/d", "arguments": ["g++", "-x", "c++", "-std=gnu++17", "../src/d.cc"], "file": "../src/d.cc"}]' >"$out/relative-gcc.json"
    printf '%s' '[{"directory": "/nonexistent", "arguments": ["clang", "-c", "e.h"], "file": "e.h"}, {"directory": "/nonexistent", "arguments": ["clang++", "-c", "e.cpp"], "file": "e.cpp"}]' >"$out/header.json"
    printf '%s' '[]' >"$out/empty.json"
    printf '%s' '{"directory": "/nonexistent", "file": "f.cpp"}' >"$out/not-a-list.json"
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
  text_scanner)
    while IFS= read -r file; do seed "$file"; done < <(
      find "$root/fixtures/audit" -type f ! -name '*.cpp' ! -name '*.hpp' ! -name '*.h' | sort
      find "$root/scripts" "$root/.ci" -type f | sort
      find "$root" \( -name 'build*' -o -name '.git' -o -name node_modules \) -prune -o \
        -name CMakeLists.txt -type f -print | sort)
    ;;
  shell)
    while IFS= read -r file; do
      case "$file" in
        *.sh) kind=0 ;; */.github/*.yml) kind=1 ;; *.yml|*.yaml) kind=2 ;; */Makefile) kind=3 ;;
        */Dockerfile) kind=4 ;; */package.json) kind=5 ;; *) kind=6 ;;
      esac
      { printf "\\x0$kind"; cat -- "$file"; } >"$out/$(echo "${file#"$root"/}" | tr '/' '_')"
    done < <(
      find "$root/fixtures/audit" -type f ! -name '*.cpp' ! -name '*.hpp' ! -name '*.h' | sort
      find "$root/scripts" "$root/.ci" -type f | sort)
    ;;
  *)
    echo "seeds.sh: unknown target '$target' (contract, sql_parser, extractor," \
      "migrations_folder, sql_literal, compile_commands, text_scanner, shell)" >&2
    exit 2
    ;;
esac
