"""The Ray Data pipeline on Parquet shards, against the CLI on the same rows in one file."""

from __future__ import annotations

import json
import subprocess
import sys

import numpy as np
import pytest

import zipfit
from zipfit import Budget
from conftest import SOURCE, TARGET, cli, cli_scores

ray_module = pytest.importorskip("zipfit.ray")
pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def parquet(tmp_path_factory):
    """The source as one Parquet file (zstd, row groups of 400, two null texts), and as
    four shards whose concatenation in name order is that file's rows."""
    folder = tmp_path_factory.mktemp("parquet")
    with open(SOURCE, encoding="utf-8") as f:
        records = [json.loads(line) for line in f if line.strip()]
    texts = [r["text"] for r in records]
    texts[7] = texts[len(texts) - 3] = None
    table = pa.table({
        "id": pa.array(range(len(records)), pa.int64()),
        "text": pa.array(texts, pa.string()),
        "origin": pa.array([str(r.get("origin", "")) for r in records], pa.string()),
    })
    whole = folder / "whole.parquet"
    pq.write_table(table, whole, compression="zstd", row_group_size=400)
    shards = folder / "shards"
    shards.mkdir()
    size = -(-table.num_rows // 4)
    for n in range(4):
        pq.write_table(table.slice(n * size, size), shards / f"part-{n}.parquet",
                       compression="zstd", row_group_size=400)
    return whole, shards


def parts_table(folder):
    return pa.concat_tables([pq.read_table(p) for p in sorted(folder.glob("*.parquet"))])


@pytest.mark.parametrize("order", ["rank", "input"])
def test_kept_rows_equal_the_clis_output(local_ray, tmp_path, parquet, order):
    whole, shards = parquet
    kept, rejected, skipped = (tmp_path / f"{n}.parquet" for n in ("kept", "rejected", "skipped"))
    scores = tmp_path / "scores.jsonl"
    cli("score", "-s", str(whole), "-t", str(TARGET), "-c", "lz4", "--top-percent", "10", "--order", order,
        "--on-error", "skip", "-o", str(kept), "--rejected", str(rejected), "--skipped", str(skipped),
        "--scores", str(scores), "-q")
    out = tmp_path / "out"
    outcome = ray_module.select_files(
        ray_module.source_files([str(shards)]), str(TARGET), str(out),
        budget=Budget("percent", 10), compressor="lz4", on_error="skip", order=order, rejected=True,
        part_bytes=50_000,
    )
    assert len(outcome.parts) > 1 and outcome.skipped == 2
    ours = parts_table(out)
    assert ours.schema.equals(pq.read_schema(kept)) and ours.equals(pq.read_table(kept))
    assert parts_table(out / "_zipfit" / "rejected").equals(pq.read_table(rejected))
    assert pq.read_table(out / "_zipfit" / "skipped.parquet").equals(pq.read_table(skipped))
    ours_rows, theirs_rows = cli_scores(out / "_zipfit" / "scores.jsonl"), cli_scores(scores)
    assert [(r["index"], r["score"], r["rank"]) for r in ours_rows] == [
        (r["index"], r["score"], r["rank"]) for r in theirs_rows
    ]
    # The CLI reads the shards' folder itself, by the same path rule, to the same rows.
    from_folder = tmp_path / "kept-from-folder.parquet"
    cli("score", "-s", str(shards), "-t", str(TARGET), "-c", "lz4", "--top-percent", "10", "--order", order,
        "--on-error", "skip", "-o", str(from_folder), "-q")
    assert pq.read_table(from_folder).equals(ours)


def test_a_row_group_that_cannot_be_decoded_costs_only_its_rows(local_ray, tmp_path):
    from pathlib import Path

    with open(SOURCE, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()][:400]
    intact = tmp_path / "intact.parquet"
    pq.write_table(pa.table({"text": texts}), intact, compression="snappy", row_group_size=50)
    damaged = tmp_path / "damaged.parquet"
    script = Path(__file__).resolve().parents[3] / "tests/e2e/parquet_files.py"
    subprocess.run([sys.executable, str(script), "damage", str(intact), str(damaged), "6"], check=True,
                   capture_output=True)
    kept, scores = tmp_path / "kept.parquet", tmp_path / "scores.jsonl"
    cli("score", "-s", str(damaged), "-t", str(TARGET), "-c", "lz4", "--top-percent", "10",
        "--on-error", "skip", "-o", str(kept), "--scores", str(scores), "-q")
    out = tmp_path / "out"
    said = []
    outcome = ray_module.select_files(
        [str(damaged)], str(TARGET), str(out), budget=Budget("percent", 10), compressor="lz4",
        on_error="skip", report=said.append,
    )
    assert outcome.records == 350 and outcome.skipped == 50
    assert parts_table(out).equals(pq.read_table(kept))
    assert [(r["index"], r["score"]) for r in cli_scores(out / "_zipfit" / "scores.jsonl")] == [
        (r["index"], r["score"]) for r in cli_scores(scores)
    ]
    assert "50 rows of row groups that could not be read are not in skipped.parquet" in " ".join(said)
    assert pq.read_table(out / "_zipfit" / "skipped.parquet").num_rows == 0


def test_source_files_follow_the_path_rule_of_every_shell(tmp_path):
    (tmp_path / "data" / "sub").mkdir(parents=True)
    for name in ("data/b.jsonl", "data/a.parquet", "data/sub/c.jsonl.gz", "data/README.md", "a-b.jsonl"):
        (tmp_path / name).write_bytes(b"x")
    files, left_out = zipfit.source_files([str(tmp_path / "data"), str(tmp_path / "a-b.jsonl")])
    # A plain string sort of the paths: "a-b.jsonl" before "data/...".
    assert files == [str(tmp_path / n) for n in ("a-b.jsonl", "data/a.parquet", "data/b.jsonl",
                                                  "data/sub/c.jsonl.gz")]
    assert left_out == [str(tmp_path / "data/README.md")]
    assert ray_module.source_files([str(tmp_path / "data" / "*.jsonl")]) == [str(tmp_path / "data/b.jsonl")]
    with pytest.raises(FileNotFoundError, match="no such file or folder"):
        zipfit.source_files([str(tmp_path / "nothing")])


def test_arrow_batches_are_scored_in_place(local_ray, parquet):
    import ray

    whole, _ = parquet
    table = pq.read_table(whole).filter(pa.compute.is_valid(pa.compute.field("text")))
    targets = zipfit.read_jsonl(str(TARGET)).texts()
    half = table.num_rows // 2
    blocks = ray.data.from_arrow([table.slice(0, half), table.slice(half)])
    ds = ray_module.score(blocks, targets, column="text", compressor="lz4",
                          batch_format="pyarrow", concurrency=2, batch_size=500)
    scored = pa.concat_tables(list(ds.iter_batches(batch_format="pyarrow", batch_size=None)))
    expected = zipfit.Scorer(targets, compressor="lz4").score(table.column("text"))
    by_id = dict(zip(scored.column("id").to_pylist(), scored.column("score").to_pylist()))
    assert [by_id[i] for i in table.column("id").to_pylist()] == list(expected)


def test_the_command_takes_parquet(tmp_path, parquet):
    whole, shards = parquet
    kept = tmp_path / "kept.parquet"
    cli("score", "-s", str(whole), "-t", str(TARGET), "--top", "50", "--on-error", "skip", "-o", str(kept), "-q")
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "zipfit.ray", "-s", str(shards / "*.parquet"), "-t", str(TARGET),
         "-o", str(out), "--top", "50", "--on-error", "skip", "--num-cpus", "2"],
        capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr
    assert parts_table(out).equals(pq.read_table(kept))
