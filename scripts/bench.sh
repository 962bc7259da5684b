#!/usr/bin/env bash
# Benchmarks: print figures, assert nothing. Run on an otherwise idle machine.
#   1. the CLI against the reference Python code, side by side, with fidelity per level;
#   2. the reference, the CLI and the page in headless Chromium, side by side;
#   3. the Python scorer and the Ray pipeline against the CLI, side by side;
#   4. scaling and peak memory over the data sets given as arguments (optional).
# Usage: scripts/bench.sh [DATA_DIR ...]    (default data: ../shared/data/dev-5k)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"
cargo build --release -q -p zipfit-cli
scripts/build-web.sh --quiet

echo "== CLI vs reference (pairs/s, fidelity of the ranking)"
python3 crates/cli/bench/compare_reference.py --levels 9,8,7,6,5,4,3,2,1
echo
echo "== reference, CLI and browser (pairs/s)"
(cd tests/e2e && node bench.mjs)
echo
echo "== what --dedup, DSIR and compare cost against a plain run"
python3 crates/cli/bench/features.py
echo
echo "== Python scorer and Ray pipeline against the CLI"
scripts/build-python.sh >/dev/null
.venv/bin/python crates/python/bench/bench.py
if [ $# -gt 0 ]; then
  echo
  echo "== scaling and peak memory"
  python3 crates/cli/bench/scaling.py "$@"
fi
