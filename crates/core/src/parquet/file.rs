//! A Parquet file read by byte range: the footer first, then, a row group at a time,
//! only the column chunks a read needs.
//!
//! The caller supplies the bytes through a [`ReadRange`] (a slice of a file in memory, a
//! `File` read by range in the page), so a file far larger than memory is read in row
//! group sized pieces and never whole.

use std::ops::Range;
use std::sync::Arc;

use arrow_array::{RecordBatch, UInt32Array};
use bytes::Bytes;
use parquet::arrow::arrow_reader::{
    ArrowReaderMetadata, ArrowReaderOptions, ParquetRecordBatchReaderBuilder, RowSelection,
};
use parquet::arrow::{ArrowWriter, ProjectionMask};
use parquet::file::metadata::{FooterTail, ParquetMetaDataReader};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{ChunkReader, Length};

use super::guard::contain;
use super::{descend, row_group_of, text_at, text_paths, unreadable, ParquetError, RowPlace};
use crate::field::{FieldPath, Problem};

/// Reads bytes `start..end` of a file.
pub type ReadRange<'a> = dyn FnMut(u64, u64) -> Result<Bytes, String> + 'a;

/// Bytes read at the end of a file before its footer's length is known: most footers
/// fit, so most files open with one read.
const TAIL: u64 = 64 << 10;
/// Column chunks less than this far apart are read in one range.
const MERGE_GAP: u64 = 64 << 10;

/// An open Parquet file: its footer, parsed.
#[derive(Debug, Clone)]
pub struct ParquetFile {
    name: String,
    metadata: ArrowReaderMetadata,
    row_group_starts: Vec<u64>,
    rows: u64,
}

/// The text field, found in a file's schema: a top-level column and a path below it.
#[derive(Debug, Clone)]
pub struct TextColumn {
    field: String,
    root: usize,
    rest: Vec<String>,
}

impl TextColumn {
    /// The field as asked for.
    pub fn field(&self) -> &str {
        &self.field
    }
}

impl ParquetFile {
    /// Reads the footer of `name`, `size` bytes long, through `read`.
    pub fn open(name: &str, size: u64, read: &mut ReadRange) -> Result<ParquetFile, ParquetError> {
        let failed = |message: String| unreadable(name, message);
        if size < 12 {
            return Err(failed(format!(
                "{size} bytes is too short for a Parquet file"
            )));
        }
        let tail_start = size - TAIL.min(size);
        let mut tail = read(tail_start, size).map_err(failed)?;
        let footer: &[u8; 8] = tail[tail.len() - 8..].try_into().expect("eight bytes");
        let footer = FooterTail::try_new(footer).map_err(|e| failed(e.to_string()))?;
        let needed = footer.metadata_length() as u64 + 8;
        if needed > size - 4 {
            return Err(failed(format!(
                "the footer says its metadata is {} bytes, more than the file holds",
                footer.metadata_length()
            )));
        }
        if needed > tail.len() as u64 {
            tail = read(size - needed, size).map_err(failed)?;
        }
        let metadata = &tail[tail.len() - needed as usize..tail.len() - 8];
        let metadata = contain(|| ParquetMetaDataReader::decode_metadata(metadata))
            .map_err(failed)?
            .map_err(|e| failed(e.to_string()))?;
        let metadata =
            contain(|| ArrowReaderMetadata::try_new(Arc::new(metadata), ArrowReaderOptions::new()))
                .map_err(failed)?
                .map_err(|e| failed(e.to_string()))?;
        let mut row_group_starts = Vec::new();
        let mut rows = 0u64;
        for group in metadata.metadata().row_groups() {
            row_group_starts.push(rows);
            rows += u64::try_from(group.num_rows())
                .map_err(|_| failed("a row group has a negative row count".to_string()))?;
        }
        Ok(ParquetFile {
            name: name.to_string(),
            metadata,
            row_group_starts,
            rows,
        })
    }

    /// Reads the footer of `bytes`, a whole Parquet file in memory.
    pub fn from_bytes(name: &str, bytes: &Bytes) -> Result<ParquetFile, ParquetError> {
        ParquetFile::open(name, bytes.len() as u64, &mut slice_of(bytes))
    }

    /// The file's name, as given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Rows in the file.
    pub fn rows(&self) -> u64 {
        self.rows
    }

    /// The file's columns, as Arrow sees them.
    pub fn schema(&self) -> arrow_schema::SchemaRef {
        self.metadata.schema().clone()
    }

