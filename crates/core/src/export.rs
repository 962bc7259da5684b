//! Output files: the kept records byte for byte, the scores, and everything left out.
//!
//! The CLI and the browser both write through these functions, so their files are
//! identical for the same input and scores.

use std::io::{self, Write};

use crate::jsonl::Corpus;

/// Order of the selected records in the output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Order {
    /// Best score first.
    #[default]
    Rank,
    /// As in the source file.
    Input,
}

impl std::str::FromStr for Order {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "rank" => Ok(Order::Rank),
            "input" => Ok(Order::Input),
            other => Err(format!("unknown order '{other}' (expected rank or input)")),
        }
    }
}

/// The record indices kept: the first `count` of `order`, in the requested order.
pub fn kept(order: &[u32], count: usize, output_order: Order) -> Vec<u32> {
    kept_in(&order[..count.min(order.len())], output_order)
}

/// The records `best_first` (a selection, best first) in the requested order.
pub fn kept_in(best_first: &[u32], output_order: Order) -> Vec<u32> {
    in_order(best_first.to_vec(), output_order)
}

/// The records `best_first` (a selection, best first), reordered as requested in place.
pub fn in_order(mut best_first: Vec<u32>, output_order: Order) -> Vec<u32> {
    if output_order == Order::Input {
        best_first.sort_unstable();
    }
    best_first
}

/// The records of `0..records` that are not in `kept`, in input order.
pub fn not_kept(records: usize, kept: &[u32]) -> Vec<u32> {
    let mut is_kept = vec![false; records];
    for &i in kept {
        is_kept[i as usize] = true;
    }
    (0..records as u32)
        .filter(|&i| !is_kept[i as usize])
        .collect()
}

/// Writes the original line of every record in `indices`, each followed by `\n`; for a
/// Parquet source, a Parquet file of those rows, in that order, with the source's schema
/// and codecs.
pub fn write_lines<W: Write + ?Sized>(
    corpus: &Corpus,
    indices: &[u32],
    out: &mut W,
) -> io::Result<()> {
    #[cfg(feature = "parquet")]
    if corpus.is_parquet() {
        let records = corpus.records();
        let rows: Vec<u32> = indices
            .iter()
            .map(|&i| records[i as usize].line - 1)
            .collect();
        return write_parquet_rows(corpus, &rows, out);
    }
    for &i in indices {
        write_line(out, corpus.line(i as usize))?;
    }
    Ok(())
}

/// Writes rows `rows` (0-based) of a Parquet corpus's file to `out` as Parquet. The
/// file is made in memory first, since the Parquet writer wants to own its output.
#[cfg(feature = "parquet")]
fn write_parquet_rows<W: Write + ?Sized>(
    corpus: &Corpus,
    rows: &[u32],
    out: &mut W,
) -> io::Result<()> {
    let file = corpus
        .parquet_file()
        .expect("a Parquet corpus keeps its file")
        .clone();
    let mut bytes = Vec::new();
    crate::parquet::write_rows(corpus.name(), file, rows, &mut bytes).map_err(io::Error::other)?;
    out.write_all(&bytes)
}

/// Writes one original line followed by `\n`, as every line output does.
pub fn write_line<W: Write + ?Sized>(out: &mut W, line: &[u8]) -> io::Result<()> {
    out.write_all(line)?;
    out.write_all(b"\n")
}

/// The record indices not kept: all but the first `count` of `order`, in input order.
pub fn rejected(order: &[u32], count: usize) -> Vec<u32> {
    let mut rejected = order[count.min(order.len())..].to_vec();
    rejected.sort_unstable();
    rejected
}

/// Writes the records not in the first `count` of `order`, in input order.
pub fn write_rejected<W: Write + ?Sized>(
    corpus: &Corpus,
    order: &[u32],
    count: usize,
    out: &mut W,
) -> io::Result<()> {
    write_lines(corpus, &rejected(order, count), out)
}

/// Writes the lines that were skipped as unusable, in file order.
pub fn write_skipped<W: Write + ?Sized>(corpus: &Corpus, out: &mut W) -> io::Result<()> {
    #[cfg(feature = "parquet")]
    if corpus.is_parquet() {
        let rows: Vec<u32> = corpus
            .issues()
            .iter()
            .map(|issue| issue.line as u32 - 1)
            .collect();
        return write_parquet_rows(corpus, &rows, out);
    }
    for issue in corpus.issues() {
        write_line(out, corpus.issue_line(issue))?;
    }
    Ok(())
}

/// Writes one JSON object per record in source order:
/// `{"index": i, "line": l, "score": s, "rank": r}` (index 0-based among records,
/// line 1-based in the file, rank 1-based).
pub fn write_scores_jsonl<W: Write + ?Sized>(
    corpus: &Corpus,
    scores: &[f64],
    ranks: &[u32],
    out: &mut W,
) -> io::Result<()> {
    for (i, record) in corpus.records().iter().enumerate() {
        write_score_jsonl(out, i, record.line as u64, scores[i], ranks[i])?;
    }
    Ok(())
}

