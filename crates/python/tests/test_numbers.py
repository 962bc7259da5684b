"""Every budget a user gives Python or the Ray command is checked by the core's one rule,
before any file is read: the message names the argument, the value and the range."""

from __future__ import annotations

import math

import numpy as np
import pytest

import zipfit
from conftest import TARGET
from zipfit.ray.__main__ import main

SCORES = np.array([0.1, 0.5, 0.3, 0.2])

# (argument, value, what the ValueError must say; None when the value is good).
CASES = [
    ("top", 0, None),
    ("top", 4, None),
    ("top", 99, None),
    ("top", -1, "top: -1 is not a count of records: a count is a whole number from 0 up"),
    ("top", 2.5, "top: 2.5 is not a count of records"),
    ("top", "ten", "top: ten is not a count of records"),
    ("top_percent", 0, None),
    ("top_percent", 100, None),
    ("top_percent", 100.5, "top_percent: 100.5 is not a percent: a percent is a number from 0 to 100"),
    ("top_percent", 150, "top_percent: 150 is not a percent"),
    ("top_percent", -5, "top_percent: -5 is not a percent"),
    ("top_percent", math.nan, "top_percent: nan is not a percent"),
    ("top_percent", math.inf, "top_percent: inf is not a percent"),
    ("token_budget", 0, None),
    ("token_budget", -3, "token_budget: -3 is not a token budget: a token budget is a whole number from 0 up"),
    ("threshold", 0.2, None),
    ("threshold", -1.5, None),
    ("threshold", math.nan, "threshold: nan is not a score threshold: a threshold is a finite number"),
    ("threshold", math.inf, "threshold: inf is not a score threshold"),
    ("threshold", -math.inf, "threshold: -inf is not a score threshold"),
]


@pytest.mark.parametrize("name, value, said", CASES)
def test_select_checks_every_budget(name, value, said):
    kwargs = {name: value}
    if name == "token_budget":
        kwargs["tokens"] = [1, 1, 1, 1]
    if said is None:
        kept = zipfit.select(SCORES, **kwargs)
        assert len(kept) <= len(SCORES)
    else:
        with pytest.raises(ValueError) as refused:
            zipfit.select(SCORES, **kwargs)
        assert str(refused.value).startswith(said)


@pytest.mark.parametrize("flag, value, said", [
    ("--top", "-1", "--top: -1 is not a count of records"),
    ("--top-percent", "150", "--top-percent: 150 is not a percent: a percent is a number from 0 to 100"),
    ("--top-percent", "nan", "--top-percent: nan is not a percent"),
    ("--token-budget", "1.5", "--token-budget: 1.5 is not a token budget"),
    ("--threshold", "inf", "--threshold: inf is not a score threshold"),
])
def test_the_ray_command_refuses_a_bad_budget_before_reading(tmp_path, capsys, flag, value, said):
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as stopped:
        main(["--source", str(tmp_path / "missing.jsonl"), "--target", str(TARGET), "--out", str(out),
              f"{flag}={value}"])
    assert stopped.value.code == 2
    assert said in capsys.readouterr().err
    assert not out.exists()
