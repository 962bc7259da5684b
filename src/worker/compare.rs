//! Two runs side by side at one budget: Spearman, the kept sets' overlap, a density
//! grid, and the records only one run keeps (browsed, and downloaded as `only-a` /
//! `only-b`).

use zipfit_core::compare::{self, Comparison};
use zipfit_core::select::Budget;

use super::rows;
use super::runs::Runs;
use super::source::Source;
use super::tokens::Counting;
use crate::protocol::{Compared, RowView, RunMatrix};

/// Cells per side of the comparison's density plot.
const DENSITY_BINS: usize = 64;

/// Two runs compared at one budget; its lists are what the compare view browses and
/// downloads.
pub struct Comparing {
    runs: (usize, usize),
    spearman: f64,
    result: Comparison,
}

/// Which of the two runs.
fn side_is_a(side: &str) -> bool {
    side == "a"
}

/// Compares runs `a` and `b` of `runs` at `budget`. Spearman does not depend on the
/// budget, so it is taken from `previous` when that compared the same runs.
pub fn compare(
    source: &Source,
    counting: &mut Counting,
    runs: &Runs,
    previous: Option<&Comparing>,
    (a, b): (usize, usize),
    budget: Budget,
) -> Result<(Compared, Comparing), String> {
    let (run_a, run_b) = (runs.get(a)?, runs.get(b)?);
    // Both runs in memory: comparing them reads every record of each.
    let (scores_a, order_a) = (run_a.scores.to_vec(), run_a.order.to_vec());
    let (scores_b, order_b) = (run_b.scores.to_vec(), run_b.order.to_vec());
    let spearman = match previous {
        Some(c) if c.runs == (a, b) => c.spearman,
        _ => compare::spearman(&scores_a, &scores_b),
    };
    let walks = [(order_a.as_slice(), budget), (order_b.as_slice(), budget)];
    let result = counting.with(source, &walks, |tokens| {
        compare::compare_ranked(
            (&scores_a, &order_a),
            (&scores_b, &order_b),
            spearman,
            budget,
            tokens,
        )
    })?;
    let compared = Compared {
        a,
        b,
        budget: budget.to_string(),
        records: result.records,
        spearman,
        kept_a: result.kept_a,
        kept_b: result.kept_b,
        kept_both: result.kept_both,
        jaccard: result.jaccard(),
        only_a: result.only_a.len(),
        only_b: result.only_b.len(),
        density: compare::density(&scores_a, &scores_b, DENSITY_BINS),
    };
    let comparing = Comparing {
        runs: (a, b),
        spearman,
        result,
    };
    Ok((compared, comparing))
}

/// Every run of `runs` against every other at `budget`: the core's [`compare::matrix`],
/// as `zipfit sweep` prints it. Every run is read into memory, as for two.
pub fn matrix(
    source: &Source,
    counting: &mut Counting,
    runs: &Runs,
    budget: Budget,
) -> Result<RunMatrix, String> {
    let mut scores = Vec::with_capacity(runs.len());
    let mut orders = Vec::with_capacity(runs.len());
    for i in 0..runs.len() {
        let run = runs.get(i)?;
        scores.push(run.scores.to_vec());
        orders.push(run.order.to_vec());
    }
    let walks: Vec<(&[u32], Budget)> = orders.iter().map(|o| (o.as_slice(), budget)).collect();
    let views: Vec<&[f64]> = scores.iter().map(Vec::as_slice).collect();
    let matrix = counting.with(source, &walks, |tokens| {
        compare::matrix(&views, budget, tokens)
    })?;
    Ok(RunMatrix {
        budget: budget.to_string(),
        records: matrix.records,
        jaccard: matrix.jaccards(),
        kept: matrix.kept,
        spearman: matrix.spearman,
        kept_both: matrix.kept_both,
    })
}

impl Comparing {
    /// The records only run A (`side` "a") or only run B keeps, best first in that run.
    pub fn only(&self, side: &str) -> &[u32] {
        if side_is_a(side) {
            &self.result.only_a
        } else {
            &self.result.only_b
        }
    }

    /// Rows `start..start+count` of [`Comparing::only`], each with its score in that run.
    pub fn rows(
        &self,
        source: &Source,
        runs: &Runs,
        side: &str,
        start: usize,
        count: usize,
    ) -> Result<Vec<RowView>, String> {
        let run = if side_is_a(side) {
            self.runs.0
        } else {
            self.runs.1
        };
        let only = self.only(side);
        let positions = rows::window(only.len(), start, count);
        let first = positions.start;
        Ok(rows::rows_of(
            source,
            &only[positions],
            first,
            &runs.get(run)?.scores,
        ))
    }
}
