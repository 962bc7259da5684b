"""The parse inside Python's real compressed output, for comparison with zipfit's models.

Reads a JSON list of texts on stdin, compresses each with `gzip.compress(s, L)` for every
level given and with `lz4.frame.compress(s)`, and decodes the output into the sequence of
steps it holds: `[len, 0]` for literal bytes (adjacent literals merged) and `[len, distance]`
for a copy. Prints `{"gzip1": [[steps of text 0], ...], ..., "lz4": [...]}`.

Each decoder also rebuilds the text from its steps and checks it equals the input, so a
decoding mistake cannot pass as a parse.

    python3 parse_ref.py --levels 1,6,9 < texts.json
"""

import argparse
import gzip
import json
import sys

import lz4.frame


class Steps:
    """Collects steps, merging adjacent literals, and replays them into the output."""

    def __init__(self):
        self.steps = []
        self.out = bytearray()

    def literal(self, data):
        if not data:
            return
        if self.steps and self.steps[-1][1] == 0:
            self.steps[-1][0] += len(data)
        else:
            self.steps.append([len(data), 0])
        self.out += data

    def copy(self, length, distance):
        if distance < 1 or distance > len(self.out):
            raise ValueError(f"copy distance {distance} at {len(self.out)}")
        self.steps.append([length, distance])
        for _ in range(length):
            self.out.append(self.out[-distance])


class Bits:
    """DEFLATE's bit reader: least significant bit first."""

    def __init__(self, data):
        self.data = data
        self.pos = 0  # in bits

    def bit(self):
        byte = self.data[self.pos >> 3]
        value = (byte >> (self.pos & 7)) & 1
        self.pos += 1
        return value

    def bits(self, n):
        value = 0
        for i in range(n):
            value |= self.bit() << i
        return value

    def align(self):
        self.pos = (self.pos + 7) & ~7


def huffman(lengths):
    """A decoding table {(length, code): symbol} from code lengths (RFC 1951, 3.2.2)."""
    max_len = max(lengths) if lengths else 0
    counts = [0] * (max_len + 1)
    for n in lengths:
        if n:
            counts[n] += 1
    code, next_code = 0, [0] * (max_len + 2)
    for n in range(1, max_len + 1):
        code = (code + counts[n - 1]) << 1
        next_code[n] = code
    table = {}
    for symbol, n in enumerate(lengths):
        if n:
            table[(n, next_code[n])] = symbol
            next_code[n] += 1
    return table


def decode_symbol(bits, table):
    code, n = 0, 0
    while True:
        code = (code << 1) | bits.bit()  # Huffman codes are read most significant bit first
        n += 1
        symbol = table.get((n, code))
        if symbol is not None:
            return symbol
        if n > 15:
            raise ValueError("bad Huffman code")


LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59,
               67, 83, 99, 115, 131, 163, 195, 227, 258]
LENGTH_EXTRA = [0] * 8 + [1] * 4 + [2] * 4 + [3] * 4 + [4] * 4 + [5] * 4 + [0]
DIST_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769,
             1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577]
DIST_EXTRA = [0, 0, 0, 0] + [n for n in range(1, 14) for _ in range(2)]
CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]
FIXED_LIT = huffman([8] * 144 + [9] * 112 + [7] * 24 + [8] * 8)
FIXED_DIST = huffman([5] * 30)


