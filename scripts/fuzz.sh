#!/usr/bin/env bash
# Runs every cargo-fuzz target for N seconds (default 20) and prints how many executions each
# survived. A crash fails the script. Uses the installed toolchain: RUSTC_BOOTSTRAP=1 lets
# stable Rust accept the sanitizer flags cargo-fuzz passes, so no nightly is needed.
set -euo pipefail
cd "$(dirname "$0")/.."
secs="${1:-20}"
export RUSTC_BOOTSTRAP=1
cargo +stable fuzz build --fuzz-dir native/fuzz -O 2>&1 | tail -n 1
for t in $(cargo +stable fuzz list --fuzz-dir native/fuzz); do
  mkdir -p "native/fuzz/corpus/$t"
  out=$(cargo +stable fuzz run --fuzz-dir native/fuzz -O "$t" "native/fuzz/corpus/$t" -- -max_total_time="$secs" -max_len=65536 2>&1) || {
    echo "$out" | tail -n 40
    echo "fuzz: $t FAILED"
    exit 1
  }
  execs=$(echo "$out" | grep -oE 'Done [0-9]+ runs' | grep -oE '[0-9]+' || echo "?")
  echo "fuzz: $t survived $execs executions in ${secs}s"
done
