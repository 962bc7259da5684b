# Sourced by every script that builds for wasm32 (the app, its tests, the engine bench).
# Wasm threads need std rebuilt with atomics (rustflags are in .cargo/config.toml).
export CARGO_UNSTABLE_BUILD_STD=panic_abort,std
# liblz4 (LZ4's HC levels) is C: clang compiles it against the few C library headers it
# needs, whose functions the core defines (crates/core/wasm-libc, src/wasm_libc.rs).
export CFLAGS_wasm32_unknown_unknown="-isystem $(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/crates/core/wasm-libc"
