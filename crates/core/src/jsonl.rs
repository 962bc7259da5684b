//! JSONL input: one record per line, each kept as its original bytes.
//!
//! A [`Corpus`] holds the whole file in one buffer plus the byte range of every
//! record, so memory stays close to the file size. Texts are extracted from a
//! record's JSON on demand. Every line is accounted for: it is a record, a blank
//! line, or an [`Issue`] (skipped, with its original bytes kept for writing out).
//!
//! Files too large to hold are read as a stream: [`LineChunker`] cuts the bytes, as
//! they arrive in pieces of any size, into [`Chunk`]s of whole lines, and
//! [`Corpus::from_chunk`] reads one chunk with the same rules as a whole file, giving
//! line numbers and byte offsets in the whole file.

use std::borrow::Cow;

use serde_json::Value;

pub use crate::field::{FieldPath, Problem};
pub use crate::gzip::is_gzip;
use crate::gzip::{gunzip, GunzipError};
use crate::tokens::TokenEstimate;

/// What to do when a line cannot be used.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OnError {
    /// Fail on the first bad line.
    #[default]
    Stop,
    /// Skip bad lines, keeping them (and why) in [`Corpus::issues`].
    Skip,
}

/// A line that was skipped, with its original bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// 1-based line number in the file.
    pub line: usize,
    /// Byte range of the line in the file buffer (without its line ending).
    pub start: usize,
    /// End of the byte range.
    pub end: usize,
    /// What is wrong.
    pub problem: Problem,
}

/// Errors from reading a whole file.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    /// A bad line, when bad lines stop the read.
    #[error("{file}:{line}: {problem}")]
    Line {
        /// File name as given.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        problem: Problem,
    },
    /// A bad row of a Parquet file, when bad rows stop the read.
    #[error("{file}: row {row} (row group {row_group}): {problem}")]
    Row {
        /// File name as given.
        file: String,
        /// 1-based row number.
        row: usize,
        /// 0-based row group.
        row_group: usize,
        /// What is wrong.
        problem: Problem,
    },
    /// A Parquet file that cannot be read (not Parquet, truncated, corrupt, no such column).
    #[error("{0}")]
    Parquet(String),
    /// The file holds no records at all.
    #[error("{file}: no records (the file is empty or has only blank or bad lines)")]
    Empty {
        /// File name as given.
        file: String,
    },
    /// The file decompresses to more than the caller can hold.
    #[error("{file}: more than {limit_mib} MiB once decompressed, more than this can hold; decompress it first (an uncompressed file is read as a stream, at any size)")]
    TooLarge {
        /// File name as given.
        file: String,
        /// The limit, in MiB.
        limit_mib: usize,
    },
    /// The file looked gzip-compressed but could not be decompressed.
    #[error("{file}: not a valid gzip file: {reason}")]
    Gzip {
        /// File name as given.
        file: String,
        /// What went wrong.
        reason: String,
    },
}

/// One usable record: its line and its byte range in the file buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Record {
    /// Start of the original line bytes (after any BOM).
    pub start: usize,
    /// End of the original line bytes, before `\n` (a `\r` before it is kept).
    pub end: usize,
    /// 1-based line number.
    pub line: u32,
    /// Estimated tokens of the record's text.
    pub tokens: u32,
}

/// A JSONL file held compactly: the bytes, the records' ranges, and the skipped lines.
#[derive(Debug, Clone)]
pub struct Corpus {
    name: String,
    data: Vec<u8>,
    field: FieldPath,
    records: Vec<Record>,
    issues: Vec<Issue>,
    blank_lines: usize,
    /// Where `data` starts in the whole file, for a corpus read from a [`Chunk`].
    offset: u64,
    /// Line number of `data`'s first line.
    first_line: usize,
    /// For a Parquet file: the file itself, and where its row groups start. `data` then
    /// holds the texts of its rows, one after the other, and a record's `line` is its
    /// 1-based row number.
    #[cfg(feature = "parquet")]
    parquet: Option<parquet_rows::ParquetBody>,
}

#[cfg(feature = "parquet")]
mod parquet_rows;

