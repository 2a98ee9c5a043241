#!/usr/bin/env bash
# Installs everything wharf needs to build, run and test, from Debian's packages and npm.
# Idempotent: a machine that already has them does nothing but check.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)

pkgs=(build-essential cmake pkg-config g++ git git-lfs curl ca-certificates
      libboost-dev libboost-program-options-dev libgit2-dev libsqlite3-dev libssl-dev
      libyaml-dev nlohmann-json3-dev libgtest-dev zlib1g-dev sqlite3 libargon2-dev libmstch-dev
      libcmark-gfm-dev libcmark-gfm-extensions-dev)
# Node.js and npm may come from elsewhere than Debian (whose npm conflicts with other builds
# of nodejs): only install Debian's when the commands are missing.
command -v node >/dev/null || pkgs+=(nodejs)
command -v npm >/dev/null || pkgs+=(npm)
# The web UI tests drive Debian's headless Chromium (never a browser downloaded at run time).
if [ "${1:-}" = "--tests" ]; then pkgs+=(chromium fonts-dejavu-core); fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi

if [ "${1:-}" = "--tests" ]; then
  (cd "$here/tests" && { [ -d node_modules/@huggingface/hub ] && [ -d node_modules/playwright-core ] || npm ci --no-audit --no-fund --loglevel=error; })
fi
