//! Two runs over the same records side by side: how alike their rankings are, and how
//! much their kept sets share at one budget.

use crate::select::{self, Budget};

/// Spearman's rank correlation of `a` and `b` (the same records in the same order):
/// the Pearson correlation of their ranks, equal values sharing the mean of their ranks.
/// `NaN` when either run gives every record the same score, or there are fewer than two.
pub fn spearman(a: &[f64], b: &[f64]) -> f64 {
    assert_eq!(
        a.len(),
        b.len(),
        "spearman needs two runs over the same records"
    );
    pearson(&average_ranks(a), &average_ranks(b))
}

/// [`spearman`] of runs already ranked ([`select::rank`]'s orders): no sorting, and the
/// same value to the last bit.
pub fn spearman_ranked(a: &[f64], order_a: &[u32], b: &[f64], order_b: &[u32]) -> f64 {
    assert_eq!(
        a.len(),
        b.len(),
        "spearman needs two runs over the same records"
    );
    pearson(&ranks_from_order(a, order_a), &ranks_from_order(b, order_b))
}

/// Each value's 1-based rank in ascending order, ties given the mean of their ranks.
pub fn average_ranks(values: &[f64]) -> Vec<f64> {
    ranks_from_order(values, &select::rank(values))
}

/// [`average_ranks`] from a descending order in which equal values stand together (as
/// in [`select::rank`]'s).
fn ranks_from_order(values: &[f64], descending: &[u32]) -> Vec<f64> {
    let n = descending.len();
    let mut ranks = vec![0.0; n];
    let mut start = 0;
    while start < n {
        let mut end = start + 1;
        let value = values[descending[start] as usize];
        while end < n && values[descending[end] as usize] == value {
            end += 1;
        }
        // Descending positions start..end are ascending positions n-end..n-start, which
        // hold ranks n-end+1..=n-start; their mean:
        let mean = ((n - end) + 1 + (n - start)) as f64 / 2.0;
        for &i in &descending[start..end] {
            ranks[i as usize] = mean;
        }
        start = end;
    }
    ranks
}

fn pearson(x: &[f64], y: &[f64]) -> f64 {
    let n = x.len() as f64;
    let (mx, my) = (x.iter().sum::<f64>() / n, y.iter().sum::<f64>() / n);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (&a, &b) in x.iter().zip(y) {
        let (da, db) = (a - mx, b - my);
        sxy += da * db;
        sxx += da * da;
        syy += db * db;
    }
    sxy / (sxx * syy).sqrt()
}

/// Two runs compared at one budget.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Comparison {
    /// Records in each run.
    pub records: usize,
    /// Spearman's rank correlation of the two runs' scores.
    pub spearman: f64,
    /// Records run A keeps at the budget.
    pub kept_a: usize,
    /// Records run B keeps at the budget.
    pub kept_b: usize,
    /// Records both keep.
    pub kept_both: usize,
    /// Records A keeps and B does not, best (by A) first.
    pub only_a: Vec<u32>,
    /// Records B keeps and A does not, best (by B) first.
    pub only_b: Vec<u32>,
}

impl Comparison {
    /// Kept by both over kept by either (1 when both keep nothing).
    pub fn jaccard(&self) -> f64 {
        let either = self.kept_a + self.kept_b - self.kept_both;
        if either == 0 {
            1.0
        } else {
            self.kept_both as f64 / either as f64
        }
    }
}

/// Compares runs `a` and `b` over the same records at `budget`; `tokens(i)` is record
/// `i`'s estimate (for a token budget).
pub fn compare(a: &[f64], b: &[f64], budget: Budget, tokens: impl Fn(usize) -> u64) -> Comparison {
    assert_eq!(
        a.len(),
        b.len(),
        "compare needs two runs over the same records"
    );
    let (order_a, order_b) = (select::rank(a), select::rank(b));
    compare_ranked((a, &order_a), (b, &order_b), spearman(a, b), budget, tokens)
}

/// [`compare`] for runs already ranked (`order` from [`select::rank`]) and whose Spearman
/// correlation is known: only the cut at `budget` is made, in linear time.
pub fn compare_ranked(
    (a, order_a): (&[f64], &[u32]),
    (b, order_b): (&[f64], &[u32]),
    spearman: f64,
    budget: Budget,
    tokens: impl Fn(usize) -> u64,
) -> Comparison {
    let kept_a = select::select(order_a, a, budget, &tokens);
    let kept_b = select::select(order_b, b, budget, &tokens);
    let mut in_a = vec![false; a.len()];
    for &i in &order_a[..kept_a] {
        in_a[i as usize] = true;
    }
    let mut in_b = vec![false; b.len()];
    for &i in &order_b[..kept_b] {
        in_b[i as usize] = true;
    }
    let only = |order: &[u32], kept: usize, other: &[bool]| -> Vec<u32> {
        order[..kept]
            .iter()
            .copied()
            .filter(|&i| !other[i as usize])
            .collect()
    };
    let only_a = only(order_a, kept_a, &in_b);
    let only_b = only(order_b, kept_b, &in_a);
    Comparison {
        records: a.len(),
        spearman,
        kept_a,
        kept_b,
        kept_both: kept_a - only_a.len(),
        only_a,
        only_b,
    }
}

