"""The Python scorer, pairwise functions, record reading and selection against the CLI."""

from __future__ import annotations

import gzip
import json
import threading

import lz4.frame
import numpy as np
import pytest

import zipfit
from conftest import SOURCE, TARGET, cli, cli_scores

METHODS = [("gzip", 1), ("gzip", 6), ("gzip", 9), ("lz4", 0)]


@pytest.fixture(scope="module")
def source():
    return zipfit.read_jsonl(str(SOURCE))


@pytest.fixture(scope="module")
def targets():
    return zipfit.read_jsonl(str(TARGET)).texts()


@pytest.mark.parametrize("compressor,level", METHODS)
def test_scores_equal_the_cli_bit_for_bit(tmp_path, source, targets, compressor, level):
    scores_file = tmp_path / "scores.jsonl"
    cli("score", "-s", str(SOURCE), "-t", str(TARGET), "-c", compressor, "-l", str(level),
        "--scores", str(scores_file), "-q")
    expected = np.array([row["score"] for row in cli_scores(scores_file)])
    scorer = zipfit.Scorer(targets, compressor=compressor, level=level)
    from_texts = scorer.score(source.texts())
    from_lines = scorer.score_lines(source.lines)
    assert len(expected) == len(source) > 0
    assert from_texts.dtype == np.float64
    assert from_texts.tobytes() == expected.tobytes()
    assert from_lines.tobytes() == expected.tobytes()


# The compressors run as C libraries, on the first 200 records (brotli at quality 11
# compresses about a thousand pairs a second).
C_METHODS = [("lz4", 9), ("lz4", 12), ("zstd", 3), ("zstd", -3), ("zstd", 19), ("brotli", 11), ("lzma", 6)]


@pytest.mark.parametrize("compressor,level", C_METHODS)
def test_c_library_scores_equal_the_cli_bit_for_bit(tmp_path, targets, compressor, level):
    head = tmp_path / "head.jsonl"
    head.write_bytes(b"".join(SOURCE.read_bytes().splitlines(keepends=True)[:200]))
    scores_file = tmp_path / "scores.jsonl"
    cli("score", "-s", str(head), "-t", str(TARGET), "-c", compressor, "-l", str(level),
        "--scores", str(scores_file), "-q")
    expected = np.array([row["score"] for row in cli_scores(scores_file)])
    records = zipfit.read_jsonl(str(head))
    scores = zipfit.Scorer(targets, compressor=compressor, level=level).score(records.texts())
    assert len(expected) == 200
    assert scores.tobytes() == expected.tobytes()


def test_one_thread_and_all_threads_agree(source, targets):
    texts = source.texts()[:300]
    one = zipfit.Scorer(targets, threads=1)
    assert one.threads == 1
    assert one.score(texts).tobytes() == zipfit.Scorer(targets).score(texts).tobytes()


def test_a_scorer_is_safe_from_several_python_threads(source, targets):
    scorer = zipfit.Scorer(targets, compressor="lz4", threads=2)
    batches = [source.texts()[i * 150 : (i + 1) * 150] for i in range(6)]
    expected = [scorer.score(batch) for batch in batches]
    results = [None] * len(batches)

    def run(i):
        for _ in range(3):
            results[i] = scorer.score(batches[i])

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(batches))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for got, want in zip(results, expected):
        assert got.tobytes() == want.tobytes()


def test_per_target_terms_average_to_the_score(source, targets):
    scorer = zipfit.Scorer(targets[:7], level=6)
    text = source.texts()[3]
    terms = scorer.per_target(text)
    assert len(terms) == 7
    assert float(sum(terms.tolist()) / 7) == scorer.score([text])[0]


@pytest.mark.parametrize("text", ["", "a", "def f(x):\n    return x * 2\n" * 40, "é漢字" * 99])
def test_compressed_len_is_the_reference_length(text):
    data = text.encode()
    for level in range(1, 10):
        assert zipfit.compressed_len(text, level=level) == len(gzip.compress(data, level, mtime=0))
    assert zipfit.compressed_len(data, compressor="lz4") == len(lz4.frame.compress(data))


def test_ncd_is_the_formula():
    x, y = "def add(a, b): return a + b\n" * 3, "def mul(a, b): return a * b\n" * 3
    c = lambda s: len(gzip.compress(s.encode(), 9))
    expected = (c(x + y) - min(c(x), c(y))) / max(c(x), c(y))
    assert zipfit.ncd(x, y) == expected


def test_bad_arguments_are_clear_errors():
    with pytest.raises(ValueError, match="the target set is empty"):
        zipfit.Scorer([])
    with pytest.raises(ValueError, match="gzip level must be 1-9, not 0"):
        zipfit.Scorer(["y"], level=0)
    with pytest.raises(ValueError, match="unknown compressor 'zip'"):
        zipfit.Scorer(["y"], compressor="zip")
    # A level the paper's code's library does not have is refused, never scored at another.
    with pytest.raises(ValueError, match="lz4 level must be 0-12, not 13"):
        zipfit.Scorer(["x"], compressor="lz4", level=13)
    with pytest.raises(ValueError, match="brotli level must be 11, not 5"):
        zipfit.Scorer(["x"], compressor="brotli", level=5)
    assert zipfit.Scorer(["x"], compressor="lz4").compressor == "lz4"
    assert zipfit.Scorer(["x"], compressor="lz4", level=9).compressor == "lz4 level 9"
    assert zipfit.Scorer(["x"], compressor="zstd").compressor == "zstd level 3"
    assert zipfit.Scorer(["x"]).compressor == "gzip level 9"
    with pytest.raises(TypeError, match="text 1 must be str or bytes, not int"):
        zipfit.Scorer(["y"]).score(["a", 3])