/// Options for reading a corpus.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Where the text is in each record.
    pub field: FieldPath,
    /// Stop at the first bad line, or skip bad lines.
    pub on_error: OnError,
    /// How tokens are estimated for token budgets.
    pub tokens: TokenEstimate,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            field: FieldPath::new("text"),
            on_error: OnError::Stop,
            tokens: TokenEstimate::default(),
        }
    }
}

const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The line ranges of `data`: `(start, end)` without the `\n`, skipping a leading BOM
/// when `data` is the start of a file.
fn line_ranges(data: &[u8], file_start: bool) -> impl Iterator<Item = (usize, usize)> + '_ {
    let first = if file_start && data.starts_with(BOM) {
        BOM.len()
    } else {
        0
    };
    let mut start = first;
    std::iter::from_fn(move || {
        if start >= data.len() {
            return None;
        }
        let end = data[start..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(data.len(), |p| start + p);
        let range = (start, end);
        start = end + 1;
        Some(range)
    })
}

fn trim_cr(line: &[u8]) -> &[u8] {
    line.strip_suffix(b"\r").unwrap_or(line)
}

/// Parses one record's original line (a trailing `\r` is ignored).
pub fn parse_record(line: &[u8]) -> Result<Value, Problem> {
    parse_line(line)
}

/// The text of one record's original line under `field`: the rules every reader uses,
/// so a raw line gives the same text (or the same [`Problem`]) wherever it is read.
pub fn record_text(line: &[u8], field: &FieldPath) -> Result<String, Problem> {
    let value = parse_line(line)?;
    field.extract(&value).map(Cow::into_owned)
}

/// A gzip file's decompressed bytes (every member), refusing to grow past `limit` bytes.
pub fn gunzip_file(name: &str, bytes: &[u8], limit: usize) -> Result<Vec<u8>, ReadError> {
    gunzip(bytes, limit).map_err(|error| ReadError::gunzip(name, error, limit))
}

impl ReadError {
    /// Why the gzip file `name` could not be read, decompressed up to `limit` bytes.
    pub fn gunzip(name: &str, error: GunzipError, limit: usize) -> ReadError {
        match error {
            GunzipError::TooLarge => ReadError::TooLarge {
                file: name.to_string(),
                limit_mib: limit >> 20,
            },
            GunzipError::Invalid(reason) => ReadError::Gzip {
                file: name.to_string(),
                reason: reason.to_string(),
            },
        }
    }
}

fn parse_line(line: &[u8]) -> Result<Value, Problem> {
    let text =
        std::str::from_utf8(trim_cr(line)).map_err(|e| Problem::InvalidUtf8(e.valid_up_to()))?;
    serde_json::from_str(text).map_err(|e| Problem::Json(e.to_string()))
}

impl Corpus {
    /// Reads a JSONL (or gzip-compressed JSONL) file from its bytes.
    ///
    /// `name` is used in messages. With [`OnError::Stop`] the first bad line is an
    /// error; with [`OnError::Skip`] bad lines are kept in [`Corpus::issues`].
    pub fn from_bytes(
        name: &str,
        bytes: Vec<u8>,
        options: &ReadOptions,
    ) -> Result<Corpus, ReadError> {
        let mut corpus = Corpus::open(name, bytes)?;
        corpus.reindex(options)?;
        Ok(corpus)
    }

    /// Takes a file's bytes (decompressing gzip) without reading any record yet;
    /// [`Corpus::reindex`] reads them. Lets a caller keep the bytes when a first read fails.
    ///
    /// A Parquet file (recognised by its content, `PAR1`, whatever its name) is read as
    /// rows, with the `parquet` feature: its texts come from the column the field names.
    pub fn open(name: &str, bytes: Vec<u8>) -> Result<Corpus, ReadError> {
        // A Parquet file is kept as it is; its texts fill `data` once a field is read.
        #[cfg(feature = "parquet")]
        let (parquet, bytes) = if crate::parquet::is_parquet(&bytes) {
            let body = parquet_rows::ParquetBody {
                file: bytes::Bytes::from(bytes),
                row_group_starts: Vec::new(),
            };
            (Some(body), Vec::new())
        } else {
            (None, bytes)
        };
        let data = if is_gzip(&bytes) {
            gunzip_file(name, &bytes, usize::MAX)?
        } else {
            bytes
        };
        Ok(Corpus {
            name: name.to_string(),
            data,
            field: FieldPath::new(""),
            records: Vec::new(),
            issues: Vec::new(),
            blank_lines: 0,
            offset: 0,
            first_line: 1,
            #[cfg(feature = "parquet")]
            parquet,
        })
    }

