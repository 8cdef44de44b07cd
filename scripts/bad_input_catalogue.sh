#!/usr/bin/env bash
# Regenerates the bad-input catalogue of docs/reliability.md from the suite itself: runs every
# BadInput case (tests/cli) with STRATA_BAD_INPUT_CATALOGUE set, so each case records its command
# and the one line strata printed, and writes them, sorted, between the catalogue markers.
# Usage: scripts/bad_input_catalogue.sh [build-dir=build]
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build="${1:-$root/build}"
rows="$(mktemp)"
trap 'rm -f "$rows"' EXIT
(cd "$build" && STRATA_BAD_INPUT_CATALOGUE="$rows" ctest -R '^BadInput/' -j"$(nproc)" >/dev/null) || true
count="$(wc -l <"$rows")"
python3 - "$root/docs/reliability.md" "$rows" <<'PY'
import sys
doc_path, rows_path = sys.argv[1], sys.argv[2]
rows = sorted(set(open(rows_path).read().splitlines()), key=lambda r: r.split(" | ")[0].lower())
doc = open(doc_path).read()
begin, end = "<!-- catalogue:begin -->", "<!-- catalogue:end -->"
head, rest = doc.split(begin)
_, tail = rest.split(end)
table = "\n| case | command | message (after `strata: error: `) |\n|---|---|---|\n" + "\n".join(rows) + "\n"
tmp = doc_path + ".tmp"
open(tmp, "w").write(head + begin + table + end + tail)
import os; os.replace(tmp, doc_path)
PY
echo "bad_input_catalogue: $count cases written to docs/reliability.md"
