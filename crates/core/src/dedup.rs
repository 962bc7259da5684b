//! A diverse selection: walking the ranking from the top, a record is kept only if it is
//! not a near-duplicate of a record already kept, until the budget is met.
//!
//! Near-duplicate means an estimated Jaccard similarity of word shingles (runs of
//! [`SHINGLE`] whitespace-separated words) at or above a threshold. The estimate is
//! MinHash with [`HASHES`] hash functions; locality-sensitive hashing (bands of rows of
//! the signature) finds the kept records worth comparing, so each record is compared with
//! a few candidates, not with everything kept.

use std::collections::HashMap;

use rayon::prelude::*;

use crate::select::Budget;

/// Words per shingle.
pub const SHINGLE: usize = 3;

/// MinHash functions per signature.
pub const HASHES: usize = 256;

/// One record's MinHash signature.
pub type Signature = [u32; HASHES];

/// SplitMix64's finalizer: a fast, well-mixed 64-bit hash of `x`.
fn mix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

/// FNV-1a of bytes, then mixed: the base hash of one shingle.
fn hash_bytes(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xCBF2_9CE4_8422_2325;
    for &b in bytes {
        h = (h ^ b as u64).wrapping_mul(0x0000_0100_0000_01B3);
    }
    mix(h)
}

/// The base hashes of `text`'s shingles, as a set (sorted, no repeats). A text of fewer
/// than [`SHINGLE`] words is one shingle; an empty text has none.
pub fn shingles(text: &str) -> Vec<u64> {
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut out: Vec<u64> = if words.len() < SHINGLE {
        if words.is_empty() {
            Vec::new()
        } else {
            vec![hash_bytes(words.join(" ").as_bytes())]
        }
    } else {
        words
            .windows(SHINGLE)
            .map(|w| hash_bytes(w.join(" ").as_bytes()))
            .collect()
    };
    out.sort_unstable();
    out.dedup();
    out
}

/// Exact Jaccard similarity of two shingle sets from [`shingles`] (1 for two empty sets).
pub fn jaccard(a: &[u64], b: &[u64]) -> f64 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    both as f64 / (a.len() + b.len() - both) as f64
}

/// The MinHash signature of `text`: for each of [`HASHES`] functions, the least hash of
/// any of its shingles (all `u32::MAX` for a text without words).
pub fn signature(text: &str) -> Signature {
    let mut sig = [u32::MAX; HASHES];
    for base in shingles(text) {
        for (k, slot) in sig.iter_mut().enumerate() {
            // 32 bits of each hash: half the memory, and two shingles collide with
            // probability 2^-32.
            let h = (mix(base ^ (k as u64).wrapping_mul(0xD6E8_FEB8_6659_FD93)) >> 32) as u32;
            if h < *slot {
                *slot = h;
            }
        }
    }
    sig
}

/// The estimated Jaccard similarity: the share of functions whose minima agree.
pub fn estimate(a: &Signature, b: &Signature) -> f64 {
    a.iter().zip(b).filter(|(x, y)| x == y).count() as f64 / HASHES as f64
}

/// Rows per LSH band for `threshold`: the most rows (fewest false candidates) that still
/// make a pair at the threshold a candidate with probability at least 0.995.
pub fn rows_per_band(threshold: f64) -> usize {
    [32, 16, 8, 4, 2, 1]
        .into_iter()
        .find(|&rows| {
            let bands = (HASHES / rows) as i32;
            1.0 - (1.0 - threshold.powi(rows as i32)).powi(bands) >= 0.995
        })
        .unwrap_or(1)
}

/// A record left out as a near-duplicate of one kept before it.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct Duplicate {
    /// The record left out.
    pub index: u32,
    /// The kept record it duplicates (the best-ranked one found).
    pub of: u32,
    /// Their estimated Jaccard similarity.
    pub similarity: f64,
}

/// What a diverse selection keeps and leaves out.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Diverse {
    /// The records kept, in `order`'s order.
    pub kept: Vec<u32>,
    /// The records left out as near-duplicates, in `order`'s order.
    pub duplicates: Vec<Duplicate>,
}

/// Walks `order` (a ranking) from the top, keeping each record that is not a
/// near-duplicate (estimated Jaccard at or above `threshold`) of one already kept,
/// until `budget` is met by the kept records alone. `text(i)` is record `i`'s text and
/// `tokens(i)` its estimate; signatures are computed in parallel, a batch ahead.
pub fn select<F, E>(
    order: &[u32],
    scores: &[f64],
    budget: Budget,
    threshold: f64,
    tokens: impl Fn(usize) -> u64,
    text: F,
) -> Result<Diverse, E>
where
    F: Fn(usize) -> Result<String, E> + Sync,
    E: Send,
{
    select_batched(order, scores, budget, threshold, tokens, |batch| {
        batch.par_iter().map(|&i| text(i as usize)).collect()
    })
}

