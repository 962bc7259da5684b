//! The length of `lz4.frame.compress(s)` (liblz4 1.9.4, level 0), computed without producing it.
//!
//! The LZ4 frame holds a 15-byte header (with the content size), then 64 KiB blocks,
//! each a 4-byte size and either the compressed block or, if that would not be smaller,
//! the raw bytes, then a 4-byte end mark. A single-block frame compresses with
//! `LZ4_compress_fast_extState_fastReset` (16-bit table, 4-byte hash); larger inputs use
//! linked blocks through `LZ4_compress_fast_continue` (32-bit table, 5-byte hash, the
//! previous blocks as prefix). This model follows `LZ4_compress_generic` for both and
//! counts output bytes, including the output-limit checks that make a block fall back
//! to raw storage.

use super::parse::Symbols;

const MINMATCH: usize = 4;
const MFLIMIT: usize = 12;
const LASTLITERALS: usize = 5;
const MIN_LENGTH: usize = MFLIMIT + 1;
const SKIP_TRIGGER: u32 = 6;
const ML_MASK: usize = 15;
const RUN_MASK: usize = 15;
const DISTANCE_MAX: usize = 65535;
const BLOCK_SIZE: usize = 64 * 1024;
const U16_HASH_LOG: u32 = 13;
const U32_HASH_LOG: u32 = 12;

/// Frame header with content size (magic, FLG, BD, 8-byte size, header checksum).
const FRAME_HEADER: u64 = 15;
/// Frame header of an empty input, which stores no content size.
const EMPTY_FRAME_HEADER: u64 = 7;
const BLOCK_HEADER: u64 = 4;
const END_MARK: u64 = 4;

/// What a run of `compress_block` is for; it decides how table writes are recorded
/// and whether the run may stop early. A const parameter, so each kind of run is
/// compiled without the others' checks.
type Mode = u8;
/// A whole input: slots written are listed for the next reset.
const WHOLE: Mode = 0;
/// The start of an input: stop where the rest could matter; writes since the last
/// safe point are logged so they can be rolled back.
const PREFIX: Mode = 1;
/// The rest of an input after a prefix: writes go to the stamped overlay, so the
/// prefix's table stays as it was for the next suffix.
const SUFFIX: Mode = 2;

/// Slots in the hash table: 2^13 for single blocks (4-byte hash, 2-byte entries in
/// liblz4), of which linked blocks use the first 2^12 (5-byte hash, 4-byte entries).
const TABLE_SLOTS: usize = 1 << U16_HASH_LOG;

/// Where `LZ4_compress_generic`'s main loop stands at the top of a match search.
#[derive(Debug, Clone, Copy)]
struct Cursor {
    ip: usize,
    anchor: usize,
    op: usize,
    forward_h: usize,
}

/// How a block run ended.
enum Outcome {
    /// The block's compressed size, or `None` where liblz4 stores it raw.
    Done(Option<usize>),
    /// Prefix mode only: the next step would depend on bytes past the prefix.
    Stopped(Cursor),
}

impl Outcome {
    /// The result of a run that cannot stop early (any but a `PREFIX` run).
    fn finished(self) -> Option<usize> {
        match self {
            Outcome::Done(compressed) => compressed,
            Outcome::Stopped(_) => unreachable!("only prefix runs stop"),
        }
    }
}

/// The state after a prefix, reused for every suffix (see [`Lz4Model::set_prefix`]).
struct Prefix {
    cursor: Cursor,
}

/// Shortest prefix worth processing once: below this the whole pair is compressed.
const MIN_PREFIX: usize = 64;

/// A reusable LZ4 frame length model; one value per thread, no allocation per call.
pub struct Lz4Model {
    table: Box<[u32; TABLE_SLOTS]>,
    /// Table slots written since the last reset.
    touched: Vec<u32>,
    /// Table writes to undo since the last safe point of a prefix run.
    undo: Vec<(u32, u32)>,
    /// A suffix run's writes, each `stamp << 16 | index`: a slot holds a current value
    /// only if its stamp is `stamp`, and otherwise the prefix's `table` entry stands.
    /// Suffix runs are single blocks, so indexes fit in 16 bits.
    overlay: Box<[u32; TABLE_SLOTS]>,
    /// The current suffix run's stamp, 1..=0xffff; a new one per run.
    stamp: u32,
    prefix: Option<Prefix>,
    /// The prefix followed by the current suffix.
    joined: Vec<u8>,
}

