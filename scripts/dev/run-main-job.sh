#!/usr/bin/env bash
# The main job, on an embedded default: installs what is missing, builds, audits this repository
# and a repository full of violations, then runs the deploy pipeline against a throwaway "prod"
# cluster in .state/pg the way CI runs it, and leaves that cluster running to look at.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
build=${PMC_BUILD_DIR:-$root/build}
state=$root/.state
cluster=$state/pg
harness=$root/tests/support/throwaway-pg.sh
migrations=$root/fixtures/prisma-app/prisma/migrations

section() { printf '\n== %s\n' "$*"; }

"$root/scripts/dev/install-deps.sh"
"$root/scripts/dev/build.sh"
mkdir -p "$state"
bin=$build/scripts
audit=$build/auditor/pmc-audit

section "1. pmc-audit on this repository (must be clean)"
"$audit" -p "$build" "$root"

section "1. pmc-audit on a repository of deliberate violations (every finding is expected)"
# Fixture repositories of deliberate violations (fixtures/audit), assembled into one repository.
violations=$("$root/scripts/dev/assemble-audit-fixture.sh" "$state/violations" \
  entry-points connections scripts)
status=0
"$audit" -p "$state/violations/build" "$violations" || status=$?
[[ $status -eq 1 ]] || { echo "run-main-job: expected findings (exit 1), got exit $status" >&2; exit 1; }

section "2. a throwaway PostgreSQL cluster in ${cluster#"$root"/}, and a database fingerprinted prod"
"$harness" start "$cluster" >/dev/null
# A fresh database each run, so the job shows a first deploy; earlier ones stay for comparison.
database=app_prod_$(date -u +%Y%m%d_%H%M%S)
url=$("$harness" createdb "$cluster" "$database")
CI=true "$bin/pmc-init-fingerprint" --database-url "$url" --env prod --apply

section "2. the same deploy pipeline outside CI: refused"
status=0
refusal=$(env -u CI PMC_BIN_DIR="$bin" "$root/scripts/deploy-pipeline.sh" --database-url "$url" \
  --expect-env prod --migrations "$migrations" --backup-dir "$state/backups" 2>&1) || status=$?
printf '%s\n' "$refusal"
[[ $status -ne 0 ]] || { echo "run-main-job: the pipeline ran outside CI" >&2; exit 1; }
grep -q 'CI' <<<"$refusal" || { echo "run-main-job: the refusal does not name the CI rule" >&2; exit 1; }

section "2. the deploy pipeline in CI: predeploy check, verified backup, resolve, deploy"
CI=true PMC_BIN_DIR=$bin PATH="$bin:$PATH" "$root/scripts/deploy-pipeline.sh" \
  --database-url "$url" --expect-env prod --migrations "$migrations" --backup-dir "$state/backups"

section "3. fingerprints"
# A prod fingerprint is refused outside CI even to this read-only check; CI sees it healthy.
CI=true "$bin/pmc-verify-fingerprints" --database-url "$url" --expect-env prod

cat <<DONE

The cluster keeps running: $url
Remove it with: tests/support/throwaway-pg.sh stop .state/pg
DONE
