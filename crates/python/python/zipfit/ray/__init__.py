"""zipfit on Ray Data: score and select a sharded JSONL or Parquet corpus across a cluster.

Two ways in:

- ``score(ds, targets, ...)`` adds a ``score`` column to any ``ray.data.Dataset`` of
  records with a text column, or of raw JSONL lines (parsed by the CLI's field rules).
- ``select_files(sources, target, out, ...)`` is the whole pipeline that
  ``python -m zipfit.ray`` runs: JSONL files in, the kept lines out, byte for byte and in
  the order ``zipfit score -o`` writes them; or Parquet files in, the kept rows out as
  Parquet parts with the sources' schema.

In both, each worker builds its scorer once, from targets shipped once through Ray's
object store. Ray is imported only when one of these is called.
"""

from __future__ import annotations

import glob
import os
import time
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Sequence, Tuple

import numpy as np

import zipfit
from zipfit import Budget, RecordError
from zipfit.ray import storage

if TYPE_CHECKING:
    import pyarrow
    import ray.data

__all__ = ["Outcome", "is_parquet", "score", "select_files", "source_files"]

# Where the pipeline writes everything but the kept parts: a folder whose name starts
# with "_" (as readers of part folders expect), so OUTDIR/*.jsonl is the kept lines only.
META = "_zipfit"


def _import_ray():
    try:
        import ray
        import ray.data
    except ImportError as missing:
        raise ImportError(
            "zipfit.ray needs Ray Data: pip install 'ray[data]'"
        ) from missing
    return ray


def _targets_ref(targets: Sequence[str]):
    ray = _import_ray()
    targets = list(targets)
    if not targets:
        raise ValueError("the target set is empty")
    return ray.put(targets)


def _actor_pool(size: Any):
    """Ray Data's actor pool of ``size`` workers, or of ``(min, max)``."""
    ray = _import_ray()
    if isinstance(size, tuple):
        return ray.data.ActorPoolStrategy(min_size=size[0], max_size=size[1])
    return ray.data.ActorPoolStrategy(size=size)


class _ScoreBatches:
    """A Ray Data actor: one scorer per worker, built from targets fetched once."""

    def __init__(self, targets_ref, compressor, level, threads, column, lines_column, field):
        ray = _import_ray()
        self.scorer = zipfit.Scorer(
            ray.get(targets_ref), compressor=compressor, level=level, threads=threads
        )
        self.column, self.lines_column, self.field = column, lines_column, field
        import pyarrow

        self._pa = pyarrow

    def __call__(self, batch):
        if not isinstance(batch, dict):
            # A pyarrow Table: the text column is scored in place (no Python strings).
            return batch.append_column("score", self._pa.array(self.scorer.score(batch.column(self.column))))
        if self.lines_column is not None:
            lines = batch[self.lines_column]
            try:
                scores = self.scorer.score_lines(lines, self.field)
            except RecordError as error:
                raise RecordError(f"column {self.lines_column!r}, {error}") from None
        else:
            scores = self.scorer.score(batch[self.column])
        batch["score"] = scores
        return batch


def score(
    ds: "ray.data.Dataset",
    targets: Sequence[str],
    *,
    column: Optional[str] = None,
    lines_column: Optional[str] = None,
    field: str = "text",
    compressor: str = "gzip",
    level: Optional[int] = None,
    concurrency: Any = None,
    threads_per_worker: int = 1,
    batch_size: int = 1024,
    batch_format: str = "numpy",
) -> "ray.data.Dataset":
    """``ds`` with a ``score`` column (float64): each record's alignment with ``targets``.

    Give ``column`` (a text column, scored as it is) or ``lines_column`` (raw JSONL lines,
    the text found at ``field`` by the CLI's rules; a bad line stops the run with a
    ``RecordError`` naming its batch position and problem). ``concurrency`` is Ray Data's
    actor pool size (an int, or ``(min, max)``; default: up to every CPU of the cluster).
    With ``batch_format="pyarrow"`` (a ``column`` only), batches are Arrow tables and the
    text column is scored from its Arrow buffers, without a Python string per row.
    """
    ray = _import_ray()
    if (column is None) == (lines_column is None):
        raise ValueError("give exactly one of column and lines_column")
    if batch_format not in ("numpy", "pyarrow"):
        raise ValueError(f"unknown batch_format '{batch_format}' (expected numpy or pyarrow)")
    if batch_format == "pyarrow" and column is None:
        raise ValueError("batch_format='pyarrow' scores a text column: give column")
    if concurrency is None:
        concurrency = (1, max(1, int(ray.cluster_resources().get("CPU", 1))))
    return ds.map_batches(
        _ScoreBatches,
        fn_constructor_args=(
            _targets_ref(targets),
            compressor,
            level,
            threads_per_worker,
            column,
            lines_column,
            field,
        ),
        batch_size=batch_size,
        batch_format=batch_format,
        compute=_actor_pool(concurrency),
        num_cpus=threads_per_worker,
    )


