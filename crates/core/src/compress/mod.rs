//! Compressed lengths: `C(s)` in the NCD formula.
//!
//! The default backend models the reference compressors exactly (zlib 1.2.13 for gzip,
//! liblz4 1.9.4 for LZ4's fast levels), so lengths equal those of the paper's Python code.
//! The paper's other compressors (LZ4's HC levels, zstd, brotli, lzma) run as the C
//! libraries that code calls (see [`clib`]). The `crate` backend runs real pure-Rust
//! compressors (miniz_oxide, lz4_flex) for gzip and LZ4 and is kept for cross-checks.

mod clib;
mod deflate;
mod huffman;
mod lz4;
mod parse;

use std::fmt;
use std::str::FromStr;

pub use deflate::DeflateModel;
pub use lz4::Lz4Model;
pub use parse::{pieces, Origin, Piece, Step};

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
    /// Levels 1 and 2 are this compressor too: liblz4 1.9.4 runs its fast compressor
    /// below level 3.
    Lz4,
    /// `len(lz4.frame.compress(s, compression_level=level))`, level 3-12: liblz4's HC
    /// compressor (hash chains, then the optimal parser at 10-12).
    Lz4Hc {
        /// liblz4 compression level, 3-12.
        level: u8,
    },
    /// `len(zstandard.ZstdCompressor(level=level).compress(s))`, level -7 to -1 (fast)
    /// or 1-22.
    Zstd {
        /// libzstd compression level.
        level: i8,
    },
    /// `len(brotli.compress(s))`: quality 11, the library's default.
    Brotli,
    /// `len(lzma.compress(s))`: .xz at preset 6, the library's default.
    Lzma,
}

/// The compressors a name offers, with the levels each takes, for usage messages and
/// the page's choices: `(name, levels, default level)`.
pub const COMPRESSORS: [(&str, &str, &str); 5] = [
    ("gzip", "1-9", "9"),
    ("lz4", "0-12", "0"),
    ("zstd", "-7 to -1 and 1-22", "3"),
    ("brotli", "11", "11"),
    ("lzma", "6", "6"),
];

/// The levels a sweep of `name` scores by default: every level the paper's code offers
/// (for zstd its regular levels, 1-19).
pub fn sweep_levels(name: &str) -> Result<Vec<i32>, String> {
    match name {
        "gzip" => Ok((1..=9).collect()),
        "lz4" => Ok((0..=12).collect()),
        "zstd" => Ok((1..=19).collect()),
        "brotli" => Ok(vec![11]),
        "lzma" => Ok(vec![6]),
        other => Compressor::named(other, None).map(|_| Vec::new()),
    }
}

impl Compressor {
    /// The compressor `name` at `level` (`None` for the default the paper's code uses:
    /// gzip 9, LZ4 0, zstd 3, brotli 11, lzma 6). A level that would not give the paper's
    /// code's exact lengths is refused, never scored at another level.
    pub fn named(name: &str, level: Option<i32>) -> Result<Compressor, String> {
        let Some(&(_, levels, _)) = COMPRESSORS.iter().find(|(n, ..)| *n == name) else {
            let names: Vec<&str> = COMPRESSORS.iter().map(|(n, ..)| *n).collect();
            return Err(format!(
                "unknown compressor '{name}' (expected {})",
                names.join(", ")
            ));
        };
        let compressor = match (name, level) {
            ("gzip", None) => Some(Compressor::default()),
            ("gzip", Some(level @ 1..=9)) => Some(Compressor::Gzip { level: level as u8 }),
            ("lz4", None | Some(0..=2)) => Some(Compressor::Lz4),
            ("lz4", Some(level @ 3..=12)) => Some(Compressor::Lz4Hc { level: level as u8 }),
            ("zstd", None) => Some(Compressor::Zstd { level: 3 }),
            ("zstd", Some(level @ (-7..=-1 | 1..=22))) => {
                Some(Compressor::Zstd { level: level as i8 })
            }
            ("brotli", _) if cfg!(target_arch = "wasm32") => {
                return Err(
                    "brotli runs natively only (the CLI and Python): its encoder's \
                     choices depend on the last bit of the C library's log2, which differs \
                     in Wasm, so its lengths could not be exact here"
                        .into(),
                )
            }
            ("brotli", None | Some(11)) => Some(Compressor::Brotli),
            ("lzma", None | Some(6)) => Some(Compressor::Lzma),
            _ => None,
        };
        compressor.ok_or_else(|| {
            format!(
                "{name} level must be {levels}, not {}",
                level.unwrap_or_default()
            )
        })
    }

    /// The compressor's name, as [`Compressor::named`] takes it.
    pub fn name(self) -> &'static str {
        match self {
            Compressor::Gzip { .. } => "gzip",
            Compressor::Lz4 | Compressor::Lz4Hc { .. } => "lz4",
            Compressor::Zstd { .. } => "zstd",
            Compressor::Brotli => "brotli",
            Compressor::Lzma => "lzma",
        }
    }

    /// Whether [`parse`] can show how this compressor encodes a text (the exact models can;
    /// the C libraries give only a length).
    pub fn has_parse(self) -> bool {
        matches!(self, Compressor::Gzip { .. } | Compressor::Lz4)
    }
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
            Compressor::Lz4Hc { level } => write!(f, "lz4 level {level}"),
            Compressor::Zstd { level } => write!(f, "zstd level {level}"),
            Compressor::Brotli => write!(f, "brotli"),
            Compressor::Lzma => write!(f, "lzma"),
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

