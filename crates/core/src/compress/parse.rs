//! The parse a compressor encodes: which bytes it writes as literals and which as copies
//! of earlier bytes, as zlib 1.2.13 and liblz4 1.9.4 emit them.
//!
//! The length models report their symbols through [`Symbols`]. Scoring passes `()`, whose
//! methods do nothing and compile away, so reporting costs the scoring path nothing; the
//! [`Recorder`] keeps them for [`super::parse`].

use serde::{Deserialize, Serialize};

/// One step of a parse, in input order: the steps cover the input exactly once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum Step {
    /// `len` bytes written as they are (zlib: one literal symbol per byte, merged here).
    Literal {
        /// Number of bytes.
        len: usize,
    },
    /// `len` bytes copied from `distance` bytes back (a match: (length, distance)).
    Copy {
        /// Number of bytes.
        len: usize,
        /// How far back the copied bytes start (at least 1; copies may overlap themselves).
        distance: usize,
    },
}

impl Step {
    /// Number of input bytes the step covers.
    pub fn len(&self) -> usize {
        match *self {
            Step::Literal { len } | Step::Copy { len, .. } => len,
        }
    }

    /// True for a step covering no bytes (never produced by a parse).
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Where a length model reports the symbols it counts.
pub(crate) trait Symbols {
    /// `len` bytes at the current position are written as literals.
    fn literals(&mut self, len: usize);
    /// `len` bytes at the current position are a copy from `distance` bytes back.
    fn copy(&mut self, len: usize, distance: usize);
    /// The block holding the symbols since the last call ends. `raw` when the compressor
    /// stores it as its plain bytes instead (zlib's stored block, liblz4's uncompressed
    /// block), so that its symbols are not what the output holds.
    fn end_block(&mut self, raw: bool);
}

/// Scoring: symbols are counted, not kept.
impl Symbols for () {
    #[inline(always)]
    fn literals(&mut self, _len: usize) {}
    #[inline(always)]
    fn copy(&mut self, _len: usize, _distance: usize) {}
    #[inline(always)]
    fn end_block(&mut self, _raw: bool) {}
}

/// Keeps the symbols of a run as [`Step`]s, adjacent literals merged.
#[derive(Debug, Default)]
pub(crate) struct Recorder {
    steps: Vec<Step>,
    /// Index in `steps` where the current block's steps start.
    block_start: usize,
}

impl Recorder {
    fn push_literals(&mut self, len: usize) {
        if len == 0 {
            return;
        }
        if self.steps.len() > self.block_start {
            if let Some(Step::Literal { len: last }) = self.steps.last_mut() {
                *last += len;
                return;
            }
        }
        self.steps.push(Step::Literal { len });
    }

    /// The recorded steps, adjacent literals merged across blocks too.
    pub(crate) fn finish(self) -> Vec<Step> {
        let mut merged: Vec<Step> = Vec::with_capacity(self.steps.len());
        for step in self.steps {
            match (merged.last_mut(), step) {
                (Some(Step::Literal { len: last }), Step::Literal { len }) => *last += len,
                _ => merged.push(step),
            }
        }
        merged
    }
}

impl Symbols for Recorder {
    fn literals(&mut self, len: usize) {
        self.push_literals(len);
    }

    fn copy(&mut self, len: usize, distance: usize) {
        self.steps.push(Step::Copy { len, distance });
    }

    fn end_block(&mut self, raw: bool) {
        if raw {
            let bytes: usize = self.steps[self.block_start..].iter().map(Step::len).sum();
            self.steps.truncate(self.block_start);
            self.push_literals(bytes);
        }
        self.block_start = self.steps.len();
    }
}

/// Where the bytes of one piece of `x ++ y` come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum Origin {
    /// Written as literals.
    Literal,
    /// Copied from earlier bytes of the same text (`x` for a piece of `x`, `y` for one of `y`).
    Same {
        /// Position in `x ++ y` of the first byte copied.
        from: usize,
        /// The copy's distance.
        distance: usize,
    },
    /// A piece of `y` copied from `x`.
    Other {
        /// Position in `x` of the first byte copied.
        from: usize,
        /// The copy's distance.
        distance: usize,
    },
}

