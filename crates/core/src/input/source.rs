//! A source of one or more files, read as a stream and never held whole.
//!
//! [`Source::open`] reads every file once, in input order, by the core's rules: JSONL
//! in chunks of whole lines ([`LineChunker`], [`Corpus::from_chunk`]), a `.jsonl.gz`
//! decompressed as it streams into a temporary file (later reads need its lines by
//! offset), Parquet a row group at a time ([`ParquetFile`], by byte range). Per record
//! it keeps three fixed-size columns: where its line starts (its row, for Parquet), the
//! line's length and its token estimate; line numbers follow from the few lines of each
//! file that are not records. Everything that needs a record again (scoring, token
//! counts, the kept lines) reads it back from its file.
//!
//! A record's index runs across the files in input order; its place is its file and
//! line (or row and row group).

use std::borrow::Cow;
use std::fs::{self, File};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::time::SystemTime;

use super::paths::Found;
use crate::gzip::{is_gzip, Gunzip};
use crate::jsonl::{
    line_of, record_text, Chunk, Corpus, LineChunker, Problem, ReadError, ReadOptions,
};
use crate::score::{RecordTexts, ScoreError, TextBatch};

mod write;

/// Bytes read from a file at a time.
const PIECE: usize = 16 << 20;
/// Records written out per window (their lines, or rows, read in file order).
const WINDOW: usize = 1 << 16;

/// What a file holds, told by its first bytes (not its name).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// JSON Lines.
    Jsonl,
    /// JSON Lines compressed with gzip.
    JsonlGz,
    /// Parquet (with the `parquet` feature).
    Parquet,
}

impl Format {
    /// The format of a file starting with `head`.
    pub fn of(head: &[u8]) -> Format {
        if is_gzip(head) {
            Format::JsonlGz
        } else if head.starts_with(b"PAR1") {
            Format::Parquet
        } else {
            Format::Jsonl
        }
    }

    /// The format's name, as summaries show it.
    pub fn name(self) -> &'static str {
        match self {
            Format::Jsonl => "JSONL",
            Format::JsonlGz => "JSONL (gzip)",
            Format::Parquet => "Parquet",
        }
    }
}

/// Why a source cannot be read or written back.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// A bad line or row, an unreadable file, or no records at all.
    #[error(transparent)]
    Read(#[from] ReadError),
    /// A file could not be read.
    #[error("reading {file}: {error}")]
    Io {
        /// The file's name.
        file: String,
        /// What went wrong.
        error: io::Error,
    },
    /// A file changed after it was read.
    #[error("{0} changed while it was being read; run again on a file that stays as it is")]
    Changed(String),
    /// The files cannot be written out as one file.
    #[error("{0}")]
    Mixed(String),
}

/// A line (or Parquet row) that is not a record: where it is and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// 1-based line (or row) in its file.
    pub line: usize,
    /// Where the line starts in its (decompressed) file; a row's 0-based number.
    pub offset: u64,
    /// The line's length without its `\n` (0 for a row).
    pub len: u32,
    /// What is wrong.
    pub problem: Problem,
}

#[cfg(feature = "parquet")]
struct ParquetSide {
    file: crate::parquet::ParquetFile,
    column: crate::parquet::TextColumn,
}

/// One file of a source.
pub struct SourceFile {
    name: String,
    path: PathBuf,
    relative: PathBuf,
    format: Format,
    size: u64,
    modified: Option<SystemTime>,
    /// Where lines are read back from: the file, or a `.jsonl.gz`'s decompressed copy.
    data: File,
    records: Range<usize>,
    /// Line (or row) numbers that are not records, ascending.
    gaps: Vec<u32>,
    skipped: Vec<Skipped>,
    blank_lines: usize,
    #[cfg(feature = "parquet")]
    parquet: Option<ParquetSide>,
}

impl SourceFile {
    /// The file's name, as messages give it.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Its name below the folder it was found in: its shard's name in an output folder.
    pub fn relative(&self) -> &Path {
        &self.relative
    }

    /// What it holds.
    pub fn format(&self) -> Format {
        self.format
    }

