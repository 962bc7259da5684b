"""Token budgets in a model's tokens: counts equal the models' own libraries (Hugging Face
``tokenizers`` and ``tiktoken``, pinned in requirements-dev.txt) on every development record
and on a multilingual set, and a token budget keeps the same records in the CLI and Python."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sys
from pathlib import Path

import numpy as np
import pytest
import tiktoken
from tokenizers import Tokenizer

import zipfit
from conftest import ROOT, SOURCE, TARGET, cli

sys.path.insert(0, str(ROOT / "tests" / "reference"))
import tokenizer_files  # noqa: E402

ENCODINGS = ROOT / "crates" / "core" / "encodings"


@pytest.fixture(scope="session")
def tokenizer_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tokenizers")
    tokenizer_files.write_all(str(out), tokenizer_files.jsonl_texts([str(SOURCE)]))
    return out


@pytest.fixture(scope="session")
def texts() -> list:
    return (tokenizer_files.jsonl_texts([str(SOURCE), str(TARGET)])
            + tokenizer_files.multilingual_texts())


@pytest.fixture(scope="session")
def openai(tmp_path_factory):
    """tiktoken's encodings, loaded offline from the rank files zipfit ships: tiktoken
    finds them in its cache under the SHA-1 of their URL, and checks their SHA-256."""
    cache = tmp_path_factory.mktemp("tiktoken-cache")
    for name in ("cl100k_base", "o200k_base"):
        url = f"https://openaipublic.blob.core.windows.net/encodings/{name}.tiktoken"
        shutil.copyfile(ENCODINGS / f"{name}.tiktoken", cache / hashlib.sha1(url.encode()).hexdigest())
    os.environ["TIKTOKEN_CACHE_DIR"] = str(cache)
    return {name: tiktoken.get_encoding(name) for name in ("cl100k_base", "o200k_base")}


def reference_counts(path: Path, texts) -> np.ndarray:
    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.no_truncation()
    tokenizer.no_padding()
    encodings = tokenizer.encode_batch(texts, add_special_tokens=False)
    return np.array([len(e.ids) for e in encodings], dtype=np.int64)


def assert_same_counts(ours: np.ndarray, theirs: np.ndarray, texts, name: str):
    differ = np.flatnonzero(ours != theirs)
    shown = [(int(i), texts[i][:60], int(ours[i]), int(theirs[i])) for i in differ[:5]]
    assert len(differ) == 0, f"{name}: {len(differ)} of {len(texts)} counts differ, e.g. {shown}"


FAMILIES = ["gpt2-byte-level.json", "llama3-byte-level.json", "llama2-byte-fallback.json",
            "unigram.json", "wordpiece.json", "anthropic.json"]


@pytest.mark.parametrize("name", FAMILIES)
def test_tokenizer_json_counts_equal_hugging_face(tokenizer_dir, texts, name):
    path = tokenizer_dir / name
    ours = zipfit.count_tokens(texts, tokens=str(path))
    assert_same_counts(ours, reference_counts(path, texts), texts, name)
    # The test is not vacuous: the models disagree with each other and with the estimate.
    assert not np.array_equal(ours, zipfit.count_tokens(texts, tokens="bytes"))


def test_byte_fallback_and_unknowns_are_exercised(tokenizer_dir):
    """The Llama 2 layout falls back to bytes for characters it never learned, and
    WordPiece gives [UNK]: the counts above cover both paths."""
    llama2 = Tokenizer.from_file(str(tokenizer_dir / "llama2-byte-fallback.json"))
    assert any(t.startswith("<0x") for t in llama2.encode("𝄞 ꙮ", add_special_tokens=False).tokens)
    wordpiece = Tokenizer.from_file(str(tokenizer_dir / "wordpiece.json"))
    assert "[UNK]" in wordpiece.encode("𝄞 ꙮ", add_special_tokens=False).tokens


@pytest.mark.parametrize("name", ["cl100k_base", "o200k_base"])
def test_openai_counts_equal_tiktoken(openai, texts, name):
    encoding = openai[name]
    theirs = np.array([len(encoding.encode_ordinary(t)) for t in texts], dtype=np.int64)
    assert_same_counts(zipfit.count_tokens(texts, tokens=name), theirs, texts, name)


def test_special_tokens_are_not_added(tokenizer_dir):
    """A BERT-style post-processor adds [CLS] and [SEP]; counts leave them out, as
    ``add_special_tokens=False`` does."""
    path = tokenizer_dir / "wordpiece.json"
    spec = json.loads(path.read_text())
    spec["post_processor"] = {"type": "BertProcessing", "sep": ["[SEP]", 3], "cls": ["[CLS]", 2]}
    spec["truncation"] = {"direction": "Right", "max_length": 4, "strategy": "LongestFirst", "stride": 0}
    with_post = path.with_name("wordpiece-post.json")
    with_post.write_text(json.dumps(spec))
    text = "the quick brown fox jumps over the lazy dog"
    plain = Tokenizer.from_file(str(path)).encode(text, add_special_tokens=False)
    # Truncation in the file is ignored too: a budget counts whole records.
    assert zipfit.count_tokens([text], tokens=str(with_post))[0] == len(plain.ids) > 4


@pytest.mark.parametrize("counter", ["cl100k_base", "llama3-byte-level.json", "unigram.json"])
def test_token_budget_keeps_the_same_records_in_cli_and_python(tmp_path, tokenizer_dir, counter):
    spec = counter if counter.endswith("_base") else str(tokenizer_dir / counter)
    budget = 60_000
    kept = tmp_path / "kept.jsonl"
    scores = tmp_path / "scores.jsonl"
    run = cli("score", "-s", str(SOURCE), "-t", str(TARGET), "-c", "lz4", "--scores", str(scores),
              "--token-budget", str(budget), "--tokens", spec, "-o", str(kept))
    assert f"by {Path(spec).name}" in run.stderr.decode()
    score_values = np.array([json.loads(line)["score"] for line in scores.read_text().splitlines()])
    records = zipfit.read_jsonl(str(SOURCE), tokens=spec)
    texts = records.texts()
    # The longest prefix of the ranking whose exact sum is at most the budget.
    order = zipfit.rank(score_values)
    exact = records.tokens
    total, expected = 0, 0
    for i in order:
        total += int(exact[i])
        if total > budget:
            break
        expected += 1
    lazy = zipfit.select(score_values, token_budget=budget, tokens=spec, texts=texts)
    whole = zipfit.select(score_values, token_budget=budget, tokens=records.tokens)
    assert len(lazy) == len(whole) == expected > 0
    lines = SOURCE.read_bytes().splitlines(keepends=True)
    assert kept.read_bytes() == b"".join(lines[i] for i in lazy)


def test_read_counts_equal_count_tokens(tokenizer_dir):
    spec = str(tokenizer_dir / "llama2-byte-fallback.json")
    records = zipfit.read_jsonl(str(SOURCE), tokens=spec)
    assert np.array_equal(records.tokens, zipfit.count_tokens(records.texts(), tokens=spec))
    chunks = list(zipfit.JsonlChunks(str(SOURCE), tokens=spec, chunk_bytes=1 << 20))
    assert len(chunks) > 1
    assert np.array_equal(np.concatenate([c["tokens"] for c in chunks]), records.tokens)


def test_bad_tokenizer_files_say_what_is_wrong(tmp_path):
    not_json = tmp_path / "notes.txt"
    not_json.write_text("hello")
    no_model = tmp_path / "config.json"
    no_model.write_text(json.dumps({"vocab_size": 3}))
    odd_model = tmp_path / "odd.json"
    odd_model.write_text(json.dumps({"model": {"type": "Mystery", "vocab": {"a": 0}}}))
    odd_pre = tmp_path / "odd-pre.json"
    odd_pre.write_text(json.dumps({
        "version": "1.0", "truncation": None, "padding": None, "added_tokens": [],
        "normalizer": None, "pre_tokenizer": {"type": "Sideways"}, "post_processor": None,
        "decoder": None, "model": {"type": "WordLevel", "vocab": {"a": 0, "[UNK]": 1}, "unk_token": "[UNK]"}}))
    cases = [
        (not_json, "notes.txt: not a tokenizer.json: not JSON"),
        (no_model, 'config.json: not a tokenizer.json: it has no "model" object'),
        (odd_model, "odd.json: unsupported tokenizer.json"),
        (odd_pre, "odd-pre.json: unsupported tokenizer.json"),
        (tmp_path / "missing.json", "cannot read the tokenizer"),
    ]
    for path, message in cases:
        with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
            zipfit.count_tokens(["a"], tokens=str(path))
    run = cli("select", "-s", str(SOURCE), "--scores", str(odd_model), "--token-budget", "5",
              "--tokens", str(odd_model), "-o", str(tmp_path / "out.jsonl"), check=False)
    assert run.returncode != 0
    assert "odd.json: unsupported tokenizer.json" in run.stderr.decode()
    assert not (tmp_path / "out.jsonl").exists()


def test_ray_keeps_the_cli_bytes_by_a_model_budget(local_ray, tmp_path, tokenizer_dir):
    from conftest import split_lines
    ray_module = pytest.importorskip("zipfit.ray")
    spec = str(tokenizer_dir / "llama2-byte-fallback.json")
    kept = tmp_path / "kept.jsonl"
    cli("score", "-s", str(SOURCE), "-t", str(TARGET), "-c", "lz4", "--token-budget", "45000",
        "--tokens", spec, "-o", str(kept), "-q")
    shards = split_lines(SOURCE, tmp_path / "shards", 3)
    messages = []
    outcome = ray_module.select_files(
        [str(s) for s in shards], str(TARGET), str(tmp_path / "out"),
        budget=zipfit.Budget("tokens", 45000), compressor="lz4", tokens=spec, report=messages.append)
    assert outcome.kept > 0
    assert b"".join(p.read_bytes() for p in sorted((tmp_path / "out").glob("*.jsonl"))) == kept.read_bytes()
    assert any("tokens by llama2-byte-fallback.json" in m for m in messages)


def test_compare_counts_a_model_budget_over_both_runs(tmp_path):
    a, b = tmp_path / "a.jsonl", tmp_path / "b.jsonl"
    cli("score", "-s", str(SOURCE), "-t", str(TARGET), "-c", "lz4", "--scores", str(a), "-q")
    cli("score", "-s", str(SOURCE), "-t", str(TARGET), "-c", "gzip", "--scores", str(b), "-q")
    run = cli("compare", str(a), str(b), "--source", str(SOURCE), "--token-budget", "50000",
              "--tokens", "o200k_base", "--json")
    report = json.loads(run.stdout)
    records = zipfit.read_jsonl(str(SOURCE), tokens="o200k_base")
    for path, key in ((a, "kept_a"), (b, "kept_b")):
        scores = [json.loads(line)["score"] for line in path.read_text().splitlines()]
        assert report[key] == len(zipfit.select(scores, token_budget=50000, tokens=records.tokens))
