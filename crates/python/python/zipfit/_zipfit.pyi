"""Types of zipfit's Rust extension (see the docstrings of each for what it does)."""

from typing import Any, Dict, Iterable, Iterator, List, Optional, Tuple, Union

import numpy as np
import numpy.typing as npt

Text = Union[str, bytes]

class RecordError(ValueError):
    """A record that cannot be used: the message names the file and line (or the
    position in the batch) and the problem."""

class Scorer:
    """Scores texts against a target set: ``1 - mean_j NCD(text, target_j)``."""

    def __init__(
        self,
        targets: Iterable[Text],
        compressor: str = "gzip",
        level: int | None = None,
        threads: Optional[int] = None,
        backend: str = "model",
    ) -> None: ...
    def score(self, texts: Union[Iterable[Text], Any]) -> npt.NDArray[np.float64]:
        """The alignment of every text with the targets, in input order. ``texts`` may
        be a pyarrow string or binary ``Array`` or ``ChunkedArray``, read in place."""
    def score_lines(self, lines: Iterable[Text], field: str = "text") -> npt.NDArray[np.float64]:
        """The alignment of every raw JSONL line, its text found by ``field``."""
    def score_packed(
        self, raw: bytes, offsets: npt.NDArray[np.int64], field: str = "text"
    ) -> npt.NDArray[np.float64]:
        """``score_lines`` over lines packed in one buffer, line ``i`` being
        ``raw[offsets[i]:offsets[i + 1]]``."""
    def per_target(self, text: Text) -> npt.NDArray[np.float64]:
        """Each target's term ``1 - NCD(text, target_j)``, in target order."""
    @property
    def num_targets(self) -> int: ...
    @property
    def threads(self) -> int: ...
    @property
    def compressor(self) -> str: ...

def compressed_len(text: Text, compressor: str = "gzip", level: int | None = None) -> int:
    """``C(text)``: the exact compressed length in bytes."""

def ncd(x: Text, y: Text, compressor: str = "gzip", level: int | None = None) -> float:
    """``NCD(x, y) = (C(x ++ y) - min(C(x), C(y))) / max(C(x), C(y))``."""

class JsonlChunks(Iterator[Dict[str, Any]]):
    """A JSONL file read in chunks of whole lines by the CLI's rules."""

    def __init__(
        self,
        path: str,
        field: str = "text",
        on_error: str = "stop",
        tokens: str = "bytes",
        chunk_bytes: int = 16 << 20,
    ) -> None: ...
    def __iter__(self) -> "JsonlChunks": ...
    def __next__(self) -> Dict[str, Any]: ...
    @property
    def name(self) -> str: ...
    @property
    def compressed(self) -> bool: ...

def count_tokens(texts: List[str], tokens: str = "bytes") -> npt.NDArray[np.int64]: ...
def count_budget(
    order: npt.NDArray[np.uint32], texts: List[str], tokens: str, limit: int
) -> int: ...
def read_jsonl(
    path: str, field: str = "text", on_error: str = "stop", tokens: str = "bytes"
) -> Dict[str, Any]:
    """A whole JSONL file read by the CLI's rules, as one dict of the form
    ``JsonlChunks`` yields."""

def read_parquet(
    path: str, field: str = "text", on_error: str = "stop", tokens: str = "bytes"
) -> Dict[str, Any]:
    """A whole Parquet file read by the CLI's rules, as one dict of the form
    ``JsonlChunks`` yields; ``line`` holds rows, ``raw`` the texts."""

def record_text(line: Text, field: str = "text") -> str:
    """The text of one JSONL line under ``field``, by the CLI's rules."""

def copy_lines(
    out: str,
    paths: List[str],
    files: npt.NDArray[np.int64],
    starts: npt.NDArray[np.int64],
    lengths: npt.NDArray[np.int64],
) -> None:
    """Writes lines taken from files to ``out``, each followed by ``\\n``, in the order given."""

def parse_budget(kind: str, text: str) -> float:
    """The value of a budget of ``kind`` (``count``, ``percent``, ``tokens`` or
    ``threshold``) from text, by the rule every zipfit shell applies; ``ValueError``
    naming the value and the range otherwise."""

def write_parquet_rows(
    out: str,
    paths: List[str],
    files: npt.NDArray[np.int64],
    rows: npt.NDArray[np.int64],
) -> None:
    """Writes rows taken from Parquet files to ``out`` as one Parquet file, in the order
    given (row ``rows[k]`` of ``paths[files[k]]``), with the first file's schema and
    codecs, through the core's writer."""

def source_files(paths: List[str]) -> Tuple[List[str], List[str]]:
    """The files ``paths`` name, by the rule every zipfit shell uses: a file (read by
    its content), a folder (its ``*.jsonl``, ``*.jsonl.gz`` and ``*.parquet``,
    recursively, hidden folders left alone) or a glob; their union, sorted as strings.
    Returns the files and the other files the folders held (left out). A path that
    names no data file raises ``FileNotFoundError``."""

def rank(scores: npt.NDArray[np.float64]) -> npt.NDArray[np.uint32]:
    """Record indices by descending score, equal scores in input order."""

def select_count(
    order: npt.NDArray[np.uint32],
    scores: npt.NDArray[np.float64],
    kind: str,
    value: float = 0.0,
    tokens: Optional[npt.NDArray[np.int64]] = None,
) -> int:
    """How many records of ``order`` the budget keeps."""

def write_scores_jsonl(
    path: str,
    scores: npt.NDArray[np.float64],
    ranks: npt.NDArray[np.uint32],
    lines: npt.NDArray[np.int64],
    files: Optional[npt.NDArray[np.int64]] = None,
    file_names: Optional[List[str]] = None,
) -> None:
    """Writes the scores file, one JSON object per record in input order."""
