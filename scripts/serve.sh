#!/usr/bin/env bash
# Sets up what is missing, builds the app and serves it on http://127.0.0.1:8080
# (with the COOP/COEP headers Wasm threads need). "Try the example" loads bundled data.
#   scripts/serve.sh [--watch]   --watch: build again whenever a file of the app changes
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
scripts/build-web.sh
exec python3 scripts/serve.py "$@"
