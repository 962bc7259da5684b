//! What reading a file reports to the page: a [`FileSummary`].

use zipfit_core::jsonl::{Corpus, ReadError};

use super::source::{one_line, short_keys, Source, PREVIEW_CHARS, SHOWN_ISSUES};
use crate::protocol::{FileSummary, FileView, IssueView, Role};

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
        files: Vec::new(),
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
        row_groups: source.row_groups(),
        files: match source.parts.many() {
            true => (source.parts.list.iter())
                .map(|part| FileView {
                    name: part.name.clone(),
                    format: part.kind.label().to_string(),
                    bytes: part.size,
                    records: part.records.len(),
                })
                .collect(),
            false => Vec::new(),
        },
    }
}

/// The target set `name`, its files read whole; `fields` are the first file's text
/// fields and `error` why they cannot be used as they are.
pub fn target(
    name: &str,
    corpora: &[Corpus],
    fields: &[(String, usize)],
    error: Option<&ReadError>,
) -> FileSummary {
    let first = &corpora[0];
    let field = first.field().as_str();
    let issues = corpora.iter().flat_map(|corpus| {
        corpus.issues().iter().map(|issue| IssueView {
            file: corpus.name().to_string(),
            line: issue.line,
            problem: issue.problem.to_string(),
        })
    });
    let texts = corpora
        .iter()
        .flat_map(|corpus| (0..corpus.len()).map(move |i| corpus.text(i)));
    let parquet_groups: Option<usize> = corpora.iter().map(Corpus::parquet_row_groups).sum();
    FileSummary {
        role: Role::Target,
        name: name.to_string(),
        bytes: corpora.iter().map(|c| c.byte_len() as u64).sum(),
        records: corpora.iter().map(Corpus::len).sum(),
        blank_lines: corpora.iter().map(Corpus::blank_lines).sum(),
        skipped: corpora.iter().map(|c| c.issues().len()).sum(),
        issues: issues.take(SHOWN_ISSUES).collect(),
        field: field.to_string(),
        fields: fields.to_vec(),
        short_keys: short_keys(first.bytes(), field),
        preview: texts
            .take(3)
            .filter_map(Result::ok)
            .map(|t| one_line(&t, PREVIEW_CHARS))
            .collect(),
        error: error.map(ToString::to_string),
        error_line: error.and_then(error_line),
        row_groups: parquet_groups,
        files: match corpora.len() {
            1 => Vec::new(),
            _ => corpora
                .iter()
                .map(|corpus| FileView {
                    name: corpus.name().to_string(),
                    format: match corpus.is_parquet() {
                        true => "Parquet",
                        false => "JSONL",
                    }
                    .to_string(),
                    bytes: corpus.byte_len() as u64,
                    records: corpus.len(),
                })
                .collect(),
        },
    }
}