/// One row of [`write_scores_jsonl`]: record `index` on file line `line`.
pub fn write_score_jsonl<W: Write + ?Sized>(
    out: &mut W,
    index: usize,
    line: u64,
    score: f64,
    rank: u32,
) -> io::Result<()> {
    writeln!(
        out,
        "{{\"index\": {index}, \"line\": {line}, \"score\": {score}, \"rank\": {rank}}}"
    )
}

/// One row of a scores file for input read from several files: [`write_score_jsonl`]'s
/// fields with the record's `file` between `index` (0-based over every file, in input
/// order) and `line` (1-based in that file).
pub fn write_score_jsonl_in_file<W: Write + ?Sized>(
    out: &mut W,
    index: usize,
    file: &str,
    line: u64,
    score: f64,
    rank: u32,
) -> io::Result<()> {
    let file = serde_json::to_string(file).map_err(io::Error::other)?;
    writeln!(
        out,
        "{{\"index\": {index}, \"file\": {file}, \"line\": {line}, \"score\": {score}, \"rank\": {rank}}}"
    )
}

/// Writes one JSON object per record left out as a near-duplicate, in walk order:
/// `{"index", "line", "duplicate_of", "duplicate_of_line", "similarity"}` (indices
/// 0-based among records, lines 1-based in the file).
pub fn write_duplicates_jsonl<W: Write + ?Sized>(
    corpus: &Corpus,
    duplicates: &[crate::dedup::Duplicate],
    out: &mut W,
) -> io::Result<()> {
    let line = |i: u32| corpus.records()[i as usize].line as u64;
    for d in duplicates {
        write_duplicate(out, d, line(d.index), line(d.of))?;
    }
    Ok(())
}

/// One row of [`write_duplicates_jsonl`]: `line` and `of_line` are the 1-based lines of
/// the record left out and of the kept record it duplicates.
pub fn write_duplicate<W: Write + ?Sized>(
    out: &mut W,
    d: &crate::dedup::Duplicate,
    line: u64,
    of_line: u64,
) -> io::Result<()> {
    writeln!(
        out,
        "{{\"index\": {}, \"line\": {line}, \"duplicate_of\": {}, \"duplicate_of_line\": {of_line}, \"similarity\": {}}}",
        d.index, d.of, d.similarity
    )
}

/// The header row of [`write_scores_csv`], with its line ending.
pub const SCORES_CSV_HEADER: &str = "index,line,score,rank\n";

/// One row of [`write_scores_csv`].
pub fn write_score_csv<W: Write + ?Sized>(
    out: &mut W,
    index: usize,
    line: u64,
    score: f64,
    rank: u32,
) -> io::Result<()> {
    writeln!(out, "{index},{line},{score},{rank}")
}

/// Writes the same fields as [`write_scores_jsonl`] as CSV with a header row.
pub fn write_scores_csv<W: Write + ?Sized>(
    corpus: &Corpus,
    scores: &[f64],
    ranks: &[u32],
    out: &mut W,
) -> io::Result<()> {
    out.write_all(SCORES_CSV_HEADER.as_bytes())?;
    for (i, record) in corpus.records().iter().enumerate() {
        write_score_csv(out, i, record.line as u64, scores[i], ranks[i])?;
    }
    Ok(())
}

/// Writes one JSON object per record of a streamed `source`, in source order: the fields
/// of [`write_scores_jsonl`], with the record's `file` when the source has more than one.
#[cfg(not(target_arch = "wasm32"))]
pub fn write_source_scores_jsonl<W: Write + ?Sized>(
    source: &crate::input::Source,
    scores: &[f64],
    ranks: &[u32],
    out: &mut W,
) -> io::Result<()> {
    each_record(source, |i, file, line| match file {
        Some(file) => write_score_jsonl_in_file(out, i, file, line, scores[i], ranks[i]),
        None => write_score_jsonl(out, i, line, scores[i], ranks[i]),
    })
}

/// [`write_source_scores_jsonl`] as CSV with a header row (`index,file,line,score,rank`
/// when the source has more than one file).
#[cfg(not(target_arch = "wasm32"))]
pub fn write_source_scores_csv<W: Write + ?Sized>(
    source: &crate::input::Source,
    scores: &[f64],
    ranks: &[u32],
    out: &mut W,
) -> io::Result<()> {
    match source.files().len() {
        1 => out.write_all(SCORES_CSV_HEADER.as_bytes())?,
        _ => out.write_all(SCORES_CSV_HEADER_IN_FILES.as_bytes())?,
    }
    each_record(source, |i, file, line| match file {
        Some(file) => write_score_csv_in_file(out, i, file, line, scores[i], ranks[i]),
        None => write_score_csv(out, i, line, scores[i], ranks[i]),
    })
}

/// Calls `write(index, file, line)` for every record of `source` in order; `file` is its
/// file's name when the source has more than one.
#[cfg(not(target_arch = "wasm32"))]
fn each_record(
    source: &crate::input::Source,
    mut write: impl FnMut(usize, Option<&str>, u64) -> io::Result<()>,
) -> io::Result<()> {
    let many = source.files().len() > 1;
    for (f, file) in source.files().iter().enumerate() {
        let name = many.then(|| file.name());
        for i in file.records() {
            write(i, name, source.line_in(f, i))?;
        }
    }
    Ok(())
}

