//! Downloads, made part by part: the original lines of a selection (read a window at a
//! time, in file order), the scores as JSONL or CSV, the skipped lines, the
//! near-duplicates left out, and the stability figures. Every row is written by
//! `zipfit_core::export`, as the CLI writes it, so the files are byte-identical.

use std::cmp::Ordering;

use zipfit_core::export::{self, Order};
use zipfit_core::select;

use super::column::Column;
use super::compare::Comparing;
use super::dedup::DiverseSelection;
use super::parquet::RowsDownload;
use super::runs::KeptRun;
use super::source::Source;

/// Bytes of lines a download reads in one pass over the source (see `Source::lines_of`).
const EXPORT_WINDOW: usize = if cfg!(test) { 20_000 } else { 64 << 20 };

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
    /// Original lines of `records`: read a window at a time ([`Source::lines_of`]) and
    /// handed out in parts.
    Lines {
        records: Records,
        window: Vec<u8>,
        sent: usize,
    },
    /// One row per record, JSONL or CSV, with the shown run's scores and ranks.
    Scores {
        csv: bool,
        ranks: RanksBlock,
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
            let (first, _) = source.parquet_part(0)?;
            Ok(Job::Rows(Box::new(RowsDownload::new(first, rows)?)))
        };
        let lines = |indices: Vec<u32>| -> Result<Job, String> {
            if source.is_parquet() {
                return rows(source.rows_of(&indices));
            }
            Ok(Job::lines(Records::Listed { indices, next: 0 }))
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
        // The top `count` of the shown run (with `kept`), or the rest: listed for a
        // Parquet source, else read from the run's columns a window at a time.
        let cut = |kept: bool| -> Result<Job, String> {
            let run = made.shown.clone()?;
            let count = count.min(run.order.len());
            if source.is_parquet() {
                let (top, rest) = (0..count, count..run.order.len());
                let indices = run.order.read(if kept { top } else { rest });
                return lines(export::in_order(
                    indices,
                    if kept { order } else { Order::Input },
                ));
            }
            Ok(Job::lines(if kept && order == Order::Rank {
                Records::Ranked {
                    next: 0,
                    end: count,
                }
            } else {
                let last = (count > 0).then(|| {
                    let index = run.order.get(count - 1);
                    (run.scores.get(index as usize), index)
                });
                Records::Cut {
                    last,
                    kept,
                    next: 0,
                }
            }))
        };
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
            "selected" => cut(true)?,
            "rejected" => cut(false)?,
            // Rows of a row group that could not be decoded cannot be written back.
            "skipped" if source.is_parquet() => rows(
                (source.skipped.iter())
                    .filter(|s| !s.unreadable)
                    .map(|s| s.line - 1)
                    .collect(),
            )?,
            "skipped" => Job::Skipped { next: 0 },
            "scores.jsonl" | "scores.csv" => {
                order_of_run()?;
                Job::Scores {
                    csv: kind == "scores.csv",
                    ranks: RanksBlock::default(),
                    next: 0,
                }
            }
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
        let run = made.shown.ok();
        let duplicates = made
            .diverse
            .map_or(&[][..], |selection| &selection.diverse.duplicates[..]);
        write_part(job, source, run, duplicates, out, max_bytes).map_err(|e| e.to_string())?;
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

impl Job {
    fn lines(records: Records) -> Job {
        Job::Lines {
            records,
            window: Vec::new(),
            sent: 0,
        }
    }
}

/// Records looked at at once when a window of lines is made.
const LOOK: usize = if cfg!(test) { 700 } else { 1 << 16 };

/// The records a download of lines holds, taken a window at a time, so that a selection
/// of any size is never listed whole in memory.
enum Records {
    /// These, in this order, from `next`.
    Listed { indices: Vec<u32>, next: usize },
    /// The shown run's ranking, positions `next..end`, best first.
    Ranked { next: usize, end: usize },
    /// In input order from record `next`: those the shown run ranks no lower than `last`
    /// (score and index of the last kept record; none is kept without one), or with
    /// `kept` false all the others.
    Cut {
        last: Option<(f64, u32)>,
        kept: bool,
        next: usize,
    },
}

impl Records {
    /// The next records whose lines make a window of at most [`EXPORT_WINDOW`] bytes (or
    /// one longer line), and the window's bytes; none once all were taken.
    fn next_window(
        &mut self,
        source: &Source,
        run: Option<&KeptRun>,
    ) -> Result<(Vec<u32>, usize), String> {
        let mut window = Vec::new();
        let mut bytes = 0;
        loop {
            let (candidates, scanned) = self.candidates(run)?;
            if candidates.is_empty() && scanned.is_none() {
                return Ok((window, bytes));
            }
            let lens = source.lens_of(&candidates);
            let mut taken = 0;
            for (&index, &len) in candidates.iter().zip(&lens) {
                let line = len as usize + 1;
                if !window.is_empty() && bytes + line > EXPORT_WINDOW {
                    break;
                }
                window.push(index);
                bytes += line;
                taken += 1;
            }
            self.advance(&candidates, taken, scanned);
            if taken < candidates.len() {
                return Ok((window, bytes));
            }
        }
    }

    /// Up to [`LOOK`] records from where the last window ended; for [`Records::Cut`],
    /// also the record after those looked at (`None` once all are taken).
    fn candidates(&self, run: Option<&KeptRun>) -> Result<(Vec<u32>, Option<usize>), String> {
        let run = || run.ok_or_else(|| "score first".to_string());
        Ok(match self {
            Records::Listed { indices, next } => (
                indices[*next..(*next + LOOK).min(indices.len())].to_vec(),
                None,
            ),
            Records::Ranked { next, end } => {
                (run()?.order.read(*next..(*next + LOOK).min(*end)), None)
            }
            Records::Cut { last, kept, next } => {
                let run = run()?;
                let end = (*next + LOOK).min(run.scores.len());
                if *next == end {
                    return Ok((Vec::new(), None));
                }
                let is_kept = |score: f64, index: u32| {
                    last.is_some_and(|last| {
                        select::rank_cmp((score, index), last) != Ordering::Greater
                    })
                };
                let scores = run.scores.read(*next..end);
                let chosen = (*next..end)
                    .zip(scores)
                    .filter(|&(i, score)| is_kept(score, i as u32) == *kept)
                    .map(|(i, _)| i as u32)
                    .collect();
                (chosen, Some(end))
            }
        })
    }

    /// Moves past the first `taken` of `candidates` (and past every record looked at,
    /// `scanned`, when all were taken).
    fn advance(&mut self, candidates: &[u32], taken: usize, scanned: Option<usize>) {
        match self {
            Records::Listed { next, .. } | Records::Ranked { next, .. } => *next += taken,
            Records::Cut { next, .. } => {
                *next = match candidates.get(taken) {
                    Some(&untaken) => untaken as usize,
                    None => scanned.unwrap_or(*next),
                }
            }
        }
    }
}

/// Records whose ranks are found at once: 16 MiB (a few thousand in the tests).
const RANKS_BLOCK: usize = if cfg!(test) { 3000 } else { 4 << 20 };

/// The 1-based ranks of a block of records (the inverse of a ranking), found by reading
/// the ranking once: `zipfit_core::select::ranks` a block at a time, since a whole
/// run's ranks need not fit in memory.
#[derive(Default)]
struct RanksBlock {
    first: usize,
    ranks: Vec<u32>,
}

impl RanksBlock {
    /// Record `index`'s rank in `order`, reading the next block of ranks when needed.
    fn rank(&mut self, order: &Column<u32>, index: usize) -> u32 {
        if !(self.first..self.first + self.ranks.len()).contains(&index) {
            self.first = index;
            let end = (index + RANKS_BLOCK).min(order.len());
            self.ranks.clear();
            self.ranks.resize(end - index, 0);
            order.pieces(1 << 20, |start, piece| {
                for (k, &i) in piece.iter().enumerate() {
                    if (index..end).contains(&(i as usize)) {
                        self.ranks[i as usize - index] = (start + k + 1) as u32;
                    }
                }
            });
        }
        self.ranks[index - self.first]
    }
}

/// Writes about `max_bytes` of `job` to `out`.
fn write_part(
    job: &mut Job,
    source: &Source,
    run: Option<&KeptRun>,
    duplicates: &[zipfit_core::dedup::Duplicate],
    out: &mut Vec<u8>,
    max_bytes: usize,
) -> std::io::Result<()> {
    match job {
        Job::Rows(download) => {
            let files = source.parquet_files().map_err(std::io::Error::other)?;
            download
                .next(&files, |row| source.locate_row(row), out)
                .map_err(std::io::Error::other)?;
        }
        Job::Lines {
            records,
            window,
            sent,
        } => {
            if *sent == window.len() {
                let (indices, bytes) = records
                    .next_window(source, run)
                    .map_err(std::io::Error::other)?;
                // Made large enough for every later window at once: grown window by
                // window, it would be moved, and left behind in the module's memory,
                // which never shrinks.
                window.clear();
                window.reserve_exact(if bytes > EXPORT_WINDOW / 2 {
                    bytes.max(EXPORT_WINDOW)
                } else {
                    bytes
                });
                source
                    .lines_of(&indices, window)
                    .map_err(std::io::Error::other)?;
                *sent = 0;
            }
            let part = max_bytes.min(window.len() - *sent);
            out.extend_from_slice(&window[*sent..*sent + part]);
            *sent += part;
        }
        Job::Scores { csv, ranks, next } => {
            let run = run.ok_or_else(|| std::io::Error::other("score first"))?;
            let records = run.order.len();
            if *csv && *next == 0 && records > 0 {
                out.extend_from_slice(match source.parts.many() {
                    true => export::SCORES_CSV_HEADER_IN_FILES.as_bytes(),
                    false => export::SCORES_CSV_HEADER.as_bytes(),
                });
            }
            // At least one row per part, after the header. A record's file is named when
            // the source has several.
            while *next < records && (out.len() < max_bytes || *next == 0) {
                let i = *next;
                let (score, rank) = (run.scores.get(i), ranks.rank(&run.order, i));
                match (source.place(i), *csv) {
                    ((None, line), false) => export::write_score_jsonl(out, i, line, score, rank),
                    ((None, line), true) => export::write_score_csv(out, i, line, score, rank),
                    ((Some(file), line), false) => {
                        export::write_score_jsonl_in_file(out, i, file, line, score, rank)
                    }
                    ((Some(file), line), true) => {
                        export::write_score_csv_in_file(out, i, file, line, score, rank)
                    }
                }?;
                *next += 1;
            }
        }
        Job::Duplicates { next } => {
            while *next < duplicates.len() && out.len() < max_bytes {
                let d = &duplicates[*next];
                let (line, of_line) = (
                    source.place(d.index as usize).1,
                    source.place(d.of as usize).1,
                );
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