class _ReadAndScore:
    """A Ray Data actor for the file pipeline: reads whole files by the CLI's rules and
    scores their records, so raw lines never pass through the object store; what goes
    on is each record's place (file, line, byte range), tokens and score."""

    def __init__(self, targets_ref, compressor, level, field, on_error, tokens):
        ray = _import_ray()
        self.scorer = zipfit.Scorer(
            ray.get(targets_ref), compressor=compressor, level=level, threads=1
        )
        self.field, self.on_error, self.tokens = field, on_error, tokens
        import pyarrow

        self.pa = pyarrow
        # One schema for every block, whether or not it holds a skipped line.
        self.schema = pyarrow.schema(
            [("file", pyarrow.int32()), ("line", pyarrow.int64()), ("start", pyarrow.int64()),
             ("length", pyarrow.int64()), ("tokens", pyarrow.int64()), ("score", pyarrow.float64()),
             ("problem", pyarrow.string())]
        )

    def _chunks(self, path: str):
        with storage.local_copy(path) as local:
            try:
                if is_parquet(local):
                    # A row's place is its row: `start` is its 0-based row, `length` its
                    # text's bytes.
                    chunk = zipfit._zipfit.read_parquet(local, self.field, self.on_error, self.tokens)
                    chunk["start"] = chunk["line"] - 1
                    chunk["skipped"] = [(row, row - 1, raw, problem) for row, _, raw, problem in chunk["skipped"]]
                    chunk["parquet"] = True
                    yield chunk
                else:
                    yield from zipfit.JsonlChunks(local, self.field, self.on_error, self.tokens)
            except (RecordError, ValueError) as error:
                # Messages name the file as given, not its local copy.
                raise type(error)(str(error).replace(local, path)) from None

    def __call__(self, batch: Dict[str, np.ndarray]) -> Iterator["pyarrow.Table"]:
        for file, path in zip(batch["file"], batch["path"]):
            for chunk in self._chunks(str(path)):
                offsets = chunk["raw_offsets"]
                count = len(offsets) - 1
                if chunk.get("parquet"):
                    # The texts as one Arrow array over the chunk's buffers, scored in place.
                    texts = self.pa.Array.from_buffers(
                        self.pa.large_binary(), count,
                        [None, self.pa.py_buffer(np.ascontiguousarray(offsets, dtype=np.int64)),
                         self.pa.py_buffer(chunk["raw"])],
                    )
                    scores = self.scorer.score(texts)
                else:
                    scores = self.scorer.score_packed(chunk["raw"], offsets, self.field)
                rows = {
                    "file": np.full(count, file, dtype=np.int32),
                    "line": chunk["line"],
                    "start": chunk["start"],
                    "length": np.diff(offsets),
                    "tokens": chunk["tokens"],
                    "score": scores,
                    "problem": np.full(count, None, dtype=object),
                }
                skipped = chunk["skipped"]
                if skipped:
                    n = len(skipped)
                    extra = {
                        "file": np.full(n, file, dtype=np.int32),
                        "line": np.array([s[0] for s in skipped], dtype=np.int64),
                        "start": np.array([s[1] for s in skipped], dtype=np.int64),
                        "length": np.array([len(s[2]) for s in skipped], dtype=np.int64),
                        "tokens": np.zeros(n, dtype=np.int64),
                        "score": np.full(n, np.nan),
                        "problem": np.array([s[3] for s in skipped], dtype=object),
                    }
                    rows = {k: np.concatenate([rows[k], extra[k]]) for k in rows}
                if len(rows["line"]):
                    yield self.pa.table(rows, schema=self.schema)


def _write_lines(out: str, paths: List[str], files, starts, lengths) -> int:
    # Sources in an object store are copied here first (those this part reads from).
    needed = sorted(set(int(f) for f in files))
    with storage.local_copies([paths[f] for f in needed]) as copies, storage.output(out) as local:
        local_paths = list(paths)
        for f, copy in zip(needed, copies):
            local_paths[f] = copy
        zipfit._zipfit.copy_lines(local, local_paths, files, starts, lengths)
    return len(files)


# How the core says a row could not be read at all (its row group's pages could not be
# decoded): zipfit_core::field::Problem::Unreadable.
UNREADABLE = "its row group could not be read"


