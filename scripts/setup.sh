#!/usr/bin/env bash
# Installs strata's Debian dependencies if missing (idempotent, fast when present) and builds.
# Usage: scripts/setup.sh [build-dir] [build-type] [extra cmake args...]
# STRATA_SETUP_EXTRA: more Debian packages this build needs (e.g. "clang-14 libclang-rt-14-dev").
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-$root/build}"
build_type="${2:-Release}"
shift $(( $# > 2 ? 2 : $# ))

packages=(build-essential cmake pkg-config libsystemc-dev nlohmann-json3-dev
          libboost-program-options-dev libgtest-dev libbenchmark-dev parallel
          python3-matplotlib ${STRATA_SETUP_EXTRA:-})
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "strata setup: installing ${missing[*]}" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs="$(nproc 2>/dev/null || echo 2)"
cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" "$@" >/dev/null
log="$build_dir/build.log"
if ! cmake --build "$build_dir" -j"$jobs" >"$log" 2>&1; then
  cat "$log" >&2
  echo "strata setup: build failed (log: $log)" >&2
  exit 1
fi
