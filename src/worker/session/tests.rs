//! The worker's session driven as `www/worker.js` drives it, in a dedicated worker.

use super::*;
use js_sys::Array;
use zipfit_core::compare;
use zipfit_core::compress::{Backend, Compressor};
use zipfit_core::dsir;
use zipfit_core::export;
use zipfit_core::jsonl::{Corpus, FieldPath, ReadOptions};
use zipfit_core::score::{Method, Targets};
use zipfit_core::select::{self, Budget};
use zipfit_core::stability::{self, Folds};
use zipfit_core::tokens::TokenEstimate;

use crate::protocol::{Compared, Cut, FileSummary, RowView, StoredRun};
use crate::worker::to_js;
use wasm_bindgen_test::*;

// FileReaderSync, which reads the source back, exists only in workers.
wasm_bindgen_test_configure!(run_in_dedicated_worker);

mod shards;

const SOURCE: &[u8] =
    b"{\"text\":\"def add(a, b):\\n    return a + b\\n\",\"origin\":\"python\"}\r\n\
{\"text\":\"The quick brown fox jumps over the lazy dog.\",\"origin\":\"doc\"}\n\
not json\n\
\n\
{\"text\":\"def mul(a, b):\\n    return a * b\\n\",\"origin\":\"python\"}\n";
const TARGET: &[u8] = b"{\"text\":\"def sub(a, b):\\n    return a - b\\n\"}\n";

fn summary(value: JsValue) -> FileSummary {
    serde_wasm_bindgen::from_value(value).unwrap()
}

fn blob(bytes: &[u8]) -> Blob {
    Blob::new_with_u8_array_sequence(&Array::of1(&Uint8Array::from(bytes))).unwrap()
}

/// Streams `bytes` into the session as the source, `piece` bytes at a time.
fn stream(
    session: &mut Session,
    bytes: &[u8],
    piece: usize,
    field: &str,
    skip: bool,
) -> FileSummary {
    stream_files(
        session,
        "s.jsonl",
        &[("s.jsonl", bytes)],
        piece,
        field,
        skip,
    )
}

/// Streams the JSONL `files` (name and bytes) into the session as the source `name`,
/// one after the other, `piece` bytes at a time, as `www/worker.js` does.
fn stream_files(
    session: &mut Session,
    name: &str,
    files: &[(&str, &[u8])],
    piece: usize,
    field: &str,
    skip: bool,
) -> FileSummary {
    session.source_begin(name, field, skip);
    for &(file, bytes) in files {
        session.source_file(blob(bytes), file, "jsonl").unwrap();
        let mut going = true;
        for part in bytes.chunks(piece) {
            going = session.source_scan(part);
            if !going {
                break;
            }
        }
        session.source_file_end(blob(bytes)).unwrap();
        if !going {
            break;
        }
    }
    summary(session.source_end().unwrap())
}

/// Identifies the one file `bytes` as the input `role`.
fn identify(session: &mut Session, role: &str, bytes: &[u8], name: &str, modified: f64) {
    session
        .identify(
            role,
            Array::of1(&blob(bytes)),
            vec![name.to_string()],
            vec![modified],
        )
        .unwrap();
}

fn download(session: &mut Session, kind: &str, count: usize, input_order: bool) -> Vec<u8> {
    session.export_begin(kind, count, input_order).unwrap();
    let mut out = Vec::new();
    // Tiny parts, so that a download takes many.
    while session.export_next(16).unwrap() > 0 {
        out.extend(session.export_part().to_vec());
    }
    out
}

#[wasm_bindgen_test]
fn exact_lengths_in_wasm() {
    // Reference values from Python: len(gzip.compress(b, L)) and len(lz4.frame.compress(b)).
    let text = b"hello world hello world hello world hello world";
    let mut gzip =
        zipfit_core::compress::Lengths::new(Compressor::Gzip { level: 9 }, Backend::Model);
    let mut lz4 = zipfit_core::compress::Lengths::new(Compressor::Lz4, Backend::Model);
    assert_eq!(gzip.len(b""), 20);
    assert_eq!(lz4.len(text), 45);
    assert_eq!(lz4.len(b""), 11);
}

