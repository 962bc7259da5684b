//! Per-record token counts, filled as a budget needs them.

use std::sync::atomic::{AtomicU32, Ordering};

/// Not counted yet.
const UNKNOWN: u32 = u32::MAX;
/// The fewest records a budget counts at once.
const FIRST_WINDOW: usize = 256;
/// The longest window counted at once.
const MAX_WINDOW: usize = 1 << 16;

/// Every record's token count, or that it is not counted yet. Shared between threads:
/// counts only ever go from unknown to known, and a record's count never changes.
#[derive(Debug)]
pub struct TokenCounts {
    counts: Vec<AtomicU32>,
}

impl TokenCounts {
    /// `n` records, none counted.
    pub fn unknown(n: usize) -> TokenCounts {
        TokenCounts {
            counts: (0..n).map(|_| AtomicU32::new(UNKNOWN)).collect(),
        }
    }

    /// Records whose counts are all known.
    pub fn known(counts: impl Iterator<Item = u32>) -> TokenCounts {
        TokenCounts {
            counts: counts.map(|c| AtomicU32::new(c.min(UNKNOWN - 1))).collect(),
        }
    }

    /// How many records there are.
    pub fn len(&self) -> usize {
        self.counts.len()
    }

    /// Whether there are no records.
    pub fn is_empty(&self) -> bool {
        self.counts.is_empty()
    }

    /// Record `i`'s count, if counted.
    pub fn get(&self, i: usize) -> Option<u64> {
        match self.counts[i].load(Ordering::Relaxed) {
            UNKNOWN => None,
            count => Some(count as u64),
        }
    }

    /// Records record `i`'s count (saturating at `u32::MAX - 1`).
    pub fn set(&self, i: usize, count: u64) {
        let count = count.min((UNKNOWN - 1) as u64) as u32;
        self.counts[i].store(count, Ordering::Relaxed);
    }

    /// How many records are counted.
    pub fn counted(&self) -> usize {
        self.counts
            .iter()
            .filter(|c| c.load(Ordering::Relaxed) != UNKNOWN)
            .count()
    }

    /// Counts what a budget of `limit` tokens needs and returns how many records of
    /// `order` it keeps: the longest prefix whose counts add up to at most `limit`.
    ///
    /// Walks `order` from the top a window at a time and asks `fill` for the counts of
    /// the window's records not counted yet, in that order. `guess(i)` is a cheap guess
    /// at record `i`'s count (the byte estimate): a window holds enough records for their
    /// guesses to cover what is left of the budget and a quarter more (at least 256
    /// records, at most 65,536), the guesses scaled by how far they were off on the
    /// records counted so far; so a good guess needs one window, and a poor one two.
    /// The walk stops at the first record that passes the limit.
    pub fn count_for_budget<E>(
        &self,
        order: &[u32],
        limit: u64,
        guess: impl Fn(u32) -> u64,
        mut fill: impl FnMut(&[u32]) -> Result<Vec<u64>, E>,
    ) -> Result<usize, E> {
        let mut used = 0u64;
        let mut start = 0;
        // Guesses of the records walked so far: against `used`, how far off the guess is.
        let mut guessed_before = 0u64;
        while start < order.len() {
            let left = limit.saturating_sub(used);
            let mut cover = left.saturating_add(left / 4);
            if used > 0 {
                cover = (cover as f64 * guessed_before as f64 / used as f64) as u64;
            }
            let mut end = start;
            let mut guessed = 0u64;
            while end < order.len()
                && end - start < MAX_WINDOW
                && (guessed <= cover || end - start < FIRST_WINDOW)
            {
                guessed = guessed.saturating_add(guess(order[end]));
                end += 1;
            }
            let missing: Vec<u32> = order[start..end]
                .iter()
                .copied()
                .filter(|&i| self.get(i as usize).is_none())
                .collect();
            if !missing.is_empty() {
                let counts = fill(&missing)?;
                assert_eq!(counts.len(), missing.len(), "one count per record asked");
                for (&i, count) in missing.iter().zip(counts) {
                    self.set(i as usize, count);
                }
            }
            guessed_before = guessed_before.saturating_add(guessed);
            for (position, &i) in order.iter().enumerate().take(end).skip(start) {
                used += self.get(i as usize).unwrap_or(0);
                if used > limit {
                    return Ok(position);
                }
            }
            start = end;
        }
        Ok(order.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::select::{rank, select, Budget};

    #[test]
    fn counts_down_to_the_cut_and_agrees_with_select() {
        let n = 5000;
        let scores: Vec<f64> = (0..n).map(|i| ((i * 7919) % 1000) as f64).collect();
        let order = rank(&scores);
        let truth = |i: u32| (i % 13 + 1) as u64;
        // A guess a third too low, as bytes / 4 is for some models.
        let guess = |i: u32| truth(i) * 2 / 3;
        for limit in [0, 1, 50, 999, 20_000, 1_000_000] {
            let counts = TokenCounts::unknown(n);
            let (mut asked, mut calls) = (0, 0);
            let kept = counts
                .count_for_budget::<()>(&order, limit, guess, |missing| {
                    asked += missing.len();
                    calls += 1;
                    Ok(missing.iter().map(|&i| truth(i)).collect())
                })
                .unwrap();
            let expected = select(&order, &scores, Budget::Tokens(limit), |i| truth(i as u32));
            assert_eq!(kept, expected, "limit {limit}");
            // Only the windows down to the cut are counted, in a few windows.
            assert_eq!(counts.counted(), asked);
            assert!(asked <= kept * 2 + FIRST_WINDOW, "asked {asked} for {kept}");
            assert!(calls <= 4, "{calls} windows for {kept} records");
            // A second walk counts nothing more.
            let again = counts
                .count_for_budget::<()>(&order, limit, guess, |missing| {
                    panic!("counted {} again", missing.len())
                })
                .unwrap();
            assert_eq!(again, kept);
        }
    }

    #[test]
    fn a_guess_far_too_high_still_reaches_the_cut() {
        let order: Vec<u32> = (0..10_000).collect();
        let counts = TokenCounts::unknown(order.len());
        let mut calls = 0;
        let kept = counts
            .count_for_budget::<()>(
                &order,
                5000,
                |_| 100,
                |missing| {
                    calls += 1;
                    Ok(vec![1; missing.len()])
                },
            )
            .unwrap();
        assert_eq!(kept, 5000);
        assert!(calls <= 3, "{calls} windows");
    }

    #[test]
    fn errors_pass_through_and_keep_what_was_counted() {
        let counts = TokenCounts::unknown(1000);
        let order: Vec<u32> = (0..1000).collect();
        let mut calls = 0;
        let result = counts.count_for_budget(
            &order,
            10_000,
            |_| 100,
            |missing| {
                calls += 1;
                if calls == 2 {
                    Err("unreadable")
                } else {
                    Ok(vec![1; missing.len()])
                }
            },
        );
        assert_eq!(result, Err("unreadable"));
        assert_eq!(counts.counted(), FIRST_WINDOW);
    }
}
