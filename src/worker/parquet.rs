//! A Parquet source in the scoring worker, read by range from its `File`.
//!
//! The footer is read first; the scan then reads one row group at a time, and of it only
//! the text column's chunks (`zipfit_core::parquet::ParquetFile`), keeping per record
//! what a JSONL source keeps: its token estimate, and, for the rows that are not records,
//! their row numbers. Scoring reads the row groups again in order, one decoded group at a
//! time; the table and the other views read just the rows they show; downloads of
//! records are Parquet files of the source's rows, a window of rows at a time.

use std::cell::RefCell;

use bytes::Bytes;
use js_sys::Uint8Array;
use web_sys::Blob;
use zipfit_core::jsonl::{FieldPath, OnError, Problem, ReadError, ReadOptions};
use zipfit_core::parquet::{ParquetError, ParquetFile, RowWriter, TextColumn};

use super::source::{default_column, one_line, Skipped, Source, Store, PREVIEW_CHARS};
use crate::protocol::IssueView;

/// Decoded bytes of rows a Parquet download reads at a time.
const DOWNLOAD_WINDOW: u64 = 32 << 20;

/// Reads bytes of `blob` by range, as [`ParquetFile`] asks for them.
pub fn reader(blob: &Blob) -> impl FnMut(u64, u64) -> Result<Bytes, String> + '_ {
    move |start, end| {
        let failed = |e: wasm_bindgen::JsValue| format!("cannot read the file: {e:?}");
        let part = blob
            .slice_with_f64_and_f64(start as f64, end as f64)
            .map_err(failed)?;
        let buffer = web_sys::FileReaderSync::new()
            .and_then(|reader| reader.read_as_array_buffer(&part))
            .map_err(failed)?;
        let bytes = Uint8Array::new(&buffer).to_vec();
        super::memory::release(&buffer);
        if bytes.len() as u64 != end - start {
            return Err("the file changed since it was read".to_string());
        }
        Ok(Bytes::from(bytes))
    }
}

/// A row group's texts, decoded whole: its number, and each row's text or problem.
type DecodedGroup = (usize, Vec<Result<String, Problem>>);

/// The file, the text column in use, and the row group last decoded whole.
pub struct ParquetSource {
    pub file: ParquetFile,
    pub column: TextColumn,
    decoded: RefCell<Option<DecodedGroup>>,
}

impl ParquetSource {
    pub fn new(file: ParquetFile, column: TextColumn) -> ParquetSource {
        ParquetSource {
            file,
            column,
            decoded: RefCell::new(None),
        }
    }

    /// The text of row `row` (0-based in the file), decoding its row group whole unless
    /// it is the one last decoded: for reads that go through the file in order.
    pub fn text_in_order(&self, blob: &Blob, row: u64) -> Result<String, String> {
        let place = self.file.place(row);
        let mut decoded = self.decoded.borrow_mut();
        if decoded.as_ref().map(|(group, _)| *group) != Some(place.row_group) {
            // The old group goes first: two would be in memory at once otherwise.
            *decoded = None;
            let texts = self
                .file
                .texts(&self.column, place.row_group, &mut reader(blob))
                .map_err(|e| e.to_string())?;
            *decoded = Some((place.row_group, texts));
        }
        let (_, texts) = decoded.as_ref().expect("decoded above");
        let at = (row - self.file.group_rows(place.row_group).start) as usize;
        match texts.get(at) {
            Some(Ok(text)) => Ok(text.clone()),
            Some(Err(problem)) => Err(format!("{}: {place}: {problem}", self.file.name())),
            None => Err(format!(
                "{}: the file changed since it was read",
                self.file.name()
            )),
        }
    }

    /// The texts of rows `rows` (0-based in the file, any order), in that order: each
    /// row group they touch is read once, and only the pages that hold them decoded.
    pub fn texts_of_rows(&self, blob: &Blob, rows: &[u64]) -> Result<Vec<String>, String> {
        let mut by_row: Vec<usize> = (0..rows.len()).collect();
        by_row.sort_unstable_by_key(|&k| rows[k]);
        let mut texts = vec![String::new(); rows.len()];
        let mut first = 0;
        while first < by_row.len() {
            let group = self.file.place(rows[by_row[first]]).row_group;
            let span = self.file.group_rows(group);
            let mut last = first;
            let mut wanted = Vec::new();
            while last < by_row.len() && rows[by_row[last]] < span.end {
                let row = (rows[by_row[last]] - span.start) as u32;
                // A row asked for twice is read once.
                if wanted.last() != Some(&row) {
                    wanted.push(row);
                }
                last += 1;
            }
            let read = self
                .file
                .texts_of_rows(&self.column, group, &wanted, &mut reader(blob))
                .map_err(|e| e.to_string())?;
            for &k in &by_row[first..last] {
                let at = wanted
                    .binary_search(&((rows[k] - span.start) as u32))
                    .expect("every row is wanted");
                texts[k] = read[at].clone().map_err(|problem| {
                    format!(
                        "{}: {}: {problem}",
                        self.file.name(),
                        self.file.place(rows[k])
                    )
                })?;
            }
            first = last;
        }
        Ok(texts)
    }
}

