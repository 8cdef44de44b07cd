#!/usr/bin/env bash
# Quick start, command 1: install what is missing, build Release, run the default example
# (ResNet-18 on configs/default.json) and print its per-inference report.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" "$root/build" Release
"$root/scripts/fetch_weights.sh"
cd "$root"
exec build/sim/strata run --config configs/default.json --workload resnet18 --out out/resnet18 "$@"
