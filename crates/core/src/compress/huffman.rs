//! The bit cost of one DEFLATE block, decided the way zlib's `trees.c` decides it.
//!
//! zlib builds a Huffman tree for literals/lengths and one for distances from the
//! block's symbol frequencies, describes both with a third tree, and then emits
//! whichever of stored, fixed-Huffman or dynamic-Huffman is cheapest by its own
//! byte estimate. The code lengths depend on zlib's exact heap order and its
//! overflow repair, so this module follows `build_tree`, `gen_bitlen`,
//! `scan_tree` and `build_bl_tree` step for step, and only counts bits.

/// Number of literal/length codes (256 literals, end of block, 29 lengths).
pub const L_CODES: usize = 286;
/// Number of distance codes.
pub const D_CODES: usize = 30;
const BL_CODES: usize = 19;
const HEAP_SIZE: usize = 2 * L_CODES + 1;
const MAX_BITS: usize = 15;
const MAX_BL_BITS: usize = 7;
/// The end-of-block symbol.
pub const END_BLOCK: usize = 256;
const LITERALS: usize = 256;
const REP_3_6: usize = 16;
const REPZ_3_10: usize = 17;
const REPZ_11_138: usize = 18;

const EXTRA_LBITS: [u8; 29] = [
    0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
];
const EXTRA_DBITS: [u8; D_CODES] = [
    0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
    13,
];
const EXTRA_BLBITS: [u8; BL_CODES] = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2, 3, 7];
const BL_ORDER: [usize; BL_CODES] = [
    16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15,
];

/// Length code (0..29) for a match length minus 3, as zlib's `_length_code`.
pub const LENGTH_CODE: [u8; 256] = length_code_table();

const fn length_code_table() -> [u8; 256] {
    let mut table = [0u8; 256];
    let mut length = 0;
    let mut code = 0;
    while code < 28 {
        let mut n = 0;
        while n < (1 << EXTRA_LBITS[code]) {
            table[length] = code as u8;
            length += 1;
            n += 1;
        }
        code += 1;
    }
    // Length 258 can be coded two ways; zlib uses the cheaper code 28.
    table[255] = 28;
    table
}

/// Distance code (0..30) for a match distance minus one.
#[inline]
pub fn distance_code(dist_minus_one: usize) -> usize {
    if dist_minus_one < 4 {
        dist_minus_one
    } else {
        let high_bit = usize::BITS as usize - 1 - dist_minus_one.leading_zeros() as usize;
        2 * high_bit + ((dist_minus_one >> (high_bit - 1)) & 1)
    }
}

fn static_ltree_len(n: usize) -> u32 {
    match n {
        0..=143 => 8,
        144..=255 => 9,
        256..=279 => 7,
        _ => 8,
    }
}

const STATIC_DTREE_LEN: u32 = 5;

/// Which tree `build_tree` is working on; selects elems, extra bits and static lengths.
#[derive(Clone, Copy, PartialEq)]
enum TreeKind {
    Literal,
    Distance,
    BitLength,
}

impl TreeKind {
    fn elems(self) -> usize {
        match self {
            TreeKind::Literal => L_CODES,
            TreeKind::Distance => D_CODES,
            TreeKind::BitLength => BL_CODES,
        }
    }

    fn max_length(self) -> usize {
        match self {
            TreeKind::BitLength => MAX_BL_BITS,
            _ => MAX_BITS,
        }
    }

    fn extra_bits(self, n: usize) -> u32 {
        match self {
            TreeKind::Literal if n > LITERALS => EXTRA_LBITS[n - LITERALS - 1] as u32,
            TreeKind::Literal => 0,
            TreeKind::Distance => EXTRA_DBITS[n] as u32,
            TreeKind::BitLength => EXTRA_BLBITS[n] as u32,
        }
    }

    fn static_len(self, n: usize) -> Option<u32> {
        match self {
            TreeKind::Literal => Some(static_ltree_len(n)),
            TreeKind::Distance => Some(STATIC_DTREE_LEN),
            TreeKind::BitLength => None,
        }
    }
}