    /// Its records' indices in the source.
    pub fn records(&self) -> Range<usize> {
        self.records.clone()
    }

    /// Lines (or rows) that were skipped, in file order.
    pub fn skipped(&self) -> &[Skipped] {
        &self.skipped
    }

    /// Blank lines, which are not records.
    pub fn blank_lines(&self) -> usize {
        self.blank_lines
    }

    /// Its size in bytes (as stored, before any decompression).
    pub fn size(&self) -> u64 {
        self.size
    }

    /// Where line (or 1-based row) `line` of this file is, as messages name it.
    pub fn place(&self, line: usize) -> String {
        #[cfg(feature = "parquet")]
        if let Some(side) = &self.parquet {
            return format!("{}: {}", self.name, side.file.place(line as u64 - 1));
        }
        format!("{}:{line}", self.name)
    }

    /// 1-based line number of its `k`th record.
    fn line_of(&self, k: usize) -> u64 {
        line_of(&self.gaps, k)
    }

    fn read_at(&self, start: u64, buffer: &mut [u8]) -> Result<(), InputError> {
        read_exact_at(&self.data, start, buffer).map_err(|error| InputError::Io {
            file: self.name.clone(),
            error,
        })
    }
}

/// Reads a local Parquet file by range, as [`crate::parquet::ParquetFile`] asks for its
/// bytes (without moving a shared cursor, so several readers can share the file).
#[cfg(feature = "parquet")]
pub fn parquet_range(file: &File) -> Box<crate::parquet::ReadRange<'_>> {
    Box::new(move |start: u64, end: u64| {
        let mut bytes = vec![0u8; (end - start) as usize];
        read_exact_at(file, start, &mut bytes).map_err(|e| e.to_string())?;
        Ok(bytes::Bytes::from(bytes))
    })
}

/// Reads `buffer.len()` bytes of `file` from `start`, without moving a shared cursor.
fn read_exact_at(file: &File, start: u64, buffer: &mut [u8]) -> io::Result<()> {
    #[cfg(unix)]
    {
        std::os::unix::fs::FileExt::read_exact_at(file, buffer, start)
    }
    #[cfg(windows)]
    {
        let mut done = 0;
        while done < buffer.len() {
            let n = std::os::windows::fs::FileExt::seek_read(
                file,
                &mut buffer[done..],
                start + done as u64,
            )?;
            if n == 0 {
                return Err(io::ErrorKind::UnexpectedEof.into());
            }
            done += n;
        }
        Ok(())
    }
    #[cfg(not(any(unix, windows)))]
    {
        let _ = (file, start, buffer);
        Err(io::ErrorKind::Unsupported.into())
    }
}

/// A decoded Parquet row group: its file, its number and its rows' texts.
#[cfg(feature = "parquet")]
type DecodedGroup = (usize, usize, std::sync::Arc<Vec<Result<String, Problem>>>);

/// A source of one or more files: per record, where it is and its token estimate.
pub struct Source {
    name: String,
    files: Vec<SourceFile>,
    options: ReadOptions,
    offsets: Vec<u64>,
    lens: Vec<u32>,
    tokens: Vec<u32>,
    /// The last Parquet row group decoded (file, group, texts): scoring reads in order,
    /// so each group is decoded once per pass.
    #[cfg(feature = "parquet")]
    group: std::sync::Mutex<Option<DecodedGroup>>,
}