#[wasm_bindgen_test]
fn bad_line_is_reported_then_skipped_and_kept() {
    let mut session = Session::new();
    for piece in [1, 7, 1 << 20] {
        let first = stream(&mut session, SOURCE, piece, "", false);
        assert_eq!(
            first.error.as_deref(),
            Some("s.jsonl:3: not valid JSON: expected ident at line 1 column 2")
        );
        assert_eq!(first.error_line, Some(3));
        let skipped = stream(&mut session, SOURCE, piece, "text", true);
        assert_eq!(skipped.error, None);
        assert_eq!(
            (skipped.records, skipped.skipped, skipped.blank_lines),
            (3, 1, 1)
        );
        assert_eq!(skipped.short_keys, vec!["origin".to_string()]);
        assert_eq!(download(&mut session, "skipped", 0, false), b"not json\n");
    }
}

/// Scores the whole source with `compressor`; returns the scores.
fn run(session: &mut Session, compressor: &str, stability: bool) -> Vec<f64> {
    let steps = session.prepare(compressor, 9, stability, "").unwrap();
    while session.score_batch(1).unwrap() < steps {}
    let records = session.finish().unwrap();
    let scores = session
        .scores(session.results.runs.shown_index())
        .unwrap()
        .to_vec();
    assert_eq!(scores.len(), records);
    scores
}

#[wasm_bindgen_test]
fn runs_are_kept_compared_and_explained_as_in_the_core() {
    let source: Vec<u8> = (0..40)
        .map(|i| {
            format!(
                "{{\"text\":\"def f{i}(a):\\n    return a * {i} + {}\"}}\n",
                "z".repeat(i % 7)
            )
        })
        .chain((0..20).map(|i| {
            format!(
                "{{\"text\":\"plain prose number {i}, {}\"}}\n",
                "words ".repeat(i % 5)
            )
        }))
        .collect::<String>()
        .into_bytes();
    let target: Vec<u8> = (0..6)
        .map(|i| format!("{{\"text\":\"def g{i}(b):\\n    return b - {i}\"}}\n"))
        .collect::<String>()
        .into_bytes();
    let mut session = Session::new();
    stream(&mut session, &source, 97, "text", false);
    session
        .load_target("t.jsonl", target.clone(), "", false)
        .unwrap();
    let options = ReadOptions::default();
    let corpus = Corpus::from_bytes("s.jsonl", source.clone(), &options).unwrap();
    let texts = Corpus::from_bytes("t.jsonl", target, &options)
        .unwrap()
        .texts()
        .unwrap();

    // Stability: the worker's figures are the core's on the same fold sums.
    let lz4 = run(&mut session, "lz4", true);
    let method = Method {
        compressor: Compressor::Lz4,
        backend: Backend::Model,
    };
    let folds = Folds::new(texts.len(), stability::SEED);
    let never = std::sync::atomic::AtomicBool::new(false);
    let (scores, sums) = zipfit_core::score::score_corpus_folds(
        &corpus,
        &Targets::new(texts.clone(), method),
        &folds,
        &mut |_, _| {},
        &never,
    )
    .unwrap();
    assert_eq!(lz4, scores);
    let budget = Budget::Count(10);
    let tokens: Vec<u32> = corpus.records().iter().map(|r| r.tokens).collect();
    let expected = stability::report(&scores, &sums, &folds, budget, |i| tokens[i] as u64).unwrap();
    let budget_js = to_js(&budget).unwrap();
    let report: stability::Report =
        serde_wasm_bindgen::from_value(session.stability(0, budget_js.clone()).unwrap()).unwrap();
    assert_eq!(report, expected);

    // DSIR in two passes over batches equals the core's one-shot fit.
    let dsir = run(&mut session, "dsir", false);
    assert_eq!(dsir, dsir::score_corpus(&corpus, &texts).unwrap());
    assert!(
        session.stability(1, budget_js.clone()).is_err(),
        "DSIR keeps no folds"
    );
    assert!(session.explain(0).is_err(), "DSIR has no per-target terms");

    // The two runs compared: the core's figures, and A's own records downloaded.
    let compared: Compared =
        serde_wasm_bindgen::from_value(session.compare(0, 1, budget_js).unwrap()).unwrap();
    let core = compare::compare(&lz4, &dsir, budget, |i| tokens[i] as u64);
    assert_eq!(compared.spearman, core.spearman);
    assert_eq!(
        (
            compared.kept_a,
            compared.kept_b,
            compared.kept_both,
            compared.only_a
        ),
        (core.kept_a, core.kept_b, core.kept_both, core.only_a.len())
    );
    assert_eq!(compared.density.counts.iter().sum::<u32>(), 60);
    let mut expected = Vec::new();
    export::write_lines(&corpus, &core.only_a, &mut expected).unwrap();
    assert_eq!(download(&mut session, "only-a", 0, false), expected);
    let rows: Vec<RowView> =
        serde_wasm_bindgen::from_value(session.compared_rows("b", 0, 3).unwrap()).unwrap();
    assert_eq!(rows[0].index, core.only_b[0] as usize);
    assert_eq!(rows[0].score, dsir[rows[0].index]);

    // Showing the first run again: its rows and its explanation.
    session.show(0).unwrap();
    assert!(session.explain(0).is_ok());
    assert!(session.show(2).is_err());
}

