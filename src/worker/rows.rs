//! Rows of the tables the page shows: the ranking, the records only one run keeps, the
//! near-duplicates left out. Each is read from the source when asked for.

use super::column::Column;
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
    let (file, line) = source.place(index);
    RowView {
        position,
        index,
        file: file.map(str::to_string),
        line: line as usize,
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

/// Rows for the records `indices`, the first at `first_position` in its list, each
/// with its score (read from `scores`, a run's scores in source order).
pub fn rows_of(
    source: &Source,
    indices: &[u32],
    first_position: usize,
    scores: &Column<f64>,
) -> Vec<RowView> {
    let values = source.values_of(indices);
    let scores = scores.gather(indices);
    indices
        .iter()
        .zip(&values)
        .zip(scores)
        .enumerate()
        .map(|(k, ((&index, value), score))| {
            row(source, first_position + k, index as usize, score, value)
        })
        .collect()
}

/// Positions `start..start+count` of a list `len` long, within it.
pub fn window(len: usize, start: usize, count: usize) -> std::ops::Range<usize> {
    let end = (start + count).min(len);
    start.min(end)..end
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
    let positions = window(run.order.len(), start, count);
    let first = positions.start;
    let mut rows = rows_of(source, &run.order.read(positions), first, &run.scores);
    if let Some(kept) = diverse_kept {
        for row in &mut rows {
            row.diverse_kept = Some(kept[row.index]);
        }
    }
    rows
}
