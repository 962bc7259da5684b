#!/usr/bin/env python3
"""Writes the small Parquet files the Wasm tests read (src/worker/testdata/codecs/): the
same 24 texts in every codec, by pyarrow and by DuckDB, each file with three layouts of
the text (a column `text`, a struct path `meta.body`, a chat list `messages`), and
texts.json, the texts. Run again only to change them:

    .venv/bin/python tests/reference/parquet_codecs.py www/example/source.jsonl src/worker/testdata/codecs
"""
import json
import os
import sys

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq


def main():
    source, out = sys.argv[1], sys.argv[2]
    with open(source, encoding="utf-8") as f:
        texts = [json.loads(line)["text"][:400] for line in f if line.strip()][:22]
    texts += ["naïve café ☕ 東京 😀👍🏽 e\u0301", ""]
    table = pa.table({
        "text": texts,
        "meta": pa.array([{"body": t} for t in texts]),
        "messages": pa.array([[{"role": "user", "content": "Complete:"}, {"role": "assistant", "content": t}]
                              for t in texts]),
    })
    os.makedirs(out, exist_ok=True)
    for codec in ["none", "snappy", "gzip", "zstd", "brotli", "lz4"]:
        pq.write_table(table, os.path.join(out, f"pyarrow-{codec}.parquet"), compression=codec,
                       row_group_size=10, data_page_version="2.0" if codec == "zstd" else "1.0")
    con = duckdb.connect()
    con.register("rows", table)
    for codec in ["uncompressed", "snappy", "gzip", "zstd", "brotli", "lz4"]:
        path = os.path.join(out, f"duckdb-{codec}.parquet")
        con.execute(f"COPY rows TO '{path}' (FORMAT parquet, COMPRESSION {codec})")
    with open(os.path.join(out, "texts.json"), "w", encoding="utf-8") as f:
        json.dump(texts, f, ensure_ascii=False)


if __name__ == "__main__":
    main()
