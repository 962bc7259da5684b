//! The shown run cut at a budget: what the selection view draws (kept count and
//! tokens, the histogram of all and of kept scores, the breakdown by a field), computed
//! here because the worker holds the scores and the page holds no per-record array.

use zipfit_core::select::{self, Budget};

use super::runs::KeptRun;
use super::source::Source;
use super::tokens::Counting;
use crate::protocol::{Cut, HISTOGRAM_BINS};

/// Labels shown in the breakdown; the rest are left out of it.
const BREAKDOWN_ROWS: usize = 12;

/// Run `run` (number `number`) of `source` cut at `budget`, with the breakdown by
/// `group_field` ("" for none).
pub fn cut(
    source: &mut Source,
    counting: &mut Counting,
    run: &KeptRun,
    number: usize,
    budget: Budget,
    group_field: &str,
) -> Result<Cut, String> {
    let figure = counting.figure_by(budget);
    let (kept, kept_tokens) = counting.with(source, &[(&run.order, budget)], |tokens| {
        let kept = select::select(&run.order, &run.scores, budget, tokens);
        (kept, figure.sum(source, &run.order[..kept], tokens))
    })?;
    let best_first = &run.order[..kept];
    let (min, max) = run
        .scores
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &s| {
            (lo.min(s), hi.max(s))
        });
    let width = ((max - min) / HISTOGRAM_BINS as f64).max(1e-12);
    let bin = |s: f64| (((s - min) / width) as usize).min(HISTOGRAM_BINS - 1);
    let mut counts = vec![0u32; HISTOGRAM_BINS];
    for &s in &run.scores {
        counts[bin(s)] += 1;
    }
    let mut kept_counts = vec![0u32; HISTOGRAM_BINS];
    for &i in best_first {
        kept_counts[bin(run.scores[i as usize])] += 1;
    }
    let cut_score =
        (kept > 0 && kept < run.order.len()).then(|| run.scores[run.order[kept - 1] as usize]);
    let breakdown = if group_field.is_empty() {
        None
    } else {
        Some(breakdown(source, group_field, best_first)?)
    };
    Ok(Cut {
        run: number,
        budget,
        group_field: group_field.to_string(),
        records: run.scores.len(),
        kept,
        kept_tokens,
        tokens_by: figure.name(),
        cut_score,
        min,
        max,
        counts,
        kept_counts,
        breakdown,
    })
}

/// Per label of `field`: how many records the `kept` ones hold, and how many there are,
/// most kept first.
fn breakdown(
    source: &mut Source,
    field: &str,
    kept: &[u32],
) -> Result<Vec<(String, usize, usize)>, String> {
    let grouping = source.group_by(field)?;
    let mut total = vec![0usize; grouping.labels.len()];
    for &code in &grouping.codes {
        total[code as usize] += 1;
    }
    let mut kept_by = vec![0usize; grouping.labels.len()];
    for &i in kept {
        kept_by[grouping.codes[i as usize] as usize] += 1;
    }
    let mut rows: Vec<(String, usize, usize)> = grouping
        .labels
        .iter()
        .cloned()
        .zip(kept_by)
        .zip(total)
        .map(|((label, k), t)| (label, k, t))
        .collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)));
    rows.truncate(BREAKDOWN_ROWS);
    Ok(rows)
}
