//! A source that comes as many files (shards): named one by one, as a folder or as a
//! glob, in JSONL, `.jsonl.gz` and Parquet, it scores and selects exactly as the one
//! file holding the same records.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{ok, root, run_python, zipfit};

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zipfit-shards-{}-{test}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn args(line: &str, paths: &[&Path]) -> Vec<String> {
    let mut args: Vec<String> = line.split_whitespace().map(str::to_string).collect();
    args.extend(paths.iter().map(|p| p.display().to_string()));
    args
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut member = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    member.extend(miniz_oxide::deflate::compress_to_vec(bytes, 6));
    member.extend(crc32fast::hash(bytes).to_le_bytes());
    member.extend((bytes.len() as u32).to_le_bytes());
    member
}

/// A scores file's rows: (index, file, line, score, rank).
fn score_rows(path: &Path) -> Vec<(u64, Option<String>, u64, f64, u64)> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["index"].as_u64().unwrap(),
                v["file"].as_str().map(str::to_string),
                v["line"].as_u64().unwrap(),
                v["score"].as_f64().unwrap(),
                v["rank"].as_u64().unwrap(),
            )
        })
        .collect()
}

/// Scores `source` (paths) against the example targets; its scores, its kept records
/// (top 40, rank order) and the same kept records in input order.
fn run(dir: &Path, name: &str, source: &[&Path], extra: &[&str]) -> (PathBuf, Vec<u8>, Vec<u8>) {
    let target = root().join("www/example/target.jsonl");
    let p = |file: &str| dir.join(format!("{name}-{file}"));
    let mut line = args("score -q -c lz4 --top 40 -t", &[&target]);
    line.extend(args("--scores", &[&p("scores.jsonl")]));
    line.extend(args("-o", &[&p("kept")]));
    line.extend(extra.iter().map(|s| s.to_string()));
    line.push("-s".into());
    line.extend(source.iter().map(|p| p.display().to_string()));
    ok(zipfit(&line));
    line.extend(args("--order input -o", &[&p("kept-input")]));
    let at = line.iter().position(|a| a == "-o").unwrap();
    line.drain(at..at + 2);
    ok(zipfit(&line));
    let read = |file: &str| std::fs::read(p(file)).unwrap();
    (p("scores.jsonl"), read("kept"), read("kept-input"))
}

#[test]
fn jsonl_and_gzip_shards_named_as_files_a_folder_or_a_glob_score_as_one_file() {
    let dir = scratch("jsonl");
    let one = root().join("www/example/source.jsonl");
    let text = std::fs::read_to_string(&one).unwrap();
    let lines: Vec<&str> = text.split_inclusive('\n').collect();
    let data = dir.join("data");
    std::fs::create_dir_all(data.join("sub")).unwrap();
    // Input order is the sorted paths: part-0, part-1 (gzip), part-3 (empty), sub/part-2.
    let shards: [(&str, std::ops::Range<usize>); 4] = [
        ("part-0.jsonl", 0..150),
        ("part-1.jsonl.gz", 150..230),
        ("part-3.jsonl", 230..230),
        ("sub/part-2.jsonl", 230..lines.len()),
    ];
    let mut plain = Vec::new();
    for (name, range) in &shards {
        let bytes = lines[range.clone()].concat().into_bytes();
        let written = match name.ends_with(".gz") {
            true => gzip(&bytes),
            false => bytes.clone(),
        };
        std::fs::write(data.join(name), written).unwrap();
        plain.push((data.join(name).display().to_string(), bytes));
    }
    std::fs::write(data.join("README.md"), "# a dataset card\n").unwrap();

    let (one_scores, one_kept, one_input) = run(&dir, "one", &[&one], &[]);
    let one_rows = score_rows(&one_scores);
    let listed: Vec<PathBuf> = shards.iter().rev().map(|(n, _)| data.join(n)).collect();
    let listed: Vec<&Path> = listed.iter().map(PathBuf::as_path).collect();
    let (glob_a, glob_b) = (data.join("part-*"), data.join("sub/*.jsonl"));
    for (name, source) in [
        ("folder", vec![data.as_path()]),
        ("files", listed),
        ("glob", vec![glob_a.as_path(), glob_b.as_path()]),
    ] {
        let (scores, kept, input) = run(&dir, name, &source, &[]);
        assert_eq!(kept, one_kept, "{name}: the kept lines, best first");
        assert_eq!(input, one_input, "{name}: the kept lines, in input order");
        let rows = score_rows(&scores);
        assert_eq!(rows.len(), one_rows.len());
        for (row, one_row) in rows.iter().zip(&one_rows) {
            assert_eq!((row.0, row.3, row.4), (one_row.0, one_row.3, one_row.4));
            // The record's file and line hold the one file's line.
            let file = row
                .1
                .as_ref()
                .expect("a source of several files names each");
            let (_, bytes) = plain.iter().find(|(n, _)| n == file).unwrap();
            let shard_line = String::from_utf8_lossy(bytes)
                .split_inclusive('\n')
                .nth(row.2 as usize - 1)
                .unwrap()
                .to_string();
            assert_eq!(shard_line, lines[one_row.2 as usize - 1], "{name}: {file}");
        }
    }

    // One output shard per input shard, each its kept records in input order.
    let out = dir.join("out");
    let source = [data.as_path()];
    let mut line = args(
        "score -c lz4 --top 40 -t",
        &[&root().join("www/example/target.jsonl")],
    );
    line.extend(args("--out-dir", &[&out]));
    line.extend(args("-s", &source));
    let said = String::from_utf8_lossy(&ok(zipfit(&line)).stderr).into_owned();
    assert!(
        said.contains("left out") && said.contains("README.md"),
        "{said}"
    );
    let names = [
        "part-0.jsonl",
        "part-1.jsonl",
        "part-3.jsonl",
        "sub/part-2.jsonl",
    ];
    let joined: Vec<u8> = names
        .iter()
        .flat_map(|n| std::fs::read(out.join(n)).unwrap())
        .collect();
    assert_eq!(joined, one_input);
    std::fs::remove_dir_all(&dir).ok();
}