impl Default for Lz4Model {
    fn default() -> Self {
        Lz4Model {
            table: Box::new([0; TABLE_SLOTS]),
            touched: Vec::new(),
            undo: Vec::new(),
            overlay: Box::new([0; TABLE_SLOTS]),
            stamp: 0,
            prefix: None,
            joined: Vec::new(),
        }
    }
}

// The block loop's reads are at positions the algorithm keeps in bounds: search positions
// stop MFLIMIT (12) bytes before the block's end, match lengths are counted up to
// LASTLITERALS (5) bytes before it, and table entries are earlier positions of the same
// input (a reset clears every slot written; a suffix's table is its own prefix's, and its
// overlay only holds the run's own positions). Unchecked, since a bounds check per read
// costs about 12 % of LZ4's time in Wasm (5 % natively); debug builds and the fuzz
// targets (built with debug assertions) still check every read.

/// The 4 bytes at `at`, little-endian. `at + 4 <= data.len()` (see above).
#[inline]
fn read32(data: &[u8], at: usize) -> u32 {
    debug_assert!(at + 4 <= data.len(), "read32 at {at} of {}", data.len());
    // SAFETY: in bounds, as the comment above explains and debug builds check.
    u32::from_le(unsafe { data.as_ptr().add(at).cast::<u32>().read_unaligned() })
}

/// The 8 bytes at `at`, little-endian. `at + 8 <= data.len()` (see above).
#[inline]
fn read64(data: &[u8], at: usize) -> u64 {
    debug_assert!(at + 8 <= data.len(), "read64 at {at} of {}", data.len());
    // SAFETY: in bounds, as the comment above explains and debug builds check.
    u64::from_le(unsafe { data.as_ptr().add(at).cast::<u64>().read_unaligned() })
}

/// liblz4's hash of 4 bytes for single blocks.
#[inline(always)]
fn hash4(sequence: u32) -> usize {
    (sequence.wrapping_mul(2_654_435_761) >> (32 - U16_HASH_LOG)) as usize
}

/// `LZ4_count`: common prefix length of `data[a..]` and `data[b..]`, stopping at `limit` for `a`.
#[inline]
fn count(data: &[u8], mut a: usize, mut b: usize, limit: usize) -> usize {
    let start = a;
    while a + 8 <= limit {
        let diff = read64(data, a) ^ read64(data, b);
        if diff != 0 {
            return a - start + (diff.trailing_zeros() / 8) as usize;
        }
        a += 8;
        b += 8;
    }
    while a < limit && data[a] == data[b] {
        a += 1;
        b += 1;
    }
    a - start
}

/// Bytes taken by a length field beyond the 4 bits in the token.
#[inline]
fn extra_length_bytes(len: usize, mask: usize) -> usize {
    if len >= mask {
        (len - mask) / 255 + 1
    } else {
        0
    }
}

impl Lz4Model {
    /// Length in bytes of `lz4.frame.compress(data)` with Python lz4's defaults.
    pub fn frame_len(&mut self, data: &[u8]) -> u64 {
        self.frame(data, &mut ())
    }

