"""The Ray pipeline on an S3-compatible object store: moto's server, started here on a
local port (a real S3 API over HTTP, not a mocked client), reached through pyarrow's
filesystems as Ray Data reaches S3."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from conftest import SOURCE, TARGET, cli, split_lines

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pafs = pytest.importorskip("pyarrow.fs")
moto_server = pytest.importorskip("moto.server")


@pytest.fixture(scope="module")
def s3():
    """A local S3 server with a bucket, and the environment that points clients at it."""
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    env = {
        "AWS_ACCESS_KEY_ID": "testing",
        "AWS_SECRET_ACCESS_KEY": "testing",
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL": f"http://{host}:{port}",
    }
    fs = pafs.S3FileSystem(access_key="testing", secret_key="testing", region="us-east-1",
                           endpoint_override=f"http://{host}:{port}", scheme="http",
                           allow_bucket_creation=True)
    fs.create_dir("corpus")
    yield fs, env
    server.stop()


def put(fs, local, key):
    with open(local, "rb") as f, fs.open_output_stream(key) as out:
        out.write(f.read())


def run_pipeline(env, *args):
    return subprocess.run(
        [sys.executable, "-m", "zipfit.ray", "--num-cpus", "2", *args],
        capture_output=True, text=True, env={**os.environ, **env},
    )


def test_jsonl_shards_and_output_in_s3_equal_the_cli(tmp_path, s3):
    fs, env = s3
    for shard in split_lines(SOURCE, tmp_path / "shards", 3):
        put(fs, shard, f"corpus/jsonl/{shard.name}")
    put(fs, TARGET, "corpus/target.jsonl")
    kept = tmp_path / "kept.jsonl"
    cli("score", "-q", "-s", str(SOURCE), "-t", str(TARGET), "-c", "lz4", "--top", "200", "-o", str(kept))
    run = run_pipeline(env, "-s", "s3://corpus/jsonl/*.jsonl", "-t", "s3://corpus/target.jsonl",
                       "-o", "s3://corpus/out-jsonl", "-c", "lz4", "--top", "200", "--part-mb", "1")
    assert run.returncode == 0, run.stderr
    parts = sorted(i.path for i in fs.get_file_info(pafs.FileSelector("corpus/out-jsonl"))
                   if i.path.endswith(".jsonl"))
    assert parts
    written = b"".join(fs.open_input_stream(p).read() for p in parts)
    assert written == kept.read_bytes()
    assert fs.get_file_info("corpus/out-jsonl/_zipfit/scores.jsonl").size > 0


def test_parquet_shards_and_output_in_s3_equal_the_cli(tmp_path, s3):
    fs, env = s3
    import json

    with open(SOURCE, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    table = pa.table({"id": pa.array(range(len(texts)), pa.int64()), "text": texts})
    whole = tmp_path / "whole.parquet"
    pq.write_table(table, whole, compression="zstd", row_group_size=500)
    third = -(-len(texts) // 3)
    for n in range(3):
        local = tmp_path / f"part-{n}.parquet"
        pq.write_table(table.slice(n * third, third), local, compression="zstd", row_group_size=500)
        put(fs, local, f"corpus/parquet/{local.name}")
    kept = tmp_path / "kept.parquet"
    cli("score", "-q", "-s", str(whole), "-t", str(TARGET), "--top-percent", "5", "-o", str(kept))
    run = run_pipeline(env, "-s", "s3://corpus/parquet", "-t", str(TARGET),
                       "-o", "s3://corpus/out-parquet", "--top-percent", "5")
    assert run.returncode == 0, run.stderr
    parts = sorted(i.path for i in fs.get_file_info(pafs.FileSelector("corpus/out-parquet"))
                   if i.path.endswith(".parquet"))
    ours = pa.concat_tables([pq.read_table(p, filesystem=fs) for p in parts])
    assert ours.equals(pq.read_table(kept))
    # A missing object is a clear error, not a traceback.
    run = run_pipeline(env, "-s", "s3://corpus/nothing/*.parquet", "-t", str(TARGET), "-o", "s3://corpus/x")
    assert run.returncode == 1 and "s3://corpus/nothing/*.parquet: no such file" in run.stderr
