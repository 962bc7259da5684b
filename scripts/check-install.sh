#!/usr/bin/env bash
# Proves that every install step of scripts/setup.sh works on a fresh machine: runs each
# one, exactly as set-up does (the commands come from scripts/tools.sh), into empty
# places: an empty rustup home for the toolchains, an empty cargo home and install root
# for each cargo tool, a fresh venv for the Python packages, a fresh copy of tests/e2e for
# the npm packages, and apt's simulation for clang and Chromium. Prints one line per step with its
# time, and exits non-zero if any failed. Takes 25-35 minutes on 2 cores; run it whenever
# scripts/tools.sh or scripts/setup.sh changes. Not part of scripts/test.sh.
#   scripts/check-install.sh [STEP ...]   steps: toolchains clang wasm-bindgen cargo-fuzz python python-env node chromium
set -uo pipefail
cd "$(dirname "$0")/.."
source scripts/tools.sh
export PATH="$HOME/.cargo/bin:$PATH"

scratch=$(mktemp -d /tmp/zipfit-check-install.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
log="$scratch/step.log"
failed=0

# Runs "$@" in a subshell, reports ok/FAILED with the time taken, and on failure the log's tail.
step() {
  local name=$1; shift
  local started=$SECONDS
  if ( "$@" ) >"$log" 2>&1; then
    printf 'ok      %-14s %4d s\n' "$name" $((SECONDS - started))
  else
    printf 'FAILED  %-14s %4d s\n' "$name" $((SECONDS - started))
    tail -n 20 "$log" | sed 's/^/        /'
    failed=1
  fi
}

toolchains() {
  # rustup itself stays where it is; only what it installs goes to the empty home.
  export RUSTUP_HOME="$scratch/rustup"
  install_toolchain && install_host_toolchain \
    && rustup run "$TOOLCHAIN" rustc --version && rustup run "$HOST_TOOLCHAIN" rustc --version
}

# An empty cargo home: no registry cache, no installed binaries, no config.
cargo_tool() {
  local install=$1 binary=$2 expected=$3; shift 3
  export CARGO_HOME="$scratch/cargo-home-$binary"
  local root="$scratch/root-$binary"
  mkdir -p "$CARGO_HOME"
  "$install" --root "$root" && [ "$("$root/bin/$binary" "$@" --version)" = "$expected" ]
}
wasm_bindgen_tool() { cargo_tool install_wasm_bindgen wasm-bindgen "wasm-bindgen $WASM_BINDGEN_VERSION"; }
# cargo runs cargo-fuzz with "fuzz" as its first argument.
cargo_fuzz_tool() { cargo_tool install_cargo_fuzz cargo-fuzz "cargo-fuzz $CARGO_FUZZ_VERSION" fuzz; }

python_packages() {
  python3 -m venv "$scratch/venv"
  PYTHON="$scratch/venv/bin/python" install_python_packages \
    && PYTHON="$scratch/venv/bin/python" python_packages_match
}

# A fresh venv from the pinned requirements, which then builds the manylinux2014 wheel
# (into an empty target folder), checks it with auditwheel, and imports it.
python_env() {
  install_python_env "$scratch/pyenv" && python_env_matches "$scratch/pyenv" \
    && CARGO_TARGET_DIR="$scratch/target" build_wheel "$scratch/pyenv" "$scratch/wheels" \
    && "$scratch/pyenv/bin/pip" install --no-deps "$scratch"/wheels/zipfit-*.whl \
    && "$scratch/pyenv/bin/python" -c "import zipfit, zipfit.ray, ray; print(zipfit.Scorer(['y']).score(['x']))"
}

node_packages() {
  mkdir -p "$scratch/e2e"
  cp tests/e2e/package.json tests/e2e/package-lock.json "$scratch/e2e/"
  install_node_packages "$scratch/e2e" && (cd "$scratch/e2e" && npm ls)
}

clang_packages() {
  apt-get install --simulate -qq clang >/dev/null
}

chromium_packages() {
  apt-get install --simulate -qq chromium chromium-driver >/dev/null
}

steps=("$@")
[ ${#steps[@]} -eq 0 ] && steps=(toolchains clang wasm-bindgen cargo-fuzz python python-env node chromium)
for s in "${steps[@]}"; do
  case "$s" in
    toolchains) step toolchains toolchains ;;
    wasm-bindgen) step wasm-bindgen wasm_bindgen_tool ;;
    cargo-fuzz) step cargo-fuzz cargo_fuzz_tool ;;
    python) step python python_packages ;;
    python-env) step python-env python_env ;;
    node) step node node_packages ;;
    clang) step clang clang_packages ;;
    chromium) step chromium chromium_packages ;;
    *) echo "unknown step $s" >&2; exit 2 ;;
  esac
done
exit $failed
