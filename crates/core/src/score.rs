//! Scoring: the alignment of every source record with the target set, in parallel.
//!
//! Each record's score depends only on its own text and the targets, and targets are
//! summed in order, so scores are identical whatever the number of threads.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};

use rayon::prelude::*;

use crate::compress::{Backend, Compressor, Lengths};
use crate::jsonl::{Corpus, Problem};
use crate::ncd;
use crate::stability::{self, FoldSums, Folds, StabilityError};

/// How `C(s)` is computed for a run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Method {
    /// The compressor (gzip level or LZ4).
    pub compressor: Compressor,
    /// Exact reference model, or a real compressor crate.
    #[serde(default)]
    pub backend: Backend,
}

/// The target set, with `C(y)` computed once per target.
#[derive(Debug, Clone)]
pub struct Targets {
    texts: Vec<Vec<u8>>,
    lens: Vec<u64>,
    method: Method,
}

impl Targets {
    /// Prepares `texts` as targets for `method`.
    pub fn new(texts: Vec<String>, method: Method) -> Targets {
        let mut lengths = Lengths::new(method.compressor, method.backend);
        let texts: Vec<Vec<u8>> = texts.into_iter().map(String::into_bytes).collect();
        let lens = texts.iter().map(|t| lengths.len(t)).collect();
        Targets {
            texts,
            lens,
            method,
        }
    }

    /// Number of targets.
    pub fn len(&self) -> usize {
        self.texts.len()
    }

    /// True when there are no targets.
    pub fn is_empty(&self) -> bool {
        self.texts.is_empty()
    }

    /// The text of target `j`.
    pub fn text(&self, j: usize) -> &[u8] {
        &self.texts[j]
    }

    /// The method these targets were prepared for.
    pub fn method(&self) -> Method {
        self.method
    }
}

/// Scores one source text at a time against a target set; one per thread.
pub struct Aligner<'t> {
    targets: &'t Targets,
    lengths: Lengths,
}

impl<'t> Aligner<'t> {
    /// An aligner for `targets`, with its own compressor state.
    pub fn new(targets: &'t Targets) -> Self {
        let method = targets.method;
        Aligner {
            targets,
            lengths: Lengths::new(method.compressor, method.backend),
        }
    }

    /// `alignment(x) = mean_j (1 - NCD(x, y_j))`, with `x ++ y_j` the pair's text.
    pub fn score(&mut self, x: &[u8]) -> f64 {
        self.align(x, |_, _| {})
    }

    /// [`Aligner::score`], also writing into `sums` (one per fold of `folds`) the exact sum
    /// of the record's terms over each fold's targets, in [`stability::UNIT`]s. The score is
    /// the same to the last bit; no pair is compressed twice. `None` if a sum would leave
    /// `i64`'s range.
    pub fn score_folds(&mut self, x: &[u8], folds: &Folds, sums: &mut [i64]) -> Option<f64> {
        sums.fill(0);
        let mut in_range = true;
        let score = self.align(x, |j, term| {
            let sum = &mut sums[folds.of(j)];
            match sum.checked_add(stability::units(term)) {
                Some(total) => *sum = total,
                None => in_range = false,
            }
        });
        in_range.then_some(score)
    }

    /// Each target's term `1 - NCD(x, y_j)`, in target order: the values whose mean is
    /// [`Aligner::score`]. Summed in order and divided by their count they give the score
    /// bit for bit.
    pub fn per_target(&mut self, x: &[u8]) -> Vec<f64> {
        let mut terms = Vec::with_capacity(self.targets.len());
        self.align(x, |_, term| terms.push(term));
        terms
    }

    /// The score of `x`, handing each target's index and term to `each` in target order:
    /// `C(x)` and the prefix's state once, then every target resumed from it.
    #[inline]
    fn align(&mut self, x: &[u8], each: impl FnMut(usize, f64)) -> f64 {
        let Aligner { targets, lengths } = self;
        lengths.set_prefix(x);
        // `x` followed by nothing: the prefix's state already holds most of the work.
        let cx = lengths.len_with_prefix(b"");
        let pairs = targets
            .texts
            .iter()
            .zip(&targets.lens)
            .map(|(y, &cy)| (cy, lengths.len_with_prefix(y)));
        ncd::alignment_with(cx, pairs, each)
    }
}