/// Scratch space for building trees; reused across blocks so nothing is allocated.
pub struct BlockCoster {
    freq: [u32; HEAP_SIZE],
    len: [u16; HEAP_SIZE + 1],
    dad: [u16; HEAP_SIZE],
    depth: [u8; HEAP_SIZE],
    /// zlib's heap of nodes; each entry packs `(freq << 8 | depth) << 16 | node`, so that
    /// zlib's `smaller` (by frequency, then depth, `<=`) is one comparison of the upper bits.
    heap: [u64; HEAP_SIZE],
    heap_len: usize,
    heap_max: usize,
    bl_count: [u16; MAX_BITS + 1],
    lit_len: [u16; L_CODES + 1],
    dist_len: [u16; D_CODES + 1],
    bl_freq: [u32; BL_CODES],
    opt_len: u64,
    static_len: u64,
}

/// How zlib would emit a block, and what it costs in bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BlockChoice {
    /// Stored: 3 header bits, padding to a byte, 4 length bytes, the raw bytes.
    Stored,
    /// Fixed Huffman codes: 3 header bits plus this many bits.
    Fixed(u64),
    /// Dynamic Huffman codes: 3 header bits plus this many bits (trees included).
    Dynamic(u64),
}

impl Default for BlockCoster {
    fn default() -> Self {
        BlockCoster {
            freq: [0; HEAP_SIZE],
            len: [0; HEAP_SIZE + 1],
            dad: [0; HEAP_SIZE],
            depth: [0; HEAP_SIZE],
            heap: [0; HEAP_SIZE],
            heap_len: 0,
            heap_max: 0,
            bl_count: [0; MAX_BITS + 1],
            lit_len: [0; L_CODES + 1],
            dist_len: [0; D_CODES + 1],
            bl_freq: [0; BL_CODES],
            opt_len: 0,
            static_len: 0,
        }
    }
}

impl BlockCoster {
    /// Decides how zlib emits a block with these symbol frequencies, as `_tr_flush_block` does.
    /// `stored_len` is the number of input bytes the block covers; `stored_allowed` is false
    /// when those bytes have already left zlib's window.
    pub fn choose(
        &mut self,
        lit_freq: &[u32; L_CODES],
        dist_freq: &[u32; D_CODES],
        stored_len: u64,
        stored_allowed: bool,
    ) -> BlockChoice {
        self.opt_len = 0;
        self.static_len = 0;
        let lit_max_code = self.build_tree(TreeKind::Literal, lit_freq);
        self.lit_len[..L_CODES].copy_from_slice(&self.len[..L_CODES]);
        let dist_max_code = self.build_tree(TreeKind::Distance, dist_freq);
        self.dist_len[..D_CODES].copy_from_slice(&self.len[..D_CODES]);

        // build_bl_tree
        self.bl_freq = [0; BL_CODES];
        scan_tree(&mut self.bl_freq, &mut self.lit_len, lit_max_code);
        scan_tree(&mut self.bl_freq, &mut self.dist_len, dist_max_code);
        let bl_freq = self.bl_freq;
        self.build_tree(TreeKind::BitLength, &bl_freq);
        let mut max_blindex = BL_CODES - 1;
        while max_blindex >= 3 && self.len[BL_ORDER[max_blindex]] == 0 {
            max_blindex -= 1;
        }
        self.opt_len += 3 * (max_blindex as u64 + 1) + 5 + 5 + 4;

        let mut opt_lenb = (self.opt_len + 3 + 7) >> 3;
        let static_lenb = (self.static_len + 3 + 7) >> 3;
        if static_lenb <= opt_lenb {
            opt_lenb = static_lenb;
        }
        if stored_len + 4 <= opt_lenb && stored_allowed {
            BlockChoice::Stored
        } else if static_lenb == opt_lenb {
            BlockChoice::Fixed(self.static_len)
        } else {
            BlockChoice::Dynamic(self.opt_len)
        }
    }

