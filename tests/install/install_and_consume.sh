#!/bin/sh
# `cmake --install` of a strata build into a scratch prefix, then a separate CMake project that
# uses find_package(strata) and strata::strata (tests/install/consumer) is configured, built and
# run: its totals must equal the installed CLI's for the same config and workload.
# Usage: install_and_consume.sh BUILD_DIR SOURCE_DIR
set -eu
build=$1
src=$2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cmake --install "$build" --prefix "$tmp/prefix" > "$tmp/install.log"
test -f "$tmp/prefix/lib/cmake/strata/strataConfig.cmake"
test -f "$tmp/prefix/include/strata/sim/run/simulation.h"
cmake -S "$src/tests/install/consumer" -B "$tmp/consumer" -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_PREFIX_PATH="$tmp/prefix" > "$tmp/configure.log" || { cat "$tmp/configure.log"; exit 1; }
cmake --build "$tmp/consumer" -j 2 > "$tmp/build.log" 2>&1 || { tail -30 "$tmp/build.log"; exit 1; }
# The installed configs and tech tables, not the source tree's.
export STRATA_CONFIG_DIR="$tmp/prefix/share/strata/configs"
config="$STRATA_CONFIG_DIR/default.json"
library=$(SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1 "$tmp/consumer/strata_consumer" "$config" resnet18)
"$tmp/prefix/bin/strata" run -c "$config" -w resnet18 --out "$tmp/cli" -q
cli=$(python3 -c 'import json, sys; t = json.load(open(sys.argv[1]))["totals"]; print(json.dumps(t["cycles"]), json.dumps(t["energy_pj"]))' "$tmp/cli/report.json")
echo "library: $library; cli: $cli"
test "$library" = "$cli"
