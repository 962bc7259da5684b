//! ZIP-FIT: rank source records by how well they align with a target set, using only a compressor.
//!
//! `alignment(x) = 1 - mean_j NCD(x, y_j)` with `NCD(x, y) = (C(xy) - min(C(x), C(y))) / max(C(x), C(y))`
//! and `C` a compressed length. The pipeline: read JSONL ([`jsonl`], gzip-compressed or not: [`gzip`]), compute lengths
//! ([`compress`]) and scores ([`score`], [`ncd`]), rank and cut ([`select`]), write
//! files ([`export`]), compare two runs ([`compare`]), see how much the targets chosen matter ([`stability`]), and show why a pair or a record scores as it does ([`explain`]). Nothing here depends on the web or on a terminal.

#![warn(missing_docs)]

pub mod checkpoint;
pub mod compare;
pub mod compress;
pub mod dedup;
pub mod dsir;
pub mod explain;
pub mod export;
pub mod field;
pub mod gzip;
pub mod input;
pub mod jsonl;
pub mod ncd;
pub mod outputs;
#[cfg(feature = "parquet")]
pub mod parquet;
pub mod score;
pub mod select;
pub mod stability;
pub mod tokens;
#[cfg(target_arch = "wasm32")]
mod wasm_libc;
