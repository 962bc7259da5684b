//! Reading gzip files, whole or as a stream of pieces of any size.
//!
//! A `.jsonl.gz` file may hold several members (as `cat a.gz b.gz` makes) and zero
//! padding after the last one. [`Gunzip`] decodes it piece by piece, so that a file far
//! larger than memory can be read while it streams; [`gunzip`] is the same decoder fed
//! the whole file at once. Each member's CRC-32 and size are checked against its trailer.

use miniz_oxide::inflate::stream::{inflate, InflateState};
use miniz_oxide::{DataFormat, MZError, MZFlush, MZStatus};

const MAGIC: [u8; 2] = [0x1f, 0x8b];
const DEFLATE: u8 = 8;
const FHCRC: u8 = 0x02;
const FEXTRA: u8 = 0x04;
const FNAME: u8 = 0x08;
const FCOMMENT: u8 = 0x10;
/// Output is produced in blocks of this size, so a piece's output can be capped.
const BLOCK: usize = 64 << 10;
/// Longest member header read (a name, comment or extra field can make it long).
const MAX_HEADER: usize = 1 << 20;

/// Whether `bytes` begin like a gzip file.
pub fn is_gzip(bytes: &[u8]) -> bool {
    bytes.starts_with(&MAGIC)
}

/// Why a gzip file could not be decompressed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum GunzipError {
    /// The output would pass the caller's limit.
    TooLarge,
    /// The data is not valid gzip, and why.
    Invalid(&'static str),
}

impl std::fmt::Display for GunzipError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            GunzipError::TooLarge => f.write_str("too large once decompressed"),
            GunzipError::Invalid(reason) => f.write_str(reason),
        }
    }
}

/// Decompresses a whole (possibly multi-member) gzip file, up to `limit` bytes of output.
pub fn gunzip(bytes: &[u8], limit: usize) -> Result<Vec<u8>, GunzipError> {
    let mut decoder = Gunzip::new();
    let mut out = Vec::with_capacity(bytes.len().saturating_mul(4).min(limit));
    decoder.feed(bytes, &mut out, limit)?;
    decoder.finish()?;
    Ok(out)
}

enum Stage {
    /// Collecting a member's header (its bytes so far).
    Header(Vec<u8>),
    /// Inflating a member's data.
    Body(Box<InflateState>),
    /// Collecting a member's 8-byte trailer.
    Trailer(Vec<u8>),
    /// Zero bytes after the last member.
    Padding,
}

/// A streaming gzip decoder: [`Gunzip::feed`] it the file's pieces in order, then
/// [`Gunzip::finish`].
pub struct Gunzip {
    stage: Stage,
    /// Members fully read so far.
    members: usize,
    /// CRC-32 and size (mod 2^32) of the current member's output.
    crc: crc32fast::Hasher,
    size: u32,
    /// Total output so far.
    total: u64,
}

impl Default for Gunzip {
    fn default() -> Self {
        Gunzip::new()
    }
}

impl Gunzip {
    /// A decoder at the start of a file.
    pub fn new() -> Gunzip {
        Gunzip {
            stage: Stage::Header(Vec::new()),
            members: 0,
            crc: crc32fast::Hasher::new(),
            size: 0,
            total: 0,
        }
    }

    /// Bytes of output produced so far.
    pub fn total_out(&self) -> u64 {
        self.total
    }

