"""Benchmark: the Python scorer and the Ray pipeline against the CLI, side by side.

Prints figures and asserts nothing. The corpus is the development data repeated
``--copies`` times (so the run is long enough for Ray's fixed costs to matter as they
would on a real corpus), cut into ``--shards`` files.

    .venv/bin/python crates/python/bench/bench.py [--copies 8] [--shards 16] [--compressor gzip]
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import zipfit

ROOT = Path(__file__).resolve().parents[3]
CLI = ROOT / "target" / "release" / "zipfit"


def data_dir() -> Path:
    dev = ROOT.parent / "shared" / "data" / "dev-5k"
    return dev if (dev / "source.jsonl").exists() else ROOT / "www" / "example"


def run(args, **kw) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    done = subprocess.run(args, capture_output=True, text=True, check=True, **kw)
    return time.perf_counter() - started, done


def pairs_per_second(stderr: str) -> float:
    return float(re.search(r"\(([0-9.]+) pairs/s", stderr).group(1))


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--copies", type=int, default=8)
    p.add_argument("--shards", type=int, default=16)
    p.add_argument("--compressor", choices=["gzip", "lz4", "zstd", "brotli", "lzma"], default="gzip")
    p.add_argument("--level", type=int, default=None, help="gzip 1-9 (default 9); LZ4 0-12 (default 0); zstd (default 3); brotli 11; lzma 6")
    args = p.parse_args()
    method = ["-c", args.compressor] + ([] if args.level is None else ["-l", str(args.level)])

    data = data_dir()
    target = data / "target.jsonl"
    lines = (data / "source.jsonl").read_bytes().splitlines(keepends=True) * args.copies
    work = Path(tempfile.mkdtemp(prefix="zipfit-bench-"))
    whole = work / "whole.jsonl"
    whole.write_bytes(b"".join(lines))
    shards = work / "shards"
    shards.mkdir()
    size = -(-len(lines) // args.shards)
    for n in range(args.shards):
        (shards / f"shard-{n:03d}.jsonl").write_bytes(b"".join(lines[n * size : (n + 1) * size]))
    targets = zipfit.read_jsonl(str(target)).texts()
    print(f"corpus: {len(lines)} records ({whole.stat().st_size / 1e6:.1f} MB) in {args.shards} files, "
          f"{len(targets)} targets, {args.compressor}"
          + (f" level {9 if args.level is None else args.level}" if args.compressor == "gzip" else ""))

    print("\n1. Python scorer against the CLI, 2 threads each (scoring only)")
    _, cli_run = run([str(CLI), "score", "-s", str(whole), "-t", str(target), *method, "-j", "2"])
    cli_rate = pairs_per_second(cli_run.stderr)
    records = zipfit.read_jsonl(str(whole))
    scorer = zipfit.Scorer(targets, compressor=args.compressor, level=args.level, threads=2)
    started = time.perf_counter()
    scorer.score_lines(records.lines)
    seconds = time.perf_counter() - started
    py_rate = len(records) * len(targets) / seconds
    print(f"   CLI     {cli_rate:12.0f} pairs/s")
    print(f"   Python  {py_rate:12.0f} pairs/s   ({py_rate / cli_rate:.3f}x the CLI)")

    print("\n2. Ray pipeline against the CLI, end to end (files in, kept lines and scores out)")
    started = time.perf_counter()
    for shard in sorted(shards.glob("*.jsonl")):
        for _ in zipfit.JsonlChunks(str(shard)):
            pass
    read_alone = time.perf_counter() - started
    print(f"   reading every shard alone, one thread: {read_alone:.2f} s")
    for cpus in (1, 2):
        cli_seconds, _ = run([str(CLI), "score", "-s", str(whole), "-t", str(target), *method,
                              "-j", str(cpus), "--top-percent", "10", "-o", str(work / "kept.jsonl"),
                              "--scores", str(work / "scores.jsonl"), "-q"])
        out = work / f"out-{cpus}"
        wall, ray_run = run([sys.executable, "-m", "zipfit.ray", "-s", str(shards / "*.jsonl"),
                             "-t", str(target), *method, "--top-percent", "10", "-o", str(out),
                             "--num-cpus", str(cpus)])
        stages = dict(
            (name.strip(), float(value))
            for name, value in re.findall(r"([a-z ]+) ([0-9.]+) s", ray_run.stderr.split("(targets")[-1])
        )
        stages["targets"] = float(re.search(r"\(targets ([0-9.]+) s", ray_run.stderr).group(1))
        same = b"".join(p.read_bytes() for p in sorted(out.glob("*.jsonl"))) == (work / "kept.jsonl").read_bytes()
        total = stages["total"]
        print(f"   {cpus} CPU{'s' if cpus > 1 else ''}: CLI {cli_seconds:.2f} s; Ray pipeline {total:.2f} s "
              f"({cli_seconds / total:.3f}x the CLI's throughput; kept lines {'equal' if same else 'DIFFER'}), "
              f"plus {wall - total:.1f} s starting and stopping Ray")
        print("      stages: " + ", ".join(f"{k} {stages[k]:.2f} s" for k in
                                          ("targets", "read and score", "select", "write")))
    print(f"\n(files in {work})")


if __name__ == "__main__":
    main()
