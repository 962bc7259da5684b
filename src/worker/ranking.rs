//! A finished run's ranking, made without holding every score in memory: parts of
//! [`PART`] records are ranked one at a time (in parallel, on the current pool) and kept
//! in columns, then merged as they are read back (`zipfit_core::select::merge_ranked`),
//! with the core's order of records ([`select::rank_cmp`]), so the ranking is the
//! CLI's.

use rayon::slice::ParallelSliceMut;
use zipfit_core::select;

use super::column::Column;

/// Records ranked at once: 16 MiB of `(score, index)` pairs (a few thousand in the
/// tests, so that they merge parts).
const PART: usize = if cfg!(test) { 4096 } else { 1 << 20 };
/// Records a part's reader reads back at once.
const READ: usize = if cfg!(test) { 1000 } else { 8192 };

/// The lowest and highest score, and the ranking: record indices, best first.
pub fn rank(scores: &Column<f64>) -> ((f64, f64), Column<u32>) {
    let n = scores.len();
    let mut low_high = (f64::INFINITY, f64::NEG_INFINITY);
    let mut ranked_scores = Column::new();
    let mut ranked_index = Column::new();
    let mut buffer = Vec::new();
    for start in (0..n).step_by(PART) {
        let end = (start + PART).min(n);
        scores.read_into(start..end, &mut buffer);
        for &s in &buffer {
            low_high = (low_high.0.min(s), low_high.1.max(s));
        }
        let mut ranked: Vec<(f64, u32)> = (start..end)
            .zip(&buffer)
            .map(|(i, &s)| (s, i as u32))
            .collect();
        ranked.par_sort_unstable_by(|&a, &b| select::rank_cmp(a, b));
        ranked_scores.extend(&ranked.iter().map(|r| r.0).collect::<Vec<f64>>());
        ranked_index.extend(&ranked.iter().map(|r| r.1).collect::<Vec<u32>>());
    }
    if n <= PART {
        return (low_high, ranked_index);
    }
    let parts = (0..n)
        .step_by(PART)
        .map(|start| Part {
            scores: &ranked_scores,
            index: &ranked_index,
            next: start,
            end: (start + PART).min(n),
            buffer: Vec::new(),
            at: 0,
        })
        .collect();
    let mut order = Column::new();
    select::merge_ranked(parts, |i| order.push(i));
    (low_high, order)
}

/// A ranked part, read back a few thousand records at a time.
struct Part<'a> {
    scores: &'a Column<f64>,
    index: &'a Column<u32>,
    /// The next record of the part not in `buffer`, and the part's end.
    next: usize,
    end: usize,
    buffer: Vec<(f64, u32)>,
    at: usize,
}

impl Iterator for Part<'_> {
    type Item = (f64, u32);

    fn next(&mut self) -> Option<(f64, u32)> {
        if self.at == self.buffer.len() {
            if self.next == self.end {
                return None;
            }
            let range = self.next..(self.next + READ).min(self.end);
            self.next = range.end;
            let scores = self.scores.read(range.clone());
            let index = self.index.read(range);
            self.buffer = scores.into_iter().zip(index).collect();
            self.at = 0;
        }
        self.at += 1;
        Some(self.buffer[self.at - 1])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    async fn a_ranking_in_parts_is_the_core_ranking() {
        crate::worker::column::tests::add_files(4).await;
        // Many equal scores, so that the order among them (input order) is tested too.
        for n in [0, 1, 4095, 4096, 4097, 3 * 4096 + 17] {
            let values: Vec<f64> = (0..n).map(|i| ((i * 7919) % 97) as f64 / 97.0).collect();
            let scores = Column::from_values(&values);
            let ((low, high), order) = rank(&scores);
            assert_eq!(order.to_vec(), select::rank(&values), "{n} records");
            let low_high = values
                .iter()
                .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &v| {
                    (l.min(v), h.max(v))
                });
            assert_eq!((low, high), low_high, "{n} records");
        }
    }
}
