#!/usr/bin/env bash
# Installs what building and testing zipfit needs, skipping whatever is already there.
#   scripts/setup.sh          toolchains, clang, wasm-bindgen-cli (enough to build and serve)
#   scripts/setup.sh --test   also Chromium + ChromeDriver, cargo-fuzz, Python's lz4, zstandard
#                             and brotli (the fidelity tests' references), Playwright,
#                             and .venv (maturin, numpy, pytest, Ray Data) for the Python package
# Everything comes from package registries (rustup, crates.io, apt, PyPI, npm), pinned in
# scripts/tools.sh. scripts/check-install.sh proves each step on an empty cargo home.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh

say() { printf '\033[1m[setup]\033[0m %s\n' "$*" >&2; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup run "$TOOLCHAIN" rustc --version >/dev/null 2>&1 \
  || [ "$(rustup component list --toolchain "$TOOLCHAIN" --installed 2>/dev/null \
        | grep -cE '^(rust-src|rustfmt|clippy)')" -lt 3 ] \
  || ! rustup target list --toolchain "$TOOLCHAIN" --installed 2>/dev/null | grep -q wasm32-unknown-unknown; then
  say "installing Rust $TOOLCHAIN with rust-src and wasm32-unknown-unknown"
  install_toolchain
fi

if ! command -v clang >/dev/null; then
  say "installing Debian's clang (compiles zstd for the page's Wasm)"
  install_clang
fi

if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN_VERSION" ]; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION"
  install_wasm_bindgen
fi

if [ "${1:-}" = "--test" ]; then
  if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
    say "installing Debian's chromium and chromium-driver"
    install_chromium
  fi
  if ! rustup run "$HOST_TOOLCHAIN" cargo --version >/dev/null 2>&1; then
    say "installing Rust $HOST_TOOLCHAIN (builds cargo-fuzz)"
    install_host_toolchain
  fi
  if [ "$(cargo fuzz --version 2>/dev/null)" != "cargo-fuzz $CARGO_FUZZ_VERSION" ]; then
    say "installing cargo-fuzz $CARGO_FUZZ_VERSION"
    install_cargo_fuzz
  fi
  if ! python_packages_match; then
    say "installing Python lz4 $PY_LZ4_VERSION, zstandard $PY_ZSTANDARD_VERSION and brotli $PY_BROTLI_VERSION (the fidelity tests' references)"
    install_python_packages
  fi
  if ! python_env_matches; then
    say "making .venv for the Python package (maturin, ziglang, pyarrow, pytest, Ray Data, ...; pinned in $PY_REQUIREMENTS)"
    rm -rf .venv
    install_python_env
  fi
  if ! (cd tests/e2e && npm ls --silent >/dev/null 2>&1); then
    say "installing tests/e2e's npm packages (playwright-core drives Debian's chromium; no browser download)"
    install_node_packages
  fi
fi
