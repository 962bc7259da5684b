#![allow(dead_code)] // each test uses part of it
//! What the reference tests share: where the data is, and reading its texts.

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/data/dev-5k` when present, else the bundled example.
pub fn data_dir() -> PathBuf {
    let dev = root().join("../shared/data/dev-5k");
    if dev.join("source.jsonl").exists() {
        dev
    } else {
        root().join("www/example")
    }
}

/// The `text` of every record of a JSONL file.
pub fn texts(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}