def inflate_steps(raw):
    """The steps of a raw DEFLATE stream."""
    bits, steps = Bits(raw), Steps()
    final = 0
    while not final:
        final = bits.bit()
        kind = bits.bits(2)
        if kind == 0:
            bits.align()
            at = bits.pos >> 3
            length = raw[at] | raw[at + 1] << 8
            steps.literal(bytes(raw[at + 4:at + 4 + length]))
            bits.pos = (at + 4 + length) * 8
            continue
        if kind == 1:
            lit, dist = FIXED_LIT, FIXED_DIST
        elif kind == 2:
            hlit, hdist, hclen = bits.bits(5) + 257, bits.bits(5) + 1, bits.bits(4) + 4
            cl = [0] * 19
            for i in range(hclen):
                cl[CODE_LENGTH_ORDER[i]] = bits.bits(3)
            cl_table = huffman(cl)
            lengths = []
            while len(lengths) < hlit + hdist:
                sym = decode_symbol(bits, cl_table)
                if sym < 16:
                    lengths.append(sym)
                elif sym == 16:
                    lengths += [lengths[-1]] * (3 + bits.bits(2))
                elif sym == 17:
                    lengths += [0] * (3 + bits.bits(3))
                else:
                    lengths += [0] * (11 + bits.bits(7))
            lit, dist = huffman(lengths[:hlit]), huffman(lengths[hlit:])
        else:
            raise ValueError("reserved block type")
        while True:
            sym = decode_symbol(bits, lit)
            if sym < 256:
                steps.literal(bytes([sym]))
            elif sym == 256:
                break
            else:
                i = sym - 257
                length = LENGTH_BASE[i] + bits.bits(LENGTH_EXTRA[i])
                d = decode_symbol(bits, dist)
                distance = DIST_BASE[d] + bits.bits(DIST_EXTRA[d])
                steps.copy(length, distance)
    return steps


def gzip_steps(text, level):
    data = gzip.compress(text, compresslevel=level, mtime=0)
    # Python's gzip header: 10 bytes, no name or extra fields; trailer: CRC-32 and size.
    if data[:3] != b"\x1f\x8b\x08" or data[3] != 0:
        raise ValueError("unexpected gzip header")
    steps = inflate_steps(data[10:-8])
    if bytes(steps.out) != text:
        raise ValueError(f"gzip {level}: decoded steps do not rebuild the text")
    return steps.steps


def lz4_length(length, block, at):
    """A 4-bit length from a token, extended by bytes at `at` while it is 15 and they are 255."""
    if length == 15:
        while True:
            extra = block[at]
            at += 1
            length += extra
            if extra != 255:
                break
    return length, at


def lz4_block(block, steps):
    """Decodes one LZ4 block (its sequences) into `steps`."""
    at = 0
    while at < len(block):
        token = block[at]
        at += 1
        lit, at = lz4_length(token >> 4, block, at)
        steps.literal(bytes(block[at:at + lit]))
        at += lit
        if at == len(block):
            break  # the last sequence has literals only
        distance = block[at] | block[at + 1] << 8
        at += 2
        length, at = lz4_length(token & 15, block, at)
        steps.copy(length + 4, distance)


def lz4_steps(text):
    data = lz4.frame.compress(text)
    if data[:4] != b"\x04\x22\x4d\x18":
        raise ValueError("not an LZ4 frame")
    flg = data[4]
    at = 6 + (8 if flg & 0x08 else 0) + (4 if flg & 0x01 else 0) + 1
    steps = Steps()
    while True:
        size = int.from_bytes(data[at:at + 4], "little")
        at += 4
        if size == 0:
            break
        raw, size = size & 0x80000000, size & 0x7FFFFFFF
        block = data[at:at + size]
        at += size + (4 if flg & 0x10 else 0)
        if raw:
            steps.literal(bytes(block))
        else:
            lz4_block(block, steps)
    if bytes(steps.out) != text:
        raise ValueError("lz4: decoded steps do not rebuild the text")
    return steps.steps


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--levels", default="1,6,9", help="gzip levels, comma-separated")
    args = parser.parse_args()
    texts = [t.encode("utf-8") for t in json.load(sys.stdin)]
    out = {}
    for level in (int(v) for v in args.levels.split(",") if v):
        out[f"gzip{level}"] = [gzip_steps(t, level) for t in texts]
    out["lz4"] = [lz4_steps(t) for t in texts]
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
