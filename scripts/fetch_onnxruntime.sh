#!/usr/bin/env bash
# Fetches ONNX Runtime's CPU build for Node.js from the npm registry, pinned by version and sha512
# integrity, into the git-ignored .cache/onnxruntime/node_modules/: the independent reference the
# float executor is checked against (docs/functional.md). No install scripts run (onnxruntime-node's
# would download GPU binaries from outside the registries); the package ships the Linux x64 CPU
# runtime itself. Idempotent: a package whose integrity stamp is present is not fetched again.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="$root/.cache/onnxruntime/node_modules"
# shellcheck source=scripts/npm_fetch.sh
source "$root/scripts/npm_fetch.sh"
strata_ensure_npm
# package@version | sha512 integrity
packages=(
  "onnxruntime-common@1.20.1|sha512-YiU0s0IzYYC+gWvqD1HzLc46Du1sXpSiwzKb63PACIJr6LfL27VsXSXQvt68EzD3V0D5Bc0vyJTjmMxp0ylQiw=="
  "onnxruntime-node@1.20.1|sha512-di/I4HDXRw+FLgq+TyHmQEDd3cEp9iFFZm0r4uJ1Wd7b/WE1VXtKWo8yemex347c6GNF/3Pv86ZfPhIWxORr0w=="
)
mkdir -p "$dest"
for entry in "${packages[@]}"; do
  IFS='|' read -r spec integrity <<<"$entry"
  name="${spec%@*}"
  stamp="$dest/.$name.integrity"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$integrity" ] && [ -f "$dest/$name/package.json" ]; then
    continue
  fi
  echo "strata fetch_onnxruntime: fetching $spec" >&2
  tmp="$(mktemp -d)"
  tarball="$(strata_fetch_tarball "$spec" "$integrity" "$tmp")"
  tar -xzf "$tarball" -C "$tmp"
  rm -rf "$dest/$name.partial" && mv "$tmp/package" "$dest/$name.partial"
  rm -rf "$dest/$name" && mv "$dest/$name.partial" "$dest/$name"
  echo "$integrity" >"$stamp"
  rm -rf "$tmp"
done