    /// Row groups in the file.
    pub fn row_groups(&self) -> usize {
        self.row_group_starts.len()
    }

    /// The first row (0-based) of each row group.
    pub fn row_group_starts(&self) -> &[u64] {
        &self.row_group_starts
    }

    /// Rows `start..end` of the file that row group `group` holds.
    pub fn group_rows(&self, group: usize) -> Range<u64> {
        let start = self.row_group_starts[group];
        let end = self
            .row_group_starts
            .get(group + 1)
            .copied()
            .unwrap_or(self.rows);
        start..end
    }

    /// Where row `row` (0-based) is.
    pub fn place(&self, row: u64) -> RowPlace {
        RowPlace {
            row,
            row_group: row_group_of(&self.row_group_starts, row),
        }
    }

    /// The columns that hold text, as the paths the text field takes (`text`,
    /// `meta.body`, `messages` for a chat list).
    pub fn text_columns(&self) -> Vec<String> {
        let mut paths = Vec::new();
        for field in self.metadata.schema().fields() {
            text_paths(field, String::new(), &mut paths);
        }
        paths
    }

    /// Finds `field` in the schema: a column whose name is the whole path first (as
    /// JSONL tries the whole key first), else a dotted path into struct columns.
    pub fn text_column(&self, field: &FieldPath) -> Result<TextColumn, ParquetError> {
        let schema = self.metadata.schema();
        let raw = field.as_str();
        let (root, rest) = match schema.index_of(raw) {
            Ok(root) => (root, Vec::new()),
            Err(_) => {
                let mut segments = raw.split('.');
                let first = segments.next().unwrap_or_default();
                match schema.index_of(first) {
                    Ok(root) => (root, segments.map(str::to_string).collect()),
                    Err(_) => return Err(self.missing(raw)),
                }
            }
        };
        let column = TextColumn {
            field: raw.to_string(),
            root,
            rest,
        };
        // The path must lead to a column (its values are checked row by row).
        let mut data_type = schema.field(root).data_type().clone();
        for segment in &column.rest {
            data_type = match data_type {
                arrow_schema::DataType::Struct(fields) => {
                    match fields.iter().find(|f| f.name() == segment) {
                        Some(child) => child.data_type().clone(),
                        None => return Err(self.missing(raw)),
                    }
                }
                _ => return Err(self.missing(raw)),
            };
        }
        Ok(column)
    }

    fn missing(&self, field: &str) -> ParquetError {
        ParquetError::MissingColumn {
            file: self.name.clone(),
            field: field.to_string(),
            columns: self.text_columns().join(", "),
        }
    }

    /// [`ParquetFile::texts`], or when `skip_unreadable` and the row group cannot be
    /// decoded, each of its rows as [`Problem::Unreadable`] with the reason: how a
    /// damaged row group costs only its rows when bad rows are skipped.
    pub fn texts_or_unreadable(
        &self,
        column: &TextColumn,
        group: usize,
        read: &mut ReadRange,
        skip_unreadable: bool,
    ) -> Result<Vec<Result<String, Problem>>, ParquetError> {
        match self.texts(column, group, read) {
            Err(error) if skip_unreadable => {
                let span = self.group_rows(group);
                let problem = Problem::Unreadable(error.to_string());
                Ok(vec![Err(problem); (span.end - span.start) as usize])
            }
            read => read,
        }
    }

    /// The texts of `column` in row group `group`, one per row: reads only that
    /// column's chunks.
    pub fn texts(
        &self,
        column: &TextColumn,
        group: usize,
        read: &mut ReadRange,
    ) -> Result<Vec<Result<String, Problem>>, ParquetError> {
        self.read_texts(column, group, None, read)
    }

    /// The texts of `column` at rows `rows` (0-based within row group `group`,
    /// ascending) only: pages holding none of them are skipped, not decoded.
    pub fn texts_of_rows(
        &self,
        column: &TextColumn,
        group: usize,
        rows: &[u32],
        read: &mut ReadRange,
    ) -> Result<Vec<Result<String, Problem>>, ParquetError> {
        self.read_texts(column, group, Some(rows), read)
    }

