//! What runs in the scoring worker (`www/worker.js`), never on the page's thread.
//!
//! The worker owns both files and every run's scores. [`session::Session`] is the
//! wasm-bindgen facade the worker script calls; each of its methods hands the work to
//! the module that owns the concern:
//! - [`source`]: the source read as a stream (and [`memory`], freeing its buffers);
//! - [`target`]: the target file, held whole; [`summary`]: what a read reports;
//! - [`scoring`]: a run being scored in batches; [`runs`]: the finished runs kept;
//! - [`rows`]: table rows; [`cut`]: the shown run at a budget; [`export`]: downloads;
//! - one module per analysis: [`compare`], [`stability`], [`dedup`], [`explain`];
//! - [`tokens`]: what token budgets count, and the counts made so far.
//!
//! Invariants: rayon is only called here (it blocks while it waits for its threads, and
//! `FileReaderSync` exists only in workers); nothing here imports `crate::page`, and what
//! the page gets are the types of `crate::protocol`.

mod column;
mod compare;
mod cut;
mod dedup;
mod explain;
mod export;
mod memory;
mod parquet;
mod parts;
mod ranking;
mod rows;
mod runs;
mod scoring;
pub mod session;
mod source;
mod stability;
mod stored;
mod summary;
mod target;
mod tokens;

use serde::Serialize;
use wasm_bindgen::prelude::*;
use zipfit_core::compress::Compressor;

/// `value` as a plain JavaScript object (maps as objects, as JSON would have them).
fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

/// Any error as the exception the worker script catches and reports.
fn js_error(message: impl std::fmt::Display) -> JsError {
    JsError::new(&message.to_string())
}

/// The compressor the page names at `level`, by the core's rule: a level that would not
/// give the paper's code's exact lengths is refused.
fn compressor(name: &str, level: u8) -> Result<Compressor, String> {
    Compressor::named(name, Some(i32::from(level)))
}