    /// Reads one chunk of a larger file with `options`, by the same rules as a whole
    /// file. Line numbers (in records, issues and errors) are the whole file's; a
    /// record's byte range is within the chunk ([`Corpus::offset`] places it in the
    /// file). Unlike a whole file, a chunk may hold no records.
    pub fn from_chunk(
        name: &str,
        chunk: Chunk,
        options: &ReadOptions,
    ) -> Result<Corpus, ReadError> {
        Corpus::from_chunk_visiting(name, chunk, options, &mut |_| {})
    }

    /// [`Corpus::from_chunk`], also handing each usable record's parsed JSON to
    /// `visit`, in order, so a caller can take more from it without parsing it again.
    pub fn from_chunk_visiting(
        name: &str,
        chunk: Chunk,
        options: &ReadOptions,
        visit: &mut dyn FnMut(&Value),
    ) -> Result<Corpus, ReadError> {
        let mut corpus = Corpus {
            name: name.to_string(),
            data: chunk.bytes,
            field: FieldPath::new(""),
            records: Vec::new(),
            issues: Vec::new(),
            blank_lines: 0,
            offset: chunk.offset,
            first_line: chunk.first_line,
            #[cfg(feature = "parquet")]
            parquet: None,
        };
        corpus.read_lines(options, visit)?;
        Ok(corpus)
    }

    /// Where this corpus's bytes start in the whole file (0 unless read from a chunk).
    pub fn offset(&self) -> u64 {
        self.offset
    }

    /// (Re)reads every line with `options`. On error the corpus is left with no records.
    pub fn reindex(&mut self, options: &ReadOptions) -> Result<(), ReadError> {
        self.read_lines(options, &mut |_| {})?;
        if self.records.is_empty() {
            return Err(ReadError::Empty {
                file: self.name.clone(),
            });
        }
        Ok(())
    }

    fn read_lines(
        &mut self,
        options: &ReadOptions,
        visit: &mut dyn FnMut(&Value),
    ) -> Result<(), ReadError> {
        self.records.clear();
        self.issues.clear();
        self.blank_lines = 0;
        self.field = options.field.clone();
        #[cfg(feature = "parquet")]
        if self.parquet.is_some() {
            return self.read_rows(options);
        }
        let name = &self.name;
        let data = &self.data;
        for (index, (start, end)) in line_ranges(data, self.offset == 0).enumerate() {
            let line_number = self.first_line + index;
            let line = &data[start..end];
            if trim_cr(line).iter().all(u8::is_ascii_whitespace) {
                self.blank_lines += 1;
                continue;
            }
            let checked = parse_line(line).and_then(|value| {
                let tokens = options.field.extract(&value)?;
                let tokens = options.tokens.estimate(&tokens);
                visit(&value);
                Ok(tokens)
            });
            match checked {
                Ok(tokens) => self.records.push(Record {
                    start,
                    end,
                    line: line_number as u32,
                    tokens: tokens.min(u32::MAX as u64) as u32,
                }),
                Err(problem) => match options.on_error {
                    OnError::Stop => {
                        self.records.clear();
                        self.issues.clear();
                        return Err(ReadError::Line {
                            file: name.clone(),
                            line: line_number,
                            problem,
                        });
                    }
                    OnError::Skip => self.issues.push(Issue {
                        line: line_number,
                        start,
                        end,
                        problem,
                    }),
                },
            }
        }
        Ok(())
    }

    /// The whole (decompressed) file.
    pub fn bytes(&self) -> &[u8] {
        &self.data
    }

