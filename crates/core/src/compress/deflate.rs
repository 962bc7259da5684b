//! The length of zlib's raw DEFLATE output, computed without producing it.
//!
//! ZIP-FIT's reference code measures `len(gzip.compress(s, level))`, which is zlib
//! 1.2.13 (`deflateInit2` with memLevel 8, window bits 15, default strategy) plus
//! an 18-byte gzip header and trailer. This model follows zlib's `deflate_fast`
//! (levels 1-3) and `deflate_slow` (levels 4-9) decision for decision: the same
//! window, hash, chains, lazy-match rules and block boundaries, and the block-type
//! choice of `trees.c` (see [`super::huffman`]). It only counts bits, so the length
//! equals zlib's while the work of emitting bytes is skipped.

use super::huffman::{
    distance_code, BlockChoice, BlockCoster, D_CODES, END_BLOCK, LENGTH_CODE, L_CODES,
};
use super::parse::Symbols;

const WSIZE: usize = 1 << 15;
const WMASK: usize = WSIZE - 1;
const WINDOW_SIZE: usize = 2 * WSIZE;
const HASH_SIZE: usize = 1 << 15;
const HASH_MASK: usize = HASH_SIZE - 1;
const HASH_SHIFT: usize = 5;
const MIN_MATCH: usize = 3;
const MAX_MATCH: usize = 258;
const MIN_LOOKAHEAD: usize = MAX_MATCH + MIN_MATCH + 1;
const MAX_DIST: usize = WSIZE - MIN_LOOKAHEAD;
const WIN_INIT: usize = MAX_MATCH;
const TOO_FAR: usize = 4096;
/// zlib's `lit_bufsize - 1`: a block is flushed after this many symbols (memLevel 8).
const BLOCK_SYMBOLS: usize = (1 << 14) - 1;
/// gzip's 10-byte header and 8-byte trailer around the raw stream.
pub const GZIP_OVERHEAD: u64 = 18;

/// zlib's `configuration_table` row for one level.
#[derive(Debug, Clone, Copy)]
struct Config {
    good_length: usize,
    max_lazy: usize,
    nice_length: usize,
    max_chain: usize,
    lazy: bool,
}

const fn config(level: u8) -> Config {
    let (good_length, max_lazy, nice_length, max_chain, lazy) = match level {
        1 => (4, 4, 8, 4, false),
        2 => (4, 5, 16, 8, false),
        3 => (4, 6, 32, 32, false),
        4 => (4, 4, 16, 16, true),
        5 => (8, 16, 32, 32, true),
        6 => (8, 16, 128, 128, true),
        7 => (8, 32, 128, 256, true),
        8 => (32, 128, 258, 1024, true),
        _ => (32, 258, 258, 4096, true),
    };
    Config {
        good_length,
        max_lazy,
        nice_length,
        max_chain,
        lazy,
    }
}

/// Where zlib's deflate loop stands: everything a step reads or changes besides the
/// window, the hash tables and the lookahead.
#[derive(Clone)]
struct Parse {
    strstart: usize,
    block_start: isize,
    match_start: usize,
    match_length: usize,
    prev_length: usize,
    prev_match: usize,
    match_available: bool,
    ins_h: usize,
    insert: usize,
    /// Symbol counts of the current block.
    lit_freq: [u32; L_CODES],
    dist_freq: [u32; D_CODES],
    symbols: usize,
    /// Bits of the blocks already flushed.
    bits: u64,
}

impl Default for Parse {
    /// zlib's state after `lm_init` and `init_block`.
    fn default() -> Self {
        let mut lit_freq = [0; L_CODES];
        lit_freq[END_BLOCK] = 1;
        Parse {
            strstart: 0,
            block_start: 0,
            match_start: 0,
            match_length: MIN_MATCH - 1,
            prev_length: MIN_MATCH - 1,
            prev_match: 0,
            match_available: false,
            ins_h: 0,
            insert: 0,
            lit_freq,
            dist_freq: [0; D_CODES],
            symbols: 0,
            bits: 0,
        }
    }
}

/// zlib's state at the first point where the input after a prefix can make a difference.
struct Snapshot {
    prefix_len: usize,
    parse: Parse,
}

