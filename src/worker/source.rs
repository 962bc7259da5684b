//! The source file in the scoring worker, read as a stream.
//!
//! A source can be far larger than the tab's memory, so it is never held whole. The
//! worker reads it in pieces and [`Source::scan`] reads every line with the core's
//! rules (`zipfit_core::jsonl::LineChunker` and `Corpus::from_chunk`), keeping per
//! record only what is needed afterwards: where its line is (offset and length), its
//! token estimate, and its label in the breakdown. Scoring, the table, the detail view
//! and the downloads read the lines again from the `File` ([`Store::File`], by range,
//! with `FileReaderSync`). A `.jsonl.gz` file cannot be read by range, so the worker
//! decompresses it as it streams into a scratch file, which becomes the [`Store::File`];
//! only in browsers without that file system is it decompressed into memory
//! ([`Store::Memory`]), up to [`GZIP_LIMIT`].

use std::borrow::Cow;
use std::collections::HashMap;

use js_sys::Uint8Array;
use serde_json::Value;
use web_sys::{Blob, FileReaderSync};
use zipfit_core::jsonl::{
    field_candidates, line_of, parse_record, record_text, Chunk, Corpus, FieldPath, LineChunker,
    OnError, ReadError, ReadOptions,
};
use zipfit_core::score::{self, ScoreError, Targets};
use zipfit_core::stability::Folds;
use zipfit_core::tokens::TokenEstimate;

use super::column::Column;
use super::parquet::ParquetSource;
use crate::protocol::IssueView;

/// Largest decompressed `.jsonl.gz` source held in memory.
pub const GZIP_LIMIT: usize = 1536 << 20;
/// Pieces a source in memory is scanned in, and the largest read of a download part.
const PIECE: usize = 16 << 20;
/// Skipped lines listed in the summary (all of them are kept for the download).
pub const SHOWN_ISSUES: usize = 200;
/// Characters of a record's text shown in a preview or a table row.
pub const PREVIEW_CHARS: usize = 160;
const SHORT_VALUE_CHARS: usize = 40;
/// Distinct values the breakdown tells apart; the rest count as "(other values)".
const MAX_GROUPS: usize = 1000;

/// Where a source's bytes are read back from.
pub enum Store {
    /// The user's file, read by byte range whenever lines are needed.
    File(Blob),
    /// A decompressed `.jsonl.gz` file, in browsers that cannot write a scratch file.
    Memory(Vec<u8>),
}

impl Store {
    /// Bytes `start..end` of the (decompressed) file, into `buffer` (replacing what it
    /// held), so that many reads can share one buffer instead of each taking new memory
    /// in the module (Wasm memory never shrinks).
    pub fn read_into(&self, start: u64, end: u64, buffer: &mut Vec<u8>) -> Result<(), String> {
        buffer.clear();
        match self {
            Store::Memory(_) => buffer.extend_from_slice(&self.read(start, end)?),
            Store::File(blob) => {
                let bytes = read_blob(blob, start, end)?;
                let view = Uint8Array::new(&bytes);
                buffer.resize(view.length() as usize, 0);
                view.copy_to(buffer);
                super::memory::release(&bytes);
                if buffer.len() as u64 != end - start {
                    return Err("the file changed since it was read".to_string());
                }
            }
        }
        Ok(())
    }

    /// Bytes `start..end` of the (decompressed) file.
    pub fn read(&self, start: u64, end: u64) -> Result<Cow<'_, [u8]>, String> {
        match self {
            Store::Memory(bytes) => bytes
                .get(start as usize..end as usize)
                .map(Cow::Borrowed)
                .ok_or_else(|| "read past the end of the file".to_string()),
            Store::File(_) => {
                let mut bytes = Vec::new();
                self.read_into(start, end, &mut bytes)?;
                Ok(Cow::Owned(bytes))
            }
        }
    }
}

