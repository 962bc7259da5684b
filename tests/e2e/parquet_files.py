#!/usr/bin/env python3
"""Parquet files for the end-to-end tests, written and compared with pyarrow.

Usage: parquet_files.py make SOURCE.jsonl TARGET.jsonl OUT_DIR ROWS_PER_GROUP
       parquet_files.py equal A.parquet B.parquet
       parquet_files.py from-jsonl SOURCE.jsonl OUT.parquet CODEC ROWS_PER_GROUP
       parquet_files.py damage IN.parquet OUT.parquet ROW_GROUP

`make` writes OUT_DIR/source.parquet (zstd, row groups of ROWS_PER_GROUP rows, the
columns of SOURCE.jsonl, and three rows whose text is null: rows 2, 1/2 and the last of
the file) and OUT_DIR/target.parquet (snappy), and OUT_DIR/source.jsonl, the source's
texts as JSONL, each null text left out: what the Parquet source must score as.

`equal` exits 0 when the two files hold equal tables (pyarrow's Table.equals) with the
same schema, and says how they differ otherwise.

`damage` copies IN.parquet to OUT.parquet with the text column's data of row group
ROW_GROUP overwritten in its middle (its pages can no longer be decoded), and prints
that row group's first row and number of rows.

`from-jsonl` writes the records of SOURCE.jsonl (of any size: read a block at a time) as
Parquet with CODEC, without dictionary encoding, in row groups of ROWS_PER_GROUP rows.
"""
import json
import os
import sys

import pyarrow as pa
import pyarrow.parquet as pq


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def make(source, target, out, rows_per_group):
    os.makedirs(out, exist_ok=True)
    records = read_jsonl(source)
    null_rows = {1, len(records) // 2, len(records) - 1}
    texts = [None if i in null_rows else r["text"] for i, r in enumerate(records)]
    origins = [str(r.get("origin", "")) for r in records]
    table = pa.table({
        "id": pa.array(range(len(records)), pa.int64()),
        "text": pa.array(texts, pa.string()),
        "origin": pa.array(origins, pa.string()),
    })
    pq.write_table(table, os.path.join(out, "source.parquet"), compression="zstd",
                   row_group_size=rows_per_group)
    with open(os.path.join(out, "source.jsonl"), "w", encoding="utf-8") as f:
        for text in texts:
            if text is not None:
                f.write(json.dumps({"text": text}) + "\n")
    targets = [r["text"] for r in read_jsonl(target)]
    pq.write_table(pa.table({"text": pa.array(targets, pa.string())}),
                   os.path.join(out, "target.parquet"), compression="snappy")


def equal(a, b):
    ta, tb = pq.read_table(a), pq.read_table(b)
    if not ta.schema.equals(tb.schema):
        sys.exit(f"schemas differ:\n{ta.schema}\n---\n{tb.schema}")
    if not ta.equals(tb):
        sys.exit(f"tables differ: {ta.num_rows} rows against {tb.num_rows}")


def from_jsonl(source, out, codec, rows_per_group):
    import pyarrow.json as pj

    reader = pj.open_json(source, read_options=pj.ReadOptions(block_size=64 << 20))
    writer = None
    pending, rows = [], 0
    for batch in reader:
        if writer is None:
            writer = pq.ParquetWriter(out, batch.schema, compression=codec, use_dictionary=False)
        pending.append(batch)
        rows += batch.num_rows
        if rows >= rows_per_group:
            writer.write_table(pa.Table.from_batches(pending), row_group_size=rows_per_group)
            pending, rows = [], 0
    if pending:
        writer.write_table(pa.Table.from_batches(pending), row_group_size=rows_per_group)
    writer.close()


def damage(source, out, group):
    meta = pq.ParquetFile(source).metadata
    column = next(i for i in range(meta.num_columns) if meta.schema.column(i).name == "text")
    chunk = meta.row_group(group).column(column)
    start = chunk.dictionary_page_offset or chunk.data_page_offset
    data = bytearray(open(source, "rb").read())
    middle = start + chunk.total_compressed_size // 2
    data[middle:middle + 64] = bytes((i * 37 + 11) % 256 for i in range(64))
    open(out, "wb").write(bytes(data))
    first = sum(meta.row_group(g).num_rows for g in range(group))
    print(first, meta.row_group(group).num_rows)


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    elif sys.argv[1] == "from-jsonl":
        from_jsonl(sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]))
    elif sys.argv[1] == "damage":
        damage(sys.argv[2], sys.argv[3], int(sys.argv[4]))
    elif sys.argv[1] == "equal":
        equal(sys.argv[2], sys.argv[3])
    else:
        sys.exit(__doc__)
