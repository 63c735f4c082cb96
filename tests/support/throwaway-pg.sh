#!/usr/bin/env bash
# A throwaway PostgreSQL cluster: initdb into a directory, listen on a unix socket inside it only
# (no TCP), create databases on request, print connection URLs, stop and remove it.
#
#   throwaway-pg.sh start DIR [--owner PID]   init if needed, start, print the server's base URL
#   throwaway-pg.sh createdb DIR NAME         create database NAME, print its URL
#   throwaway-pg.sh url DIR [NAME]            print the URL of database NAME (default postgres)
#   throwaway-pg.sh stop DIR [--immediate]    stop the server and remove DIR
#   throwaway-pg.sh kill DIR [--fast]         stop the server (immediate, or fast), keep DIR (tests)
#   throwaway-pg.sh reap [PARENT]             remove clusters under PARENT whose owner died
#
# With --owner PID the cluster belongs to that process: once it is gone, the next `start` or
# `reap` under the same parent stops and removes the cluster (a killed test run leaves no server
# behind for long). Without an owner the cluster lives until `stop` (the repo's .state/pg).
# fsync is off (a throwaway cluster survives process crashes, not power loss); commits stay
# synchronous so that a crashed server keeps what was committed, as fault-injection tests expect.
# When run as root the server runs as the unprivileged `postgres` user (initdb refuses root).
set -euo pipefail

die() { echo "throwaway-pg: $*" >&2; exit 2; }

pg_bindir() {
  if [[ -n "${PMC_PG_BINDIR:-}" ]]; then echo "$PMC_PG_BINDIR"; return; fi
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [[ -x "$dir/initdb" ]] || die "no PostgreSQL server binaries found (install postgresql-15)"
  echo "$dir"
}
BIN=$(pg_bindir)

as_server_user() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# /proc start time of a pid, so that a recycled pid is not mistaken for the owner.
start_time_of() { awk '{print $22}' "/proc/$1/stat" 2>/dev/null || true; }

owner_alive() {
  local dir=$1
  [[ -f "$dir/owner" ]] || return 0
  local pid started
  read -r pid started <"$dir/owner"
  [[ -n "$pid" && "$(start_time_of "$pid")" == "$started" ]]
}

server_running() { as_server_user "$BIN/pg_ctl" status -D "$1/data" >/dev/null 2>&1; }

url_for() {
  local dir=$1 db=${2:-postgres}
  printf 'postgresql:///%s?host=%s&user=postgres\n' "$db" "$dir"
}

postmaster_pid() { head -n 1 "$1/data/postmaster.pid" 2>/dev/null || true; }

stop_server() {
  local dir=$1 mode=$2 pid
  pid=$(postmaster_pid "$dir")
  as_server_user "$BIN/pg_ctl" stop -D "$dir/data" -m "$mode" -w >/dev/null 2>&1 || true
  # pg_ctl returns once the pid file is gone; the postmaster may still be exiting.
  for _ in $(seq 100); do
    [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 0
    sleep 0.05
  done
}

remove_cluster() {
  local dir=$1 mode=${2:-fast}
  [[ -d "$dir/data" ]] && server_running "$dir" && stop_server "$dir" "$mode"
  rm -rf "$dir"
}

reap() {
  local parent=$1 dir
  for dir in "$parent"/pmc-pg-*; do
    [[ -d "$dir" && -f "$dir/owner" ]] || continue
    owner_alive "$dir" || remove_cluster "$dir" immediate
  done
}

# As root the server runs as `postgres`, which must be able to pass through every folder above the
# cluster (a clone under /root is not reachable). Grant exactly that, search permission for that
# one user through an ACL, and say so.
let_server_user_reach() {
  local path=$1 ancestors=()
  while [[ "$path" != / ]]; do
    path=$(dirname "$path")
    ancestors=("$path" "${ancestors[@]}")
  done
  for path in "${ancestors[@]}"; do
    runuser -u postgres -- test -x "$path" && continue
    command -v setfacl >/dev/null || die "the postgres user cannot reach $path; install acl or move the clone"
    setfacl -m u:postgres:x "$path" || die "cannot let the postgres user pass through $path"
    echo "throwaway-pg: gave the postgres user search permission on $path (ACL)" >&2
  done
}

start() {
  local dir=$1 owner=${2:-}
  [[ ${#dir} -le 90 ]] || die "$dir: path too long for a unix socket (at most 90 characters)"
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  reap "$(dirname "$dir")"
  mkdir -p "$dir"

  # A cluster left by a killed run (its owner is gone) is cleared. A server that died while its
  # owner lives is only restarted on its data: tests of crashes rely on that.
  if [[ -d "$dir/data" ]] && ! owner_alive "$dir"; then
    echo "throwaway-pg: clearing stale cluster in $dir" >&2
    remove_cluster "$dir" immediate
    mkdir -p "$dir"
  fi
  if [[ -n "$owner" ]]; then
    echo "$owner $(start_time_of "$owner")" >"$dir/owner"
  fi

  if [[ ! -d "$dir/data" ]]; then
    [[ $(id -u) -eq 0 ]] && { let_server_user_reach "$dir"; chown postgres: "$dir"; }
    as_server_user "$BIN/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 || die "initdb failed, see $dir/initdb.log"
    cat >>"$dir/data/postgresql.conf" <<CONF
listen_addresses = ''
unix_socket_directories = '$dir'
fsync = off
log_connections = on
log_destination = 'stderr'
max_connections = 100
CONF
  fi
  if ! server_running "$dir"; then
    as_server_user "$BIN/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 >/dev/null \
      || die "the server did not start, see $dir/server.log"
  fi
  url_for "$dir"
}

createdb() {
  local dir=$1 name=$2
  server_running "$dir" || die "$dir: no server running"
  "$BIN/createdb" -h "$dir" -U postgres -- "$name" || die "cannot create database $name"
  url_for "$dir" "$name"
}

cmd=${1:-}
[[ -n "$cmd" ]] || die "usage: throwaway-pg.sh start|createdb|url|stop|kill|reap DIR …"
shift
case "$cmd" in
  start)
    [[ $# -ge 1 ]] || die "usage: throwaway-pg.sh start DIR [--owner PID]"
    dir=$1 owner=
    if [[ "${2:-}" == "--owner" ]]; then owner=${3:?--owner needs a pid}; fi
    start "$dir" "$owner"
    ;;
  createdb) [[ $# -eq 2 ]] || die "usage: throwaway-pg.sh createdb DIR NAME"; createdb "$1" "$2" ;;
  url) [[ $# -ge 1 ]] || die "usage: throwaway-pg.sh url DIR [NAME]"; url_for "$(cd "$1" && pwd)" "${2:-}" ;;
  stop)
    [[ $# -ge 1 ]] || die "usage: throwaway-pg.sh stop DIR [--immediate]"
    mode=fast; [[ "${2:-}" == "--immediate" ]] && mode=immediate
    remove_cluster "$1" "$mode"
    ;;
  kill)
    [[ $# -eq 1 || ( $# -eq 2 && "$2" == "--fast" ) ]] || die "usage: throwaway-pg.sh kill DIR [--fast]"
    mode=immediate; [[ "${2:-}" == "--fast" ]] && mode=fast
    stop_server "$1" "$mode"
    ;;
  reap) reap "${1:-${TMPDIR:-/tmp}}" ;;
  *) die "unknown command '$cmd' (start, createdb, url, stop, kill, reap)" ;;
esac