/// Longest prefix [`DeflateModel::set_prefix`] takes, and longest prefix plus suffix
/// [`DeflateModel::raw_len_after_prefix`] takes: below the point where zlib slides its
/// window (`strstart` reaching `WSIZE + MAX_DIST`), so zlib reads the whole input in one
/// piece and window positions equal input positions.
pub const MAX_PREFIXED_LEN: usize = WSIZE + MAX_DIST - 1;

/// A reusable zlib length model for one compression level (1-9).
///
/// Holds zlib's working memory (window, hash heads, chains, block statistics), so
/// one value per thread serves any number of calls without allocating.
pub struct DeflateModel {
    state: State,
    tables: Tables,
    prefix: Option<Box<Snapshot>>,
}

/// What a run of the deflate loop is for; it decides how hash-head writes are recorded
/// and what happens when the lookahead runs low. A const parameter, so each kind of
/// run is compiled without the others' checks.
type Mode = u8;
/// A whole input: hash slots written are listed for the next reset.
const WHOLE: Mode = 0;
/// The start of an input ([`DeflateModel::set_prefix`]): stop at the first refill.
const PREFIX: Mode = 1;
/// The rest after a saved prefix: every hash-head write, and every chain link written over
/// one of the prefix's (positions from `WSIZE` on share `prev` slots with earlier ones), is
/// logged and undone afterwards.
const SUFFIX: Mode = 2;

/// zlib's scalar state and block statistics. Kept apart from [`Tables`] and passed
/// beside it as a separate `&mut`, which tells the compiler that table writes cannot
/// change this state, so it need not reload it after each one.
struct State {
    cfg: Config,
    lookahead: usize,
    p: Parse,
    coster: BlockCoster,
}

/// zlib's window and hash chains, and the record of which hash heads were written.
struct Tables {
    window: Box<[u8]>,
    prev: Box<[u16]>,
    head: Box<[u16]>,
    high_water: usize,
    /// Hash slots written since the last reset, so a reset clears only those.
    touched: Vec<u16>,
    /// While a suffix runs after a saved prefix: every hash-head write, to undo it after.
    undo: Vec<(u16, u16)>,
    /// Likewise for `prev` slots written by positions from `WSIZE` on.
    prev_undo: Vec<(u16, u16)>,
}

impl DeflateModel {
    /// A model of zlib at `level`, clamped to 1..=9.
    pub fn new(level: u8) -> Self {
        DeflateModel {
            state: State {
                cfg: config(level.clamp(1, 9)),
                lookahead: 0,
                p: Parse::default(),
                coster: BlockCoster::default(),
            },
            tables: Tables {
                // 8 spare bytes let match comparison read whole words at the window's end.
                window: vec![0; WINDOW_SIZE + 8].into_boxed_slice(),
                prev: vec![0; WSIZE].into_boxed_slice(),
                head: vec![0; HASH_SIZE].into_boxed_slice(),
                high_water: 0,
                touched: Vec::new(),
                undo: Vec::new(),
                prev_undo: Vec::new(),
            },
            prefix: None,
        }
    }

    /// Length in bytes of `gzip.compress(data, level)` (raw DEFLATE plus 18 bytes).
    pub fn gzip_len(&mut self, data: &[u8]) -> u64 {
        self.raw_len(data) + GZIP_OVERHEAD
    }

    /// Length in bytes of the raw DEFLATE stream zlib makes from `data`.
    pub fn raw_len(&mut self, data: &[u8]) -> u64 {
        self.reset();
        let mut input = Input { data, pos: 0 };
        self.state
            .run::<WHOLE, _>(&mut self.tables, &mut input, &mut ());
        self.state.p.bits.div_ceil(8)
    }

    /// Runs zlib over `data` as [`DeflateModel::raw_len`] does, reporting every symbol
    /// and block to `sink`.
    pub(crate) fn parse(&mut self, data: &[u8], sink: &mut impl Symbols) {
        self.reset();
        let mut input = Input { data, pos: 0 };
        self.state
            .run::<WHOLE, _>(&mut self.tables, &mut input, sink);
    }

