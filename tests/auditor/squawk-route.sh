#!/usr/bin/env bash
# squawk (squawk-cli from npm, a PostgreSQL migration linter), offline once installed into an
# ignored folder, for the comparison of pmc-audit's migrations rule with its prefer-robust-stmts.
#
#   squawk-route.sh install        install if missing; silent when present
#   squawk-route.sh run FILE…      squawk --reporter json FILE… (its exit status ignored)
#
# The folder is $PMC_SQUAWK_DIR, default <repo>/.state/squawk (ignored by git).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${PMC_SQUAWK_DIR:-$root/.state/squawk}
package=squawk-cli@2.66.0

die() { echo "squawk-route: $*" >&2; exit 2; }

install() {
  [[ -f "$dir/.installed" && "$(cat "$dir/.installed")" == "$package" && -x "$dir/node_modules/.bin/squawk" ]] && return
  command -v npm >/dev/null || die "npm is needed for the squawk comparison"
  mkdir -p "$dir"
  npm install --prefix "$dir" --no-audit --no-fund --loglevel=error "$package" >"$dir/npm-install.log" 2>&1 ||
    { cat "$dir/npm-install.log" >&2; die "npm install $package failed"; }
  echo "$package" >"$dir/.installed"
}

case "${1:-}" in
  install) install ;;
  run)
    shift
    install
    "$dir/node_modules/.bin/squawk" --reporter json "$@" || true
    ;;
  *) die "usage: squawk-route.sh install | run FILE…" ;;
esac