    /// Decodes the next `piece` of the file, appending its output to `out`; fails with
    /// [`GunzipError::TooLarge`] rather than let `out` pass `limit` bytes.
    pub fn feed(
        &mut self,
        mut piece: &[u8],
        out: &mut Vec<u8>,
        limit: usize,
    ) -> Result<(), GunzipError> {
        loop {
            match &mut self.stage {
                Stage::Header(header) => {
                    if piece.is_empty() {
                        break;
                    }
                    let had = header.len();
                    let take = piece.len().min(MAX_HEADER + 1 - had);
                    header.extend_from_slice(&piece[..take]);
                    if self.members > 0 && header[0] == 0 {
                        // Zero bytes where a member would start, after one: padding.
                        piece = &piece[take..];
                        let zeros = header.iter().all(|&b| b == 0);
                        self.stage = Stage::Padding;
                        if !zeros {
                            return Err(GunzipError::Invalid("bad gzip header"));
                        }
                        continue;
                    }
                    match header_len(header)? {
                        Some(len) => {
                            piece = &piece[len - had..];
                            self.stage = Stage::Body(InflateState::new_boxed(DataFormat::Raw));
                        }
                        None if header.len() > MAX_HEADER => {
                            return Err(GunzipError::Invalid("bad gzip header"));
                        }
                        None => piece = &piece[take..],
                    }
                }
                Stage::Body(state) => {
                    let start = out.len();
                    if start >= limit {
                        return Err(GunzipError::TooLarge);
                    }
                    let room = BLOCK.min(limit - start);
                    out.resize(start + room, 0);
                    let result = inflate(state, piece, &mut out[start..], MZFlush::None);
                    out.truncate(start + result.bytes_written);
                    piece = &piece[result.bytes_consumed..];
                    self.crc.update(&out[start..]);
                    self.size = self.size.wrapping_add(result.bytes_written as u32);
                    self.total += result.bytes_written as u64;
                    match result.status {
                        Ok(MZStatus::StreamEnd) => self.stage = Stage::Trailer(Vec::new()),
                        Ok(_) | Err(MZError::Buf) => {
                            // Output the decoder still holds is taken before more input.
                            if piece.is_empty() && result.bytes_written < room {
                                break;
                            }
                        }
                        Err(_) => return Err(GunzipError::Invalid("corrupt deflate data")),
                    }
                }
                Stage::Trailer(trailer) => {
                    if piece.is_empty() {
                        break;
                    }
                    let take = (8 - trailer.len()).min(piece.len());
                    trailer.extend_from_slice(&piece[..take]);
                    piece = &piece[take..];
                    if trailer.len() == 8 {
                        let crc = u32::from_le_bytes(trailer[..4].try_into().expect("4 bytes"));
                        let size = u32::from_le_bytes(trailer[4..].try_into().expect("4 bytes"));
                        if crc != std::mem::take(&mut self.crc).finalize() {
                            return Err(GunzipError::Invalid(
                                "CRC-32 in gzip trailer does not match the data",
                            ));
                        }
                        if size != self.size {
                            return Err(GunzipError::Invalid(
                                "size in gzip trailer does not match the data",
                            ));
                        }
                        self.size = 0;
                        self.members += 1;
                        self.stage = Stage::Header(Vec::new());
                    }
                }
                Stage::Padding => {
                    if piece.iter().any(|&b| b != 0) {
                        return Err(GunzipError::Invalid("bad gzip header"));
                    }
                    break;
                }
            }
        }
        Ok(())
    }

    /// Checks that the file ended after a whole member.
    pub fn finish(&self) -> Result<(), GunzipError> {
        match &self.stage {
            Stage::Header(header) if header.is_empty() && self.members > 0 => Ok(()),
            Stage::Padding => Ok(()),
            Stage::Header(header) if header.is_empty() => Err(GunzipError::Invalid("empty file")),
            Stage::Header(_) => Err(GunzipError::Invalid("truncated gzip header")),
            Stage::Body(_) => Err(GunzipError::Invalid("truncated deflate data")),
            Stage::Trailer(_) => Err(GunzipError::Invalid("truncated gzip trailer")),
        }
    }
}

