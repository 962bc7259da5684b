#!/usr/bin/env python3
"""Benchmark (not a test): how scoring time and peak memory grow with the source.

Runs `zipfit score` once per data set and compressor and prints seconds, pairs/s and
peak resident memory against the input size. Usage, from the repository root:

    python3 crates/cli/bench/scaling.py DIR [DIR ...] [--compressors lz4,gzip]

Each DIR holds source.jsonl and target.jsonl (for example sets made by
../shared/tools/build_data.py with --n 5000, 50000, 500000).
"""
import argparse
import os
import subprocess
import time

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))


def count_lines(path):
    with open(path, "rb") as f:
        return sum(1 for line in f if line.strip())


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dirs", nargs="+")
    parser.add_argument("--compressors", default="lz4,gzip")
    args = parser.parse_args()
    cli = os.path.join(ROOT, "target/release/zipfit")
    subprocess.run(["cargo", "build", "--release", "-q", "-p", "zipfit-cli"], check=True, cwd=ROOT)
    print(f"{'data':<24} {'compressor':<10} {'records':>9} {'input MB':>9} {'seconds':>8} {'pairs/s':>11} "
          f"{'peak MB':>8} {'peak/input':>10}")
    for compressor in args.compressors.split(","):
        for directory in args.dirs:
            source = os.path.join(directory, "source.jsonl")
            target = os.path.join(directory, "target.jsonl")
            records, targets = count_lines(source), count_lines(target)
            size = os.path.getsize(source)
            started = time.perf_counter()
            child = subprocess.Popen([cli, "score", "--quiet", "-s", source, "-t", target, "-c", compressor])
            _, status, usage = os.wait4(child.pid, 0)
            seconds = time.perf_counter() - started
            if status != 0:
                raise SystemExit(f"zipfit failed on {directory}")
            peak = usage.ru_maxrss * 1024  # this child's own peak resident memory
            print(f"{os.path.basename(os.path.normpath(directory)):<24} {compressor:<10} {records:>9} "
                  f"{size / 1e6:>9.1f} {seconds:>8.2f} {records * targets / seconds:>11,.0f} "
                  f"{peak / 1e6:>8.1f} {peak / size:>10.2f}", flush=True)


if __name__ == "__main__":
    main()