#[wasm_bindgen_test]
fn scores_rank_and_export_original_lines() {
    let mut session = Session::new();
    stream(&mut session, SOURCE, 5, "text", true);
    session
        .load_target("t.jsonl", TARGET.to_vec(), "", false)
        .unwrap();
    assert_eq!(session.prepare("gzip", 9, false, "").unwrap(), 3);
    assert_eq!(session.score_batch(2).unwrap(), 2);
    assert_eq!(session.score_batch(10).unwrap(), 3);
    assert_eq!(session.finish().unwrap(), 3);
    let scores = session.scores(0).unwrap().to_vec();
    assert!(scores[0] > scores[1] && scores[2] > scores[1], "{scores:?}");
    let rows: Vec<RowView> =
        serde_wasm_bindgen::from_value(session.rows(2, 1, false).unwrap()).unwrap();
    assert_eq!(rows[0].index, 1, "the prose record ranks last");
    let first_line = &SOURCE[..SOURCE.iter().position(|&b| b == b'\n').unwrap()];
    let last_line = b"{\"text\":\"def mul(a, b):\\n    return a * b\\n\",\"origin\":\"python\"}";
    let kept = download(&mut session, "selected", 2, true);
    let mut expected = first_line.to_vec();
    expected.push(b'\n');
    expected.extend_from_slice(last_line);
    expected.push(b'\n');
    assert_eq!(kept, expected);
    // Line numbers count the skipped and the blank line.
    let csv = String::from_utf8(download(&mut session, "scores.csv", 2, true)).unwrap();
    let lines: Vec<&str> = csv
        .lines()
        .map(|row| row.split(',').nth(1).unwrap())
        .collect();
    assert_eq!(lines, vec!["line", "1", "2", "5"]);
    assert_eq!(
        session.text(2).unwrap(),
        "def mul(a, b):\n    return a * b\n"
    );
    // The cut: what the selection view draws, computed here.
    let two = to_js(&Budget::Count(2)).unwrap();
    let cut: Cut =
        serde_wasm_bindgen::from_value(session.cut(two.clone(), "origin").unwrap()).unwrap();
    assert_eq!((cut.records, cut.kept), (3, 2));
    assert_eq!(cut.cut_score, Some(scores[0].min(scores[2])));
    assert_eq!(cut.counts.iter().sum::<u32>(), 3);
    assert_eq!(cut.kept_counts.iter().sum::<u32>(), 2);
    assert_eq!(
        cut.breakdown.unwrap(),
        vec![("python".to_string(), 2, 2), ("doc".to_string(), 0, 1)]
    );
    // Another field is read from the file again.
    let cut: Cut = serde_wasm_bindgen::from_value(session.cut(two, "text").unwrap()).unwrap();
    assert_eq!(cut.breakdown.unwrap().len(), 3);
}