/// The JSONL file argv[1] as one Parquet file argv[2] and as three shards in folder
/// argv[3] (row groups of 32 rows, so shards and groups do not line up).
const TO_SHARDS: &str = r#"
import json, os, sys, pyarrow as pa, pyarrow.parquet as pq
rows = [json.loads(l) for l in open(sys.argv[1], encoding="utf-8") if l.strip()]
table = pa.Table.from_pylist(rows)
pq.write_table(table, sys.argv[2], compression="zstd", row_group_size=32)
for n, (start, end) in enumerate([(0, 100), (100, 101), (101, len(rows))]):
    pq.write_table(table.slice(start, end - start), os.path.join(sys.argv[3], f"train-{n:05d}-of-00003.parquet"),
                   compression="zstd", row_group_size=32)
"#;

/// Prints whether the Parquet files argv[1] and the concatenation of argv[2:] hold equal tables.
const SAME_TABLE: &str = r#"
import sys, pyarrow as pa, pyarrow.parquet as pq
one = pq.read_table(sys.argv[1])
parts = pa.concat_tables([pq.read_table(p) for p in sys.argv[2:]])
print(one.equals(parts))
"#;

#[test]
fn parquet_shards_write_one_parquet_file_and_mixed_formats_need_out_dir() {
    let dir = scratch("parquet");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let one = dir.join("one.parquet");
    let example = root().join("www/example/source.jsonl");
    run_python(TO_SHARDS, &[&example, &one, &data]);

    let (one_scores, _, _) = run(&dir, "one", &[&one], &[]);
    let (scores, _, _) = run(&dir, "shards", &[&data.join("train-*.parquet")], &[]);
    let strip = |rows: Vec<(u64, Option<String>, u64, f64, u64)>| {
        rows.into_iter()
            .map(|r| (r.0, r.3, r.4))
            .collect::<Vec<_>>()
    };
    assert_eq!(strip(score_rows(&scores)), strip(score_rows(&one_scores)));
    for kept in ["kept", "kept-input"] {
        let (a, b) = (
            dir.join(format!("one-{kept}")),
            dir.join(format!("shards-{kept}")),
        );
        assert_eq!(run_python(SAME_TABLE, &[&a, &b]).trim(), "True", "{kept}");
    }

    // --out-dir: each shard's kept rows; together, the one file's in input order.
    let out = dir.join("out");
    run(
        &dir,
        "split",
        &[&data],
        &["--out-dir", &out.display().to_string()],
    );
    let parts: Vec<PathBuf> = (0..3)
        .map(|n| out.join(format!("train-{n:05}-of-00003.parquet")))
        .collect();
    let kept_input = dir.join("one-kept-input");
    let mut files: Vec<&Path> = vec![&kept_input];
    files.extend(parts.iter().map(PathBuf::as_path));
    assert_eq!(run_python(SAME_TABLE, &files).trim(), "True");

    // JSONL and Parquet cannot be one file: refused before anything is scored.
    let jsonl = dir.join("extra.jsonl");
    std::fs::write(&jsonl, "{\"text\": \"def f(): pass\"}\n").unwrap();
    let target = root().join("www/example/target.jsonl");
    let kept = dir.join("mixed.parquet");
    let mut line = args("score -c lz4 --top 5 -t", &[&target]);
    line.extend(args("-o", &[&kept]));
    line.extend(args("-s", &[&data, &jsonl]));
    let mixed = zipfit(&line);
    let said = String::from_utf8_lossy(&mixed.stderr);
    assert_eq!(mixed.status.code(), Some(1), "{said}");
    assert!(
        said.contains("--out-dir") && !said.contains("scored"),
        "{said}"
    );
    assert!(!kept.exists());
    let mut line = args("score -q -c lz4 --top 5 -t", &[&target]);
    line.extend(args("--out-dir", &[&dir.join("mixed")]));
    line.extend(args("-s", &[&data, &jsonl]));
    ok(zipfit(&line));
    assert!(dir.join("mixed/extra.jsonl").exists());
    std::fs::remove_dir_all(&dir).ok();
}

