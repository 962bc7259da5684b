//! The pair loop of `engine_bench`, as a bare Wasm module for `crates/core/bench/engine.mjs`,
//! which times it in Chromium beside the native `engine_bench` on the same pairs. No
//! wasm-bindgen: the page's module adds threads and glue that would blur what is measured.
//! Texts arrive as one buffer of records, each a little-endian u32 length then its bytes.
use zipfit_core::compress::{Backend, Compressor, Lengths};

/// Room for `len` bytes, kept for the module's life: the caller writes the texts there.
#[no_mangle]
pub extern "C" fn alloc(len: usize) -> *mut u8 {
    Box::leak(vec![0u8; len].into_boxed_slice()).as_mut_ptr()
}

/// Sum of `C(x ++ y)` over the first `count` sources x and every target y, computed as
/// scoring does (prefix once per source). `level` 0 means LZ4, 1-9 gzip.
///
/// # Safety
/// `texts` must point to `len` readable bytes in the format above.
#[no_mangle]
pub unsafe extern "C" fn pairs(
    texts: *const u8,
    len: usize,
    sources: usize,
    count: usize,
    level: u32,
) -> u64 {
    let buffer = std::slice::from_raw_parts(texts, len);
    let mut records = Vec::new();
    let mut at = 0;
    while at + 4 <= buffer.len() {
        let n = u32::from_le_bytes(buffer[at..at + 4].try_into().unwrap()) as usize;
        records.push(&buffer[at + 4..at + 4 + n]);
        at += 4 + n;
    }
    let (sources, targets) = records.split_at(sources);
    let compressor = match level {
        0 => Compressor::Lz4,
        level => Compressor::Gzip { level: level as u8 },
    };
    let mut lengths = Lengths::new(compressor, Backend::Model);
    let mut total = 0;
    for x in sources.iter().take(count) {
        lengths.set_prefix(x);
        for y in targets {
            total += lengths.len_with_prefix(y);
        }
    }
    total
}