    fn read_texts(
        &self,
        column: &TextColumn,
        group: usize,
        rows: Option<&[u32]>,
        read: &mut ReadRange,
    ) -> Result<Vec<Result<String, Problem>>, ParquetError> {
        let in_group = |message: String| ParquetError::RowGroup {
            file: self.name.clone(),
            row_group: group,
            message,
        };
        let chunks = self.read_chunks(group, Some(column.root), read)?;
        let mask = ProjectionMask::roots(self.metadata.parquet_schema(), [column.root]);
        let rest: Vec<&str> = column.rest.iter().map(String::as_str).collect();
        contain(|| -> Result<Vec<_>, String> {
            let reader =
                ParquetRecordBatchReaderBuilder::new_with_metadata(chunks, self.metadata.clone())
                    .with_row_groups(vec![group])
                    .with_projection(mask);
            let reader = match rows {
                Some(rows) => reader.with_row_selection(self.selection(group, rows)),
                None => reader,
            }
            .build()
            .map_err(|e| e.to_string())?;
            let mut texts = Vec::new();
            for batch in reader {
                let batch = batch.map_err(|e| e.to_string())?;
                let values = descend(batch.column(0), &rest)
                    .ok_or_else(|| format!("column \"{}\" changed type", column.field))?;
                texts.extend((0..values.len()).map(|row| text_at(&values, row, &column.field)));
            }
            Ok(texts)
        })
        .map_err(in_group)?
        .map_err(in_group)
    }

