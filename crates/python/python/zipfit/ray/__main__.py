"""``python -m zipfit.ray``: score and select a sharded JSONL or Parquet corpus on Ray.

The flags are ``zipfit score``'s; the output is a folder (see ``select_files``).
"""

from __future__ import annotations

import argparse
import sys
from typing import List, Optional

from zipfit import Budget, compressed_len
from zipfit._zipfit import parse_budget
from zipfit.ray import record_error_message, select_files, source_files


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m zipfit.ray",
        description="ZIP-FIT data selection over many JSONL or Parquet files on a Ray cluster. "
        "The kept lines come out byte for byte (Parquet: the kept rows, as Parquet parts with "
        "the sources' schema), in the order `zipfit score -o` writes them for the files "
        "concatenated in sorted order.",
    )
    p.add_argument("-s", "--source", action="append", required=True, metavar="GLOB",
                   help="source JSONL or Parquet files: a glob (quote it), a file, or a folder of "
                        "*.jsonl, *.jsonl.gz and *.parquet (recursively, for a local folder), by the "
                        "path rule of `zipfit score -s`; repeat for more. Input order: sorted "
                        "paths, then lines (rows).")
    p.add_argument("-t", "--target", required=True, help="target JSONL (.jsonl or .jsonl.gz) or Parquet")
    p.add_argument("-o", "--out", required=True, metavar="OUTDIR",
                   help="folder for the kept part-*.jsonl (or .parquet) files and _zipfit/ (scores, skipped lines)")
    p.add_argument("-f", "--field", default="text",
                   help="text field of source records: a name, a dotted path, or a chat-message array")
    p.add_argument("--target-field", help="text field of target records [default: --field]")
    p.add_argument("-c", "--compressor", choices=["gzip", "lz4", "zstd", "brotli", "lzma"], default="gzip")
    p.add_argument("-l", "--level", type=int, default=None, metavar="LEVEL",
                   help="gzip 1-9 (default 9); LZ4 0-12 (default 0, its fastest); "
                        "zstd -7 to -1 and 1-22 (default 3); brotli 11; lzma 6")
    p.add_argument("--on-error", choices=["stop", "skip"], default="stop",
                   help="stop at a bad line, or skip it (reported, and written to _zipfit/skipped.jsonl)")
    budget = p.add_mutually_exclusive_group()
    # Taken as text and checked by the core's rule for budgets (see main).
    budget.add_argument("--top", metavar="N", help="keep the top N records")
    budget.add_argument("--top-percent", metavar="P", help="keep the top P percent (0 to 100)")
    budget.add_argument("--token-budget", metavar="TOKENS",
                        help="keep the top records whose tokens (see --tokens) add up to at most this many")
    budget.add_argument("--threshold", metavar="S", help="keep records scoring above S (a finite number)")
    p.add_argument("--tokens", default="bytes", metavar="COUNTER",
                   help="what --token-budget counts: bytes (UTF-8 bytes / 4), words, cl100k_base, "
                        "o200k_base, or a tokenizer.json path")
    p.add_argument("--order", choices=["rank", "input"], default="rank",
                   help="order of kept records: best first, or as in the input")
    p.add_argument("--rejected", action="store_true",
                   help="also write the records not kept, to _zipfit/rejected/part-*.jsonl")
    p.add_argument("--address", help="a running Ray cluster (default: start Ray on this machine)")
    p.add_argument("--num-cpus", type=int, help="CPUs for a Ray started here [default: all]")
    p.add_argument("--workers", type=int, help="scoring workers [default: every CPU of the cluster]")
    p.add_argument("--part-mb", type=int, default=64, help="about this many MB per kept part")
    p.add_argument("-q", "--quiet", action="store_true", help="print nothing but errors")
    return p


def main(argv: Optional[List[str]] = None) -> int:
    p = parser()
    args = p.parse_args(argv)
    try:
        # The core's rule for which levels a compressor can honour exactly.
        compressed_len("", args.compressor, args.level)
    except ValueError as unusable:
        p.error(str(unusable))
    budget = Budget()
    for flag, kind, text in (("--top", "count", args.top), ("--top-percent", "percent", args.top_percent),
                             ("--token-budget", "tokens", args.token_budget),
                             ("--threshold", "threshold", args.threshold)):
        if text is not None:
            # The rule every zipfit shell applies to a budget, before any file is read.
            try:
                budget = Budget(kind, parse_budget(kind, text))
            except ValueError as refused:
                p.error(f"{flag}: {refused}")
    say = (lambda message: None) if args.quiet else (
        lambda message: print(f"zipfit: {message}", file=sys.stderr, flush=True))
    try:
        sources = source_files(args.source)
    except FileNotFoundError as missing:
        print(f"zipfit: {missing}", file=sys.stderr)
        return 1

    import ray
    from ray.data import DataContext

    ray.init(
        # "local" always starts Ray here, even when another Ray runs on this machine.
        address=args.address or "local",
        num_cpus=None if args.address else args.num_cpus,
        include_dashboard=False,
        log_to_driver=False,
        logging_level="ERROR",
        configure_logging=True,
    )
    context = DataContext.get_current()
    context.enable_progress_bars = False
    context.print_on_execution_start = False
    try:
        outcome = select_files(
            sources,
            args.target,
            args.out,
            budget=budget,
            field=args.field,
            target_field=args.target_field,
            compressor=args.compressor,
            level=args.level,
            on_error=args.on_error,
            tokens=args.tokens,
            order=args.order,
            rejected=args.rejected,
            workers=args.workers,
            part_bytes=args.part_mb << 20,
            report=say,
        )
    except Exception as error:  # noqa: BLE001 - every failure becomes one clear line
        print(f"zipfit: {record_error_message(error) or error}", file=sys.stderr)
        return 1
    finally:
        ray.shutdown()
    stages = ", ".join(f"{name} {s:.2f} s" for name, s in outcome.seconds.items())
    say(f"wrote {args.out} ({stages})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