    /// The file name given when reading.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The text field in use.
    pub fn field(&self) -> &FieldPath {
        &self.field
    }

    /// Number of usable records.
    pub fn len(&self) -> usize {
        self.records.len()
    }

    /// True when there are no records (never true for a corpus that was read successfully).
    pub fn is_empty(&self) -> bool {
        self.records.is_empty()
    }

    /// The records, in file order.
    pub fn records(&self) -> &[Record] {
        &self.records
    }

    /// Lines that were skipped, in file order.
    pub fn issues(&self) -> &[Issue] {
        &self.issues
    }

    /// Number of blank lines, which are not records.
    pub fn blank_lines(&self) -> usize {
        self.blank_lines
    }

    /// Size of the (decompressed) file in bytes.
    pub fn byte_len(&self) -> usize {
        self.data.len()
    }

    /// The original bytes of record `index`, without its line ending `\n`.
    pub fn line(&self, index: usize) -> &[u8] {
        let record = self.records[index];
        &self.data[record.start..record.end]
    }

    /// The original bytes of a skipped line.
    pub fn issue_line(&self, issue: &Issue) -> &[u8] {
        &self.data[issue.start..issue.end]
    }

    /// The parsed JSON of record `index` (for a Parquet row, an object holding its text
    /// under the field's name).
    pub fn value(&self, index: usize) -> Result<Value, Problem> {
        if self.is_parquet() {
            let text = self.text(index)?;
            return Ok(serde_json::json!({ self.field.as_str(): text }));
        }
        parse_line(self.line(index))
    }

    /// The text of record `index`, from the corpus's field.
    pub fn text(&self, index: usize) -> Result<String, Problem> {
        if self.is_parquet() {
            let bytes = self.line(index);
            return String::from_utf8(bytes.to_vec())
                .map_err(|e| Problem::InvalidUtf8(e.utf8_error().valid_up_to()));
        }
        record_text(self.line(index), &self.field)
    }

    /// True when the file is Parquet: its records are rows, and [`Corpus::line`] gives
    /// a row's text rather than an original line.
    pub fn is_parquet(&self) -> bool {
        #[cfg(feature = "parquet")]
        return self.parquet.is_some();
        #[cfg(not(feature = "parquet"))]
        return false;
    }

    /// The Parquet file itself, when the corpus is one ([`Corpus::is_parquet`]).
    #[cfg(feature = "parquet")]
    pub fn parquet_file(&self) -> Option<&bytes::Bytes> {
        self.parquet.as_ref().map(|body| &body.file)
    }

    /// For a Parquet file, how many row groups it has (as last read).
    pub fn parquet_row_groups(&self) -> Option<usize> {
        #[cfg(feature = "parquet")]
        return self
            .parquet
            .as_ref()
            .map(|body| body.row_group_starts.len());
        #[cfg(not(feature = "parquet"))]
        return None;
    }

    /// Where line (or, for Parquet, 1-based row) `line` is, as messages name it:
    /// `file:line`, or `file: row N (row group G)`.
    pub fn place(&self, line: usize) -> String {
        #[cfg(feature = "parquet")]
        if let Some(body) = &self.parquet {
            let row_group = crate::parquet::row_group_of(&body.row_group_starts, line as u64 - 1);
            return format!("{}: row {line} (row group {row_group})", self.name);
        }
        format!("{}:{line}", self.name)
    }

    /// Every record's text, in order (for small sets such as targets).
    pub fn texts(&self) -> Result<Vec<String>, ReadError> {
        (0..self.len())
            .map(|i| self.text(i).map_err(|problem| self.bad_record(i, problem)))
            .collect()
    }
}

impl Corpus {
    /// The error for record `i`, which has `problem`: at its line, or its Parquet row.
    fn bad_record(&self, i: usize, problem: Problem) -> ReadError {
        let line = self.records[i].line as usize;
        #[cfg(feature = "parquet")]
        if let Some(body) = &self.parquet {
            return ReadError::Row {
                file: self.name.clone(),
                row: line,
                row_group: crate::parquet::row_group_of(&body.row_group_starts, line as u64 - 1),
                problem,
            };
        }
        ReadError::Line {
            file: self.name.clone(),
            line,
            problem,
        }
    }
}

