//! Why a pair has the distance it has, and a record the score it has: the lengths of one
//! pair, the parse of `x ++ y` by origin, and a record's alignment with each target.

use serde::{Deserialize, Serialize};

use crate::compress::{self, pieces, Backend, Compressor, Lengths, Origin, Piece};
use crate::ncd::ncd;

/// `C(x)`, `C(y)`, `C(x ++ y)` and the distance they give, for one compressor.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PairLengths {
    /// The compressor.
    pub compressor: Compressor,
    /// `C(x)`.
    pub cx: u64,
    /// `C(y)`.
    pub cy: u64,
    /// `C(x ++ y)`.
    pub cxy: u64,
    /// `NCD(x, y)`.
    pub ncd: f64,
    /// `1 - NCD(x, y)`, this pair's term in the alignment mean.
    pub alignment: f64,
}

/// The compressors whose parse can be drawn (see [`Compressor::has_parse`]): gzip levels
/// 1-9, then LZ4.
pub fn all_compressors() -> Vec<Compressor> {
    let mut all: Vec<Compressor> = (1..=9).map(|level| Compressor::Gzip { level }).collect();
    all.push(Compressor::Lz4);
    all
}

/// The exact lengths of `x`, `y` and `x ++ y` for `compressor`.
pub fn pair_lengths(compressor: Compressor, x: &[u8], y: &[u8]) -> PairLengths {
    let mut lengths = Lengths::new(compressor, Backend::Model);
    let (cx, cy) = (lengths.len(x), lengths.len(y));
    let cxy = lengths.len(&[x, y].concat());
    let ncd = ncd(cx, cy, cxy);
    PairLengths {
        compressor,
        cx,
        cy,
        cxy,
        ncd,
        alignment: 1.0 - ncd,
    }
}

/// The parse of `x ++ y` by origin, with the share of `y` that came from `x`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Drawing {
    /// The compressor whose parse this is.
    pub compressor: Compressor,
    /// Length of `x` in bytes: pieces from here on are `y`'s.
    pub x_len: usize,
    /// Length of `y` in bytes.
    pub y_len: usize,
    /// The pieces of `x ++ y` in order (see [`compress::pieces`]).
    pub pieces: Vec<Piece>,
    /// Bytes of `y` copied from `x`.
    pub y_from_x: usize,
    /// Bytes of `y` copied from earlier in `y`.
    pub y_from_y: usize,
}

impl Drawing {
    /// The pieces of `y` copied from `x`: the spans the two texts share.
    pub fn copies_from_x(&self) -> impl Iterator<Item = &Piece> {
        self.pieces
            .iter()
            .filter(|p| matches!(p.origin, Origin::Other { .. }))
    }
}

/// How `compressor` encodes `x ++ y`: its real parse (see [`compress::parse`]), split by
/// origin. `None` for a compressor without a parse.
pub fn drawing(compressor: Compressor, x: &[u8], y: &[u8]) -> Option<Drawing> {
    let steps = compress::parse(compressor, &[x, y].concat())?;
    let pieces = pieces(&steps, x.len());
    let in_y = |p: &&Piece| p.start >= x.len();
    let y_from_x = pieces
        .iter()
        .filter(in_y)
        .filter(|p| matches!(p.origin, Origin::Other { .. }))
        .map(|p| p.len)
        .sum();
    let y_from_y = pieces
        .iter()
        .filter(in_y)
        .filter(|p| matches!(p.origin, Origin::Same { .. }))
        .map(|p| p.len)
        .sum();
    Some(Drawing {
        compressor,
        x_len: x.len(),
        y_len: y.len(),
        pieces,
        y_from_x,
        y_from_y,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_shared_function_is_copied_from_x() {
        let x = b"def add(a, b):\n    return a + b\n";
        let y = b"def add(a, b):\n    return a + b + 1\n";
        for compressor in all_compressors() {
            let d = drawing(compressor, x, y).unwrap();
            assert_eq!(
                d.pieces.iter().map(|p| p.len).sum::<usize>(),
                x.len() + y.len()
            );
            assert!(
                d.y_from_x >= 30,
                "{compressor}: {} bytes from x",
                d.y_from_x
            );
            for p in d.copies_from_x() {
                let Origin::Other { from, .. } = p.origin else {
                    unreachable!()
                };
                assert!(from + p.len <= x.len());
                let joined = [&x[..], &y[..]].concat();
                assert_eq!(joined[p.start..p.start + p.len], joined[from..from + p.len]);
            }
            let l = pair_lengths(compressor, x, y);
            assert_eq!(l.alignment, 1.0 - l.ncd);
            assert!(l.cxy < l.cx + l.cy);
        }
    }
}