    /// Runs zlib over `prefix` up to the first position whose handling could depend on
    /// what follows it, and keeps that state, so that [`DeflateModel::raw_len_after_prefix`]
    /// only processes the rest. ZIP-FIT compresses `x ++ y` for every target `y` with the
    /// same `x`, so `x` is processed once instead of once per target.
    ///
    /// Returns false (and keeps no prefix) when `prefix` is too short (below zlib's
    /// minimum lookahead of 262 bytes) or too long (over [`MAX_PREFIXED_LEN`]). A suffix that
    /// takes the pair past [`MAX_PREFIXED_LEN`] is compressed whole with the prefix instead.
    pub fn set_prefix(&mut self, prefix: &[u8]) -> bool {
        self.prefix = None;
        if prefix.len() < MIN_LOOKAHEAD || prefix.len() > MAX_PREFIXED_LEN {
            return false;
        }
        self.reset();
        let mut input = Input {
            data: prefix,
            pos: 0,
        };
        self.state
            .fill_window::<WHOLE>(&mut self.tables, &mut input);
        self.state
            .run::<PREFIX, _>(&mut self.tables, &mut input, &mut ());
        self.prefix = Some(Box::new(Snapshot {
            prefix_len: prefix.len(),
            parse: self.state.p.clone(),
        }));
        true
    }

    /// Length of the raw DEFLATE stream of `prefix ++ suffix`, for the prefix given to
    /// [`DeflateModel::set_prefix`]; equal to `raw_len` of the concatenation. `None` when
    /// there is no prefix or the concatenation exceeds [`MAX_PREFIXED_LEN`].
    pub fn raw_len_after_prefix(&mut self, suffix: &[u8]) -> Option<u64> {
        let snapshot = self.prefix.take()?;
        let total = snapshot.prefix_len + suffix.len();
        if total > MAX_PREFIXED_LEN {
            self.prefix = Some(snapshot);
            return None;
        }
        let (state, tables) = (&mut self.state, &mut self.tables);
        state.p = snapshot.parse.clone();

        // The window as zlib's one read of the whole input would have left it.
        tables.window[snapshot.prefix_len..total].copy_from_slice(suffix);
        let zeroed = (total + WIN_INIT).min(WINDOW_SIZE);
        tables.window[total..zeroed].fill(0);
        tables.high_water = zeroed;
        state.lookahead = total - state.p.strstart;

        let mut input = Input { data: &[], pos: 0 };
        state.run::<SUFFIX, _>(tables, &mut input, &mut ());
        for &(h, old) in tables.undo.iter().rev() {
            tables.head[h as usize] = old;
        }
        tables.undo.clear();
        for &(slot, old) in tables.prev_undo.iter().rev() {
            tables.prev[slot as usize] = old;
        }
        tables.prev_undo.clear();
        self.prefix = Some(snapshot);
        Some(self.state.p.bits.div_ceil(8))
    }

    fn reset(&mut self) {
        let tables = &mut self.tables;
        for &h in &tables.touched {
            tables.head[h as usize] = 0;
        }
        tables.touched.clear();
        tables.high_water = 0;
        self.state.lookahead = 0;
        self.state.p = Parse::default();
    }
}

impl Tables {
    fn slide_hash(&mut self) {
        for m in self.head.iter_mut().chain(self.prev.iter_mut()) {
            *m = if *m as usize >= WSIZE {
                *m - WSIZE as u16
            } else {
                0
            };
        }
    }
}

impl State {
    fn init_block(&mut self) {
        self.p.lit_freq = [0; L_CODES];
        self.p.dist_freq = [0; D_CODES];
        self.p.lit_freq[END_BLOCK] = 1;
        self.p.symbols = 0;
    }

    #[inline]
    fn update_hash(h: usize, c: u8) -> usize {
        ((h << HASH_SHIFT) ^ c as usize) & HASH_MASK
    }

    /// zlib's INSERT_STRING: links `pos` into its hash chain and returns the previous head.
    #[inline(always)]
    fn insert_string<const MODE: Mode>(&mut self, t: &mut Tables, pos: usize) -> usize {
        self.p.ins_h = Self::update_hash(self.p.ins_h, t.window[pos + MIN_MATCH - 1]);
        self.link::<MODE>(t, pos)
    }

    /// Puts `pos` at the head of the chain of `ins_h`; returns the previous head.
    #[inline(always)]
    fn link<const MODE: Mode>(&mut self, t: &mut Tables, pos: usize) -> usize {
        let h = self.p.ins_h;
        let head = t.head[h];
        if MODE == SUFFIX {
            t.undo.push((h as u16, head));
            if pos >= WSIZE {
                t.prev_undo
                    .push(((pos & WMASK) as u16, t.prev[pos & WMASK]));
            }
        } else if head == 0 {
            t.touched.push(h as u16);
        }
        t.prev[pos & WMASK] = head;
        t.head[h] = pos as u16;
        head as usize
    }

