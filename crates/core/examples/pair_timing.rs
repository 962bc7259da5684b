//! Times the playground's work for one pair of texts: every compressor's lengths and one parse.
//! `cargo run --release -p zipfit-core --example pair_timing -- SOURCE [BYTES]`
use std::time::Instant;
use zipfit_core::compress::Compressor;
use zipfit_core::explain::{all_compressors, drawing, pair_lengths};
use zipfit_core::jsonl::{Corpus, ReadOptions};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let source = Corpus::from_bytes(
        &args[1],
        std::fs::read(&args[1]).unwrap(),
        &ReadOptions::default(),
    )
    .unwrap();
    let text: String = source.texts().unwrap().join("\n");
    let bytes: usize = args.get(2).map_or(16 * 1024, |n| n.parse().unwrap());
    let x = &text.as_bytes()[..bytes];
    let y = &text.as_bytes()[bytes..2 * bytes];
    for c in all_compressors() {
        let t = Instant::now();
        pair_lengths(c, x, y);
        println!("{c}: lengths {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    }
    let t = Instant::now();
    let d = drawing(Compressor::Gzip { level: 9 }, x, y).expect("gzip has a parse");
    println!(
        "parse gzip 9: {:.1} ms, {} pieces",
        t.elapsed().as_secs_f64() * 1e3,
        d.pieces.len()
    );
}