impl Source {
    /// Reads `files` (in that order) with `options`, calling `skipped(file, line)` for
    /// each line left out (with [`crate::jsonl::OnError::Skip`]; otherwise the first bad
    /// line is the error). `name` names the whole source in messages. An empty file is
    /// fine, but a source without any record is an error.
    pub fn open(
        name: &str,
        files: &[Found],
        options: &ReadOptions,
        skipped: &mut dyn FnMut(&SourceFile, &Skipped),
    ) -> Result<Source, InputError> {
        let mut source = Source {
            name: name.to_string(),
            files: Vec::with_capacity(files.len()),
            options: options.clone(),
            offsets: Vec::new(),
            lens: Vec::new(),
            tokens: Vec::new(),
            #[cfg(feature = "parquet")]
            group: std::sync::Mutex::new(None),
        };
        // Sized once from the first chunk's records per byte, the columns need not
        // double (and hold twice their size while they copy) as the files are read.
        let mut expected_bytes: u64 = files
            .iter()
            .filter_map(|f| fs::metadata(&f.path).ok())
            .map(|m| m.len())
            .sum();
        for found in files {
            let file = source.read_file(found, &mut expected_bytes)?;
            for skip in &file.skipped {
                skipped(&file, skip);
            }
            source.files.push(file);
        }
        // Where the first chunk's density was too low a guess (a .jsonl.gz's size is
        // compressed), the columns grew by doubling: drop their unused part.
        source.offsets.shrink_to_fit();
        source.lens.shrink_to_fit();
        source.tokens.shrink_to_fit();
        if source.tokens.is_empty() {
            return Err(ReadError::Empty {
                file: name.to_string(),
            }
            .into());
        }
        Ok(source)
    }

    fn read_file(
        &mut self,
        found: &Found,
        expected_bytes: &mut u64,
    ) -> Result<SourceFile, InputError> {
        let name = found.name.clone();
        let io_error = |error| InputError::Io {
            file: name.clone(),
            error,
        };
        let mut handle = File::open(&found.path).map_err(io_error)?;
        let meta = handle.metadata().map_err(io_error)?;
        let mut head = [0u8; 4];
        let head_len = read_up_to(&mut handle, &mut head).map_err(io_error)?;
        let format = Format::of(&head[..head_len]);
        let mut file = SourceFile {
            name: name.clone(),
            path: found.path.clone(),
            relative: found.relative.clone(),
            format,
            size: meta.len(),
            modified: meta.modified().ok(),
            data: handle.try_clone().map_err(io_error)?,
            records: self.tokens.len()..self.tokens.len(),
            gaps: Vec::new(),
            skipped: Vec::new(),
            blank_lines: 0,
            #[cfg(feature = "parquet")]
            parquet: None,
        };
        // The same open file is read from its start: `data` only reads at offsets.
        handle.seek(SeekFrom::Start(0)).map_err(io_error)?;
        let whole = &mut handle;
        match format {
            Format::Jsonl => self.read_lines(&mut file, whole, None, expected_bytes)?,
            Format::JsonlGz => {
                let mut copy = tempfile::tempfile().map_err(|error| InputError::Io {
                    file: format!("a temporary file for {name}"),
                    error,
                })?;
                self.read_lines(&mut file, whole, Some(&mut copy), expected_bytes)?;
                file.data = copy;
            }
            Format::Parquet => self.read_rows(&mut file)?,
        }
        file.records.end = self.tokens.len();
        Ok(file)
    }

    /// Reads the lines of `file` from `reader`; a `.jsonl.gz` is decompressed as it
    /// streams, into `copy`, which its lines are read back from.
    fn read_lines(
        &mut self,
        file: &mut SourceFile,
        reader: &mut File,
        mut copy: Option<&mut File>,
        expected_bytes: &mut u64,
    ) -> Result<(), InputError> {
        let mut chunker = LineChunker::new();
        let mut gunzip = copy.as_ref().map(|_| Gunzip::new());
        let mut piece = vec![0u8; PIECE];
        let mut plain = Vec::new();
        let mut next_line = 1;
        loop {
            let n = read_up_to(reader, &mut piece).map_err(|error| InputError::Io {
                file: file.name.clone(),
                error,
            })?;
            let bytes: &[u8] = match (&mut gunzip, &mut copy) {
                (Some(gunzip), Some(copy)) => {
                    plain.clear();
                    gunzip
                        .feed(&piece[..n], &mut plain, usize::MAX)
                        .map_err(|e| ReadError::gunzip(&file.name, e, usize::MAX))?;
                    copy.write_all(&plain).map_err(|error| InputError::Io {
                        file: format!("a temporary file for {}", file.name),
                        error,
                    })?;
                    &plain
                }
                _ => &piece[..n],
            };
            let chunk = if n == 0 {
                chunker.finish()
            } else {
                chunker.push(bytes)
            };
            if let Some(chunk) = chunk {
                let (before, bytes) = (self.tokens.len(), chunk.bytes.len() as u64);
                next_line = self.read_chunk(file, chunk, next_line)?;
                self.reserve_for(before, bytes, expected_bytes);
            }
            if n == 0 {
                break;
            }
        }
        if let Some(gunzip) = &gunzip {
            gunzip
                .finish()
                .map_err(|e| ReadError::gunzip(&file.name, e, usize::MAX))?;
        }
        Ok(())
    }

