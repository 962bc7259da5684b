//! A run being scored, a batch at a time, so that the worker can report progress and
//! see a cancel request between batches.

use super::target::Target;
use rayon::prelude::*;
use zipfit_core::checkpoint;
use zipfit_core::compress::Backend;
use zipfit_core::dsir::{self, Dsir};
use zipfit_core::score::{Method, Targets};
use zipfit_core::stability::{self, FoldSums, Folds};

use super::column::Column;
use super::ranking;
use super::runs::KeptRun;
use super::source::Source;

/// How a run computes its scores.
enum Scorer {
    /// Compression alignment, with fold sums when stability was asked for.
    Compression {
        targets: Targets,
        folds: Option<Folds>,
        sums: Vec<i64>,
    },
    /// DSIR: a first pass counts the source's n-grams, a second scores.
    Dsir {
        targets: Vec<String>,
        counts: Vec<u64>,
        counted: usize,
        fitted: Option<Dsir>,
    },
}

/// A run being scored.
pub struct Scoring {
    scorer: Scorer,
    /// Scores so far, in source order.
    scores: Column<f64>,
    /// The scores [`Scoring::stored_line`] has not given yet (the last batch's), and the
    /// record of the first of them.
    unstored: Vec<f64>,
    stored: usize,
}

impl Scoring {
    /// Prepares a run of `source` against `target`: computes `C(y)` of every target,
    /// or readies DSIR's two passes (`compressor` "dsir"). With `stability`, a
    /// compression run also keeps every record's sums of terms over a seeded split of
    /// the targets into folds. Returns the run and the number of steps
    /// [`Scoring::batch`] counts: one per record per pass.
    pub fn prepare(
        source: &Source,
        target: &Target,
        compressor: &str,
        level: u8,
        stability: bool,
    ) -> Result<(Scoring, usize), String> {
        let texts = target.texts()?;
        let (scorer, passes) = match compressor {
            "dsir" => {
                let scorer = Scorer::Dsir {
                    targets: texts,
                    counts: vec![0; dsir::BUCKETS],
                    counted: 0,
                    fitted: None,
                };
                (scorer, 2)
            }
            name => {
                let method = Method {
                    compressor: super::compressor(name, level)?,
                    backend: Backend::Model,
                };
                let targets = Targets::new(texts, method);
                let folds = stability.then(|| Folds::new(targets.len(), stability::SEED));
                if let Some(folds) = &folds {
                    if folds.count() < 2 {
                        let error = stability::StabilityError::TooFewTargets(targets.len());
                        return Err(error.to_string());
                    }
                }
                let sums = vec![0; folds.as_ref().map_or(0, |f| f.count() * source.len())];
                let scorer = Scorer::Compression {
                    targets,
                    folds,
                    sums,
                };
                (scorer, 1)
            }
        };
        let scoring = Scoring {
            scorer,
            scores: Column::new(),
            unstored: Vec::new(),
            stored: 0,
        };
        Ok((scoring, passes * source.len()))
    }

    /// Scores (or, in DSIR's first pass, counts) the next `count` records of `source`,
    /// in parallel; returns how many steps are done in all.
    pub fn batch(&mut self, source: &Source, count: usize) -> Result<usize, String> {
        let Scoring {
            scorer,
            scores,
            unstored,
            ..
        } = self;
        let total = source.len();
        match scorer {
            Scorer::Compression {
                targets,
                folds,
                sums,
            } => {
                let start = scores.len();
                let end = (start + count).min(total);
                if start < end {
                    let folds = folds.as_ref().map(|folds| {
                        let width = folds.count();
                        (folds, &mut sums[start * width..end * width])
                    });
                    let batch = source.score(start..end, targets, folds)?;
                    scores.extend(&batch);
                    unstored.extend(batch);
                }
                Ok(scores.len())
            }
            Scorer::Dsir {
                targets,
                counts,
                counted,
                fitted,
            } => {
                if *counted < total {
                    let end = (*counted + count).min(total);
                    let texts = source.texts_in(*counted..end)?;
                    let batch = dsir::counts(texts.len(), |i| Ok::<_, String>(texts[i].clone()))?;
                    dsir::add_counts(counts, &batch);
                    *counted = end;
                    if end == total {
                        *fitted = Some(Dsir::from_source_counts(targets, counts));
                    }
                    return Ok(*counted);
                }
                let dsir = fitted.as_ref().ok_or("no records")?;
                let start = scores.len();
                let end = (start + count).min(total);
                if start < end {
                    let texts = source.texts_in(start..end)?;
                    let batch: Vec<f64> = texts.par_iter().map(|text| dsir.score(text)).collect();
                    scores.extend(&batch);
                    unstored.extend(batch);
                }
                Ok(total + scores.len())
            }
        }
    }

    /// Continues from a stored run's finished batches (their `scores`, and their fold
    /// `sums` when the run keeps them): their records are not scored again. Returns the
    /// steps done (DSIR counts the source again, which is quick, so it starts at 0).
    pub fn resume(&mut self, scores: Column<f64>, finished_sums: &[i64]) -> Result<usize, String> {
        let done = scores.len();
        match &mut self.scorer {
            Scorer::Compression { folds, sums, .. } => {
                let width = folds.as_ref().map_or(0, Folds::count);
                if finished_sums.len() != done * width {
                    return Err("the stored run's fold sums do not match its scores".into());
                }
                sums[..done * width].copy_from_slice(finished_sums);
            }
            Scorer::Dsir { .. } => {}
        }
        self.scores = scores;
        self.unstored.clear();
        self.stored = done;
        Ok(match self.scorer {
            Scorer::Compression { .. } => done,
            Scorer::Dsir { .. } => 0,
        })
    }

    /// The line of a stored run (`zipfit_core::checkpoint::batch_line`) that holds the
    /// scores (and fold sums) made since the last call; empty when there are none.
    pub fn stored_line(&mut self) -> Vec<u8> {
        let (start, end) = (self.stored, self.scores.len());
        if start == end {
            return Vec::new();
        }
        self.stored = end;
        let scores = std::mem::take(&mut self.unstored);
        let sums = match &self.scorer {
            Scorer::Compression {
                folds: Some(folds),
                sums,
                ..
            } => Some(&sums[start * folds.count()..end * folds.count()]),
            _ => None,
        };
        checkpoint::batch_line(start, &scores, sums)
    }

    /// Pairs per record (0 for DSIR, which compares no pairs).
    pub fn target_count(&self) -> usize {
        match &self.scorer {
            Scorer::Compression { targets, .. } => targets.len(),
            Scorer::Dsir { .. } => 0,
        }
    }

    /// Ranks the finished run: what is kept of it.
    pub fn finish(self) -> KeptRun {
        let (targets, stability) = match self.scorer {
            Scorer::Compression {
                targets,
                folds,
                sums,
            } => {
                let stability = folds.map(|folds| {
                    let width = folds.count();
                    (folds, FoldSums::new(width, sums))
                });
                (Some(targets), stability)
            }
            Scorer::Dsir { .. } => (None, None),
        };
        let (low_high, order) = ranking::rank(&self.scores);
        KeptRun {
            order,
            low_high,
            scores: self.scores,
            targets,
            stability,
        }
    }
}