def test_field_rules_are_the_clis(tmp_path):
    lines = [
        {"meta": {"body": "def f(x): return x"}},
        {"meta.body": "a key with a dot wins"},
        {"meta": {"body": "print(1)"}},
    ]
    chats = [{"messages": [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "def g(): pass"}]}]
    assert zipfit.record_text(json.dumps(lines[0]), "meta.body") == "def f(x): return x"
    assert zipfit.record_text(json.dumps(lines[1]).encode(), "meta.body") == "a key with a dot wins"
    assert zipfit.record_text(json.dumps(chats[0]), "messages") == "hi\ndef g(): pass"
    with pytest.raises(zipfit.RecordError, match='no field "text"'):
        zipfit.record_text('{"body": 1}')
    with pytest.raises(zipfit.RecordError, match='field "text" is not text \\(a number\\)'):
        zipfit.record_text('{"text": 1}')

    source = tmp_path / "nested.jsonl"
    source.write_text("".join(json.dumps(r) + "\n" for r in lines))
    target = tmp_path / "target.jsonl"
    target.write_text(json.dumps({"meta": {"body": "def h(y): return y"}}) + "\n")
    scores_file = tmp_path / "scores.jsonl"
    cli("score", "-s", str(source), "-t", str(target), "-f", "meta.body", "--scores", str(scores_file), "-q")
    expected = np.array([row["score"] for row in cli_scores(scores_file)])
    scorer = zipfit.Scorer(["def h(y): return y"])
    raw = [json.dumps(r) for r in lines]
    assert scorer.score_lines(raw, "meta.body").tobytes() == expected.tobytes()


def test_a_bad_line_names_its_position_and_problem(targets):
    scorer = zipfit.Scorer(targets[:3])
    with pytest.raises(zipfit.RecordError, match="^record 1: not valid JSON"):
        scorer.score_lines(['{"text": "a"}', '{oops'])


def test_reading_stops_or_skips_as_the_cli_does(tmp_path):
    path = tmp_path / "bad.jsonl"
    path.write_bytes(b'{"text": "a"}\r\n\n{"text": 3}\n{"text": "b"}\nnot json\n')
    target = tmp_path / "t.jsonl"
    target.write_text('{"text": "a"}\n')
    with pytest.raises(zipfit.RecordError) as stopped:
        zipfit.read_jsonl(str(path))
    cli_error = cli("score", "-s", str(path), "-t", str(target), check=False)
    assert cli_error.returncode == 1
    assert cli_error.stderr.decode().strip() == f"zipfit: {stopped.value}"
    assert str(stopped.value) == f'{path}:3: field "text" is not text (a number)'

    records = zipfit.read_jsonl(str(path), on_error="skip")
    assert records.lines == [b'{"text": "a"}\r', b'{"text": "b"}']
    assert records.line_numbers.tolist() == [1, 4]
    assert [(line, raw) for line, raw, _ in records.skipped] == [(3, b'{"text": 3}'), (5, b"not json")]
    skipped_file = tmp_path / "skipped.jsonl"
    cli("score", "-s", str(path), "-t", str(target), "--on-error", "skip", "--skipped", str(skipped_file), "-q")
    assert skipped_file.read_bytes() == b"".join(raw + b"\n" for _, raw, _ in records.skipped)

    empty = tmp_path / "empty.jsonl"
    empty.write_text("\n\n")
    with pytest.raises(ValueError, match="no records"):
        zipfit.read_jsonl(str(empty))


@pytest.mark.parametrize(
    "flag,value,keyword",
    [("--top", "37", "top"), ("--top-percent", "12.5", "top_percent"),
     ("--token-budget", "20000", "token_budget"), ("--threshold", "0.2", "threshold")],
)
def test_selection_keeps_what_the_cli_keeps(tmp_path, source, targets, flag, value, keyword):
    kept_file = tmp_path / "kept.jsonl"
    cli("score", "-s", str(SOURCE), "-t", str(TARGET), "-l", "6", flag, value, "-o", str(kept_file), "-q")
    scores = zipfit.Scorer(targets, level=6).score_lines(source.lines)
    number = float(value) if "." in value else int(value)
    kept = zipfit.select(scores, tokens=source.tokens, **{keyword: number})
    assert len(kept) > 0
    assert b"".join(source.lines[i] + b"\n" for i in kept) == kept_file.read_bytes()


def test_select_rules():
    scores = [0.2, 0.5, 0.2, 0.9]
    assert zipfit.rank(scores).tolist() == [3, 1, 0, 2]
    assert zipfit.select(scores, top=2).tolist() == [3, 1]
    assert zipfit.select(scores, threshold=0.2).tolist() == [3, 1]
    assert zipfit.select(scores, token_budget=60, tokens=[10, 20, 30, 40]).tolist() == [3, 1]
    assert zipfit.select(scores).tolist() == [3, 1, 0, 2]
    with pytest.raises(ValueError, match="at most one"):
        zipfit.select(scores, top=1, threshold=0.1)
    with pytest.raises(ValueError, match="a token budget needs tokens"):
        zipfit.select(scores, token_budget=5)


def test_the_type_stubs_name_exactly_what_the_extension_has():
    import ast
    from pathlib import Path

    from zipfit import _zipfit

    stubs = ast.parse((Path(zipfit.__file__).parent / "_zipfit.pyi").read_text())
    stubbed = {node.name for node in stubs.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))}
    present = {name for name in dir(_zipfit) if not name.startswith("_")}
    assert stubbed == present
    assert (Path(zipfit.__file__).parent / "py.typed").exists()