#[wasm_bindgen_test]
fn gzip_source_is_read_in_memory() {
    let mut session = Session::new();
    let mut gz = vec![0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 255];
    gz.extend(miniz_oxide::deflate::compress_to_vec(SOURCE, 6));
    gz.extend(crc32fast::hash(SOURCE).to_le_bytes());
    gz.extend((SOURCE.len() as u32).to_le_bytes());
    let read = summary(session.source_gzip("s.jsonl.gz", gz, "text", true).unwrap());
    assert_eq!(
        (read.records, read.skipped, read.bytes),
        (3, 1, SOURCE.len() as u64)
    );
    assert!(session.source_in_memory());
    let again = summary(session.source_reread("origin", false).unwrap());
    assert_eq!(again.error_line, Some(3));
}

#[wasm_bindgen_test]
fn parquet_with_zstd_reads_and_writes_in_wasm() {
    // zstd is the C library, compiled for wasm32 with clang: this runs it in Chromium.
    // The file was written by pyarrow (zstd, data pages v2, row groups of 16 rows).
    let bytes = bytes::Bytes::from_static(include_bytes!("../testdata/example-zstd.parquet"));
    let want: Vec<String> =
        serde_json::from_str(include_str!("../testdata/example-zstd.texts.json")).unwrap();
    let text = FieldPath::new("text");
    let read =
        zipfit_core::parquet::read_texts("example-zstd.parquet", bytes.clone(), &text).unwrap();
    let got: Vec<String> = read.texts.into_iter().map(Result::unwrap).collect();
    assert_eq!(got, want);
    assert_eq!(read.row_group_starts, vec![0, 16, 32]);
    // Written back (compressed with zstd, here) and read again: those rows, in that order.
    let mut kept = Vec::new();
    zipfit_core::parquet::write_rows("example-zstd.parquet", bytes, &[5, 0, 40], &mut kept)
        .unwrap();
    let again = zipfit_core::parquet::read_texts("kept.parquet", kept.into(), &text).unwrap();
    let again: Vec<String> = again.texts.into_iter().map(Result::unwrap).collect();
    assert_eq!(
        again,
        vec![want[5].clone(), want[0].clone(), want[40].clone()]
    );
}