/// Many runs over the same records, each against each: the matrix a level sweep prints.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Matrix {
    /// Records in each run.
    pub records: usize,
    /// Records each run keeps at the budget.
    pub kept: Vec<usize>,
    /// `spearman[i][j]`: Spearman's rank correlation of runs `i` and `j` (as [`compare`]
    /// gives it, to the bit).
    pub spearman: Vec<Vec<f64>>,
    /// `kept_both[i][j]`: records runs `i` and `j` both keep.
    pub kept_both: Vec<Vec<usize>>,
}

impl Matrix {
    /// Kept by both of runs `i` and `j` over kept by either (1 when both keep nothing), as
    /// [`Comparison::jaccard`].
    pub fn jaccard(&self, i: usize, j: usize) -> f64 {
        let either = self.kept[i] + self.kept[j] - self.kept_both[i][j];
        if either == 0 {
            1.0
        } else {
            self.kept_both[i][j] as f64 / either as f64
        }
    }

    /// [`Matrix::jaccard`] of every two runs, as a matrix.
    pub fn jaccards(&self) -> Vec<Vec<f64>> {
        let n = self.kept.len();
        (0..n)
            .map(|i| (0..n).map(|j| self.jaccard(i, j)).collect())
            .collect()
    }
}

/// Compares every pair of `runs` (each a score per record, the same records in the same
/// order) at `budget`; `tokens(i)` is record `i`'s count (for a token budget). Each run is
/// ranked once.
pub fn matrix(runs: &[&[f64]], budget: Budget, tokens: impl Fn(usize) -> u64) -> Matrix {
    let records = runs.first().map_or(0, |run| run.len());
    assert!(
        runs.iter().all(|run| run.len() == records),
        "a matrix needs runs over the same records"
    );
    let mut ranks = Vec::with_capacity(runs.len());
    let mut kept_sets = Vec::with_capacity(runs.len());
    let mut kept = Vec::with_capacity(runs.len());
    for run in runs {
        let order = select::rank(run);
        let count = select::select(&order, run, budget, &tokens);
        let mut set = vec![false; records];
        for &i in &order[..count] {
            set[i as usize] = true;
        }
        ranks.push(ranks_from_order(run, &order));
        kept_sets.push(set);
        kept.push(count);
    }
    let n = runs.len();
    let mut spearman = vec![vec![0.0; n]; n];
    let mut kept_both = vec![vec![0; n]; n];
    for i in 0..n {
        for j in i..n {
            let rho = pearson(&ranks[i], &ranks[j]);
            let both = (0..records)
                .filter(|&r| kept_sets[i][r] && kept_sets[j][r])
                .count();
            (spearman[i][j], spearman[j][i]) = (rho, rho);
            (kept_both[i][j], kept_both[j][i]) = (both, both);
        }
    }
    Matrix {
        records,
        kept,
        spearman,
        kept_both,
    }
}

/// How many records fall in each cell of a `bins` x `bins` grid over (score A, score B):
/// a scatter plot that stays the same size for a million records.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Density {
    /// Cells per side.
    pub bins: usize,
    /// Smallest and largest score of A (the horizontal axis).
    pub a_range: (f64, f64),
    /// Smallest and largest score of B (the vertical axis).
    pub b_range: (f64, f64),
    /// Records per cell, row by row from the lowest B, each row from the lowest A.
    pub counts: Vec<u32>,
}