    fn fill_window<const MODE: Mode>(&mut self, t: &mut Tables, input: &mut Input) {
        loop {
            let mut more = WINDOW_SIZE - self.lookahead - self.p.strstart;
            if self.p.strstart >= WSIZE + MAX_DIST {
                t.window.copy_within(WSIZE..WSIZE + WSIZE - more, 0);
                self.p.match_start = self.p.match_start.wrapping_sub(WSIZE);
                self.p.strstart -= WSIZE;
                self.p.block_start -= WSIZE as isize;
                if self.p.insert > self.p.strstart {
                    self.p.insert = self.p.strstart;
                }
                t.slide_hash();
                more += WSIZE;
            }
            if input.remaining() == 0 {
                break;
            }
            let at = self.p.strstart + self.lookahead;
            let n = input.read(&mut t.window[at..at + more]);
            self.lookahead += n;

            if self.lookahead + self.p.insert >= MIN_MATCH {
                let mut s = self.p.strstart - self.p.insert;
                self.p.ins_h = t.window[s] as usize;
                self.p.ins_h = Self::update_hash(self.p.ins_h, t.window[s + 1]);
                while self.p.insert > 0 {
                    self.p.ins_h = Self::update_hash(self.p.ins_h, t.window[s + MIN_MATCH - 1]);
                    self.link::<MODE>(t, s);
                    s += 1;
                    self.p.insert -= 1;
                    if self.lookahead + self.p.insert < MIN_MATCH {
                        break;
                    }
                }
            }
            if !(self.lookahead < MIN_LOOKAHEAD && input.remaining() != 0) {
                break;
            }
        }

        // zlib zeroes the bytes after the data that a match scan may read.
        if t.high_water < WINDOW_SIZE {
            let curr = self.p.strstart + self.lookahead;
            if t.high_water < curr {
                let init = (WINDOW_SIZE - curr).min(WIN_INIT);
                t.window[curr..curr + init].fill(0);
                t.high_water = curr + init;
            } else if t.high_water < curr + WIN_INIT {
                let init = (curr + WIN_INIT - t.high_water).min(WINDOW_SIZE - t.high_water);
                t.window[t.high_water..t.high_water + init].fill(0);
                t.high_water += init;
            }
        }
    }

    /// zlib's `longest_match`, including its quick rejections and its chain limits.
    fn longest_match(&mut self, t: &Tables, mut cur_match: usize) -> usize {
        let mut chain_length = self.cfg.max_chain;
        let scan = self.p.strstart;
        let mut best_len = self.p.prev_length;
        let mut nice_match = self.cfg.nice_length;
        let limit = self.p.strstart.saturating_sub(MAX_DIST);
        let w = &t.window;
        let mut scan_end1 = w[scan + best_len - 1];
        let mut scan_end = w[scan + best_len];
        if self.p.prev_length >= self.cfg.good_length {
            chain_length >>= 2;
        }
        if nice_match > self.lookahead {
            nice_match = self.lookahead;
        }
        loop {
            let m = cur_match;
            if w[m + best_len] == scan_end
                && w[m + best_len - 1] == scan_end1
                && w[m] == w[scan]
                && w[m + 1] == w[scan + 1]
            {
                // zlib skips offset 2: equal hashes imply equal third bytes here.
                let len = match_length(w, scan, m);
                if len > best_len {
                    self.p.match_start = cur_match;
                    best_len = len;
                    if len >= nice_match {
                        break;
                    }
                    scan_end1 = w[scan + best_len - 1];
                    scan_end = w[scan + best_len];
                }
            }
            cur_match = t.prev[cur_match & WMASK] as usize;
            if cur_match <= limit {
                break;
            }
            chain_length -= 1;
            if chain_length == 0 {
                break;
            }
        }
        best_len.min(self.lookahead)
    }

    #[inline]
    fn tally_lit(&mut self, c: u8) -> bool {
        self.p.lit_freq[c as usize] += 1;
        self.p.symbols += 1;
        self.p.symbols == BLOCK_SYMBOLS
    }

