#!/usr/bin/env bash
# Installs strata's Debian dependencies if missing (idempotent, fast when present) and builds.
# Usage: scripts/setup.sh [build-dir] [build-type] [extra cmake args...]
# STRATA_SETUP_EXTRA: more Debian packages this build needs (e.g. "clang-14 libclang-rt-14-dev").
set -euo pipefail
# Physical paths: CMake's cache names the real source and build directories, whatever symlinks
# led here.
root="$(cd -P "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${1:-$root/build}"
mkdir -p "$build_dir"
build_dir="$(cd -P "$build_dir" && pwd)"
build_type="${2:-Release}"
shift $(( $# > 2 ? 2 : $# ))

packages=(build-essential cmake pkg-config libsystemc-dev nlohmann-json3-dev
          libboost-program-options-dev libgtest-dev libbenchmark-dev parallel
          python3-matplotlib libonnx-dev libprotobuf-dev python3-onnx libeigen3-dev
          libstb-dev python3-skimage pybind11-dev python3-dev python3-numpy python3-pandas
          python3-pytest python3-distributed slurm-wlm munge
          ${STRATA_SETUP_EXTRA:-})
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "strata setup: installing ${missing[*]} (Debian packages; a few minutes the first time)" >&2
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

jobs="$(nproc 2>/dev/null || echo 2)"
start=$SECONDS
echo "strata setup: configuring $build_type build in $build_dir" >&2
log="$build_dir/build.log"
if ! cmake -S "$root" -B "$build_dir" -DCMAKE_BUILD_TYPE="$build_type" "$@" >"$log" 2>&1; then
  cat "$log" >&2
  echo "strata setup: configure failed (log: $log)" >&2
  exit 1
fi
# Build progress from make's "[ NN%]" lines: rewritten in place on a terminal, a line per 10 %
# in a log; the full output goes to build.log (printed if the build fails).
tty=0
[ -t 2 ] && tty=1
if ! cmake --build "$build_dir" -j"$jobs" 2>&1 | tee -a "$log" | awk -v tty="$tty" '
    match($0, /^\[ *[0-9]+%\]/) {
      pct = substr($0, RSTART + 1, RLENGTH - 3) + 0
      if (tty) {
        printf "\rstrata setup: building %3d%%", pct > "/dev/stderr"; fflush("/dev/stderr")
      } else if (pct >= next_pct) {
        printf "strata setup: building %d%%\n", pct > "/dev/stderr"
        next_pct = pct - pct % 10 + 10
      }
    }
    END { if (tty) printf "\n" > "/dev/stderr" }'; then
  cat "$log" >&2
  echo "strata setup: build failed (log: $log)" >&2
  exit 1
fi
echo "strata setup: $build_dir is up to date ($((SECONDS - start)) s)" >&2
