//! Token counts for token budgets.
//!
//! The paper selects by tokens of its model's tokenizer. A budget here counts with a
//! [`TokenCounter`]: a cheap estimate ([`TokenEstimate`], UTF-8 bytes / 4 or words), or,
//! with the `tokenizers` feature, a model's own tokenizer ([`TokenModel`]: any Hugging Face
//! `tokenizer.json`, or OpenAI's `cl100k_base` and `o200k_base`).
//!
//! Estimates are computed for every record when a file is read. A model's counts are
//! not: a token budget walks the ranking from the top, so [`TokenCounts::count_for_budget`]
//! counts only the records down to the cut, and keeps each count once computed.

mod counts;
mod estimate;
#[cfg(feature = "tokenizers")]
mod model;
mod records;

use std::fmt;
#[cfg(feature = "tokenizers")]
use std::sync::Arc;

pub use counts::TokenCounts;
pub use estimate::TokenEstimate;
#[cfg(feature = "tokenizers")]
pub use model::{ModelError, OpenAiEncoding, TokenModel};
pub use records::{Guess, ReadTexts, RecordTokens};

/// What a token budget counts.
#[derive(Clone, Debug)]
pub enum TokenCounter {
    /// An estimate, computed for every record as its file is read.
    Estimate(TokenEstimate),
    /// A model's tokenizer, run on the records a budget needs.
    #[cfg(feature = "tokenizers")]
    Model(Arc<TokenModel>),
}

impl Default for TokenCounter {
    fn default() -> Self {
        TokenCounter::Estimate(TokenEstimate::default())
    }
}

impl From<TokenEstimate> for TokenCounter {
    fn from(estimate: TokenEstimate) -> Self {
        TokenCounter::Estimate(estimate)
    }
}

/// A record's text could not be tokenized.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{tokenizer} could not tokenize record {}: {reason}", index + 1)]
pub struct CountError {
    /// 0-based index of the record.
    pub index: usize,
    /// The tokenizer's name.
    pub tokenizer: String,
    /// What went wrong.
    pub reason: String,
}

impl TokenCounter {
    /// The estimate to compute while reading records: this counter's own, or the byte
    /// estimate (cheap, and unused) when a model counts.
    pub fn read_estimate(&self) -> TokenEstimate {
        match self {
            TokenCounter::Estimate(estimate) => *estimate,
            #[cfg(feature = "tokenizers")]
            TokenCounter::Model(_) => TokenEstimate::Bytes,
        }
    }

    /// Whether counts are known for every record once it is read (an estimate).
    pub fn is_estimate(&self) -> bool {
        matches!(self, TokenCounter::Estimate(_))
    }

    /// The counts to start from, given each record's read-time estimate: those
    /// estimates for an estimate, nothing yet for a model.
    pub fn initial_counts(&self, estimates: impl ExactSizeIterator<Item = u32>) -> TokenCounts {
        if self.is_estimate() {
            TokenCounts::known(estimates)
        } else {
            TokenCounts::unknown(estimates.len())
        }
    }

    /// Tokens of `text`.
    pub fn count(&self, text: &str) -> Result<u64, CountError> {
        match self {
            TokenCounter::Estimate(estimate) => Ok(estimate.estimate(text)),
            #[cfg(feature = "tokenizers")]
            TokenCounter::Model(model) => model.count(text).map_err(|reason| CountError {
                index: 0,
                tokenizer: model.name().to_string(),
                reason,
            }),
        }
    }

    /// Tokens of each of `texts`, counted in parallel (rayon's pool: the worker's threads
    /// in the page).
    pub fn count_all<S: AsRef<str> + Sync>(&self, texts: &[S]) -> Result<Vec<u64>, CountError> {
        use rayon::prelude::*;
        texts
            .par_iter()
            .enumerate()
            .map(|(index, text)| {
                self.count(text.as_ref())
                    .map_err(|error| CountError { index, ..error })
            })
            .collect()
    }

    /// Parses a counter named on a command line or in Python: `bytes`, `words`,
    /// `cl100k_base`, `o200k_base`, or the path of a `tokenizer.json`.
    #[cfg(feature = "builtin-encodings")]
    pub fn from_spec(spec: &str) -> Result<TokenCounter, ModelError> {
        if let Ok(estimate) = spec.parse::<TokenEstimate>() {
            return Ok(TokenCounter::Estimate(estimate));
        }
        if let Some(encoding) = OpenAiEncoding::from_name(spec) {
            return Ok(TokenCounter::Model(Arc::new(encoding.builtin()?)));
        }
        let path = std::path::Path::new(spec);
        let bytes = std::fs::read(path).map_err(|error| ModelError::Unreadable {
            name: spec.to_string(),
            reason: format!(
                "{error} (expected bytes, words, cl100k_base, o200k_base or a tokenizer.json)"
            ),
        })?;
        let name = path.file_name().map_or_else(
            || spec.to_string(),
            |name| name.to_string_lossy().into_owned(),
        );
        Ok(TokenCounter::Model(Arc::new(TokenModel::hugging_face(
            &name, &bytes,
        )?)))
    }
}

impl fmt::Display for TokenCounter {
    /// How the counter is named in summaries: "bytes / 4", "words", "cl100k_base",
    /// "Llama-3 tokenizer.json".
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenCounter::Estimate(TokenEstimate::Bytes) => write!(f, "bytes / 4"),
            TokenCounter::Estimate(TokenEstimate::Words) => write!(f, "words"),
            #[cfg(feature = "tokenizers")]
            TokenCounter::Model(model) => write!(f, "{}", model.name()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates_count_in_parallel_in_order() {
        let counter = TokenCounter::Estimate(TokenEstimate::Words);
        assert_eq!(
            counter.count_all(&["a b", "", "c d e"]).unwrap(),
            vec![2, 0, 3]
        );
        assert_eq!(counter.to_string(), "words");
    }
}
