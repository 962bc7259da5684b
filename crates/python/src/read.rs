//! Reading JSONL with the CLI's rules, and writing original lines back out.

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};

use numpy::{IntoPyArray, PyReadonlyArray1};
use pyo3::exceptions::{PyIOError, PyStopIteration, PyValueError};
use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict, PyList};
use zipfit_core::export;
use zipfit_core::jsonl::{
    self, gunzip_file, is_gzip, Corpus, FieldPath, LineChunker, OnError, ReadError, ReadOptions,
};
use zipfit_core::tokens::TokenCounter;

use crate::tokens::{corpus_tokens, counter};
use crate::RecordError;

fn read_error(error: ReadError) -> PyErr {
    match error {
        ReadError::Line { .. } | ReadError::Row { .. } => RecordError::new_err(error.to_string()),
        _ => PyValueError::new_err(error.to_string()),
    }
}

fn io_error(what: &str, path: &str, error: io::Error) -> PyErr {
    PyIOError::new_err(format!("{what} {path}: {error}"))
}

/// How to read records, and what counts their tokens.
struct Reading {
    options: ReadOptions,
    counter: TokenCounter,
}

fn read_options(field: &str, on_error: &str, tokens: &str) -> PyResult<Reading> {
    let on_error = match on_error {
        "stop" => OnError::Stop,
        "skip" => OnError::Skip,
        other => {
            return Err(PyValueError::new_err(format!(
                "unknown on_error '{other}' (expected stop or skip)"
            )))
        }
    };
    let counter = counter(tokens)?;
    Ok(Reading {
        options: ReadOptions {
            field: FieldPath::new(field),
            on_error,
            tokens: counter.read_estimate(),
        },
        counter,
    })
}

/// A whole JSONL file (or gzip-compressed JSONL) read by the CLI's rules, as one dict
/// of the form `JsonlChunks` yields. A file with no usable record raises `ValueError`.
#[pyfunction]
#[pyo3(signature = (path, field = "text", on_error = "stop", tokens = "bytes"))]
pub fn read_jsonl<'py>(
    py: Python<'py>,
    path: &str,
    field: &str,
    on_error: &str,
    tokens: &str,
) -> PyResult<Bound<'py, PyDict>> {
    read_whole(py, path, read_options(field, on_error, tokens)?, false)
}

/// A whole Parquet file read by the CLI's rules, as one dict of the form `JsonlChunks`
/// yields: its records are rows, `line` holds their 1-based row numbers, and `raw` their
/// texts (UTF-8). A file that is not Parquet raises `ValueError`.
#[pyfunction]
#[pyo3(signature = (path, field = "text", on_error = "stop", tokens = "bytes"))]
pub fn read_parquet<'py>(
    py: Python<'py>,
    path: &str,
    field: &str,
    on_error: &str,
    tokens: &str,
) -> PyResult<Bound<'py, PyDict>> {
    read_whole(py, path, read_options(field, on_error, tokens)?, true)
}

/// Reads the file `path` whole, with the GIL released; `parquet` insists on Parquet.
fn read_whole<'py>(
    py: Python<'py>,
    path: &str,
    reading: Reading,
    parquet: bool,
) -> PyResult<Bound<'py, PyDict>> {
    let options = &reading.options;
    let (corpus, tokens) = py.detach(|| {
        let bytes = std::fs::read(path).map_err(|e| io_error("reading", path, e))?;
        if parquet && !zipfit_core::parquet::is_parquet(&bytes) {
            return Err(PyValueError::new_err(format!(
                "{path}: not a Parquet file (it does not start with PAR1)"
            )));
        }
        let corpus = Corpus::from_bytes(path, bytes, options).map_err(read_error)?;
        let tokens = corpus_tokens(&corpus, &reading.counter)?;
        Ok((corpus, tokens))
    })?;
    chunk_dict(py, &corpus, tokens)
}

/// Where the bytes of a file come from: the file itself, or (gzip) its decompressed
/// bytes, held whole.
enum Bytes {
    File(File),
    Memory { data: Vec<u8>, at: usize },
}

impl Bytes {
    fn open(path: &str) -> PyResult<(Bytes, bool)> {
        let mut file = File::open(path).map_err(|e| io_error("opening", path, e))?;
        let mut magic = [0u8; 2];
        let got = file
            .read(&mut magic)
            .map_err(|e| io_error("reading", path, e))?;
        file.seek(SeekFrom::Start(0))
            .map_err(|e| io_error("reading", path, e))?;
        if !is_gzip(&magic[..got]) {
            return Ok((Bytes::File(file), false));
        }
        let mut compressed = Vec::new();
        file.read_to_end(&mut compressed)
            .map_err(|e| io_error("reading", path, e))?;
        let data = gunzip_file(path, &compressed, usize::MAX).map_err(read_error)?;
        Ok((Bytes::Memory { data, at: 0 }, true))
    }

    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Bytes::File(file) => file.read(buf),
            Bytes::Memory { data, at } => {
                let n = buf.len().min(data.len() - *at);
                buf[..n].copy_from_slice(&data[*at..*at + n]);
                *at += n;
                Ok(n)
            }
        }
    }
}

