//! The finished runs over the current files, kept so that each can be shown again,
//! cut at other budgets, compared with the others and downloaded.

use zipfit_core::score::Targets;
use zipfit_core::stability::{FoldSums, Folds};

use super::column::Column;

/// A finished run.
pub struct KeptRun {
    /// Scores, in source order.
    pub scores: Column<f64>,
    /// The lowest and the highest score.
    pub low_high: (f64, f64),
    /// The ranking: record indices, best first (as `zipfit_core::select::rank` ranks).
    pub order: Column<u32>,
    /// The targets as this run's compressor saw them (none for DSIR, which compresses nothing).
    pub targets: Option<Targets>,
    /// The folds and every record's fold sums, when stability was asked for.
    pub stability: Option<(Folds, FoldSums)>,
}

/// Every finished run, oldest first, and the one the table, the detail view and the
/// downloads show.
#[derive(Default)]
pub struct Runs {
    list: Vec<KeptRun>,
    shown: usize,
}

impl Runs {
    /// Keeps `run`, which becomes the shown one.
    pub fn push(&mut self, run: KeptRun) {
        self.list.push(run);
        self.shown = self.list.len() - 1;
    }

    /// Run `run` (0-based, in the order runs finished).
    pub fn get(&self, run: usize) -> Result<&KeptRun, String> {
        self.list.get(run).ok_or_else(|| "no such run".to_string())
    }

    /// How many runs there are.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// The number of the shown run.
    pub fn shown_index(&self) -> usize {
        self.shown
    }

    /// The shown run.
    pub fn shown(&self) -> Result<&KeptRun, String> {
        self.list
            .get(self.shown)
            .ok_or_else(|| "score first".to_string())
    }

    /// Makes run `run` the shown one.
    pub fn show(&mut self, run: usize) -> Result<(), String> {
        if run >= self.list.len() {
            return Err(format!("there is no run {}", run + 1));
        }
        self.shown = run;
        Ok(())
    }
}