    /// Runs liblz4 over `data` as [`Lz4Model::frame_len`] does, reporting every sequence
    /// and block to `sink`; returns the frame's length.
    pub(crate) fn frame(&mut self, data: &[u8], sink: &mut impl Symbols) -> u64 {
        if data.is_empty() {
            return EMPTY_FRAME_HEADER + END_MARK;
        }
        self.reset();
        let mut total = FRAME_HEADER + END_MARK;
        if data.len() <= BLOCK_SIZE {
            let compressed = self
                .compress_block::<false, WHOLE, _>(data, 0, data.len(), false, None, sink)
                .finished();
            sink.end_block(compressed.is_none());
            total += BLOCK_HEADER + compressed.unwrap_or(data.len()) as u64;
        } else {
            let mut start = 0;
            while start < data.len() {
                let end = (start + BLOCK_SIZE).min(data.len());
                // The first block of a linked frame has no prefix; later ones have at least 64 KiB.
                let compressed = self
                    .compress_block::<true, WHOLE, _>(data, start, end, start > 0, None, sink)
                    .finished();
                sink.end_block(compressed.is_none());
                total += BLOCK_HEADER + compressed.unwrap_or(end - start) as u64;
                start = end;
            }
        }
        total
    }

    /// Runs liblz4 over `prefix` up to the first match search whose outcome could depend
    /// on what follows, and keeps that state for [`Lz4Model::frame_len_after_prefix`].
    pub fn set_prefix(&mut self, prefix: &[u8]) {
        self.prefix = None;
        self.joined.clear();
        self.joined.extend_from_slice(prefix);
        if prefix.len() < MIN_PREFIX || prefix.len() > BLOCK_SIZE {
            return;
        }
        self.reset();
        let outcome =
            self.compress_block::<false, PREFIX, _>(prefix, 0, prefix.len(), false, None, &mut ());
        // Writes made after the last safe point belong to the suffix's run.
        self.undo_writes();
        if let Outcome::Stopped(cursor) = outcome {
            self.prefix = Some(Prefix { cursor });
        }
    }

    /// Length of `lz4.frame.compress(prefix ++ suffix)` for the last [`Lz4Model::set_prefix`];
    /// always equal to `frame_len` of the concatenation.
    pub fn frame_len_after_prefix(&mut self, suffix: &[u8]) -> u64 {
        let prefix_len = self.joined.len();
        let mut joined = std::mem::take(&mut self.joined);
        joined.extend_from_slice(suffix);
        let total = joined.len();
        let len = match self.prefix.as_ref().map(|p| p.cursor) {
            Some(cursor) if total <= BLOCK_SIZE => {
                self.next_stamp();
                let compressed = self
                    .compress_block::<false, SUFFIX, _>(
                        &joined,
                        0,
                        total,
                        false,
                        Some(cursor),
                        &mut (),
                    )
                    .finished();
                FRAME_HEADER + END_MARK + BLOCK_HEADER + compressed.unwrap_or(total) as u64
            }
            had_prefix => {
                let len = self.frame_len(&joined);
                if had_prefix.is_some() {
                    // frame_len cleared the table the prefix state lives in: rebuild it.
                    self.set_prefix(&joined[..prefix_len]);
                }
                len
            }
        };
        joined.truncate(prefix_len);
        self.joined = joined;
        len
    }

    /// Starts a suffix run: every overlay slot becomes stale.
    fn next_stamp(&mut self) {
        if self.stamp == 0xffff {
            self.overlay.fill(0);
            self.stamp = 0;
        }
        self.stamp += 1;
    }

    /// Restores the table slots logged in `undo`, newest first.
    fn undo_writes(&mut self) {
        for &(slot, old) in self.undo.iter().rev() {
            self.table[slot as usize] = old;
        }
        self.undo.clear();
    }

    fn reset(&mut self) {
        for &slot in &self.touched {
            self.table[slot as usize] = 0;
        }
        self.touched.clear();
    }

    /// The table slot for the bytes at `at`: liblz4's 4-byte hash for single blocks,
    /// its 5-byte hash for `LINKED` blocks.
    #[inline(always)]
    fn hash<const LINKED: bool>(data: &[u8], at: usize) -> usize {
        if LINKED {
            ((read64(data, at) << 24).wrapping_mul(889_523_592_379) >> (64 - U32_HASH_LOG)) as usize
        } else {
            hash4(read32(data, at))
        }
    }

