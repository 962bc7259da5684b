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
use std::fmt;

use serde_json::Value;

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

/// Where a record's text lives in its JSON object.
///
/// A field name (`text`), a dotted path into nested objects (`meta.body`), or a
/// field holding a chat-style array of `{"role", "content"}` messages, whose
/// contents are joined with newlines. A key that itself contains dots is found
/// before the dotted path is tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    raw: String,
}

impl FieldPath {
    /// A field path from its written form.
    pub fn new(raw: &str) -> Self {
        FieldPath {
            raw: raw.to_string(),
        }
    }

    /// The path as the user wrote it.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    fn lookup<'v>(&self, object: &'v Value) -> Option<&'v Value> {
        if let Some(value) = object.get(&self.raw) {
            return Some(value);
        }
        let mut value = object;
        for segment in self.raw.split('.') {
            value = match value {
                Value::Object(map) => map.get(segment)?,
                Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(value)
    }

    /// The text this path selects in one parsed record.
    pub fn extract<'v>(&self, record: &'v Value) -> Result<Cow<'v, str>, Problem> {
        if !record.is_object() {
            return Err(Problem::NotAnObject);
        }
        let value = self
            .lookup(record)
            .ok_or_else(|| Problem::MissingField(self.raw.clone()))?;
        match value {
            Value::String(text) => Ok(Cow::Borrowed(text)),
            Value::Array(messages) if !messages.is_empty() => {
                let mut joined = String::new();
                for (i, message) in messages.iter().enumerate() {
                    let content =
                        message
                            .get("content")
                            .and_then(Value::as_str)
                            .ok_or_else(|| {
                                Problem::NotText(
                                    self.raw.clone(),
                                    format!("message {i} has no string \"content\""),
                                )
                            })?;
                    if i > 0 {
                        joined.push('\n');
                    }
                    joined.push_str(content);
                }
                Ok(Cow::Owned(joined))
            }
            other => Err(Problem::NotText(
                self.raw.clone(),
                kind_of(other).to_string(),
            )),
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an empty array",
        Value::Object(_) => "an object",
    }
}