/// [`select`] for callers that read texts a batch at a time on their own thread (the
/// page's worker reads them from a `File`): `texts(batch)` gives the texts of the
/// records in `batch`, in that order. Signatures are still computed in parallel.
pub fn select_batched<E: Send>(
    order: &[u32],
    scores: &[f64],
    budget: Budget,
    threshold: f64,
    tokens: impl Fn(usize) -> u64,
    mut texts: impl FnMut(&[u32]) -> Result<Vec<String>, E>,
) -> Result<Diverse, E> {
    let rows = rows_per_band(threshold);
    let bands = HASHES / rows;
    let mut buckets: Vec<HashMap<u64, Vec<u32>>> = vec![HashMap::new(); bands];
    // Kept records' signatures by their position in `kept`; buckets hold positions.
    let mut signatures: Vec<Signature> = Vec::new();
    let mut out = Diverse::default();
    let (mut used_tokens, n) = (0u64, order.len());
    let wanted = |kept: usize| match budget {
        Budget::All => n,
        Budget::Count(k) => k.min(n),
        Budget::Percent(p) => (((p.clamp(0.0, 100.0) / 100.0) * n as f64).round() as usize).min(n),
        Budget::Tokens(_) | Budget::Threshold(_) => kept + 1,
    };
    let batch = 1024;
    let mut at = 0;
    'walk: while at < n && out.kept.len() < wanted(out.kept.len()) {
        let end = (at + batch).min(n);
        let sigs: Vec<Signature> = texts(&order[at..end])?
            .par_iter()
            .map(|t| signature(t))
            .collect();
        for (&i, sig) in order[at..end].iter().zip(sigs) {
            if out.kept.len() >= wanted(out.kept.len()) {
                break 'walk;
            }
            if let Budget::Threshold(t) = budget {
                if scores[i as usize] <= t {
                    break 'walk;
                }
            }
            let band_keys: Vec<u64> = sig
                .chunks(rows)
                .map(|band| band.iter().fold(0u64, |h, &v| mix(h ^ v as u64)))
                .collect();
            // The best-ranked kept record that is similar enough.
            let mut best: Option<(u32, f64)> = None;
            for (band, key) in band_keys.iter().enumerate() {
                for &position in buckets[band].get(key).into_iter().flatten() {
                    if best.is_some_and(|(p, _)| p <= position) {
                        continue;
                    }
                    let similarity = estimate(&sig, &signatures[position as usize]);
                    if similarity >= threshold {
                        best = Some((position, similarity));
                    }
                }
            }
            if let Some((position, similarity)) = best {
                out.duplicates.push(Duplicate {
                    index: i,
                    of: out.kept[position as usize],
                    similarity,
                });
                continue;
            }
            if let Budget::Tokens(limit) = budget {
                used_tokens += tokens(i as usize);
                if used_tokens > limit {
                    break 'walk;
                }
            }
            let position = out.kept.len() as u32;
            for (band, key) in band_keys.into_iter().enumerate() {
                buckets[band].entry(key).or_default().push(position);
            }
            signatures.push(sig);
            out.kept.push(i);
        }
        at = end;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jaccard_of_shingle_sets() {
        let a = shingles("a b c d e");
        let b = shingles("a b c d f");
        // {abc, bcd, cde} against {abc, bcd, cdf}: 2 shared of 4.
        assert_eq!(jaccard(&a, &b), 0.5);
        assert_eq!(jaccard(&a, &a), 1.0);
        assert_eq!(shingles("one two").len(), 1);
    }

    #[test]
    fn estimate_of_a_text_and_itself_is_one() {
        let s = signature("the quick brown fox jumps over the lazy dog");
        assert_eq!(estimate(&s, &s), 1.0);
        assert!(estimate(&s, &signature("completely different words here now")) < 0.2);
    }

    #[test]
    fn a_copy_is_left_out_and_the_budget_still_met() {
        let texts = [
            "def add(a, b): return a + b and more words here",
            "def add(a, b): return a + b and more words here",
            "print the weather report for tomorrow in the city",
            "a third text about something else entirely again",
        ];
        let order = [0u32, 1, 2, 3];
        let scores = [0.9, 0.8, 0.7, 0.6];
        let got = select::<_, ()>(
            &order,
            &scores,
            Budget::Count(3),
            0.8,
            |_| 1,
            |i| Ok(texts[i].to_string()),
        )
        .unwrap();
        assert_eq!(got.kept, vec![0, 2, 3]);
        assert_eq!(
            got.duplicates,
            vec![Duplicate {
                index: 1,
                of: 0,
                similarity: 1.0
            }]
        );
    }
}
