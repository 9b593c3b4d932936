#!/usr/bin/env bash
# Sets up a fresh machine (Debian/Ubuntu, as root or with sudo) for Sluice: system packages,
# npm dependencies (which build the Rust addon from source), the Python peer client's venv,
# and cargo-fuzz. Safe to run again: each step skips what is already there.
set -euo pipefail
cd "$(dirname "$0")/.."

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# System packages: a C toolchain and pkg-config for ring; ca-certificates for TLS validation;
# freetds-bin (freebcp/tsql) and Python's venv for the independent peer clients; chromium for
# Playwright; libltdl7/libkrb5 for the ODBC driver bundled in mssql-python; time (GNU time) for the
# benchmarks' peak-memory figures.
APT_PKGS=(build-essential pkg-config ca-certificates python3-venv freetds-bin chromium libltdl7 libkrb5-3 libgssapi-krb5-2 time)
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if command -v apt-get >/dev/null; then
    echo "setup: installing ${missing[*]}"
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "setup: please install: ${missing[*]}" >&2
  fi
fi

command -v cargo >/dev/null || { echo "setup: Rust (cargo) is required: https://rustup.rs" >&2; exit 1; }

# npm dependencies; @sluice/native's install script builds the addon with cargo.
# Electron's binary and Playwright's browsers are not downloaded: the e2e suite drives Debian's
# Chromium (installed above), and `npm start` needs a machine where Electron can be installed.
export ELECTRON_SKIP_BINARY_DOWNLOAD=1
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
npm ci --no-audit --no-fund

# Python peer client (mssql-python bundles Microsoft's ODBC Driver 18).
if [ ! -x .venv/bin/python ]; then python3 -m venv .venv; fi
.venv/bin/pip install -q --disable-pip-version-check -r test/python/requirements.txt

# cargo-fuzz for the fuzz targets (the short runs are part of the tests).
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked --quiet
fi
echo "setup: done"