/// 1-based line number of the `index`th record (0-based) of a file whose lines that are
/// not records (blank or skipped) are `gaps`, ascending: a streamed reader keeps those
/// few numbers instead of one per record.
pub fn line_of(gaps: &[u32], index: usize) -> u64 {
    // Gap j has gaps[j] - 1 - j records before it; count the gaps before record `index`.
    let (mut low, mut high) = (0, gaps.len());
    while low < high {
        let middle = (low + high) / 2;
        if gaps[middle] as usize - 1 - middle <= index {
            low = middle + 1;
        } else {
            high = middle;
        }
    }
    (index + 1 + low) as u64
}

/// Whole lines cut from a stream, and where they are in it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Chunk {
    /// The lines, each ending with `\n` but perhaps the file's last.
    pub bytes: Vec<u8>,
    /// Where `bytes` starts in the stream.
    pub offset: u64,
    /// Line number of the first line (1-based).
    pub first_line: usize,
}

/// Cuts a stream of bytes, arriving in pieces of any size, into [`Chunk`]s of whole
/// lines: a line split between two pieces is carried into the next chunk.
#[derive(Debug)]
pub struct LineChunker {
    carry: Vec<u8>,
    offset: u64,
    next_line: usize,
}

impl Default for LineChunker {
    fn default() -> Self {
        LineChunker {
            carry: Vec::new(),
            offset: 0,
            next_line: 1,
        }
    }
}

impl LineChunker {
    /// A chunker at the start of a stream.
    pub fn new() -> Self {
        LineChunker::default()
    }

    /// Takes the next piece of the stream; returns the lines it completes, if any.
    pub fn push(&mut self, piece: &[u8]) -> Option<Chunk> {
        let Some(last_newline) = piece.iter().rposition(|&b| b == b'\n') else {
            self.carry.extend_from_slice(piece);
            return None;
        };
        let mut bytes = std::mem::take(&mut self.carry);
        bytes.extend_from_slice(&piece[..=last_newline]);
        self.carry.extend_from_slice(&piece[last_newline + 1..]);
        Some(self.emit(bytes))
    }

    /// Ends the stream; returns its last line if it had no `\n`.
    pub fn finish(&mut self) -> Option<Chunk> {
        if self.carry.is_empty() {
            return None;
        }
        let bytes = std::mem::take(&mut self.carry);
        Some(self.emit(bytes))
    }

    fn emit(&mut self, bytes: Vec<u8>) -> Chunk {
        let chunk = Chunk {
            offset: self.offset,
            first_line: self.next_line,
            bytes,
        };
        self.offset += chunk.bytes.len() as u64;
        self.next_line += chunk.bytes.iter().filter(|&&b| b == b'\n').count();
        chunk
    }
}

/// Top-level keys of the first records, with how many of those records hold text there:
/// what a field picker offers. Nested objects add dotted paths one level deep.
pub fn field_candidates(bytes: &[u8], sample: usize) -> Vec<(String, usize)> {
    let mut counts: Vec<(String, usize)> = Vec::new();
    let mut bump = |key: String| match counts.iter_mut().find(|(k, _)| *k == key) {
        Some((_, n)) => *n += 1,
        None => counts.push((key, 1)),
    };
    for (start, end) in line_ranges(bytes, true).take(sample * 2) {
        let Ok(Value::Object(map)) = parse_line(&bytes[start..end]) else {
            continue;
        };
        for (key, value) in &map {
            if holds_text(value) {
                bump(key.clone());
            } else if let Value::Object(inner) = value {
                for (sub, sub_value) in inner {
                    if sub_value.is_string() {
                        bump(format!("{key}.{sub}"));
                    }
                }
            }
        }
    }
    counts
}

fn holds_text(value: &Value) -> bool {
    match value {
        Value::String(_) => true,
        Value::Array(items) => {
            !items.is_empty()
                && items
                    .iter()
                    .all(|m| m.get("content").is_some_and(Value::is_string))
        }
        _ => false,
    }
}

#[cfg(test)]
mod tests;
