"""Parquet through the Python package: read_parquet and Arrow arrays scored in place,
against the CLI and against the same texts from JSONL."""

from __future__ import annotations

import json

import numpy as np
import pytest

import zipfit

from conftest import SOURCE, TARGET, cli, cli_scores

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


@pytest.fixture(scope="module")
def texts():
    with open(SOURCE, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()][:600]


@pytest.fixture(scope="module")
def targets():
    with open(TARGET, encoding="utf-8") as f:
        return [json.loads(line)["text"] for line in f if line.strip()]


def write(path, table, **options):
    pq.write_table(table, path, **options)
    return str(path)


@pytest.mark.parametrize("codec", ["zstd", "snappy", "none"])
def test_read_parquet_equals_the_clis_scores_and_the_jsonl_texts(tmp_path, texts, targets, codec):
    path = write(tmp_path / f"s-{codec}.parquet", pa.table({"text": texts}), compression=codec,
                 row_group_size=150)
    records = zipfit.read_parquet(path)
    assert records.parquet and len(records) == len(texts)
    assert records.texts() == texts
    assert list(records.line_numbers) == list(range(1, len(texts) + 1))
    scorer = zipfit.Scorer(targets, compressor="lz4")
    scores = scorer.score(records.texts())
    cli("score", "--quiet", "-s", path, "-t", str(TARGET), "-c", "lz4", "--scores", str(tmp_path / "s.jsonl"))
    assert [r["score"] for r in cli_scores(tmp_path / "s.jsonl")] == list(scores)


def test_bad_rows_name_the_row_and_group_or_are_skipped(tmp_path, texts):
    column = texts[:300]
    column[201] = None
    path = write(tmp_path / "nulls.parquet", pa.table({"text": column}), row_group_size=100)
    with pytest.raises(zipfit.RecordError, match=r"nulls\.parquet: row 202 \(row group 2\)"):
        zipfit.read_parquet(path)
    records = zipfit.read_parquet(path, on_error="skip")
    assert len(records) == 299
    assert records.skipped == [(202, b"", 'field "text" is not text (null)')]
    with pytest.raises(ValueError, match="no column \"body\""):
        zipfit.read_parquet(path, field="body")
    not_parquet = tmp_path / "x.parquet"
    not_parquet.write_text('{"text": "a"}\n')
    with pytest.raises(ValueError, match="not a Parquet file"):
        zipfit.read_parquet(str(not_parquet))


def test_a_row_group_that_cannot_be_decoded_costs_only_its_rows_when_skipping(tmp_path, texts, targets):
    import subprocess
    import sys
    from pathlib import Path

    script = Path(__file__).resolve().parents[3] / "tests/e2e/parquet_files.py"
    intact = write(tmp_path / "intact.parquet", pa.table({"text": texts[:400]}), compression="snappy",
                   row_group_size=50)
    damaged = str(tmp_path / "damaged.parquet")
    said = subprocess.run([sys.executable, str(script), "damage", intact, damaged, "6"],
                          check=True, capture_output=True, text=True).stdout
    assert said.split() == ["300", "50"]
    with pytest.raises(ValueError, match=r"damaged\.parquet: row group 6"):
        zipfit.read_parquet(damaged)
    records = zipfit.read_parquet(damaged, on_error="skip")
    assert len(records) == 350
    assert [line for line, _, _ in records.skipped] == list(range(301, 351))
    assert all("its row group could not be read" in problem for _, _, problem in records.skipped)
    scorer = zipfit.Scorer(targets, compressor="lz4")
    whole = scorer.score(texts[:400])
    assert list(scorer.score(records.texts())) == list(whole[:300]) + list(whole[350:400])


def test_arrow_arrays_score_in_place_as_python_strings_do(texts, targets):
    scorer = zipfit.Scorer(targets)
    expected = scorer.score(texts)
    for array in [
        pa.array(texts, pa.string()),
        pa.array(texts, pa.large_string()),
        pa.array(texts, pa.string_view()),
        pa.array([t.encode() for t in texts], pa.binary()),
        pa.chunked_array([texts[:100], texts[100:101], texts[101:]]),
        pa.array(["x"] + texts, pa.string()).slice(1),
    ]:
        np.testing.assert_array_equal(scorer.score(array), expected, err_msg=str(array.type))
    assert len(scorer.score(pa.array([], pa.string()))) == 0
    with pytest.raises(zipfit.RecordError, match="text 101: null"):
        scorer.score(pa.chunked_array([texts[:100], [texts[0], None]]))
    with pytest.raises(TypeError, match="int64 holds no texts"):
        scorer.score(pa.array([1, 2]))


@pytest.mark.parametrize("codec", ["zstd", "snappy", "gzip", "brotli", "lz4", "uncompressed"])
def test_files_written_by_duckdb_read_score_and_write_back(tmp_path, texts, codec):
    duckdb = pytest.importorskip("duckdb")
    # A plain column, a struct path and a chat list, in row groups of 122,880 rows at
    # most (DuckDB's floor): with 600 rows, one group; written with DuckDB's own writer.
    table = pa.table({
        "id": pa.array(range(len(texts)), pa.int64()),
        "text": texts,
        "meta": pa.array([{"body": t} for t in texts]),
        "messages": pa.array([[{"role": "user", "content": "Complete:"}, {"role": "assistant", "content": t}]
                              for t in texts]),
    })
    path = tmp_path / f"duckdb-{codec}.parquet"
    con = duckdb.connect()
    con.register("rows", table)
    con.execute(f"COPY (SELECT * FROM rows ORDER BY id) TO '{path}' (FORMAT parquet, COMPRESSION {codec})")
    assert pq.ParquetFile(path).metadata.created_by.lower().startswith("duckdb")
    for field, expected in [("text", texts), ("meta.body", texts),
                            ("messages", [f"Complete:\n{t}" for t in texts])]:
        assert zipfit.read_parquet(str(path), field=field).texts() == expected, field
    jsonl = tmp_path / "same.jsonl"
    jsonl.write_text("".join(json.dumps({"text": t}) + "\n" for t in texts))
    kept = tmp_path / "kept.parquet"
    cli("score", "-q", "-s", str(path), "-t", str(TARGET), "--top", "60", "-o", str(kept),
        "--scores", str(tmp_path / "a.jsonl"))
    cli("score", "-q", "-s", str(jsonl), "-t", str(TARGET), "--scores", str(tmp_path / "b.jsonl"))
    assert cli_scores(tmp_path / "a.jsonl") == cli_scores(tmp_path / "b.jsonl")
    ranked = sorted(cli_scores(tmp_path / "a.jsonl"), key=lambda r: r["rank"])[:60]
    want = pq.read_table(path).take([r["index"] for r in ranked])
    got = pq.read_table(kept)
    assert got.schema.equals(want.schema) and got.equals(want)
