"""`zipfit score -c dsir` against the reference package `data-selection` 1.0.3
(`HashedNgramDSIR` with its defaults), on the development data."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from conftest import SOURCE, TARGET, cli, cli_scores

data_selection = pytest.importorskip("data_selection")


@pytest.fixture(scope="module")
def reference(tmp_path_factory):
    """The package's log importance weight of every source record, fitted on every
    n-gram of the source (num_tokens_to_fit="all") and of the targets."""
    dsir = data_selection.HashedNgramDSIR(
        [str(SOURCE)], [str(TARGET)], cache_dir=str(tmp_path_factory.mktemp("dsir")), num_proc=1
    )
    dsir.fit_importance_estimator(num_tokens_to_fit="all")
    texts = [json.loads(line)["text"] for line in SOURCE.read_text().splitlines() if line.strip()]
    return np.array([dsir.importance_estimator(dsir.featurizer(t)) for t in texts])


def test_dsir_weights_equal_the_reference_package(tmp_path, reference):
    scores_file = tmp_path / "scores.jsonl"
    cli("score", "-s", str(SOURCE), "-t", str(TARGET), "-c", "dsir", "--scores", str(scores_file), "-q")
    ours = np.array([row["score"] for row in cli_scores(scores_file)])
    assert len(ours) == len(reference) > 0
    # Equal to floating-point rounding: numpy's dot sums in another order.
    error = np.abs(ours - reference) / np.maximum(1.0, np.abs(reference))
    assert error.max() < 1e-12, np.flatnonzero(error >= 1e-12)[:20]
    spearman = pd.Series(ours).rank().corr(pd.Series(reference).rank())
    assert spearman == pytest.approx(1.0, abs=1e-12)
    # The same records on top, in the same order.
    assert (np.argsort(-ours, kind="stable")[:500] == np.argsort(-reference, kind="stable")[:500]).all()


def test_dsir_is_deterministic_and_thread_independent(tmp_path):
    runs = []
    for threads in ("1", "2", "2"):
        path = tmp_path / f"scores-{len(runs)}.jsonl"
        cli("score", "-s", str(SOURCE), "-t", str(TARGET), "-c", "dsir", "-j", threads, "--scores", str(path), "-q")
        runs.append(path.read_bytes())
    assert runs[0] == runs[1] == runs[2]