    /// Rows `rows` (0-based within row group `group`, ascending) with every column.
    pub fn group_rows_of(
        &self,
        group: usize,
        rows: &[u32],
        read: &mut ReadRange,
    ) -> Result<RecordBatch, ParquetError> {
        let in_group = |message: String| ParquetError::RowGroup {
            file: self.name.clone(),
            row_group: group,
            message,
        };
        let chunks = self.read_chunks(group, None, read)?;
        let selection = self.selection(group, rows);
        let schema = self.metadata.schema().clone();
        contain(|| -> Result<RecordBatch, String> {
            let reader =
                ParquetRecordBatchReaderBuilder::new_with_metadata(chunks, self.metadata.clone())
                    .with_row_groups(vec![group])
                    .with_row_selection(selection)
                    .build()
                    .map_err(|e| e.to_string())?;
            let batches = reader
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| e.to_string())?;
            let batch = arrow_select::concat::concat_batches(&schema, &batches)
                .map_err(|e| e.to_string())?;
            if batch.num_rows() != rows.len() {
                return Err(format!(
                    "{} rows read where {} were asked for",
                    batch.num_rows(),
                    rows.len()
                ));
            }
            Ok(batch)
        })
        .map_err(in_group)?
        .map_err(in_group)
    }

    /// Rows `rows` (0-based within row group `group`, ascending) as a selection.
    fn selection(&self, group: usize, rows: &[u32]) -> RowSelection {
        let span = self.group_rows(group);
        RowSelection::from_consecutive_ranges(
            rows.iter().map(|&r| r as usize..r as usize + 1),
            (span.end - span.start) as usize,
        )
    }

    /// Rows `indices` (0-based in the file, in this order; each at most once) with every
    /// column, as one batch: each row group they touch is read once.
    pub fn take_rows(
        &self,
        indices: &[u64],
        read: &mut ReadRange,
    ) -> Result<RecordBatch, ParquetError> {
        let mut by_row: Vec<usize> = (0..indices.len()).collect();
        by_row.sort_unstable_by_key(|&k| indices[k]);
        let mut batches = Vec::new();
        let mut first = 0;
        while first < by_row.len() {
            let group = row_group_of(&self.row_group_starts, indices[by_row[first]]);
            let span = self.group_rows(group);
            let mut last = first;
            let mut rows = Vec::new();
            while last < by_row.len() && indices[by_row[last]] < span.end {
                rows.push((indices[by_row[last]] - span.start) as u32);
                last += 1;
            }
            batches.push(self.group_rows_of(group, &rows, read)?);
            first = last;
        }
        // Row k of the output is row `place[k]` of the batches, in file order.
        let mut place = vec![0u32; indices.len()];
        for (sorted, &k) in by_row.iter().enumerate() {
            place[k] = sorted as u32;
        }
        let schema = self.metadata.schema().clone();
        let failed = |e: arrow_schema::ArrowError| unreadable(&self.name, e);
        let all = arrow_select::concat::concat_batches(&schema, &batches).map_err(failed)?;
        drop(batches);
        arrow_select::take::take_record_batch(&all, &UInt32Array::from(place)).map_err(failed)
    }

    /// Rows `rows` of several files, `(file, row)` with `row` 0-based in `files[file]`,
    /// in this order, as one batch with the schema of `files[0]` (the files' columns must
    /// be the same): each file's rows are taken with one [`ParquetFile::take_rows`],
    /// through `read(file)`, then put in order.
    pub fn take_rows_of_files<'r>(
        files: &[&ParquetFile],
        rows: &[(usize, u64)],
        mut read: impl FnMut(usize) -> Box<ReadRange<'r>>,
    ) -> Result<RecordBatch, ParquetError> {
        let mut batches = Vec::new();
        // Row k of `rows` is row place[k] of the batches, which follow file order.
        let mut place = vec![0u32; rows.len()];
        let mut taken = 0u32;
        for (f, file) in files.iter().enumerate() {
            let mine: Vec<usize> = (0..rows.len()).filter(|&k| rows[k].0 == f).collect();
            if mine.is_empty() {
                continue;
            }
            let indices: Vec<u64> = mine.iter().map(|&k| rows[k].1).collect();
            batches.push(file.take_rows(&indices, &mut *read(f))?);
            for &k in &mine {
                place[k] = taken;
                taken += 1;
            }
        }
        let first = files.first().expect("rows come from files");
        let failed = |e: arrow_schema::ArrowError| unreadable(&first.name, e);
        let all =
            arrow_select::concat::concat_batches(&first.schema(), &batches).map_err(failed)?;
        drop(batches);
        arrow_select::take::take_record_batch(&all, &UInt32Array::from(place)).map_err(failed)
    }

    /// Writes rows `rows` of several files, `(file, row)` in this order, to `out` as one
    /// Parquet file with the schema and codecs of `files[0]` (the files' columns must be
    /// the same), `window` rows at a time through [`ParquetFile::take_rows_of_files`]:
    /// what every shell writes a selection of Parquet rows with. A Parquet error comes
    /// back as an `io::Error` holding it.
    pub fn write_rows_of_files<'r>(
        files: &[&ParquetFile],
        rows: &[(usize, u64)],
        window: usize,
        mut read: impl FnMut(usize) -> Box<ReadRange<'r>>,
        out: &mut dyn std::io::Write,
    ) -> std::io::Result<()> {
        let first = files.first().expect("rows come from files");
        let mut writer = first.writer(Vec::new()).map_err(std::io::Error::other)?;
        for part in rows.chunks(window.max(1)) {
            let taken = ParquetFile::take_rows_of_files(files, part, &mut read)
                .map_err(std::io::Error::other)?;
            writer.write(&taken).map_err(std::io::Error::other)?;
            out.write_all(&std::mem::take(writer.out()))?;
        }
        out.write_all(&writer.finish().map_err(std::io::Error::other)?)
    }

    /// About how many rows make `bytes` bytes once decoded (at least one).
    pub fn rows_for_bytes(&self, bytes: u64) -> usize {
        let decoded: i64 = self
            .metadata
            .metadata()
            .row_groups()
            .iter()
            .map(|g| g.total_byte_size().max(0))
            .sum();
        let per_row = (decoded.max(1) as u64 / self.rows.max(1)).max(1);
        (bytes / per_row).max(1) as usize
    }

    /// A writer of rows of this file to `out`: the same schema, each column with the
    /// codec it has in the file, row groups of the file's first row group's size.
    pub fn writer<W: std::io::Write + Send>(&self, out: W) -> Result<RowWriter<W>, ParquetError> {
        let mut properties = WriterProperties::builder();
        if let Some(first) = self.metadata.metadata().row_groups().first() {
            let rows = usize::try_from(first.num_rows()).unwrap_or(0).max(1);
            properties = properties.set_max_row_group_row_count(Some(rows));
            for column in first.columns() {
                properties = properties
                    .set_column_compression(column.column_path().clone(), column.compression());
            }
        }
        let writer = ArrowWriter::try_new(
            out,
            self.metadata.schema().clone(),
            Some(properties.build()),
        )
        .map_err(|e| self.write_error(e))?;
        Ok(RowWriter {
            name: self.name.clone(),
            writer,
        })
    }

    fn write_error(&self, error: impl std::fmt::Display) -> ParquetError {
        ParquetError::Write {
            file: self.name.clone(),
            message: error.to_string(),
        }
    }

    /// Reads the chunks of row group `group` (of top-level column `root`, or of every
    /// column), merging chunks that lie close together into one read.
    fn read_chunks(
        &self,
        group: usize,
        root: Option<usize>,
        read: &mut ReadRange,
    ) -> Result<Chunks, ParquetError> {
        let in_group = |message: String| ParquetError::RowGroup {
            file: self.name.clone(),
            row_group: group,
            message,
        };
        let schema = self.metadata.parquet_schema();
        let row_group = self.metadata.metadata().row_group(group);
        let mut ranges: Vec<(u64, u64)> = Vec::new();
        for leaf in 0..schema.num_columns() {
            if root.is_some_and(|root| schema.get_column_root_idx(leaf) != root) {
                continue;
            }
            let column = row_group.column(leaf);
            let start = column
                .dictionary_page_offset()
                .unwrap_or(column.data_page_offset());
            let (Ok(start), Ok(len)) = (
                u64::try_from(start),
                u64::try_from(column.compressed_size()),
            ) else {
                return Err(in_group(format!(
                    "column chunk {leaf} has a negative offset or size"
                )));
            };
            ranges.push((start, start + len));
        }
        ranges.sort_unstable();
        let mut merged: Vec<(u64, u64)> = Vec::new();
        for (start, end) in ranges {
            match merged.last_mut() {
                Some(last) if start <= last.1 + MERGE_GAP => last.1 = last.1.max(end),
                _ => merged.push((start, end)),
            }
        }
        let mut parts = Vec::new();
        for (start, end) in merged {
            let bytes = read(start, end).map_err(&in_group)?;
            if bytes.len() as u64 != end - start {
                return Err(in_group(format!(
                    "bytes {start}..{end} are past the end of the file"
                )));
            }
            parts.push((start, bytes));
        }
        Ok(Chunks { parts })
    }
}