/// The [`Density`] of runs `a` and `b` on a `bins` x `bins` grid spanning their scores.
pub fn density(a: &[f64], b: &[f64], bins: usize) -> Density {
    assert_eq!(
        a.len(),
        b.len(),
        "density needs two runs over the same records"
    );
    let range = |v: &[f64]| {
        v.iter()
            .filter(|x| x.is_finite())
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
                (lo.min(x), hi.max(x))
            })
    };
    let (a_range, b_range) = (range(a), range(b));
    let cell = |x: f64, (lo, hi): (f64, f64)| -> usize {
        if hi <= lo || !hi.is_finite() || !x.is_finite() {
            return 0;
        }
        (((x - lo) / (hi - lo) * bins as f64) as usize).min(bins - 1)
    };
    let mut counts = vec![0u32; bins * bins];
    for (&x, &y) in a.iter().zip(b) {
        counts[cell(y, b_range) * bins + cell(x, a_range)] += 1;
    }
    Density {
        bins,
        a_range,
        b_range,
        counts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_matrix_holds_each_pairs_comparison() {
        let runs: Vec<Vec<f64>> = (0..4)
            .map(|k| {
                (0..300)
                    .map(|i| (((i * (7 + 2 * k)) % 31) as f64) / 3.0)
                    .collect()
            })
            .collect();
        let views: Vec<&[f64]> = runs.iter().map(Vec::as_slice).collect();
        let tokens = |i: usize| 1 + (i % 5) as u64;
        for budget in [
            Budget::Count(40),
            Budget::Tokens(200),
            Budget::Threshold(5.0),
        ] {
            let m = matrix(&views, budget, tokens);
            assert_eq!(m.records, 300);
            for i in 0..4 {
                for j in 0..4 {
                    let c = compare(&runs[i], &runs[j], budget, tokens);
                    assert_eq!(m.spearman[i][j].to_bits(), c.spearman.to_bits(), "{i} {j}");
                    assert_eq!(m.kept_both[i][j], c.kept_both, "{i} {j}");
                    assert_eq!((m.kept[i], m.kept[j]), (c.kept_a, c.kept_b));
                    assert_eq!(m.jaccard(i, j).to_bits(), c.jaccard().to_bits());
                }
            }
        }
        assert_eq!(matrix(&[], Budget::All, |_| 0).kept, Vec::<usize>::new());
    }

    #[test]
    fn ties_share_their_mean_rank() {
        assert_eq!(
            average_ranks(&[0.5, 0.1, 0.5, 0.9]),
            vec![2.5, 1.0, 2.5, 4.0]
        );
    }

    #[test]
    fn spearman_of_one_ranking_and_its_reverse() {
        let a = [0.1, 0.4, 0.2, 0.8];
        assert!((spearman(&a, &a) - 1.0).abs() < 1e-15);
        let reversed: Vec<f64> = a.iter().map(|v| -v).collect();
        assert!((spearman(&a, &reversed) + 1.0).abs() < 1e-15);
        assert!(spearman(&a, &[1.0; 4]).is_nan());
    }

    #[test]
    fn spearman_from_orders_is_spearman() {
        // Ties, negative zero and repeats: the ranks and the correlation are the same bits.
        let a: Vec<f64> = (0..500).map(|i| ((i * 37) % 23) as f64 / 7.0).collect();
        let mut b: Vec<f64> = (0..500).map(|i| ((i * 11) % 41) as f64 - 20.0).collect();
        b[3] = -0.0;
        b[4] = 0.0;
        let (oa, ob) = (select::rank(&a), select::rank(&b));
        // Against ranks counted the slow way: 1 + smaller values + (equal values - 1) / 2.
        let naive = |v: &[f64]| -> Vec<f64> {
            v.iter()
                .map(|x| {
                    let less = v.iter().filter(|y| *y < x).count();
                    let equal = v.iter().filter(|y| *y == x).count();
                    (2 * less + equal + 1) as f64 / 2.0
                })
                .collect()
        };
        assert_eq!(ranks_from_order(&a, &oa), naive(&a));
        assert_eq!(ranks_from_order(&b, &ob), naive(&b));
        let expected = pearson(&naive(&a), &naive(&b));
        assert_eq!(
            spearman_ranked(&a, &oa, &b, &ob).to_bits(),
            expected.to_bits()
        );
        assert_eq!(spearman(&a, &b).to_bits(), expected.to_bits());
        assert_eq!(
            average_ranks(&[0.5, 0.1, 0.5, 0.9]),
            vec![2.5, 1.0, 2.5, 4.0]
        );
    }

    #[test]
    fn density_counts_every_record_once() {
        let a = [0.0, 0.5, 1.0, 1.0];
        let b = [1.0, 0.5, 0.0, 0.0];
        let d = density(&a, &b, 2);
        assert_eq!(d.counts.iter().sum::<u32>(), 4);
        // Low B row: A high twice; high B row: A low once, A middle (0.5 -> upper cell).
        assert_eq!(d.counts, vec![0, 2, 1, 1]);
        assert_eq!((d.a_range, d.b_range), ((0.0, 1.0), (0.0, 1.0)));
    }

    #[test]
    fn kept_sets_at_one_budget() {
        let a = [0.9, 0.8, 0.1, 0.2];
        let b = [0.9, 0.1, 0.8, 0.2];
        let c = compare(&a, &b, Budget::Count(2), |_| 1);
        assert_eq!((c.kept_a, c.kept_b, c.kept_both), (2, 2, 1));
        assert_eq!((c.only_a.clone(), c.only_b.clone()), (vec![1], vec![2]));
        assert!((c.jaccard() - 1.0 / 3.0).abs() < 1e-15);
    }
}
