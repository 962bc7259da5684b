//! The Parquet reader on arbitrary bytes after the magic: never panics; a file it reads
//! gives every row a text or a problem, and reads the same as a corpus.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zipfit_core::jsonl::{Corpus, FieldPath, OnError, ReadOptions};
use zipfit_core::parquet;

fuzz_target!(|data: &[u8]| {
    let mut file = b"PAR1".to_vec();
    file.extend_from_slice(data);
    let bytes = bytes::Bytes::from(file.clone());
    let Ok(read) = parquet::read_texts("fuzz.parquet", bytes, &FieldPath::new("text")) else {
        return;
    };
    let options = ReadOptions { field: FieldPath::new("text"), on_error: OnError::Skip, ..ReadOptions::default() };
    if let Ok(corpus) = Corpus::from_bytes("fuzz.parquet", file, &options) {
        assert_eq!(corpus.len() + corpus.issues().len(), read.texts.len());
    }
});