    /// Once, after the first chunk that held records: reserves the columns for the
    /// records `expected_bytes` hold at that chunk's density (a little more).
    fn reserve_for(&mut self, before: usize, bytes: u64, expected_bytes: &mut u64) {
        let added = self.tokens.len() - before;
        if *expected_bytes == 0 || added == 0 || bytes == 0 {
            return;
        }
        let expected = (*expected_bytes as f64 * added as f64 / bytes as f64 * 1.02) as usize;
        let more = (expected + 1024).saturating_sub(self.tokens.len());
        self.offsets.reserve_exact(more);
        self.lens.reserve_exact(more);
        self.tokens.reserve_exact(more);
        *expected_bytes = 0;
    }

    /// Reads one chunk of lines of `file`; returns the line after it.
    fn read_chunk(
        &mut self,
        file: &mut SourceFile,
        chunk: Chunk,
        mut next_line: usize,
    ) -> Result<usize, InputError> {
        let lines = chunk.bytes.iter().filter(|&&b| b == b'\n').count()
            + usize::from(!chunk.bytes.ends_with(b"\n"));
        let first_line = chunk.first_line;
        let corpus = Corpus::from_chunk(&file.name, chunk, &self.options)?;
        let at = corpus.offset();
        for record in corpus.records() {
            let line = record.line as usize;
            file.gaps.extend((next_line..line).map(|gap| gap as u32));
            next_line = line + 1;
            self.offsets.push(at + record.start as u64);
            self.lens.push((record.end - record.start) as u32);
            self.tokens.push(record.tokens);
        }
        let end = first_line + lines;
        file.gaps.extend((next_line..end).map(|gap| gap as u32));
        file.blank_lines += corpus.blank_lines();
        for issue in corpus.issues() {
            file.skipped.push(Skipped {
                line: issue.line,
                offset: at + issue.start as u64,
                len: (issue.end - issue.start) as u32,
                problem: issue.problem.clone(),
            });
        }
        Ok(end)
    }

    #[cfg(not(feature = "parquet"))]
    fn read_rows(&mut self, file: &mut SourceFile) -> Result<(), InputError> {
        Err(ReadError::Parquet(format!(
            "{}: Parquet is read with the core's `parquet` feature",
            file.name
        ))
        .into())
    }

    /// Reads the rows of a Parquet `file`, a row group at a time, by range.
    #[cfg(feature = "parquet")]
    fn read_rows(&mut self, file: &mut SourceFile) -> Result<(), InputError> {
        use crate::jsonl::OnError;
        use crate::parquet::ParquetFile;
        let parquet_error = |e: crate::parquet::ParquetError| ReadError::Parquet(e.to_string());
        let data = &file.data;
        let mut read = |start: u64, end: u64| {
            let mut bytes = vec![0u8; (end - start) as usize];
            read_exact_at(data, start, &mut bytes).map_err(|e| e.to_string())?;
            Ok(bytes::Bytes::from(bytes))
        };
        let parquet = ParquetFile::open(&file.name, file.size, &mut read).map_err(parquet_error)?;
        let column = parquet
            .text_column(&self.options.field)
            .map_err(parquet_error)?;
        for group in 0..parquet.row_groups() {
            let first = parquet.group_rows(group).start;
            let skip = self.options.on_error == OnError::Skip;
            let texts = parquet
                .texts_or_unreadable(&column, group, &mut read, skip)
                .map_err(parquet_error)?;
            for (k, text) in texts.into_iter().enumerate() {
                let row = first + k as u64;
                match text {
                    Ok(text) => {
                        let tokens = self.options.tokens.estimate(&text);
                        self.offsets.push(row);
                        self.lens.push(0);
                        self.tokens.push(tokens.min(u32::MAX as u64) as u32);
                    }
                    Err(problem) => {
                        if self.options.on_error == OnError::Stop {
                            return Err(ReadError::Row {
                                file: file.name.clone(),
                                row: row as usize + 1,
                                row_group: group,
                                problem,
                            }
                            .into());
                        }
                        file.gaps.push(row as u32 + 1);
                        file.skipped.push(Skipped {
                            line: row as usize + 1,
                            offset: row,
                            len: 0,
                            problem,
                        });
                    }
                }
            }
        }
        file.parquet = Some(ParquetSide {
            file: parquet,
            column,
        });
        Ok(())
    }

