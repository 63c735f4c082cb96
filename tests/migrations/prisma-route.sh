#!/usr/bin/env bash
# The real Prisma CLI, offline (shared/prisma-compat.md): prisma 6.19.3 through its JS schema
# engine and the pg driver adapter, installed once into an ignored folder.
#
#   prisma-route.sh install                         install if missing; silent when present
#   prisma-route.sh run MIGRATIONS_DIR ARGS…        run `prisma ARGS…` on DATABASE_URL
#
# The folder is $PMC_PRISMA_DIR, default <repo>/.state/prisma (ignored by git). Prisma 7 cannot
# run migrate commands without downloading a native engine; 6.19.3's JS engine needs none: the
# query engine library and the schema engine binary are stand-ins (the second only answers
# `can-connect-to-database`). This route keeps Prisma's bookkeeping SQL exactly but runs a
# script statement by statement, so it checks rows and status, never script atomicity.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${PMC_PRISMA_DIR:-$root/.state/prisma}
packages=(prisma@6.19.3 @prisma/adapter-pg@7.10.1 pg@8)
# Bump the suffix when write_support_files changes, so that older installs are redone.
stamp_text="${packages[*]} support-files-2"

die() { echo "prisma-route: $*" >&2; exit 2; }

installed() {
  [[ -f "$dir/.installed" && "$(cat "$dir/.installed")" == "$stamp_text" &&
     -f "$dir/node_modules/prisma/build/index.js" && -f "$dir/prisma.config.ts" &&
     -x "$dir/schema-engine-stand-in" && -f "$dir/unref-long-timers.cjs" ]]
}

write_support_files() {
  cat >"$dir/prisma.config.ts" <<'CONFIG'
// Written by tests/migrations/prisma-route.sh: Prisma's JS engine on the pg driver adapter, the
// schema and migrations folder named by the caller.
import { defineConfig } from 'prisma/config'
import { PrismaPg } from '@prisma/adapter-pg'

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: process.env.PMC_PRISMA_SCHEMA!,
  migrations: { path: process.env.PMC_PRISMA_MIGRATIONS! },
  async adapter() {
    // A short idle timeout: otherwise the pool keeps node alive for 10 s after each command.
    return new PrismaPg({ connectionString: process.env.DATABASE_URL, idleTimeoutMillis: 50 })
  },
})
CONFIG
  cat >"$dir/unref-long-timers.cjs" <<'PRELOAD'
// Written by tests/migrations/prisma-route.sh. Prisma 6.19's JS schema engine races the advisory
// lock against a 10 s timer that it never clears, so `migrate deploy` and `migrate resolve` sit
// idle for 10 s after their work. Long timers are unref'd: they still fire while the command
// waits on the database (a held lock still ends in P1002), but no longer keep node alive after.
const setTimeoutOfNode = globalThis.setTimeout;
globalThis.setTimeout = function (callback, delay, ...args) {
  const timer = setTimeoutOfNode(callback, delay, ...args);
  if (typeof delay === 'number' && delay >= 5000 && typeof timer?.unref === 'function') {
    timer.unref();
  }
  return timer;
};
PRELOAD
  : >"$dir/query-engine-stand-in.so"
  printf '#!/bin/sh\ncase "$*" in *can-connect-to-database*) exit 0 ;; esac\nexit 1\n' \
    >"$dir/schema-engine-stand-in"
  chmod +x "$dir/schema-engine-stand-in"
}

install() {
  mkdir -p "$dir"
  exec 9>"$dir/.install-lock"
  flock 9  # test processes may install at the same time
  if ! installed; then
    command -v node >/dev/null && command -v npm >/dev/null ||
      die "node and npm are needed for the Prisma CLI checks (Node.js 18.18 or later)"
    echo "prisma-route: installing ${packages[*]} into $dir" >&2
    rm -rf "$dir/node_modules" "$dir/package.json" "$dir/package-lock.json" "$dir/.installed"
    echo '{ "private": true }' >"$dir/package.json"
    # The stand-ins keep the packages' install scripts from downloading engines.
    write_support_files
    PRISMA_QUERY_ENGINE_LIBRARY="$dir/query-engine-stand-in.so" \
    PRISMA_SCHEMA_ENGINE_BINARY="$dir/schema-engine-stand-in" CHECKPOINT_DISABLE=1 \
      npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "${packages[@]}" \
      >"$dir/npm-install.log" 2>&1 || { cat "$dir/npm-install.log" >&2; die "npm install failed"; }
    echo "$stamp_text" >"$dir/.installed"
  fi
}

run() {
  [[ $# -ge 2 ]] || die "usage: prisma-route.sh run MIGRATIONS_DIR PRISMA_ARGS…"
  installed || die "the Prisma CLI is not installed; run: $0 install"
  [[ -n "${DATABASE_URL:-}" ]] || die "DATABASE_URL is not set"
  local migrations
  migrations=$(cd "$1" && pwd) || die "$1: no such migrations folder"
  shift
  PMC_PRISMA_SCHEMA="${PMC_PRISMA_SCHEMA:-$root/fixtures/prisma-app/prisma/schema.prisma}" \
  PMC_PRISMA_MIGRATIONS="$migrations" \
  PRISMA_QUERY_ENGINE_LIBRARY="$dir/query-engine-stand-in.so" \
  PRISMA_SCHEMA_ENGINE_BINARY="$dir/schema-engine-stand-in" CHECKPOINT_DISABLE=1 \
    exec node --require "$dir/unref-long-timers.cjs" "$dir/node_modules/prisma/build/index.js" \
      "$@" --config "$dir/prisma.config.ts"
}

command=${1:-}
[[ -n "$command" ]] || die "usage: prisma-route.sh install | run MIGRATIONS_DIR PRISMA_ARGS…"
shift
case "$command" in
  install) install ;;
  run) run "$@" ;;
  *) die "unknown command '$command' (install, run)" ;;
esac