#[wasm_bindgen_test]
fn parquet_of_every_codec_by_two_writers_reads_and_writes_in_wasm() {
    // Written by tests/reference/parquet_codecs.py: the same texts by pyarrow and DuckDB,
    // in every codec, each as a column, a struct path and a chat list.
    macro_rules! files {
        ($($name:literal),*) => {
            [$(($name, &include_bytes!(concat!("../testdata/codecs/", $name))[..])),*]
        };
    }
    let files = files!(
        "pyarrow-none.parquet",
        "pyarrow-snappy.parquet",
        "pyarrow-gzip.parquet",
        "pyarrow-zstd.parquet",
        "pyarrow-brotli.parquet",
        "pyarrow-lz4.parquet",
        "duckdb-uncompressed.parquet",
        "duckdb-snappy.parquet",
        "duckdb-gzip.parquet",
        "duckdb-zstd.parquet",
        "duckdb-brotli.parquet",
        "duckdb-lz4.parquet"
    );
    let want: Vec<String> =
        serde_json::from_str(include_str!("../testdata/codecs/texts.json")).unwrap();
    let chat: Vec<String> = want.iter().map(|t| format!("Complete:\n{t}")).collect();
    for (name, bytes) in files {
        let bytes = bytes::Bytes::from_static(bytes);
        for (field, expected) in [("text", &want), ("meta.body", &want), ("messages", &chat)] {
            let read =
                zipfit_core::parquet::read_texts(name, bytes.clone(), &FieldPath::new(field))
                    .unwrap_or_else(|e| panic!("{name} {field}: {e}"));
            let got: Vec<String> = read.texts.into_iter().map(Result::unwrap).collect();
            assert_eq!(&got, expected, "{name} {field}");
        }
        // Written back with each column's codec, and read again.
        let mut kept = Vec::new();
        zipfit_core::parquet::write_rows(name, bytes, &[23, 0, 7], &mut kept).unwrap();
        let again =
            zipfit_core::parquet::read_texts("kept.parquet", kept.into(), &FieldPath::new("text"))
                .unwrap();
        let again: Vec<String> = again.texts.into_iter().map(Result::unwrap).collect();
        assert_eq!(
            again,
            [want[23].clone(), want[0].clone(), want[7].clone()],
            "{name} written back"
        );
    }
}

/// A session with `source` and `target` read and identified as the worker does it.
/// Reads the stored run `file` into `session` as `www/worker.js` does: its head, then
/// the rest in small pieces.
fn read_stored(session: &mut Session, file: &[u8]) -> Result<(), JsError> {
    let from = session.stored_begin("run", &file[..file.len().min(1000)])?;
    for piece in file[from..].chunks(37) {
        session.stored_piece(piece)?;
    }
    Ok(())
}

fn identified(source: &[u8], target: &[u8]) -> Session {
    let mut session = Session::new();
    identify(&mut session, "source", source, "s.jsonl", 1.0);
    stream(&mut session, source, 1 << 20, "", false);
    identify(&mut session, "target", target, "t.jsonl", 2.0);
    summary(
        session
            .load_target("t.jsonl", target.to_vec(), "", false)
            .unwrap(),
    );
    session
}

#[wasm_bindgen_test]
fn a_stored_run_comes_back_and_an_interrupted_one_resumes_to_the_same_scores() {
    let source: Vec<u8> = (0..30)
        .map(|i| {
            format!(
                "{{\"text\":\"def f{i}(a):\\n    return a * {i} + {}\"}}\n",
                "y".repeat(i % 5)
            )
        })
        .collect::<String>()
        .into_bytes();
    let target = b"{\"text\":\"def g(b):\\n    return b - 1\"}\n{\"text\":\"prose, mostly\"}\n\
{\"text\":\"def h(c): pass\"}\n";
    for (compressor, stability) in [("gzip", true), ("lz4", false), ("dsir", false)] {
        // One uninterrupted run, and what was stored of it batch by batch.
        let mut session = identified(&source, target);
        let steps = session.prepare(compressor, 9, stability, "a run").unwrap();
        let mut file = session.stored_header();
        let header = file.len();
        assert!(header > 0);
        // Where the file ends after its first batch.
        let mut cut = 0;
        while session.score_batch(4).unwrap() < steps {
            file.extend(session.stored_line());
            if cut == 0 && file.len() > header {
                cut = file.len();
            }
        }
        file.extend(session.stored_line());
        session.finish().unwrap();
        let whole = session.scores(0).unwrap().to_vec();

        // A new session over the same files reads the finished run back, unscored.
        let mut again = identified(&source, target);
        let listed: StoredRun =
            serde_wasm_bindgen::from_value(again.describe_stored(&file[..header]).unwrap())
                .unwrap();
        assert!(listed.current);
        assert_eq!(listed.method.label, "a run");
        read_stored(&mut again, &file).unwrap();
        again.restore_end().unwrap();
        assert_eq!(
            again.scores(0).unwrap().to_vec(),
            whole,
            "{compressor} restored"
        );

        // Interrupted (with a batch torn in half): resumed, it ends with the same scores.
        let mut torn = file[..cut].to_vec();
        torn.extend_from_slice(&file[cut..cut + 9]);
        let mut resumed = identified(&source, target);
        let steps = resumed.prepare(compressor, 9, stability, "a run").unwrap();
        read_stored(&mut resumed, &torn).unwrap();
        let from = resumed.resume_end().unwrap();
        let good = js_sys::Reflect::get(&from, &"good".into())
            .unwrap()
            .as_f64()
            .unwrap();
        assert_eq!(good as usize, cut, "the torn batch is cut off");
        while resumed.score_batch(4).unwrap() < steps {}
        resumed.finish().unwrap();
        assert_eq!(
            resumed.scores(0).unwrap().to_vec(),
            whole,
            "{compressor} resumed"
        );

        // Another file of the same name and size is not the stored one's.
        let mut edited = source.clone();
        edited[12] = b'g';
        let other = identified(&edited, target);
        let listed: StoredRun =
            serde_wasm_bindgen::from_value(other.describe_stored(&file).unwrap()).unwrap();
        assert!(!listed.current);
        let mut other = other;
        assert!(read_stored(&mut other, &file).is_err());
    }
}

