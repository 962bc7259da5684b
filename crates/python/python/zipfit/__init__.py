"""ZIP-FIT data selection: rank records by how well they align with a target set.

The scoring, the reading of JSONL records and the selection rules are zipfit's Rust
core, the same code as the ``zipfit`` command and the web page, so scores are equal to
theirs bit for bit::

    import zipfit
    scorer = zipfit.Scorer(["def add(a, b):\\n    return a + b\\n"], compressor="lz4")
    scores = scorer.score(["def sub(a, b): return a - b", "The weather is nice."])
    keep = zipfit.select(scores, top=1)          # indices of kept texts, best first

``zipfit.ray`` runs the same pipeline on a Ray cluster (``python -m zipfit.ray --help``).
"""

from __future__ import annotations

from dataclasses import dataclass, field as dataclass_field
from typing import List, Optional, Sequence, Tuple, Union

import numpy as np

from zipfit._zipfit import (
    JsonlChunks,
    RecordError,
    Scorer,
    compressed_len,
    count_tokens,
    ncd,
    record_text,
    source_files,
)
from zipfit import _zipfit

__all__ = [
    "Budget",
    "JsonlChunks",
    "Records",
    "RecordError",
    "Scorer",
    "compressed_len",
    "count_tokens",
    "ncd",
    "rank",
    "read_jsonl",
    "read_parquet",
    "record_text",
    "select",
    "source_files",
]


@dataclass(frozen=True)
class Budget:
    """How much to keep: ``kind`` is ``all``, ``count``, ``percent``, ``tokens`` or
    ``threshold`` (keep records scoring strictly above ``value``)."""

    kind: str = "all"
    value: float = 0.0

    @staticmethod
    def of(
        top: Optional[int] = None,
        top_percent: Optional[float] = None,
        token_budget: Optional[int] = None,
        threshold: Optional[float] = None,
    ) -> "Budget":
        """The budget named by at most one of the arguments (none keeps everything),
        checked by the rule every zipfit shell applies: ``top`` and ``token_budget``
        whole numbers from 0 up, ``top_percent`` a number from 0 to 100, ``threshold`` a
        finite number; ``ValueError`` naming the argument, its value and the range
        otherwise."""
        given = [
            (name, kind, value)
            for name, kind, value in (
                ("top", "count", top),
                ("top_percent", "percent", top_percent),
                ("token_budget", "tokens", token_budget),
                ("threshold", "threshold", threshold),
            )
            if value is not None
        ]
        if len(given) > 1:
            raise ValueError("give at most one of top, top_percent, token_budget, threshold")
        if not given:
            return Budget()
        name, kind, value = given[0]
        try:
            return Budget(kind, _zipfit.parse_budget(kind, str(value)))
        except ValueError as error:
            raise ValueError(f"{name}: {error}") from None

    def __str__(self) -> str:
        # As the CLI prints it: a whole number without ".0".
        value = float(self.value)
        value = int(value) if value.is_integer() else value
        return {
            "all": "all records",
            "count": f"top {value}",
            "percent": f"top {value}%",
            "tokens": f"{value} tokens",
            "threshold": f"score > {value}",
        }[self.kind]


def rank(scores: Sequence[float]) -> np.ndarray:
    """Record indices by descending score, equal scores in input order (uint32)."""
    return _zipfit.rank(np.ascontiguousarray(scores, dtype=np.float64))


def select(
    scores: Sequence[float],
    *,
    top: Optional[int] = None,
    top_percent: Optional[float] = None,
    token_budget: Optional[int] = None,
    threshold: Optional[float] = None,
    tokens: Union[None, str, Sequence[int]] = None,
    texts: Optional[Sequence[str]] = None,
) -> np.ndarray:
    """The indices kept by one budget, best first (the CLI's ``--top``,
    ``--top-percent``, ``--token-budget`` and ``--threshold``). A token budget needs
    ``tokens``: each record's count (see ``Records.tokens``), or the CLI's ``--tokens``
    (``bytes``, ``words``, ``cl100k_base``, ``o200k_base`` or a tokenizer.json path)
    with ``texts``, each record's text; then only the records down to the cut are
    counted."""
    scores = np.ascontiguousarray(scores, dtype=np.float64)
    budget = Budget.of(top, top_percent, token_budget, threshold)
    order = _zipfit.rank(scores)
    if isinstance(tokens, str):
        if budget.kind != "tokens":
            return order[: _zipfit.select_count(order, scores, budget.kind, budget.value)]
        if texts is None or len(texts) != len(scores):
            raise ValueError("tokens given by name needs texts=, one per score")
        return order[: _zipfit.count_budget(order, list(texts), tokens, int(budget.value))]
    estimates = None if tokens is None else np.ascontiguousarray(tokens, dtype=np.int64)
    count = _zipfit.select_count(order, scores, budget.kind, budget.value, estimates)
    return order[:count]


@dataclass
class Records:
    """A file's usable records and the lines skipped, from ``read_jsonl`` or
    ``read_parquet``. For a Parquet file, records are rows: ``lines`` holds each
    record's text (UTF-8) and ``line_numbers`` its 1-based row."""

    name: str
    lines: List[bytes]
    """Each record's original line, without its ``\\n`` (Parquet: its text)."""
    line_numbers: np.ndarray
    tokens: np.ndarray
    skipped: List[Tuple[int, bytes, str]] = dataclass_field(default_factory=list)
    """``(line number, original line, problem)`` for each bad line (with ``on_error="skip"``);
    for Parquet, ``(row, b"", problem)``."""
    parquet: bool = False
    """True when read from Parquet."""

    def __len__(self) -> int:
        return len(self.lines)

    def texts(self, field: str = "text") -> List[str]:
        """Every record's text under ``field`` (Parquet: the field it was read with)."""
        if self.parquet:
            return [line.decode("utf-8") for line in self.lines]
        return [record_text(line, field) for line in self.lines]


def read_jsonl(
    path: str,
    field: str = "text",
    on_error: str = "stop",
    tokens: str = "bytes",
) -> Records:
    """Reads a JSONL file (or gzip-compressed JSONL) by the CLI's rules: blank lines are
    not records, a bad line raises ``RecordError("FILE:LINE: problem")`` or, with
    ``on_error="skip"``, is kept in ``Records.skipped``. ``tokens`` counts each record's
    tokens for ``Records.tokens``: ``bytes`` (UTF-8 bytes / 4, an estimate), ``words``,
    ``cl100k_base``, ``o200k_base`` (OpenAI's encodings, built in), or the path of a
    Hugging Face tokenizer.json (every record is counted, in parallel)."""
    return _records(path, _zipfit.read_jsonl(path, field, on_error, tokens), parquet=False)


def read_parquet(
    path: str,
    field: str = "text",
    on_error: str = "stop",
    tokens: str = "bytes",
) -> Records:
    """Reads a Parquet file by the CLI's rules: each row is a record, its text the
    column (or dotted path into structs, or chat list) ``field``; a row without a text
    raises ``RecordError("FILE: row N (row group G): problem")`` or, with
    ``on_error="skip"``, is kept in ``Records.skipped``. Every codec and string type
    writers use is read."""
    return _records(path, _zipfit.read_parquet(path, field, on_error, tokens), parquet=True)


def _records(path: str, records: dict, parquet: bool) -> Records:
    raw, offsets = records["raw"], records["raw_offsets"]
    lines = [raw[offsets[i] : offsets[i + 1]] for i in range(len(offsets) - 1)]
    skipped = [(line, text, problem) for line, _, text, problem in records["skipped"]]
    return Records(path, lines, records["line"], records["tokens"], skipped, parquet)
