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
use super::parts::{Kind, Parts};

mod parquet;
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

/// A skipped line: where (its file, and its line there), why, and its bytes.
pub struct Skipped {
    pub view: IssueView,
    /// Its source-wide line (or row) number, counted as the records' are.
    pub line: u64,
    pub bytes: Vec<u8>,
    /// A row of a row group that could not be decoded: it cannot be written back.
    pub unreadable: bool,
}

/// The streamed source: what the scan found, record by record, over its files.
pub struct Source {
    /// What the page calls the source: its one file's name, or a name for its files.
    pub name: String,
    /// Where JSONL lines are read back from: the files' bytes joined (see [`Parts`]).
    pub store: Store,
    /// Size of the (decompressed) files.
    pub size: u64,
    pub options: ReadOptions,
    /// Text fields of the first records, with how many have them.
    pub fields: Vec<(String, usize)>,
    pub short_keys: Vec<String>,
    pub preview: Vec<String>,
    /// Why the files cannot be used as they are.
    pub error: Option<ReadError>,
    pub blank_lines: usize,
    pub skipped: Vec<Skipped>,
    /// Per record: where its line starts among the JSONL files' bytes joined, its length
    /// (without `\n`), its estimated tokens; in files, like every per-record column
    /// ([`Column`]).
    offsets: Column<u64>,
    lens: Column<u32>,
    pub(super) tokens: Column<u32>,
    /// Source-wide line numbers (each file's lines after those of the files before it)
    /// that are not records, ascending: a record's line number follows from its index
    /// and these, without storing one per record.
    pub(super) gaps: Vec<u32>,
    pub grouping: Grouping,
    chunker: LineChunker,
    /// The first records were seen (the field and short columns are picked from them).
    started: bool,
    /// The field was asked for ("" until the first chunk picks one).
    asked_field: String,
    /// The files, in input order.
    pub parts: Parts,
}

impl Source {
    /// Starts reading the source `name`, one file at a time ([`Source::begin_file`]);
    /// `field` "" picks one from the first records.
    pub fn new(name: &str, field: &str, options: ReadOptions) -> Source {
        Source {
            name: name.to_string(),
            store: Store::Memory(Vec::new()),
            size: 0,
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
            started: false,
            asked_field: field.to_string(),
            parts: Parts::default(),
        }
    }

    /// Number of usable records.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// A Parquet source (its files are all Parquet: the page does not mix formats).
    pub fn is_parquet(&self) -> bool {
        self.parts
            .list
            .first()
            .is_some_and(|p| p.kind == Kind::Parquet)
    }

    /// Starts reading the next file, `name`, of `kind`. A source's files are of one
    /// format: a download is one file of the source's records.
    pub fn begin_file(&mut self, name: &str, kind: Kind) {
        if let Some(first) = self.parts.list.first() {
            if (first.kind == Kind::Parquet) != (kind == Kind::Parquet) && self.error.is_none() {
                let (parquet, jsonl) = match kind {
                    Kind::Parquet => (name, first.name.as_str()),
                    _ => (first.name.as_str(), name),
                };
                self.error = Some(ReadError::Parquet(format!(
                    "{parquet} is Parquet and {jsonl} is JSONL: a source's files must be of one \
                     format, so that its records can be downloaded as one file"
                )));
            }
        }
        self.chunker = LineChunker::new();
        self.parts.begin(name, kind, self.len());
    }

    /// Ends the read of the current file, whose (decompressed) bytes are `blob`.
    pub fn end_file(&mut self, blob: Blob) {
        if let Some(chunk) = self.chunker.finish() {
            self.read_chunk(chunk);
        }
        let records = self.len();
        if let Some(part) = self.parts.current() {
            if part.kind != Kind::Parquet {
                part.size = blob.size() as u64;
            }
            part.records.end = records;
            part.blob = Some(blob);
        }
    }

    /// Ends the read of the last file; the source is then fully read.
    pub fn finish_scan(&mut self) {
        self.size = self.parts.list.iter().map(|p| p.size).sum();
        if !self.is_parquet() {
            match self.parts.joined() {
                Ok(blob) => self.store = Store::File(blob),
                Err(error) => {
                    self.error = Some(ReadError::Parquet(format!(
                        "{}: cannot join its files: {error}",
                        self.name
                    )))
                }
            }
        }
        if self.error.is_none() && self.len() == 0 {
            self.error = Some(ReadError::Empty {
                file: self.name.clone(),
            });
        }
    }

