#!/usr/bin/env python3
"""Serves dist/ on http://127.0.0.1:8080 with the headers Wasm threads need
(Cross-Origin-Opener-Policy and Cross-Origin-Embedder-Policy), and with --watch builds
again (scripts/build-web.sh) whenever a file of the app changes, checking once a second.

Usage: scripts/serve.py [--port 8080] [--watch]
"""
import argparse
import functools
import http.server
import subprocess
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a change to rebuilds the app.
WATCHED = ["src", "www", "crates/core/src", "index.html", "Cargo.toml", "crates/core/Cargo.toml"]


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm",
        ".js": "text/javascript",
        ".webmanifest": "application/manifest+json",
        ".jsonl": "application/x-ndjson",
    }

    def end_headers(self):
        self.send_header("Cross-Origin-Opener-Policy", "same-origin")
        self.send_header("Cross-Origin-Embedder-Policy", "require-corp")
        super().end_headers()

    def log_message(self, format, *args):
        pass


def stamp() -> float:
    """The newest modification time among the watched files."""
    newest = 0.0
    for name in WATCHED:
        path = ROOT / name
        for file in path.rglob("*") if path.is_dir() else [path]:
            if file.is_file():
                newest = max(newest, file.stat().st_mtime)
    return newest


def watch() -> None:
    seen = stamp()
    while True:
        time.sleep(1)
        now = stamp()
        if now != seen:
            seen = now
            print("zipfit: a file changed; building again", flush=True)
            built = subprocess.run([str(ROOT / "scripts/build-web.sh")])
            print("zipfit: built; reload the page" if built.returncode == 0 else "zipfit: the build failed", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8080)
    parser.add_argument("--watch", action="store_true")
    args = parser.parse_args()
    if args.watch:
        threading.Thread(target=watch, daemon=True).start()
    # The folder is named, not the current one: a rebuild swaps dist/ in whole.
    handler = functools.partial(Handler, directory=str(ROOT / "dist"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler)
    print(f"zipfit: open http://127.0.0.1:{args.port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
