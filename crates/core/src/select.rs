//! Ranking and selection: which records to keep.
//!
//! Records are ranked by descending score, ties in input order. Every budget keeps a
//! prefix of that ranking, so a selection is just a count.

use std::fmt;

/// How much to keep.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "value")]
pub enum Budget {
    /// Keep every record.
    All,
    /// The top `n` records.
    Count(usize),
    /// The top `p` percent of records (rounded to the nearest record).
    Percent(f64),
    /// The top records whose tokens (by a [`crate::tokens::TokenCounter`]) add up to at
    /// most this many.
    Tokens(u64),
    /// Records scoring strictly above this value (the paper used 0.1, 0.2, 0.3).
    Threshold(f64),
}

impl fmt::Display for Budget {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Budget::All => write!(f, "all records"),
            Budget::Count(n) => write!(f, "top {n}"),
            Budget::Percent(p) => write!(f, "top {p}%"),
            Budget::Tokens(t) => write!(f, "{t} tokens"),
            Budget::Threshold(s) => write!(f, "score > {s}"),
        }
    }
}

/// Record indices by descending score; equal scores keep input order.
pub fn rank(scores: &[f64]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..scores.len() as u32).collect();
    order.sort_by(|&a, &b| scores[b as usize].total_cmp(&scores[a as usize]));
    order
}

/// The 1-based rank of every record, in input order (the inverse of [`rank`]).
pub fn ranks(order: &[u32]) -> Vec<u32> {
    let mut ranks = vec![0; order.len()];
    for (position, &index) in order.iter().enumerate() {
        ranks[index as usize] = position as u32 + 1;
    }
    ranks
}

/// How many records of `order` the budget keeps. `tokens(i)` is record `i`'s token count.
pub fn select(
    order: &[u32],
    scores: &[f64],
    budget: Budget,
    tokens: impl Fn(usize) -> u64,
) -> usize {
    let n = order.len();
    match budget {
        Budget::All => n,
        Budget::Count(k) => k.min(n),
        Budget::Percent(p) => (((p.clamp(0.0, 100.0) / 100.0) * n as f64).round() as usize).min(n),
        Budget::Tokens(limit) => {
            let mut used = 0u64;
            order
                .iter()
                .take_while(|&&i| {
                    used += tokens(i as usize);
                    used <= limit
                })
                .count()
        }
        Budget::Threshold(t) => order.partition_point(|&i| scores[i as usize] > t),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_is_descending_and_stable() {
        let scores = [0.2, 0.5, 0.2, 0.9];
        let order = rank(&scores);
        assert_eq!(order, vec![3, 1, 0, 2]);
        assert_eq!(ranks(&order), vec![3, 2, 4, 1]);
    }

    #[test]
    fn budgets() {
        let scores = [0.2, 0.5, 0.2, 0.9];
        let order = rank(&scores);
        let tokens = |i: usize| [10, 20, 30, 40][i];
        assert_eq!(select(&order, &scores, Budget::All, tokens), 4);
        assert_eq!(select(&order, &scores, Budget::Count(2), tokens), 2);
        assert_eq!(select(&order, &scores, Budget::Count(9), tokens), 4);
        assert_eq!(select(&order, &scores, Budget::Percent(50.0), tokens), 2);
        assert_eq!(select(&order, &scores, Budget::Tokens(60), tokens), 2);
        assert_eq!(select(&order, &scores, Budget::Tokens(59), tokens), 1);
        assert_eq!(select(&order, &scores, Budget::Threshold(0.2), tokens), 2);
        assert_eq!(select(&order, &scores, Budget::Threshold(0.1), tokens), 4);
    }
}
