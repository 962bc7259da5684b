//! Compressed lengths: `C(s)` in the NCD formula.
//!
//! The default backend models the reference compressors exactly (zlib 1.2.13 for gzip,
//! liblz4 1.9.4 for LZ4), so lengths equal those of the paper's Python code. The
//! `crate` backend runs real pure-Rust compressors (miniz_oxide, lz4_flex) and is kept
//! for cross-checks.

mod deflate;
mod huffman;
mod lz4;

use std::fmt;
use std::str::FromStr;

pub use deflate::DeflateModel;
pub use lz4::Lz4Model;

/// Which compressor defines `C(s)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind")]
pub enum Compressor {
    /// `len(gzip.compress(s, compresslevel=level))`, level 1-9 (9 is Python's default).
    Gzip {
        /// zlib compression level, 1-9.
        level: u8,
    },
    /// `len(lz4.frame.compress(s))` at LZ4's fastest level, the paper's best setting.
    Lz4,
}

impl Default for Compressor {
    fn default() -> Self {
        Compressor::Gzip { level: 9 }
    }
}

impl fmt::Display for Compressor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Compressor::Gzip { level } => write!(f, "gzip level {level}"),
            Compressor::Lz4 => write!(f, "lz4"),
        }
    }
}

/// How lengths are obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Backend {
    /// Exact models of zlib and liblz4: the reference's lengths, byte for byte.
    #[default]
    Model,
    /// Real compressors from crates (miniz_oxide, lz4_flex), for cross-checks.
    Crate,
}

impl FromStr for Backend {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "model" => Ok(Backend::Model),
            "crate" => Ok(Backend::Crate),
            other => Err(format!(
                "unknown backend '{other}' (expected model or crate)"
            )),
        }
    }
}

/// Per-thread compressor state that turns bytes into `C(s)`.
pub enum Lengths {
    /// zlib model at one level.
    GzipModel(Box<DeflateModel>),
    /// liblz4 frame model.
    Lz4Model(Box<Lz4Model>),
    /// miniz_oxide at one level.
    GzipCrate(u8),
    /// lz4_flex block compressor in an LZ4 frame.
    Lz4Crate,
}

impl Lengths {
    /// Fresh state for `compressor` with `backend`.
    pub fn new(compressor: Compressor, backend: Backend) -> Self {
        match (compressor, backend) {
            (Compressor::Gzip { level }, Backend::Model) => {
                Lengths::GzipModel(Box::new(DeflateModel::new(level)))
            }
            (Compressor::Lz4, Backend::Model) => Lengths::Lz4Model(Box::default()),
            (Compressor::Gzip { level }, Backend::Crate) => Lengths::GzipCrate(level.clamp(1, 9)),
            (Compressor::Lz4, Backend::Crate) => Lengths::Lz4Crate,
        }
    }

    /// `C(data)` in bytes.
    pub fn len(&mut self, data: &[u8]) -> u64 {
        match self {
            Lengths::GzipModel(model) => model.gzip_len(data),
            Lengths::Lz4Model(model) => model.frame_len(data),
            Lengths::GzipCrate(level) => {
                miniz_oxide::deflate::compress_to_vec(data, *level).len() as u64
                    + deflate::GZIP_OVERHEAD
            }
            Lengths::Lz4Crate => lz4_flex_frame_len(data),
        }
    }
}

/// An LZ4 frame around one lz4_flex block per 64 KiB, with the same overhead as liblz4's frame.
fn lz4_flex_frame_len(data: &[u8]) -> u64 {
    if data.is_empty() {
        return 11;
    }
    let blocks: u64 = data
        .chunks(64 * 1024)
        .map(|chunk| 4 + lz4_flex::compress(chunk).len().min(chunk.len()) as u64)
        .sum();
    15 + blocks + 4
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backends_agree_roughly_on_text() {
        let text =
            b"def add(a, b):\n    return a + b\n\ndef sub(a, b):\n    return a - b\n".repeat(5);
        for compressor in [
            Compressor::Gzip { level: 9 },
            Compressor::Gzip { level: 1 },
            Compressor::Lz4,
        ] {
            let model = Lengths::new(compressor, Backend::Model).len(&text) as f64;
            let real = Lengths::new(compressor, Backend::Crate).len(&text) as f64;
            assert!(
                (model / real - 1.0).abs() < 0.25,
                "{compressor}: model {model} crate {real}"
            );
        }
    }
}
