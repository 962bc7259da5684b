//! The JSONL reader on arbitrary bytes: never panics, and accounts for every line.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zipfit_core::jsonl::{Corpus, FieldPath, OnError, ReadOptions};

fuzz_target!(|data: &[u8]| {
    for field in ["text", "meta.body", "messages"] {
        let options = ReadOptions { field: FieldPath::new(field), on_error: OnError::Skip, ..ReadOptions::default() };
        let Ok(corpus) = Corpus::from_bytes("fuzz.jsonl", data.to_vec(), &options) else { continue };
        let lines = corpus.bytes().split(|&b| b == b'\n').count()
            - usize::from(corpus.bytes().ends_with(b"\n"));
        assert_eq!(corpus.len() + corpus.issues().len() + corpus.blank_lines(), lines);
        for i in 0..corpus.len() {
            assert!(corpus.text(i).is_ok(), "record {i} was accepted but its text cannot be read");
        }
    }
});