/// `n` records of a few kinds (the `kind` field labels them), many scoring alike.
fn generated_source(n: usize) -> Vec<u8> {
    (0..n)
        .map(|i| match i % 4 {
            0 => format!(
                "{{\"text\":\"def f{}(a):\\n    return a - {i}\",\"kind\":\"code\"}}\n",
                i % 13
            ),
            1 => format!(
                "{{\"text\":\"note {} of the log\",\"kind\":\"prose\"}}\n",
                i % 7
            ),
            2 => format!(
                "{{\"text\":\"x = {i} * y + {}\",\"kind\":\"math\"}}\n",
                "z".repeat(i % 9)
            ),
            _ => format!("{{\"text\":\"def g(b): return b\",\"kind\":\"code\",\"n\":{i}}}\n"),
        })
        .collect::<String>()
        .into_bytes()
}

/// Everything a scored run shows and downloads: cuts at every kind of budget (as JSON),
/// rows, and every download of it.
fn everything(session: &mut Session, records: usize) -> Vec<Vec<u8>> {
    let scores = session.scores(0).unwrap().to_vec();
    let mut sorted = scores.clone();
    sorted.sort_by(f64::total_cmp);
    let budgets = [
        Budget::All,
        Budget::Count(0),
        Budget::Count(1234),
        Budget::Percent(12.5),
        Budget::Tokens(20_000),
        Budget::Threshold(sorted[records / 3]),
    ];
    let mut out = Vec::new();
    for budget in budgets {
        let cut = session.cut(to_js(&budget).unwrap(), "kind").unwrap();
        out.push(String::from(js_sys::JSON::stringify(&cut).unwrap()).into_bytes());
    }
    for start in [0, 1400, records - 5] {
        let rows = session.rows(start, 30, false).unwrap();
        out.push(String::from(js_sys::JSON::stringify(&rows).unwrap()).into_bytes());
    }
    for (kind, input_order) in [
        ("selected", false),
        ("selected", true),
        ("rejected", true),
        ("scores.csv", true),
        ("scores.jsonl", true),
    ] {
        out.push(download(session, kind, 2345, input_order));
    }
    // A token budget counted by a model (here words), read from the top only as far as needed.
    session.set_counter("words", "", &[]).unwrap();
    for limit in [10, 30_000, 1 << 40] {
        let cut = session
            .cut(to_js(&Budget::Tokens(limit)).unwrap(), "")
            .unwrap();
        out.push(String::from(js_sys::JSON::stringify(&cut).unwrap()).into_bytes());
    }
    session.set_counter("bytes", "", &[]).unwrap();
    out
}