/// Per-thread compressor state that turns bytes into `C(s)`, including `C(x ++ y)`
/// for many `y` after one `x` (see [`Lengths::set_prefix`]).
pub struct Lengths {
    engine: Engine,
    prefix: Vec<u8>,
    scratch: Vec<u8>,
}

enum Engine {
    /// zlib model at one level: one for whole inputs, one holding a prefix.
    GzipModel {
        whole: Box<DeflateModel>,
        prefixed: Box<DeflateModel>,
    },
    /// liblz4 frame model (it holds its own prefix state).
    Lz4Model(Box<Lz4Model>),
    /// miniz_oxide at one level.
    GzipCrate(u8),
    /// lz4_flex block compressor in an LZ4 frame.
    Lz4Crate,
    Lz4Hc(Box<clib::Lz4Hc>),
    Zstd(clib::Zstd),
    #[cfg(not(target_arch = "wasm32"))]
    Brotli(clib::Brotli),
    Lzma(clib::Lzma),
}

impl Lengths {
    /// Fresh state for `compressor` with `backend`.
    pub fn new(compressor: Compressor, backend: Backend) -> Self {
        let engine = match (compressor, backend) {
            (Compressor::Gzip { level }, Backend::Model) => Engine::GzipModel {
                whole: Box::new(DeflateModel::new(level)),
                prefixed: Box::new(DeflateModel::new(level)),
            },
            (Compressor::Lz4, Backend::Model) => Engine::Lz4Model(Box::default()),
            (Compressor::Gzip { level }, Backend::Crate) => Engine::GzipCrate(level.clamp(1, 9)),
            (Compressor::Lz4, Backend::Crate) => Engine::Lz4Crate,
            // One implementation each, whatever the backend: the reference's own library.
            (Compressor::Lz4Hc { level }, _) => Engine::Lz4Hc(Box::new(clib::Lz4Hc::new(level))),
            (Compressor::Zstd { level }, _) => Engine::Zstd(clib::Zstd::new(level)),
            #[cfg(not(target_arch = "wasm32"))]
            (Compressor::Brotli, _) => Engine::Brotli(clib::Brotli::default()),
            #[cfg(target_arch = "wasm32")]
            (Compressor::Brotli, _) => unreachable!("Compressor::named refuses brotli in Wasm"),
            (Compressor::Lzma, _) => Engine::Lzma(clib::Lzma::default()),
        };
        Lengths {
            engine,
            prefix: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// `C(data)` in bytes.
    pub fn len(&mut self, data: &[u8]) -> u64 {
        match &mut self.engine {
            Engine::GzipModel { whole, .. } => whole.gzip_len(data),
            Engine::Lz4Model(model) => model.frame_len(data),
            Engine::GzipCrate(level) => {
                miniz_oxide::deflate::compress_to_vec(data, *level).len() as u64
                    + deflate::GZIP_OVERHEAD
            }
            Engine::Lz4Crate => lz4_flex_frame_len(data),
            Engine::Lz4Hc(engine) => engine.len(data),
            Engine::Zstd(engine) => engine.len(data),
            #[cfg(not(target_arch = "wasm32"))]
            Engine::Brotli(engine) => engine.len(data),
            Engine::Lzma(engine) => engine.len(data),
        }
    }

    /// Sets `x` for the following [`Lengths::len_with_prefix`] calls. The zlib model
    /// processes `x` here once, instead of once per suffix.
    pub fn set_prefix(&mut self, x: &[u8]) {
        self.prefix.clear();
        self.prefix.extend_from_slice(x);
        match &mut self.engine {
            Engine::GzipModel { prefixed, .. } => {
                prefixed.set_prefix(x);
            }
            Engine::Lz4Model(model) => model.set_prefix(x),
            _ => {}
        }
    }

    /// `C(x ++ y)` for the `x` of the last [`Lengths::set_prefix`]; always equal to
    /// `len` of the concatenation.
    pub fn len_with_prefix(&mut self, y: &[u8]) -> u64 {
        match &mut self.engine {
            Engine::GzipModel { prefixed, .. } => {
                if let Some(raw) = prefixed.raw_len_after_prefix(y) {
                    return raw + deflate::GZIP_OVERHEAD;
                }
            }
            Engine::Lz4Model(model) => return model.frame_len_after_prefix(y),
            _ => {}
        }
        let mut pair = std::mem::take(&mut self.scratch);
        pair.clear();
        pair.extend_from_slice(&self.prefix);
        pair.extend_from_slice(y);
        let len = self.len(&pair);
        self.scratch = pair;
        len
    }
}

/// The parse the exact model of `compressor` encodes `data` with: the same literals and
/// (length, distance) copies, in order, that zlib 1.2.13 or liblz4 1.9.4 write, with the
/// bytes of a block stored raw as literals. Off the scoring path, which counts the same
/// symbols without keeping them. `None` for the compressors run as C libraries (see
/// [`Compressor::has_parse`]).
pub fn parse(compressor: Compressor, data: &[u8]) -> Option<Vec<Step>> {
    let mut recorder = parse::Recorder::default();
    match compressor {
        Compressor::Gzip { level } => DeflateModel::new(level).parse(data, &mut recorder),
        Compressor::Lz4 => {
            Lz4Model::default().frame(data, &mut recorder);
        }
        Compressor::Lz4Hc { .. }
        | Compressor::Zstd { .. }
        | Compressor::Brotli
        | Compressor::Lzma => return None,
    }
    Some(recorder.finish())
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
    fn a_compressor_is_named_with_a_level_it_can_honour() {
        let named = |name, level| Compressor::named(name, level);
        assert_eq!(named("gzip", None), Ok(Compressor::Gzip { level: 9 }));
        assert_eq!(named("gzip", Some(1)), Ok(Compressor::Gzip { level: 1 }));
        assert_eq!(named("lz4", None), Ok(Compressor::Lz4));
        assert_eq!(named("lz4", Some(2)), Ok(Compressor::Lz4));
        assert_eq!(named("lz4", Some(3)), Ok(Compressor::Lz4Hc { level: 3 }));
        assert_eq!(named("lz4", Some(12)), Ok(Compressor::Lz4Hc { level: 12 }));
        assert_eq!(named("zstd", None), Ok(Compressor::Zstd { level: 3 }));
        assert_eq!(named("zstd", Some(-7)), Ok(Compressor::Zstd { level: -7 }));
        assert_eq!(named("brotli", None), Ok(Compressor::Brotli));
        assert_eq!(named("lzma", Some(6)), Ok(Compressor::Lzma));
        for (name, level) in [
            ("gzip", 0),
            ("gzip", 10),
            ("lz4", 13),
            ("lz4", -1),
            ("zstd", 0),
            ("zstd", 23),
            ("zstd", -8),
            ("brotli", 9),
            ("lzma", 9),
        ] {
            let refused = named(name, Some(level)).unwrap_err();
            assert!(
                refused.starts_with(&format!("{name} level must be "))
                    && refused.ends_with(&format!("not {level}")),
                "{refused}"
            );
        }
        assert!(named("zip", None)
            .unwrap_err()
            .contains("unknown compressor 'zip' (expected gzip, lz4, zstd, brotli, lzma)"));
        for (name, ..) in COMPRESSORS {
            assert_eq!(named(name, None).unwrap().name(), name);
        }
    }

    #[test]
    fn the_c_libraries_give_lengths_for_every_input() {
        let text = b"def add(a, b):\n    return a + b\n".repeat(40);
        for compressor in [
            Compressor::Lz4Hc { level: 9 },
            Compressor::Zstd { level: 3 },
            Compressor::Brotli,
            Compressor::Lzma,
        ] {
            let mut lengths = Lengths::new(compressor, Backend::Model);
            let whole = lengths.len(&text);
            assert!(
                whole > 10 && whole < text.len() as u64 / 4,
                "{compressor}: {whole}"
            );
            assert!(lengths.len(b"") > 0, "{compressor}");
            // Reused state gives the same length again, and a pair is the concatenation.
            assert_eq!(lengths.len(&text), whole, "{compressor}");
            lengths.set_prefix(&text[..300]);
            let pair = lengths.len_with_prefix(&text[300..]);
            assert_eq!(pair, whole, "{compressor}");
            assert!(parse(compressor, &text).is_none());
        }
    }

    /// Every copy repeats the bytes `distance` back, and the steps cover `data` exactly.
    fn replays(steps: &[Step], data: &[u8]) -> bool {
        let mut at = 0;
        for step in steps {
            if let Step::Copy { len, distance } = *step {
                if distance == 0 || distance > at {
                    return false;
                }
                if (at..at + len).any(|p| p >= data.len() || data[p] != data[p - distance]) {
                    return false;
                }
            }
            at += step.len();
        }
        at == data.len()
    }

    #[test]
    fn parses_replay_their_input_and_count_what_the_lengths_count() {
        let text =
            b"def add(a, b):\n    return a + b\n\ndef sub(a, b):\n    return a - b\n".repeat(9);
        for compressor in [
            Compressor::Gzip { level: 1 },
            Compressor::Gzip { level: 6 },
            Compressor::Gzip { level: 9 },
            Compressor::Lz4,
        ] {
            let steps = parse(compressor, &text).unwrap();
            assert!(replays(&steps, &text), "{compressor}");
            assert!(
                steps.iter().any(|s| matches!(s, Step::Copy { .. })),
                "{compressor}"
            );
        }
        // Short incompressible input: LZ4 stores the block raw, one literal run.
        assert_eq!(
            parse(Compressor::Lz4, b"abcdefghijklmnopq"),
            Some(vec![Step::Literal { len: 17 }])
        );
        assert_eq!(parse(Compressor::Gzip { level: 9 }, b""), Some(vec![]));
    }

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
