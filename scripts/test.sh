#!/usr/bin/env bash
# Everything CI checks, in order: formatting and lints (rustfmt, clippy, biome), Rust tests,
# TypeScript types, the JS
# tests (the napi addon against the test server, tedious as an independent peer), the Python
# peer (mssql-python), and a short run of every fuzz target.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n=== %s ===\n' "$*"; }

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo test"
cargo test --workspace --quiet

step "generated binding is committed"
# npm ci rebuilt the addon and regenerated index.js/index.d.ts (the TypeScript contract): they
# must match what is committed, so a change to the Rust API shows up in review.
git diff --exit-code -- native/index.js native/index.d.ts

step "tsc --noEmit (strict)"
npx tsc -p tsconfig.json --noEmit

step "biome (TS/JS format and lint)"
npx biome ci --error-on-warnings .

step "JS tests (node --test)"
npm run --silent test:js

step "Python peer tests (mssql-python)"
.venv/bin/python -m pytest -q test/python

step "fuzz (short runs)"
bash scripts/fuzz.sh "${SLUICE_FUZZ_SECONDS:-20}"
