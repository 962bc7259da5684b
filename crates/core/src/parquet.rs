//! Parquet input: one text column of a Parquet file, by the rules JSONL has.
//!
//! The text field is found as in JSONL ([`FieldPath`]): a column whose name is the whole
//! path, else a dotted path into struct columns (`meta.body`); the value is a string
//! (`string`, `large_string`, `string_view`, or UTF-8 `binary`), or a list of
//! `{role, content}` structs whose contents are joined with newlines (chat). A record's
//! index is its row number; where JSONL names `file:line`, Parquet names the file, the
//! row (1-based, like a line) and its row group.
//!
//! Only the column holding the field is decoded (a projection on its top-level column),
//! row group by row group. Every codec writers use is read: none, snappy, gzip, zstd,
//! brotli, lz4 and lz4_raw, with dictionary and plain encodings, data pages v1 and v2.

use std::fmt;

use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, StructArray};
use arrow_schema::{DataType, Field};
use bytes::Bytes;

use crate::field::{FieldPath, Problem};

mod file;
mod guard;

pub use file::{slice_of, ParquetFile, ReadRange, RowWriter, TextColumn};

/// The magic bytes a Parquet file starts and ends with.
const MAGIC: &[u8; 4] = b"PAR1";

/// True when `bytes` (a file's first bytes, or all of them) start like a Parquet file.
pub fn is_parquet(bytes: &[u8]) -> bool {
    bytes.starts_with(MAGIC)
}

/// Why a Parquet file cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum ParquetError {
    /// Not Parquet, truncated, or corrupt.
    #[error("{file}: not a readable Parquet file: {message}")]
    Unreadable {
        /// File name as given.
        file: String,
        /// What the reader found.
        message: String,
    },
    /// The text field is not a column of the file (or not a path into one).
    #[error("{file}: no column \"{field}\" (text columns: {columns})")]
    MissingColumn {
        /// File name as given.
        file: String,
        /// The field asked for.
        field: String,
        /// The columns that hold text, as paths.
        columns: String,
    },
    /// The rows could not be written.
    #[error("writing rows of {file} as Parquet: {message}")]
    Write {
        /// The source file's name.
        file: String,
        /// What the writer found.
        message: String,
    },
    /// A page could not be decoded.
    #[error("{file}: row group {row_group}: {message}")]
    RowGroup {
        /// File name as given.
        file: String,
        /// 0-based row group.
        row_group: usize,
        /// What the reader found.
        message: String,
    },
}

/// Where a record is in its file: its row (0-based) and row group.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowPlace {
    /// 0-based row in the file.
    pub row: u64,
    /// 0-based row group.
    pub row_group: usize,
}

impl fmt::Display for RowPlace {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "row {} (row group {})", self.row + 1, self.row_group)
    }
}

/// One column of a Parquet file as texts: each row's text, or why it has none.
#[derive(Debug)]
pub struct ParquetTexts {
    /// Per row, in file order.
    pub texts: Vec<Result<String, Problem>>,
    /// The first row of each row group, ascending.
    pub row_group_starts: Vec<u64>,
}

impl ParquetTexts {
    /// Where row `row` (0-based) is.
    pub fn place(&self, row: u64) -> RowPlace {
        RowPlace {
            row,
            row_group: row_group_of(&self.row_group_starts, row),
        }
    }
}

/// The row group holding row `row` (0-based), given where each group starts.
pub fn row_group_of(starts: &[u64], row: u64) -> usize {
    starts
        .partition_point(|&start| start <= row)
        .saturating_sub(1)
}

pub(crate) fn unreadable(file: &str, error: impl fmt::Display) -> ParquetError {
    ParquetError::Unreadable {
        file: file.to_string(),
        message: error.to_string(),
    }
}

/// The columns of `bytes` (a whole Parquet file) that hold text, as the paths the text
/// field takes (`text`, `meta.body`, `messages` for a chat list).
pub fn text_columns(name: &str, bytes: Bytes) -> Result<Vec<String>, ParquetError> {
    Ok(ParquetFile::from_bytes(name, &bytes)?.text_columns())
}