/// A JSONL file (or gzip-compressed JSONL) read in chunks of whole lines, each checked
/// with the CLI's rules. Iterating yields one dict per chunk:
///
/// - `line`, `start`, `tokens`: NumPy int64 arrays, one entry per usable record: its
///   1-based line, the byte offset of its line in the (decompressed) file, and its
///   tokens by the counter `tokens` names;
/// - `raw` (bytes) and `raw_offsets` (int64, one more than the records): the records'
///   original lines, without their `\n`, record `i` being `raw[raw_offsets[i]:raw_offsets[i + 1]]`;
/// - `skipped`: `(line, start, raw, problem)` for each bad line, when `on_error="skip"`;
/// - `blank_lines`: how many blank lines the chunk had.
///
/// With `on_error="stop"`, a bad line raises `RecordError("FILE:LINE: problem")`.
#[pyclass(module = "zipfit")]
pub struct JsonlChunks {
    name: String,
    bytes: Bytes,
    compressed: bool,
    chunker: LineChunker,
    reading: Reading,
    piece: Vec<u8>,
    done: bool,
}

#[pymethods]
impl JsonlChunks {
    #[new]
    #[pyo3(signature = (path, field = "text", on_error = "stop", tokens = "bytes", chunk_bytes = 16 << 20))]
    fn new(
        path: &str,
        field: &str,
        on_error: &str,
        tokens: &str,
        chunk_bytes: usize,
    ) -> PyResult<Self> {
        let reading = read_options(field, on_error, tokens)?;
        let (bytes, compressed) = Bytes::open(path)?;
        Ok(JsonlChunks {
            name: path.to_string(),
            bytes,
            compressed,
            chunker: LineChunker::new(),
            reading,
            piece: vec![0; chunk_bytes.max(1)],
            done: false,
        })
    }

    /// The file's name, as messages give it.
    #[getter]
    fn name(&self) -> &str {
        &self.name
    }

    /// True when the file is gzip-compressed (offsets are then in its decompressed bytes).
    #[getter]
    fn compressed(&self) -> bool {
        self.compressed
    }

    fn __iter__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
        slf
    }

    fn __next__<'py>(&mut self, py: Python<'py>) -> PyResult<Bound<'py, PyDict>> {
        let corpus = py.detach(|| self.next_chunk())?;
        let Some((corpus, tokens)) = corpus else {
            return Err(PyStopIteration::new_err(()));
        };
        chunk_dict(py, &corpus, tokens)
    }
}

impl JsonlChunks {
    fn next_chunk(&mut self) -> PyResult<Option<(Corpus, Vec<i64>)>> {
        while !self.done {
            let n = self
                .bytes
                .read(&mut self.piece)
                .map_err(|e| io_error("reading", &self.name, e))?;
            let chunk = if n == 0 {
                self.done = true;
                self.chunker.finish()
            } else {
                self.chunker.push(&self.piece[..n])
            };
            if let Some(chunk) = chunk {
                let corpus = Corpus::from_chunk(&self.name, chunk, &self.reading.options)
                    .map_err(read_error)?;
                let tokens = corpus_tokens(&corpus, &self.reading.counter)?;
                return Ok(Some((corpus, tokens)));
            }
        }
        Ok(None)
    }
}

/// A chunk's records as Python reads them; `tokens` holds each record's count.
fn chunk_dict<'py>(
    py: Python<'py>,
    corpus: &Corpus,
    tokens: Vec<i64>,
) -> PyResult<Bound<'py, PyDict>> {
    let records = corpus.records();
    let offset = corpus.offset() as i64;
    let mut raw = Vec::with_capacity(corpus.byte_len());
    let mut raw_offsets = Vec::with_capacity(records.len() + 1);
    raw_offsets.push(0i64);
    for i in 0..records.len() {
        raw.extend_from_slice(corpus.line(i));
        raw_offsets.push(raw.len() as i64);
    }
    let skipped = PyList::empty(py);
    for issue in corpus.issues() {
        skipped.append((
            issue.line,
            offset + issue.start as i64,
            PyBytes::new(py, corpus.issue_line(issue)),
            issue.problem.to_string(),
        ))?;
    }
    let column = |f: fn(&jsonl::Record) -> i64| records.iter().map(f).collect::<Vec<i64>>();
    let dict = PyDict::new(py);
    dict.set_item("line", column(|r| r.line as i64).into_pyarray(py))?;
    dict.set_item(
        "start",
        records
            .iter()
            .map(|r| offset + r.start as i64)
            .collect::<Vec<i64>>()
            .into_pyarray(py),
    )?;
    dict.set_item("tokens", tokens.into_pyarray(py))?;
    dict.set_item("raw", PyBytes::new(py, &raw))?;
    dict.set_item("raw_offsets", raw_offsets.into_pyarray(py))?;
    dict.set_item("skipped", skipped)?;
    dict.set_item("blank_lines", corpus.blank_lines())?;
    Ok(dict)
}

