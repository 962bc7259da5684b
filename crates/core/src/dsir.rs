//! A baseline: DSIR's hashed n-gram importance weights (Xie et al., "Data Selection for
//! Language Models via Importance Resampling"), as the `data-selection` package 1.0.3
//! computes them with `HashedNgramDSIR` and its defaults.
//!
//! A text is lowercased and cut into words by NLTK's `WordPunctTokenizer`
//! (`\w+|[^\w\s]+`); each word and each pair of neighbouring words (joined by a space)
//! is hashed into one of 10,000 buckets (SHA-256 of its UTF-8, as an integer, modulo
//! 10,000). The target and source sets each give a distribution over the buckets; a
//! record's weight is `sum over its n-grams of log(p_target + 1e-8) - log(p_source + 1e-8)`.
//! Ranking by it needs no resampling: the top records are DSIR's top-k selection.
//!
//! Where this can differ from the package: Python's `\w` and `\s` are its `str` methods'
//! classes, and the `regex` crate's are Unicode's word and white-space properties; they
//! agree on letters, digits and common marks, but not on every code point (the test lists
//! what it found on the development data). The package fits the source distribution on at
//! most 10^9 n-grams per shard; this fits on every record. It also drops records of fewer
//! than 100 words before resampling; this scores every record, and leaves length filters
//! to the caller.

use std::sync::OnceLock;

use rayon::prelude::*;
use regex::Regex;
use sha2::{Digest, Sha256};

use crate::score::{RecordTexts, ScoreError};

/// Buckets n-grams are hashed into (the package's default).
pub const BUCKETS: usize = 10_000;

/// Words per n-gram, at most (2: unigrams and bigrams, the package's default).
pub const NGRAMS: usize = 2;

/// Added to each probability before its log, as the package does.
const SMOOTHING: f64 = 1e-8;

fn words(text: &str) -> Vec<String> {
    static WORD_PUNCT: OnceLock<Regex> = OnceLock::new();
    let pattern = WORD_PUNCT.get_or_init(|| Regex::new(r"\w+|[^\w\s]+").expect("a valid pattern"));
    let lower = text.to_lowercase();
    pattern
        .find_iter(&lower)
        .map(|m| m.as_str().to_string())
        .collect()
}

/// The bucket of one n-gram: `int(sha256(ngram).hexdigest(), 16) % BUCKETS`.
pub fn bucket(ngram: &str) -> usize {
    let digest = Sha256::digest(ngram.as_bytes());
    digest
        .iter()
        .fold(0usize, |rest, &byte| (rest * 256 + byte as usize) % BUCKETS)
}

/// N-grams whose bucket a thread remembers; past this many it starts afresh. About 10 MB
/// a thread when full. In the page, 200,000 records took 22.7 s with it and 32.1 s
/// without; 65,536 gained nothing (natively, with SHA instructions, no change either way).
const REMEMBERED: usize = 1 << 18;

thread_local! {
    /// Buckets already hashed on this thread: words and word pairs repeat a great deal,
    /// and SHA-256 is most of DSIR's time (more so in Wasm, without SHA instructions).
    static KNOWN: std::cell::RefCell<std::collections::HashMap<String, u16>> =
        std::cell::RefCell::new(std::collections::HashMap::new());
}

/// [`bucket`], remembered per thread.
fn bucket_remembered(ngram: &str) -> usize {
    KNOWN.with(|known| {
        let mut known = known.borrow_mut();
        if let Some(&b) = known.get(ngram) {
            return b as usize;
        }
        let b = bucket(ngram);
        if known.len() >= REMEMBERED {
            known.clear();
        }
        known.insert(ngram.to_string(), b as u16);
        b
    })
}

/// The buckets of every n-gram of `text`: its words, then its pairs of words.
pub fn buckets(text: &str) -> Vec<usize> {
    let words = words(text);
    let mut out: Vec<usize> = words.iter().map(|w| bucket_remembered(w)).collect();
    let mut pair = String::new();
    for two in words.windows(NGRAMS) {
        pair.clear();
        for (k, word) in two.iter().enumerate() {
            if k > 0 {
                pair.push(' ');
            }
            pair.push_str(word);
        }
        out.push(bucket_remembered(&pair));
    }
    out
}

/// The bucket counts of texts `text(i)` for `i` in `0..n`, in parallel. Counts add up:
/// the counts of a corpus read in batches, summed with [`add_counts`], are its counts.
pub fn counts<F, E>(n: usize, text: F) -> Result<Vec<u64>, E>
where
    F: Fn(usize) -> Result<String, E> + Sync,
    E: Send,
{
    (0..n)
        .into_par_iter()
        .try_fold(
            || vec![0u64; BUCKETS],
            |mut counts, i| {
                for b in buckets(&text(i)?) {
                    counts[b] += 1;
                }
                Ok(counts)
            },
        )
        .try_reduce(
            || vec![0u64; BUCKETS],
            |mut a, b| {
                for (x, y) in a.iter_mut().zip(b) {
                    *x += y;
                }
                Ok(a)
            },
        )
}

/// Adds `more` into `total`, bucket by bucket.
pub fn add_counts(total: &mut [u64], more: &[u64]) {
    for (t, m) in total.iter_mut().zip(more) {
        *t += m;
    }
}

