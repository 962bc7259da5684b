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
use zipfit_core::jsonl::Problem;
use zipfit_core::parquet::{ParquetError, ParquetFile, RowWriter, TextColumn};

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

impl ParquetSource {
    /// Lets go of the row group last decoded whole.
    pub fn forget(&self) {
        *self.decoded.borrow_mut() = None;
    }
}

/// A Parquet download in progress: rows of the source, in a given order, written a
/// window at a time as one file with the first file's columns and codecs.
pub struct RowsDownload {
    /// Source-wide 0-based rows.
    rows: Vec<u64>,
    next: usize,
    window: usize,
    writer: Option<RowWriter<Vec<u8>>>,
}

impl RowsDownload {
    /// A download of rows `rows` (0-based, over files whose first is `first`), in that
    /// order.
    pub fn new(first: &ParquetSource, rows: Vec<u64>) -> Result<RowsDownload, String> {
        Ok(RowsDownload {
            rows,
            next: 0,
            window: first.file.rows_for_bytes(DOWNLOAD_WINDOW),
            writer: Some(first.file.writer(Vec::new()).map_err(|e| e.to_string())?),
        })
    }

    /// Writes the next window of rows, then moves what is written out to `out`; the last
    /// call writes the footer. `out` stays empty once the download is complete. `files`
    /// are the files the rows are in, and `locate` says which, and at what row of it, a
    /// row is.
    pub fn next(
        &mut self,
        files: &[(&ParquetSource, &Blob)],
        locate: impl Fn(u64) -> (usize, u64),
        out: &mut Vec<u8>,
    ) -> Result<(), String> {
        let readers: Vec<&ParquetFile> = files.iter().map(|(p, _)| &p.file).collect();
        let failed = |e: ParquetError| e.to_string();
        // The writer holds rows until a row group is complete: windows are written until
        // some bytes come out (an empty part would end the download).
        while let Some(writer) = self.writer.as_mut() {
            if self.next < self.rows.len() {
                let end = (self.next + self.window).min(self.rows.len());
                let window: Vec<(usize, u64)> = self.rows[self.next..end]
                    .iter()
                    .map(|&row| locate(row))
                    .collect();
                let rows = ParquetFile::take_rows_of_files(&readers, &window, |f| {
                    Box::new(reader(files[f].1))
                })
                .map_err(failed)?;
                writer.write(&rows).map_err(failed)?;
                self.next = end;
                out.append(writer.out());
            } else {
                let writer = self.writer.take().expect("in the loop's condition");
                out.append(&mut writer.finish().map_err(failed)?);
            }
            if !out.is_empty() {
                break;
            }
        }
        Ok(())
    }
}
