//! Ranking and selection: which records to keep.
//!
//! Records are ranked by descending score, ties in input order. Every budget keeps a
//! prefix of that ranking, so a selection is just a count.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
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

/// Why a number cannot be a budget: the one rule for what a budget may be, which every
/// shell applies before anything is read. Counts and token budgets are whole numbers
/// from 0 up; a percent is a finite number from 0 to 100; a threshold is a finite number
/// (a compressor's scores lie in [0, 1]; DSIR's are log-weights, of any sign).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum BudgetError {
    /// Not a whole number from 0 up.
    #[error("{value} is not a count of records: a count is a whole number from 0 up")]
    Count {
        /// The value as given.
        value: String,
    },
    /// Not a whole number from 0 up.
    #[error("{value} is not a token budget: a token budget is a whole number from 0 up")]
    Tokens {
        /// The value as given.
        value: String,
    },
    /// Not a number from 0 to 100.
    #[error("{value} is not a percent: a percent is a number from 0 to 100")]
    Percent {
        /// The value as given.
        value: String,
    },
    /// Not a finite number.
    #[error(
        "{value} is not a score threshold: a threshold is a finite number (scores lie in [0, 1], DSIR's are log-weights)"
    )]
    Threshold {
        /// The value as given.
        value: String,
    },
}

/// A count of records from text (`--top`, the page's count field).
pub fn parse_count(text: &str) -> Result<usize, BudgetError> {
    text.trim()
        .parse()
        .map_err(|_| BudgetError::Count { value: shown(text) })
}

/// A token budget from text.
pub fn parse_tokens(text: &str) -> Result<u64, BudgetError> {
    text.trim()
        .parse()
        .map_err(|_| BudgetError::Tokens { value: shown(text) })
}

/// A percent from text: a number from 0 to 100.
pub fn parse_percent(text: &str) -> Result<f64, BudgetError> {
    match text.trim().parse::<f64>() {
        Ok(p) if (0.0..=100.0).contains(&p) => Ok(p),
        _ => Err(BudgetError::Percent { value: shown(text) }),
    }
}

/// A score threshold from text: a finite number.
pub fn parse_threshold(text: &str) -> Result<f64, BudgetError> {
    match text.trim().parse::<f64>() {
        Ok(s) if s.is_finite() => Ok(s),
        _ => Err(BudgetError::Threshold { value: shown(text) }),
    }
}

/// A value as messages quote it (`""` for nothing at all).
fn shown(text: &str) -> String {
    match text.trim() {
        "" => "\"\"".to_string(),
        text => text.to_string(),
    }
}

impl Budget {
    /// A budget of `kind` (`count`, `percent`, `tokens`, `threshold` or `all`) from the
    /// text a user typed, by the rule of [`BudgetError`].
    pub fn parse(kind: &str, text: &str) -> Result<Budget, BudgetError> {
        Ok(match kind {
            "count" => Budget::Count(parse_count(text)?),
            "percent" => Budget::Percent(parse_percent(text)?),
            "tokens" => Budget::Tokens(parse_tokens(text)?),
            "threshold" => Budget::Threshold(parse_threshold(text)?),
            _ => Budget::All,
        })
    }

    /// The budget if it keeps to the rule of [`BudgetError`] (for budgets made from
    /// numbers, not text: Python's, a message's).
    pub fn checked(self) -> Result<Budget, BudgetError> {
        match self {
            Budget::Percent(p) if !(0.0..=100.0).contains(&p) => Err(BudgetError::Percent {
                value: p.to_string(),
            }),
            Budget::Threshold(s) if !s.is_finite() => Err(BudgetError::Threshold {
                value: s.to_string(),
            }),
            budget => Ok(budget),
        }
    }
}

/// What a threshold that kept nothing is told: the range the run's scores cover.
pub fn scores_range(scores: impl IntoIterator<Item = f64>) -> Option<(f64, f64)> {
    scores.into_iter().fold(None, |range, s| match range {
        None => Some((s, s)),
        Some((low, high)) => Some((low.min(s), high.max(s))),
    })
}

/// The ranking's order of two records, each `(score, index)`: higher score first, equal
/// scores in input order (lower index first).
pub fn rank_cmp(a: (f64, u32), b: (f64, u32)) -> Ordering {
    b.0.total_cmp(&a.0).then(a.1.cmp(&b.1))
}