    /// The index in slot `h`, as a `MODE` run sees the table.
    #[inline(always)]
    fn get<const MODE: Mode>(&self, h: usize) -> u32 {
        if MODE == SUFFIX {
            let entry = self.overlay[h];
            if entry >> 16 == self.stamp {
                return entry & 0xffff;
            }
        }
        self.table[h]
    }

    /// Writes `index` into slot `h`, whose value was `old`, recording the write as `MODE` needs.
    #[inline(always)]
    fn put<const MODE: Mode>(&mut self, h: usize, old: u32, index: usize) {
        if MODE == SUFFIX {
            self.overlay[h] = self.stamp << 16 | index as u32;
            return;
        }
        if MODE == PREFIX {
            self.undo.push((h as u32, old));
        }
        if old == 0 {
            self.touched.push(h as u32);
        }
        self.table[h] = index as u32;
    }

    /// `LZ4_compress_generic` in limited-output mode on `data[start..end]`, with
    /// `data[..start]` as prefix, from the beginning or from `resume`. Returns the
    /// compressed size, or `None` where liblz4 gives up because the block would not
    /// fit in `end - start - 1` bytes. `LINKED` selects the linked-block table (5-byte
    /// hash, distance checks).
    ///
    /// In `PREFIX` mode, `data` is only the beginning of the input and `end` is where
    /// the known bytes stop: the run stops at the top of the first match search that
    /// would read past them or whose decisions depend on the input's real size, and
    /// returns the state at that point; `undo` then holds the writes made since.
    /// `sink` hears each sequence's literals and match; the caller ends the block.
    fn compress_block<const LINKED: bool, const MODE: Mode, S: Symbols>(
        &mut self,
        data: &[u8],
        start: usize,
        end: usize,
        has_prefix: bool,
        resume: Option<Cursor>,
        sink: &mut S,
    ) -> Outcome {
        let prefix_mode = MODE == PREFIX;
        let input_size = end - start;
        let olimit = input_size - 1;
        let low_limit = if has_prefix { 0 } else { start };
        let mut op = 0usize;
        let mut anchor = start;

        if input_size >= MIN_LENGTH {
            let mflimit_plus_one = end - MFLIMIT + 1;
            let matchlimit = end - LASTLITERALS;
            let (mut ip, mut forward_h) = match resume {
                Some(cursor) => {
                    op = cursor.op;
                    anchor = cursor.anchor;
                    (cursor.ip, cursor.forward_h)
                }
                None => {
                    let h = Self::hash::<LINKED>(data, start);
                    self.put::<MODE>(h, self.get::<MODE>(h), start);
                    (start + 1, Self::hash::<LINKED>(data, start + 1))
                }
            };

            'sequences: loop {
                if prefix_mode {
                    // A safe point: nothing so far depends on what follows the prefix.
                    self.undo.clear();
                }
                let top = Cursor {
                    ip,
                    anchor,
                    op,
                    forward_h,
                };
                // Find a match, skipping faster the longer nothing is found.
                let mut forward_ip = ip;
                // The 4 bytes at `forward_ip`, read once for the hash and the match test.
                let mut forward_seq = read32(data, forward_ip);
                let mut step = 1usize;
                let mut search_match_nb = 1u32 << SKIP_TRIGGER;
                let mut matched;
                loop {
                    let h = forward_h;
                    let seq = forward_seq;
                    let current = forward_ip;
                    let match_index = self.get::<MODE>(h);
                    ip = forward_ip;
                    forward_ip += step;
                    step = (search_match_nb >> SKIP_TRIGGER) as usize;
                    search_match_nb += 1;
                    if forward_ip > mflimit_plus_one {
                        if prefix_mode {
                            return Outcome::Stopped(top);
                        }
                        break 'sequences;
                    }
                    matched = match_index as usize;
                    forward_seq = read32(data, forward_ip);
                    forward_h = if LINKED {
                        Self::hash::<LINKED>(data, forward_ip)
                    } else {
                        hash4(forward_seq)
                    };
                    self.put::<MODE>(h, match_index, current);
                    if LINKED && matched + DISTANCE_MAX < current {
                        continue;
                    }
                    if read32(data, matched) == seq {
                        break;
                    }
                }

                // Catch up: extend the match backwards over pending literals.
                while ip > anchor && matched > low_limit && data[ip - 1] == data[matched - 1] {
                    ip -= 1;
                    matched -= 1;
                }

                let lit_length = ip - anchor;
                op += 1 + extra_length_bytes(lit_length, RUN_MASK) + lit_length; // token, literals
                sink.literals(lit_length);

                loop {
                    // Offset, then match length.
                    op += 2;
                    let match_code = count(data, ip + MINMATCH, matched + MINMATCH, matchlimit);
                    sink.copy(match_code + MINMATCH, ip - matched);
                    ip += match_code + MINMATCH;
                    if prefix_mode && ip >= matchlimit {
                        return Outcome::Stopped(top); // the match may go on past the prefix
                    }
                    op += extra_length_bytes(match_code, ML_MASK);
                    anchor = ip;

                    if ip >= mflimit_plus_one {
                        if prefix_mode {
                            return Outcome::Stopped(top);
                        }
                        break 'sequences;
                    }
                    let h = Self::hash::<LINKED>(data, ip - 2);
                    self.put::<MODE>(h, self.get::<MODE>(h), ip - 2);

                    // Test the next position for an immediate match.
                    let h = Self::hash::<LINKED>(data, ip);
                    let match_index = self.get::<MODE>(h) as usize;
                    self.put::<MODE>(h, match_index as u32, ip);
                    let in_range = !LINKED || match_index + DISTANCE_MAX >= ip;
                    if in_range && read32(data, match_index) == read32(data, ip) {
                        matched = match_index;
                        op += 1; // token with no literals
                        continue;
                    }
                    ip += 1;
                    forward_h = Self::hash::<LINKED>(data, ip);
                    break;
                }
            }
        } else if prefix_mode {
            unreachable!("prefixes are at least MIN_PREFIX bytes");
        }