/// Why scoring stopped.
#[derive(Debug, thiserror::Error)]
pub enum ScoreError {
    /// The cancel flag was raised.
    #[error("scoring was cancelled")]
    Cancelled,
    /// A record's text could not be read (the file changed since it was checked).
    #[error("{file}:{line}: {problem}")]
    Record {
        /// File name.
        file: String,
        /// 1-based line number.
        line: usize,
        /// What is wrong.
        problem: Problem,
    },
    /// Text `index` of a batch could not be read (a caller's own numbering, 0-based).
    #[error("record {index}: {problem}")]
    Text {
        /// Position in the batch.
        index: usize,
        /// What is wrong.
        problem: Problem,
    },
    /// Fold sums for stability could not be kept.
    #[error(transparent)]
    Stability(#[from] StabilityError),
    /// There are no targets to align with.
    #[error("the target set is empty")]
    NoTargets,
    /// A file could not be read back (an I/O error, a row group that cannot be decoded).
    #[error("{file}: {message}")]
    Read {
        /// File name.
        file: String,
        /// What went wrong.
        message: String,
    },
    /// A finished batch could not be kept (its checkpoint could not be written).
    #[error("keeping finished work: {0}")]
    Keep(std::io::Error),
}

/// Record `i`'s text, or its problem with the file's name and the record's line.
pub fn record_text(source: &Corpus, i: usize) -> Result<String, ScoreError> {
    source.text(i).map_err(|problem| ScoreError::Record {
        file: source.name().to_string(),
        line: source.records()[i].line as usize,
        problem,
    })
}

/// The texts of records read a batch at a time: what scoring needs of a source, held
/// whole ([`Corpus`]) or read back from its files ([`crate::input::Source`]).
pub trait RecordTexts: Sync {
    /// Number of records.
    fn count(&self) -> usize;
    /// Records `range`, read at once; the batch gives record `i`'s text for `i` in it.
    fn read(&self, range: Range<usize>) -> Result<TextBatch<'_>, ScoreError>;
}

/// A batch of [`RecordTexts`]: record `i`'s text (callable from any thread).
pub type TextBatch<'s> = Box<dyn Fn(usize) -> Result<String, ScoreError> + Send + Sync + 's>;

impl RecordTexts for Corpus {
    fn count(&self) -> usize {
        self.len()
    }

    fn read(&self, _: Range<usize>) -> Result<TextBatch<'_>, ScoreError> {
        Ok(Box::new(move |i| record_text(self, i)))
    }
}

/// Scores records `range` of `source` in parallel on the current rayon pool.
pub fn score_range(
    source: &Corpus,
    range: Range<usize>,
    targets: &Targets,
) -> Result<Vec<f64>, ScoreError> {
    score_each(range, targets, |i| record_text(source, i))
}

/// Scores the texts `text(i)` for `i` in `range`, in parallel on the current rayon pool.
/// Getting a text (parsing its record) happens in parallel too, as part of its score.
pub fn score_each<F, T>(
    range: Range<usize>,
    targets: &Targets,
    text: F,
) -> Result<Vec<f64>, ScoreError>
where
    F: Fn(usize) -> Result<T, ScoreError> + Sync,
    T: AsRef<[u8]>,
{
    if targets.is_empty() {
        return Err(ScoreError::NoTargets);
    }
    range
        .into_par_iter()
        .map_init(
            || Aligner::new(targets),
            |aligner, i| Ok(aligner.score(text(i)?.as_ref())),
        )
        .collect()
}

