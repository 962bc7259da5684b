//! `C(s)` must equal the reference's lengths exactly: Python's `len(gzip.compress(s, L))`
//! at every level and `len(lz4.frame.compress(s))`, on every record of real data and on
//! source+target pairs. Uses `../shared/data/dev-5k` when present, else the bundled example.
//!
//! Needs `python3` with the `lz4` package (the setup script installs it).

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

#[test]
fn lengths_equal_python_gzip_and_lz4() {
    let dir = data_dir();
    let sources = texts(&dir.join("source.jsonl"));
    let targets = texts(&dir.join("target.jsonl"));
    let mut inputs = sources.clone();
    // Pairs as scored (source then target), including long ones that slide zlib's window.
    for (i, s) in sources.iter().enumerate().step_by(25) {
        inputs.push(format!("{s}{}", targets[i % targets.len()]));
    }
    inputs.push(sources.iter().take(200).cloned().collect::<String>());

    let expected = python_json(&["-c", PYTHON_LENGTHS], &inputs);

    let mut compressors: Vec<(String, Compressor)> = (1..=9)
        .map(|level| (level.to_string(), Compressor::Gzip { level }))
        .collect();
    compressors.push(("lz4".to_string(), Compressor::Lz4));
    for (key, compressor) in compressors {
        let mut lengths = Lengths::new(compressor, Backend::Model);
        let want = expected[&key].as_array().unwrap();
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
}
