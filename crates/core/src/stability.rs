//! Stability over targets: would a different handful of targets change the selection?
//!
//! The targets are split once, by a fixed seed, into folds. While a run scores, each
//! record also keeps the sum of its terms `1 - NCD(x, y_j)` over each fold's targets, so
//! nothing is compressed twice. From those sums: how much the kept sets of two disjoint
//! halves of the targets agree, and how the ranking converges to the full one as folds are
//! added (the target-size ablation).
//!
//! Exactness: every term `1 - NCD` is a whole multiple of 2^-53. When the term is at least
//! 1/2 in magnitude that is the grid of its binade; when it is smaller, `NCD` lies in
//! [1/2, 3/2], where its own grid is 2^-53 or coarser and `1 - NCD` is computed exactly
//! (Sterbenz). So a term is an integer number of [`UNIT`]s, fold sums are integer sums,
//! and the folds of a record add up exactly to the exact sum of all its terms. The score
//! itself stays the f64 sum in target order that the reference code computes, which can
//! differ from the exact mean in its last bits.

use crate::compare::{self, Comparison};
use crate::select::{self, Budget};

/// The value of one unit of a fold sum: a term `t` is `t / UNIT` units exactly.
pub const UNIT: f64 = 1.0 / (1u64 << 53) as f64;

/// Folds when there are enough targets (fewer targets give one target a fold).
pub const FOLDS: usize = 10;

/// The most targets in one fold, so that a fold's sum fits an `i64` (terms lie in
/// [-1, 2] for any compressor that does not expand `x ++ y` past 30 times the larger of
/// `C(x)`, `C(y)`; a sum out of range is reported, never wrapped).
pub const MAX_FOLD_TARGETS: usize = 256;

/// The split's seed: fixed, so the same targets always give the same folds.
pub const SEED: u64 = 0x2F17_5EED;

/// A term `1 - NCD` as a whole number of [`UNIT`]s (exact: see the module's note).
#[inline]
pub fn units(term: f64) -> i64 {
    let scaled = term / UNIT;
    debug_assert_eq!(scaled.fract(), 0.0, "{term} is not a multiple of 2^-53");
    scaled as i64
}

/// A fixed, seeded split of the targets into folds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Folds {
    of_target: Vec<u16>,
    sizes: Vec<usize>,
}

impl Folds {
    /// Splits `targets` targets into [`FOLDS`] folds (one per target when there are fewer,
    /// more when a fold would exceed [`MAX_FOLD_TARGETS`]), shuffled by `seed`; fold sizes
    /// differ by at most one.
    pub fn new(targets: usize, seed: u64) -> Folds {
        let count = FOLDS
            .min(targets)
            .max(targets.div_ceil(MAX_FOLD_TARGETS))
            .max(1);
        let mut order: Vec<usize> = (0..targets).collect();
        let mut state = seed;
        // Fisher-Yates with splitmix64: small, deterministic on every platform.
        for i in (1..targets).rev() {
            let j = (splitmix64(&mut state) % (i as u64 + 1)) as usize;
            order.swap(i, j);
        }
        let mut of_target = vec![0u16; targets];
        let mut sizes = vec![0usize; count];
        for (position, &target) in order.iter().enumerate() {
            // Contiguous runs of the shuffled order: fold f holds positions
            // [f * targets / count, (f + 1) * targets / count).
            let fold = position * count / targets.max(1);
            of_target[target] = fold as u16;
            sizes[fold] += 1;
        }
        Folds { of_target, sizes }
    }

    /// Number of folds.
    pub fn count(&self) -> usize {
        self.sizes.len()
    }

    /// The fold of target `j`.
    #[inline]
    pub fn of(&self, j: usize) -> usize {
        self.of_target[j] as usize
    }

    /// Targets in each fold.
    pub fn sizes(&self) -> &[usize] {
        &self.sizes
    }

    /// Each fold's targets (0-based, ascending).
    pub fn members(&self) -> Vec<Vec<usize>> {
        let mut members = vec![Vec::new(); self.count()];
        for (j, &fold) in self.of_target.iter().enumerate() {
            members[fold as usize].push(j);
        }
        members
    }

    /// Number of targets.
    pub fn targets(&self) -> usize {
        self.of_target.len()
    }
}

fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Every record's sum of terms per fold, in [`UNIT`]s: record `i`'s folds are
/// `sums[i * folds .. (i + 1) * folds]`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FoldSums {
    folds: usize,
    sums: Vec<i64>,
}

impl FoldSums {
    /// Sums for records laid out as above.
    pub fn new(folds: usize, sums: Vec<i64>) -> FoldSums {
        assert!(
            folds > 0 && sums.len().is_multiple_of(folds),
            "one sum per fold per record"
        );
        FoldSums { folds, sums }
    }

    /// Number of records.
    pub fn len(&self) -> usize {
        self.sums.len() / self.folds
    }

    /// True when there are no records.
    pub fn is_empty(&self) -> bool {
        self.sums.is_empty()
    }

    /// Record `i`'s sum per fold.
    pub fn record(&self, i: usize) -> &[i64] {
        &self.sums[i * self.folds..(i + 1) * self.folds]
    }

    /// Record `i`'s exact sum over the folds in `folds`, in [`UNIT`]s.
    pub fn sum(&self, i: usize, folds: std::ops::Range<usize>) -> i128 {
        self.record(i)[folds].iter().map(|&s| s as i128).sum()
    }