/// Scores every record of `source`, in batches so that `progress(done, total)` is
/// called between batches and `cancel` is honoured within one batch.
pub fn score_corpus(
    source: &dyn RecordTexts,
    targets: &Targets,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<Vec<f64>, ScoreError> {
    score_corpus_from(
        source,
        targets,
        Vec::new(),
        &mut |_, _| Ok(()),
        progress,
        cancel,
    )
}

/// [`score_corpus`] for the records after `done`, the scores of the first `done.len()`
/// (from a checkpoint). `keep(start, scores)` is given each finished batch before it
/// counts as done (to write it to a checkpoint).
pub fn score_corpus_from(
    source: &dyn RecordTexts,
    targets: &Targets,
    done: Vec<f64>,
    keep: &mut dyn FnMut(usize, &[f64]) -> std::io::Result<()>,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<Vec<f64>, ScoreError> {
    let total = source.count();
    let batch = batch_size(total, rayon::current_num_threads());
    let mut scores = done;
    scores.reserve(total.saturating_sub(scores.len()));
    let range = |start: usize| start..(start + batch).min(total);
    // The next batch is read while this one is scored, so no thread waits for the read.
    let mut next = match scores.len() < total {
        true => Some(source.read(range(scores.len()))),
        false => None,
    };
    while let Some(texts) = next.take() {
        if cancel.load(Ordering::Relaxed) {
            return Err(ScoreError::Cancelled);
        }
        let this = range(scores.len());
        let (finished, following) = rayon::join(
            || score_each(this.clone(), targets, texts?),
            || (this.end < total).then(|| source.read(range(this.end))),
        );
        let finished = finished?;
        keep(this.start, &finished).map_err(ScoreError::Keep)?;
        scores.extend(finished);
        progress(scores.len(), total);
        next = following;
    }
    Ok(scores)
}

/// [`score_corpus`], also keeping every record's sum of terms per fold of `folds` (for
/// [`stability::report`]). Scores are the same to the last bit.
pub fn score_corpus_folds(
    source: &dyn RecordTexts,
    targets: &Targets,
    folds: &Folds,
    progress: &mut dyn FnMut(usize, usize),
    cancel: &AtomicBool,
) -> Result<(Vec<f64>, FoldSums), ScoreError> {
    let total = source.count();
    let width = folds.count();
    let mut scores = Vec::with_capacity(total);
    let mut sums = vec![0i64; total * width];
    let batch = batch_size(total, rayon::current_num_threads());
    while scores.len() < total {
        if cancel.load(Ordering::Relaxed) {
            return Err(ScoreError::Cancelled);
        }
        let (start, end) = (scores.len(), (scores.len() + batch).min(total));
        let text = source.read(start..end)?;
        let out = &mut sums[start * width..end * width];
        scores.extend(score_each_folds(start..end, targets, folds, text, out)?);
        progress(scores.len(), total);
    }
    Ok((scores, FoldSums::new(width, sums)))
}

/// [`score_each`], also writing each text's sums of terms per fold of `folds` into `sums`
/// (`folds.count()` of them per text, in `range`'s order).
pub fn score_each_folds<F, T>(
    range: Range<usize>,
    targets: &Targets,
    folds: &Folds,
    text: F,
    sums: &mut [i64],
) -> Result<Vec<f64>, ScoreError>
where
    F: Fn(usize) -> Result<T, ScoreError> + Sync,
    T: AsRef<[u8]>,
{
    if targets.is_empty() {
        return Err(ScoreError::NoTargets);
    }
    assert_eq!(folds.targets(), targets.len(), "folds of these targets");
    let width = folds.count();
    assert_eq!(sums.len(), range.len() * width, "one sum per fold per text");
    let start = range.start;
    let mut scores = vec![0.0; range.len()];
    scores
        .par_iter_mut()
        .zip(sums.par_chunks_mut(width))
        .enumerate()
        .try_for_each_init(
            || Aligner::new(targets),
            |aligner, (k, (score, sums))| {
                let i = start + k;
                *score = aligner.score_folds(text(i)?.as_ref(), folds, sums).ok_or(
                    ScoreError::Stability(StabilityError::OutOfRange { record: i }),
                )?;
                Ok::<(), ScoreError>(())
            },
        )?;
    Ok(scores)
}

/// Records per batch: about a hundred batches, each big enough to keep every thread busy.
pub fn batch_size(total: usize, threads: usize) -> usize {
    (total / 100).clamp(threads.max(1) * 8, 4096)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonl::ReadOptions;

    fn corpus(texts: &[&str]) -> Corpus {
        let lines: Vec<String> = texts
            .iter()
            .map(|t| serde_json::json!({ "text": t }).to_string())
            .collect();
        Corpus::from_bytes("s", lines.join("\n").into_bytes(), &ReadOptions::default()).unwrap()
    }

    /// `n` small Python functions as targets for `compressor`'s exact model, target `i`
    /// padded with `pad` repeated `i * step` times.
    fn function_targets(compressor: Compressor, n: usize, pad: &str, step: usize) -> Targets {
        let texts = (0..n)
            .map(|i| {
                format!(
                    "def f{i}(a):\n    return a * {i} + {}\n",
                    pad.repeat(i * step)
                )
            })
            .collect();
        let method = Method {
            compressor,
            backend: Backend::Model,
        };
        Targets::new(texts, method)
    }

    #[test]
    fn python_code_aligns_with_python_targets() {
        let method = Method::default();
        let targets = Targets::new(
            vec![
                "def add(a, b):\n    return a + b\n".into(),
                "def mul(a, b):\n    return a * b\n".into(),
            ],
            method,
        );
        let source = corpus(&[
            "The quick brown fox jumps over the lazy dog near the river bank.",
            "def sub(a, b):\n    return a - b\n",
        ]);
        let scores = score_range(&source, 0..2, &targets).unwrap();
        assert!(scores[1] > scores[0], "{scores:?}");
    }

    #[test]
    fn per_target_terms_average_to_the_score_exactly() {
        for compressor in crate::explain::all_compressors() {
            let targets = function_targets(compressor, 7, "x", 40);
            let mut aligner = Aligner::new(&targets);
            let x = "def g(a):\n    return a * 3 + 1\n".repeat(12);
            let terms = aligner.per_target(x.as_bytes());
            let mean = terms.iter().sum::<f64>() / terms.len() as f64;
            assert_eq!(
                mean.to_bits(),
                aligner.score(x.as_bytes()).to_bits(),
                "{compressor}"
            );
        }
    }

    #[test]
    fn fold_sums_add_up_to_the_full_score_exactly() {
        for compressor in crate::explain::all_compressors() {
            let targets = function_targets(compressor, 23, "y", 7);
            let folds = Folds::new(targets.len(), stability::SEED);
            let mut aligner = Aligner::new(&targets);
            let mut sums = vec![0i64; folds.count()];
            for x in [
                "def g(a):\n    return a - 1\n",
                "plain words, no code at all",
                "",
            ] {
                let score = aligner
                    .score_folds(x.as_bytes(), &folds, &mut sums)
                    .unwrap();
                assert_eq!(score.to_bits(), aligner.score(x.as_bytes()).to_bits());
                let terms = aligner.per_target(x.as_bytes());
                let exact: i128 = terms.iter().map(|&t| stability::units(t) as i128).sum();
                assert_eq!(
                    sums.iter().map(|&s| s as i128).sum::<i128>(),
                    exact,
                    "{compressor}"
                );
                for (f, &sum) in sums.iter().enumerate() {
                    let fold: i128 = (0..terms.len())
                        .filter(|&j| folds.of(j) == f)
                        .map(|j| stability::units(terms[j]) as i128)
                        .sum();
                    assert_eq!(sum as i128, fold);
                }
                // The exact mean and the reference's in-order f64 mean differ by rounding only.
                let mean = exact as f64 * stability::UNIT / terms.len() as f64;
                assert!((mean - score).abs() <= 4.0 * f64::EPSILON, "{mean} {score}");
            }
        }
    }

    #[test]
    fn scoring_with_folds_keeps_the_scores() {
        let targets = Targets::new(
            (0..12)
                .map(|i| format!("target {i} {}", "ab".repeat(i)))
                .collect(),
            Method::default(),
        );
        let source = corpus(&["def f(): pass", "target 3 ababab", "", "zzz"]);
        let folds = Folds::new(targets.len(), stability::SEED);
        let never = AtomicBool::new(false);
        let plain = score_corpus(&source, &targets, &mut |_, _| {}, &never).unwrap();
        let (scores, sums) =
            score_corpus_folds(&source, &targets, &folds, &mut |_, _| {}, &never).unwrap();
        assert_eq!(plain, scores);
        assert_eq!(sums.len(), 4);
        assert_eq!(sums.record(1).len(), folds.count());
    }

    #[test]
    fn cancel_stops_scoring() {
        let targets = Targets::new(vec!["y".into()], Method::default());
        let source = corpus(&["a", "b"]);
        let cancel = AtomicBool::new(true);
        let result = score_corpus(&source, &targets, &mut |_, _| {}, &cancel);
        assert!(matches!(result, Err(ScoreError::Cancelled)));
    }
}
