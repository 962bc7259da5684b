//! A Parquet source and target through the `zipfit` binary: scores equal those of the
//! same records as JSONL, to the bit; kept, rejected, skipped and compared rows come out
//! as Parquet with the source's rows, schema and codecs; bad rows are named by row and
//! row group. Files are written and checked by pyarrow (`ZIPFIT_PYTHON`, default the
//! `.venv` that `scripts/setup.sh --test` makes).

use std::path::Path;

mod common;
use common::{ok, root, run_python, zipfit};

/// JSONL records as a Parquet file with `codec`, in row groups of 64 rows.
const TO_PARQUET: &str = r#"
import json, sys, pyarrow as pa, pyarrow.parquet as pq
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
pq.write_table(pa.Table.from_pylist(rows), sys.argv[2], compression=sys.argv[3], row_group_size=64)
"#;

/// Prints whether the Parquet file argv[2] holds the rows of argv[1] at the indices in
/// argv[3] (JSON), in that order, with the same schema (`equals` compares it) and codecs.
const SAME_ROWS: &str = r#"
import json, sys, pyarrow as pa, pyarrow.parquet as pq
source, written = pq.read_table(sys.argv[1]), pq.read_table(sys.argv[2])
rows = pa.array(json.load(open(sys.argv[3])), pa.int64())
codec = lambda p: sorted({c.compression for g in range(pq.ParquetFile(p).metadata.num_row_groups)
                          for c in [pq.ParquetFile(p).metadata.row_group(g).column(0)]})
# A file of no rows has no column chunks, so no codec to compare.
same_codecs = written.num_rows == 0 or codec(sys.argv[1]) == codec(sys.argv[2])
print(json.dumps([written.equals(source.take(rows)), same_codecs]))
"#;

/// The record indices with rank at most `kept` in a scores file, best first.
fn kept_indices(scores: &Path, kept: u64) -> Vec<u64> {
    let text = std::fs::read_to_string(scores).unwrap();
    let mut rows: Vec<(u64, u64)> = text
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (v["rank"].as_u64().unwrap(), v["index"].as_u64().unwrap())
        })
        .filter(|&(rank, _)| rank <= kept)
        .collect();
    rows.sort();
    rows.into_iter().map(|(_, index)| index).collect()
}

fn assert_same_rows(source: &Path, written: &Path, indices: &[u64], dir: &Path) {
    let list = dir.join("indices.json");
    std::fs::write(&list, serde_json::to_vec(indices).unwrap()).unwrap();
    let answer = run_python(SAME_ROWS, &[source, written, &list]);
    assert_eq!(answer.trim(), "[true, true]", "{}", written.display());
}

#[test]
fn parquet_scores_equal_jsonl_and_outputs_keep_the_rows() {
    let dir = std::env::temp_dir().join(format!("zipfit-cli-parquet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let example = root().join("www/example");
    let (source_jsonl, target_jsonl) = (example.join("source.jsonl"), example.join("target.jsonl"));
    // Named .bin: a Parquet file is recognised by its content, whatever its name.
    let source = dir.join("source.bin");
    let target = dir.join("target.parquet");
    run_python(TO_PARQUET, &[&source_jsonl, &source, Path::new("zstd")]);
    run_python(TO_PARQUET, &[&target_jsonl, &target, Path::new("snappy")]);
    let p = |name: &str| dir.join(name).display().to_string();

    for compressor in ["gzip", "lz4", "dsir"] {
        let from_jsonl = zipfit(&[
            "score",
            "-q",
            "-c",
            compressor,
            "-s",
            &source_jsonl.display().to_string(),
            "-t",
            &target_jsonl.display().to_string(),
            "--scores",
            &p("jsonl-scores.jsonl"),
        ]);
        ok(from_jsonl);
        ok(zipfit(&[
            "score",
            "-q",
            "-c",
            compressor,
            "-s",
            &p("source.bin"),
            "-t",
            &p("target.parquet"),
            "--scores",
            &p("scores.jsonl"),
            "--top",
            "40",
            "-o",
            &p("kept.parquet"),
            "--rejected",
            &p("rejected.parquet"),
        ]));
        // The example has no blank lines, so a row's number is its line's: equal files.
        assert_eq!(
            std::fs::read(dir.join("scores.jsonl")).unwrap(),
            std::fs::read(dir.join("jsonl-scores.jsonl")).unwrap(),
            "{compressor}"
        );
        let kept = kept_indices(&dir.join("scores.jsonl"), 40);
        assert_eq!(kept.len(), 40);
        assert_same_rows(&source, &dir.join("kept.parquet"), &kept, &dir);
        let rejected: Vec<u64> = (0..400).filter(|i| !kept.contains(i)).collect();
        assert_same_rows(&source, &dir.join("rejected.parquet"), &rejected, &dir);
    }

    // select and compare write Parquet too; explain reads it.
    ok(zipfit(&[
        "select",
        "-s",
        &p("source.bin"),
        "--scores",
        &p("scores.jsonl"),
        "--top",
        "7",
        "-o",
        &p("selected.parquet"),
        "-q",
    ]));
    let seven = kept_indices(&dir.join("scores.jsonl"), 7);
    assert_same_rows(&source, &dir.join("selected.parquet"), &seven, &dir);
    ok(zipfit(&[
        "compare",
        &p("scores.jsonl"),
        &p("jsonl-scores.jsonl"),
        "--top",
        "10",
        "-s",
        &p("source.bin"),
        "--only-a",
        &p("only-a.parquet"),
    ]));
    assert_same_rows(&source, &dir.join("only-a.parquet"), &[], &dir);
    let explained = ok(zipfit(&[
        "explain",
        "-s",
        &p("source.bin"),
        "-t",
        &p("target.parquet"),
        "-r",
        "3",
        "--json",
    ]));
    let from_jsonl = ok(zipfit(&[
        "explain",
        "-s",
        &source_jsonl.display().to_string(),
        "-t",
        &target_jsonl.display().to_string(),
        "-r",
        "3",
        "--json",
    ]));
    assert_eq!(explained.stdout, from_jsonl.stdout);
}

#[test]
fn parquet_bad_rows_are_named_by_row_and_row_group_and_kept() {
    let dir = std::env::temp_dir().join(format!("zipfit-cli-parquet-bad-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let holes = dir.join("holes.parquet");
    run_python(
        r#"
import sys, pyarrow as pa, pyarrow.parquet as pq
texts = ["def f(): pass", None, "x = 1", "print(2)", None, "y = [1]"]
pq.write_table(pa.table({"text": pa.array(texts), "n": list(range(6))}), sys.argv[1], row_group_size=3)
"#,
        &[&holes],
    );
    let target = root()
        .join("www/example/target.jsonl")
        .display()
        .to_string();
    let holes_arg = holes.display().to_string();
    let stopped = zipfit(&["score", "-s", &holes_arg, "-t", &target]);
    assert_eq!(stopped.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&stopped.stderr).trim(),
        format!("zipfit: {holes_arg}: row 2 (row group 0): field \"text\" is not text (null)")
    );
    let skipped = dir.join("skipped.parquet");
    let scores = dir.join("scores.jsonl");
    let run = ok(zipfit(&[
        "score",
        "-s",
        &holes_arg,
        "-t",
        &target,
        "--on-error",
        "skip",
        "--skipped",
        &skipped.display().to_string(),
        "--scores",
        &scores.display().to_string(),
    ]));
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(
        said.contains(&format!(
            "zipfit: skipped {holes_arg}: row 5 (row group 1): field \"text\" is not text (null)"
        )),
        "{said}"
    );
    assert_same_rows(&holes, &skipped, &[1, 4], &dir);
    // Scores name the row where JSONL names the line.
    let lines: Vec<u64> = std::fs::read_to_string(&scores)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["line"]
                .as_u64()
                .unwrap()
        })
        .collect();
    assert_eq!(lines, vec![1, 3, 4, 6]);
    let missing = zipfit(&["score", "-s", &holes_arg, "-t", &target, "-f", "body"]);
    assert_eq!(
        String::from_utf8_lossy(&missing.stderr).trim(),
        format!("zipfit: {holes_arg}: no column \"body\" (text columns: text)")
    );
}

/// `(line, score)` of every row of a scores file.
fn scores_by_line(path: &Path) -> Vec<(u64, f64)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                row["line"].as_u64().unwrap(),
                row["score"].as_f64().unwrap(),
            )
        })
        .collect()
}

