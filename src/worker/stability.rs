//! A run's stability over targets at a budget, from the fold sums it kept while scoring.

use zipfit_core::select::Budget;
use zipfit_core::stability::{self, Report};

use super::runs::KeptRun;
use super::source::Source;
use super::tokens::Counting;

/// The figures of `run` at `budget`, and the same as the JSON file
/// `zipfit score --stability FILE` writes (the `stability.json` download).
pub fn report(
    run: &KeptRun,
    source: &Source,
    counting: &mut Counting,
    budget: Budget,
) -> Result<(Report, Vec<u8>), String> {
    let (folds, sums) = run.stability.as_ref().ok_or("this run kept no fold sums")?;
    let (order, scores) = (run.order.to_vec(), run.scores.to_vec());
    let report = counting
        .with(source, &[(&order, budget)], |tokens| {
            stability::report(&scores, sums, folds, budget, tokens)
        })?
        .map_err(|e| e.to_string())?;
    let mut json = serde_json::to_vec(&report).map_err(|e| e.to_string())?;
    json.push(b'\n');
    Ok((report, json))
}