/// The text of one JSONL line under `field` (a name, a dotted path, or a chat-message
/// array), by the CLI's rules; `RecordError` names the problem.
#[pyfunction]
#[pyo3(signature = (line, field = "text"))]
pub fn record_text(line: &Bound<'_, PyAny>, field: &str) -> PyResult<String> {
    let bytes: Vec<u8> = if let Ok(s) = line.extract::<String>() {
        s.into_bytes()
    } else {
        line.extract::<Vec<u8>>()?
    };
    jsonl::record_text(&bytes, &FieldPath::new(field))
        .map_err(|problem| RecordError::new_err(problem.to_string()))
}

/// Writes lines taken from files to `out`, each followed by `\n`, in the order given:
/// line `k` is `lengths[k]` bytes at offset `starts[k]` of `paths[files[k]]` (the
/// decompressed bytes of a gzip file). Each file is read once, in offset order. A line
/// that no longer ends where it did (the file changed) raises `ValueError`.
#[pyfunction]
pub fn copy_lines(
    py: Python<'_>,
    out: &str,
    paths: Vec<String>,
    files: PyReadonlyArray1<'_, i64>,
    starts: PyReadonlyArray1<'_, i64>,
    lengths: PyReadonlyArray1<'_, i64>,
) -> PyResult<()> {
    let (files, starts, lengths) = (files.as_slice()?, starts.as_slice()?, lengths.as_slice()?);
    if files.len() != starts.len() || files.len() != lengths.len() {
        return Err(PyValueError::new_err(
            "files, starts and lengths must have the same length",
        ));
    }
    check_sources(out, &paths, files)?;
    if starts.iter().chain(lengths).any(|&v| v < 0) {
        return Err(PyValueError::new_err(
            "starts and lengths must not be negative",
        ));
    }
    py.detach(|| copy_lines_detached(out, &paths, files, starts, lengths))
}

fn copy_lines_detached(
    out: &str,
    paths: &[String],
    files: &[i64],
    starts: &[i64],
    lengths: &[i64],
) -> PyResult<()> {
    // Where each line goes in one buffer of the output, filled in file and offset order.
    let mut at = Vec::with_capacity(lengths.len());
    let mut total = 0usize;
    for &len in lengths {
        at.push(total);
        total += len as usize;
    }
    let mut buffer = vec![0u8; total];
    let mut by_place: Vec<usize> = (0..files.len()).collect();
    by_place.sort_unstable_by_key(|&k| (files[k], starts[k]));
    let mut current: Option<(i64, Bytes)> = None;
    for k in by_place {
        if current.as_ref().map(|(f, _)| *f) != Some(files[k]) {
            current = Some((files[k], Bytes::open(&paths[files[k] as usize])?.0));
        }
        let Some((_, bytes)) = current.as_mut() else {
            unreachable!("a file was just opened");
        };
        let path = &paths[files[k] as usize];
        let (start, len) = (starts[k] as u64, lengths[k] as usize);
        let line = &mut buffer[at[k]..at[k] + len];
        let ends_there =
            read_line_at(bytes, start, line).map_err(|e| io_error("reading", path, e))?;
        if !ends_there {
            return Err(PyValueError::new_err(format!(
                "{path}: the line at byte {start} no longer ends {len} bytes later; the file changed since it was read"
            )));
        }
    }
    zipfit_core::outputs::write_whole(std::path::Path::new(out), |writer| {
        for k in 0..lengths.len() {
            export::write_line(writer, &buffer[at[k]..at[k] + lengths[k] as usize])?;
        }
        Ok(())
    })
    .map_err(|e| io_error("writing", out, e))
}