        let last_run = end - anchor;
        op += 1 + extra_length_bytes(last_run, RUN_MASK) + last_run;
        sink.literals(last_run);
        // liblz4 checks the output limit before each sequence, each match length and the
        // last literals. Each check's left side is at most the block's final size (every
        // sequence is followed by at least an offset, a token and LASTLITERALS literals),
        // and the last check is that size itself, so some check fails exactly when the
        // final size does: one comparison here gives the same answer.
        if op > olimit {
            return Outcome::Done(None);
        }
        Outcome::Done(Some(op))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_python_lz4_on_small_inputs() {
        // Values from `len(lz4.frame.compress(s))` with lz4 4.4.5 (liblz4 1.9.4).
        let mut model = Lz4Model::default();
        assert_eq!(model.frame_len(b""), 11);
        assert_eq!(model.frame_len(b"aaaaa"), 28);
        assert_eq!(
            model.frame_len(b"hello world hello world hello world hello world"),
            45
        );
    }

    #[test]
    fn suffix_runs_stay_exact_when_the_overlay_stamp_wraps() {
        let prefix = b"def add(a, b):\n    return a + b\n\ndef sub(a, b):\n    return a - b\n";
        // A periodic suffix matches itself at any offset that is a multiple of its period,
        // so entries left by an earlier run with the same stamp would change its length.
        let periodic = b"abcd".repeat(40);
        let suffixes: [&[u8]; 2] = [&periodic, b"    return a + b - a\n"];
        let mut whole = Lz4Model::default();
        let expected: Vec<u64> = suffixes
            .iter()
            .map(|s| whole.frame_len(&[&prefix[..], s].concat()))
            .collect();
        let mut model = Lz4Model::default();
        model.set_prefix(prefix);
        assert!(
            model.prefix.is_some(),
            "the prefix is long enough to be kept"
        );
        // The first run and the first run after the stamp wraps take the periodic suffix.
        for run in 0..(0xffff + 10) {
            let which = if run % 0xffff == 0 { 0 } else { 1 };
            assert_eq!(
                model.frame_len_after_prefix(suffixes[which]),
                expected[which],
                "run {run}"
            );
        }
    }
}
