//! What token budgets count in the page: the byte estimate every record got when its
//! file was read, or another counter (words, an OpenAI encoding, a dropped
//! tokenizer.json) run in the worker's threads on the records a budget needs, each count
//! kept for the session.

use std::sync::Arc;

use zipfit_core::select::Budget;
use zipfit_core::tokens::{
    OpenAiEncoding, RecordTokens, TokenCounter, TokenCounts, TokenEstimate, TokenModel,
};

use super::source::Source;

/// What a kept set's token figure is counted by.
pub enum Figure {
    /// The chosen counter (named).
    Counter(String),
    /// The byte estimate read with the file.
    Estimate,
}

impl Figure {
    /// The kept records' tokens: `tokens(i)` for the counter, else the estimates.
    pub fn sum(&self, source: &Source, kept: &[u32], tokens: &dyn Fn(usize) -> u64) -> u64 {
        match self {
            Figure::Counter(_) => kept.iter().map(|&i| tokens(i as usize)).sum(),
            Figure::Estimate => source.tokens().gather(kept).iter().map(|&t| t as u64).sum(),
        }
    }

    /// What counted it, for the page: "cl100k_base", "bytes / 4".
    pub fn name(&self) -> String {
        match self {
            Figure::Counter(name) => name.clone(),
            Figure::Estimate => TokenCounter::default().to_string(),
        }
    }
}

/// The counter chosen, and its counts over the current source.
#[derive(Default)]
pub struct Counting {
    counter: TokenCounter,
    /// Counts by `counter` (unless it is the byte estimate read with the file), made on
    /// first use for the current source.
    counts: Option<TokenCounts>,
}

impl Counting {
    /// Counts with `name`: `bytes`, `words`, `cl100k_base` / `o200k_base` (`bytes` then
    /// holds the rank file, fetched from the page's origin) or `file` (`bytes` holds the
    /// dropped tokenizer.json, `file_name` its name). An unusable file leaves the counter
    /// as it was and says why.
    pub fn choose(&mut self, name: &str, file_name: &str, bytes: &[u8]) -> Result<(), String> {
        let counter = match name {
            "bytes" => TokenCounter::Estimate(TokenEstimate::Bytes),
            "words" => TokenCounter::Estimate(TokenEstimate::Words),
            "file" => TokenCounter::Model(Arc::new(
                TokenModel::hugging_face(file_name, bytes).map_err(|e| e.to_string())?,
            )),
            other => {
                let encoding = OpenAiEncoding::from_name(other)
                    .ok_or_else(|| format!("unknown token counter '{other}'"))?;
                TokenCounter::Model(Arc::new(encoding.load(bytes).map_err(|e| e.to_string())?))
            }
        };
        self.counter = counter;
        self.counts = None;
        Ok(())
    }

    /// Forgets the counts: the source changed.
    pub fn clear(&mut self) {
        self.counts = None;
    }

    /// The counter's name for summaries ("bytes / 4", "cl100k_base", "my tokenizer.json").
    pub fn name(&self) -> String {
        self.counter.to_string()
    }

    /// What kept records' token figure is counted by at `budget`: the counter for a
    /// token budget; else the byte estimate every record has (a model would have to
    /// count every kept record), unless counts cost nothing.
    pub fn figure_by(&self, budget: Budget) -> Figure {
        if matches!(budget, Budget::Tokens(_)) || self.reads_estimate() {
            Figure::Counter(self.name())
        } else {
            Figure::Estimate
        }
    }

    /// Whether counts come from the estimate read with the file.
    pub fn reads_estimate(&self) -> bool {
        matches!(self.counter, TokenCounter::Estimate(TokenEstimate::Bytes))
    }

    /// Calls `f` with every record's tokens, `tokens(i)`, having counted ahead what each
    /// `(order, budget)` walk needs; a record not counted yet is counted when asked for.
    pub fn with<R>(
        &mut self,
        source: &Source,
        walks: &[(&[u32], Budget)],
        f: impl FnOnce(&dyn Fn(usize) -> u64) -> R,
    ) -> Result<R, String> {
        if self.reads_estimate() {
            // Every estimate in memory: the walks go anywhere in the file.
            let estimates = source.tokens().to_vec();
            return Ok(f(&|i| estimates[i] as u64));
        }
        let counts = self
            .counts
            .get_or_insert_with(|| TokenCounts::unknown(source.len()));
        let texts = |indices: &[u32]| -> Result<Vec<String>, String> {
            source.texts_of(indices, &mut Vec::new())
        };
        // The estimates of the walks' records (the only ones guessed), by record.
        let mut estimates: Vec<(u32, u32)> = Vec::new();
        for (walk, _) in walks {
            estimates.extend(walk.iter().copied().zip(source.tokens().gather(walk)));
        }
        estimates.sort_unstable();
        estimates.dedup();
        let guess = |i: u32| match estimates.binary_search_by_key(&i, |&(index, _)| index) {
            Ok(k) => estimates[k].1 as u64,
            Err(_) => 0,
        };
        RecordTokens::new(&self.counter, counts, &texts, &guess).run(walks, f)
    }
}