/// The header row of [`write_score_csv_in_file`]'s rows, with its line ending.
pub const SCORES_CSV_HEADER_IN_FILES: &str = "index,file,line,score,rank\n";

/// One row of a CSV scores file for input read from several files: [`write_score_csv`]'s
/// fields with the record's `file` between `index` and `line`.
pub fn write_score_csv_in_file<W: Write + ?Sized>(
    out: &mut W,
    index: usize,
    file: &str,
    line: u64,
    score: f64,
    rank: u32,
) -> io::Result<()> {
    writeln!(out, "{index},{},{line},{score},{rank}", csv_field(file))
}

/// A CSV field: quoted (quotes doubled) when it holds a comma, a quote or a line break.
fn csv_field(text: &str) -> std::borrow::Cow<'_, str> {
    use std::borrow::Cow;
    if text.contains([',', '"', '\n', '\r']) {
        Cow::Owned(format!("\"{}\"", text.replace('"', "\"\"")))
    } else {
        Cow::Borrowed(text)
    }
}

/// Reads scores back from a scores JSONL file written by [`write_scores_jsonl`].
pub fn read_scores_jsonl(bytes: &[u8]) -> Result<Vec<f64>, String> {
    read_scores_from(bytes).map_err(|e| e.to_string())
}

/// [`read_scores_jsonl`] from a reader, a line at a time (a scores file of any size is
/// never held whole). A read error is an `io::Error`; a bad row is one of kind
/// `InvalidData` naming its line.
pub fn read_scores_from(mut reader: impl io::BufRead) -> io::Result<Vec<f64>> {
    #[derive(serde::Deserialize)]
    struct Row {
        index: usize,
        score: f64,
    }
    let bad = |n: usize, message: String| {
        io::Error::new(io::ErrorKind::InvalidData, format!("line {n}: {message}"))
    };
    let mut scores = Vec::new();
    let mut line = Vec::new();
    let mut n = 0;
    loop {
        line.clear();
        if reader.read_until(b'\n', &mut line)? == 0 {
            break;
        }
        n += 1;
        if line.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let row: Row = serde_json::from_slice(&line).map_err(|e| bad(n, e.to_string()))?;
        if row.index != scores.len() {
            return Err(bad(
                n,
                format!("expected index {}, found {}", scores.len(), row.index),
            ));
        }
        scores.push(row.score);
    }
    Ok(scores)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::jsonl::{OnError, ReadOptions};
    use crate::select::{rank, ranks};

    #[test]
    fn scores_read_back_are_the_values_written() {
        // serde_json's default float parser misreads this one by one unit in the last place.
        let scores: [f64; 4] = [0.18379620094332522, 0.1, -0.0, 1.0 / 3.0];
        let mut text = Vec::new();
        for (i, s) in scores.iter().enumerate() {
            writeln!(
                text,
                "{{\"index\": {i}, \"line\": {}, \"score\": {s}, \"rank\": 1}}",
                i + 1
            )
            .unwrap();
        }
        let back = read_scores_jsonl(&text).unwrap();
        assert_eq!(
            back.iter().map(|s| s.to_bits()).collect::<Vec<_>>(),
            scores.iter().map(|s| s.to_bits()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn writes_lines_scores_and_rejects() {
        let bytes = b"{\"text\":\"a\"}\r\n{\"text\":\"b\"}\nbad\n{\"text\":\"c\"}\n".to_vec();
        let options = ReadOptions {
            on_error: OnError::Skip,
            ..ReadOptions::default()
        };
        let corpus = Corpus::from_bytes("s", bytes, &options).unwrap();
        let scores = [0.1, 0.3, 0.2];
        let order = rank(&scores);

        let mut out = Vec::new();
        write_lines(&corpus, &kept(&order, 2, Order::Rank), &mut out).unwrap();
        assert_eq!(out, b"{\"text\":\"b\"}\n{\"text\":\"c\"}\n");
        out.clear();
        write_lines(&corpus, &kept(&order, 2, Order::Input), &mut out).unwrap();
        assert_eq!(out, b"{\"text\":\"b\"}\n{\"text\":\"c\"}\n");
        out.clear();
        write_rejected(&corpus, &order, 2, &mut out).unwrap();
        assert_eq!(out, b"{\"text\":\"a\"}\r\n");
        out.clear();
        write_skipped(&corpus, &mut out).unwrap();
        assert_eq!(out, b"bad\n");

        out.clear();
        write_scores_jsonl(&corpus, &scores, &ranks(&order), &mut out).unwrap();
        let text = String::from_utf8(out.clone()).unwrap();
        assert_eq!(
            text.lines().nth(2).unwrap(),
            "{\"index\": 2, \"line\": 4, \"score\": 0.2, \"rank\": 2}"
        );
        assert_eq!(read_scores_jsonl(&out).unwrap(), scores);

        out.clear();
        write_scores_csv(&corpus, &scores, &ranks(&order), &mut out).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap().lines().nth(1).unwrap(),
            "0,1,0.1,3"
        );
    }
}
