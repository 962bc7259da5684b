//! A source of several files (a dataset's shards) read as one: the same scores and
//! downloads as the one file they were cut from, and places that name the file.

use super::*;

/// Sixty records, a bad line and a blank line, each line ending in `\n`.
fn lines() -> Vec<String> {
    let mut lines: Vec<String> = (0..60)
        .map(|i| match i % 3 {
            0 => format!("{{\"text\":\"def f{i}(a):\\n    return a * {i}\",\"origin\":\"code\"}}"),
            1 => format!("{{\"text\":\"plain prose, number {i}.\",\"origin\":\"prose\"}}"),
            _ => format!("{{\"text\":\"x = [{i}, {i}, {i}]\",\"origin\":\"code\"}}"),
        })
        .collect();
    lines.insert(31, "not json".to_string());
    lines.insert(40, String::new());
    lines
}

const TARGETS: &[u8] = b"{\"text\":\"def g(b):\\n    return b - 1\"}\n{\"text\":\"y = [1, 2]\"}\n";

fn joined(lines: &[String], last_newline: bool) -> Vec<u8> {
    let mut bytes = lines.join("\n").into_bytes();
    if last_newline && !lines.is_empty() {
        bytes.push(b'\n');
    }
    bytes
}

/// The one file, and the same lines as three files: the first without its last `\n`,
/// the second empty.
fn one_and_three() -> (Vec<u8>, [Vec<u8>; 3]) {
    let lines = lines();
    (
        joined(&lines, true),
        [
            joined(&lines[..25], false),
            Vec::new(),
            joined(&lines[25..], true),
        ],
    )
}

fn with_targets(mut session: Session) -> Session {
    session
        .load_target("t.jsonl", TARGETS.to_vec(), "", false)
        .unwrap();
    session
}

#[wasm_bindgen_test]
fn jsonl_shards_score_and_download_as_the_one_file_and_name_their_files() {
    let (one, [a, b, c]) = one_and_three();
    let mut whole = Session::new();
    let read = stream(&mut whole, &one, 7, "", true);
    let mut whole = with_targets(whole);
    let mut shards = Session::new();
    let files = [
        ("d/a.jsonl", &a[..]),
        ("d/b.jsonl", &b[..]),
        ("d/c.jsonl", &c[..]),
    ];
    let read_shards = stream_files(&mut shards, "d", &files, 7, "", true);
    let mut shards = with_targets(shards);

    assert_eq!(
        (read_shards.records, read_shards.skipped),
        (read.records, read.skipped)
    );
    let counts: Vec<(String, usize)> = (read_shards.files.iter())
        .map(|f| (f.name.clone(), f.records))
        .collect();
    assert_eq!(
        counts,
        [
            ("d/a.jsonl".into(), 25),
            ("d/b.jsonl".into(), 0),
            ("d/c.jsonl".into(), 35)
        ]
    );
    // The bad line is line 32 of the one file and line 7 of the third shard.
    assert_eq!(read.issues[0].line, 32);
    assert_eq!(
        (
            read_shards.issues[0].file.as_str(),
            read_shards.issues[0].line
        ),
        ("d/c.jsonl", 7)
    );

    for compressor in ["gzip", "dsir"] {
        assert_eq!(
            run(&mut whole, compressor, false),
            run(&mut shards, compressor, false)
        );
    }
    for kind in ["selected", "rejected", "skipped"] {
        assert_eq!(
            download(&mut whole, kind, 17, false),
            download(&mut shards, kind, 17, false)
        );
    }
    assert_eq!(
        download(&mut whole, "selected", 17, true),
        download(&mut shards, "selected", 17, true)
    );

    // Scores name each record's file and its line there.
    let scores = String::from_utf8(download(&mut shards, "scores.jsonl", 0, false)).unwrap();
    let rows: Vec<serde_json::Value> = scores
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 60);
    assert_eq!(
        (rows[24]["file"].as_str(), rows[24]["line"].as_u64()),
        (Some("d/a.jsonl"), Some(25))
    );
    assert_eq!(
        (rows[25]["file"].as_str(), rows[25]["line"].as_u64()),
        (Some("d/c.jsonl"), Some(1))
    );
    let csv = String::from_utf8(download(&mut shards, "scores.csv", 0, false)).unwrap();
    assert!(
        csv.starts_with("index,file,line,score,rank\n0,d/a.jsonl,1,"),
        "{csv}"
    );
    let row = |s: &Session, i: usize| {
        rows::row(
            s.source.as_ref().unwrap(),
            0,
            i,
            0.0,
            &serde_json::Value::Null,
        )
    };
    assert_eq!(
        (row(&shards, 30).file, row(&shards, 30).line),
        (Some("d/c.jsonl".to_string()), 6)
    );
    assert_eq!((row(&whole, 30).file, row(&whole, 30).line), (None, 31));
}

#[wasm_bindgen_test]
fn a_bad_line_in_a_shard_is_named_by_its_file_and_line() {
    let (_, [a, b, c]) = one_and_three();
    let mut session = Session::new();
    let files = [
        ("a.jsonl", &a[..]),
        ("b.jsonl", &b[..]),
        ("c.jsonl", &c[..]),
    ];
    let read = stream_files(&mut session, "3 files", &files, 1 << 20, "", false);
    let error = read.error.unwrap();
    assert!(error.contains("c.jsonl:7"), "{error}");
    assert_eq!(read.error_line, Some(7));
}

#[wasm_bindgen_test]
fn parquet_shards_score_and_download_as_the_one_file() {
    let bytes = bytes::Bytes::from_static(include_bytes!("../../testdata/example-zstd.parquet"));
    let rows = zipfit_core::parquet::ParquetFile::from_bytes("e.parquet", &bytes)
        .unwrap()
        .rows() as u32;
    let cut = |range: std::ops::Range<u32>| {
        let mut out = Vec::new();
        let indices: Vec<u32> = range.collect();
        zipfit_core::parquet::write_rows("e.parquet", bytes.clone(), &indices, &mut out).unwrap();
        out
    };
    let (first, second) = (cut(0..20), cut(20..rows));
    let stream_parquet = |files: &[(&str, &[u8])]| {
        let mut session = Session::new();
        session.source_begin("p", "", false);
        for &(name, file) in files {
            let groups = session.source_file(blob(file), name, "parquet").unwrap();
            for group in 0..groups {
                assert!(session.source_parquet_scan(group));
            }
            session.source_file_end(blob(file)).unwrap();
        }
        let read = summary(session.source_end().unwrap());
        assert_eq!((read.records, read.error), (rows as usize, None));
        with_targets(session)
    };
    let mut whole = stream_parquet(&[("e.parquet", &bytes[..])]);
    let mut shards = stream_parquet(&[("p/0.parquet", &first[..]), ("p/1.parquet", &second[..])]);
    assert_eq!(
        run(&mut whole, "lz4", false),
        run(&mut shards, "lz4", false)
    );
    let texts = |file: Vec<u8>| {
        let read =
            zipfit_core::parquet::read_texts("d.parquet", file.into(), &FieldPath::new("text"));
        read.unwrap()
            .texts
            .into_iter()
            .map(Result::unwrap)
            .collect::<Vec<String>>()
    };
    let kept = texts(download(&mut whole, "selected", 30, false));
    assert_eq!(kept.len(), 30);
    assert_eq!(kept, texts(download(&mut shards, "selected", 30, false)));
    assert_eq!(session_text(&shards, 25), session_text(&whole, 25));
}

fn session_text(session: &Session, index: usize) -> String {
    session.source.as_ref().unwrap().text(index).unwrap()
}
