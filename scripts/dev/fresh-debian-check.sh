#!/usr/bin/env bash
# Times the README's two commands on a fresh Debian 12: debootstrap a minimal bookworm into
# ROOTFS (outside this repository), clone this repository's HEAD into it, run
# scripts/dev/run-main-job.sh and scripts/dev/test.sh there twice (fresh, then warm), and print
# each time with the load average. Needs root and apt's mirror; takes an hour or more.
#   scripts/dev/fresh-debian-check.sh ROOTFS
set -uo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
[[ $# -eq 1 && $1 != -h && $1 != --help ]] || { echo "usage: fresh-debian-check.sh ROOTFS" >&2; exit 2; }
[[ $(id -u) -eq 0 ]] || { echo "fresh-debian-check: run as root (debootstrap, chroot)" >&2; exit 2; }
rootfs=$(realpath -m "$1")
[[ $rootfs != "$repo"* ]] || { echo "fresh-debian-check: ROOTFS must lie outside the repository" >&2; exit 2; }

command -v debootstrap >/dev/null || apt-get install -y -qq debootstrap >/dev/null
if [[ ! -x $rootfs/bin/bash ]]; then
  debootstrap --variant=minbase --include=ca-certificates,git bookworm "$rootfs" \
    http://deb.debian.org/debian >"$rootfs.debootstrap.log" 2>&1 ||
    { echo "fresh-debian-check: debootstrap failed, see $rootfs.debootstrap.log" >&2; exit 1; }
fi
cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
# The machine's own trust (a TLS-inspecting egress proxy's CA, say): a machine of this kind has
# it, and npm reaches its registry only through it.
if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
  mkdir -p "$rootfs/usr/local/share/ca-certificates"
  cp /usr/local/share/ca-certificates/*.crt "$rootfs/usr/local/share/ca-certificates/"
  chroot "$rootfs" update-ca-certificates >/dev/null 2>&1
fi
unmount_all() { for m in dev/pts dev/shm dev sys proc; do umount "$rootfs/$m" 2>/dev/null; done; }
trap unmount_all EXIT
for m in proc sys dev dev/shm dev/pts; do mountpoint -q "$rootfs/$m" || mount --bind "/$m" "$rootfs/$m"; done
rm -rf "$rootfs/root/pmc"
git clone -q "$repo" "$rootfs/root/pmc"

timed() {
  local name=$1 command=$2 start status
  start=$(date +%s)
  chroot "$rootfs" /usr/bin/env -i HOME=/root LANG=C.UTF-8 \
    PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
    ${NODE_EXTRA_CA_CERTS:+NODE_EXTRA_CA_CERTS=$NODE_EXTRA_CA_CERTS} \
    bash -c "cd /root/pmc && $command" >"$rootfs.$name.log" 2>&1
  status=$?
  printf '%-12s exit %d  %5d s  load %s  (%s)\n' "$name" "$status" "$(($(date +%s) - start))" \
    "$(cut -d' ' -f1 /proc/loadavg)" "$rootfs.$name.log"
}
echo "commit $(git -C "$rootfs/root/pmc" log --oneline -1)"
timed main-fresh scripts/dev/run-main-job.sh
timed test-fresh scripts/dev/test.sh
timed main-warm scripts/dev/run-main-job.sh
timed test-warm scripts/dev/test.sh