    /// The source's name in messages (its path, or the paths given).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Usable records, over every file.
    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    /// True when there are no records (never, for a source that opened).
    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// The files, in input order.
    pub fn files(&self) -> &[SourceFile] {
        &self.files
    }

    /// How records were read (field, error policy, token estimate).
    pub fn options(&self) -> &ReadOptions {
        &self.options
    }

    /// Every record's estimated tokens.
    pub fn tokens(&self) -> &[u32] {
        &self.tokens
    }

    /// The file record `index` is in (its position in [`Source::files`]).
    pub fn file_of(&self, index: usize) -> usize {
        self.files
            .partition_point(|file| file.records.end <= index)
            .min(self.files.len() - 1)
    }

    /// 1-based line (or row) of record `index` in its file.
    pub fn line(&self, index: usize) -> u64 {
        let file = &self.files[self.file_of(index)];
        file.line_of(index - file.records.start)
    }

    /// 1-based line (or row) of record `index`, which is in file `f`: for walking every
    /// record file by file without looking its file up.
    pub fn line_in(&self, f: usize, index: usize) -> u64 {
        let file = &self.files[f];
        file.line_of(index - file.records.start)
    }

    /// Where record `index` is, as messages name it: `file:line` or `file: row N (row group G)`.
    pub fn place(&self, index: usize) -> String {
        let file = &self.files[self.file_of(index)];
        file.place(file.line_of(index - file.records.start) as usize)
    }

    /// Lines that were skipped, over every file, in input order.
    pub fn skipped(&self) -> impl Iterator<Item = (&SourceFile, &Skipped)> {
        self.files
            .iter()
            .flat_map(|file| file.skipped.iter().map(move |skip| (file, skip)))
    }

    /// True when every file is Parquet.
    pub fn is_parquet(&self) -> bool {
        self.files.iter().all(|f| f.format == Format::Parquet)
    }

    /// Fails unless every file's size and time are what they were when it was read.
    pub fn check_unchanged(&self) -> Result<(), InputError> {
        for file in &self.files {
            let meta = fs::metadata(&file.path).map_err(|error| InputError::Io {
                file: file.name.clone(),
                error,
            })?;
            if meta.len() != file.size || meta.modified().ok() != file.modified {
                return Err(InputError::Changed(file.name.clone()));
            }
        }
        Ok(())
    }

    /// Fails, before anything is scored, when the files cannot be written out as one
    /// file: JSONL and Parquet mixed, or Parquet files whose columns differ.
    pub fn check_one_output(&self) -> Result<(), InputError> {
        self.check_together(&(0..self.files.len()).collect::<Vec<_>>())
    }