def is_parquet(path: str) -> bool:
    """True when the file (a path or an object-store URL) starts with Parquet's magic
    bytes, whatever its name."""
    return storage.head(path, 4) == b"PAR1"


def _schema(path: str):
    """The Arrow schema of the Parquet file ``path`` (its footer only)."""
    import pyarrow.parquet as pq

    with storage.open_input(path) as f:
        return pq.ParquetFile(f).schema_arrow


def _write_rows(out: str, paths: List[str], files, rows) -> int:
    """Writes rows ``rows[i]`` of Parquet file ``paths[files[i]]``, in this order, to
    ``out`` as Parquet through the core's writer, as the CLI and the page write rows: the
    schema and codecs of the first file a row comes from (with no rows, of the first
    source)."""
    files = np.asarray(files, dtype=np.int64)
    needed = sorted(set(int(f) for f in files)) or [0]
    position = {f: k for k, f in enumerate(needed)}
    # Sources in an object store are copied here first (those this part reads from).
    with storage.local_copies([paths[f] for f in needed]) as copies, storage.output(out) as local:
        local_files = np.array([position[int(f)] for f in files], dtype=np.int64)
        zipfit._zipfit.write_parquet_rows(local, copies, local_files, np.asarray(rows, dtype=np.int64))
    return len(files)


def source_files(patterns: Sequence[str]) -> List[str]:
    """The files that ``patterns`` name (globs, files, or folders, which mean their
    ``*.jsonl``, ``*.jsonl.gz`` and ``*.parquet``), sorted: the input order is this order,
    then line (or row) order. A pattern that matches nothing is an error."""
    files = set()
    local = [p for p in patterns if not storage.is_url(p)]
    if local:
        # The rule of every zipfit shell; its error names the path that names nothing.
        files.update(zipfit.source_files(local)[0])
    for pattern in (p for p in patterns if storage.is_url(p)):
        found = storage.find(pattern)
        if not found:
            raise FileNotFoundError(f"{pattern}: no such file")
        files.update(found)
    return sorted(files)


@dataclass
class Outcome:
    """What ``select_files`` did: counts, where it wrote, and how long each stage took."""

    records: int
    kept: int
    kept_tokens: int
    skipped: int
    targets: int
    parts: List[str]
    scores_path: str
    skipped_path: Optional[str]
    seconds: Dict[str, float] = field(default_factory=dict)


def _parts(lengths: np.ndarray, part_bytes: int) -> List[Tuple[int, int]]:
    """Cuts a run of lines (each written with its ``\\n``) into consecutive parts of
    about ``part_bytes``, every part holding at least one line."""
    if len(lengths) == 0:
        return []
    ends = np.cumsum(lengths + 1)
    cuts = np.searchsorted(ends, np.arange(part_bytes, int(ends[-1]), part_bytes), side="left")
    bounds = sorted(set([0] + [int(c) + 1 for c in cuts] + [len(lengths)]))
    return [(a, b) for a, b in zip(bounds, bounds[1:]) if a < b]


