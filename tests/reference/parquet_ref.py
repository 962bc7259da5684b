#!/usr/bin/env python3
"""Writes Parquet files with pyarrow for the core's Parquet reader to read, and what it must find.

Usage: parquet_ref.py SOURCE.jsonl OUT_DIR [N]
       parquet_ref.py check SOURCE.parquet WRITTEN.parquet INDICES.json

Takes the first N (default 300) texts of SOURCE.jsonl and writes them as Parquet in every
codec pyarrow writes (none, snappy, gzip, zstd, brotli, lz4), data pages v1 and v2,
dictionary and plain encodings, small row groups, and every column layout the reader
takes: string, large_string, string_view, UTF-8 binary, a struct path (meta.body), a
chat list of {role, content}, and a column with nulls. OUT_DIR/expected.json lists
every file with its field and, per row, the text or null (a row without text).
"""
import json
import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq


def main():
    source, out = sys.argv[1], sys.argv[2]
    n = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    with open(source, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()][:n]
    texts += ["naïve café ☕ 東京 😀👍🏽 e\u0301", "", "  \t\n  "]
    os.makedirs(out, exist_ok=True)
    expected = {}

    def write(name, table, field, rows, **options):
        pq.write_table(table, os.path.join(out, name), **options)
        expected[name] = {"field": field, "texts": rows}

    for codec in ["none", "snappy", "gzip", "zstd", "brotli", "lz4"]:
        for version in ["1.0", "2.0"]:
            for dictionary in [True, False]:
                name = f"string-{codec}-v{version[0]}-{'dict' if dictionary else 'plain'}.parquet"
                table = pa.table({"id": list(range(len(texts))), "text": pa.array(texts, pa.string())})
                write(name, table, "text", texts, compression=codec, data_page_version=version,
                      use_dictionary=dictionary, row_group_size=64)
    for kind, data_type in [("large_string", pa.large_string()), ("string_view", pa.string_view()),
                            ("binary", pa.binary()), ("large_binary", pa.large_binary())]:
        values = [t.encode() for t in texts] if "binary" in kind else texts
        table = pa.table({"text": pa.array(values, data_type)})
        write(f"{kind}.parquet", table, "text", texts, compression="zstd", row_group_size=100)
    meta = pa.array([{"body": t, "lang": "en"} for t in texts])
    write("struct.parquet", pa.table({"meta": meta}), "meta.body", texts, compression="snappy")
    chats = [[{"role": "user", "content": t}, {"role": "assistant", "content": t[::-1]}] for t in texts]
    write("chat.parquet", pa.table({"messages": pa.array(chats)}), "messages",
          [t + "\n" + t[::-1] for t in texts], compression="gzip")
    holes = [None if i % 7 == 3 else t for i, t in enumerate(texts)]
    write("nulls.parquet", pa.table({"text": pa.array(holes, pa.string())}), "text", holes,
          compression="snappy", row_group_size=50)
    with open(os.path.join(out, "expected.json"), "w", encoding="utf-8") as f:
        json.dump(expected, f)


def codecs(path):
    meta = pq.ParquetFile(path).metadata
    return sorted({meta.row_group(0).column(c).compression for c in range(meta.num_columns)})


def check():
    """Prints, as JSON, whether WRITTEN holds SOURCE's rows at INDICES (in that order),
    with the same schema, and each file's codecs."""
    source, written, indices = sys.argv[2], sys.argv[3], sys.argv[4]
    with open(indices, encoding="utf-8") as f:
        rows = json.load(f)
    source_table = pq.read_table(source)
    got = pq.read_table(written)
    # Row by row as Python values: pyarrow's own take has no kernel for string_view.
    source_rows = source_table.to_pylist()
    print(json.dumps({
        "rows": got.num_rows,
        "equal": got.to_pylist() == [source_rows[i] for i in rows],
        "schema_equal": got.schema.remove_metadata().equals(source_table.schema.remove_metadata()),
        "source_codecs": codecs(source),
        "written_codecs": codecs(written),
    }))


if __name__ == "__main__":
    if sys.argv[1] == "check":
        check()
    else:
        main()
