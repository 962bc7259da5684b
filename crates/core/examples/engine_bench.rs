//! Times one pair's length computation, the way scoring does it, on real data.
//! `cargo run --release -p zipfit-core --example engine_bench -- SOURCE TARGET [gzip|gzipN|lz4] [SOURCES]`
//! (default: gzip -9 and LZ4, the first 500 sources; `gzip` is level 9). Under `valgrind --tool=callgrind`
//! it gives instruction counts that do not move with the machine's load.
use std::time::Instant;
use zipfit_core::compress::{Backend, Compressor, Lengths};
use zipfit_core::jsonl::{Corpus, ReadOptions};

fn texts(path: &str) -> Vec<Vec<u8>> {
    let bytes = std::fs::read(path).unwrap();
    let corpus = Corpus::from_bytes(path, bytes, &ReadOptions::default()).unwrap();
    corpus
        .texts()
        .unwrap()
        .into_iter()
        .map(String::into_bytes)
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let sources = texts(&args[1]);
    let targets = texts(&args[2]);
    let only = args.get(3).map(String::as_str);
    let count: usize = args
        .get(4)
        .map_or(500, |n| n.parse().expect("a number of sources"));
    let compressors = match only {
        None => vec![Compressor::Gzip { level: 9 }, Compressor::Lz4],
        Some("lz4") => vec![Compressor::Lz4],
        Some("gzip") => vec![Compressor::Gzip { level: 9 }],
        Some(gzip) => {
            let level = gzip.strip_prefix("gzip").and_then(|l| l.parse().ok());
            vec![Compressor::Gzip {
                level: level.expect("gzip, gzip1..gzip9 or lz4"),
            }]
        }
    };
    for compressor in compressors {
        let mut lengths = Lengths::new(compressor, Backend::Model);
        let started = Instant::now();
        let mut n = 0u64;
        let mut total = 0u64;
        for x in sources.iter().take(count) {
            lengths.set_prefix(x);
            for y in &targets {
                total += lengths.len_with_prefix(y);
                n += 1;
            }
        }
        let secs = started.elapsed().as_secs_f64();
        println!(
            "{compressor}: {:.2} us/pair single-thread ({n} pairs, checksum {total})",
            secs / n as f64 * 1e6
        );
    }
}
