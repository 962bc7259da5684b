//! `C(s)` must equal the reference's lengths exactly: Python's `len(gzip.compress(s, L))`
//! at every level and `len(lz4.frame.compress(s))`, on every record of real data and on
//! source+target pairs. Uses `../shared/data/dev-5k` when present, else the bundled example.
//!
//! Needs `python3` with the `lz4`, `zstandard` and `brotli` packages (the setup script
//! installs them, pinned: lz4 4.4.5 with liblz4 1.9.4, zstandard 0.25.0 with libzstd
//! 1.5.7, brotli 1.2.1) and Python's own `lzma`.

mod common;

use common::{data_dir, python_json, texts};

use zipfit_core::compress::{Backend, Compressor, Lengths};

const PYTHON_LENGTHS: &str = r#"
import gzip, json, sys
import lz4.frame
texts = json.load(sys.stdin)
out = {}
for level in range(1, 10):
    out[str(level)] = [len(gzip.compress(t.encode("utf-8"), compresslevel=level, mtime=0)) for t in texts]
out["lz4"] = [len(lz4.frame.compress(t.encode("utf-8"), compression_level=0)) for t in texts]
json.dump(out, sys.stdout)
"#;

/// What every test here measures: every record, targets, source+target pairs as scored,
/// and one text of 200 records (long enough to span many LZ4 blocks and zlib windows).
fn inputs() -> Vec<String> {
    let dir = data_dir();
    let sources = texts(&dir.join("source.jsonl"));
    let targets = texts(&dir.join("target.jsonl"));
    let mut inputs = sources.clone();
    // Pairs as scored (source then target), including long ones that slide zlib's window.
    for (i, s) in sources.iter().enumerate().step_by(25) {
        inputs.push(format!("{s}{}", targets[i % targets.len()]));
    }
    inputs.push(sources.iter().take(200).cloned().collect::<String>());
    inputs.extend(targets);
    inputs.push(String::new());
    inputs
}

/// Asserts that `compressor` gives `want` (Python's lengths) for every input.
fn assert_lengths(compressor: Compressor, inputs: &[String], want: &serde_json::Value) {
    let want = want.as_array().unwrap();
    let mut lengths = Lengths::new(compressor, Backend::Model);
    let mismatches: Vec<usize> = inputs
        .iter()
        .enumerate()
        .filter(|(i, t)| lengths.len(t.as_bytes()) != want[*i].as_u64().unwrap())
        .map(|(i, _)| i)
        .collect();
    println!(
        "{compressor}: {} of {} lengths equal",
        inputs.len() - mismatches.len(),
        inputs.len()
    );
    assert!(
        mismatches.is_empty(),
        "{compressor}: inputs {mismatches:?} differ"
    );
}

#[test]
fn lengths_equal_python_gzip_and_lz4() {
    let inputs = inputs();
    let expected = python_json(&["-c", PYTHON_LENGTHS], &inputs);

    let mut compressors: Vec<(String, Compressor)> = (1..=9)
        .map(|level| (level.to_string(), Compressor::Gzip { level }))
        .collect();
    compressors.push(("lz4".to_string(), Compressor::Lz4));
    for (key, compressor) in compressors {
        assert_lengths(compressor, &inputs, &expected[&key]);
    }
}

const PYTHON_OTHER_LENGTHS: &str = r#"
import json, lzma, sys
import brotli, lz4.frame, zstandard
texts = [t.encode("utf-8") for t in json.load(sys.stdin)]
out = {}
for level in range(0, 13):
    out[f"lz4 {level}"] = [len(lz4.frame.compress(t, compression_level=level)) for t in texts]
for level in [*range(-7, 0), *range(1, 23)]:
    c = zstandard.ZstdCompressor(level=level)
    out[f"zstd {level}"] = [len(c.compress(t)) for t in texts]
out["brotli"] = [len(brotli.compress(t)) for t in texts]
out["lzma"] = [len(lzma.compress(t)) for t in texts]
json.dump(out, sys.stdout)
"#;

/// The compressors run as C libraries, at every level offered, and LZ4's levels 1-2
/// (the fast model, as liblz4 1.9.4 runs them).
#[test]
fn lengths_equal_python_lz4_levels_zstd_brotli_and_lzma() {
    let inputs = inputs();
    let expected = python_json(&["-c", PYTHON_OTHER_LENGTHS], &inputs);
    let mut named: Vec<(String, &str, Option<i32>)> = Vec::new();
    for level in 0..=12 {
        named.push((format!("lz4 {level}"), "lz4", Some(level)));
    }
    for level in (-7..=22).filter(|l| *l != 0) {
        named.push((format!("zstd {level}"), "zstd", Some(level)));
    }
    named.push(("brotli".into(), "brotli", None));
    named.push(("lzma".into(), "lzma", None));
    for (key, name, level) in named {
        let compressor = Compressor::named(name, level).unwrap();
        assert_lengths(compressor, &inputs, &expected[&key]);
    }
}
