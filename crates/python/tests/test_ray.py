"""The Ray Data pipeline on a local Ray with 2 CPUs, against the CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import zipfit
from zipfit import Budget
from conftest import SOURCE, TARGET, cli, cli_scores, split_lines

ray_module = pytest.importorskip("zipfit.ray")


@pytest.fixture(scope="module")
def shards(tmp_path_factory):
    return split_lines(SOURCE, tmp_path_factory.mktemp("shards"), 5)


def kept_bytes(out: Path) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(out.glob("*.jsonl")))


def assert_same_scores(ours: Path, theirs: Path, shards):
    """Our scores file (with file names) holds the CLI's index, score and rank for every
    record, and each record's line in its own shard."""
    lines_before = {}
    total = 0
    for shard in shards:
        lines_before[str(shard)] = total
        total += len(shard.read_bytes().splitlines())
    ours_rows, theirs_rows = cli_scores(ours), cli_scores(theirs)
    assert len(ours_rows) == len(theirs_rows) > 0
    for a, b in zip(ours_rows, theirs_rows):
        assert (a["index"], a["score"], a["rank"]) == (b["index"], b["score"], b["rank"])
        assert lines_before[a["file"]] + a["line"] == b["line"]


BUDGETS = [
    (["--top", "123"], Budget("count", 123)),
    (["--top-percent", "10"], Budget("percent", 10)),
    (["--token-budget", "30000"], Budget("tokens", 30000)),
    (["--threshold", "0.1"], Budget("threshold", 0.1)),
]


@pytest.mark.parametrize("flags,budget", BUDGETS, ids=[b.kind for _, b in BUDGETS])
def test_pipeline_writes_what_the_cli_writes(local_ray, tmp_path, shards, flags, budget):
    kept, scores = tmp_path / "kept.jsonl", tmp_path / "scores.jsonl"
    cli("score", "-s", str(SOURCE), "-t", str(TARGET), "-c", "lz4", *flags,
        "-o", str(kept), "--scores", str(scores), "-q")
    out = tmp_path / "out"
    outcome = ray_module.select_files(
        [str(s) for s in shards], str(TARGET), str(out), budget=budget, compressor="lz4",
        part_bytes=10_000,
    )
    assert outcome.kept > 0 and len(outcome.parts) > 1
    assert kept_bytes(out) == kept.read_bytes()
    assert_same_scores(out / "_zipfit" / "scores.jsonl", scores, shards)


def test_input_order_and_rejected(local_ray, tmp_path, shards):
    kept, rejected = tmp_path / "kept.jsonl", tmp_path / "rejected.jsonl"
    cli("score", "-s", str(SOURCE), "-t", str(TARGET), "-l", "1", "--top", "700", "--order", "input",
        "-o", str(kept), "--rejected", str(rejected), "-q")
    out = tmp_path / "out"
    ray_module.select_files([str(s) for s in shards], str(TARGET), str(out), budget=Budget("count", 700),
                            level=1, order="input", rejected=True, part_bytes=100_000)
    assert kept_bytes(out) == kept.read_bytes()
    assert kept_bytes(out / "_zipfit" / "rejected") == rejected.read_bytes()


def test_a_dataset_with_a_text_column_or_raw_lines(local_ray, shards):
    import ray

    targets = zipfit.read_jsonl(str(TARGET)).texts()
    records = zipfit.read_jsonl(str(shards[0]))
    expected = zipfit.Scorer(targets, compressor="lz4").score(records.texts())
    rows = [{"i": i, "text": t, "raw": line} for i, (t, line) in enumerate(zip(records.texts(), records.lines))]
    ds = ray.data.from_items(rows, override_num_blocks=4)
    by_text = ray_module.score(ds, targets, column="text", compressor="lz4", batch_size=100).take_all()
    by_line = ray_module.score(ds, targets, lines_column="raw", compressor="lz4", batch_size=100).take_all()
    for result in (by_text, by_line):
        got = np.empty(len(rows))
        for row in result:
            got[row["i"]] = row["score"]
        assert got.tobytes() == expected.tobytes()


@pytest.fixture()
def bad_shards(tmp_path, shards):
    """The shards with bad lines put into the second and fourth, and a blank line."""
    folder = tmp_path / "bad"
    folder.mkdir()
    paths = []
    for n, shard in enumerate(shards):
        lines = shard.read_bytes().splitlines(keepends=True)
        if n == 1:
            lines.insert(3, b'{"text": 7}\n')
            lines.insert(10, b"\n")
        if n == 3:
            lines.insert(0, b'{"body": "no text"}\n')
            lines.append(b"{truncated")
        path = folder / shard.name
        path.write_bytes(b"".join(lines))
        paths.append(path)
    whole = tmp_path / "whole.jsonl"
    whole.write_bytes(b"".join(p.read_bytes() if p.read_bytes().endswith(b"\n") else p.read_bytes() + b"\n"
                               for p in paths))
    return paths, whole


