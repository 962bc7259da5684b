#!/usr/bin/env bash
# Installs what building and testing zipfit needs, skipping whatever is already there.
#   scripts/setup.sh          toolchain, Trunk, wasm-bindgen-cli (enough to build and serve)
#   scripts/setup.sh --test   also Chromium + ChromeDriver, Python's lz4, Playwright
# Everything comes from package registries (rustup, crates.io, apt, PyPI, npm), pinned.
set -euo pipefail
cd "$(dirname "$0")/.."

TOOLCHAIN=nightly-2026-05-20
TRUNK_VERSION=0.22.1
WASM_BINDGEN_VERSION=0.2.130   # must equal wasm-bindgen in Cargo.lock and [tools] in Trunk.toml
PY_LZ4_VERSION=4.4.5
CARGO_FUZZ_VERSION=0.13.1

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup run "$TOOLCHAIN" rustc --version >/dev/null 2>&1 \
  || [ "$(rustup component list --toolchain "$TOOLCHAIN" --installed 2>/dev/null \
        | grep -cE '^(rust-src|rustfmt|clippy)')" -lt 3 ] \
  || ! rustup target list --toolchain "$TOOLCHAIN" --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
  say "installing Rust $TOOLCHAIN with rust-src and wasm32-unknown-unknown"
  rustup toolchain install "$TOOLCHAIN" --profile minimal \
    --component rust-src,rustfmt,clippy --target wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null)" != "trunk $TRUNK_VERSION" ]; then
  say "installing trunk $TRUNK_VERSION (about 10 minutes on 2 cores, once)"
  cargo "+$TOOLCHAIN" install --locked trunk --version "$TRUNK_VERSION"
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  cargo "+$TOOLCHAIN" install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

if [ "${1:-}" = "--test" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo
    $SUDO apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium chromium-driver >/dev/null
  fi
  if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    say "installing cargo-fuzz $CARGO_FUZZ_VERSION"
    cargo "+$TOOLCHAIN" install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION"
  fi
  if ! python3 -c "import lz4.frame, sys; sys.exit(lz4.__version__ != '$PY_LZ4_VERSION')" 2>/dev/null; then
    say "installing Python lz4 $PY_LZ4_VERSION (the reference LZ4 for fidelity tests)"
    python3 -m pip install --quiet --disable-pip-version-check "lz4==$PY_LZ4_VERSION"
  fi
  if [ ! -d tests/e2e/node_modules/playwright-core ]; then
    say "installing playwright-core (drives Debian's chromium; no browser download)"
    (cd tests/e2e && npm ci --no-audit --no-fund --silent)
  fi
fi