fn probabilities(counts: &[u64]) -> Vec<f64> {
    let total = counts.iter().sum::<u64>() as f64;
    counts.iter().map(|&c| c as f64 / total).collect()
}

/// DSIR's weight of every source record against `targets`, fitting the source model on
/// those records first (so each text is read twice), a batch at a time, in parallel on
/// the current pool.
pub fn score_corpus(source: &dyn RecordTexts, targets: &[String]) -> Result<Vec<f64>, ScoreError> {
    if targets.is_empty() {
        return Err(ScoreError::NoTargets);
    }
    let total = source.count();
    let batch = crate::score::batch_size(total, rayon::current_num_threads()).max(1 << 14);
    let batches = || {
        (0..total)
            .step_by(batch)
            .map(move |start| start..(start + batch).min(total))
    };
    let mut source_counts = vec![0u64; BUCKETS];
    for range in batches() {
        let text = source.read(range.clone())?;
        add_counts(
            &mut source_counts,
            &counts(range.len(), |k| text(range.start + k))?,
        );
    }
    let dsir = Dsir::from_source_counts(targets, &source_counts);
    let mut scores = Vec::with_capacity(total);
    for range in batches() {
        let text = source.read(range.clone())?;
        let batch: Result<Vec<f64>, ScoreError> = range
            .into_par_iter()
            .map(|i| Ok(dsir.score(&text(i)?)))
            .collect();
        scores.extend(batch?);
    }
    Ok(scores)
}

/// The fitted importance weights: one log ratio per bucket.
#[derive(Debug, Clone)]
pub struct Dsir {
    log_diff: Vec<f64>,
}

impl Dsir {
    /// Fits the target and source bag-of-n-grams distributions from `targets` and the
    /// `n` source texts `source(i)` (in parallel on the current rayon pool).
    pub fn fit<F, E>(targets: &[String], n: usize, source: F) -> Result<Dsir, E>
    where
        F: Fn(usize) -> Result<String, E> + Sync,
        E: Send,
    {
        Ok(Dsir::from_source_counts(targets, &counts(n, source)?))
    }

    /// Fits from the source's bucket counts, gathered beforehand (in batches, say, with
    /// [`counts`] and [`add_counts`]); the same weights as [`Dsir::fit`] on those records.
    pub fn from_source_counts(targets: &[String], source_counts: &[u64]) -> Dsir {
        let target_counts =
            counts::<_, std::convert::Infallible>(targets.len(), |j| Ok(targets[j].clone()));
        let target = match target_counts {
            Ok(counts) => probabilities(&counts),
            Err(never) => match never {},
        };
        let source = probabilities(source_counts);
        let log_diff = target
            .iter()
            .zip(&source)
            // libm's log, not `f64::ln`: the platform's log (glibc natively, a port of musl's
            // in Wasm) can differ in the last bit, and the page's weights must be the CLI's.
            .map(|(&t, &s)| libm::log(t + SMOOTHING) - libm::log(s + SMOOTHING))
            .collect();
        Dsir { log_diff }
    }

    /// `log p_target(text) - log p_source(text)` under the hashed n-gram models: the
    /// dot product of the log ratios with the text's bucket counts, in bucket order.
    pub fn score(&self, text: &str) -> f64 {
        let mut buckets = buckets(text);
        buckets.sort_unstable();
        let mut sum = 0.0;
        for run in buckets.chunk_by(|a, b| a == b) {
            sum += self.log_diff[run[0]] * run.len() as f64;
        }
        sum
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_word_runs_and_punctuation_runs() {
        assert_eq!(
            words("Hello, World!! x_y 3.14"),
            ["hello", ",", "world", "!!", "x_y", "3", ".", "14"]
        );
    }

    #[test]
    fn buckets_are_sha256_modulo_ten_thousand() {
        // int(hashlib.sha256(b"hello").hexdigest(), 16) % 10000
        assert_eq!(bucket("hello"), 7_620);
        assert_eq!(buckets("Hello hello").len(), 3);
    }

    #[test]
    fn counts_gathered_in_batches_fit_the_same_weights() {
        let targets = ["def add(a, b): return a + b".to_string()];
        let source: Vec<String> = (0..9).map(|i| format!("text {i} def f{i}(x): x")).collect();
        let whole = Dsir::fit::<_, ()>(&targets, source.len(), |i| Ok(source[i].clone())).unwrap();
        let mut total = vec![0u64; BUCKETS];
        for batch in source.chunks(4) {
            add_counts(
                &mut total,
                &counts::<_, ()>(batch.len(), |i| Ok(batch[i].clone())).unwrap(),
            );
        }
        let batched = Dsir::from_source_counts(&targets, &total);
        assert_eq!(whole.log_diff, batched.log_diff);
    }

    #[test]
    fn target_like_text_scores_higher() {
        let targets = [
            "def add(a, b): return a + b".to_string(),
            "def mul(a, b): return a * b".into(),
        ];
        let source = ["the cat sat on the mat", "def sub(a, b): return a - b"];
        let dsir = Dsir::fit::<_, ()>(&targets, 2, |i| Ok(source[i].to_string())).unwrap();
        assert!(dsir.score(source[1]) > dsir.score(source[0]));
    }
}