    /// A JSONL source of one file held in memory (a decompressed `.jsonl.gz`, in
    /// browsers that cannot write a scratch file), scanned piece by piece.
    pub fn scan_memory(&mut self, name: &str, bytes: Vec<u8>) {
        self.begin_file(name, Kind::Gzip);
        for piece in bytes.chunks(PIECE) {
            if !self.scan(piece) {
                break;
            }
        }
        if let Some(chunk) = self.chunker.finish() {
            self.read_chunk(chunk);
        }
        let records = self.len();
        if let Some(part) = self.parts.current() {
            part.size = bytes.len() as u64;
            part.records.end = records;
        }
        self.size = bytes.len() as u64;
        self.store = Store::Memory(bytes);
        if self.error.is_none() && self.len() == 0 {
            self.error = Some(ReadError::Empty {
                file: self.name.clone(),
            });
        }
    }

    /// Reads the next piece of the current file. False once a bad line stopped the read.
    pub fn scan(&mut self, piece: &[u8]) -> bool {
        match self.chunker.push(piece) {
            Some(chunk) => self.read_chunk(chunk),
            None => self.error.is_none(),
        }
    }

    fn read_chunk(&mut self, chunk: Chunk) -> bool {
        if self.error.is_some() {
            return false;
        }
        if !self.started {
            self.started = true;
            self.start(&chunk);
        }
        let Some(part) = self.parts.list.last_mut() else {
            return false;
        };
        let first_line = chunk.first_line;
        let lines = chunk.bytes.iter().filter(|&&b| b == b'\n').count()
            + usize::from(!chunk.bytes.ends_with(b"\n"));
        part.lines = part.lines.max((first_line + lines - 1) as u64);
        let (before, start) = (part.lines_before as usize, part.start);
        let grouping = &mut self.grouping;
        let corpus = match Corpus::from_chunk_visiting(&part.name, chunk, &self.options, &mut |v| {
            grouping.push(v)
        }) {
            Ok(corpus) => corpus,
            Err(error) => {
                self.error = Some(error);
                return false;
            }
        };
        let global = |line: usize| (before + line) as u32;
        let at = start + corpus.offset();
        let mut next_line = first_line;
        for (i, record) in corpus.records().iter().enumerate() {
            let line = record.line as usize;
            self.gaps.extend((next_line..line).map(global));
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
            .extend((next_line..first_line + lines).map(global));
        self.blank_lines += corpus.blank_lines();
        for issue in corpus.issues() {
            self.skipped.push(Skipped {
                view: IssueView {
                    file: corpus.name().to_string(),
                    line: issue.line,
                    problem: issue.problem.to_string(),
                },
                line: global(issue.line) as u64,
                bytes: corpus.issue_line(issue).to_vec(),
                unreadable: false,
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

    /// The field the page asked for ("" to pick one from the first records).
    pub fn asked_field(&self) -> &str {
        &self.asked_field
    }

    /// The field in use.
    pub fn field(&self) -> &str {
        self.options.field.as_str()
    }

    /// Source-wide line number of record `index` (its file's line, or 1-based row,
    /// after the lines of the files before it).
    pub fn line(&self, index: usize) -> u64 {
        line_of(&self.gaps, index)
    }

    /// Where record `index` is: its file (named when the source has more than one) and
    /// its 1-based line, or row, there.
    pub fn place(&self, index: usize) -> (Option<&str>, u64) {
        let part = &self.parts.list[self.parts.of_record(index)];
        let line = self.line(index) - part.lines_before;
        (self.parts.many().then_some(part.name.as_str()), line)
    }

    /// Record `index`'s place as messages name it: `file:line`.
    fn named_place(&self, index: usize) -> String {
        let part = &self.parts.list[self.parts.of_record(index)];
        format!("{}:{}", part.name, self.line(index) - part.lines_before)
    }

    /// Estimated tokens of every record.
    pub fn tokens(&self) -> &Column<u32> {
        &self.tokens
    }

    /// Byte range of record `index`'s line (without its `\n`) in the store.
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
        if self.is_parquet() {
            let text = self.text(index)?;
            return Ok(serde_json::json!({ self.field(): text }));
        }
        let bytes = self.line_bytes(index)?;
        parse_record(&bytes).map_err(|e| e.to_string())
    }

    /// The parsed JSON of records `indices` (`Null` for one that cannot be read): for a
    /// Parquet source, each row group they touch is read once.
    pub fn values_of(&self, indices: &[u32]) -> Vec<Value> {
        if self.is_parquet() {
            return match self.parquet_texts(&self.rows_of(indices)) {
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
        if self.is_parquet() {
            let row = self.line(index) - 1;
            return Ok(self.parquet_texts(&[row])?.remove(0));
        }
        let bytes = self.line_bytes(index)?;
        record_text(&bytes, &self.options.field)
            .map_err(|problem| format!("{}: {problem}", self.named_place(index)))
    }

    /// The texts of records `range`, in order (for DSIR, which reads texts, not lines).
    pub fn texts_in(&self, range: std::ops::Range<usize>) -> Result<Vec<String>, String> {
        if self.is_parquet() {
            return range
                .map(|i| self.parquet_text_in_order(self.line(i) - 1))
                .collect();
        }
        let mut texts = Vec::with_capacity(range.len());
        for corpus in self.corpora(range)? {
            for i in 0..corpus.len() {
                texts.push(score::record_text(&corpus, i).map_err(|e| e.to_string())?);
            }
        }
        Ok(texts)
    }

    /// Records `range` read again as corpora, one per file they are in: one read of
    /// their bytes each.
    pub fn corpora(&self, range: std::ops::Range<usize>) -> Result<Vec<Corpus>, String> {
        let mut corpora = Vec::new();
        let mut first = range.start;
        while first < range.end {
            let part = &self.parts.list[self.parts.of_record(first)];
            let end = range.end.min(part.records.end);
            let (start, _) = self.range(first);
            let (_, stop) = self.range(end - 1);
            let bytes = self.store.read(start, stop)?.into_owned();
            let chunk = Chunk {
                bytes,
                offset: start - part.start,
                first_line: (self.line(first) - part.lines_before) as usize,
            };
            let corpus =
                Corpus::from_chunk(&part.name, chunk, &self.options).map_err(|e| e.to_string())?;
            if corpus.len() != end - first {
                return Err(format!("{}: the file changed since it was read", part.name));
            }
            corpora.push(corpus);
            first = end;
        }
        Ok(corpora)
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
        if self.is_parquet() {
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
        let first = range.start;
        let (field, gaps) = (&self.options.field, &self.gaps);
        // Each file's first record, lines before it and name.
        let files: Vec<(usize, u64, &str)> = (self.parts.list.iter())
            .map(|p| (p.records.start, p.lines_before, p.name.as_str()))
            .collect();
        let text = |i: usize| {
            let at = (offsets[i - first] - start) as usize;
            let line = &block[at..at + lens[i - first] as usize];
            record_text(line, field).map_err(|problem| {
                let f = files.partition_point(|&(start, ..)| start <= i) - 1;
                let (_, lines_before, name) = files[f];
                ScoreError::Record {
                    file: name.to_string(),
                    line: (line_of(gaps, i) - lines_before) as usize,
                    problem,
                }
            })
        };
        match folds {
            None => score::score_each(range, targets, text),
            Some((folds, sums)) => score::score_each_folds(range, targets, folds, text, sums),
        }
        .map_err(|e| e.to_string())
    }

    /// Labels of `field` for every record: kept from the scan for the first short
    /// field, else read from the whole source again.
    pub fn group_by(&mut self, field: &str) -> Result<&Grouping, String> {
        if self.is_parquet() && !field.is_empty() {
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
                for corpus in self.corpora(index..end)? {
                    for i in 0..corpus.len() {
                        let value = corpus.value(i).map_err(|e| e.to_string())?;
                        grouping.push(&value);
                    }
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
        if self.is_parquet() {
            return self.parquet_texts(&self.rows_of(indices));
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
        let field = &self.options.field;
        let parsed: Vec<Result<String, zipfit_core::jsonl::Problem>> = lines
            .par_iter()
            .map(|&(_, line)| record_text(line, field))
            .collect();
        parsed
            .into_iter()
            .zip(indices)
            .map(|(text, &i)| {
                text.map_err(|problem| format!("{}: {problem}", self.named_place(i as usize)))
            })
            .collect()
    }
}
