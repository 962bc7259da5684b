//! Downloads, made part by part: the original lines of a selection (read a window at a
//! time, in file order), the scores as JSONL or CSV, the skipped lines, the
//! near-duplicates left out, and the stability figures. Every row is written by
//! `zipfit_core::export`, as the CLI writes it, so the files are byte-identical.

use zipfit_core::export::{self, Order};
use zipfit_core::select;

use super::compare::Comparing;
use super::dedup::DiverseSelection;
use super::parquet::RowsDownload;
use super::runs::KeptRun;
use super::source::Source;

/// Bytes of lines a download reads in one pass over the source (see `Source::lines_of`).
const EXPORT_WINDOW: usize = 64 << 20;

/// What a download can be made from: the shown run and the analyses of it.
pub struct Made<'a> {
    pub shown: Result<&'a KeptRun, String>,
    pub comparing: Option<&'a Comparing>,
    pub diverse: Option<&'a DiverseSelection>,
    /// The stability figures last asked for, as JSON.
    pub stability_json: Option<&'a [u8]>,
}

/// A download being written, part by part.
enum Job {
    /// Rows of a Parquet source, as a Parquet file: the records of a selection, or the
    /// skipped rows.
    Rows(Box<RowsDownload>),
    /// Original lines of these records, in this order: read a window at a time
    /// ([`Source::lines_of`]) and handed out in parts.
    Lines {
        indices: Vec<u32>,
        next: usize,
        window: Vec<u8>,
        sent: usize,
    },
    /// One row per record, JSONL or CSV.
    Scores {
        csv: bool,
        ranks: Vec<u32>,
        next: usize,
    },
    /// The skipped lines.
    Skipped { next: usize },
    /// The records a diverse selection left out, with what each duplicates.
    Duplicates { next: usize },
    /// Bytes made beforehand (the stability figures as JSON).
    Bytes { bytes: Vec<u8>, sent: usize },
}

/// The download in progress, if any, and its current part.
#[derive(Default)]
pub struct Download {
    job: Option<Job>,
    part: Vec<u8>,
}

impl Download {
    /// Starts a download: `selected`, `rejected`, `skipped`, `scores.jsonl`,
    /// `scores.csv`, `only-a`, `only-b`, `diverse-selected`, `diverse-rejected`,
    /// `duplicates` or `stability.json`. `count` is how many top records are kept;
    /// `input_order` orders a selection as the source.
    pub fn begin(
        &mut self,
        kind: &str,
        count: usize,
        input_order: bool,
        source: &Source,
        made: Made,
    ) -> Result<(), String> {
        let order = if input_order {
            Order::Input
        } else {
            Order::Rank
        };
        // A Parquet source's records are written as Parquet rows, a JSONL source's as lines.
        let rows = |rows: Vec<u64>| -> Result<Job, String> {
            let (parquet, _) = source.parquet_file().ok_or("not a Parquet source")?;
            Ok(Job::Rows(Box::new(
                RowsDownload::new(parquet, rows).map_err(|e| e.to_string())?,
            )))
        };
        let lines = |indices: Vec<u32>| -> Result<Job, String> {
            if source.parquet.is_some() {
                return rows(source.rows_of(&indices));
            }
            Ok(Job::Lines {
                window: Vec::with_capacity(source.largest_window(&indices, EXPORT_WINDOW)),
                indices,
                next: 0,
                sent: 0,
            })
        };
        if let Some(side) = kind.strip_prefix("only-") {
            let comparing = made.comparing.ok_or("compare first")?;
            self.job = Some(lines(comparing.only(side).to_vec())?);
            return Ok(());
        }
        let diverse = || {
            made.diverse
                .map(|selection| &selection.diverse)
                .ok_or("leave out near-duplicates first")
        };
        let order_of_run = || made.shown.clone().map(|run| &run.order);
        self.job = Some(match kind {
            "diverse-selected" => lines(export::kept_in(&diverse()?.kept, order))?,
            "diverse-rejected" => lines(export::not_kept(source.len(), &diverse()?.kept))?,
            "duplicates" => Job::Duplicates { next: 0 },
            "stability.json" => Job::Bytes {
                bytes: made
                    .stability_json
                    .ok_or("no stability figures yet")?
                    .to_vec(),
                sent: 0,
            },
            "selected" => lines(export::kept(order_of_run()?, count, order))?,
            "rejected" => lines(export::rejected(order_of_run()?, count))?,
            "skipped" if source.parquet.is_some() => rows(
                source
                    .skipped
                    .iter()
                    .map(|s| s.view.line as u64 - 1)
                    .collect(),
            )?,
            "skipped" => Job::Skipped { next: 0 },
            "scores.jsonl" | "scores.csv" => Job::Scores {
                csv: kind == "scores.csv",
                ranks: select::ranks(order_of_run()?),
                next: 0,
            },
            other => return Err(format!("unknown download {other}")),
        });
        Ok(())
    }

