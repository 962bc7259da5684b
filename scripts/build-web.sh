#!/usr/bin/env bash
# Builds the web app into dist/ (release, Wasm threads). Assumes scripts/setup.sh ran.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
# Wasm threads need std rebuilt with atomics (rustflags are in .cargo/config.toml).
export CARGO_UNSTABLE_BUILD_STD=panic_abort,std
# Trunk builds offline; this first build also fetches std's own dependencies.
cargo build --release --target wasm32-unknown-unknown -p zipfit-web --quiet
trunk build --release "$@"
