//! Fidelity to the paper's reference: the CLI's scores against the project's Python port
//! (`tests/reference/zipfit_ref.py`, with the paper's code's calls: stdlib gzip and lzma,
//! and the lz4, zstandard and brotli packages) on real text.
//!
//! Needs `python3` with the `lz4`, `zstandard` and `brotli` packages (the setup script
//! installs them).

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn read_scores(path: &Path) -> Vec<f64> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            serde_json::from_str::<serde_json::Value>(line).unwrap()["score"]
                .as_f64()
                .unwrap()
        })
        .collect()
}

/// Average ranks (1-based), ties sharing their mean rank.
fn ranks(values: &[f64]) -> Vec<f64> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[a].total_cmp(&values[b]));
    let mut ranks = vec![0.0; values.len()];
    let mut i = 0;
    while i < order.len() {
        let mut j = i;
        while j + 1 < order.len() && values[order[j + 1]] == values[order[i]] {
            j += 1;
        }
        let mean = (i + j) as f64 / 2.0 + 1.0;
        for &k in &order[i..=j] {
            ranks[k] = mean;
        }
        i = j + 1;
    }
    ranks
}

fn spearman(a: &[f64], b: &[f64]) -> f64 {
    let (ra, rb) = (ranks(a), ranks(b));
    let n = a.len() as f64;
    let (ma, mb) = (ra.iter().sum::<f64>() / n, rb.iter().sum::<f64>() / n);
    let cov: f64 = ra.iter().zip(&rb).map(|(x, y)| (x - ma) * (y - mb)).sum();
    let va: f64 = ra.iter().map(|x| (x - ma).powi(2)).sum();
    let vb: f64 = rb.iter().map(|y| (y - mb).powi(2)).sum();
    cov / (va * vb).sqrt()
}

/// Share of the reference's top 10% that the CLI also puts in its top 10%.
fn top_overlap(reference: &[f64], ours: &[f64]) -> f64 {
    let k = (reference.len() / 10).max(1);
    let top = |s: &[f64]| {
        let mut order: Vec<usize> = (0..s.len()).collect();
        order.sort_by(|&a, &b| s[b].total_cmp(&s[a]));
        order.truncate(k);
        order
    };
    let ours = top(ours);
    top(reference).iter().filter(|i| ours.contains(i)).count() as f64 / k as f64
}

/// Scores the example data with the reference port and the CLI; returns (reference, ours).
fn both(compressor: &str, level: i32) -> (Vec<f64>, Vec<f64>) {
    let dir = std::env::temp_dir().join(format!(
        "zipfit-fidelity-{}-{compressor}-{level}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let source = root().join("www/example/source.jsonl");
    let target = root().join("www/example/target.jsonl");
    let level = level.to_string();

    let reference_out = dir.join("reference.jsonl");
    let status = Command::new("python3")
        .arg(root().join("tests/reference/zipfit_ref.py"))
        .args([
            "--compressor",
            compressor,
            "--level",
            &level,
            "--workers",
            "2",
        ])
        .arg("--source")
        .arg(&source)
        .arg("--target")
        .arg(&target)
        .arg("--out")
        .arg(&reference_out)
        .status()
        .expect("python3 must be installed");
    assert!(status.success(), "reference port failed");

    let ours_out = dir.join("ours.jsonl");
    let status = Command::new(env!("CARGO_BIN_EXE_zipfit"))
        .args([
            "score",
            "--quiet",
            "--compressor",
            compressor,
            "--level",
            &level,
        ])
        .arg("--source")
        .arg(&source)
        .arg("--target")
        .arg(&target)
        .arg("--scores")
        .arg(&ours_out)
        .status()
        .unwrap();
    assert!(status.success(), "zipfit score failed");
    let result = (read_scores(&reference_out), read_scores(&ours_out));
    std::fs::remove_dir_all(&dir).ok();
    result
}

fn check(compressor: &str, level: i32, min_spearman: f64) {
    let (reference, ours) = both(compressor, level);
    assert_eq!(reference.len(), 400);
    assert_eq!(reference.len(), ours.len());
    let rho = spearman(&reference, &ours);
    let overlap = top_overlap(&reference, &ours);
    let max_diff = reference
        .iter()
        .zip(&ours)
        .map(|(a, b)| (a - b).abs())
        .fold(0.0, f64::max);
    let same_bits = reference
        .iter()
        .zip(&ours)
        .filter(|(a, b)| a.to_bits() == b.to_bits())
        .count();
    println!(
        "{compressor} level {level}: spearman {rho:.6}, top-10% overlap {overlap:.4}, \
         max |diff| {max_diff:e}, {same_bits} of {} scores the same bits",
        ours.len()
    );
    assert!(rho >= min_spearman, "spearman {rho} < {min_spearman}");
    assert!(overlap >= 0.99, "top-10% overlap {overlap}");
    // The lengths are the reference's exactly, and the sums run in the same order: every
    // score is the same f64.
    assert_eq!(same_bits, ours.len(), "scores differ by up to {max_diff}");
}

#[test]
fn gzip_level_9_ranks_like_the_reference() {
    check("gzip", 9, 0.999);
}

#[test]
fn gzip_level_6_ranks_like_the_reference() {
    check("gzip", 6, 0.999);
}

#[test]
fn gzip_level_1_ranks_like_the_reference() {
    check("gzip", 1, 0.92);
}

#[test]
fn lz4_ranks_like_the_reference() {
    check("lz4", 0, 0.98);
}

#[test]
fn lz4_hc_level_9_ranks_like_the_reference() {
    check("lz4", 9, 0.98);
}

#[test]
fn zstd_levels_3_and_19_rank_like_the_reference() {
    check("zstd", 3, 0.98);
    check("zstd", 19, 0.98);
}

#[test]
fn brotli_ranks_like_the_reference() {
    check("brotli", 11, 0.98);
}

#[test]
fn lzma_ranks_like_the_reference() {
    check("lzma", 6, 0.98);
}
