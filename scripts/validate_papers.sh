#!/usr/bin/env bash
# Regenerates the paper-comparison tables of docs/validation.md (S2TA, ANT, ANT x DBB): builds if
# needed, then runs `strata compare` for each table. Takes a few minutes on 2 cores.
# Usage: scripts/validate_papers.sh [--jobs N]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$root/scripts/setup.sh" "$root/build" Release
"$root/scripts/fetch_weights.sh"
cd "$root"
strata=build/sim/strata
cnns=alexnet,vgg16,resnet50,mobilenet_v1,resnet18,resnet34_face
# The papers compare arrays: every table runs the array alone, as docs/validation.md's do (the
# work between the GEMMs is a section of its own there).
array_only=(-s vector.enabled=false)

echo "## S2TA-W and S2TA-AW vs SA-ZVCG (16 nm, iso-MAC)"
echo "validate_papers: table 1 of 5: S2TA-W and S2TA-AW vs SA-ZVCG (16 nm, iso-MAC)" >&2
"$strata" compare "${array_only[@]}" "$@" -b configs/sa_zvcg_16nm.json -c configs/s2ta_w_16nm.json \
  -c configs/s2ta_aw_16nm.json -w "$cnns"
echo
echo "## ANT-OS / ANT-WS vs BitFusion, mixed int4-8 (28 nm, the ANT setup)"
echo "validate_papers: table 2 of 5: ANT-OS / ANT-WS vs BitFusion, mixed int4-8 (28 nm, the ANT setup)" >&2
"$strata" compare "${array_only[@]}" "$@" -b configs/bitfusion_28nm.json -c configs/ant_os_28nm.json \
  -c configs/ant_ws_28nm.json -w resnet18,resnet50,vgg16,bert_base:seq_len=128,mobilenet_v1,resnet34_face
echo
echo "## ANT-OS / ANT-WS vs BitFusion, all int8 (28 nm, the ANT setup)"
echo "validate_papers: table 3 of 5: ANT-OS / ANT-WS vs BitFusion, all int8 (28 nm, the ANT setup)" >&2
"$strata" compare "${array_only[@]}" "$@" -b configs/bitfusion_int8_28nm.json -c configs/ant_os_28nm.json \
  -c configs/ant_ws_28nm.json -w resnet18,resnet50,vgg16,bert_base:seq_len=128,mobilenet_v1,resnet34_face
echo
echo "## ANT x DBB vs each alone (16 nm, iso-MAC, against the dense INT8 array)"
echo "validate_papers: table 4 of 5: ANT x DBB vs each alone (16 nm, iso-MAC, against the dense INT8 array)" >&2
"$strata" compare "${array_only[@]}" "$@" -b configs/int8_sa_16nm.json -c configs/ant_sa_16nm.json \
  -c configs/s2ta_aw_16nm.json -c configs/ant_dbb_16nm.json -w resnet18,resnet50,vgg16,mobilenet_v1,resnet34_face
echo
echo "## Energy breakdown of the dense INT8 systolic array (ResNet-50, 16 nm)"
echo "validate_papers: table 5 of 5: Energy breakdown of the dense INT8 systolic array (ResNet-50, 16 nm)" >&2
"$strata" run --config configs/int8_sa_16nm.json --workload resnet50 --set vector.enabled=false |
  tail -2