/// Adds the paths under `field` (at `prefix`) that hold text.
pub(crate) fn text_paths(field: &Field, prefix: String, paths: &mut Vec<String>) {
    let path = if prefix.is_empty() {
        field.name().clone()
    } else {
        format!("{prefix}.{}", field.name())
    };
    match field.data_type() {
        DataType::Struct(children) => {
            for child in children {
                text_paths(child, path.clone(), paths);
            }
        }
        data_type if is_text(data_type) || is_chat(data_type) => paths.push(path),
        _ => {}
    }
}

fn is_text(data_type: &DataType) -> bool {
    matches!(
        data_type,
        DataType::Utf8
            | DataType::LargeUtf8
            | DataType::Utf8View
            | DataType::Binary
            | DataType::LargeBinary
            | DataType::BinaryView
    )
}

/// A list of structs with a text `content` field: chat messages.
fn is_chat(data_type: &DataType) -> bool {
    let item = match data_type {
        DataType::List(item) | DataType::LargeList(item) | DataType::ListView(item) => item,
        _ => return false,
    };
    match item.data_type() {
        DataType::Struct(fields) => fields
            .iter()
            .any(|f| f.name() == "content" && is_text(f.data_type())),
        _ => false,
    }
}

/// Reads the texts of `field` from `bytes`, the whole Parquet file `name`.
pub fn read_texts(
    name: &str,
    bytes: Bytes,
    field: &FieldPath,
) -> Result<ParquetTexts, ParquetError> {
    read_texts_with(name, bytes, field, false)
}

/// [`read_texts`]; with `skip_unreadable`, a row group that cannot be decoded gives
/// each of its rows as [`Problem::Unreadable`] instead of failing the read.
pub fn read_texts_with(
    name: &str,
    bytes: Bytes,
    field: &FieldPath,
    skip_unreadable: bool,
) -> Result<ParquetTexts, ParquetError> {
    let file = ParquetFile::from_bytes(name, &bytes)?;
    let column = file.text_column(field)?;
    // Not sized by the footer's row count: a corrupt footer may claim any number.
    let mut texts = Vec::new();
    for group in 0..file.row_groups() {
        let read = &mut slice_of(&bytes);
        texts.extend(file.texts_or_unreadable(&column, group, read, skip_unreadable)?);
    }
    Ok(ParquetTexts {
        texts,
        row_group_starts: file.row_group_starts().to_vec(),
    })
}

/// The array at `path` below `column`, through struct columns. A row whose struct is
/// null is null in the child (its null buffer is combined with the parents').
pub(crate) fn descend(column: &ArrayRef, path: &[&str]) -> Option<ArrayRef> {
    let mut array = column.clone();
    for segment in path {
        let parent: &StructArray = array.as_struct_opt()?;
        let child = parent.column_by_name(segment)?.clone();
        array = match parent.nulls() {
            Some(nulls) => with_parent_nulls(child, nulls),
            None => child,
        };
    }
    Some(array)
}

fn with_parent_nulls(child: ArrayRef, parent: &arrow_buffer::NullBuffer) -> ArrayRef {
    let nulls = arrow_buffer::NullBuffer::union(Some(parent), child.nulls());
    let data = child.to_data().into_builder().nulls(nulls);
    // The child's own data with more nulls is still valid data of its type.
    arrow_array::make_array(data.build().expect("a subset of valid rows stays valid"))
}

/// What JSONL calls a value's kind, for a column's type.
fn kind_of(data_type: &DataType) -> String {
    match data_type {
        DataType::Null => "null".to_string(),
        DataType::Boolean => "a boolean".to_string(),
        DataType::Struct(_) => "an object".to_string(),
        DataType::List(_) | DataType::LargeList(_) | DataType::ListView(_) => {
            "a list without string \"content\"".to_string()
        }
        t if t.is_numeric() => "a number".to_string(),
        other => format!("{other}"),
    }
}

/// Row `row`'s text in `column` (the field `field`).
pub(crate) fn text_at(column: &ArrayRef, row: usize, field: &str) -> Result<String, Problem> {
    let not_text = |what: String| Problem::NotText(field.to_string(), what);
    if column.is_null(row) {
        return Err(not_text("null".to_string()));
    }
    let data_type = column.data_type();
    if is_text(data_type) {
        return string_at(column, row).map_err(Problem::InvalidUtf8);
    }
    let messages = match data_type {
        DataType::List(_) if is_chat(data_type) => column.as_list::<i32>().value(row),
        DataType::LargeList(_) if is_chat(data_type) => column.as_list::<i64>().value(row),
        other => return Err(not_text(kind_of(other))),
    };
    if messages.is_empty() {
        return Err(not_text("an empty array".to_string()));
    }
    let messages = messages.as_struct();
    let content = messages
        .column_by_name("content")
        .expect("is_chat checked the content field");
    let mut joined = String::new();
    for i in 0..messages.len() {
        if messages.is_null(i) || content.is_null(i) {
            return Err(not_text(format!("message {i} has no string \"content\"")));
        }
        if i > 0 {
            joined.push('\n');
        }
        joined.push_str(&string_at(content, i).map_err(Problem::InvalidUtf8)?);
    }
    Ok(joined)
}

