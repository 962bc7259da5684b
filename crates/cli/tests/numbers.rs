//! Every number a user types is checked before any file is read: the budget flags by the
//! core's one rule (`select::BudgetError`), with the value and the allowed range in the
//! message, exit code 2, and no output file.

mod common;

use common::{ok, root, zipfit};

/// The flag, a value and, for a value refused, what the message must say.
const CASES: &[(&str, &str, Option<&str>)] = &[
    ("--top", "0", None),
    ("--top", "400", None),
    ("--top", "100000", None),
    (
        "--top",
        "-1",
        Some("-1 is not a count of records: a count is a whole number from 0 up"),
    ),
    ("--top", "2.5", Some("2.5 is not a count of records")),
    ("--top", "", Some("\"\" is not a count of records")),
    ("--top", "ten", Some("ten is not a count of records")),
    ("--top-percent", "0", None),
    ("--top-percent", "100", None),
    (
        "--top-percent",
        "100.5",
        Some("100.5 is not a percent: a percent is a number from 0 to 100"),
    ),
    ("--top-percent", "150", Some("150 is not a percent")),
    ("--top-percent", "-5", Some("-5 is not a percent")),
    ("--top-percent", "nan", Some("nan is not a percent")),
    ("--top-percent", "inf", Some("inf is not a percent")),
    ("--token-budget", "0", None),
    (
        "--token-budget",
        "-3",
        Some("-3 is not a token budget: a token budget is a whole number from 0 up"),
    ),
    ("--token-budget", "1e3", Some("1e3 is not a token budget")),
    ("--threshold", "0.2", None),
    ("--threshold", "-1.5", None),
    (
        "--threshold",
        "nan",
        Some("nan is not a score threshold: a threshold is a finite number"),
    ),
    ("--threshold", "inf", Some("inf is not a score threshold")),
    ("--threshold", "-inf", Some("-inf is not a score threshold")),
    ("--threshold", "x", Some("x is not a score threshold")),
    ("--dedup", "0", Some("0 is not a similarity in (0, 1]")),
    ("--dedup", "1.5", Some("1.5 is not a similarity in (0, 1]")),
];

#[test]
fn budgets_are_checked_before_any_file_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let example = root().join("www/example");
    let target = example.join("target.jsonl");
    for (k, &(flag, value, refused)) in CASES.iter().enumerate() {
        let out = dir.path().join(format!("kept-{k}.jsonl"));
        // A source that does not exist: a refused number must be caught before it.
        let source = match refused {
            Some(_) => dir.path().join("no-such-source.jsonl"),
            None => example.join("source.jsonl"),
        };
        let value = format!("{flag}={value}");
        let args = [
            "score".as_ref(),
            "--quiet".as_ref(),
            "-s".as_ref(),
            source.as_os_str(),
            "-t".as_ref(),
            target.as_os_str(),
            "-c".as_ref(),
            "lz4".as_ref(),
            value.as_ref(),
            "-o".as_ref(),
            out.as_os_str(),
        ];
        match refused {
            None => {
                ok(zipfit(&args));
                assert!(out.exists(), "{value}");
            }
            Some(said) => {
                let run = zipfit(&args);
                let stderr = String::from_utf8_lossy(&run.stderr);
                assert_eq!(run.status.code(), Some(2), "{value}: {stderr}");
                assert!(stderr.contains(said), "{value}: {stderr}");
                assert!(!out.exists(), "{value} wrote {}", out.display());
            }
        }
    }
}

#[test]
fn a_threshold_that_keeps_nothing_says_where_the_scores_are() {
    let example = root().join("www/example");
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("kept.jsonl");
    let run = ok(zipfit(&[
        "score".as_ref(),
        "-s".as_ref(),
        example.join("source.jsonl").as_os_str(),
        "-t".as_ref(),
        example.join("target.jsonl").as_os_str(),
        "--threshold".as_ref(),
        "0.99".as_ref(),
        "-o".as_ref(),
        out.as_os_str(),
    ]));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.contains("kept 0 of 400 records (score > 0.99)"),
        "{stderr}"
    );
    assert!(stderr.contains("; the scores lie in [0."), "{stderr}");
}

#[test]
fn explain_refuses_a_record_or_target_outside_the_files() {
    let example = root().join("www/example");
    let (source, target) = (example.join("source.jsonl"), example.join("target.jsonl"));
    let explain = |flags: &[&str]| {
        let mut args = vec![
            "explain".into(),
            "-s".into(),
            source.clone().into_os_string(),
        ];
        args.extend(["-t".into(), target.clone().into_os_string()]);
        args.extend(flags.iter().map(|&f| f.into()));
        zipfit::<std::ffi::OsString>(&args)
    };
    let cases: [(&[&str], &str); 4] = [
        (&["--record", "400"], "--record 400: "),
        (&["--record", "-1"], "-1"),
        (&["--record", "ten"], "ten"),
        (
            &["--record", "3", "--with-target", "20"],
            "--with-target 20: there are 20 targets",
        ),
    ];
    for (flags, said) in cases {
        let run = explain(flags);
        let stderr = String::from_utf8_lossy(&run.stderr);
        assert!(!run.status.success(), "{flags:?}");
        assert!(stderr.contains(said), "{flags:?}: {stderr}");
    }
    let last = explain(&["--record", "400"]);
    assert!(String::from_utf8_lossy(&last.stderr).contains("has 400 records (indexes 0 to 399)"));
    ok(explain(&["--record", "399", "--with-target", "19"]));
}
