//! Rows of the tables the page shows: the ranking, the records only one run keeps, the
//! near-duplicates left out. Each is read from the source when asked for.

use super::runs::KeptRun;
use super::source::{one_line, short_value, Source, PREVIEW_CHARS};
use crate::protocol::RowView;

/// One row: record `index` of `source` at `position` in its list, with its score and
/// its parsed JSON `value` (from [`Source::values_of`]).
pub fn row(
    source: &Source,
    position: usize,
    index: usize,
    score: f64,
    value: &serde_json::Value,
) -> RowView {
    let preview = source
        .options
        .field
        .extract(value)
        .map(|t| one_line(&t, PREVIEW_CHARS))
        .unwrap_or_default();
    RowView {
        position,
        index,
        line: source.line(index) as usize,
        score,
        short: source
            .short_keys
            .iter()
            .map(|k| value.get(k).and_then(short_value).unwrap_or_default())
            .collect(),
        preview,
        diverse_kept: None,
    }
}

/// Rows of `list` (record indices) at positions `start..start+count`, each with its
/// score in `scores`.
pub fn rows_of(
    source: &Source,
    list: &[u32],
    scores: &[f64],
    start: usize,
    count: usize,
) -> Vec<RowView> {
    let end = (start + count).min(list.len());
    let start = start.min(end);
    let values = source.values_of(&list[start..end]);
    (start..end)
        .zip(&values)
        .map(|(position, value)| {
            let index = list[position] as usize;
            row(source, position, index, scores[index], value)
        })
        .collect()
}

/// Rows for ranking positions `start..start+count` of `run`; with `diverse_kept`
/// (whether a diverse selection keeps each record), each row says so.
pub fn ranked(
    source: &Source,
    run: &KeptRun,
    diverse_kept: Option<&[bool]>,
    start: usize,
    count: usize,
) -> Vec<RowView> {
    let mut rows = rows_of(source, &run.order, &run.scores, start, count);
    if let Some(kept) = diverse_kept {
        for row in &mut rows {
            row.diverse_kept = Some(kept[row.index]);
        }
    }
    rows
}
