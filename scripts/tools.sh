# The pinned versions of everything set-up installs, and the one command that installs
# each. Sourced by scripts/setup.sh (which runs a step only when its tool is missing) and
# by scripts/check-install.sh (which runs every step on an empty cargo home, an empty
# rustup home, a fresh venv and a fresh node_modules), so what is proved is what runs.

# Builds the app and wasm-bindgen-cli, and runs the fuzzers: Wasm threads need std
# rebuilt (build-std), and cargo-fuzz needs -Z flags. Must equal rust-toolchain.toml.
TOOLCHAIN=nightly-2026-05-20
# Builds cargo-fuzz. The nightly cannot: cargo-fuzz 0.13.1's locked rustix 0.36.5 detects
# a nightly and uses attributes this nightly rejects.
HOST_TOOLCHAIN=1.95.0

WASM_BINDGEN_VERSION=0.2.130   # must equal wasm-bindgen in Cargo.lock
CARGO_FUZZ_VERSION=0.13.1
# The paper's code's compressors, the references of the fidelity tests: lz4 (liblz4
# 1.9.4), zstandard (libzstd 1.5.7) and brotli; gzip and lzma are Python's own.
PY_LZ4_VERSION=4.4.5
PY_ZSTANDARD_VERSION=0.25.0
PY_BROTLI_VERSION=1.2.1
# The venv for the Python package: maturin, numpy, pytest and Ray Data, every version pinned.
PY_REQUIREMENTS=crates/python/requirements-dev.txt

install_toolchain() {
  rustup toolchain install "$TOOLCHAIN" --profile minimal \
    --component rust-src,rustfmt,clippy --target wasm32-unknown-unknown
}
install_host_toolchain() {
  rustup toolchain install "$HOST_TOOLCHAIN" --profile minimal
}
# The cargo tools take cargo install's extra arguments (check-install.sh adds --root DIR).
# Not --locked: the lock file published with wasm-bindgen-cli 0.2.130 pins webpki-roots
# 1.0.11, which has since been yanked, so a locked install cannot resolve.
install_wasm_bindgen() {
  cargo "+$TOOLCHAIN" install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" "$@"
}
install_cargo_fuzz() {
  cargo "+$HOST_TOOLCHAIN" install --locked cargo-fuzz --version "$CARGO_FUZZ_VERSION" "$@"
}
# PYTHON: the interpreter to install into (check-install.sh passes a fresh venv's).
install_python_packages() {
  "${PYTHON:-python3}" -m pip install --quiet --disable-pip-version-check "lz4==$PY_LZ4_VERSION" \
    "zstandard==$PY_ZSTANDARD_VERSION" "brotli==$PY_BROTLI_VERSION"
}
# True when PYTHON (default python3) has the reference compressors at the pinned versions.
python_packages_match() {
  "${PYTHON:-python3}" - "$PY_LZ4_VERSION" "$PY_ZSTANDARD_VERSION" "$PY_BROTLI_VERSION" <<'PY' 2>/dev/null
import sys, lzma
import brotli, lz4.frame, zstandard
sys.exit((lz4.__version__, zstandard.__version__, brotli.__version__) != tuple(sys.argv[1:]))
PY
}
# Makes the venv at $1 (default .venv) with $PY_REQUIREMENTS' exact packages.
install_python_env() {
  local venv=${1:-.venv}
  python3 -m venv "$venv" \
    && "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$PY_REQUIREMENTS"
}
# Builds the Python package's wheel with the venv at $1 into the folder $2: one abi3 wheel
# (CPython 3.9+) for manylinux2014 (glibc 2.17, what Ubuntu 20.04 and Amazon Linux 2 nodes
# take), linked by zig from PyPI's ziglang, then checked with auditwheel.
build_wheel() {
  local venv out=$2
  venv=$(cd "$1" && pwd)
  # maturin finds zig as `python -m ziglang`, with the venv's python first on PATH.
  PATH="$venv/bin:$PATH" "$venv/bin/maturin" build --release --quiet --zig \
      --compatibility manylinux2014 -m crates/python/Cargo.toml -o "$out" -i "$venv/bin/python" \
    && "$venv/bin/auditwheel" show "$(ls -t "$out"/zipfit-*-abi3-*.whl | head -n 1)" \
      | tr -s ' \n' ' ' | grep -q 'is consistent with the following platform tag: "manylinux_2_17_x86_64"'
}
# True when the venv at $1 (default .venv) holds exactly $PY_REQUIREMENTS' packages.
python_env_matches() {
  local venv=${1:-.venv}
  [ -x "$venv/bin/pip" ] && diff -q <("$venv/bin/pip" freeze --exclude zipfit 2>/dev/null) \
    <(grep -v '^#' "$PY_REQUIREMENTS") >/dev/null
}
# Installs tests/e2e/package-lock.json's exact versions into the folder given (default
# tests/e2e). playwright-core drives Debian's chromium and downloads no browser.
install_node_packages() {
  (cd "${1:-tests/e2e}" && npm ci --no-audit --no-fund --silent)
}
# Debian's clang compiles C libraries for wasm32 (zstd, inside the Parquet reader). The
# CLI and the Python package build them with gcc.
install_clang() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq clang >/dev/null
}
install_chromium() {
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
}