/// Bytes `start..end` of `blob`, as a new `ArrayBuffer`.
fn read_blob(blob: &Blob, start: u64, end: u64) -> Result<js_sys::ArrayBuffer, String> {
    let failed = |e: wasm_bindgen::JsValue| format!("cannot read the file: {e:?}");
    let part = blob
        .slice_with_f64_and_f64(start as f64, end as f64)
        .map_err(failed)?;
    FileReaderSync::new()
        .and_then(|reader| reader.read_as_array_buffer(&part))
        .map_err(failed)
}

/// The first `n` characters of `text` on one line.
pub fn one_line(text: &str, n: usize) -> String {
    let mut out: String = text
        .chars()
        .take(n)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(n).is_some() {
        out.push('…');
    }
    out
}

/// A value short enough to be a label or a table cell.
pub fn short_value(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if s.chars().count() <= SHORT_VALUE_CHARS => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Keys whose values are short scalars in the first lines: columns worth showing.
pub fn short_keys(bytes: &[u8], text_field: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for line in bytes.split(|&b| b == b'\n').take(50) {
        let Ok(Value::Object(map)) = parse_record(line) else {
            continue;
        };
        for (key, value) in map {
            if key != text_field && short_value(&value).is_some() && !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys.truncate(4);
    keys
}

/// How a file is read: its text `field`, and whether bad lines are skipped (and kept
/// for the `skipped` download) or stop the read.
pub fn read_options(field: &str, skip_bad: bool) -> ReadOptions {
    ReadOptions {
        field: FieldPath::new(field),
        on_error: if skip_bad {
            OnError::Skip
        } else {
            OnError::Stop
        },
        tokens: TokenEstimate::Bytes,
    }
}

/// `text` if the file has it, else its most common text field.
pub fn default_field(fields: &[(String, usize)]) -> String {
    if fields.iter().any(|(k, _)| k == "text") {
        return "text".to_string();
    }
    fields
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or_else(|| "text".to_string(), |(k, _)| k.clone())
}

/// A Parquet file's default text column: `text` if it has one, else its first.
pub fn default_column(columns: &[(String, usize)]) -> String {
    if columns.iter().any(|(c, _)| c == "text") {
        return "text".to_string();
    }
    columns
        .first()
        .map_or_else(|| "text".to_string(), |(c, _)| c.clone())
}

/// Every record's label for one field, as small codes.
#[derive(Default)]
pub struct Grouping {
    /// The field grouped by.
    pub field: String,
    /// Distinct values in order of first appearance, plus "(none)" and "(other values)".
    pub labels: Vec<String>,
    /// Per record, the index of its label.
    pub codes: Column<u16>,
    known: HashMap<String, u16>,
    none: Option<u16>,
    other: Option<u16>,
}

impl Grouping {
    /// An empty grouping by `field`.
    pub fn new(field: &str) -> Grouping {
        Grouping {
            field: field.to_string(),
            codes: Column::new(),
            ..Grouping::default()
        }
    }

    fn label(&mut self, label: &str) -> u16 {
        self.labels.push(label.to_string());
        (self.labels.len() - 1) as u16
    }

    /// Adds the next record's label.
    pub fn push(&mut self, record: &Value) {
        let code = match record.get(&self.field).and_then(short_value) {
            Some(value) => match self.known.get(&value) {
                Some(&code) => code,
                None if self.known.len() < MAX_GROUPS => {
                    let code = self.label(&value);
                    self.known.insert(value, code);
                    code
                }
                None => match self.other {
                    Some(code) => code,
                    None => {
                        let code = self.label("(other values)");
                        self.other = Some(code);
                        code
                    }
                },
            },
            None => match self.none {
                Some(code) => code,
                None => {
                    let code = self.label("(none)");
                    self.none = Some(code);
                    code
                }
            },
        };
        self.codes.push(code);
    }
}

/// A skipped line: where, why, and its bytes.
pub struct Skipped {
    pub view: IssueView,
    pub bytes: Vec<u8>,
}

/// The streamed source: what the scan found, record by record.
pub struct Source {
    pub name: String,
    pub store: Store,
    /// Size of the (decompressed) file.
    pub size: u64,
    pub options: ReadOptions,
    /// Text fields of the first records, with how many have them.
    pub fields: Vec<(String, usize)>,
    pub short_keys: Vec<String>,
    pub preview: Vec<String>,
    /// Why the file cannot be used as it is.
    pub error: Option<ReadError>,
    pub blank_lines: usize,
    pub skipped: Vec<Skipped>,
    /// Per record: where its line starts, its length (without `\n`), its estimated
    /// tokens; in files, like every per-record column ([`Column`]).
    offsets: Column<u64>,
    lens: Column<u32>,
    pub(super) tokens: Column<u32>,
    /// Line numbers that are not records (blank or skipped), ascending: a record's line
    /// number follows from its index and these, without storing one per record.
    pub(super) gaps: Vec<u32>,
    pub grouping: Grouping,
    chunker: LineChunker,
    /// The field was asked for ("" until the first chunk picks one).
    asked_field: String,
    /// A Parquet source: its footer and text column. Its records are rows, and a
    /// record's "line" is its 1-based row number.
    pub parquet: Option<ParquetSource>,
}

impl Source {
    /// Starts reading `name` from `store`; `field` "" picks one from the first records.
    pub fn new(name: &str, store: Store, size: u64, field: &str, options: ReadOptions) -> Source {
        Source {
            name: name.to_string(),
            store,
            size,
            options,
            fields: Vec::new(),
            short_keys: Vec::new(),
            preview: Vec::new(),
            error: None,
            blank_lines: 0,
            skipped: Vec::new(),
            offsets: Column::new(),
            lens: Column::new(),
            tokens: Column::new(),
            gaps: Vec::new(),
            grouping: Grouping::default(),
            chunker: LineChunker::new(),
            asked_field: field.to_string(),
            parquet: None,
        }
    }

    /// Number of usable records.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// A Parquet source's file and reader.
    pub fn parquet_file(&self) -> Option<(&ParquetSource, &Blob)> {
        Some((self.parquet.as_ref()?, self.blob().ok()?))
    }

    /// The user's file, when the source is read from it by range.
    pub(super) fn blob(&self) -> Result<&Blob, String> {
        match &self.store {
            Store::File(blob) => Ok(blob),
            Store::Memory(_) => Err("the source is held in memory".to_string()),
        }
    }

    /// 0-based rows of records `indices`, in that order.
    pub fn rows_of(&self, indices: &[u32]) -> Vec<u64> {
        indices.iter().map(|&i| self.line(i as usize) - 1).collect()
    }

    /// Reads the next piece of the file. False once a bad line stopped the read.
    pub fn scan(&mut self, piece: &[u8]) -> bool {
        match self.chunker.push(piece) {
            Some(chunk) => self.read_chunk(chunk),
            None => self.error.is_none(),
        }
    }

    /// Reads what is left after the last piece; the file is then fully read.
    pub fn finish_scan(&mut self) {
        if let Some(chunk) = self.chunker.finish() {
            self.read_chunk(chunk);
        }
        if self.error.is_none() && self.len() == 0 {
            self.error = Some(ReadError::Empty {
                file: self.name.clone(),
            });
        }
    }

    /// Scans a source held in memory, piece by piece.
    pub fn scan_memory(&mut self) {
        let Store::Memory(bytes) = std::mem::replace(&mut self.store, Store::Memory(Vec::new()))
        else {
            return;
        };
        for piece in bytes.chunks(PIECE) {
            if !self.scan(piece) {
                break;
            }
        }
        self.store = Store::Memory(bytes);
        self.finish_scan();
    }

    fn read_chunk(&mut self, chunk: Chunk) -> bool {
        if self.error.is_some() {
            return false;
        }
        if chunk.offset == 0 {
            self.start(&chunk);
        }
        let first_line = chunk.first_line;
        let lines = chunk.bytes.iter().filter(|&&b| b == b'\n').count()
            + usize::from(!chunk.bytes.ends_with(b"\n"));
        let grouping = &mut self.grouping;
        let corpus = match Corpus::from_chunk_visiting(&self.name, chunk, &self.options, &mut |v| {
            grouping.push(v)
        }) {
            Ok(corpus) => corpus,
            Err(error) => {
                self.error = Some(error);
                return false;
            }
        };
        let at = corpus.offset();
        let mut next_line = first_line;
        for (i, record) in corpus.records().iter().enumerate() {
            let line = record.line as usize;
            self.gaps.extend((next_line..line).map(|gap| gap as u32));
            next_line = line + 1;
            self.offsets.push(at + record.start as u64);
            self.lens.push((record.end - record.start) as u32);
            self.tokens.push(record.tokens);
            if self.preview.len() < 3 {
                if let Ok(text) = corpus.text(i) {
                    self.preview.push(one_line(&text, PREVIEW_CHARS));
                }
            }
        }
        self.gaps
            .extend((next_line..first_line + lines).map(|gap| gap as u32));
        self.blank_lines += corpus.blank_lines();
        for issue in corpus.issues() {
            self.skipped.push(Skipped {
                view: IssueView {
                    line: issue.line,
                    problem: issue.problem.to_string(),
                },
                bytes: corpus.issue_line(issue).to_vec(),
            });
        }
        true
    }

    /// At the first chunk: picks the field and the short columns, and sizes the
    /// per-record arrays from the first records' average length.
    fn start(&mut self, chunk: &Chunk) {
        self.fields = field_candidates(&chunk.bytes, 50);
        let field = if self.asked_field.is_empty() {
            default_field(&self.fields)
        } else {
            self.asked_field.clone()
        };
        self.options.field = FieldPath::new(&field);
        self.short_keys = short_keys(&chunk.bytes, &field);
        let group = self
            .short_keys
            .iter()
            .find(|k| *k == "origin")
            .or(self.short_keys.first())
            .cloned()
            .unwrap_or_default();
        self.grouping = Grouping::new(&group);
    }

    /// The field in use.
    pub fn field(&self) -> &str {
        self.options.field.as_str()
    }

    /// 1-based line number of record `index`.
    pub fn line(&self, index: usize) -> u64 {
        line_of(&self.gaps, index)
    }

    /// Estimated tokens of every record.
    pub fn tokens(&self) -> &Column<u32> {
        &self.tokens
    }

    /// Byte range of record `index`'s line (without its `\n`).
    pub fn range(&self, index: usize) -> (u64, u64) {
        let start = self.offsets.get(index);
        (start, start + self.lens.get(index) as u64)
    }

    /// Lengths of the lines of `indices` (without their `\n`), in that order.
    pub fn lens_of(&self, indices: &[u32]) -> Vec<u32> {
        self.lens.gather(indices)
    }

    /// The original line of record `index`.
    pub fn line_bytes(&self, index: usize) -> Result<Cow<'_, [u8]>, String> {
        let (start, end) = self.range(index);
        self.store.read(start, end)
    }

    /// The parsed JSON of record `index`; for a Parquet source, an object holding only
    /// its text, under the field's name.
    pub fn value(&self, index: usize) -> Result<Value, String> {
        if self.parquet.is_some() {
            let text = self.text(index)?;
            return Ok(serde_json::json!({ self.field(): text }));
        }
        let bytes = self.line_bytes(index)?;
        parse_record(&bytes).map_err(|e| e.to_string())
    }

    /// The parsed JSON of records `indices` (`Null` for one that cannot be read): for a
    /// Parquet source, each row group they touch is read once.
    pub fn values_of(&self, indices: &[u32]) -> Vec<Value> {
        if let Some(parquet) = &self.parquet {
            let texts = self
                .blob()
                .and_then(|blob| parquet.texts_of_rows(blob, &self.rows_of(indices)));
            return match texts {
                Ok(texts) => texts
                    .into_iter()
                    .map(|text| serde_json::json!({ self.field(): text }))
                    .collect(),
                Err(_) => vec![Value::Null; indices.len()],
            };
        }
        indices
            .iter()
            .map(|&i| self.value(i as usize).unwrap_or(Value::Null))
            .collect()
    }

    /// The text of record `index`.
    pub fn text(&self, index: usize) -> Result<String, String> {
        if let Some(parquet) = &self.parquet {
            let row = self.line(index) - 1;
            return Ok(parquet.texts_of_rows(self.blob()?, &[row])?.remove(0));
        }
        let bytes = self.line_bytes(index)?;
        record_text(&bytes, &self.options.field).map_err(|e| e.to_string())
    }

    /// The texts of records `range`, in order (for DSIR, which reads texts, not lines).
    pub fn texts_in(&self, range: std::ops::Range<usize>) -> Result<Vec<String>, String> {
        if let Some(parquet) = &self.parquet {
            let blob = self.blob()?;
            return range
                .map(|i| parquet.text_in_order(blob, self.line(i) - 1))
                .collect();
        }
        let corpus = self.corpus(range)?;
        (0..corpus.len())
            .map(|i| score::record_text(&corpus, i).map_err(|e| e.to_string()))
            .collect()
    }

    /// Records `range` read again as a corpus: one read of their bytes.
    pub fn corpus(&self, range: std::ops::Range<usize>) -> Result<Corpus, String> {
        let (start, _) = self.range(range.start);
        let (_, end) = self.range(range.end - 1);
        let bytes = self.store.read(start, end)?.into_owned();
        let chunk = Chunk {
            bytes,
            offset: start,
            first_line: self.line(range.start) as usize,
        };
        let corpus =
            Corpus::from_chunk(&self.name, chunk, &self.options).map_err(|e| e.to_string())?;
        if corpus.len() != range.len() {
            return Err(format!("{}: the file changed since it was read", self.name));
        }
        Ok(corpus)
    }

    /// Scores records `range`: one read of their bytes, then each record parsed and
    /// scored in parallel (as the CLI does), on the current rayon pool.
    /// With `folds`, also writes each record's sums of terms per fold into its slice.
    pub fn score(
        &self,
        range: std::ops::Range<usize>,
        targets: &Targets,
        folds: Option<(&Folds, &mut [i64])>,
    ) -> Result<Vec<f64>, String> {
        if self.parquet.is_some() {
            let texts = self.texts_in(range.clone())?;
            let first = range.start;
            let text = |i: usize| Ok::<_, ScoreError>(texts[i - first].as_bytes());
            return match folds {
                None => score::score_each(range, targets, text),
                Some((folds, sums)) => score::score_each_folds(range, targets, folds, text, sums),
            }
            .map_err(|e| e.to_string());
        }
        // What the threads need, without the store and the columns (JS objects, which
        // stay on this thread).
        let offsets = self.offsets.read(range.clone());
        let lens = self.lens.read(range.clone());
        let start = offsets[0];
        let end = offsets[offsets.len() - 1] + lens[lens.len() - 1] as u64;
        let block = self.store.read(start, end)?;
        let block: &[u8] = &block;
        let (first, gaps) = (range.start, &self.gaps);
        let (field, name) = (&self.options.field, &self.name);
        let text = |i: usize| {
            let at = (offsets[i - first] - start) as usize;
            let line = &block[at..at + lens[i - first] as usize];
            record_text(line, field).map_err(|problem| ScoreError::Record {
                file: name.clone(),
                line: line_of(gaps, i) as usize,
                problem,
            })
        };
        match folds {
            None => score::score_each(range, targets, text),
            Some((folds, sums)) => score::score_each_folds(range, targets, folds, text, sums),
        }
        .map_err(|e| e.to_string())
    }

    /// Labels of `field` for every record: kept from the scan for the first short
    /// field, else read from the whole file again.
    pub fn group_by(&mut self, field: &str) -> Result<&Grouping, String> {
        if self.parquet.is_some() && !field.is_empty() {
            return Err("a Parquet source has no breakdown by field yet".to_string());
        }
        if self.grouping.field != field {
            let mut grouping = Grouping::new(field);
            let mut index = 0;
            while index < self.len() {
                // Whole records, about PIECE bytes at a time.
                let (start, _) = self.range(index);
                let mut end = index + 1;
                while end < self.len() && self.range(end).1 - start < PIECE as u64 {
                    end += 1;
                }
                let corpus = self.corpus(index..end)?;
                for i in 0..corpus.len() {
                    let value = corpus.value(i).map_err(|e| e.to_string())?;
                    grouping.push(&value);
                }
                index = end;
            }
            self.grouping = grouping;
        }
        Ok(&self.grouping)
    }

    /// The skipped lines shown in the summary.
    pub fn shown_issues(&self) -> Vec<IssueView> {
        self.skipped
            .iter()
            .take(SHOWN_ISSUES)
            .map(|s| s.view.clone())
            .collect()
    }

    /// The original lines of `indices`, in that order, each followed by `\n`, into `out`
    /// (replacing what it held; one buffer serves every window of a download).
    ///
    /// Reading the File costs far more per call than per byte, so the lines are read
    /// in file order, in blocks that take in lines less than `GAP` bytes apart (up to
    /// `PIECE` bytes a block), and put in their place in the output. A selection in
    /// rank order is scattered over the file; this reads it in a few sequential passes
    /// (one per call) instead of one read per line.
    pub fn lines_of(&self, indices: &[u32], out: &mut Vec<u8>) -> Result<(), String> {
        const GAP: u64 = 1 << 19;
        let offsets = self.offsets.gather(indices);
        let lens = self.lens.gather(indices);
        let range = |k: usize| (offsets[k], offsets[k] + lens[k] as u64);
        // Where each line goes in the output.
        let mut at = Vec::with_capacity(indices.len());
        let mut size = 0usize;
        for &len in &lens {
            at.push(size);
            size += len as usize + 1;
        }
        out.clear();
        // Exactly: growing by doubling would move a 64 MiB window to a 128 MiB one.
        out.reserve_exact(size);
        out.resize(size, b'\n');
        let mut block = Vec::new();
        let mut by_offset: Vec<usize> = (0..indices.len()).collect();
        by_offset.sort_unstable_by_key(|&k| offsets[k]);
        let mut first = 0;
        while first < by_offset.len() {
            let (start, mut stop) = range(by_offset[first]);
            let mut last = first + 1;
            while last < by_offset.len() {
                let (a, b) = range(by_offset[last]);
                if a > stop + GAP || b - start > PIECE as u64 {
                    break;
                }
                stop = stop.max(b);
                last += 1;
            }
            self.store.read_into(start, stop, &mut block)?;
            for &k in &by_offset[first..last] {
                let (a, b) = range(k);
                let line = &block[(a - start) as usize..(b - start) as usize];
                out[at[k]..at[k] + line.len()].copy_from_slice(line);
            }
            first = last;
        }
        Ok(())
    }

    /// The texts of records `indices`, in that order: their lines read with
    /// [`Source::lines_of`] into `buffer`, then parsed in parallel on the current pool.
    pub fn texts_of(&self, indices: &[u32], buffer: &mut Vec<u8>) -> Result<Vec<String>, String> {
        use rayon::prelude::*;
        if let Some(parquet) = &self.parquet {
            return parquet.texts_of_rows(self.blob()?, &self.rows_of(indices));
        }
        self.lines_of(indices, buffer)?;
        let lens = self.lens.gather(indices);
        let mut lines = Vec::with_capacity(indices.len());
        let mut at = 0;
        for (&i, &len) in indices.iter().zip(&lens) {
            let len = len as usize;
            lines.push((i, &buffer[at..at + len]));
            at += len + 1;
        }
        // What the threads need, without the store (a JS object, which stays on this one).
        let (field, name, gaps) = (&self.options.field, &self.name, &self.gaps);
        lines
            .par_iter()
            .map(|&(i, line)| {
                record_text(line, field)
                    .map_err(|problem| format!("{name}:{}: {problem}", line_of(gaps, i as usize)))
            })
            .collect()
    }
}
