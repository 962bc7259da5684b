#!/usr/bin/env bash
# Sets up what is missing, builds the app and serves it on http://127.0.0.1:8080
# (with the COOP/COEP headers Wasm threads need). "Try the example" loads bundled data.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-web.sh
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/wasm-env.sh
echo "zipfit: open http://127.0.0.1:8080" >&2
exec trunk serve --release
