#!/usr/bin/env bash
# The deploy pipeline, and the one place its order is written (rules/contract.json "pipeline"):
# predeploy check -> backup (pg_dump -Fc, verified with pg_restore --list) -> resolve -> deploy.
# Stops at the first step that fails, naming it; nothing after that step runs.
#
#   scripts/deploy-pipeline.sh [--database-url URL] [--expect-env NAME] [--migrations DIR]
#                              [--backup-dir DIR] [--lock-timeout SECONDS]
#
# --database-url and --expect-env fall back to DATABASE_URL and PMC_EXPECTED_ENV, as in every
# pmc program; they reach the programs through those variables, so the URL stays out of their
# argument lists. The pmc programs are taken from $PMC_BIN_DIR when set, otherwise from PATH;
# pg_dump and pg_restore from PATH (their major version must be at least the server's). Each pmc
# program runs its own CI guard: this script decides nothing about where it runs.
set -euo pipefail

program=deploy-pipeline
migrations=prisma/migrations
backup_dir=backups
lock_timeout=10

usage() {
  echo "usage: deploy-pipeline.sh [--database-url URL] [--expect-env NAME] [--migrations DIR]" \
    "[--backup-dir DIR] [--lock-timeout SECONDS]"
}

usage_error() {
  echo "$program: error: $*" >&2
  usage >&2
  exit 2
}

while [[ $# -gt 0 ]]; do
  case "$1" in
    --database-url) [[ $# -ge 2 ]] || usage_error "--database-url needs a URL"; DATABASE_URL=$2; shift 2 ;;
    --database-url=*) DATABASE_URL=${1#*=}; shift ;;
    --expect-env) [[ $# -ge 2 ]] || usage_error "--expect-env needs a name"; PMC_EXPECTED_ENV=$2; shift 2 ;;
    --expect-env=*) PMC_EXPECTED_ENV=${1#*=}; shift ;;
    --migrations) [[ $# -ge 2 ]] || usage_error "--migrations needs a folder"; migrations=$2; shift 2 ;;
    --migrations=*) migrations=${1#*=}; shift ;;
    --backup-dir) [[ $# -ge 2 ]] || usage_error "--backup-dir needs a folder"; backup_dir=$2; shift 2 ;;
    --backup-dir=*) backup_dir=${1#*=}; shift ;;
    --lock-timeout) [[ $# -ge 2 ]] || usage_error "--lock-timeout needs seconds"; lock_timeout=$2; shift 2 ;;
    --lock-timeout=*) lock_timeout=${1#*=}; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage_error "unknown argument '$1'" ;;
  esac
done
[[ -n "${DATABASE_URL:-}" ]] || usage_error "no database: give --database-url or set DATABASE_URL"
[[ -n "${PMC_EXPECTED_ENV:-}" ]] || usage_error "no expected environment: give --expect-env or set PMC_EXPECTED_ENV"
[[ "$lock_timeout" =~ ^[0-9]+([.][0-9]+)?$ ]] || usage_error "--lock-timeout must be a number of seconds, got '$lock_timeout'"
export DATABASE_URL PMC_EXPECTED_ENV

pmc_program() {
  if [[ -n "${PMC_BIN_DIR:-}" ]]; then echo "$PMC_BIN_DIR/$1"; else echo "$1"; fi
}

# The URL for pg_dump, which is libpq's alone: Prisma's own parameters (README.md, "Database
# URLs") left out. The predeploy step has already checked them.
libpq_url() {
  local url=$1 part kept=()
  case "$url" in
    postgresql://*\?* | postgres://*\?*) ;;
    *) printf '%s\n' "$url"; return ;;
  esac
  local -a parts
  IFS='&' read -r -a parts <<<"${url#*\?}"
  for part in "${parts[@]}"; do
    case "${part%%=*}" in
      schema | socket_timeout | connection_limit | pool_timeout | statement_cache_size | \
        max_connection_lifetime | max_idle_connection_lifetime | pgbouncer | sslaccept) ;;
      *) kept+=("$part") ;;
    esac
  done
  local query
  query=$(IFS='&'; printf '%s' "${kept[*]}")
  printf '%s\n' "${url%%\?*}${query:+?$query}"
}

step_number=0
current_step=

begin() {
  step_number=$((step_number + 1))
  current_step=$1
  echo "$program: [$step_number/4] $1: $2"
}

stop() {
  local status=$1
  shift
  echo "$program: stopped at step '$current_step' (exit $status): $*; the steps after it did not run" >&2
  exit "$status"
}

# Runs one step's command; a failure stops the pipeline with the command's own exit status.
run_step() {
  local status=0
  command -v "$1" >/dev/null || stop 2 "$1 was not found (set PMC_BIN_DIR or PATH)"
  "$@" || status=$?
  [[ $status -eq 0 ]] || stop "$status" "$(basename "$1") failed"
}

begin predeploy "pmc-check-failed-migrations (is every failed migration resolvable?)"
run_step "$(pmc_program pmc-check-failed-migrations)" --migrations "$migrations"

begin backup "pg_dump -Fc, verified with pg_restore --list"
mkdir -p -- "$backup_dir" || stop 2 "cannot create the backup folder $backup_dir"
backup="$backup_dir/$PMC_EXPECTED_ENV-$(date -u +%Y%m%dT%H%M%SZ)-$$.dump"
run_step pg_dump --format=custom --file="$backup" --dbname="$(libpq_url "$DATABASE_URL")"
listing=$(pg_restore --list -- "$backup") || stop 1 "pg_restore --list cannot read the backup $backup"
# Every database pmc deploys to has its fingerprint: a dump without its data is not a backup.
grep -Eq '^[0-9]+; [0-9]+ [0-9]+ TABLE DATA public database_metadata ' <<<"$listing" ||
  stop 1 "the backup $backup has no data of public.database_metadata"
echo "$program: backup $backup ($(grep -c '^[0-9]' <<<"$listing") entries, $(wc -c <"$backup") bytes)"

begin resolve "pmc-resolve-applied-migrations"
run_step "$(pmc_program pmc-resolve-applied-migrations)" --migrations "$migrations" \
  --lock-timeout "$lock_timeout"

begin deploy "pmc-deploy-db"
run_step "$(pmc_program pmc-deploy-db)" --migrations "$migrations" --lock-timeout "$lock_timeout"

echo "$program: done: predeploy, backup, resolve, deploy"
