//! The one input layer: which files a path names ([`paths`]), and a source of one or
//! more of them read as a stream ([`source`]), JSONL, `.jsonl.gz` and Parquet alike,
//! each file by content. The CLI reads sources and targets only through it.

pub mod paths;
pub mod source;

pub use paths::{resolve, Found, PathError, Resolved};
pub use source::{Batch, Format, InputError, Skipped, Source, SourceFile};