/// A run of bytes of `x ++ y` with one origin, not crossing the end of `x`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Piece {
    /// Position in `x ++ y` of the first byte.
    pub start: usize,
    /// Number of bytes.
    pub len: usize,
    /// Where they come from.
    pub origin: Origin,
}

/// Splits the parse of `x ++ y` (with `x` its first `x_len` bytes) into pieces that each lie
/// in `x` or in `y` and whose bytes come from one place: literals, the same text, or (for
/// pieces of `y`) `x`. A copy is split where it crosses the end of `x`, and where its source
/// does, so every byte of a piece has the piece's origin.
pub fn pieces(steps: &[Step], x_len: usize) -> Vec<Piece> {
    let mut out = Vec::with_capacity(steps.len() + 2);
    let mut at = 0;
    for step in steps {
        let end = at + step.len();
        match *step {
            Step::Literal { .. } => {
                for (start, stop) in split_at(at, end, x_len) {
                    out.push(Piece {
                        start,
                        len: stop - start,
                        origin: Origin::Literal,
                    });
                }
            }
            Step::Copy { distance, .. } => {
                // Bytes at p copy p - distance; a source crossing x_len splits at x_len + distance.
                let mut cuts = vec![at];
                for cut in [x_len, x_len + distance] {
                    if cut > at && cut < end {
                        cuts.push(cut);
                    }
                }
                cuts.sort_unstable();
                cuts.push(end);
                for pair in cuts.windows(2) {
                    let (start, stop) = (pair[0], pair[1]);
                    let from = start - distance;
                    let origin = if start >= x_len && from < x_len {
                        Origin::Other { from, distance }
                    } else {
                        Origin::Same { from, distance }
                    };
                    out.push(Piece {
                        start,
                        len: stop - start,
                        origin,
                    });
                }
            }
        }
        at = end;
    }
    out
}

/// `[start, end)` cut at `cut` when it lies inside.
fn split_at(start: usize, end: usize, cut: usize) -> Vec<(usize, usize)> {
    if cut > start && cut < end {
        vec![(start, cut), (cut, end)]
    } else {
        vec![(start, end)]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recorder_replaces_a_raw_block_with_its_bytes() {
        let mut r = Recorder::default();
        r.literals(1);
        r.literals(1);
        r.copy(5, 2);
        r.end_block(false);
        r.copy(4, 3);
        r.literals(2);
        r.end_block(true);
        r.literals(1);
        r.end_block(false);
        assert_eq!(
            r.finish(),
            vec![
                Step::Literal { len: 2 },
                Step::Copy {
                    len: 5,
                    distance: 2
                },
                Step::Literal { len: 7 },
            ]
        );
    }

    #[test]
    fn pieces_split_copies_at_the_end_of_x_and_of_their_source() {
        // x = 6 bytes; a copy of 6 at 4 from distance 3 reads 1..7: bytes 4-5 lie in x,
        // 6-8 in y copying 3-5 (from x), 9 in y copying 6 (from y).
        let steps = [
            Step::Literal { len: 4 },
            Step::Copy {
                len: 6,
                distance: 3,
            },
        ];
        let got = pieces(&steps, 6);
        let same = |from| Origin::Same { from, distance: 3 };
        assert_eq!(
            got,
            vec![
                Piece {
                    start: 0,
                    len: 4,
                    origin: Origin::Literal
                },
                Piece {
                    start: 4,
                    len: 2,
                    origin: same(1)
                },
                Piece {
                    start: 6,
                    len: 3,
                    origin: Origin::Other {
                        from: 3,
                        distance: 3
                    }
                },
                Piece {
                    start: 9,
                    len: 1,
                    origin: same(6)
                },
            ]
        );
        assert_eq!(got.iter().map(|p| p.len).sum::<usize>(), 10);
    }
}
