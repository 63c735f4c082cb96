#!/usr/bin/env bash
# Installs the Debian 12 packages pmc builds and tests with, only those that are missing.
# Silent when everything is already there.
set -euo pipefail

packages=(
  cmake ninja-build git
  clang-19 llvm-19-dev libclang-19-dev libclang-cpp19-dev clang-tidy-19 libclang-rt-19-dev
  libpq-dev postgresql-15 postgresql-client-15 libpg-query-dev acl
  nlohmann-json3-dev libre2-dev libssl-dev libcli11-dev libgtest-dev pkg-config
)
# The Prisma compatibility tests run the real Prisma CLI, which needs Node.js and npm; a machine
# that already has a node (another distribution of it) keeps its own.
command -v node >/dev/null && command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null || true)
  [[ "$status" == "installed" ]] || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: missing packages: ${missing[*]}; run this as root (or install them)" >&2
  exit 2
fi
echo "install-deps: installing ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >/dev/null
# The postgresql package's own cluster is not wanted: pmc starts throwaway clusters itself.
mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" >/etc/postgresql-common/createcluster.d/pmc-no-main-cluster.conf
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
