//! The target set: one or more small files, each read whole, re-read with another field
//! or error policy. A target's index runs across the files in input order.

use zipfit_core::jsonl::{field_candidates, Corpus, ReadError};

use super::source::{default_column, default_field, read_options};
use super::summary;
use crate::protocol::FileSummary;

/// The target files as read.
pub struct Target {
    /// What the page calls the target set: its one file's name, or a name for its files.
    name: String,
    /// Each file, in input order.
    corpora: Vec<Corpus>,
    /// Why they cannot be used as they are (a bad line, with bad lines not skipped).
    error: Option<ReadError>,
    /// The first file's text fields, with how many of its first records have them.
    fields: Vec<(String, usize)>,
}

impl Target {
    /// Reads `files`, each `(name, bytes)`; fails when one cannot be read at all (bad
    /// gzip, not Parquet).
    pub fn open(name: &str, files: Vec<(String, Vec<u8>)>) -> Result<Target, ReadError> {
        let corpora = files
            .into_iter()
            .map(|(name, bytes)| Corpus::open(&name, bytes))
            .collect::<Result<Vec<_>, _>>()?;
        let first = corpora.first().ok_or_else(|| ReadError::Empty {
            file: name.to_string(),
        })?;
        let fields = match first.parquet_file() {
            // A Parquet file's text columns, each in every row.
            Some(file) => zipfit_core::parquet::text_columns(first.name(), file.clone())
                .map_err(|e| ReadError::Parquet(e.to_string()))?
                .into_iter()
                .map(|column| (column, first.len()))
                .collect(),
            None => field_candidates(first.bytes(), 50),
        };
        Ok(Target {
            name: name.to_string(),
            corpora,
            error: None,
            fields,
        })
    }

    /// Reads the records again by `field` ("" picks `text` if present, else the most
    /// common text field); returns the summary.
    pub fn read(&mut self, field: &str, skip_bad: bool) -> FileSummary {
        let field = match field {
            "" if self.corpora[0].is_parquet() => default_column(&self.fields),
            "" => default_field(&self.fields),
            field => field.to_string(),
        };
        let options = read_options(&field, skip_bad);
        self.error = None;
        for corpus in &mut self.corpora {
            if let Err(error) = corpus.reindex(&options) {
                self.error.get_or_insert(error);
            }
        }
        if self.error.is_none() && self.len() == 0 {
            self.error = Some(ReadError::Empty {
                file: self.name.clone(),
            });
        }
        summary::target(&self.name, &self.corpora, &self.fields, self.error.as_ref())
    }

    /// Targets over every file.
    pub fn len(&self) -> usize {
        self.corpora.iter().map(Corpus::len).sum()
    }

    /// The targets' texts, in order, when the files are usable as read.
    pub fn texts(&self) -> Result<Vec<String>, String> {
        if let Some(error) = &self.error {
            return Err(error.to_string());
        }
        let mut texts = Vec::with_capacity(self.len());
        for corpus in &self.corpora {
            texts.extend(corpus.texts().map_err(|e| e.to_string())?);
        }
        Ok(texts)
    }

    /// Where target `j` is: its file (named when there are several) and its 1-based
    /// line, or row, there.
    pub fn place(&self, mut j: usize) -> (Option<&str>, usize) {
        let many = self.corpora.len() > 1;
        for corpus in &self.corpora {
            if j < corpus.len() {
                return (
                    many.then(|| corpus.name()),
                    corpus.records()[j].line as usize,
                );
            }
            j -= corpus.len();
        }
        (None, 0)
    }

    /// The files, when usable as read.
    pub fn usable(&self) -> Result<&Target, &ReadError> {
        match &self.error {
            None => Ok(self),
            Some(error) => Err(error),
        }
    }
}
