#!/usr/bin/env bash
# Runs every libFuzzer target (tests/fuzz, one per input parser) for SECONDS each, one after the
# other, from the seed corpus in tests/fuzz/corpus plus what earlier runs found (kept in the
# build tree, never in the repository). Prints executions and findings per target; exits 1 if
# any target found a crash, a sanitizer report, a timeout or a memory blow-up (the input is
# saved under <build>/fuzz/findings/<target>/ with the reproduction command).
# Usage: scripts/fuzz.sh [seconds=20] [build-dir=build-asan]   (docs/reliability.md)
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${1:-20}"
build="${2:-$root/build-asan}"
# Every target the build has (tests/fuzz/CMakeLists.txt's STRATA_FUZZ_TARGETS is the one list).
targets=()
for exe in "$build"/tests/fuzz/fuzz_*; do
  [ -x "$exe" ] && [ -f "$exe" ] && targets+=("${exe##*/fuzz_}")
done
if [ ${#targets[@]} -eq 0 ]; then
  echo "strata fuzz: no fuzz targets in $build/tests/fuzz (build with CXX=clang++-14 -DSTRATA_FUZZ=ON)" >&2
  exit 1
fi
json_targets=" config set_value layer_list trace tfjs sweep_spec sync_config tech_table pipeline_config "
jobs="${STRATA_FUZZ_JOBS:-$(nproc 2>/dev/null || echo 2)}"
run_target() {
  local t="$1" bin="$build/tests/fuzz/fuzz_$1"
  local corpus="$build/fuzz/corpus/$t" findings="$build/fuzz/findings/$t"
  mkdir -p "$corpus" "$findings"
  local dict=()
  [[ "$json_targets" == *" $t "* ]] && dict=(-dict="$root/tests/fuzz/json.dict")
  local status=0
  ASAN_OPTIONS="detect_leaks=1:allocator_may_return_null=1" UBSAN_OPTIONS=print_stacktrace=1 \
    "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
    -print_final_stats=1 -artifact_prefix="$findings/" "${dict[@]}" \
    "$corpus" "$root/tests/fuzz/corpus/$t" >"$build/fuzz/$t.log" 2>&1 || status=$?
  echo "$status" >"$build/fuzz/$t.status"
}
mkdir -p "$build/fuzz"
echo "strata fuzz: ${#targets[@]} targets, ${seconds} s each, $jobs at a time" >&2
running=0
for t in "${targets[@]}"; do
  run_target "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$jobs" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait
found=0
failed=0
printf "%-14s %12s %10s %8s %s\n" target executions "exec/s" corpus findings
for t in "${targets[@]}"; do
  log="$build/fuzz/$t.log"
  findings="$build/fuzz/findings/$t"
  execs="$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)"
  rate="$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)"
  size="$(find "$build/fuzz/corpus/$t" -type f | wc -l)"
  n="$(find "$findings" -type f | wc -l)"
  printf "%-14s %12s %10s %8s %s\n" "$t" "${execs:-?}" "${rate:-?}" "$size" "$n"
  if [ "$(cat "$build/fuzz/$t.status")" -ne 0 ] || [ "$n" -gt 0 ]; then
    found=1
    failed=$((failed + 1))
    echo "strata fuzz: $t: finding(s) in $findings (log: $log); reproduce: $build/tests/fuzz/fuzz_$t <file>" >&2
    grep -m3 -E "ERROR|runtime error|terminate|Assertion|what\(\)" "$log" >&2 || true
  fi
done
echo "fuzz: $(( ${#targets[@]} - failed )) passed, $failed failed"
exit "$found"
