#!/usr/bin/env python3
"""A small, faithful port of the ZIP-FIT reference scoring, for fidelity checks and benchmarks.

C(s) is the length of the paper's code's call: len(gzip.compress(s, compresslevel=L)),
len(lz4.frame.compress(s, compression_level=L)), len(zstandard.ZstdCompressor(level=L)
.compress(s)), len(brotli.compress(s)) or len(lzma.compress(s)), s UTF-8 encoded. NCD(x, y) = (C(x+y) - min(C(x), C(y))) /
max(C(x), C(y)) with the source text first; alignment(x) = mean over targets of 1 - NCD.
C(x) and C(y) are computed once each. Records are scored by a multiprocessing pool, as in
the paper's code. Writes {"index": i, "score": s} per source record, in source order.
"""
import argparse
import gzip
import json
import multiprocessing
import sys
import time

_targets = None
_compress = None


def make_compress(compressor, level):
    if compressor == "lz4":
        import lz4.frame

        return lambda b: len(lz4.frame.compress(b, compression_level=level))
    if compressor == "zstd":
        import zstandard

        zstd = zstandard.ZstdCompressor(level=level)
        return lambda b: len(zstd.compress(b))
    if compressor == "brotli":
        import brotli

        return lambda b: len(brotli.compress(b))
    if compressor == "lzma":
        import lzma

        return lambda b: len(lzma.compress(b))
    return lambda b: len(gzip.compress(b, compresslevel=level, mtime=0))


def _init(targets, compressor, level):
    global _targets, _compress
    _compress = make_compress(compressor, level)
    _targets = [(t, _compress(t)) for t in targets]


def _score(text):
    x = text
    cx = _compress(x)
    total = 0.0
    for y, cy in _targets:
        cxy = _compress(x + y)
        total += 1.0 - (cxy - min(cx, cy)) / max(cx, cy)
    return total / len(_targets)


def read_texts(path, field):
    texts = []
    with open(path, "rb") as f:
        for line in f:
            if line.strip():
                texts.append(json.loads(line)[field].encode("utf-8"))
    return texts


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--source", required=True)
    parser.add_argument("--target", required=True)
    parser.add_argument("--field", default="text")
    parser.add_argument("--compressor", choices=["gzip", "lz4", "zstd", "brotli", "lzma"], default="gzip")
    parser.add_argument("--level", type=int, default=None,
                        help="gzip 1-9 (default 9), lz4 0-12 (default 0), zstd (default 3); brotli and lzma take none")
    parser.add_argument("--workers", type=int, default=multiprocessing.cpu_count())
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    if args.level is None:
        args.level = {"gzip": 9, "lz4": 0, "zstd": 3}.get(args.compressor)
    sources = read_texts(args.source, args.field)
    targets = read_texts(args.target, args.field)
    started = time.perf_counter()
    with multiprocessing.Pool(args.workers, _init, (targets, args.compressor, args.level)) as pool:
        scores = pool.map(_score, sources, chunksize=max(1, len(sources) // (args.workers * 16)))
    seconds = time.perf_counter() - started
    with open(args.out, "w") as out:
        for i, s in enumerate(scores):
            out.write(json.dumps({"index": i, "score": s}) + "\n")
    pairs = len(sources) * len(targets)
    print(f"reference: {pairs} pairs in {seconds:.2f} s = {pairs / seconds:.0f} pairs/s "
          f"({args.workers} workers)", file=sys.stderr)


if __name__ == "__main__":
    main()