    #[inline]
    fn tally_dist(&mut self, dist: usize, length_minus_3: usize) -> bool {
        self.p.lit_freq[LENGTH_CODE[length_minus_3] as usize + 257] += 1;
        self.p.dist_freq[distance_code(dist - 1)] += 1;
        self.p.symbols += 1;
        self.p.symbols == BLOCK_SYMBOLS
    }

    /// zlib's FLUSH_BLOCK_ONLY: adds the block's bits and starts a new block.
    fn flush_block<S: Symbols>(&mut self, last: bool, sink: &mut S) {
        let stored_len = (self.p.strstart as isize - self.p.block_start) as u64;
        let choice = self.coster.choose(
            &self.p.lit_freq,
            &self.p.dist_freq,
            stored_len,
            self.p.block_start >= 0,
        );
        sink.end_block(matches!(choice, BlockChoice::Stored));
        match choice {
            BlockChoice::Stored => {
                self.p.bits = (self.p.bits + 3).div_ceil(8) * 8 + 32 + 8 * stored_len;
            }
            BlockChoice::Fixed(bits) | BlockChoice::Dynamic(bits) => self.p.bits += 3 + bits,
        }
        if last {
            self.p.bits = self.p.bits.div_ceil(8) * 8;
        }
        self.p.block_start = self.p.strstart as isize;
        self.init_block();
    }

    fn run<const MODE: Mode, S: Symbols>(
        &mut self,
        t: &mut Tables,
        input: &mut Input,
        sink: &mut S,
    ) {
        if self.cfg.lazy {
            self.deflate_slow::<MODE, S>(t, input, sink);
        } else {
            self.deflate_fast::<MODE, S>(t, input, sink);
        }
    }

    /// The top of zlib's deflate loops: refill the window if needed, then insert the
    /// string at `strstart` and return the previous head of its hash chain.
    #[inline]
    fn loop_top<const MODE: Mode>(&mut self, t: &mut Tables, input: &mut Input) -> LoopTop {
        if self.lookahead < MIN_LOOKAHEAD {
            if MODE == PREFIX {
                return LoopTop::Stop; // what follows the prefix decides from here on
            }
            self.fill_window::<MODE>(t, input);
            if self.lookahead == 0 {
                return LoopTop::End;
            }
        }
        LoopTop::Head(if self.lookahead >= MIN_MATCH {
            self.insert_string::<MODE>(t, self.p.strstart)
        } else {
            0
        })
    }

    fn deflate_fast<const MODE: Mode, S: Symbols>(
        &mut self,
        t: &mut Tables,
        input: &mut Input,
        sink: &mut S,
    ) {
        loop {
            let hash_head = match self.loop_top::<MODE>(t, input) {
                LoopTop::Stop => return,
                LoopTop::End => break,
                LoopTop::Head(hash_head) => hash_head,
            };
            if hash_head != 0 && self.p.strstart - hash_head <= MAX_DIST {
                self.p.match_length = self.longest_match(t, hash_head);
            }
            let flush;
            if self.p.match_length >= MIN_MATCH {
                sink.copy(self.p.match_length, self.p.strstart - self.p.match_start);
                flush = self.tally_dist(
                    self.p.strstart - self.p.match_start,
                    self.p.match_length - MIN_MATCH,
                );
                self.lookahead -= self.p.match_length;
                if self.p.match_length <= self.cfg.max_lazy && self.lookahead >= MIN_MATCH {
                    self.p.match_length -= 1;
                    loop {
                        self.p.strstart += 1;
                        self.insert_string::<MODE>(t, self.p.strstart);
                        self.p.match_length -= 1;
                        if self.p.match_length == 0 {
                            break;
                        }
                    }
                    self.p.strstart += 1;
                } else {
                    self.p.strstart += self.p.match_length;
                    self.p.match_length = 0;
                    self.p.ins_h = t.window[self.p.strstart] as usize;
                    self.p.ins_h = Self::update_hash(self.p.ins_h, t.window[self.p.strstart + 1]);
                }
            } else {
                sink.literals(1);
                flush = self.tally_lit(t.window[self.p.strstart]);
                self.lookahead -= 1;
                self.p.strstart += 1;
            }
            if flush {
                self.flush_block(false, sink);
            }
        }
        self.flush_block(true, sink);
    }

