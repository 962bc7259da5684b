#!/usr/bin/env python3
"""Writes the service worker's file list and version into sw.js (the last step of
scripts/build-web.py, given the finished build's folder).

FILES becomes every file of the build (paths relative to the page), each with the
SHA-256 of its bytes (the service worker takes a file from the browser's HTTP cache, which
the page's first load just filled, only when its bytes are this build's), and VERSION a
hash of all their paths and bytes, so that any change to the app gives a new sw.js and a
new cache.

OpenAI's encodings (encodings/, 5 MB) are left out: the scoring worker loads one only
when a user chooses it, and keeps it then in a cache of its own (www/worker.js).
"""
import hashlib
import json
import sys
from pathlib import Path

staging = Path(sys.argv[1])
worker = staging / "sw.js"
files = sorted(
    p.relative_to(staging).as_posix()
    for p in staging.rglob("*")
    if p.is_file() and p != worker and not p.relative_to(staging).as_posix().startswith("encodings/")
)
digest = hashlib.sha256()
listed = []
for name in files:
    data = (staging / name).read_bytes()
    digest.update(name.encode() + b"\0" + data + b"\0")
    listed.append([name, hashlib.sha256(data).hexdigest()])
source = worker.read_text()
for placeholder in ("'__VERSION__'", "__FILES__"):
    if placeholder not in source:
        sys.exit(f"precache.py: {worker} has no {placeholder} placeholder")
source = source.replace("'__VERSION__'", json.dumps(digest.hexdigest()[:16]))
source = source.replace("__FILES__", json.dumps(listed, indent=2))
worker.write_text(source)
print(f"precache.py: sw.js lists {len(files)} files, version {digest.hexdigest()[:16]}")
