//! A source's Parquet files: each read by range from its `Blob` (the footer, then one
//! row group's text column at a time), keeping per record what a JSONL source keeps,
//! its token estimate, and for the rows that are not records, their row numbers.

use web_sys::Blob;
use zipfit_core::jsonl::{FieldPath, OnError, Problem, ReadError};
use zipfit_core::parquet::ParquetFile;

use super::super::parquet::{reader, ParquetSource};
use super::super::parts::Kind;
use super::{default_column, one_line, Skipped, Source, PREVIEW_CHARS};
use crate::protocol::IssueView;

impl Source {
    /// Starts reading the next file, the Parquet file `blob`: its footer, and the text
    /// column. The first file's columns give the field (`field` "" picks `text` if it
    /// has one, else its first text column); the files after it must have the same
    /// columns. Returns the file's row groups (0 when it cannot be read).
    pub fn begin_parquet(&mut self, name: &str, blob: Blob) -> usize {
        self.begin_file(name, Kind::Parquet);
        if self.error.is_some() {
            return 0;
        }
        let size = blob.size() as u64;
        let file = match ParquetFile::open(name, size, &mut reader(&blob)) {
            Ok(file) => file,
            Err(error) => {
                self.error = Some(ReadError::Parquet(error.to_string()));
                return 0;
            }
        };
        let first = &self.parts.list[0];
        if let Some(parquet) = &first.parquet {
            if *parquet.file.schema() != *file.schema() {
                self.error = Some(ReadError::Parquet(format!(
                    "{} and {name} have different columns: a source's Parquet files must have \
                     the same columns, so that its rows can be downloaded as one file",
                    first.name
                )));
                return 0;
            }
        } else {
            let rows = file.rows() as usize;
            self.fields = file.text_columns().into_iter().map(|c| (c, rows)).collect();
            let field = match self.asked_field() {
                "" => default_column(&self.fields),
                field => field.to_string(),
            };
            self.options.field = FieldPath::new(&field);
        }
        let groups = file.row_groups();
        let column = file.text_column(&self.options.field);
        let part = self.parts.current().expect("begun above");
        part.size = size;
        part.lines = file.rows();
        part.blob = Some(blob);
        match column {
            Ok(column) => part.parquet = Some(ParquetSource::new(file, column)),
            Err(error) => {
                self.error = Some(ReadError::Parquet(error.to_string()));
                return 0;
            }
        }
        groups
    }

    /// Row groups of a Parquet source, over its files.
    pub fn row_groups(&self) -> Option<usize> {
        self.is_parquet().then(|| {
            (self.parts.list.iter())
                .filter_map(|p| p.parquet.as_ref())
                .map(|p| p.file.row_groups())
                .sum()
        })
    }

    /// Source-wide 0-based rows of records `indices`, in that order.
    pub fn rows_of(&self, indices: &[u32]) -> Vec<u64> {
        indices.iter().map(|&i| self.line(i as usize) - 1).collect()
    }

    /// File `f`'s reader and `Blob`.
    pub fn parquet_part(&self, f: usize) -> Result<(&ParquetSource, &Blob), String> {
        let part = &self.parts.list[f];
        match (&part.parquet, &part.blob) {
            (Some(parquet), Some(blob)) => Ok((parquet, blob)),
            _ => Err(format!("{}: not a Parquet file", part.name)),
        }
    }

    /// The texts of source-wide rows `rows` (0-based, any order), in that order: each
    /// row group they touch is read once.
    pub fn parquet_texts(&self, rows: &[u64]) -> Result<Vec<String>, String> {
        let mut texts = vec![String::new(); rows.len()];
        let mut by_file: Vec<Vec<usize>> = vec![Vec::new(); self.parts.list.len()];
        for (k, &row) in rows.iter().enumerate() {
            by_file[self.parts.of_line(row + 1)].push(k);
        }
        for (f, wanted) in by_file.iter().enumerate() {
            if wanted.is_empty() {
                continue;
            }
            let (parquet, blob) = self.parquet_part(f)?;
            let before = self.parts.list[f].lines_before;
            let local: Vec<u64> = wanted.iter().map(|&k| rows[k] - before).collect();
            for (&k, text) in wanted.iter().zip(parquet.texts_of_rows(blob, &local)?) {
                texts[k] = text;
            }
        }
        Ok(texts)
    }

    /// The text of source-wide row `row` (0-based), for reads in order: each file keeps
    /// the row group it decoded last, until a read reaches the next file.
    pub fn parquet_text_in_order(&self, row: u64) -> Result<String, String> {
        let f = self.parts.of_line(row + 1);
        let before = self.parts.list[f].lines_before;
        if row == before {
            for part in &self.parts.list {
                if let Some(parquet) = &part.parquet {
                    parquet.forget();
                }
            }
        }
        let (parquet, blob) = self.parquet_part(f)?;
        parquet.text_in_order(blob, row - before)
    }

    /// Reads row group `group` of the Parquet file being read. False once a bad row
    /// stopped the read.
    pub fn scan_group(&mut self, group: usize) -> bool {
        if self.error.is_some() {
            return false;
        }
        let Some(part) = self.parts.list.last() else {
            return false;
        };
        let (Some(parquet), Some(blob)) = (part.parquet.as_ref(), part.blob.as_ref()) else {
            return false;
        };
        let (name, before) = (part.name.clone(), part.lines_before);
        let start = parquet.file.group_rows(group).start;
        let skip = self.options.on_error == OnError::Skip;
        let read =
            (parquet.file).texts_or_unreadable(&parquet.column, group, &mut reader(blob), skip);
        let texts = match read {
            Ok(texts) => texts,
            // Named by its first row, so that the page offers to skip its rows.
            Err(error) => {
                self.error = Some(ReadError::Row {
                    file: name,
                    row: start as usize + 1,
                    row_group: group,
                    problem: Problem::Unreadable(error.to_string()),
                });
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
                    self.gaps.push((before + line as u64) as u32);
                    self.skipped.push(Skipped {
                        unreadable: matches!(problem, Problem::Unreadable(_)),
                        view: IssueView {
                            file: name.clone(),
                            line,
                            problem: problem.to_string(),
                        },
                        line: before + line as u64,
                        bytes: Vec::new(),
                    });
                }
                Err(problem) => {
                    self.error = Some(ReadError::Row {
                        file: name,
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

impl Source {
    /// Every file's reader and `Blob`, in order (for a download of rows).
    pub fn parquet_files(&self) -> Result<Vec<(&ParquetSource, &Blob)>, String> {
        (0..self.parts.list.len())
            .map(|f| self.parquet_part(f))
            .collect()
    }

    /// The file source-wide row `row` (0-based) is in, and its row there.
    pub fn locate_row(&self, row: u64) -> (usize, u64) {
        let f = self.parts.of_line(row + 1);
        (f, row - self.parts.list[f].lines_before)
    }
}