    /// [`Source::check_one_output`] for files `files` (positions in [`Source::files`]).
    fn check_together(&self, files: &[usize]) -> Result<(), InputError> {
        let files: Vec<&SourceFile> = files.iter().map(|&f| &self.files[f]).collect();
        let parquet = files.iter().filter(|f| f.format == Format::Parquet);
        let Some(first) = parquet.clone().next() else {
            return Ok(());
        };
        if let Some(jsonl) = files.iter().find(|f| f.format != Format::Parquet) {
            return Err(InputError::Mixed(format!(
                "{} is Parquet and {} is JSONL, so their records cannot be written as one file; \
                 write one file per input with --out-dir",
                first.name, jsonl.name
            )));
        }
        #[cfg(feature = "parquet")]
        {
            let schema = |f: &SourceFile| f.parquet.as_ref().map(|p| p.file.schema());
            if let Some(other) = parquet.clone().find(|f| schema(f) != schema(first)) {
                return Err(InputError::Mixed(format!(
                    "{} and {} have different columns, so their rows cannot be written as one \
                     Parquet file; write one file per input with --out-dir",
                    first.name, other.name
                )));
            }
        }
        Ok(())
    }

    /// The files records `indices` are in, ascending, each once.
    fn files_of(&self, indices: impl Iterator<Item = usize>) -> Vec<usize> {
        let mut touched = vec![false; self.files.len()];
        for i in indices {
            touched[self.file_of(i)] = true;
        }
        (0..self.files.len()).filter(|&f| touched[f]).collect()
    }

    /// The texts of records `range`, read back with one read per file.
    pub fn batch(&self, range: Range<usize>) -> Result<Batch<'_>, ScoreError> {
        let mut parts = Vec::new();
        let mut start = range.start;
        while start < range.end {
            let f = self.file_of(start);
            let file = &self.files[f];
            let end = range.end.min(file.records.end);
            parts.push(self.part(f, start..end)?);
            start = end;
        }
        Ok(Batch {
            source: self,
            first: range.start,
            parts,
        })
    }

    fn part(&self, f: usize, range: Range<usize>) -> Result<Part, ScoreError> {
        let file = &self.files[f];
        if file.format == Format::Parquet {
            return self.rows_part(f, range);
        }
        let start = self.offsets[range.start];
        let end = self.offsets[range.end - 1] + self.lens[range.end - 1] as u64;
        let mut bytes = vec![0u8; (end - start) as usize];
        file.read_at(start, &mut bytes)
            .map_err(|e| self.unreadable(&range, e))?;
        Ok(Part::Lines {
            first: range.start,
            start,
            bytes,
        })
    }

    fn unreadable(&self, range: &Range<usize>, error: InputError) -> ScoreError {
        ScoreError::Read {
            file: self.files[self.file_of(range.start)].name.clone(),
            message: match error {
                InputError::Io { error, .. } => error.to_string(),
                other => other.to_string(),
            },
        }
    }

    #[cfg(not(feature = "parquet"))]
    fn rows_part(&self, _: usize, _: Range<usize>) -> Result<Part, ScoreError> {
        unreachable!("Parquet files are not read without the feature")
    }

    /// The texts of records `range` of Parquet file `f`, decoding each row group once.
    #[cfg(feature = "parquet")]
    fn rows_part(&self, f: usize, range: Range<usize>) -> Result<Part, ScoreError> {
        let file = &self.files[f];
        let side = file
            .parquet
            .as_ref()
            .expect("a Parquet file keeps its footer");
        let mut texts = Vec::with_capacity(range.len());
        let mut cache = self.group.lock().unwrap_or_else(|e| e.into_inner());
        for i in range.clone() {
            let row = self.offsets[i];
            let group = side.file.place(row).row_group;
            let fresh = !matches!(&*cache, Some((cf, cg, _)) if *cf == f && *cg == group);
            if fresh {
                let data = &file.data;
                let mut read = |start: u64, end: u64| {
                    let mut bytes = vec![0u8; (end - start) as usize];
                    read_exact_at(data, start, &mut bytes).map_err(|e| e.to_string())?;
                    Ok(bytes::Bytes::from(bytes))
                };
                let decoded = side
                    .file
                    .texts(&side.column, group, &mut read)
                    .map_err(|e| {
                        // The reader's message names the file already.
                        let message = e.to_string();
                        let prefix = format!("{}: ", file.name);
                        ScoreError::Read {
                            file: file.name.clone(),
                            message: message.strip_prefix(&prefix).unwrap_or(&message).into(),
                        }
                    })?;
                *cache = Some((f, group, std::sync::Arc::new(decoded)));
            }
            let (_, _, decoded) = cache.as_ref().expect("just filled");
            let at = (row - side.file.group_rows(group).start) as usize;
            texts.push(decoded.get(at).cloned().unwrap_or_else(|| {
                Err(Problem::Json("the file changed since it was read".into()))
            }));
        }
        Ok(Part::Rows {
            first: range.start,
            texts,
        })
    }

    /// The texts of records `indices`, in that order (for token counts and the diverse
    /// selection, which read records far apart).
    pub fn texts_of(&self, indices: &[u32]) -> Result<Vec<String>, ScoreError> {
        let mut order: Vec<usize> = (0..indices.len()).collect();
        order.sort_unstable_by_key(|&k| indices[k]);
        let mut texts = vec![String::new(); indices.len()];
        // Records close together are read in one batch.
        let mut k = 0;
        while k < order.len() {
            let first = indices[order[k]] as usize;
            let mut last = k + 1;
            while last < order.len() && (indices[order[last]] as usize) < first + 256 {
                last += 1;
            }
            let end = indices[order[last - 1]] as usize + 1;
            let batch = self.batch(first..end)?;
            for &at in &order[k..last] {
                texts[at] = batch.text(indices[at] as usize)?;
            }
            k = last;
        }
        Ok(texts)
    }

    /// The text of record `index`.
    pub fn text(&self, index: usize) -> Result<String, ScoreError> {
        self.batch(index..index + 1)?.text(index)
    }
}

