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
# script statement by statement, so it checks rows and status, never script atomicity. A
# `?schema=` in DATABASE_URL is given to the adapter as Prisma's native engine uses it: the schema
# the engine works in, and the session's whole search_path from the connection's start.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${PMC_PRISMA_DIR:-$root/.state/prisma}
packages=(prisma@6.19.3 @prisma/adapter-pg@7.10.1 pg@8)
packages_stamp="${packages[*]}"
# Bump it when write_support_files changes, so that older installs get the new files.
support_stamp="support-files-3"

die() { echo "prisma-route: $*" >&2; exit 2; }

# Installs made before the support files had a stamp of their own end theirs with one.
packages_installed() {
  local stamp
  [[ -f "$dir/.installed" && -f "$dir/node_modules/prisma/build/index.js" ]] || return 1
  stamp=$(cat "$dir/.installed")
  [[ "${stamp% support-files-*}" == "$packages_stamp" ]]
}

support_files_written() {
  [[ -f "$dir/.support-files" && "$(cat "$dir/.support-files")" == "$support_stamp" &&
     -f "$dir/prisma.config.ts" && -x "$dir/schema-engine-stand-in" &&
     -f "$dir/unref-long-timers.cjs" ]]
}

installed() { packages_installed && support_files_written; }

# Each file is written beside its place and renamed into it: a command running meanwhile reads
# the old file or the new one, never half of one.
write_support_files() {
  cat >"$dir/prisma.config.ts.new" <<'CONFIG'
// Written by tests/migrations/prisma-route.sh: Prisma's JS engine on the pg driver adapter, the
// schema and migrations folder named by the caller.
import { defineConfig } from 'prisma/config'
import { PrismaPg } from '@prisma/adapter-pg'

// Prisma's native engine takes `?schema=` out of the URL and sends the quoted name as the
// session's search_path when it connects; the adapter is told the schema, and the pool's
// connections start with that search_path (`options`, escaped as the server splits it).
function connection(url: string) {
  const parsed = new URL(url)
  const schema = parsed.searchParams.get('schema')
  if (schema === null) return { config: { connectionString: url }, schema: undefined }
  parsed.searchParams.delete('schema')
  const quoted = '"' + schema.replace(/"/g, '""') + '"'
  const options = '-c search_path=' + quoted.replace(/[\\\s]/g, (c) => '\\' + c)
  return { config: { connectionString: parsed.toString(), options }, schema }
}

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: process.env.PMC_PRISMA_SCHEMA!,
  migrations: { path: process.env.PMC_PRISMA_MIGRATIONS! },
  async adapter() {
    const { config, schema } = connection(process.env.DATABASE_URL!)
    // A short idle timeout: otherwise the pool keeps node alive for 10 s after each command.
    return new PrismaPg({ ...config, idleTimeoutMillis: 50 }, schema === undefined ? undefined : { schema })
  },
})
CONFIG
  mv "$dir/prisma.config.ts.new" "$dir/prisma.config.ts"
  cat >"$dir/unref-long-timers.cjs.new" <<'PRELOAD'
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
  mv "$dir/unref-long-timers.cjs.new" "$dir/unref-long-timers.cjs"
  : >"$dir/query-engine-stand-in.so"
  printf '#!/bin/sh\ncase "$*" in *can-connect-to-database*) exit 0 ;; esac\nexit 1\n' \
    >"$dir/schema-engine-stand-in.new"
  chmod +x "$dir/schema-engine-stand-in.new"
  mv "$dir/schema-engine-stand-in.new" "$dir/schema-engine-stand-in"
  echo "$support_stamp" >"$dir/.support-files"
}

install() {
  mkdir -p "$dir"
  exec 9>"$dir/.install-lock"
  flock 9  # test processes may install at the same time
  # The stand-ins keep the packages' install scripts from downloading engines: written first.
  support_files_written || write_support_files
  if ! packages_installed; then
    command -v node >/dev/null && command -v npm >/dev/null ||
      die "node and npm are needed for the Prisma CLI checks (Node.js 18.18 or later)"
    echo "prisma-route: installing ${packages[*]} into $dir" >&2
    rm -rf "$dir/node_modules" "$dir/package.json" "$dir/package-lock.json" "$dir/.installed"
    echo '{ "private": true }' >"$dir/package.json"
    PRISMA_QUERY_ENGINE_LIBRARY="$dir/query-engine-stand-in.so" \
    PRISMA_SCHEMA_ENGINE_BINARY="$dir/schema-engine-stand-in" CHECKPOINT_DISABLE=1 \
      npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "${packages[@]}" \
      >"$dir/npm-install.log" 2>&1 || { cat "$dir/npm-install.log" >&2; die "npm install failed"; }
    echo "$packages_stamp" >"$dir/.installed"
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
