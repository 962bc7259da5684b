#!/usr/bin/env python3
"""Benchmark (not a test): the zipfit CLI against the reference Python port, side by side.

Runs both on the same files with the same number of workers, for each compressor and level
asked for, and prints pairs/s for each, their ratio, and the fidelity of the CLI's scores to
the reference (how many are the same f64, Spearman and top-10% overlap). Usage, from the
repository root:

    python3 crates/cli/bench/compare_reference.py [--source S] [--target T] [--workers 2]
        [--levels 9,6,1,lz4:9,zstd:3,zstd:19,brotli,lzma] [--lz4] [--backend model|crate]

--levels takes gzip levels (a number) and NAME or NAME:LEVEL for the other compressors;
--lz4 (on by default) adds LZ4 at level 0.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
DEV = os.path.join(ROOT, "../shared/data/dev-5k")


def ranks(values):
    order = sorted(range(len(values)), key=lambda i: values[i])
    result = [0.0] * len(values)
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
            j += 1
        for k in order[i:j + 1]:
            result[k] = (i + j) / 2 + 1
        i = j + 1
    return result


def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    n = len(a)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb))
    va = sum((x - ma) ** 2 for x in ra)
    vb = sum((y - mb) ** 2 for y in rb)
    return cov / (va * vb) ** 0.5


def top_overlap(reference, ours):
    k = max(1, len(reference) // 10)
    top = lambda s: set(sorted(range(len(s)), key=lambda i: -s[i])[:k])
    return len(top(reference) & top(ours)) / k


def read_scores(path):
    with open(path) as f:
        return [json.loads(line)["score"] for line in f if line.strip()]


def count_lines(path):
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def timed(command):
    started = time.perf_counter()
    subprocess.run(command, check=True, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source", default=os.path.join(DEV, "source.jsonl"))
    parser.add_argument("--target", default=os.path.join(DEV, "target.jsonl"))
    parser.add_argument("--workers", type=int, default=os.cpu_count())
    parser.add_argument("--levels", default="9,6,1")
    parser.add_argument("--lz4", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--backend", default="model")
    args = parser.parse_args()

    cli = os.path.join(ROOT, "target/release/zipfit")
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "zipfit-cli"], check=True, cwd=ROOT)
    pairs = count_lines(args.source) * count_lines(args.target)
    runs = []
    for spec in filter(None, args.levels.split(",")):
        name, _, level = spec.rpartition(":") if ":" in spec else (spec, "", "")
        if spec.isdigit():
            runs.append(("gzip", int(spec)))
        else:
            name = name or spec
            runs.append((name, int(level) if level else {"lz4": 0, "zstd": 3, "brotli": 11, "lzma": 6}[name]))
    if args.lz4 and ("lz4", 0) not in runs:
        runs.append(("lz4", 0))
    print(f"{count_lines(args.source)} sources x {count_lines(args.target)} targets = {pairs} pairs, "
          f"{args.workers} workers, backend {args.backend}")
    print(f"{'compressor':<12} {'reference pairs/s':>18} {'zipfit pairs/s':>15} {'ratio':>7} {'same f64':>9} {'spearman':>9} {'top10%':>7}")
    with tempfile.TemporaryDirectory() as tmp:
        for compressor, level in runs:
            ref_out = os.path.join(tmp, "ref.jsonl")
            ours_out = os.path.join(tmp, "ours.jsonl")
            ref_seconds = timed([sys.executable, os.path.join(ROOT, "tests/reference/zipfit_ref.py"),
                                 "--source", args.source, "--target", args.target, "--compressor", compressor,
                                 "--level", str(level), "--workers", str(args.workers), "--out", ref_out])
            ours_seconds = timed([cli, "score", "--quiet", "-s", args.source, "-t", args.target, "-c", compressor,
                                  "-l", str(level), "-j", str(args.workers), "--backend", args.backend,
                                  "--scores", ours_out])
            reference, ours = read_scores(ref_out), read_scores(ours_out)
            same = sum(a == b for a, b in zip(reference, ours)) / len(reference)
            print(f"{compressor + ' ' + str(level):<12} {pairs / ref_seconds:>18,.0f} {pairs / ours_seconds:>15,.0f} "
                  f"{ref_seconds / ours_seconds:>6.1f}x {same:>9.1%} {spearman(reference, ours):>9.4f} "
                  f"{top_overlap(reference, ours):>7.3f}", flush=True)


if __name__ == "__main__":
    main()