/// A reader of `bytes`, a whole file in memory, by range.
pub fn slice_of(bytes: &Bytes) -> impl FnMut(u64, u64) -> Result<Bytes, String> + '_ {
    move |start, end| {
        if start > end || end > bytes.len() as u64 {
            return Err(format!(
                "bytes {start}..{end} are past the end of the file ({} bytes)",
                bytes.len()
            ));
        }
        Ok(bytes.slice(start as usize..end as usize))
    }
}

/// Writes rows of a [`ParquetFile`] as a Parquet file.
pub struct RowWriter<W: std::io::Write + Send> {
    name: String,
    writer: ArrowWriter<W>,
}

impl<W: std::io::Write + Send> RowWriter<W> {
    /// Adds `rows` (a batch of the file's schema, from [`ParquetFile::take_rows`]).
    pub fn write(&mut self, rows: &RecordBatch) -> Result<(), ParquetError> {
        self.writer.write(rows).map_err(|e| self.error(e))
    }

    /// What has been written out so far (the rows of the current row group are held
    /// until it is complete).
    pub fn out(&mut self) -> &mut W {
        self.writer.inner_mut()
    }

    /// Writes the footer; returns `out`.
    pub fn finish(self) -> Result<W, ParquetError> {
        let name = self.name;
        self.writer.into_inner().map_err(|e| ParquetError::Write {
            file: name,
            message: e.to_string(),
        })
    }

    fn error(&self, error: impl std::fmt::Display) -> ParquetError {
        ParquetError::Write {
            file: self.name.clone(),
            message: error.to_string(),
        }
    }
}

/// The byte ranges of a file that a read needs, as arrow-rs reads a file.
struct Chunks {
    parts: Vec<(u64, Bytes)>,
}

impl Chunks {
    fn part(&self, start: u64, length: u64) -> parquet::errors::Result<Bytes> {
        for (at, bytes) in &self.parts {
            if start >= *at && start + length <= at + bytes.len() as u64 {
                let from = (start - at) as usize;
                return Ok(bytes.slice(from..from + length as usize));
            }
        }
        Err(parquet::errors::ParquetError::EOF(format!(
            "bytes {start}..{} lie outside the row group's column chunks",
            start + length
        )))
    }
}

impl Length for Chunks {
    fn len(&self) -> u64 {
        self.parts
            .iter()
            .map(|(at, bytes)| at + bytes.len() as u64)
            .max()
            .unwrap_or(0)
    }
}

impl ChunkReader for Chunks {
    type T = bytes::buf::Reader<Bytes>;

    fn get_read(&self, start: u64) -> parquet::errors::Result<Self::T> {
        use bytes::Buf;
        let (at, bytes) = self
            .parts
            .iter()
            .find(|(at, bytes)| start >= *at && start <= at + bytes.len() as u64)
            .ok_or_else(|| {
                parquet::errors::ParquetError::EOF(format!(
                    "byte {start} lies outside the row group's column chunks"
                ))
            })?;
        Ok(bytes.slice((start - at) as usize..).reader())
    }