/// Record indices by descending score; equal scores keep input order.
pub fn rank(scores: &[f64]) -> Vec<u32> {
    let mut order: Vec<u32> = (0..scores.len() as u32).collect();
    order.sort_unstable_by(|&a, &b| rank_cmp((scores[a as usize], a), (scores[b as usize], b)));
    order
}

/// Merges rankings of disjoint parts of one set of records (each `(score, index)` in
/// [`rank_cmp`] order) into the ranking of them all, calling `emit` with each index in
/// turn. A ranking too large for memory is made this way: parts ranked one at a time,
/// then merged as they are read back.
pub fn merge_ranked<I: Iterator<Item = (f64, u32)>>(mut parts: Vec<I>, mut emit: impl FnMut(u32)) {
    /// A part's next record; the heap's greatest is the record ranked first.
    struct Head(f64, u32, usize);
    impl PartialEq for Head {
        fn eq(&self, other: &Head) -> bool {
            self.cmp(other) == Ordering::Equal
        }
    }
    impl Eq for Head {}
    impl PartialOrd for Head {
        fn partial_cmp(&self, other: &Head) -> Option<Ordering> {
            Some(self.cmp(other))
        }
    }
    impl Ord for Head {
        fn cmp(&self, other: &Head) -> Ordering {
            rank_cmp((other.0, other.1), (self.0, self.1))
        }
    }
    let mut heads = BinaryHeap::with_capacity(parts.len());
    for (k, part) in parts.iter_mut().enumerate() {
        if let Some((score, index)) = part.next() {
            heads.push(Head(score, index, k));
        }
    }
    while let Some(Head(_, index, k)) = heads.pop() {
        emit(index);
        if let Some((score, index)) = parts[k].next() {
            heads.push(Head(score, index, k));
        }
    }
}

/// The 1-based rank of every record, in input order (the inverse of [`rank`]).
pub fn ranks(order: &[u32]) -> Vec<u32> {
    let mut ranks = vec![0; order.len()];
    for (position, &index) in order.iter().enumerate() {
        ranks[index as usize] = position as u32 + 1;
    }
    ranks
}

/// [`ranks`] made in the place of `order`, which it takes: memory holds one of the two,
/// not both (a ranking of 30 million records is 120 MB).
pub fn into_ranks(mut order: Vec<u32>) -> Vec<u32> {
    // Each cycle of the permutation is inverted in turn, the values written marked.
    const DONE: u32 = 1 << 31;
    if order.len() >= DONE as usize {
        return ranks(&order);
    }
    for start in 0..order.len() {
        if order[start] & DONE != 0 {
            continue;
        }
        let (mut previous, mut current) = (start as u32, order[start]);
        while current as usize != start {
            let next = order[current as usize];
            order[current as usize] = previous | DONE;
            previous = current;
            current = next;
        }
        order[start] = previous | DONE;
    }
    for value in &mut order {
        *value = (*value & !DONE) + 1;
    }
    order
}

/// How many records of `order` the budget keeps. `tokens(i)` is record `i`'s token count.
pub fn select(
    order: &[u32],
    scores: &[f64],
    budget: Budget,
    tokens: impl Fn(usize) -> u64,
) -> usize {
    select_ranked(
        order.len(),
        budget,
        order.iter(),
        |&&i| scores[i as usize],
        |&&i| tokens(i as usize),
    )
}