/// The length of the gzip member header at the start of `header`, or `None` while
/// more bytes are needed to know it.
fn header_len(header: &[u8]) -> Result<Option<usize>, GunzipError> {
    for (i, &want) in MAGIC.iter().chain(&[DEFLATE]).enumerate() {
        match header.get(i) {
            Some(&b) if b != want => return Err(GunzipError::Invalid("bad gzip header")),
            None => return Ok(None),
            _ => {}
        }
    }
    let Some(&flags) = header.get(3) else {
        return Ok(None);
    };
    let mut at = 10;
    if flags & FEXTRA != 0 {
        let Some(extra) = header.get(at..at + 2) else {
            return Ok(None);
        };
        at += 2 + u16::from_le_bytes([extra[0], extra[1]]) as usize;
    }
    for flag in [FNAME, FCOMMENT] {
        if flags & flag != 0 {
            match header
                .get(at..)
                .and_then(|rest| rest.iter().position(|&b| b == 0))
            {
                Some(nul) => at += nul + 1,
                None => return Ok(None),
            }
        }
    }
    if flags & FHCRC != 0 {
        at += 2;
    }
    Ok((header.len() >= at).then_some(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn member(data: &[u8], flags: u8, extra: &[u8]) -> Vec<u8> {
        let mut out = vec![0x1f, 0x8b, 8, flags, 0, 0, 0, 0, 0, 255];
        out.extend_from_slice(extra);
        out.extend(miniz_oxide::deflate::compress_to_vec(data, 6));
        out.extend(crc32fast::hash(data).to_le_bytes());
        out.extend((data.len() as u32).to_le_bytes());
        out
    }

    fn text(n: usize) -> Vec<u8> {
        (0..n)
            .map(|i| format!("{{\"text\": \"record {i} {}\"}}\n", i * 7919 % 1000))
            .collect::<String>()
            .into_bytes()
    }

    #[test]
    fn decodes_in_pieces_of_any_size() {
        let (a, b) = (text(3000), text(17));
        let mut file = member(&a, 0, &[]);
        // A name, a comment and an extra field, as other gzip writers add.
        file.extend(member(
            &b,
            FEXTRA | FNAME | FCOMMENT,
            b"\x02\x00xyname\0comment\0",
        ));
        file.extend([0, 0, 0]);
        let want = [a, b].concat();
        for piece in [1, 2, 3, 7, 10, 64, 1000, 4096, file.len()] {
            let mut decoder = Gunzip::new();
            let mut out = Vec::new();
            for part in file.chunks(piece) {
                decoder.feed(part, &mut out, usize::MAX).unwrap();
            }
            decoder.finish().unwrap();
            assert_eq!(out, want, "pieces of {piece}");
            assert_eq!(decoder.total_out(), want.len() as u64);
        }
    }

    #[test]
    fn decodes_large_members_in_large_pieces() {
        let data = text(400_000);
        let file = member(&data, 0, &[]);
        let mut decoder = Gunzip::new();
        let mut out = Vec::new();
        for part in file.chunks(4 << 20) {
            decoder.feed(part, &mut out, usize::MAX).unwrap();
        }
        decoder.finish().unwrap();
        assert_eq!(out.len(), data.len());
        assert!(out == data);
    }

    #[test]
    fn refuses_bad_files() {
        let good = member(&text(100), 0, &[]);
        let invalid = |bytes: &[u8]| gunzip(bytes, usize::MAX).unwrap_err();
        assert_eq!(invalid(b""), GunzipError::Invalid("empty file"));
        assert_eq!(
            invalid(&good[..5]),
            GunzipError::Invalid("truncated gzip header")
        );
        assert_eq!(
            invalid(&good[..40]),
            GunzipError::Invalid("truncated deflate data")
        );
        let cut = good.len() - 3;
        assert_eq!(
            invalid(&good[..cut]),
            GunzipError::Invalid("truncated gzip trailer")
        );
        let mut flipped = good.clone();
        let at = good.len() - 8;
        flipped[at] ^= 1;
        assert_eq!(
            invalid(&flipped),
            GunzipError::Invalid("CRC-32 in gzip trailer does not match the data")
        );
        let mut junk = good.clone();
        junk.extend(b"junk");
        assert_eq!(invalid(&junk), GunzipError::Invalid("bad gzip header"));
        assert_eq!(
            invalid(b"{\"text\": 1}"),
            GunzipError::Invalid("bad gzip header")
        );
        assert_eq!(gunzip(&good, 100), Err(GunzipError::TooLarge));
        assert_eq!(gunzip(&good, 10_000).unwrap(), text(100));
    }
}