    fn get_bytes(&self, start: u64, length: usize) -> parquet::errors::Result<Bytes> {
        self.part(start, length as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use arrow_array::{Array, BinaryArray, StringArray};
    use arrow_schema::{DataType, Field, Schema};

    /// A file of three row groups of 100 rows: `text` ("row N"), and `pad`, 1 KB a row.
    fn three_groups() -> Bytes {
        let schema = Arc::new(Schema::new(vec![
            Field::new("text", DataType::Utf8, false),
            Field::new("pad", DataType::Binary, false),
        ]));
        let properties = WriterProperties::builder()
            .set_max_row_group_row_count(Some(100))
            .build();
        let mut writer =
            ArrowWriter::try_new(Vec::new(), schema.clone(), Some(properties)).unwrap();
        let texts: Vec<String> = (0..300).map(|i| format!("row {i}")).collect();
        // Bytes that do not compress away (the file is written without compression).
        let pads: Vec<Vec<u8>> = (0..300u32)
            .map(|i| {
                (0..1000u32)
                    .map(|j| (i * 7919 + j * 104729) as u8)
                    .collect()
            })
            .collect();
        let batch = RecordBatch::try_new(
            schema,
            vec![
                Arc::new(StringArray::from(texts)),
                Arc::new(BinaryArray::from_iter_values(pads)),
            ],
        )
        .unwrap();
        writer.write(&batch).unwrap();
        Bytes::from(writer.into_inner().unwrap())
    }

    #[test]
    fn a_row_group_text_read_reads_the_footer_and_that_column_only() {
        let bytes = three_groups();
        let mut read_bytes = 0u64;
        let mut counting = |start: u64, end: u64| {
            read_bytes += end - start;
            slice_of(&bytes)(start, end)
        };
        let file = ParquetFile::open("three.parquet", bytes.len() as u64, &mut counting).unwrap();
        assert_eq!(file.row_group_starts(), &[0, 100, 200]);
        assert_eq!(file.text_columns(), vec!["text", "pad"]);
        // The footer: one read of the file's last 64 KB.
        assert_eq!(read_bytes, TAIL);
        read_bytes = 0;
        let column = file.text_column(&FieldPath::new("text")).unwrap();
        let mut counting = |start: u64, end: u64| {
            read_bytes += end - start;
            slice_of(&bytes)(start, end)
        };
        let texts = file.texts(&column, 1, &mut counting).unwrap();
        assert_eq!(texts.len(), 100);
        assert_eq!(texts[0].as_deref(), Ok("row 100"));
        // One small column chunk: far less than the row group's 100 KB of `pad`.
        assert!(
            read_bytes < 2_000,
            "read {read_bytes} of {} bytes",
            bytes.len()
        );
    }

    #[test]
    fn rows_are_taken_across_row_groups_in_the_order_asked() {
        let bytes = three_groups();
        let file = ParquetFile::from_bytes("three.parquet", &bytes).unwrap();
        let asked = [250u64, 3, 199, 100, 0, 299];
        let rows = file.take_rows(&asked, &mut slice_of(&bytes)).unwrap();
        let texts = rows
            .column(0)
            .as_any()
            .downcast_ref::<StringArray>()
            .unwrap();
        let got: Vec<&str> = (0..texts.len()).map(|i| texts.value(i)).collect();
        assert_eq!(
            got,
            ["row 250", "row 3", "row 199", "row 100", "row 0", "row 299"]
        );
        assert_eq!(rows.num_columns(), 2);
    }

    #[test]
    fn a_short_or_lying_footer_is_an_error() {
        let bytes = three_groups();
        let short = bytes.slice(bytes.len() - 6..);
        assert!(ParquetFile::from_bytes("x.parquet", &short)
            .unwrap_err()
            .to_string()
            .contains("too short"));
        // The last 8 bytes say the metadata is 4 GB long.
        let mut lying = bytes.to_vec();
        let at = lying.len() - 8;
        lying[at..at + 4].copy_from_slice(&u32::MAX.to_le_bytes());
        let error = ParquetFile::from_bytes("x.parquet", &Bytes::from(lying)).unwrap_err();
        assert!(
            error.to_string().contains("more than the file holds"),
            "{error}"
        );
        let missing = ParquetFile::from_bytes("x.parquet", &bytes)
            .unwrap()
            .text_column(&FieldPath::new("body"))
            .unwrap_err();
        assert_eq!(
            missing.to_string(),
            "x.parquet: no column \"body\" (text columns: text, pad)"
        );
    }
}