def test_bad_lines_stop_with_file_line_and_problem(local_ray, tmp_path, bad_shards):
    paths, _ = bad_shards
    with pytest.raises(Exception) as stopped:
        ray_module.select_files([str(p) for p in paths[:3]], str(TARGET), str(tmp_path / "out"))
    message = ray_module.record_error_message(stopped.value)
    assert message == f'{paths[1]}:4: field "text" is not text (a number)'


def test_bad_lines_skipped_are_reported_and_written_apart(local_ray, tmp_path, bad_shards):
    paths, whole = bad_shards
    kept, skipped = tmp_path / "kept.jsonl", tmp_path / "skipped.jsonl"
    cli("score", "-s", str(whole), "-t", str(TARGET), "--on-error", "skip", "--top", "250",
        "-o", str(kept), "--skipped", str(skipped), "-q")
    out, messages = tmp_path / "out", []
    outcome = ray_module.select_files([str(p) for p in paths], str(TARGET), str(out), budget=Budget("count", 250),
                                      on_error="skip", report=messages.append)
    assert outcome.skipped == 3
    assert kept_bytes(out) == kept.read_bytes()
    assert (out / "_zipfit" / "skipped.jsonl").read_bytes() == skipped.read_bytes()
    assert [m for m in messages if m.startswith("skipped")] == [
        f'skipped {paths[1]}:4: field "text" is not text (a number)',
        f'skipped {paths[3]}:1: no field "text"',
        f"skipped {paths[3]}:{len(paths[3].read_bytes().splitlines())}: not valid JSON: "
        "key must be a string at line 1 column 2",
    ]


def test_the_command(tmp_path, shards):
    """``python -m zipfit.ray`` as a user runs it, with its own local Ray."""
    kept = tmp_path / "kept.jsonl"
    cli("score", "-s", str(SOURCE), "-t", str(TARGET), "--top-percent", "5", "-o", str(kept), "-q")
    out = tmp_path / "out"
    run = subprocess.run(
        [sys.executable, "-m", "zipfit.ray", "--source", str(shards[0].parent / "*.jsonl"),
         "--target", str(TARGET), "--top-percent", "5", "--out", str(out), "--num-cpus", "2"],
        capture_output=True, text=True,
    )
    assert run.returncode == 0, run.stderr
    assert kept_bytes(out) == kept.read_bytes()
    assert "zipfit: kept 250 of 5000 records (top 5%)" in run.stderr

    missing = subprocess.run([sys.executable, "-m", "zipfit.ray", "-s", str(tmp_path / "nope*.jsonl"),
                              "-t", str(TARGET), "-o", str(out)], capture_output=True, text=True)
    assert missing.returncode == 1
    # The path rule's own message, as the CLI gives it.
    assert missing.stderr.strip() == f"zipfit: {tmp_path / 'nope*.jsonl'}: the pattern matches no files"


def test_the_command_stops_at_a_bad_line(tmp_path):
    bad = tmp_path / "in" / "a.jsonl"
    bad.parent.mkdir()
    bad.write_text('{"text": "def f(): pass"}\n{"text": null}\n')
    run = subprocess.run([sys.executable, "-m", "zipfit.ray", "-s", str(bad.parent), "-t", str(TARGET),
                          "-o", str(tmp_path / "out"), "--num-cpus", "1"], capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr.strip().splitlines()[-1] == f'zipfit: {bad}:2: field "text" is not text (null)'
    bad_level = subprocess.run([sys.executable, "-m", "zipfit.ray", "-s", str(bad.parent), "-t", str(TARGET),
                                "-o", str(tmp_path / "out"), "-l", "12"], capture_output=True, text=True)
    assert bad_level.returncode == 2 and "gzip level must be 1-9, not 12" in bad_level.stderr
    # A level liblz4 does not have is refused, not scored at another.
    lz4_level = subprocess.run([sys.executable, "-m", "zipfit.ray", "-s", str(bad.parent), "-t", str(TARGET),
                                "-o", str(tmp_path / "out"), "-c", "lz4", "-l", "13"], capture_output=True, text=True)
    assert lz4_level.returncode == 2 and "lz4 level must be 0-12, not 13" in lz4_level.stderr
