//! The `zipfit` binary as a user meets it: inputs, outputs, errors and exit codes.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn example(name: &str) -> PathBuf {
    root().join("www/example").join(name)
}

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("zipfit-cli-{}-{test}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `zipfit` with a command line as a user would type it (paths here have no spaces).
fn zipfit(command_line: &str, stdin: Option<&[u8]>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zipfit"))
        .args(command_line.split_whitespace())
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    if let Some(bytes) = stdin {
        child.stdin.take().unwrap().write_all(bytes).unwrap();
    }
    child.wait_with_output().unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[test]
fn scores_selects_and_writes_original_lines() {
    let dir = scratch("select");
    let (source, target) = (example("source.jsonl"), example("target.jsonl"));
    let kept = dir.join("kept.jsonl");
    let rejected = dir.join("rejected.jsonl");
    let scores = dir.join("scores.jsonl");
    let output = zipfit(
        &format!(
            "score -s {} -t {} --top 40 -o {} --rejected {} --scores {}",
            source.display(),
            target.display(),
            kept.display(),
            rejected.display(),
            scores.display()
        ),
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("kept 40 of 400 records (top 40)"),
        "{}",
        stderr(&output)
    );

    // Kept and rejected lines together are exactly the source's lines.
    let original = std::fs::read_to_string(&source).unwrap();
    let mut all: Vec<String> = std::fs::read_to_string(&kept)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    assert_eq!(all.len(), 40);
    all.extend(
        std::fs::read_to_string(&rejected)
            .unwrap()
            .lines()
            .map(String::from),
    );
    let mut expected: Vec<String> = original.lines().map(String::from).collect();
    all.sort();
    expected.sort();
    assert_eq!(all, expected);

    // `select` re-cuts from the scores file without scoring, with the same result.
    let again = dir.join("again.jsonl");
    let output = zipfit(
        &format!(
            "select -s {} --scores {} --top 40 -o {}",
            source.display(),
            scores.display(),
            again.display()
        ),
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert_eq!(
        std::fs::read(&again).unwrap(),
        std::fs::read(&kept).unwrap()
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn reads_stdin_and_gzip_and_writes_stdout() {
    let source = std::fs::read(example("source.jsonl")).unwrap();
    let target = example("target.jsonl");
    let from_stdin = zipfit(
        &format!("score -q -s - -t {} --top 3 -o -", target.display()),
        Some(&source),
    );
    assert!(from_stdin.status.success(), "{}", stderr(&from_stdin));
    assert_eq!(
        String::from_utf8_lossy(&from_stdin.stdout).lines().count(),
        3
    );

    let dir = scratch("gzip");
    let gz = dir.join("source.jsonl.gz");
    let mut member = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    member.extend(miniz_oxide::deflate::compress_to_vec(&source, 6));
    member.extend(crc32fast::hash(&source).to_le_bytes());
    member.extend((source.len() as u32).to_le_bytes());
    std::fs::write(&gz, member).unwrap();
    let from_gz = zipfit(
        &format!(
            "score -q -s {} -t {} --top 3 -o -",
            gz.display(),
            target.display()
        ),
        None,
    );
    assert!(from_gz.status.success(), "{}", stderr(&from_gz));
    assert_eq!(from_gz.stdout, from_stdin.stdout);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn bad_lines_stop_with_file_and_line_or_are_skipped_and_kept() {
    let dir = scratch("bad");
    let source = dir.join("bad.jsonl");
    std::fs::write(
        &source,
        "{\"text\": \"def f(): pass\"}\n{\"text\": 5}\nnot json\n{\"text\": \"x = 1\"}\n",
    )
    .unwrap();
    let target = example("target.jsonl");
    let stop = zipfit(
        &format!("score -s {} -t {}", source.display(), target.display()),
        None,
    );
    assert_eq!(stop.status.code(), Some(1));
    assert!(
        stderr(&stop).contains("bad.jsonl:2: field \"text\" is not text (a number)"),
        "{}",
        stderr(&stop)
    );

    let skipped = dir.join("skipped.jsonl");
    let scores = dir.join("scores.csv");
    let skip = zipfit(
        &format!(
            "score --on-error skip -s {} -t {} --skipped {} --scores-csv {}",
            source.display(),
            target.display(),
            skipped.display(),
            scores.display()
        ),
        None,
    );
    assert!(skip.status.success(), "{}", stderr(&skip));
    assert!(stderr(&skip).contains("skipped"), "{}", stderr(&skip));
    assert_eq!(
        std::fs::read_to_string(&skipped).unwrap(),
        "{\"text\": 5}\nnot json\n"
    );
    let csv = std::fs::read_to_string(&scores).unwrap();
    let lines: Vec<&str> = csv.lines().map(|l| l.split(',').nth(1).unwrap()).collect();
    assert_eq!(lines, vec!["line", "1", "4"]);
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn usage_and_missing_files_give_distinct_exit_codes() {
    let usage = zipfit("score --level 12 -s a -t b", None);
    assert_eq!(usage.status.code(), Some(2));
    assert!(
        stderr(&usage).contains("gzip level must be 1-9, not 12"),
        "{}",
        stderr(&usage)
    );
    // A level liblz4 does not have is refused, not scored at another.
    let lz4 = zipfit("score -c lz4 -l 13 -s a -t b", None);
    assert_eq!(lz4.status.code(), Some(2));
    assert!(
        stderr(&lz4).contains("lz4 level must be 0-12, not 13"),
        "{}",
        stderr(&lz4)
    );
    let dsir = zipfit("score -c dsir -l 3 -s a -t b", None);
    assert_eq!(dsir.status.code(), Some(2));
    let missing = zipfit("score -s no-such-file.jsonl -t b", None);
    assert_eq!(missing.status.code(), Some(1));
    assert!(
        stderr(&missing).contains("--source: no-such-file.jsonl: no such file or folder"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn summary_counts_one_of_a_kind_in_the_singular() {
    let dir = scratch("singular");
    let target = dir.join("one-target.jsonl");
    std::fs::write(
        &target,
        "{\"text\": \"def add(a, b):\\n    return a + b\\n\"}\n",
    )
    .unwrap();
    let output = zipfit(
        &format!(
            "score -s {} -t {} -j 1 --top 1 -o {}",
            example("source.jsonl").display(),
            target.display(),
            dir.join("kept.jsonl").display()
        ),
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let said = stderr(&output);
    assert!(
        said.contains("scored 400 records against 1 target with"),
        "{said}"
    );
    assert!(said.contains("1 thread)"), "{said}");
    assert!(said.contains("kept 1 of 400 records (top 1)"), "{said}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn explain_gives_per_target_terms_whose_mean_is_the_score() {
    let dir = scratch("explain");
    let (source, target) = (example("source.jsonl"), example("target.jsonl"));
    for (flags, label) in [
        ("-c gzip -l 9", "gzip level 9"),
        ("-c gzip -l 1", "gzip level 1"),
        ("-c lz4", "lz4"),
    ] {
        let scores = dir.join("scores.jsonl");
        let output = zipfit(
            &format!(
                "score -q -s {} -t {} {flags} --scores {}",
                source.display(),
                target.display(),
                scores.display()
            ),
            None,
        );
        assert!(output.status.success(), "{}", stderr(&output));
        let scores: Vec<serde_json::Value> = std::fs::read_to_string(&scores)
            .unwrap()
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        for record in [0, 7, scores.len() - 1] {
            let output = zipfit(
                &format!(
                    "explain -s {} -t {} -r {record} {flags} --json",
                    source.display(),
                    target.display()
                ),
                None,
            );
            assert!(output.status.success(), "{}", stderr(&output));
            let json: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
            assert_eq!(json["compressor"], label);
            assert_eq!(
                json["record"]["score"], scores[record]["score"],
                "record {record}"
            );
            assert_eq!(json["record"]["line"], scores[record]["line"]);
            let terms: Vec<f64> = json["targets"]
                .as_array()
                .unwrap()
                .iter()
                .map(|t| t["alignment"].as_f64().unwrap())
                .collect();
            let mean = terms.iter().sum::<f64>() / terms.len() as f64;
            assert_eq!(mean, scores[record]["score"].as_f64().unwrap());
            // The spans shown are the best target's, and each is a real copy of record bytes.
            let best = (0..terms.len())
                .max_by(|&a, &b| terms[a].total_cmp(&terms[b]).then(b.cmp(&a)))
                .unwrap();
            assert_eq!(json["spans"]["target"], best);
            let copied: u64 = json["spans"]["copies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["len"].as_u64().unwrap())
                .sum();
            assert_eq!(json["spans"]["copied_bytes"].as_u64().unwrap(), copied);
        }
    }
    let output = zipfit(
        &format!(
            "explain -s {} -t {} -r 100000",
            source.display(),
            target.display()
        ),
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("--record 100000"),
        "{}",
        stderr(&output)
    );
}

#[test]
fn dedup_leaves_copies_out_lists_them_and_still_meets_the_budget() {
    let dir = scratch("dedup");
    let lines: Vec<String> = std::fs::read_to_string(example("source.jsonl"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    // Every record, then every record again with another id: the copies' texts are equal.
    let mut doubled = lines.clone();
    for line in &lines {
        let mut value: serde_json::Value = serde_json::from_str(line).unwrap();
        value["id"] = serde_json::json!("copy");
        doubled.push(value.to_string());
    }
    let source = dir.join("doubled.jsonl");
    std::fs::write(&source, doubled.join("\n") + "\n").unwrap();
    let (kept, duplicates) = (dir.join("kept.jsonl"), dir.join("dups.jsonl"));
    let top = lines.len() / 2;
    let run = zipfit(
        &format!(
            "score -s {} -t {} --top {top} --dedup --duplicates {} -o {}",
            source.display(),
            example("target.jsonl").display(),
            duplicates.display(),
            kept.display()
        ),
        None,
    );
    assert!(run.status.success(), "{}", stderr(&run));
    let kept = std::fs::read_to_string(kept).unwrap();
    assert_eq!(kept.lines().count(), top);
    assert!(!kept.contains("\"copy\""), "a copy was kept");
    let listed: Vec<serde_json::Value> = std::fs::read_to_string(duplicates)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert!(listed.len() >= top - 1, "{}", listed.len());
    for row in &listed {
        let (i, of) = (
            row["index"].as_u64().unwrap(),
            row["duplicate_of"].as_u64().unwrap(),
        );
        assert!(row["similarity"].as_f64().unwrap() >= 0.8);
        assert_eq!(row["line"].as_u64().unwrap(), i + 1);
        assert_eq!(row["duplicate_of_line"].as_u64().unwrap(), of + 1);
    }
    assert!(stderr(&run).contains("as near-duplicates (similarity >= 0.8)"));
    let bad = zipfit("score -s x -t y --dedup 2", None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(stderr(&bad).contains("2 is not a similarity in (0, 1]"));
}

/// Reads one JSON document from a file the CLI wrote.
fn json_file(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

#[test]
fn stability_halves_agree_with_runs_on_each_half_of_the_targets() {
    let dir = scratch("stability");
    let (source, target) = (example("source.jsonl"), example("target.jsonl"));
    let (report, scores, plain) = (
        dir.join("stability.json"),
        dir.join("scores.jsonl"),
        dir.join("plain.jsonl"),
    );
    let output = zipfit(
        &format!(
            "score -s {} -t {} -c lz4 --top 30 --stability {} --scores {}",
            source.display(),
            target.display(),
            report.display(),
            scores.display()
        ),
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    assert!(
        stderr(&output).contains("halves of the targets"),
        "{}",
        stderr(&output)
    );
    // Keeping fold sums changes no score.
    let output = zipfit(
        &format!(
            "score -s {} -t {} -c lz4 --scores {}",
            source.display(),
            target.display(),
            plain.display()
        ),
        None,
    );
    assert!(output.status.success());
    assert_eq!(
        std::fs::read(&scores).unwrap(),
        std::fs::read(&plain).unwrap()
    );

    let report = json_file(&report);
    let folds: Vec<Vec<usize>> = serde_json::from_value(report["folds"].clone()).unwrap();
    let targets: Vec<String> = std::fs::read_to_string(&target)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    assert_eq!(folds.iter().map(Vec::len).sum::<usize>(), targets.len());
    // Score the source against each half's targets alone, then compare the two runs.
    let half = folds.len() / 2;
    let mut runs = Vec::new();
    for (name, range) in [("a", 0..half), ("b", half..folds.len())] {
        let file = dir.join(format!("targets-{name}.jsonl"));
        let mut members: Vec<usize> = folds[range].concat();
        members.sort();
        let lines: Vec<&str> = members.iter().map(|&j| targets[j].as_str()).collect();
        std::fs::write(&file, lines.join("\n")).unwrap();
        let run = dir.join(format!("scores-{name}.jsonl"));
        let output = zipfit(
            &format!(
                "score -s {} -t {} -c lz4 --scores {}",
                source.display(),
                file.display(),
                run.display()
            ),
            None,
        );
        assert!(output.status.success(), "{}", stderr(&output));
        runs.push(run);
    }
    let output = zipfit(
        &format!(
            "compare {} {} --top 30 --json",
            runs[0].display(),
            runs[1].display()
        ),
        None,
    );
    assert!(output.status.success(), "{}", stderr(&output));
    let compared: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let halves = &report["halves"];
    // The runs average in f64 and the fold sums exactly, so only near-ties could move.
    let (s1, s2) = (
        halves["spearman"].as_f64().unwrap(),
        compared["spearman"].as_f64().unwrap(),
    );
    assert!((s1 - s2).abs() < 1e-9, "{s1} {s2}");
    assert_eq!(halves["kept_both"], compared["kept_both"]);
    assert_eq!(halves["jaccard"], compared["jaccard"]);
    // All folds together are the full ranking.
    let last = report["convergence"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["targets"].as_u64().unwrap() as usize, targets.len());
    assert_eq!(last["jaccard"].as_f64().unwrap(), 1.0);
    assert!((last["spearman"].as_f64().unwrap() - 1.0).abs() < 1e-12);
}

#[test]
fn stability_needs_two_targets_and_a_compressor() {
    let dir = scratch("stability-errors");
    let source = example("source.jsonl");
    let one = dir.join("one.jsonl");
    std::fs::write(&one, "{\"text\": \"def f(): pass\"}\n").unwrap();
    let output = zipfit(
        &format!(
            "score -s {} -t {} --stability",
            source.display(),
            one.display()
        ),
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(
        stderr(&output).contains("at least 2 targets"),
        "{}",
        stderr(&output)
    );
    let output = zipfit(
        &format!(
            "score -s {} -t {} -c dsir --stability",
            source.display(),
            example("target.jsonl").display()
        ),
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    assert!(stderr(&output).contains("DSIR"), "{}", stderr(&output));
}

#[test]
fn no_output_overwrites_an_input_or_another_output() {
    let dir = scratch("overwrite");
    let data = dir.join("data.jsonl");
    std::fs::copy(example("source.jsonl"), &data).unwrap();
    let before = std::fs::read(&data).unwrap();
    let target = example("target.jsonl");
    std::fs::create_dir_all(dir.join("sub")).unwrap();
    let hard = dir.join("hard.jsonl");
    std::fs::hard_link(&data, &hard).unwrap();
    let link = dir.join("link.jsonl");
    std::os::unix::fs::symlink(&data, &link).unwrap();
    let t = target.display();
    let (d, s) = (dir.display(), data.display());
    let refused = [
        (format!("score -s {s} -t {t} --top 10 -o {s}"), "--output"),
        (
            format!("score -s {s} -t {t} --top 10 -o {d}/sub/../data.jsonl"),
            "--output",
        ),
        (
            format!("score -s {s} -t {t} --top 10 -o {d}/./data.jsonl"),
            "--output",
        ),
        (
            format!("score -s {s} -t {t} --top 10 -o {}", link.display()),
            "--output",
        ),
        (
            format!("score -s {s} -t {t} --top 10 -o {}", hard.display()),
            "--output",
        ),
        (
            format!("score -s {s} -t {t} --scores {}", target.display()),
            "--scores",
        ),
        (
            format!("score -s {s} -t {t} --top 10 --rejected {s}"),
            "--rejected",
        ),
        (
            format!("select -s {s} --scores {s} --top 10 -o {}", link.display()),
            "--output",
        ),
    ];
    for (command, flag) in &refused {
        let output = zipfit(command, None);
        assert_eq!(output.status.code(), Some(1), "{command}");
        let message = stderr(&output);
        assert!(
            message.contains(&format!("{flag} (")),
            "{command}: {message}"
        );
        assert!(
            message.contains("an output never overwrites an input"),
            "{command}: {message}"
        );
        assert_eq!(
            std::fs::read(&data).unwrap(),
            before,
            "{command} changed the input"
        );
    }
    // Two outputs of one run that are one file: both named, nothing written.
    let scores = dir.join("s.jsonl");
    let output = zipfit(
        &format!(
            "score -s {s} -t {t} --top 10 --scores {} -o {d}/sub/../s.jsonl",
            scores.display()
        ),
        None,
    );
    assert_eq!(output.status.code(), Some(1));
    let message = stderr(&output);
    assert!(
        message.contains("--scores (") && message.contains("--output ("),
        "{message}"
    );
    assert!(message.contains("are the same file"), "{message}");
    assert!(!scores.exists());
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Runs `zipfit` with `command_line` and kills it (SIGKILL) once `checkpoint` holds `lines`
/// lines.
fn kill_after(command_line: &str, checkpoint: &Path, lines: usize) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_zipfit"))
        .args(command_line.split_whitespace())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    while lines_in(checkpoint) < lines {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before the kill"
        );
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    child.kill().unwrap();
    child.wait().unwrap();
}

/// Lines in the file at `path` (0 when it is not there).
fn lines_in(path: &Path) -> usize {
    std::fs::read(path).map_or(0, |b| b.iter().filter(|&&c| c == b'\n').count())
}

#[test]
fn a_killed_run_resumes_to_the_bytes_of_an_uninterrupted_one() {
    let dir = scratch("resume");
    // 8,000 records (the example's, repeated): about a hundred batches of gzip -9 work.
    let one = std::fs::read(example("source.jsonl")).unwrap();
    let source = dir.join("source.jsonl");
    std::fs::write(&source, one.repeat(20)).unwrap();
    let target = example("target.jsonl");
    let command = |out: &Path, extra: &str| {
        format!(
            "score -s {} -t {} -c gzip -l 9 --top-percent 10 -q -j 2 --scores {} -o {}{extra}",
            source.display(),
            target.display(),
            out.join("scores.jsonl").display(),
            out.join("kept.jsonl").display()
        )
    };
    let whole = dir.join("whole");
    std::fs::create_dir_all(&whole).unwrap();
    assert!(zipfit(&command(&whole, ""), None).status.success());
    let expected = |name: &str| std::fs::read(whole.join(name)).unwrap();
    assert!(
        !Checkpoint::exists(&whole),
        "a complete run removes its checkpoint"
    );

    for (n, batches) in [2usize, 30, 70].into_iter().enumerate() {
        let out = dir.join(format!("killed-{n}"));
        std::fs::create_dir_all(&out).unwrap();
        let checkpoint = out.join("kept.jsonl.zipfit-checkpoint");
        // SIGKILL once the header and `batches` batches are on disk.
        kill_after(&command(&out, ""), &checkpoint, 1 + batches);
        assert!(!out.join("kept.jsonl").exists() && !out.join("scores.jsonl").exists());
        let kept_batches = lines_in(&checkpoint) - 1;
        assert!(kept_batches >= batches);

        // Without --resume the checkpoint is reported and left alone.
        if n == 0 {
            let before = std::fs::read(&checkpoint).unwrap();
            let other = dir.join("other");
            std::fs::create_dir_all(&other).unwrap();
            std::fs::copy(&checkpoint, other.join("kept.jsonl.zipfit-checkpoint")).unwrap();
            let fresh = zipfit(&command(&other, ""), None);
            assert!(fresh.status.success());
            assert!(stderr(&fresh).contains("left alone (add --resume to continue it)"));
            assert_eq!(
                std::fs::read(other.join("kept.jsonl.zipfit-checkpoint")).unwrap(),
                before
            );
            assert_eq!(
                std::fs::read(other.join("kept.jsonl")).unwrap(),
                expected("kept.jsonl")
            );
        }

        let resumed = zipfit(&command(&out, " --resume"), None);
        assert!(resumed.status.success(), "{}", stderr(&resumed));
        assert_eq!(
            std::fs::read(out.join("kept.jsonl")).unwrap(),
            expected("kept.jsonl"),
            "killed after {kept_batches} batches"
        );
        assert_eq!(
            std::fs::read(out.join("scores.jsonl")).unwrap(),
            expected("scores.jsonl"),
            "killed after {kept_batches} batches"
        );
        assert!(!checkpoint.exists());
    }

    // A checkpoint of another source (edited since) is refused, not used.
    let out = dir.join("edited");
    std::fs::create_dir_all(&out).unwrap();
    let checkpoint = out.join("kept.jsonl.zipfit-checkpoint");
    kill_after(&command(&out, ""), &checkpoint, 5);
    let mut edited = one.repeat(20);
    edited[20] ^= 1;
    std::fs::write(&source, &edited).unwrap();
    let refused = zipfit(&command(&out, " --resume"), None);
    assert_eq!(refused.status.code(), Some(1));
    assert!(
        stderr(&refused).contains("it is the checkpoint of another run (source differs)"),
        "{}",
        stderr(&refused)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Whether a folder holds a checkpoint.
struct Checkpoint;

impl Checkpoint {
    fn exists(folder: &Path) -> bool {
        std::fs::read_dir(folder).unwrap().any(|e| {
            e.unwrap()
                .file_name()
                .to_string_lossy()
                .ends_with(".zipfit-checkpoint")
        })
    }
}

#[test]
fn a_sweep_scores_each_level_as_score_does_and_compares_every_two() {
    let dir = scratch("sweep");
    let (source, target) = (example("source.jsonl"), example("target.jsonl"));
    let (s, t, d) = (source.display(), target.display(), dir.display());
    let out = zipfit(
        &format!(
            "sweep -q --json -s {s} -t {t} -c lz4:0,lz4:2,zstd:3,gzip:9 --scores-dir {d}/runs"
        ),
        None,
    );
    assert!(out.status.success(), "{}", stderr(&out));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(json["budget"], "top 10%");
    let labels: Vec<&str> = json["runs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["label"].as_str().unwrap())
        .collect();
    assert_eq!(labels, ["lz4 0", "lz4 2", "zstd 3", "gzip 9"]);
    // LZ4's levels 0-2 are one compressor; a run is itself.
    assert_eq!(json["spearman"][0][1], 1.0);
    assert_eq!(json["kept_both"][2][2], json["runs"][2]["kept"]);
    assert!(json["spearman"][0][2].as_f64().unwrap() < 1.0);
    // Each run's scores are the ones `zipfit score` writes, and the matrix is `zipfit compare`'s.
    for (name, level, file) in [("zstd", "3", "zstd-3"), ("gzip", "9", "gzip-9")] {
        let scores = dir.join(format!("{name}.jsonl"));
        let score = zipfit(
            &format!(
                "score -q -s {s} -t {t} -c {name} -l {level} --scores {}",
                scores.display()
            ),
            None,
        );
        assert!(score.status.success(), "{}", stderr(&score));
        let swept = std::fs::read(dir.join(format!("runs/scores-{file}.jsonl"))).unwrap();
        assert_eq!(swept, std::fs::read(&scores).unwrap(), "{name} {level}");
    }
    let compared = zipfit(
        &format!("compare --json --top-percent 10 {d}/zstd.jsonl {d}/gzip.jsonl"),
        None,
    );
    let compared: serde_json::Value = serde_json::from_slice(&compared.stdout).unwrap();
    assert_eq!(json["spearman"][2][3], compared["spearman"]);
    assert_eq!(json["kept_both"][2][3], compared["kept_both"]);
    // One level is not a sweep; a level the library does not have is refused.
    let one = zipfit(&format!("sweep -s {s} -t {t} -c lzma"), None);
    assert_eq!(one.status.code(), Some(2));
    assert!(
        stderr(&one).contains("two levels or more"),
        "{}",
        stderr(&one)
    );
    let bad = zipfit(&format!("sweep -s {s} -t {t} -c zstd --levels 3,30"), None);
    assert_eq!(bad.status.code(), Some(2));
    assert!(
        stderr(&bad).contains("zstd level must be -7 to -1 and 1-22, not 30"),
        "{}",
        stderr(&bad)
    );
}