/// Why one line is not a usable record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The bytes are not UTF-8.
    #[error("invalid UTF-8 at byte {0} of the line")]
    InvalidUtf8(usize),
    /// The line is not valid JSON.
    #[error("not valid JSON: {0}")]
    Json(String),
    /// The line is JSON but not an object.
    #[error("not a JSON object")]
    NotAnObject,
    /// The text field is absent.
    #[error("no field \"{0}\"")]
    MissingField(String),
    /// The text field holds something other than text.
    #[error("field \"{0}\" is not text ({1})")]
    NotText(String, String),
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
}

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
    pub fn open(name: &str, bytes: Vec<u8>) -> Result<Corpus, ReadError> {
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

    /// The parsed JSON of record `index`.
    pub fn value(&self, index: usize) -> Result<Value, Problem> {
        parse_line(self.line(index))
    }

    /// The text of record `index`, from the corpus's field.
    pub fn text(&self, index: usize) -> Result<String, Problem> {
        record_text(self.line(index), &self.field)
    }

    /// Every record's text, in order (for small sets such as targets).
    pub fn texts(&self) -> Result<Vec<String>, ReadError> {
        (0..self.len())
            .map(|i| {
                self.text(i).map_err(|problem| ReadError::Line {
                    file: self.name.clone(),
                    line: self.records[i].line as usize,
                    problem,
                })
            })
            .collect()
    }
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
mod tests {
    use super::*;

    fn read(text: &[u8], on_error: OnError) -> Result<Corpus, ReadError> {
        let options = ReadOptions {
            on_error,
            ..ReadOptions::default()
        };
        Corpus::from_bytes("in.jsonl", text.to_vec(), &options)
    }

    #[test]
    fn keeps_original_line_bytes() {
        let corpus = read(
            b"{\"text\": \"a\\u00e9\", \"x\": 1}\n{\"text\":\"b\"}",
            OnError::Stop,
        )
        .unwrap();
        assert_eq!(corpus.len(), 2);
        assert_eq!(corpus.line(0), b"{\"text\": \"a\\u00e9\", \"x\": 1}");
        assert_eq!(corpus.text(0).unwrap(), "a\u{e9}");
        assert_eq!(corpus.line(1), b"{\"text\":\"b\"}");
    }

    #[test]
    fn handles_bom_crlf_and_blank_lines() {
        let corpus = read(
            b"\xEF\xBB\xBF{\"text\":\"a\"}\r\n\r\n   \n{\"text\":\"b\"}\r\n",
            OnError::Stop,
        )
        .unwrap();
        assert_eq!(corpus.len(), 2);
        assert_eq!(corpus.blank_lines(), 2);
        assert_eq!(corpus.line(0), b"{\"text\":\"a\"}\r");
        assert_eq!(corpus.records()[1].line, 4);
        assert_eq!(corpus.text(1).unwrap(), "b");
    }

    #[test]
    fn stop_reports_file_line_and_problem() {
        let err = read(b"{\"text\":\"a\"}\n{\"text\": 3}\n", OnError::Stop).unwrap_err();
        assert_eq!(
            err.to_string(),
            "in.jsonl:2: field \"text\" is not text (a number)"
        );
        let err = read(b"{\"text\":\"a\"}\n{oops\n", OnError::Stop).unwrap_err();
        assert!(
            err.to_string().starts_with("in.jsonl:2: not valid JSON"),
            "{err}"
        );
        let err = read(b"{\"text\":\"a\"}\n{\"body\":\"a\"}\n", OnError::Stop).unwrap_err();
        assert_eq!(err.to_string(), "in.jsonl:2: no field \"text\"");
        let err = read(b"{\"text\":\"a\xff\"}\n", OnError::Stop).unwrap_err();
        assert_eq!(
            err.to_string(),
            "in.jsonl:1: invalid UTF-8 at byte 10 of the line"
        );
        let err = read(b"[1,2]\n", OnError::Stop).unwrap_err();
        assert_eq!(err.to_string(), "in.jsonl:1: not a JSON object");
    }

    #[test]
    fn skip_keeps_every_bad_line() {
        let corpus = read(
            b"{\"text\":\"a\"}\nnope\n{\"text\":\"b\"}\n{\"t\":1}\n",
            OnError::Skip,
        )
        .unwrap();
        assert_eq!(corpus.len(), 2);
        let lines: Vec<usize> = corpus.issues().iter().map(|i| i.line).collect();
        assert_eq!(lines, vec![2, 4]);
        assert_eq!(corpus.issue_line(&corpus.issues()[0]), b"nope");
    }

    #[test]
    fn empty_file_is_an_error() {
        assert!(matches!(
            read(b"", OnError::Stop),
            Err(ReadError::Empty { .. })
        ));
        assert!(matches!(
            read(b"\n\n", OnError::Skip),
            Err(ReadError::Empty { .. })
        ));
    }

    #[test]
    fn nested_paths_and_chat_messages() {
        let options = ReadOptions {
            field: FieldPath::new("meta.body"),
            ..ReadOptions::default()
        };
        let corpus =
            Corpus::from_bytes("n", b"{\"meta\":{\"body\":\"deep\"}}".to_vec(), &options).unwrap();
        assert_eq!(corpus.text(0).unwrap(), "deep");

        let options = ReadOptions {
            field: FieldPath::new("messages"),
            ..ReadOptions::default()
        };
        let chat = br#"{"messages":[{"role":"user","content":"hi"},{"role":"assistant","content":"hello"}]}"#;
        let corpus = Corpus::from_bytes("c", chat.to_vec(), &options).unwrap();
        assert_eq!(corpus.text(0).unwrap(), "hi\nhello");

        let options = ReadOptions {
            field: FieldPath::new("a.b"),
            ..ReadOptions::default()
        };
        let dotted = br#"{"a.b":"literal key","a":{"b":"nested"}}"#;
        let corpus = Corpus::from_bytes("d", dotted.to_vec(), &options).unwrap();
        assert_eq!(corpus.text(0).unwrap(), "literal key");
    }

    #[test]
    fn reads_gzip_members() {
        let part = |s: &[u8]| {
            let mut member = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
            member.extend(miniz_oxide::deflate::compress_to_vec(s, 6));
            member.extend(crc32fast::hash(s).to_le_bytes());
            member.extend((s.len() as u32).to_le_bytes());
            member
        };
        let mut bytes = part(b"{\"text\":\"a\"}\n");
        bytes.extend(part(b"{\"text\":\"b\"}\n"));
        let corpus =
            Corpus::from_bytes("g.jsonl.gz", bytes.clone(), &ReadOptions::default()).unwrap();
        assert_eq!(corpus.len(), 2);
        assert_eq!(corpus.text(1).unwrap(), "b");
        assert_eq!(gunzip_file("g", &bytes, 26).unwrap().len(), 26);
        let err = gunzip_file("g.jsonl.gz", &bytes, 20).unwrap_err();
        assert!(matches!(err, ReadError::TooLarge { .. }), "{err}");
    }

    /// Reads `text` through the chunker in pieces of `piece` bytes.
    fn read_in_pieces(text: &[u8], piece: usize, options: &ReadOptions) -> Vec<Corpus> {
        let mut chunker = LineChunker::new();
        let mut chunks: Vec<Chunk> = text.chunks(piece).filter_map(|p| chunker.push(p)).collect();
        chunks.extend(chunker.finish());
        chunks
            .into_iter()
            .map(|chunk| Corpus::from_chunk("in.jsonl", chunk, options).unwrap())
            .collect()
    }

    #[test]
    fn chunks_read_as_the_whole_file() {
        let text: &[u8] = b"\xEF\xBB\xBF{\"text\":\"a\"}\r\n\n{\"text\":\"b\"}\nnope\n{\"text\":\"c\"}\n  \n{\"t\":1}\n{\"text\":\"d\"}";
        let options = ReadOptions {
            on_error: OnError::Skip,
            ..ReadOptions::default()
        };
        let whole = Corpus::from_bytes("in.jsonl", text.to_vec(), &options).unwrap();
        let expected: Vec<(u64, u64, u32, String)> = (0..whole.len())
            .map(|i| {
                let r = whole.records()[i];
                (r.start as u64, r.end as u64, r.line, whole.text(i).unwrap())
            })
            .collect();
        for piece in 1..text.len() + 1 {
            let corpora = read_in_pieces(text, piece, &options);
            let mut records = Vec::new();
            let (mut issues, mut blank) = (Vec::new(), 0);
            for corpus in &corpora {
                for i in 0..corpus.len() {
                    let r = corpus.records()[i];
                    let at = corpus.offset();
                    records.push((
                        at + r.start as u64,
                        at + r.end as u64,
                        r.line,
                        corpus.text(i).unwrap(),
                    ));
                }
                issues.extend(
                    corpus
                        .issues()
                        .iter()
                        .map(|issue| (issue.line, corpus.issue_line(issue).to_vec())),
                );
                blank += corpus.blank_lines();
            }
            assert_eq!(records, expected, "pieces of {piece} bytes");
            assert_eq!(
                issues,
                vec![(4, b"nope".to_vec()), (7, b"{\"t\":1}".to_vec())]
            );
            assert_eq!(blank, whole.blank_lines());
        }
    }

    #[test]
    fn a_bad_line_in_a_later_chunk_names_its_file_line() {
        let mut chunker = LineChunker::new();
        let first = chunker
            .push(b"{\"text\":\"a\"}\n{\"text\":\"b\"}\n{\"te")
            .unwrap();
        assert_eq!((first.offset, first.first_line), (0, 1));
        let second = chunker.push(b"xt\": 3}\n").unwrap();
        assert_eq!((second.offset, second.first_line), (26, 3));
        let err = Corpus::from_chunk("in.jsonl", second, &ReadOptions::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "in.jsonl:3: field \"text\" is not text (a number)"
        );
        assert_eq!(chunker.finish(), None);
    }

    #[test]
    fn a_bom_is_skipped_only_at_the_start_of_the_file() {
        let chunk = Chunk {
            bytes: b"\xEF\xBB\xBF{\"text\":\"a\"}\n".to_vec(),
            offset: 10,
            first_line: 2,
        };
        let err = Corpus::from_chunk("in.jsonl", chunk, &ReadOptions::default()).unwrap_err();
        assert!(
            err.to_string().starts_with("in.jsonl:2: not valid JSON"),
            "{err}"
        );
    }

    #[test]
    fn field_candidates_lists_text_fields() {
        let bytes = br#"{"text":"a","origin":"x","n":1,"meta":{"body":"b"}}"#;
        let fields = field_candidates(bytes, 10);
        let names: Vec<&str> = fields.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(names, vec!["meta.body", "origin", "text"]);
    }
}