    #[inline]
    fn entry(&self, node: usize) -> u64 {
        ((self.freq[node] as u64) << 8 | self.depth[node] as u64) << 16 | node as u64
    }

    /// zlib's `smaller` macro: by frequency, then by depth, ties counting as smaller.
    #[inline]
    fn smaller(a: u64, b: u64) -> bool {
        a >> 16 <= b >> 16
    }

    fn pqdownheap(&mut self, mut k: usize) {
        let v = self.heap[k];
        let len = self.heap_len;
        let mut j = k << 1;
        while j <= len {
            // Branch-free choice of the smaller child: these comparisons are unpredictable.
            j += ((j < len) & Self::smaller(self.heap[j + 1], self.heap[j])) as usize;
            if Self::smaller(v, self.heap[j]) {
                break;
            }
            self.heap[k] = self.heap[j];
            k = j;
            j <<= 1;
        }
        self.heap[k] = v;
    }

    /// Builds the tree for `freqs` into `self.len`, adds its cost to `opt_len` and
    /// `static_len`, and returns the largest code with a non-zero frequency (zlib's max_code).
    fn build_tree(&mut self, kind: TreeKind, freqs: &[u32]) -> isize {
        let elems = kind.elems();
        self.freq[..elems].copy_from_slice(&freqs[..elems]);
        self.heap_len = 0;
        self.heap_max = HEAP_SIZE;
        let mut max_code: isize = -1;
        for n in 0..elems {
            if self.freq[n] != 0 {
                self.heap_len += 1;
                self.depth[n] = 0;
                self.heap[self.heap_len] = self.entry(n);
                max_code = n as isize;
            } else {
                self.len[n] = 0;
            }
        }
        // Deflate needs at least two codes of non-zero frequency in every tree.
        while self.heap_len < 2 {
            let node = if max_code < 2 {
                max_code += 1;
                max_code as usize
            } else {
                0
            };
            self.heap_len += 1;
            self.freq[node] = 1;
            self.depth[node] = 0;
            self.heap[self.heap_len] = self.entry(node);
            self.opt_len = self.opt_len.wrapping_sub(1);
            if let Some(static_len) = kind.static_len(node) {
                self.static_len = self.static_len.wrapping_sub(static_len as u64);
            }
        }
        let mut n = self.heap_len / 2;
        while n >= 1 {
            self.pqdownheap(n);
            n -= 1;
        }
        let mut node = elems;
        loop {
            // pqremove
            let n_entry = self.heap[1];
            self.heap[1] = self.heap[self.heap_len];
            self.heap_len -= 1;
            self.pqdownheap(1);
            let m_entry = self.heap[1];
            let (n, m) = ((n_entry & 0xffff) as usize, (m_entry & 0xffff) as usize);
            self.heap_max -= 1;
            self.heap[self.heap_max] = n_entry;
            self.heap_max -= 1;
            self.heap[self.heap_max] = m_entry;
            self.freq[node] = self.freq[n] + self.freq[m];
            self.depth[node] = self.depth[n].max(self.depth[m]) + 1;
            self.dad[n] = node as u16;
            self.dad[m] = node as u16;
            self.heap[1] = self.entry(node);
            node += 1;
            self.pqdownheap(1);
            if self.heap_len < 2 {
                break;
            }
        }
        self.heap_max -= 1;
        self.heap[self.heap_max] = self.heap[1];
        self.gen_bitlen(kind, max_code);
        max_code
    }

