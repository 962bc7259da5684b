"""`zipfit compare` against the same figures computed here with pandas and plain Python."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from conftest import SOURCE, TARGET, cli, cli_scores


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("runs")
    paths = {}
    for name, method in {"lz4": ["-c", "lz4"], "gzip1": ["-l", "1"]}.items():
        paths[name] = folder / f"{name}.jsonl"
        cli("score", "-s", str(SOURCE), "-t", str(TARGET), *method, "--scores", str(paths[name]), "-q")
    return paths


def kept(scores, count):
    """The first `count` records by descending score, ties in input order."""
    return sorted(range(len(scores)), key=lambda i: (-scores[i], i))[:count]


@pytest.mark.parametrize("top", [1, 50, 500, 4999])
def test_compare_figures_equal_a_python_computation(tmp_path, runs, top):
    a = [row["score"] for row in cli_scores(runs["lz4"])]
    b = [row["score"] for row in cli_scores(runs["gzip1"])]
    only_a = tmp_path / "only-a.jsonl"
    shown = json.loads(cli("compare", str(runs["lz4"]), str(runs["gzip1"]), "--top", str(top),
                           "-s", str(SOURCE), "--only-a", str(only_a), "--json").stdout)

    spearman = pd.Series(a).rank(method="average").corr(pd.Series(b).rank(method="average"))
    assert abs(shown["spearman"] - spearman) < 1e-12
    kept_a, kept_b = kept(a, top), kept(b, top)
    both = set(kept_a) & set(kept_b)
    assert (shown["kept_a"], shown["kept_b"], shown["kept_both"]) == (len(kept_a), len(kept_b), len(both))
    assert shown["jaccard"] == len(both) / len(set(kept_a) | set(kept_b))
    lines = [line for line in SOURCE.read_bytes().splitlines(keepends=True) if line.strip()]
    assert only_a.read_bytes() == b"".join(lines[i] for i in kept_a if i not in both)


def test_compare_refuses_runs_over_different_sources(tmp_path, runs):
    short = tmp_path / "short.jsonl"
    short.write_bytes(b"".join(runs["lz4"].read_bytes().splitlines(keepends=True)[:10]))
    failed = cli("compare", str(runs["lz4"]), str(short), check=False)
    assert failed.returncode == 1
    assert "has 5000 scores but" in failed.stderr.decode()
