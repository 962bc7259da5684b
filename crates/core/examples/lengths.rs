//! Prints `C(s)` for the `text` field of every line of a JSONL file: `lengths FILE COMPRESSOR`.
use zipfit_core::compress::{Backend, Compressor, Lengths};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let compressor = match args[2].as_str() {
        "lz4" => Compressor::Lz4,
        level => Compressor::Gzip {
            level: level.parse().unwrap(),
        },
    };
    let mut lengths = Lengths::new(compressor, Backend::Model);
    for line in std::fs::read_to_string(&args[1]).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        println!("{}", lengths.len(v["text"].as_str().unwrap().as_bytes()));
    }
}
