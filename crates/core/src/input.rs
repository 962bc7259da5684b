//! The one input layer: which files a path names ([`paths`]), and a source of one or
//! more of them read as a stream ([`source`]), JSONL, `.jsonl.gz` and Parquet alike,
//! each file by content. The CLI reads sources and targets only through it.

#[cfg(not(target_arch = "wasm32"))]
pub mod paths;
pub mod rule;
#[cfg(not(target_arch = "wasm32"))]
pub mod source;

#[cfg(not(target_arch = "wasm32"))]
pub use paths::{resolve, Found, PathError, Resolved};
#[cfg(not(target_arch = "wasm32"))]
pub use source::{Batch, Format, InputError, Skipped, Source, SourceFile};