def select_files(
    sources: Sequence[str],
    target: str,
    out: str,
    *,
    budget: Budget = Budget(),
    field: str = "text",
    target_field: Optional[str] = None,
    compressor: str = "gzip",
    level: Optional[int] = None,
    on_error: str = "stop",
    tokens: str = "bytes",
    order: str = "rank",
    rejected: bool = False,
    workers: Optional[int] = None,
    part_bytes: int = 64 << 20,
    report=None,
) -> Outcome:
    """Scores every record of the JSONL files ``sources`` (sorted: see ``source_files``)
    against ``target`` on the current Ray cluster, selects by ``budget`` over the whole
    set, and writes into the folder ``out``:

    - ``part-00000.jsonl``, ...: the kept records' original lines, whose concatenation in
      name order equals what ``zipfit score ... -o kept.jsonl`` writes for the files
      concatenated in sorted order (``order="rank"``: best first, ties in input order;
      ``"input"``: input order);
    - ``_zipfit/scores.jsonl``: ``{"index", "file", "line", "score", "rank"}`` for every
      record in input order;
    - ``_zipfit/skipped.jsonl``: the bad lines, with ``on_error="skip"``, byte for byte;
    - ``_zipfit/rejected/part-*.jsonl``: the records not kept, when ``rejected``.

    Part files left in ``out`` by an earlier run are removed first.
    ``report(message)`` receives the CLI's messages (skipped lines, the summary).
    ``tokens`` counts each record's tokens for a token budget, as the CLI's ``--tokens``
    (``bytes``, ``words``, ``cl100k_base``, ``o200k_base`` or a tokenizer.json path); a
    model counts every record, in the scoring tasks.
    Source, output and tokenizer paths must be visible to every node (a shared disk).
    """
    ray = _import_ray()
    report = report or (lambda message: None)
    if order not in ("rank", "input"):
        raise ValueError(f"unknown order '{order}' (expected rank or input)")
    paths = [storage.absolute(p) for p in sources]
    if not paths:
        raise ValueError("no source files")
    _refuse_overwrites(paths + [target], out)
    parquet = [is_parquet(p) for p in paths]
    if any(parquet) and not all(parquet):
        raise ValueError("the sources mix Parquet and JSONL files: give one kind")
    parquet = parquet[0]
    if parquet:
        schema = _schema(paths[0])
        for p in paths[1:]:
            if not _schema(p).equals(schema):
                raise ValueError(f"{p}: its schema differs from {paths[0]}'s")
    suffix = "parquet" if parquet else "jsonl"
    seconds: Dict[str, float] = {}
    started = time.perf_counter()
    # Loads the counter here first, so that a bad tokenizer fails before any work is sent.
    zipfit.count_tokens([], tokens)

    clock = time.perf_counter()
    read_target = zipfit.read_parquet if is_parquet(target) else zipfit.read_jsonl
    with storage.local_copy(target) as local:
        target_records = read_target(local, target_field or field, on_error, "bytes")
    for line, _, problem in target_records.skipped:
        report(f"skipped {target}:{line}: {problem}")
    targets = target_records.texts(target_field or field)
    # Built here too, so that a bad method fails before any work is sent out.
    compressor_name = zipfit.Scorer(targets, compressor, level, threads=1).compressor
    seconds["targets"] = time.perf_counter() - clock

    clock = time.perf_counter()
    if workers is None:
        workers = max(1, int(ray.cluster_resources().get("CPU", 1)))
    files = ray.data.from_items(
        [{"file": i, "path": p} for i, p in enumerate(paths)],
        override_num_blocks=len(paths),
    )
    scored = files.map_batches(
        _ReadAndScore,
        fn_constructor_args=(_targets_ref(targets), compressor, level, field, on_error, tokens),
        batch_size=1,
        batch_format="numpy",
        compute=_actor_pool(min(workers, len(paths))),
        num_cpus=1,
    )
    tables = [
        batch
        for batch in scored.iter_batches(batch_format="pyarrow", batch_size=None)
        if batch.num_rows
    ]
    seconds["read and score"] = time.perf_counter() - clock

    clock = time.perf_counter()
    import pyarrow as pa

    table = pa.concat_tables(tables) if tables else None
    if table is None or table.num_rows == 0:
        raise ValueError(f"no records in {len(paths)} source files")
    column = {name: table.column(name).to_numpy() for name in ("file", "line", "start", "length", "tokens", "score")}
    problem = table.column("problem")
    in_input_order = np.lexsort((column["line"], column["file"]))
    column = {name: values[in_input_order] for name, values in column.items()}
    bad = problem.is_valid().to_numpy(zero_copy_only=False)[in_input_order]
    problems = problem.take(pa.array(in_input_order)).to_pylist()
    for i in np.flatnonzero(bad):
        report(f"skipped {paths[column['file'][i]]}:{column['line'][i]}: {problems[i]}")
    good = ~bad
    record = {name: np.ascontiguousarray(values[good]) for name, values in column.items()}
    # Rows of a Parquet row group that could not be decoded (the core's Problem::Unreadable)
    # are skipped but cannot be written back: they are left out of skipped.parquet.
    unreadable = np.array([p is not None and p.startswith(UNREADABLE) for p in problems], dtype=bool)
    if unreadable.any():
        report(f"{_counted(int(unreadable.sum()), 'row')} of row groups that could not be read "
               "are not in skipped.parquet (they cannot be read back)")
    skipped = {name: np.ascontiguousarray(values[bad & ~unreadable]) for name, values in column.items()}
    if len(record["score"]) == 0:
        raise ValueError(f"no records in {len(paths)} source files (every line was bad or blank)")
    ranked = zipfit._zipfit.rank(record["score"])
    count = zipfit._zipfit.select_count(
        ranked, record["score"], budget.kind, budget.value, record["tokens"]
    )
    ranks = np.empty(len(ranked), dtype=np.uint32)
    ranks[ranked] = np.arange(1, len(ranked) + 1, dtype=np.uint32)
    kept = ranked[:count].astype(np.int64)
    if order == "input":
        kept.sort()
    seconds["select"] = time.perf_counter() - clock

    clock = time.perf_counter()
    meta = storage.join(out, META)
    storage.make_folder(meta)
    for kind in ("jsonl", "parquet"):
        storage.remove(out, f"part-*.{kind}")
        storage.remove(storage.join(meta, "rejected"), f"part-*.{kind}")
    write = ray.remote(num_cpus=1)(_write_rows if parquet else _write_lines)
    pending = []
    paths_ref = ray.put(paths)

    def write_run(indices: np.ndarray, source: Dict[str, np.ndarray], folder: str) -> List[str]:
        names = []
        for n, (a, b) in enumerate(_parts(source["length"][indices], part_bytes)):
            name = storage.join(folder, f"part-{n:05d}.{suffix}")
            chosen = indices[a:b]
            place = (source["file"][chosen].astype(np.int64), source["start"][chosen])
            if not parquet:
                place += (source["length"][chosen],)
            pending.append(write.remote(name, paths_ref, *place))
            names.append(name)
        return names

    parts = write_run(kept, record, out)
    if rejected:
        storage.make_folder(storage.join(meta, "rejected"))
        rest = np.sort(ranked[count:].astype(np.int64))
        write_run(rest, record, storage.join(meta, "rejected"))
    skipped_path = None
    if on_error == "skip":
        skipped_path = storage.join(meta, f"skipped.{suffix}")
        place = (skipped["file"].astype(np.int64), skipped["start"])
        if not parquet:
            place += (skipped["length"],)
        pending.append(write.remote(skipped_path, paths_ref, *place))
    scores_path = storage.join(meta, "scores.jsonl")
    with storage.output(scores_path) as local:
        zipfit._zipfit.write_scores_jsonl(
            local,
            record["score"],
            ranks,
            record["line"],
            record["file"].astype(np.int64),
            paths,
        )
    ray.get(pending)
    seconds["write"] = time.perf_counter() - clock
    seconds["total"] = time.perf_counter() - started

    kept_tokens = int(record["tokens"][kept].sum())
    outcome = Outcome(
        records=len(ranked),
        kept=count,
        kept_tokens=kept_tokens,
        skipped=int(bad.sum()),
        targets=len(targets),
        parts=parts,
        scores_path=scores_path,
        skipped_path=skipped_path,
        seconds=seconds,
    )
    pairs = outcome.records * outcome.targets
    score_seconds = seconds["read and score"]
    report(
        f"scored {_counted(outcome.records, 'record')} against {_counted(outcome.targets, 'target')} "
        f"in {len(paths)} files with {compressor_name} in {score_seconds:.2f} s "
        f"({pairs / score_seconds:.0f} pairs/s, {_counted(workers, 'worker')})"
    )
    report(
        f"kept {count} of {_counted(outcome.records, 'record')} ({budget}), "
        f"{_tokens_by(kept_tokens, tokens)}, in {_counted(len(parts), 'part')}"
    )
    return outcome