/// How many of `n` ranked records the budget keeps, reading `ranked` (the records, best
/// first) only as far as the budget needs: [`select`] for a ranking that is not in
/// memory. `score(r)` and `tokens(r)` are record `r`'s score and token count.
pub fn select_ranked<R>(
    n: usize,
    budget: Budget,
    ranked: impl Iterator<Item = R>,
    score: impl Fn(&R) -> f64,
    mut tokens: impl FnMut(&R) -> u64,
) -> usize {
    match budget {
        Budget::All => n,
        Budget::Count(k) => k.min(n),
        Budget::Percent(p) => (((p.clamp(0.0, 100.0) / 100.0) * n as f64).round() as usize).min(n),
        Budget::Tokens(limit) => {
            let mut used = 0u64;
            ranked
                .take_while(|r| {
                    used += tokens(r);
                    used <= limit
                })
                .count()
        }
        Budget::Threshold(t) => ranked.take_while(|r| score(r) > t).count(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_budget_is_checked_by_one_rule_naming_the_value_and_the_range() {
        let good = [
            ("count", "0", Budget::Count(0)),
            ("count", " 25 ", Budget::Count(25)),
            ("percent", "0", Budget::Percent(0.0)),
            ("percent", "100", Budget::Percent(100.0)),
            ("percent", "12.5", Budget::Percent(12.5)),
            ("tokens", "0", Budget::Tokens(0)),
            ("threshold", "-3.5", Budget::Threshold(-3.5)),
            ("threshold", "0.2", Budget::Threshold(0.2)),
        ];
        for (kind, text, want) in good {
            assert_eq!(Budget::parse(kind, text), Ok(want), "{kind} {text}");
        }
        let bad = [
            (
                "count",
                "-1",
                "-1 is not a count of records: a count is a whole number from 0 up",
            ),
            ("count", "2.5", "2.5 is not a count"),
            ("count", "", "\"\" is not a count"),
            ("count", "ten", "ten is not a count"),
            (
                "tokens",
                "-5",
                "-5 is not a token budget: a token budget is a whole number from 0 up",
            ),
            (
                "percent",
                "100.01",
                "100.01 is not a percent: a percent is a number from 0 to 100",
            ),
            ("percent", "-0.5", "-0.5 is not a percent"),
            ("percent", "150", "150 is not a percent"),
            ("percent", "NaN", "NaN is not a percent"),
            ("percent", "inf", "inf is not a percent"),
            (
                "threshold",
                "nan",
                "nan is not a score threshold: a threshold is a finite number",
            ),
            ("threshold", "inf", "inf is not a score threshold"),
            ("threshold", "-inf", "-inf is not a score threshold"),
            ("threshold", "x", "x is not a score threshold"),
        ];
        for (kind, text, want) in bad {
            let error = Budget::parse(kind, text).unwrap_err().to_string();
            assert!(error.starts_with(want), "{kind} {text}: {error}");
        }
        assert!(Budget::Percent(f64::NAN).checked().is_err());
        assert!(Budget::Threshold(f64::INFINITY).checked().is_err());
        assert_eq!(Budget::Count(3).checked(), Ok(Budget::Count(3)));
        assert_eq!(scores_range([0.5, 0.1, 0.3]), Some((0.1, 0.5)));
        assert_eq!(scores_range([]), None);
    }

    #[test]
    fn ranks_made_in_place_equal_ranks() {
        for n in [0usize, 1, 2, 7, 1000] {
            // A scrambled permutation with cycles of many lengths, and a few fixed points.
            let scores: Vec<f64> = (0..n).map(|i| ((i * 7919) % 1009) as f64).collect();
            let order = rank(&scores);
            assert_eq!(into_ranks(order.clone()), ranks(&order), "{n} records");
        }
    }

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

    /// Scores from a small deterministic generator, `distinct` values apart (many equal).
    fn scores(n: usize, seed: u64, distinct: u64) -> Vec<f64> {
        let mut state = seed;
        (0..n)
            .map(|_| {
                state = state
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                ((state >> 33) % distinct) as f64 / distinct as f64
            })
            .collect()
    }

    #[test]
    fn rank_keeps_input_order_among_equal_scores() {
        let scores = scores(10_000, 7, 50);
        let mut stable: Vec<u32> = (0..scores.len() as u32).collect();
        stable.sort_by(|&a, &b| scores[b as usize].total_cmp(&scores[a as usize]));
        assert_eq!(rank(&scores), stable);
    }

    #[test]
    fn merged_parts_rank_as_the_whole() {
        for (n, part) in [(10_000, 999), (10_000, 10_000), (7, 2), (0, 5)] {
            let scores = scores(n, n as u64 + 3, 40);
            let parts: Vec<Vec<(f64, u32)>> = (0..n)
                .step_by(part)
                .map(|start| {
                    let end = (start + part).min(n);
                    let mut ranked: Vec<(f64, u32)> =
                        (start..end).map(|i| (scores[i], i as u32)).collect();
                    ranked.sort_unstable_by(|&a, &b| rank_cmp(a, b));
                    ranked
                })
                .collect();
            let mut merged = Vec::new();
            merge_ranked(parts.into_iter().map(Vec::into_iter).collect(), |i| {
                merged.push(i)
            });
            assert_eq!(merged, rank(&scores), "{n} records in parts of {part}");
        }
    }
}
