#!/usr/bin/env bash
# Everything CI checks, in order: formatting and lints (rustfmt, clippy, biome), Rust tests,
# TypeScript types, the JS
# tests (the napi addon against the test server, tedious as an independent peer; the app's main
# side and slices), the app's e2e suite in Chromium, the Python
# peer (mssql-python), and a short run of every fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s ===\n' "$*"; }

# Every runner's output is also kept, so the closing line can add up what ran.
LOG=$(mktemp)
trap 'rm -f "$LOG"' EXIT
run() { "$@" 2>&1 | tee -a "$LOG"; return "${PIPESTATUS[0]}"; }

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo test"
run cargo test --workspace --quiet

step "generated binding is committed"
# npm ci rebuilt the addon and regenerated index.js/index.d.ts (the TypeScript contract): they
# must match what is committed, so a change to the Rust API shows up in review.
git diff --exit-code -- native/index.js native/index.d.ts

step "tsc --noEmit (strict: Node code, then the renderer with DOM types)"
npm run --silent typecheck

step "biome (TS/JS format and lint)"
npx biome ci --error-on-warnings .

step "JS tests (node --test)"
run npm run --silent test:js

step "e2e (Playwright + Debian's Chromium against npm run web and the TDS test server)"
run npm run --silent e2e

step "Python peer tests (mssql-python)"
run .venv/bin/python -m pytest -q test/python

step "fuzz (short runs)"
run bash scripts/fuzz.sh "${SLUICE_FUZZ_SECONDS:-20}"

# Reaching here means nothing failed (set -e); say how much passed, in one line.
cargo_n=$(grep -oE 'test result: ok\. [0-9]+ passed' "$LOG" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
node_n=$(grep -oE '^ℹ pass [0-9]+' "$LOG" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
py_n=$(grep -oE '^[0-9]+ passed' "$LOG" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
fuzz_n=$(grep -c '^fuzz: .* survived' "$LOG" || true)
e2e_n=$(grep -oE '^ +[0-9]+ passed \(' "$LOG" | grep -oE '[0-9]+' | awk '{s+=$1} END {print s+0}')
total=$(( ${cargo_n:-0} + ${node_n:-0} + ${py_n:-0} + ${fuzz_n:-0} + ${e2e_n:-0} ))
printf '\ncargo %s, node %s, e2e %s, pytest %s, fuzz targets %s\n' "${cargo_n:-0}" "${node_n:-0}" "${e2e_n:-0}" "${py_n:-0}" "$fuzz_n"
echo "${total} passed, 0 failed"
