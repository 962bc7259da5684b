#!/usr/bin/env bash
# Builds the Python package (one abi3 wheel, CPython 3.9+) with maturin into target/wheels
# and installs it into .venv (made by scripts/setup.sh --test). Prints the wheel's path.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
.venv/bin/maturin build --release --quiet -m crates/python/Cargo.toml -o target/wheels \
  -i .venv/bin/python >&2
wheel=$(ls -t target/wheels/zipfit-*-abi3-*.whl | head -n 1)
.venv/bin/pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel" >&2
echo "$wheel"
