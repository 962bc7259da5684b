//! A Parquet file read as a [`Corpus`]: its rows are the records (with the `parquet`
//! feature). `data` holds the rows' texts one after the other, a record's `line` is its
//! 1-based row number, and the file itself is kept for writing rows back.

use super::{Corpus, Issue, OnError, ReadError, ReadOptions, Record};

/// A Parquet file read as a corpus.
#[derive(Debug, Clone)]
pub(super) struct ParquetBody {
    pub(super) file: bytes::Bytes,
    pub(super) row_group_starts: Vec<u64>,
}

impl Corpus {
    /// Reads the rows of a Parquet file with `options`: each row's text becomes a record,
    /// a row without one a bad record.
    pub(super) fn read_rows(&mut self, options: &ReadOptions) -> Result<(), ReadError> {
        let body = self
            .parquet
            .as_mut()
            .expect("read_rows reads a Parquet corpus");
        let skip = options.on_error == OnError::Skip;
        let read =
            crate::parquet::read_texts_with(&self.name, body.file.clone(), &options.field, skip)
                .map_err(|e| ReadError::Parquet(e.to_string()))?;
        body.row_group_starts = read.row_group_starts;
        let mut data = Vec::new();
        for (row, text) in read.texts.into_iter().enumerate() {
            let line = row + 1;
            match text {
                Ok(text) => {
                    let start = data.len();
                    data.extend_from_slice(text.as_bytes());
                    let tokens = options.tokens.estimate(&text);
                    self.records.push(Record {
                        start,
                        end: data.len(),
                        line: line as u32,
                        tokens: tokens.min(u32::MAX as u64) as u32,
                    });
                }
                Err(problem) => match options.on_error {
                    OnError::Stop => {
                        self.records.clear();
                        self.issues.clear();
                        return Err(ReadError::Row {
                            file: self.name.clone(),
                            row: line,
                            row_group: crate::parquet::row_group_of(
                                &body.row_group_starts,
                                row as u64,
                            ),
                            problem,
                        });
                    }
                    OnError::Skip => self.issues.push(Issue {
                        line,
                        start: data.len(),
                        end: data.len(),
                        problem,
                    }),
                },
            }
        }
        self.data = data;
        Ok(())
    }
}