/// Reads into `buffer` until it is full or the file ends; returns how much was read.
fn read_up_to(reader: &mut impl Read, buffer: &mut [u8]) -> io::Result<usize> {
    let mut filled = 0;
    while filled < buffer.len() {
        match reader.read(&mut buffer[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(filled)
}

/// Records read back together: their lines (one block per file) or Parquet texts.
pub struct Batch<'s> {
    source: &'s Source,
    first: usize,
    parts: Vec<Part>,
}

enum Part {
    Lines {
        first: usize,
        start: u64,
        bytes: Vec<u8>,
    },
    #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
    Rows {
        first: usize,
        texts: Vec<Result<String, Problem>>,
    },
}

impl Part {
    fn first(&self) -> usize {
        match self {
            Part::Lines { first, .. } | Part::Rows { first, .. } => *first,
        }
    }
}

impl Batch<'_> {
    /// The text of record `index` (in the batch's range).
    pub fn text(&self, index: usize) -> Result<String, ScoreError> {
        debug_assert!(index >= self.first);
        let k = self.parts.partition_point(|p| p.first() <= index) - 1;
        let source = self.source;
        let text = match &self.parts[k] {
            Part::Lines { start, bytes, .. } => {
                let at = (source.offsets[index] - start) as usize;
                let line = &bytes[at..at + source.lens[index] as usize];
                record_text(line, &source.options.field)
            }
            Part::Rows { first, texts } => texts[index - first].clone(),
        };
        text.map_err(|problem| ScoreError::Record {
            file: source.files[source.file_of(index)].name.clone(),
            line: source.line(index) as usize,
            problem,
        })
    }

    /// The original line of record `index` (for a Parquet row, its text).
    pub fn line(&self, index: usize) -> Cow<'_, [u8]> {
        let k = self.parts.partition_point(|p| p.first() <= index) - 1;
        match &self.parts[k] {
            Part::Lines { start, bytes, .. } => {
                let at = (self.source.offsets[index] - start) as usize;
                Cow::Borrowed(&bytes[at..at + self.source.lens[index] as usize])
            }
            Part::Rows { first, texts } => Cow::Owned(
                texts[index - first]
                    .as_ref()
                    .map(|t| t.as_bytes().to_vec())
                    .unwrap_or_default(),
            ),
        }
    }
}

impl RecordTexts for Source {
    fn count(&self) -> usize {
        self.len()
    }

    fn read(&self, range: Range<usize>) -> Result<TextBatch<'_>, ScoreError> {
        let batch = self.batch(range)?;
        Ok(Box::new(move |i| batch.text(i)))
    }
}
