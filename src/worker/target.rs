//! The target file: small, read whole, re-read with another field or error policy.

use zipfit_core::jsonl::{field_candidates, Corpus, ReadError};

use super::source::{default_column, default_field, read_options};
use super::summary;
use crate::protocol::FileSummary;

/// The target file as read.
pub struct Target {
    corpus: Corpus,
    /// Why it cannot be used as it is (a bad line, with bad lines not skipped).
    error: Option<ReadError>,
    /// Its text fields, with how many of the first records have them.
    fields: Vec<(String, usize)>,
}

impl Target {
    /// Reads `bytes`, the file `name`; fails when it cannot be read at all (bad gzip).
    pub fn open(name: &str, bytes: Vec<u8>) -> Result<Target, ReadError> {
        let corpus = Corpus::open(name, bytes)?;
        let fields = match corpus.parquet_file() {
            // A Parquet file's text columns, each in every row.
            Some(file) => zipfit_core::parquet::text_columns(name, file.clone())
                .map_err(|e| ReadError::Parquet(e.to_string()))?
                .into_iter()
                .map(|column| (column, corpus.len()))
                .collect(),
            None => field_candidates(corpus.bytes(), 50),
        };
        Ok(Target {
            corpus,
            error: None,
            fields,
        })
    }

    /// Reads the records again by `field` ("" picks `text` if present, else the most
    /// common text field); returns the summary.
    pub fn read(&mut self, field: &str, skip_bad: bool) -> FileSummary {
        let field = match field {
            "" if self.corpus.is_parquet() => default_column(&self.fields),
            "" => default_field(&self.fields),
            field => field.to_string(),
        };
        self.error = self.corpus.reindex(&read_options(&field, skip_bad)).err();
        summary::target(&self.corpus, &self.fields, self.error.as_ref())
    }

    /// The records, when the file is usable as read.
    pub fn usable(&self) -> Result<&Corpus, &ReadError> {
        match &self.error {
            None => Ok(&self.corpus),
            Some(error) => Err(error),
        }
    }
}