/// Lines in the file at `path` (0 when it is not there).
fn lines_in(path: &Path) -> usize {
    std::fs::read(path).map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
}

#[test]
fn a_killed_run_over_shards_resumes_and_its_checkpoint_names_every_shard() {
    let dir = scratch("resume");
    let lines = std::fs::read(root().join("www/example/source.jsonl")).unwrap();
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    // 8,000 records in three shards: about a hundred batches of gzip -9 work.
    for k in 0..3 {
        std::fs::write(data.join(format!("part-{k}.jsonl")), lines.repeat(7 - k)).unwrap();
    }
    let target = root().join("www/example/target.jsonl");
    let command = |out: &Path, extra: &str| {
        let mut line = args("score -c gzip -l 9 --top-percent 10 -q -j 2 -t", &[&target]);
        line.extend(args("--scores", &[&out.join("scores.jsonl")]));
        line.extend(args("-o", &[&out.join("kept.jsonl")]));
        line.extend(args(extra, &[]));
        line.extend(args("-s", &[&data]));
        line
    };
    let whole = dir.join("whole");
    std::fs::create_dir_all(&whole).unwrap();
    ok(zipfit(&command(&whole, "")));

    let out = dir.join("killed");
    std::fs::create_dir_all(&out).unwrap();
    let checkpoint = out.join("kept.jsonl.zipfit-checkpoint");
    let mut child = Command::new(env!("CARGO_BIN_EXE_zipfit"))
        .args(command(&out, ""))
        .spawn()
        .unwrap();
    while lines_in(&checkpoint) < 1 + 30 {
        assert!(child.try_wait().unwrap().is_none(), "the run ended first");
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let header = std::fs::read_to_string(&checkpoint).unwrap();
    for k in 0..3 {
        assert!(header.contains(&format!("part-{k}.jsonl")), "{header}");
    }
    let resumed = ok(zipfit(&command(&out, "--resume")));
    assert!(String::from_utf8_lossy(&resumed.stderr).is_empty());
    for name in ["kept.jsonl", "scores.jsonl"] {
        assert_eq!(
            std::fs::read(out.join(name)).unwrap(),
            std::fs::read(whole.join(name)).unwrap(),
            "{name}"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_bad_shard_stops_the_run_naming_it_or_its_bad_line_is_skipped() {
    let dir = scratch("bad");
    let data = dir.join("data");
    std::fs::create_dir_all(&data).unwrap();
    let good = "{\"text\": \"def add(a, b): return a + b\"}\n";
    std::fs::write(data.join("a.jsonl"), good.repeat(3)).unwrap();
    std::fs::write(data.join("b.jsonl"), format!("{good}not json\n{good}")).unwrap();
    let target = root().join("www/example/target.jsonl");
    let score = |extra: &str| {
        let mut line = args("score -c lz4 --top 2 -t", &[&target]);
        line.extend(args(extra, &[]));
        line.extend(args("-s", &[&data]));
        zipfit(&line)
    };
    let stopped = score("");
    let said = String::from_utf8_lossy(&stopped.stderr).into_owned();
    assert_eq!(stopped.status.code(), Some(1), "{said}");
    assert!(
        said.contains(&format!(
            "{}:2: not valid JSON",
            data.join("b.jsonl").display()
        )),
        "{said}"
    );

    let skipped = dir.join("skipped.jsonl");
    let scores = dir.join("scores.jsonl");
    let run = ok(score(&format!(
        "--on-error skip --skipped {} --scores {}",
        skipped.display(),
        scores.display()
    )));
    let said = String::from_utf8_lossy(&run.stderr);
    assert!(
        said.contains("skipped") && said.contains("b.jsonl:2"),
        "{said}"
    );
    assert_eq!(std::fs::read_to_string(&skipped).unwrap(), "not json\n");
    let rows = score_rows(&scores);
    assert_eq!(rows.len(), 5);
    assert_eq!(
        (rows[4].1.as_deref(), rows[4].2),
        (Some(&*data.join("b.jsonl").display().to_string()), 3)
    );

    // A shard that is not what it claims: corrupt gzip, truncated Parquet.
    std::fs::write(data.join("c.jsonl.gz"), [0x1f, 0x8b, 8, 0, 1, 2, 3]).unwrap();
    let corrupt = score("--on-error skip");
    let said = String::from_utf8_lossy(&corrupt.stderr).into_owned();
    assert_eq!(corrupt.status.code(), Some(1), "{said}");
    assert!(said.contains("c.jsonl.gz: not a valid gzip file"), "{said}");
    std::fs::remove_file(data.join("c.jsonl.gz")).unwrap();
    std::fs::write(data.join("d.parquet"), b"PAR1 and then nothing").unwrap();
    let truncated = score("--on-error skip");
    let said = String::from_utf8_lossy(&truncated.stderr).into_owned();
    assert_eq!(truncated.status.code(), Some(1), "{said}");
    assert!(
        said.contains("d.parquet: not a readable Parquet file"),
        "{said}"
    );
    std::fs::remove_dir_all(&dir).ok();
}