    fn deflate_slow<const MODE: Mode, S: Symbols>(
        &mut self,
        t: &mut Tables,
        input: &mut Input,
        sink: &mut S,
    ) {
        loop {
            let hash_head = match self.loop_top::<MODE>(t, input) {
                LoopTop::Stop => return,
                LoopTop::End => break,
                LoopTop::Head(hash_head) => hash_head,
            };
            self.p.prev_length = self.p.match_length;
            self.p.prev_match = self.p.match_start;
            self.p.match_length = MIN_MATCH - 1;

            if hash_head != 0
                && self.p.prev_length < self.cfg.max_lazy
                && self.p.strstart - hash_head <= MAX_DIST
            {
                self.p.match_length = self.longest_match(t, hash_head);
                if self.p.match_length == MIN_MATCH
                    && self.p.strstart.wrapping_sub(self.p.match_start) > TOO_FAR
                {
                    self.p.match_length = MIN_MATCH - 1;
                }
            }
            if self.p.prev_length >= MIN_MATCH && self.p.match_length <= self.p.prev_length {
                let max_insert = self.p.strstart + self.lookahead - MIN_MATCH;
                sink.copy(self.p.prev_length, self.p.strstart - 1 - self.p.prev_match);
                let flush = self.tally_dist(
                    self.p.strstart - 1 - self.p.prev_match,
                    self.p.prev_length - MIN_MATCH,
                );
                self.lookahead -= self.p.prev_length - 1;
                self.p.prev_length -= 2;
                loop {
                    self.p.strstart += 1;
                    if self.p.strstart <= max_insert {
                        self.insert_string::<MODE>(t, self.p.strstart);
                    }
                    self.p.prev_length -= 1;
                    if self.p.prev_length == 0 {
                        break;
                    }
                }
                self.p.match_available = false;
                self.p.match_length = MIN_MATCH - 1;
                self.p.strstart += 1;
                if flush {
                    self.flush_block(false, sink);
                }
            } else if self.p.match_available {
                sink.literals(1);
                if self.tally_lit(t.window[self.p.strstart - 1]) {
                    self.flush_block(false, sink);
                }
                self.p.strstart += 1;
                self.lookahead -= 1;
            } else {
                self.p.match_available = true;
                self.p.strstart += 1;
                self.lookahead -= 1;
            }
        }
        if self.p.match_available {
            sink.literals(1);
            self.tally_lit(t.window[self.p.strstart - 1]);
            self.p.match_available = false;
        }
        self.flush_block(true, sink);
    }
}

/// Offset of the first difference between `w[scan..]` and `w[m..]` from offset 3 on,
/// or `MAX_MATCH`: what zlib's unrolled comparison loop in `longest_match` computes.
#[inline]
fn match_length(w: &[u8], scan: usize, m: usize) -> usize {
    let word = |at: usize| u64::from_le_bytes(w[at..at + 8].try_into().expect("8 bytes"));
    let mut len = 3;
    while len < MAX_MATCH {
        let diff = word(scan + len) ^ word(m + len);
        if diff != 0 {
            return (len + (diff.trailing_zeros() / 8) as usize).min(MAX_MATCH);
        }
        len += 8;
    }
    MAX_MATCH
}

/// What the top of the deflate loop found.
enum LoopTop {
    /// Prefix mode: the next step depends on bytes after the prefix.
    Stop,
    /// No input left: flush the last block.
    End,
    /// Go on; the previous head of the hash chain of `strstart` (0 for none).
    Head(usize),
}

/// The input not yet copied into the window, as zlib's `next_in`/`avail_in`.
struct Input<'a> {
    data: &'a [u8],
    pos: usize,
}

impl Input<'_> {
    fn remaining(&self) -> usize {
        self.data.len() - self.pos
    }

    /// zlib's `read_buf`: copies up to `out.len()` bytes, returning how many were copied.
    fn read(&mut self, out: &mut [u8]) -> usize {
        let n = self.remaining().min(out.len());
        out[..n].copy_from_slice(&self.data[self.pos..self.pos + n]);
        self.pos += n;
        n
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_input_is_two_bytes() {
        assert_eq!(DeflateModel::new(9).raw_len(b""), 2);
        assert_eq!(DeflateModel::new(9).gzip_len(b""), 20);
    }
}
