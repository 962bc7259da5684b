#!/usr/bin/env python3
"""Builds the web app into dist/ from a Wasm build of the root package, with nothing
more than cargo's output, wasm-bindgen and a copy (no bundler to install):

- target/wasm32-unknown-unknown/release/zipfit-web.wasm through wasm-bindgen
  (--target web): dist/zipfit-web.js, dist/zipfit-web_bg.wasm and dist/snippets/;
- index.html and the static files of www/ (the worker glue, the service worker, styles,
  icons, the manifest, the bundled example) and OpenAI's encodings;
- the service worker's file list and version (scripts/precache.py).

Usage: scripts/build-web.py [DIST]   (after `cargo build --release --target wasm32-unknown-unknown -p zipfit-web`)
"""
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")
WASM = TARGET / "wasm32-unknown-unknown/release/zipfit-web.wasm"
# What dist/ holds besides the module: (source, name in dist/).
COPIED = [
    ("index.html", "index.html"),
    ("www/style.css", "style.css"),
    ("www/worker.js", "worker.js"),
    ("www/sw.js", "sw.js"),
    ("www/offline.js", "offline.js"),
    ("www/manifest.webmanifest", "manifest.webmanifest"),
    ("www/icons", "icons"),
    ("www/example", "example"),
    ("crates/core/encodings", "encodings"),
]


def main() -> None:
    if len(sys.argv) > 2 or (len(sys.argv) == 2 and sys.argv[1].startswith("-")):
        sys.exit(__doc__)
    dist = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "dist"
    if not WASM.exists():
        sys.exit(f"build-web.py: {WASM} is missing: build the Wasm module first")
    # Built beside, then swapped in: a server never sees half a build.
    staging = dist.with_name(dist.name + ".new")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    subprocess.run(["wasm-bindgen", "--target", "web", "--out-dir", str(staging),
                    "--out-name", "zipfit-web", "--no-typescript", str(WASM)], check=True)
    for source, name in COPIED:
        source, target = ROOT / source, staging / name
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy2(source, target)
    subprocess.run([sys.executable, str(ROOT / "scripts/precache.py"), str(staging)], check=True)
    old = dist.with_name(dist.name + ".old")
    shutil.rmtree(old, ignore_errors=True)
    if dist.exists():
        dist.rename(old)
    staging.rename(dist)
    shutil.rmtree(old, ignore_errors=True)


if __name__ == "__main__":
    main()