    /// Every record's mean term over the targets of `folds`, on the score's scale.
    pub fn means(&self, split: &Folds, folds: std::ops::Range<usize>) -> Vec<f64> {
        let targets: usize = split.sizes()[folds.clone()].iter().sum();
        (0..self.len())
            .map(|i| self.sum(i, folds.clone()) as f64 * UNIT / targets as f64)
            .collect()
    }
}

/// Two rankings over the same records compared at one budget.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Agreement {
    /// Spearman's rank correlation.
    pub spearman: f64,
    /// Records the first keeps.
    pub kept_a: usize,
    /// Records the second keeps.
    pub kept_b: usize,
    /// Records both keep.
    pub kept_both: usize,
    /// Kept by both over kept by either.
    pub jaccard: f64,
}

impl From<Comparison> for Agreement {
    fn from(c: Comparison) -> Agreement {
        Agreement {
            jaccard: c.jaccard(),
            spearman: c.spearman,
            kept_a: c.kept_a,
            kept_b: c.kept_b,
            kept_both: c.kept_both,
        }
    }
}

/// The ranking from the first `folds` folds, against the full one.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Step {
    /// Folds used.
    pub folds: usize,
    /// Targets in them.
    pub targets: usize,
    /// This ranking against the full score's.
    #[serde(flatten)]
    pub agreement: Agreement,
}

/// What the fold sums say about a run at one budget.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Report {
    /// Targets in the run.
    pub targets: usize,
    /// Each fold's targets (0-based indexes in the target file's record order).
    pub folds: Vec<Vec<usize>>,
    /// The split's seed.
    pub seed: u64,
    /// The budget the kept sets were cut at, as text ("top 10%").
    pub budget: String,
    /// Targets in the first half (folds `0..count / 2`) and in the second.
    pub half_targets: [usize; 2],
    /// The first half's ranking (A) against the second's (B).
    pub halves: Agreement,
    /// The ranking from the first k folds against the full score's, k = 1..=count.
    pub convergence: Vec<Step>,
}

/// Why stability figures cannot be given.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum StabilityError {
    /// Halves need two targets at least.
    #[error("stability needs at least 2 targets (there is {0})")]
    TooFewTargets(usize),
    /// A fold's sum left `i64`'s range (a compressor expanded `x ++ y` far past `C(x)`).
    #[error("record {record}: a fold's sum of terms is out of range")]
    OutOfRange {
        /// The record, 0-based.
        record: usize,
    },
}

/// The stability figures of a run: `scores` are its scores, `sums` its fold sums over
/// `split`, `tokens(i)` record `i`'s estimate (for a token budget).
pub fn report(
    scores: &[f64],
    sums: &FoldSums,
    split: &Folds,
    budget: Budget,
    tokens: impl Fn(usize) -> u64,
) -> Result<Report, StabilityError> {
    let count = split.count();
    if count < 2 {
        return Err(StabilityError::TooFewTargets(split.targets()));
    }
    assert_eq!(scores.len(), sums.len(), "one fold sum row per score");
    // Each ranking is sorted once; the full one serves every step.
    let ranked = |values: Vec<f64>| {
        let order = select::rank(&values);
        (values, order)
    };
    let agreement = |(a, order_a): &(Vec<f64>, Vec<u32>), (b, order_b): (&[f64], &[u32])| {
        let spearman = compare::spearman_ranked(a, order_a, b, order_b);
        compare::compare_ranked((a, order_a), (b, order_b), spearman, budget, &tokens).into()
    };
    let half = count / 2;
    let first = ranked(sums.means(split, 0..half));
    let second = ranked(sums.means(split, half..count));
    let halves = agreement(&first, (&second.0, &second.1));
    let full_order = select::rank(scores);
    let convergence = (1..=count)
        .map(|k| Step {
            folds: k,
            targets: split.sizes()[..k].iter().sum(),
            agreement: agreement(&ranked(sums.means(split, 0..k)), (scores, &full_order)),
        })
        .collect();
    Ok(Report {
        targets: split.targets(),
        folds: split.members(),
        seed: SEED,
        budget: budget.to_string(),
        half_targets: [
            split.sizes()[..half].iter().sum(),
            split.sizes()[half..].iter().sum(),
        ],
        halves,
        convergence,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_cover_every_target_once_with_even_sizes() {
        for targets in [1, 2, 5, 10, 11, 82, 185, 3000] {
            let folds = Folds::new(targets, SEED);
            assert_eq!(folds.sizes().iter().sum::<usize>(), targets);
            let (min, max) = (
                folds.sizes().iter().min().unwrap(),
                folds.sizes().iter().max().unwrap(),
            );
            assert!(max - min <= 1, "{targets}: {:?}", folds.sizes());
            assert!(*max <= MAX_FOLD_TARGETS);
            assert_eq!(folds.count(), FOLDS.min(targets).max(targets.div_ceil(256)));
            assert_eq!(folds, Folds::new(targets, SEED), "deterministic");
        }
        assert_ne!(Folds::new(82, 1), Folds::new(82, 2), "the seed shuffles");
    }

    #[test]
    fn terms_are_whole_units() {
        for (cx, cy, cxy) in [
            (100u64, 50, 120),
            (37, 1000, 1020),
            (20, 21, 22),
            (7, 3, 40),
        ] {
            let term = 1.0 - crate::ncd::ncd(cx, cy, cxy);
            assert_eq!(units(term) as f64 * UNIT, term);
        }
    }

    #[test]
    fn one_target_has_no_halves() {
        let split = Folds::new(1, SEED);
        let sums = FoldSums::new(1, vec![0, 1]);
        let result = report(&[0.0, 1.0], &sums, &split, Budget::Count(1), |_| 1);
        assert_eq!(result, Err(StabilityError::TooFewTargets(1)));
    }
}
