#!/usr/bin/env python3
"""What the trust features cost against a plain run, side by side: --stability, --dedup, the DSIR
baseline next to gzip 9 and LZ4, and `zipfit compare`. Prints figures, asserts nothing.

    python3 crates/cli/bench/features.py [--copies 1,100]

The sources are the development data repeated (x100 = 500,000 records). Repeats are
exact copies, so with --dedup the walk must go deep to fill the budget: a worst case.
"""

import argparse
import subprocess
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
CLI = ROOT / "target" / "release" / "zipfit"
DATA = ROOT.parent / "shared" / "data" / "dev-5k"


def timed(*args):
    started = time.perf_counter()
    done = subprocess.run([str(CLI), *map(str, args)], capture_output=True, text=True, check=True)
    return time.perf_counter() - started, (done.stderr or done.stdout).strip().splitlines()[-1]


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--copies", default="1,100")
    args = p.parse_args()
    work = Path(tempfile.mkdtemp(prefix="zipfit-features-"))
    source_bytes = (DATA / "source.jsonl").read_bytes()
    target = DATA / "target.jsonl"
    for copies in map(int, args.copies.split(",")):
        source = work / f"source-x{copies}.jsonl"
        source.write_bytes(source_bytes * copies)
        records = source_bytes.count(b"\n") * copies
        print(f"\n{records} records, 82 targets, keep the top 10 %, 2 threads (wall time of the whole command)")
        plain, _ = timed("score", "-s", source, "-t", target, "-c", "lz4", "--top-percent", "10",
                         "-o", work / "kept.jsonl", "--scores", work / "a.jsonl")
        dedup, summary = timed("score", "-s", source, "-t", target, "-c", "lz4", "--top-percent", "10",
                               "--dedup", "-o", work / "kept-dedup.jsonl")
        print(f"  lz4                 {plain:7.2f} s")
        stable, _ = timed("score", "-s", source, "-t", target, "-c", "lz4", "--top-percent", "10",
                          "-o", work / "kept-stable.jsonl", "--stability", work / "stability.json")
        print(f"  lz4 --stability     {stable:7.2f} s  (+{stable - plain:.2f} s, {stable / plain:.2f}x)")
        print(f"  lz4 --dedup 0.8     {dedup:7.2f} s  (+{dedup - plain:.2f} s, {dedup / plain:.2f}x; {summary.split(': ', 1)[1]})")
        dsir, _ = timed("score", "-s", source, "-t", target, "-c", "dsir", "--top-percent", "10",
                        "-o", work / "kept-dsir.jsonl", "--scores", work / "b.jsonl")
        print(f"  dsir                {dsir:7.2f} s  ({dsir / plain:.2f}x LZ4's time)")
        if copies == 1:
            gzip9, _ = timed("score", "-s", source, "-t", target, "-l", "9", "--top-percent", "10",
                             "-o", work / "kept-gzip.jsonl")
            print(f"  gzip 9              {gzip9:7.2f} s  (DSIR takes {dsir / gzip9:.3f}x gzip 9's time)")
        compare, _ = timed("compare", work / "a.jsonl", work / "b.jsonl", "--top-percent", "10")
        print(f"  compare lz4 / dsir  {compare:7.2f} s")
    print(f"\n(files in {work})")


if __name__ == "__main__":
    main()