    fn gen_bitlen(&mut self, kind: TreeKind, max_code: isize) {
        let max_length = kind.max_length();
        self.bl_count = [0; MAX_BITS + 1];
        let root = (self.heap[self.heap_max] & 0xffff) as usize;
        self.len[root] = 0;
        let mut overflow = 0i32;
        let mut h = self.heap_max + 1;
        while h < HEAP_SIZE {
            let n = (self.heap[h] & 0xffff) as usize;
            let mut bits = self.len[self.dad[n] as usize] as usize + 1;
            if bits > max_length {
                bits = max_length;
                overflow += 1;
            }
            self.len[n] = bits as u16;
            h += 1;
            if n as isize > max_code {
                continue; // not a leaf
            }
            self.bl_count[bits] += 1;
            let xbits = kind.extra_bits(n) as u64;
            let f = self.freq[n] as u64;
            self.opt_len = self.opt_len.wrapping_add(f * (bits as u64 + xbits));
            if let Some(static_len) = kind.static_len(n) {
                self.static_len = self
                    .static_len
                    .wrapping_add(f * (static_len as u64 + xbits));
            }
        }
        if overflow == 0 {
            return;
        }
        // Find the first bit length that could increase, as zlib does.
        loop {
            let mut bits = max_length - 1;
            while self.bl_count[bits] == 0 {
                bits -= 1;
            }
            self.bl_count[bits] -= 1;
            self.bl_count[bits + 1] += 2;
            self.bl_count[max_length] -= 1;
            overflow -= 2;
            if overflow <= 0 {
                break;
            }
        }
        let mut bits = max_length;
        while bits != 0 {
            let mut n = self.bl_count[bits];
            while n != 0 {
                h -= 1;
                let m = (self.heap[h] & 0xffff) as usize;
                if m as isize > max_code {
                    continue;
                }
                if self.len[m] as usize != bits {
                    let delta = bits as i64 - self.len[m] as i64;
                    self.opt_len = self
                        .opt_len
                        .wrapping_add((delta * self.freq[m] as i64) as u64);
                    self.len[m] = bits as u16;
                }
                n -= 1;
            }
            bits -= 1;
        }
    }
}

/// zlib's `scan_tree`: counts how the code lengths of one tree would be run-length coded.
fn scan_tree(bl_freq: &mut [u32; BL_CODES], lens: &mut [u16], max_code: isize) {
    let mut prevlen: i32 = -1;
    let mut nextlen = lens[0] as i32;
    let mut count = 0;
    let (mut max_count, mut min_count) = if nextlen == 0 { (138, 3) } else { (7, 4) };
    let guard = (max_code + 1) as usize;
    lens[guard] = 0xffff;
    for n in 0..=max_code.max(-1) {
        if n < 0 {
            break;
        }
        let curlen = nextlen;
        nextlen = lens[n as usize + 1] as i32;
        count += 1;
        if count < max_count && curlen == nextlen {
            continue;
        } else if count < min_count {
            bl_freq[curlen as usize] += count;
        } else if curlen != 0 {
            if curlen != prevlen {
                bl_freq[curlen as usize] += 1;
            }
            bl_freq[REP_3_6] += 1;
        } else if count <= 10 {
            bl_freq[REPZ_3_10] += 1;
        } else {
            bl_freq[REPZ_11_138] += 1;
        }
        count = 0;
        prevlen = curlen;
        if nextlen == 0 {
            max_count = 138;
            min_count = 3;
        } else if curlen == nextlen {
            max_count = 6;
            min_count = 3;
        } else {
            max_count = 7;
            min_count = 4;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_codes_match_zlib_boundaries() {
        assert_eq!(LENGTH_CODE[0], 0); // length 3
        assert_eq!(LENGTH_CODE[8], 8); // length 11
        assert_eq!(LENGTH_CODE[16], 12); // length 19
        assert_eq!(LENGTH_CODE[254], 27); // length 257
        assert_eq!(LENGTH_CODE[255], 28); // length 258
    }

    #[test]
    fn distance_codes_match_rfc1951() {
        assert_eq!(distance_code(0), 0);
        assert_eq!(distance_code(3), 3);
        assert_eq!(distance_code(4), 4);
        assert_eq!(distance_code(6), 5);
        assert_eq!(distance_code(32767), 29);
    }

    #[test]
    fn empty_block_is_fixed_with_end_of_block_only() {
        let mut coster = BlockCoster::default();
        let mut lit = [0u32; L_CODES];
        lit[END_BLOCK] = 1;
        let choice = coster.choose(&lit, &[0; D_CODES], 0, true);
        assert_eq!(choice, BlockChoice::Fixed(7));
    }
}
