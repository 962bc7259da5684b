#!/usr/bin/env bash
# Builds the web app into dist/ (release, Wasm threads): the module with cargo, then
# scripts/build-web.py (wasm-bindgen, the static files, the service worker's list).
# Assumes scripts/setup.sh ran.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/wasm-env.sh
cargo build --release --target wasm32-unknown-unknown -p zipfit-web --quiet
python3 scripts/build-web.py "$@"
