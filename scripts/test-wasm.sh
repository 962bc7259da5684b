#!/usr/bin/env bash
# Runs the Wasm tests of the web crate (the worker's session, src/worker/session/tests.rs,
# and the page's unit tests) in headless Chromium, in a dedicated worker, through
# wasm-bindgen-test-runner and Debian's chromedriver. Assumes scripts/setup.sh --test ran.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/wasm-env.sh
export CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner
export CHROMEDRIVER=/usr/bin/chromedriver
export WASM_BINDGEN_TEST_TIMEOUT=120
cargo test --release --target wasm32-unknown-unknown -p zipfit-web "$@"
