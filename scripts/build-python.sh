#!/usr/bin/env bash
# Builds the Python package (one abi3 wheel, CPython 3.9+, manylinux2014: see build_wheel in
# scripts/tools.sh) into target/wheels and installs it into .venv (made by
# scripts/setup.sh --test). Prints the wheel's path.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
source scripts/tools.sh
build_wheel .venv target/wheels >&2 || { echo "the wheel is not manylinux2014" >&2; exit 1; }
wheel=$(ls -t target/wheels/zipfit-*-abi3-manylinux2014*.whl | head -n 1)
.venv/bin/pip install --quiet --disable-pip-version-check --force-reinstall --no-deps "$wheel" >&2
echo "$wheel"
