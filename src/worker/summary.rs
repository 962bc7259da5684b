//! What reading a file reports to the page: a [`FileSummary`].

use zipfit_core::jsonl::{Corpus, ReadError};

use super::source::{one_line, short_keys, Source, PREVIEW_CHARS, SHOWN_ISSUES};
use crate::protocol::{FileSummary, IssueView, Role};

/// The line an error concerns, if it concerns one.
fn error_line(error: &ReadError) -> Option<usize> {
    match error {
        ReadError::Line { line, .. } => Some(*line),
        ReadError::Row { row, .. } => Some(*row),
        _ => None,
    }
}

/// A file that could not be read at all.
pub fn failed(role: Role, name: &str, error: &ReadError) -> FileSummary {
    FileSummary {
        role,
        name: name.to_string(),
        bytes: 0,
        records: 0,
        blank_lines: 0,
        skipped: 0,
        issues: Vec::new(),
        field: String::new(),
        fields: Vec::new(),
        short_keys: Vec::new(),
        preview: Vec::new(),
        error: Some(error.to_string()),
        error_line: error_line(error),
        row_groups: None,
    }
}

/// The streamed source, as its scan left it.
pub fn source(source: &Source) -> FileSummary {
    FileSummary {
        role: Role::Source,
        name: source.name.clone(),
        bytes: source.size,
        records: source.len(),
        blank_lines: source.blank_lines,
        skipped: source.skipped.len(),
        issues: source.shown_issues(),
        field: source.field().to_string(),
        fields: source.fields.clone(),
        short_keys: source.short_keys.clone(),
        preview: source.preview.clone(),
        error: source.error.as_ref().map(ToString::to_string),
        error_line: source.error.as_ref().and_then(error_line),
        row_groups: source.parquet.as_ref().map(|p| p.file.row_groups()),
    }
}

/// The target file, read whole; `fields` are its text fields and `error` why it cannot
/// be used as it is.
pub fn target(
    corpus: &Corpus,
    fields: &[(String, usize)],
    error: Option<&ReadError>,
) -> FileSummary {
    let field = corpus.field().as_str();
    FileSummary {
        role: Role::Target,
        name: corpus.name().to_string(),
        bytes: corpus.byte_len() as u64,
        records: corpus.len(),
        blank_lines: corpus.blank_lines(),
        skipped: corpus.issues().len(),
        issues: corpus
            .issues()
            .iter()
            .take(SHOWN_ISSUES)
            .map(|issue| IssueView {
                line: issue.line,
                problem: issue.problem.to_string(),
            })
            .collect(),
        field: field.to_string(),
        fields: fields.to_vec(),
        short_keys: short_keys(corpus.bytes(), field),
        preview: (0..corpus.len().min(3))
            .filter_map(|i| corpus.text(i).ok())
            .map(|t| one_line(&t, PREVIEW_CHARS))
            .collect(),
        error: error.map(ToString::to_string),
        error_line: error.and_then(error_line),
        row_groups: corpus.parquet_row_groups(),
    }
}