    /// Makes the next part of the download (about `max_bytes`); returns its length,
    /// 0 once the download is complete. [`Download::part`] holds the part.
    pub fn next(&mut self, source: &Source, made: Made, max_bytes: usize) -> Result<usize, String> {
        let out = &mut self.part;
        out.clear();
        let Some(job) = self.job.as_mut() else {
            return Ok(0);
        };
        let scores = made.shown.ok().map(|run| run.scores.as_slice());
        let duplicates = made
            .diverse
            .map_or(&[][..], |selection| &selection.diverse.duplicates[..]);
        write_part(job, source, scores, duplicates, out, max_bytes).map_err(|e| e.to_string())?;
        if out.is_empty() {
            self.job = None;
        }
        Ok(out.len())
    }

    /// The part made by the last [`Download::next`].
    pub fn part(&self) -> &[u8] {
        &self.part
    }

    /// Drops the download in progress: what it was made from is gone.
    pub fn cancel(&mut self) {
        self.job = None;
    }
}

/// Writes about `max_bytes` of `job` to `out`.
fn write_part(
    job: &mut Job,
    source: &Source,
    scores: Option<&[f64]>,
    duplicates: &[zipfit_core::dedup::Duplicate],
    out: &mut Vec<u8>,
    max_bytes: usize,
) -> std::io::Result<()> {
    match job {
        Job::Rows(download) => {
            let (parquet, blob) = source
                .parquet_file()
                .ok_or_else(|| std::io::Error::other("not a Parquet source"))?;
            download
                .next(parquet, blob, out)
                .map_err(std::io::Error::other)?;
        }
        Job::Lines {
            indices,
            next,
            window,
            sent,
        } => {
            if *sent == window.len() && *next < indices.len() {
                let end = source.window_end(indices, *next, EXPORT_WINDOW);
                source
                    .lines_of(&indices[*next..end], window)
                    .map_err(std::io::Error::other)?;
                *sent = 0;
                *next = end;
            }
            let part = max_bytes.min(window.len() - *sent);
            out.extend_from_slice(&window[*sent..*sent + part]);
            *sent += part;
        }
        Job::Scores { csv, ranks, next } => {
            if *csv && *next == 0 && !ranks.is_empty() {
                out.extend_from_slice(export::SCORES_CSV_HEADER.as_bytes());
            }
            let row = if *csv {
                export::write_score_csv
            } else {
                export::write_score_jsonl
            };
            // At least one row per part, after the header.
            while *next < ranks.len() && (out.len() < max_bytes || *next == 0) {
                let i = *next;
                let score = scores.map_or(f64::NAN, |scores| scores[i]);
                row(out, i, source.line(i), score, ranks[i])?;
                *next += 1;
            }
        }
        Job::Duplicates { next } => {
            while *next < duplicates.len() && out.len() < max_bytes {
                let d = &duplicates[*next];
                let (line, of_line) = (source.line(d.index as usize), source.line(d.of as usize));
                export::write_duplicate(out, d, line, of_line)?;
                *next += 1;
            }
        }
        Job::Bytes { bytes, sent } => {
            let part = max_bytes.min(bytes.len() - *sent);
            out.extend_from_slice(&bytes[*sent..*sent + part]);
            *sent += part;
        }
        Job::Skipped { next } => {
            while *next < source.skipped.len() && out.len() < max_bytes {
                export::write_line(out, &source.skipped[*next].bytes)?;
                *next += 1;
            }
        }
    }
    Ok(())
}