/// Writes rows taken from Parquet files to `out` as one Parquet file, in the order
/// given: row `k` is 0-based row `rows[k]` of `paths[files[k]]`. The schema and codecs
/// are the first path's; every file must have the same columns (`ValueError`
/// otherwise). Files are read by range, a row group's pages at a time, through the core's
/// writer, as the CLI and the page write Parquet rows.
#[pyfunction]
pub fn write_parquet_rows(
    py: Python<'_>,
    out: &str,
    paths: Vec<String>,
    files: PyReadonlyArray1<'_, i64>,
    rows: PyReadonlyArray1<'_, i64>,
) -> PyResult<()> {
    use zipfit_core::parquet::ParquetFile;
    let (files, rows) = (files.as_slice()?, rows.as_slice()?);
    if files.len() != rows.len() {
        return Err(PyValueError::new_err(
            "files and rows must have the same length",
        ));
    }
    check_sources(out, &paths, files)?;
    if rows.iter().any(|&r| r < 0) {
        return Err(PyValueError::new_err("rows must not be negative"));
    }
    let pairs: Vec<(usize, u64)> = files
        .iter()
        .zip(rows)
        .map(|(&f, &r)| (f as usize, r as u64))
        .collect();
    py.detach(|| {
        let opened = paths
            .iter()
            .map(|path| File::open(path).map_err(|e| io_error("reading", path, e)))
            .collect::<PyResult<Vec<File>>>()?;
        let read = |f: usize| zipfit_core::input::source::parquet_range(&opened[f]);
        let mut readers = Vec::with_capacity(paths.len());
        for (f, path) in paths.iter().enumerate() {
            let size = opened[f].metadata().map_err(|e| io_error("reading", path, e))?.len();
            let file = ParquetFile::open(path, size, &mut *read(f))
                .map_err(|e| PyValueError::new_err(e.to_string()))?;
            readers.push(file);
        }
        if let Some(other) = readers.iter().find(|r| r.schema() != readers[0].schema()) {
            return Err(PyValueError::new_err(format!(
                "{} and {} have different columns, so their rows cannot be written as one Parquet file",
                readers[0].name(),
                other.name()
            )));
        }
        let window = readers[0].rows_for_bytes(32 << 20);
        let refs: Vec<&ParquetFile> = readers.iter().collect();
        zipfit_core::outputs::write_whole(std::path::Path::new(out), |writer| {
            ParquetFile::write_rows_of_files(&refs, &pairs, window, read, writer)
        })
        .map_err(|e| io_error("writing", out, e))
    })
}

/// What writing records of `paths` to `out` needs: `out` is none of them (by file
/// identity), and every index of `files` names one of them.
fn check_sources(out: &str, paths: &[String], files: &[i64]) -> PyResult<()> {
    let inputs: Vec<(&str, &std::path::Path)> = paths
        .iter()
        .map(|p| ("a source", std::path::Path::new(p)))
        .collect();
    zipfit_core::outputs::check(&inputs, &[("the output", std::path::Path::new(out))])
        .map_err(|error| PyValueError::new_err(error.to_string()))?;
    if let Some(&bad) = files.iter().find(|&&f| f < 0 || f as usize >= paths.len()) {
        return Err(PyValueError::new_err(format!(
            "file index {bad} is not one of the {} paths",
            paths.len()
        )));
    }
    Ok(())
}

/// Fills `line` with the bytes at `start`; true when a `\n` or the end follows them.
fn read_line_at(bytes: &mut Bytes, start: u64, line: &mut [u8]) -> io::Result<bool> {
    let end = start as usize + line.len();
    match bytes {
        Bytes::File(file) => {
            file.seek(SeekFrom::Start(start))?;
            file.read_exact(line)?;
            let mut next = [0u8; 1];
            Ok(file.read(&mut next)? == 0 || next[0] == b'\n')
        }
        Bytes::Memory { data, .. } => {
            let Some(source) = data.get(start as usize..end) else {
                return Err(io::ErrorKind::UnexpectedEof.into());
            };
            line.copy_from_slice(source);
            Ok(data.get(end).is_none_or(|&b| b == b'\n'))
        }
    }
}

/// The files `paths` name, by the rule every shell uses (the core's
/// `input::resolve`): a file, a folder (its `*.jsonl`, `*.jsonl.gz` and `*.parquet`,
/// recursively) or a glob; their union, sorted. Returns the files and the files the
/// folders held that are not data (left out). A path naming no data file raises
/// `FileNotFoundError`.
#[pyfunction]
pub fn source_files(paths: Vec<String>) -> PyResult<(Vec<String>, Vec<String>)> {
    use zipfit_core::input::{resolve, PathError};
    let resolved = resolve(&paths).map_err(|error| match error {
        PathError::Io { .. } => PyIOError::new_err(error.to_string()),
        PathError::BadPattern { .. } => PyValueError::new_err(error.to_string()),
        _ => pyo3::exceptions::PyFileNotFoundError::new_err(error.to_string()),
    })?;
    let shown = |p: &std::path::Path| p.display().to_string();
    Ok((
        resolved.files.iter().map(|f| shown(&f.path)).collect(),
        resolved.left_out.iter().map(|p| shown(p)).collect(),
    ))
}