def _refuse_overwrites(inputs: Sequence[str], out: str) -> None:
    """Refuses an output folder that holds an input (its parts and _zipfit/ are written and
    removed there), or that is an input: the same file or folder under any spelling, a
    link included. Object-store URLs are compared as written."""
    def real(path: str) -> str:
        return path.rstrip("/") if storage.is_url(path) else os.path.realpath(path)

    folder = real(out)
    for path in inputs:
        place = real(path)
        if place == folder or place.startswith(folder.rstrip("/") + "/"):
            raise ValueError(f"--out {out} holds the input {path}: an output never overwrites an input")


def _tokens_by(n: int, tokens: str) -> str:
    """The CLI's words: "about 10 tokens (bytes / 4)", "10 tokens by cl100k_base"."""
    if tokens in ("bytes", "words"):
        return f"about {_counted(n, 'token')} ({'bytes / 4' if tokens == 'bytes' else 'words'})"
    return f"{_counted(n, 'token')} by {os.path.basename(tokens)}"


def _counted(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def record_error_message(error: BaseException) -> Optional[str]:
    """The message of the ``RecordError`` behind an exception that Ray wrapped
    (``FILE:LINE: problem``), if there is one."""
    seen = set()
    while error is not None and id(error) not in seen:
        seen.add(id(error))
        # Ray's RayTaskError(RecordError) is a RecordError too, whose text is a
        # traceback; the error it stands for is its `cause`.
        cause = getattr(error, "cause", None)
        if isinstance(error, RecordError) and not isinstance(cause, BaseException):
            # Ray adds lines of advice about retries after the record's one line.
            return str(error).split("\n", 1)[0]
        error = cause or error.__cause__ or error.__context__
    return None
