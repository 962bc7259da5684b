//! Per-record token counts, filled as a budget needs them.

use std::sync::atomic::{AtomicU32, Ordering};

/// Not counted yet.
const UNKNOWN: u32 = u32::MAX;
/// The first window of the ranking a budget counts; each next window is twice as long.
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
    /// Walks `order` from the top a window at a time (256 records, then twice as many
    /// each time, up to 65,536), and asks `fill` for the counts of the window's records
    /// not counted yet, in that order. The walk stops at the first record that passes
    /// the limit, so at most one window beyond the cut is counted.
    pub fn count_for_budget<E>(
        &self,
        order: &[u32],
        limit: u64,
        mut fill: impl FnMut(&[u32]) -> Result<Vec<u64>, E>,
    ) -> Result<usize, E> {
        let mut used = 0u64;
        let mut start = 0;
        let mut window = FIRST_WINDOW;
        while start < order.len() {
            let end = (start + window).min(order.len());
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
            for (position, &i) in order.iter().enumerate().take(end).skip(start) {
                used += self.get(i as usize).unwrap_or(0);
                if used > limit {
                    return Ok(position);
                }
            }
            start = end;
            window = (window * 2).min(MAX_WINDOW);
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
        for limit in [0, 1, 50, 999, 20_000, 1_000_000] {
            let counts = TokenCounts::unknown(n);
            let mut asked = 0;
            let kept = counts
                .count_for_budget::<()>(&order, limit, |missing| {
                    asked += missing.len();
                    Ok(missing.iter().map(|&i| truth(i)).collect())
                })
                .unwrap();
            let expected = select(&order, &scores, Budget::Tokens(limit), |i| truth(i as u32));
            assert_eq!(kept, expected, "limit {limit}");
            // Only the windows down to the cut are counted.
            assert_eq!(counts.counted(), asked);
            assert!(
                asked <= (kept + 1) * 2 + FIRST_WINDOW,
                "asked {asked} for {kept}"
            );
            // A second walk counts nothing more.
            let again = counts
                .count_for_budget::<()>(&order, limit, |missing| {
                    panic!("counted {} again", missing.len())
                })
                .unwrap();
            assert_eq!(again, kept);
        }
    }

    #[test]
    fn errors_pass_through_and_keep_what_was_counted() {
        let counts = TokenCounts::unknown(1000);
        let order: Vec<u32> = (0..1000).collect();
        let mut calls = 0;
        let result = counts.count_for_budget(&order, 10_000, |missing| {
            calls += 1;
            if calls == 2 {
                Err("unreadable")
            } else {
                Ok(vec![1; missing.len()])
            }
        });
        assert_eq!(result, Err("unreadable"));
        assert_eq!(counts.counted(), FIRST_WINDOW);
    }
}
