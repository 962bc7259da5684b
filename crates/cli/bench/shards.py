#!/usr/bin/env python3
"""Benchmark (not a test): a source in shards against the same records in one file, and
the CLI's peak memory as the source grows.

Builds sources by repeating the development records (dev-5k, about 580 bytes a record)
up to each size asked for, and prints, for each: the peak resident memory of
`zipfit score -c lz4` (5 targets, top 10 %, -o and --scores), its scoring speed, and
with --shards K the pairs/s of the same records split into K shard files, measured
alternately with the one file (median of --runs each) and their kept bytes compared.
--other BIN runs a second zipfit binary (another commit's) beside this one on the one
file: peak memory and pairs/s side by side, kept bytes and scores compared. Usage, from
the repository root:

    python3 crates/cli/bench/shards.py [--records 1000000,3000000] [--shards 7]
        [--runs 3] [--other PATH/zipfit] [--dir /tmp/zipfit-shards-bench]
"""
import argparse
import filecmp
import os
import re
import statistics
import subprocess
import tempfile

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "../../.."))
DEV = os.path.join(ROOT, "../shared/data/dev-5k")
ZIPFIT = os.path.join(ROOT, "target/release/zipfit")


def build(folder, records, shards):
    """The source of `records` records as one file, and as `shards` files in a folder."""
    one = os.path.join(folder, f"source-{records}.jsonl")
    parts = os.path.join(folder, f"shards-{records}-{shards}")
    with open(os.path.join(DEV, "source.jsonl"), "rb") as f:
        lines = f.read().splitlines(keepends=True)
    if not os.path.exists(one):
        with open(one + ".part", "wb") as out:
            for i in range(records):
                out.write(lines[i % len(lines)])
        os.replace(one + ".part", one)
    if shards and not os.path.isdir(parts):
        os.makedirs(parts + ".part")
        for k in range(shards):
            with open(os.path.join(parts + ".part", f"part-{k:05d}.jsonl"), "wb") as out:
                for i in range(k * records // shards, (k + 1) * records // shards):
                    out.write(lines[i % len(lines)])
        os.replace(parts + ".part", parts)
    return one, parts


def run(binary, source, target, out):
    """Scores `source`; returns (peak resident MB, pairs/s)."""
    command = ["/usr/bin/time", "-f", "peak %M", binary, "score", "-c", "lz4", "-s", source,
               "-t", target, "--top-percent", "10", "-o", os.path.join(out, "kept.jsonl"),
               "--scores", os.path.join(out, "scores.jsonl")]
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    peak = int(re.search(r"peak (\d+)", done.stderr).group(1)) / 1024
    rate = float(re.search(r"\(([\d.]+) pairs/s", done.stderr).group(1))
    return peak, rate


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--records", default="1000000,3000000")
    parser.add_argument("--shards", type=int, default=7)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--other", help="another zipfit binary, run beside this one")
    parser.add_argument("--dir", default=os.path.join(tempfile.gettempdir(), "zipfit-shards-bench"))
    args = parser.parse_args()
    os.makedirs(args.dir, exist_ok=True)
    target = os.path.join(args.dir, "target-5.jsonl")
    with open(os.path.join(DEV, "target.jsonl"), "rb") as f:
        head = f.read().splitlines(keepends=True)[:5]
    with open(target, "wb") as out:
        out.writelines(head)
    print("records | peak MB | pairs/s (one file) | pairs/s (shards) | shards / one | other: peak MB | other: pairs/s | same bytes")
    for records in [int(r) for r in args.records.split(",")]:
        one, parts = build(args.dir, records, args.shards)
        outs = {name: os.path.join(args.dir, f"out-{name}") for name in ("one", "shards", "other")}
        for folder in outs.values():
            os.makedirs(folder, exist_ok=True)
        peaks, rates = {"one": [], "shards": [], "other": []}, {"one": [], "shards": [], "other": []}
        runs = [("one", ZIPFIT, one), ("shards", ZIPFIT, parts), ("other", args.other, one)]
        for n in range(args.runs):
            # Each run in turn goes first: a run's writes are still being flushed while
            # the next one starts.
            for name, binary, source in runs[n % 3:] + runs[:n % 3]:
                if binary is None or (name == "shards" and not args.shards):
                    continue
                peak, rate = run(binary, source, target, outs[name])
                peaks[name].append(peak)
                rates[name].append(rate)
        kept = lambda name: os.path.join(outs[name], "kept.jsonl")
        same = filecmp.cmp(kept("one"), kept("shards"), shallow=False) if args.shards else None
        if args.other:
            same = same is not False and filecmp.cmp(kept("one"), kept("other"), shallow=False) \
                and filecmp.cmp(os.path.join(outs["one"], "scores.jsonl"),
                                os.path.join(outs["other"], "scores.jsonl"), shallow=False)
        median = lambda name: statistics.median(rates[name]) if rates[name] else None
        cell = lambda value, form: form.format(value) if value is not None else "-"
        ratio = median("shards") / median("one") if rates["shards"] else None
        print(f"{records:,} | {max(peaks['one']):.0f} | {median('one'):,.0f} | "
              f"{cell(median('shards'), '{:,.0f}')} | {cell(ratio, '{:.3f}')} | "
              f"{cell(max(peaks['other']) if peaks['other'] else None, '{:.0f}')} | "
              f"{cell(median('other'), '{:,.0f}')} | {same}")


if __name__ == "__main__":
    main()
