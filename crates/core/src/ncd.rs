//! Normalized compression distance and ZIP-FIT alignment.

/// `NCD(x, y) = (C(xy) - min(C(x), C(y))) / max(C(x), C(y))`.
#[inline]
pub fn ncd(cx: u64, cy: u64, cxy: u64) -> f64 {
    (cxy as f64 - cx.min(cy) as f64) / cx.max(cy) as f64
}

/// `alignment(x) = mean over targets of (1 - NCD(x, y))`, summed in target order.
///
/// `pairs` yields `(C(y), C(xy))` for every target `y`.
pub fn alignment(cx: u64, pairs: impl ExactSizeIterator<Item = (u64, u64)>) -> f64 {
    alignment_with(cx, pairs, |_, _| {})
}

/// [`alignment`], also handing each target's index and term `1 - NCD` to `each`, in
/// target order; the score is the same to the last bit.
#[inline]
pub fn alignment_with(
    cx: u64,
    pairs: impl ExactSizeIterator<Item = (u64, u64)>,
    mut each: impl FnMut(usize, f64),
) -> f64 {
    let n = pairs.len();
    let sum: f64 = pairs
        .enumerate()
        .map(|(j, (cy, cxy))| {
            let term = 1.0 - ncd(cx, cy, cxy);
            each(j, term);
            term
        })
        .sum();
    sum / n as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ncd_formula() {
        assert_eq!(ncd(100, 50, 120), 0.7);
        assert_eq!(ncd(50, 100, 120), 0.7);
        assert_eq!(
            alignment(100, [(50, 120), (100, 100)].into_iter()),
            (0.3 + 1.0) / 2.0
        );
    }
}
