//! A shell's records as a budget sees them: each one's tokens, counted when first needed.

use std::sync::Mutex;

use super::{TokenCounter, TokenCounts};
use crate::select::Budget;

/// A cheap guess at record `i`'s count.
pub type Guess<'a> = dyn Fn(u32) -> u64 + 'a;

/// Reads the texts of the records at `indices`, in that order.
pub type ReadTexts<'a> = dyn Fn(&[u32]) -> Result<Vec<String>, String> + 'a;

/// Every record's tokens by one counter, for the budgets, comparisons and summaries that
/// take `tokens(i)`: known counts are used as they are, a record not counted yet is read
/// and counted on the spot, and [`RecordTokens::prepare`] counts a token budget's records
/// ahead, a window of the ranking at a time and in parallel.
pub struct RecordTokens<'a> {
    counter: &'a TokenCounter,
    counts: &'a TokenCounts,
    texts: &'a ReadTexts<'a>,
    /// A cheap guess at each record's count (the byte estimate), for sizing windows.
    guess: &'a Guess<'a>,
    /// The first error met by [`RecordTokens::get`], which cannot return one.
    error: Mutex<Option<String>>,
}

impl<'a> RecordTokens<'a> {
    /// Records whose counts so far are `counts`, read by `texts`; `guess(i)` is a cheap
    /// guess at record `i`'s count (its byte estimate), which sizes the windows counted.
    pub fn new(
        counter: &'a TokenCounter,
        counts: &'a TokenCounts,
        texts: &'a ReadTexts<'a>,
        guess: &'a Guess<'a>,
    ) -> RecordTokens<'a> {
        RecordTokens {
            counter,
            counts,
            texts,
            guess,
            error: Mutex::new(None),
        }
    }

    /// Counts, ahead, every record a token `budget` keeps along `order` (and the one
    /// past the cut); other budgets need no counts.
    pub fn prepare(&self, order: &[u32], budget: Budget) -> Result<(), String> {
        let Budget::Tokens(limit) = budget else {
            return Ok(());
        };
        self.counts
            .count_for_budget(order, limit, self.guess, |missing| self.count(missing))
            .map(|_| ())
    }

    /// Reads and counts the records at `indices`.
    fn count(&self, indices: &[u32]) -> Result<Vec<u64>, String> {
        let texts = (self.texts)(indices)?;
        self.counter.count_all(&texts).map_err(|error| {
            let index = indices[error.index] as usize;
            super::CountError { index, ..error }.to_string()
        })
    }

    /// Record `i`'s tokens, counted now if not counted yet. An error counts 0 tokens and
    /// is kept: check [`RecordTokens::finish`] before trusting what used the counts.
    pub fn get(&self, i: usize) -> u64 {
        if let Some(count) = self.counts.get(i) {
            return count;
        }
        match self.count(&[i as u32]) {
            Ok(counts) => {
                self.counts.set(i, counts[0]);
                counts[0]
            }
            Err(error) => {
                let mut first = self.error.lock().unwrap_or_else(|e| e.into_inner());
                first.get_or_insert(error);
                0
            }
        }
    }

    /// Calls `f` with `tokens(i)`, having counted ahead what each `(order, budget)` walk
    /// needs; the first error counting met (ahead or on the spot) is returned instead.
    pub fn run<R>(
        self,
        walks: &[(&[u32], Budget)],
        f: impl FnOnce(&dyn Fn(usize) -> u64) -> R,
    ) -> Result<R, String> {
        for &(order, budget) in walks {
            self.prepare(order, budget)?;
        }
        let result = f(&|i| self.get(i));
        self.finish()?;
        Ok(result)
    }

    /// The first error counting met, if any.
    pub fn finish(self) -> Result<(), String> {
        match self.error.into_inner().unwrap_or_else(|e| e.into_inner()) {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::select::{rank, select};
    use crate::tokens::TokenEstimate;

    #[test]
    fn counts_ahead_then_on_the_spot() {
        let texts: Vec<String> = (0..3000).map(|i| "w ".repeat(i % 17)).collect();
        let scores: Vec<f64> = (0..3000).map(|i| ((i * 31) % 101) as f64).collect();
        let order = rank(&scores);
        let counter = TokenCounter::Estimate(TokenEstimate::Words);
        let counts = TokenCounts::unknown(texts.len());
        let read = |indices: &[u32]| -> Result<Vec<String>, String> {
            Ok(indices.iter().map(|&i| texts[i as usize].clone()).collect())
        };
        let guess = |i: u32| (i % 17) as u64;
        let tokens = RecordTokens::new(&counter, &counts, &read, &guess);
        tokens.prepare(&order, Budget::Tokens(2000)).unwrap();
        let counted = counts.counted();
        assert!(counted > 0 && counted < texts.len());
        let kept = select(&order, &scores, Budget::Tokens(2000), |i| tokens.get(i));
        assert_eq!(
            counts.counted(),
            counted,
            "the budget's records were all counted ahead"
        );
        let truth = select(&order, &scores, Budget::Tokens(2000), |i| (i % 17) as u64);
        assert_eq!(kept, truth);
        assert_eq!(tokens.get(order[2999] as usize), (order[2999] % 17) as u64);
        tokens.finish().unwrap();
    }

    #[test]
    fn a_read_error_is_kept() {
        let counter = TokenCounter::Estimate(TokenEstimate::Words);
        let counts = TokenCounts::unknown(4);
        let read = |_: &[u32]| -> Result<Vec<String>, String> { Err("gone".to_string()) };
        let tokens = RecordTokens::new(&counter, &counts, &read, &|_| 1);
        assert_eq!(tokens.get(2), 0);
        assert_eq!(tokens.finish(), Err("gone".to_string()));
    }
}
