#!/usr/bin/env bash
# Regenerates every figure in docs/*.md from the command that produces it (each block names its
# command: <!-- figure: ... -->). Builds first if needed. Options (scripts/refresh_docs_figures.py):
#   --check     change nothing; fail listing the figures that no longer match their commands
#   --measured  also rerun the timing figures (benchmarks; minutes, machine-dependent)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [ "${STRATA_SKIP_BUILD:-0}" != "1" ]; then
  "$root/scripts/setup.sh" "$root/build" Release
  "$root/scripts/fetch_weights.sh"
fi
exec python3 "$root/scripts/refresh_docs_figures.py" "$@"
