//! The files of a source. A source may be several files (a dataset's shards), read one
//! after the other as one source: a record's index runs across them in input order, and
//! its place is its file and its line (or row) there. JSONL files (and decompressed
//! `.jsonl.gz` ones) are read back through one `Blob` that joins them, so that a read of
//! lines in file order crosses from one file to the next; a Parquet file is read by
//! range from its own `Blob`.

use std::ops::Range;

use web_sys::Blob;

use super::parquet::ParquetSource;

/// How a file of a source is read.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Jsonl,
    /// A `.jsonl.gz` file, decompressed as it streams.
    Gzip,
    Parquet,
}

impl Kind {
    /// The kind `www/worker.js` names (`jsonl`, `gzip`, `parquet`).
    pub fn named(kind: &str) -> Option<Kind> {
        match kind {
            "jsonl" => Some(Kind::Jsonl),
            "gzip" => Some(Kind::Gzip),
            "parquet" => Some(Kind::Parquet),
            _ => None,
        }
    }

    /// What the summary calls it.
    pub fn label(self) -> &'static str {
        match self {
            Kind::Jsonl => "JSONL",
            Kind::Gzip => "JSONL (gzip)",
            Kind::Parquet => "Parquet",
        }
    }
}

/// One file of a source.
pub struct Part {
    /// Its name in messages: its path in the folder it was found in, or its file name.
    pub name: String,
    pub kind: Kind,
    /// Its (decompressed) bytes, once read: what its lines, or rows, are read back from.
    pub blob: Option<Blob>,
    /// Where its bytes start among the JSONL files' bytes joined (0 for Parquet).
    pub start: u64,
    /// Its (decompressed) size in bytes.
    pub size: u64,
    /// Its records' indices in the source.
    pub records: Range<usize>,
    /// Lines (or rows) of the files before it: a record's source-wide line number less
    /// this is its line in this file.
    pub lines_before: u64,
    /// Its lines (or rows).
    pub lines: u64,
    /// A Parquet file's footer and text column.
    pub parquet: Option<ParquetSource>,
}

/// The files of a source, in input order.
#[derive(Default)]
pub struct Parts {
    pub list: Vec<Part>,
}

impl Parts {
    /// Starts the next file: its records and lines follow those of the files before.
    pub fn begin(&mut self, name: &str, kind: Kind, records: usize) -> &mut Part {
        let (start, lines_before) = self.list.last().map_or((0, 0), |last| {
            let jsonl = last.kind != Kind::Parquet;
            (
                last.start + if jsonl { last.size } else { 0 },
                last.lines_before + last.lines,
            )
        });
        self.list.push(Part {
            name: name.to_string(),
            kind,
            blob: None,
            start,
            size: 0,
            records: records..records,
            lines_before,
            lines: 0,
            parquet: None,
        });
        self.list.last_mut().expect("just pushed")
    }

    /// The file being read.
    pub fn current(&mut self) -> Option<&mut Part> {
        self.list.last_mut()
    }

    /// More than one file: places name the file.
    pub fn many(&self) -> bool {
        self.list.len() > 1
    }

    /// The position of the file record `index` is in.
    pub fn of_record(&self, index: usize) -> usize {
        self.list
            .partition_point(|p| p.records.start <= index)
            .saturating_sub(1)
    }

    /// The position of the file that source-wide line (or 1-based row) `line` is in.
    pub fn of_line(&self, line: u64) -> usize {
        self.list
            .partition_point(|p| p.lines_before < line)
            .saturating_sub(1)
    }

    /// The JSONL files' bytes joined, in order, as one `Blob` (the one file's when
    /// there is one).
    pub fn joined(&self) -> Result<Blob, String> {
        let blobs: Vec<&Blob> = self.list.iter().filter_map(|p| p.blob.as_ref()).collect();
        if let [one] = blobs[..] {
            return Ok(one.clone());
        }
        let sequence = js_sys::Array::new();
        for blob in blobs {
            sequence.push(blob);
        }
        Blob::new_with_blob_sequence(&sequence).map_err(|e| format!("{e:?}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    fn parts(files: &[(usize, u64)]) -> Parts {
        let mut parts = Parts::default();
        let mut records = 0;
        for (k, &(n, lines)) in files.iter().enumerate() {
            let part = parts.begin(&format!("f{k}"), Kind::Jsonl, records);
            records += n;
            part.records.end = records;
            part.lines = lines;
            part.size = lines * 10;
        }
        parts
    }

    #[wasm_bindgen_test]
    fn records_and_lines_find_their_file_past_empty_ones() {
        // f1 is empty; f2's lines follow f0's.
        let parts = parts(&[(3, 4), (0, 0), (2, 2)]);
        let files: Vec<usize> = (0..5).map(|i| parts.of_record(i)).collect();
        assert_eq!(files, [0, 0, 0, 2, 2]);
        let files: Vec<usize> = (1..=6).map(|l| parts.of_line(l)).collect();
        assert_eq!(files, [0, 0, 0, 0, 2, 2]);
        assert_eq!(parts.list[2].start, 40);
        assert_eq!(parts.list[2].lines_before, 4);
    }
}