#[test]
fn a_row_group_that_cannot_be_decoded_costs_only_its_rows_when_skipping() {
    let dir = tempfile::tempdir().unwrap();
    let d = |name: &str| dir.path().join(name);
    let example = root().join("www/example");
    let script = root().join("tests/e2e/parquet_files.py");
    let run_script = "import runpy, sys; sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')";
    let (intact, damaged) = (d("intact.parquet"), d("damaged.parquet"));
    run_python(
        run_script,
        &[
            &script,
            Path::new("from-jsonl"),
            &example.join("source.jsonl"),
            &intact,
            Path::new("snappy"),
            Path::new("50"),
        ],
    );
    // Row group 6 of 8: rows 301-350.
    let said = run_python(
        run_script,
        &[
            &script,
            Path::new("damage"),
            &intact,
            &damaged,
            Path::new("6"),
        ],
    );
    assert_eq!(said.trim(), "300 50");
    let target = example.join("target.jsonl");
    let score = |source: &Path, scores: &Path, skip: bool| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "score".as_ref(),
            "--quiet".as_ref(),
            "-s".as_ref(),
            source.as_os_str(),
            "-t".as_ref(),
            target.as_os_str(),
            "-c".as_ref(),
            "lz4".as_ref(),
            "--scores".as_ref(),
            scores.as_os_str(),
        ];
        if skip {
            args.extend([
                std::ffi::OsStr::new("--on-error"),
                std::ffi::OsStr::new("skip"),
            ]);
        }
        zipfit(&args)
    };
    // Without skip: the run stops, naming the row group.
    let stopped = score(&damaged, &d("stopped.jsonl"), false);
    assert_eq!(stopped.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&stopped.stderr).contains("damaged.parquet: row group 6"));
    // With skip: the other 350 rows score as in the intact file.
    ok(score(&intact, &d("intact.scores.jsonl"), false));
    ok(score(&damaged, &d("damaged.scores.jsonl"), true));
    let intact_scores = scores_by_line(&d("intact.scores.jsonl"));
    let damaged_scores = scores_by_line(&d("damaged.scores.jsonl"));
    let want: Vec<(u64, f64)> = intact_scores
        .into_iter()
        .filter(|&(line, _)| !(301..=350).contains(&line))
        .collect();
    assert_eq!(damaged_scores.len(), 350);
    assert_eq!(damaged_scores, want);
    // --skipped cannot write those rows back, and says so.
    let skipped = d("skipped.parquet");
    let run = ok(zipfit(&[
        "score".as_ref(),
        "-s".as_ref(),
        damaged.as_os_str(),
        "-t".as_ref(),
        target.as_os_str(),
        "--on-error".as_ref(),
        "skip".as_ref(),
        "--skipped".as_ref(),
        skipped.as_os_str(),
    ]));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("row 301 (row group 6): its row group could not be read"),
        "{stderr}"
    );
    assert!(
        stderr.contains("50 rows of row groups that could not be read are not in"),
        "{stderr}"
    );
}