#[wasm_bindgen_test]
async fn columns_in_files_give_what_columns_in_memory_give_and_the_core_ranks() {
    let records = 10_000;
    let source = generated_source(records);
    let target = b"{\"text\":\"def h(c):\\n    return c - 1\"}\n{\"text\":\"a note\"}\n";
    let mut outputs = Vec::new();
    for in_files in [false, true] {
        let taken = crate::worker::column::tests::take_files();
        if in_files {
            crate::worker::column::tests::add_files(16).await;
        }
        let mut session = identified(&source, target);
        let steps = session.prepare("lz4", 9, false, "").unwrap();
        while session.score_batch(777).unwrap() < steps {}
        session.finish().unwrap();
        // The columns are in files exactly when files were at hand.
        let run = session.results.runs.get(0).unwrap();
        assert_eq!(run.scores.in_file(), in_files);
        assert_eq!(run.order.in_file(), in_files);
        assert_eq!(
            session.source.as_ref().unwrap().tokens().in_file(),
            in_files
        );
        outputs.push(everything(&mut session, records));

        // The ranking is the core's: the rows and the kept lines follow it.
        let scores = session.scores(0).unwrap().to_vec();
        let order = select::rank(&scores);
        let rows: Vec<RowView> =
            serde_wasm_bindgen::from_value(session.rows(1400, 30, false).unwrap()).unwrap();
        let indices: Vec<u32> = rows.iter().map(|r| r.index as u32).collect();
        assert_eq!(indices, order[1400..1430]);
        let lines: Vec<&[u8]> = source.split(|&b| b == b'\n').collect();
        let lines_of = |indices: &[u32]| -> Vec<u8> {
            indices
                .iter()
                .flat_map(|&i| [lines[i as usize], b"\n"].concat())
                .collect()
        };
        let (rank, input) = (export::Order::Rank, export::Order::Input);
        for (kind, count, input_order, expected) in [
            ("selected", 2345, false, export::kept(&order, 2345, rank)),
            ("selected", 2345, true, export::kept(&order, 2345, input)),
            ("rejected", 2345, true, export::rejected(&order, 2345)),
            ("selected", 0, true, Vec::new()),
            ("rejected", records, true, Vec::new()),
            ("selected", records, false, order.clone()),
        ] {
            let bytes = download(&mut session, kind, count, input_order);
            assert!(bytes == lines_of(&expected), "{kind} {count} {input_order}");
        }
        let cut: Cut = serde_wasm_bindgen::from_value(
            session
                .cut(to_js(&Budget::Percent(12.5)).unwrap(), "kind")
                .unwrap(),
        )
        .unwrap();
        assert_eq!(cut.kept, 1250);
        assert_eq!(cut.kept_counts.iter().sum::<u32>(), 1250);
        // A token budget in words cuts where the core cuts.
        session.set_counter("words", "", &[]).unwrap();
        let cut: Cut = serde_wasm_bindgen::from_value(
            session
                .cut(to_js(&Budget::Tokens(30_000)).unwrap(), "")
                .unwrap(),
        )
        .unwrap();
        let words = |i: usize| {
            let record: serde_json::Value = serde_json::from_slice(lines[i]).unwrap();
            TokenEstimate::Words.estimate(record["text"].as_str().unwrap())
        };
        let kept = select::select(&order, &scores, Budget::Tokens(30_000), words);
        assert!(kept > 1000 && kept < records, "{kept}");
        assert_eq!(cut.kept, kept);
        let tokens: u64 = order[..kept].iter().map(|&i| words(i as usize)).sum();
        assert_eq!(cut.kept_tokens, tokens);
        drop(session);
        crate::worker::column::tests::take_files();
        crate::worker::column::tests::restore_files(taken);
    }
    assert_eq!(outputs[0].len(), outputs[1].len());
    for (k, (a, b)) in outputs[0].iter().zip(&outputs[1]).enumerate() {
        assert!(
            a == b,
            "output {k} differs between columns in memory and in files"
        );
    }
}
