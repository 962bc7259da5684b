//! The shown run cut at a budget: what the selection view draws (kept count and
//! tokens, the histogram of all and of kept scores, the breakdown by a field), computed
//! here because the worker holds the scores and the page holds no per-record array.
//!
//! The run's columns are read a piece at a time: the ranking from the top only as far
//! as the budget needs (`zipfit_core::select::select_ranked`), then every record once in
//! file order. A record is kept when it ranks no lower than the last kept one
//! (`zipfit_core::select::rank_cmp`), so that pass needs no list of the kept records.

use std::cmp::Ordering;

use zipfit_core::select::{self, Budget};

use super::column::Column;
use super::runs::KeptRun;
use super::source::Source;
use super::tokens::{Counting, Figure};
use crate::protocol::{Cut, HISTOGRAM_BINS};

/// Labels shown in the breakdown; the rest are left out of it.
const BREAKDOWN_ROWS: usize = 12;
/// Records read at once (fewer in the tests, so that they read many pieces).
const PIECE: usize = if cfg!(test) { 1500 } else { 1 << 16 };

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
    let n = run.order.len();
    let (kept, counted_tokens) = match (&figure, budget) {
        (Figure::Counter(_), Budget::Tokens(_)) if !counting.reads_estimate() => {
            let (kept, tokens) = model_cut(source, counting, &run.order, budget)?;
            (kept, Some(tokens))
        }
        _ => {
            let estimates = source.tokens();
            let kept = select::select_ranked(
                n,
                budget,
                Ranked::new(run, estimates),
                |&(score, _, _)| score,
                |&(_, _, tokens)| tokens as u64,
            );
            (kept, None)
        }
    };
    // The last kept record: every record ranked no lower is kept.
    let last = (kept > 0).then(|| {
        let index = run.order.get(kept - 1);
        (run.scores.get(index as usize), index)
    });
    let is_kept = |score: f64, index: usize| {
        last.is_some_and(|last| select::rank_cmp((score, index as u32), last) != Ordering::Greater)
    };
    let (min, max) = run.low_high;
    let width = ((max - min) / HISTOGRAM_BINS as f64).max(1e-12);
    let bin = |s: f64| (((s - min) / width) as usize).min(HISTOGRAM_BINS - 1);
    let mut counts = vec![0u32; HISTOGRAM_BINS];
    let mut kept_counts = vec![0u32; HISTOGRAM_BINS];
    let mut kept_estimate = 0u64;
    let mut tokens = Vec::new();
    run.scores.pieces(PIECE, |start, scores| {
        source
            .tokens()
            .read_into(start..start + scores.len(), &mut tokens);
        for (k, &s) in scores.iter().enumerate() {
            counts[bin(s)] += 1;
            if is_kept(s, start + k) {
                kept_counts[bin(s)] += 1;
                kept_estimate += tokens[k] as u64;
            }
        }
    });
    let cut_score = (kept > 0 && kept < n)
        .then(|| last.map(|(score, _)| score))
        .flatten();
    let breakdown = if group_field.is_empty() {
        None
    } else {
        Some(breakdown(source, group_field, &run.scores, &is_kept)?)
    };
    Ok(Cut {
        run: number,
        budget,
        group_field: group_field.to_string(),
        records: n,
        kept,
        kept_tokens: counted_tokens.unwrap_or(kept_estimate),
        tokens_by: figure.name(),
        cut_score,
        min,
        max,
        counts,
        kept_counts,
        breakdown,
    })
}

/// A token budget counted by a model: the ranking's top is read, and counted, only as
/// far as the cut (four times more at each try). Returns the kept records and their tokens.
fn model_cut(
    source: &Source,
    counting: &mut Counting,
    order: &Column<u32>,
    budget: Budget,
) -> Result<(usize, u64), String> {
    let n = order.len();
    let mut top = PIECE.min(n);
    loop {
        let best_first = order.read(0..top);
        let (kept, tokens) = counting.with(source, &[(&best_first, budget)], |tokens| {
            let kept = select::select_ranked(
                n,
                budget,
                best_first.iter(),
                |_| f64::NAN, // a token budget reads no score
                |&&i| tokens(i as usize),
            );
            let kept = kept.min(best_first.len());
            let sum = best_first[..kept].iter().map(|&i| tokens(i as usize)).sum();
            (kept, sum)
        })?;
        if kept < top || top == n {
            return Ok((kept, tokens));
        }
        top = (top * 4).min(n);
    }
}

/// The ranking from the top, each record as `(score, index, estimated tokens)`, read a
/// piece at a time.
struct Ranked<'a> {
    run: &'a KeptRun,
    estimates: &'a Column<u32>,
    next: usize,
    piece: Vec<(f64, u32, u32)>,
    at: usize,
}

impl<'a> Ranked<'a> {
    fn new(run: &'a KeptRun, estimates: &'a Column<u32>) -> Ranked<'a> {
        Ranked {
            run,
            estimates,
            next: 0,
            piece: Vec::new(),
            at: 0,
        }
    }
}

impl Iterator for Ranked<'_> {
    type Item = (f64, u32, u32);

    fn next(&mut self) -> Option<(f64, u32, u32)> {
        if self.at == self.piece.len() {
            let n = self.run.order.len();
            if self.next == n {
                return None;
            }
            // Small at first: a small budget reads little.
            let size = self.next.clamp(PIECE.min(1024), PIECE);
            let indices = self.run.order.read(self.next..(self.next + size).min(n));
            self.next += indices.len();
            let scores = self.run.scores.gather(&indices);
            let tokens = self.estimates.gather(&indices);
            self.piece = (0..indices.len())
                .map(|k| (scores[k], indices[k], tokens[k]))
                .collect();
            self.at = 0;
        }
        self.at += 1;
        Some(self.piece[self.at - 1])
    }
}

/// Per label of `field`: how many records the kept ones hold, and how many there are,
/// most kept first.
fn breakdown(
    source: &mut Source,
    field: &str,
    scores: &Column<f64>,
    is_kept: &dyn Fn(f64, usize) -> bool,
) -> Result<Vec<(String, usize, usize)>, String> {
    let grouping = source.group_by(field)?;
    let mut total = vec![0usize; grouping.labels.len()];
    let mut kept_by = vec![0usize; grouping.labels.len()];
    let mut codes = Vec::new();
    scores.pieces(PIECE, |start, scores| {
        grouping
            .codes
            .read_into(start..start + scores.len(), &mut codes);
        for (k, (&s, &code)) in scores.iter().zip(&codes).enumerate() {
            total[code as usize] += 1;
            if is_kept(s, start + k) {
                kept_by[code as usize] += 1;
            }
        }
    });
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
