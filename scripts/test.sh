#!/usr/bin/env bash
# Sets up what is missing, then runs every test: formatting and lints, the native core
# and CLI tests (with fidelity to the Python reference), the Python package and its Ray
# pipeline (pytest, against the CLI), the Wasm tests in headless
# Chromium, and the end-to-end tests of the built page in Chromium via Playwright.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh --test
export PATH="$HOME/.cargo/bin:$PATH"

step() { printf '\n\033[1m== %s\033[0m\n' "$*" >&2; }

step "format and lints"
cargo fmt --all --check
scripts/check-layout.sh
cargo clippy --workspace --all-targets --quiet -- -D warnings
cargo clippy -p zipfit-core --features parquet,builtin-encodings --all-targets --quiet -- -D warnings

step "native tests (core, CLI, fidelity to the reference)"
cargo test --release --workspace --exclude zipfit-web --exclude zipfit-python --quiet
# The Parquet reader (a feature of the core, which the CLI and the page enable) against pyarrow's files.
cargo test --release -p zipfit-core --features parquet --quiet parquet
# Model tokenizers for token budgets (a feature the CLI, Python and the page enable).
cargo test --release -p zipfit-core --features builtin-encodings --quiet tokens

step "Python package: scores, reading, selection and the Ray pipeline against the CLI"
cargo build --release -p zipfit-cli --quiet
scripts/build-python.sh >/dev/null
.venv/bin/python -m pytest -q -p no:logging crates/python/tests

step "fuzzing the JSONL and Parquet readers and the prefix shortcut (30 s each)"
(cd crates/core/fuzz && for target in jsonl prefixed_lengths; do
  cargo fuzz run "$target" -- -max_total_time=30 -max_len=4096 2>&1 | grep -E '^Done|panicked|SUMMARY' || exit 1
done
# The Parquet target starts from real files (seeds/) and replays what it once crashed on
# (regressions/); corpus/ is its scratch directory.
mkdir -p corpus/parquet
cargo fuzz run --features parquet parquet corpus/parquet seeds/parquet regressions/parquet \
  -- -max_total_time=30 -max_len=20000 2>&1 | grep -E '^Done|panicked|SUMMARY' || exit 1)

step "Wasm tests in headless Chromium"
scripts/test-wasm.sh

step "build the page"
scripts/build-web.sh

step "end-to-end tests in Chromium"
cargo build --release -p zipfit-cli --quiet
(cd tests/e2e && npm test)