/// Row `row` of a text column (not null); `Err` holds where UTF-8 fails in a binary one.
fn string_at(column: &ArrayRef, row: usize) -> Result<String, usize> {
    let bytes: &[u8] = match column.data_type() {
        DataType::Utf8 => return Ok(column.as_string::<i32>().value(row).to_string()),
        DataType::LargeUtf8 => return Ok(column.as_string::<i64>().value(row).to_string()),
        DataType::Utf8View => return Ok(column.as_string_view().value(row).to_string()),
        DataType::Binary => column.as_binary::<i32>().value(row),
        DataType::LargeBinary => column.as_binary::<i64>().value(row),
        DataType::BinaryView => column.as_binary_view().value(row),
        _ => unreachable!("is_text checked the type"),
    };
    String::from_utf8(bytes.to_vec()).map_err(|e| e.utf8_error().valid_up_to())
}

/// Decoded bytes of rows [`write_rows`] holds at a time.
const WRITE_WINDOW: u64 = 64 << 20;

/// Writes rows `indices` (0-based, in this order) of `bytes`, the whole Parquet file
/// `name`, to `out` as a Parquet file with the same schema (see [`ParquetFile::writer`]).
/// The rows are the source's, unchanged: what `-o` writes for a Parquet source. They
/// are read a window of about 64 MB at a time, each window's row groups once.
pub fn write_rows<W: std::io::Write + Send>(
    name: &str,
    bytes: Bytes,
    indices: &[u32],
    out: W,
) -> Result<(), ParquetError> {
    let file = ParquetFile::from_bytes(name, &bytes)?;
    let mut writer = file.writer(out)?;
    let window = file.rows_for_bytes(WRITE_WINDOW);
    for part in indices.chunks(window) {
        let rows: Vec<u64> = part.iter().map(|&i| u64::from(i)).collect();
        writer.write(&file.take_rows(&rows, &mut slice_of(&bytes))?)?;
    }
    writer.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn places_name_the_row_and_its_group() {
        let texts = ParquetTexts {
            texts: Vec::new(),
            row_group_starts: vec![0, 10, 25],
        };
        assert_eq!(texts.place(0).row_group, 0);
        assert_eq!(texts.place(9).row_group, 0);
        assert_eq!(texts.place(10).row_group, 1);
        assert_eq!(texts.place(40).to_string(), "row 41 (row group 2)");
    }

    #[test]
    fn not_parquet_is_a_clear_error() {
        let error = read_texts(
            "x.parquet",
            Bytes::from_static(b"{\"text\":1}\n"),
            &FieldPath::new("text"),
        )
        .unwrap_err();
        assert!(
            error
                .to_string()
                .starts_with("x.parquet: not a readable Parquet file"),
            "{error}"
        );
        assert!(!is_parquet(b"{\"text\""));
        assert!(is_parquet(b"PAR1...."));
    }

    #[test]
    fn a_page_the_decoder_panics_on_is_an_error_naming_the_row_group() {
        // Found by fuzzing: bit-packed definition levels longer than their page make
        // arrow-rs 60.1.0 assert inside the decoder.
        let mut file = MAGIC.to_vec();
        file.extend_from_slice(include_bytes!(
            "../fuzz/regressions/parquet/crash-00c0b695ea5863fb527be9a640d46160664c67a9"
        ));
        let file = Bytes::from(file);
        let error = read_texts("bad.parquet", file.clone(), &FieldPath::new("text")).unwrap_err();
        assert_eq!(
            error.to_string(),
            "bad.parquet: row group 0: corrupt data (offset + len out of bounds)"
        );
        // The same file through every entry point: an error, never a panic.
        assert!(write_rows("bad.parquet", file, &[0], Vec::new()).is_err());
    }
}
