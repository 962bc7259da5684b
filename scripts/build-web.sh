#!/usr/bin/env bash
# Builds the web app into dist/ (release, Wasm threads). Assumes scripts/setup.sh ran.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/wasm-env.sh
# Trunk builds offline; this first build also fetches std's own dependencies.
cargo build --release --target wasm32-unknown-unknown -p zipfit-web --quiet
trunk build --release "$@"