impl Source {
    /// Starts reading the Parquet file `blob`: its footer, and the text column.
    /// `field` "" picks `text` if the file has it, else its first text column.
    pub fn open_parquet(name: &str, blob: Blob, field: &str, options: ReadOptions) -> Source {
        let size = blob.size() as u64;
        let mut source = Source::new(name, Store::File(blob), size, field, options);
        let blob = source.blob().expect("a file").clone();
        let file = match ParquetFile::open(name, size, &mut reader(&blob)) {
            Ok(file) => file,
            Err(error) => {
                source.error = Some(ReadError::Parquet(error.to_string()));
                return source;
            }
        };
        let columns = file.text_columns();
        let rows = file.rows() as usize;
        source.fields = columns.iter().map(|c| (c.clone(), rows)).collect();
        let field = match field {
            "" => default_column(&source.fields),
            field => field.to_string(),
        };
        source.options.field = FieldPath::new(&field);
        match file.text_column(&source.options.field) {
            Ok(column) => source.parquet = Some(ParquetSource::new(file, column)),
            Err(error) => source.error = Some(ReadError::Parquet(error.to_string())),
        }
        source
    }

    /// Row groups of a Parquet source (0 when its footer could not be read).
    pub fn row_groups(&self) -> usize {
        self.parquet.as_ref().map_or(0, |p| p.file.row_groups())
    }

    /// Reads row group `group` of a Parquet source. False once a bad row stopped the read.
    pub fn scan_group(&mut self, group: usize) -> bool {
        if self.error.is_some() {
            return false;
        }
        let (Some(parquet), Ok(blob)) = (self.parquet.as_ref(), self.blob()) else {
            return false;
        };
        let start = parquet.file.group_rows(group).start;
        let read = parquet
            .file
            .texts(&parquet.column, group, &mut reader(blob));
        let texts = match read {
            Ok(texts) => texts,
            Err(error) => {
                self.error = Some(ReadError::Parquet(error.to_string()));
                return false;
            }
        };
        for (k, text) in texts.into_iter().enumerate() {
            let line = (start + k as u64 + 1) as usize;
            match text {
                Ok(text) => {
                    let tokens = self.options.tokens.estimate(&text);
                    self.tokens.push(tokens.min(u32::MAX as u64) as u32);
                    if self.preview.len() < 3 {
                        self.preview.push(one_line(&text, PREVIEW_CHARS));
                    }
                }
                Err(problem) if self.options.on_error == OnError::Skip => {
                    self.gaps.push(line as u32);
                    self.skipped.push(Skipped {
                        view: IssueView {
                            line,
                            problem: problem.to_string(),
                        },
                        bytes: Vec::new(),
                    });
                }
                Err(problem) => {
                    self.error = Some(ReadError::Row {
                        file: self.name.clone(),
                        row: line,
                        row_group: group,
                        problem,
                    });
                    return false;
                }
            }
        }
        true
    }
}

/// A Parquet download in progress: rows of the source, in a given order, written a
/// window at a time.
pub struct RowsDownload {
    rows: Vec<u64>,
    next: usize,
    window: usize,
    writer: Option<RowWriter<Vec<u8>>>,
}

impl RowsDownload {
    /// A download of rows `rows` (0-based in the file) of `source`, in that order.
    pub fn new(source: &ParquetSource, rows: Vec<u64>) -> Result<RowsDownload, ParquetError> {
        Ok(RowsDownload {
            rows,
            next: 0,
            window: source.file.rows_for_bytes(DOWNLOAD_WINDOW),
            writer: Some(source.file.writer(Vec::new())?),
        })
    }

    /// Writes the next window of rows, then moves what is written out to `out`; the last
    /// call writes the footer. `out` stays empty once the download is complete.
    pub fn next(
        &mut self,
        source: &ParquetSource,
        blob: &Blob,
        out: &mut Vec<u8>,
    ) -> Result<(), ParquetError> {
        // The writer holds rows until a row group is complete: windows are written until
        // some bytes come out (an empty part would end the download).
        while let Some(writer) = self.writer.as_mut() {
            if self.next < self.rows.len() {
                let end = (self.next + self.window).min(self.rows.len());
                let rows = source
                    .file
                    .take_rows(&self.rows[self.next..end], &mut reader(blob))?;
                writer.write(&rows)?;
                self.next = end;
                out.append(writer.out());
            } else {
                let writer = self.writer.take().expect("in the loop's condition");
                out.append(&mut writer.finish()?);
            }
            if !out.is_empty() {
                break;
            }
        }
        Ok(())
    }
}
