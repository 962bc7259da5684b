//! A diverse selection of the shown run: walking the ranking, a record whose estimated
//! Jaccard similarity with one already kept reaches a threshold is left out, and the
//! budget is met from further down (`zipfit_core::dedup`).

use zipfit_core::dedup::{self, Diverse};
use zipfit_core::select::{self, Budget};

use super::column::Column;
use super::rows;
use super::runs::KeptRun;
use super::source::Source;
use super::tokens::Counting;
use crate::protocol::{Diversity, DuplicateRow};

/// A diverse selection, with whether each record is kept.
pub struct DiverseSelection {
    pub diverse: Diverse,
    pub kept: Vec<bool>,
}

/// The diverse selection of `run` (number `number`) at `budget` and `threshold`, and
/// its summary for the page.
pub fn select(
    source: &Source,
    counting: &mut Counting,
    run: &KeptRun,
    number: usize,
    threshold: f64,
    budget: Budget,
) -> Result<(Diversity, DiverseSelection), String> {
    if !(threshold > 0.0 && threshold <= 1.0) {
        return Err(format!("{threshold} is not a similarity in (0, 1]"));
    }
    let figure = counting.figure_by(budget);
    // The whole run in memory: the walk may go down the whole ranking.
    let (order, scores) = (run.order.to_vec(), run.scores.to_vec());
    let (diverse, kept_tokens) = counting.with(source, &[(&order, budget)], |tokens| {
        let mut buffer = Vec::new();
        let diverse = dedup::select_batched(&order, &scores, budget, threshold, tokens, |batch| {
            source.texts_of(batch, &mut buffer)
        })
        .map_err(|e| e.to_string())?;
        let kept_tokens = figure.sum(source, &diverse.kept, tokens);
        Ok::<_, String>((diverse, kept_tokens))
    })??;
    let ranks = select::ranks(&order);
    let summary = Diversity {
        run: number,
        budget,
        threshold,
        kept: diverse.kept.len(),
        kept_tokens,
        tokens_by: figure.name(),
        duplicates: diverse.duplicates.len(),
        deepest: diverse
            .kept
            .last()
            .map_or(0, |&i| ranks[i as usize] as usize),
    };
    let mut kept = vec![false; run.scores.len()];
    for &i in &diverse.kept {
        kept[i as usize] = true;
    }
    Ok((summary, DiverseSelection { diverse, kept }))
}

impl DiverseSelection {
    /// Rows `start..start+count` of the records left out, with what each duplicates.
    pub fn duplicate_rows(
        &self,
        source: &Source,
        scores: &Column<f64>,
        start: usize,
        count: usize,
    ) -> Vec<DuplicateRow> {
        let duplicates = &self.diverse.duplicates;
        let end = (start + count).min(duplicates.len());
        let start = start.min(end);
        let indices: Vec<u32> = duplicates[start..end].iter().map(|d| d.index).collect();
        let values = source.values_of(&indices);
        let scores = scores.gather(&indices);
        (start..end)
            .zip(&values)
            .zip(scores)
            .map(|((position, value), score)| {
                let d = duplicates[position];
                let index = d.index as usize;
                let row = rows::row(source, position, index, score, value);
                DuplicateRow {
                    position,
                    index: row.index,
                    line: row.line,
                    score: row.score,
                    preview: row.preview,
                    of_index: d.of as usize,
                    of_line: source.place(d.of as usize).1 as usize,
                    similarity: d.similarity,
                }
            })
            .collect()
    }
}
