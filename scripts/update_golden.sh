#!/usr/bin/env bash
# Renews the golden report after an intended change of the model. Review the diff before committing.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
tmp="$(mktemp -d)"
build/sim/strata run --config configs/default.json --workload resnet18 --out "$tmp" -q
cp "$tmp/report.json" tests/regression/golden/resnet18_default.report.json
rm -rf "$tmp"
git --no-pager diff --stat -- tests/regression/golden/
