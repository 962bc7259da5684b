//! The scoring worker's state: the streamed source, the targets, and the scores.
//!
//! Runs inside the dedicated worker (`www/worker.js`), never on the page's thread,
//! because rayon blocks while it waits for its threads (and `FileReaderSync` exists
//! only in workers). All the work is done by `zipfit-core`; this module and
//! `crate::source` only adapt it to JavaScript values and to a source read as a stream.

use js_sys::{Float64Array, Uint8Array};
use rayon::prelude::*;
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::Blob;
use zipfit_core::compare::{self, Comparison};
use zipfit_core::compress::{Backend, Compressor};
use zipfit_core::dedup::{self, Diverse};
use zipfit_core::dsir::{self, Dsir};
use zipfit_core::explain;
use zipfit_core::export::{self, Order};
use zipfit_core::gzip::Gunzip;
use zipfit_core::jsonl::{
    field_candidates, gunzip_file, Corpus, FieldPath, OnError, ReadError, ReadOptions,
};
use zipfit_core::score::{Aligner, Method, Targets};
use zipfit_core::select::{self, Budget};
use zipfit_core::stability::{self, FoldSums, Folds};
use zipfit_core::tokens::TokenEstimate;

use crate::protocol::{
    Compared, Cut, Diversity, DuplicateRow, Explained, FileSummary, IssueView, Pairing, Role,
    RowView, TargetTerm, HISTOGRAM_BINS,
};
use crate::source::{default_field, one_line, short_keys, short_value, Source, Store, GZIP_LIMIT};

const SHOWN_ISSUES: usize = 200;
const PREVIEW_CHARS: usize = 160;
/// Targets whose text comes with a record's explanation: this many best and worst.
const EXPLAINED_TEXTS: usize = 5;
/// Bytes of lines a download reads in one pass over the source (see `Source::lines_of`).
const EXPORT_WINDOW: usize = 64 << 20;

/// The target file: small, held whole.
struct Loaded {
    corpus: Corpus,
    error: Option<ReadError>,
    fields: Vec<(String, usize)>,
}

/// A download being written, part by part.
enum ExportJob {
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

/// Cells per side of the comparison's density plot.
const DENSITY_BINS: usize = 64;

/// How a run computes its scores.
enum Scorer {
    /// Compression alignment, with fold sums when stability was asked for.
    Compression {
        targets: Targets,
        folds: Option<Folds>,
        sums: Vec<i64>,
    },
    /// DSIR: a first pass counts the source's n-grams, a second scores.
    Dsir {
        targets: Vec<String>,
        counts: Vec<u64>,
        counted: usize,
        fitted: Option<Dsir>,
    },
}

/// A run being scored.
struct Scoring {
    scorer: Scorer,
    scores: Vec<f64>,
}

/// A finished run, kept so that it can be shown again and compared with others.
struct KeptRun {
    scores: Vec<f64>,
    order: Vec<u32>,
    /// The targets as this run's compressor saw them (none for DSIR, which compresses nothing).
    targets: Option<Targets>,
    stability: Option<(Folds, FoldSums)>,
}

/// Two runs compared at one budget; its lists are what the compare view browses and
/// downloads.
struct Comparing {
    runs: (usize, usize),
    spearman: f64,
    result: Comparison,
}

/// The worker's state, driven by `www/worker.js`.
#[wasm_bindgen]
#[derive(Default)]
pub struct Session {
    source: Option<Source>,
    target: Option<Loaded>,
    scoring: Option<Scoring>,
    /// Every finished run over the current source, oldest first.
    runs: Vec<KeptRun>,
    /// The run the table, the detail view and the downloads show.
    shown: usize,
    comparing: Option<Comparing>,
    /// The shown run's diverse selection, when near-duplicates are left out, with
    /// whether each record is kept.
    diverse: Option<(Diversity, Diverse, Vec<bool>)>,
    /// The stability figures last asked for, as `zipfit score --stability FILE` writes them.
    stability_json: Option<Vec<u8>>,
    export: Option<ExportJob>,
    /// The current part of a download.
    part: Vec<u8>,
    /// A gzip-compressed source being streamed, and its latest decompressed piece.
    gunzip: Option<Gunzip>,
    inflated: Vec<u8>,
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

fn read_options(field: &str, skip_bad: bool) -> ReadOptions {
    ReadOptions {
        field: FieldPath::new(field),
        on_error: if skip_bad {
            OnError::Skip
        } else {
            OnError::Stop
        },
        tokens: TokenEstimate::Bytes,
    }
}

fn js_error(message: impl std::fmt::Display) -> JsError {
    JsError::new(&message.to_string())
}

#[wasm_bindgen]
impl Session {
    /// An empty session.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session::default()
    }

    /// Reads the target file from its bytes. `field` empty picks `text` if present,
    /// else the most common text field.
    pub fn load_target(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        field: &str,
        skip_bad: bool,
    ) -> Result<JsValue, JsError> {
        let corpus = match Corpus::open(name, bytes) {
            Ok(corpus) => corpus,
            Err(error) => return to_js(&failed_summary(Role::Target, name, &error)),
        };
        let fields = field_candidates(corpus.bytes(), 50);
        self.target = Some(Loaded {
            corpus,
            error: None,
            fields,
        });
        self.read_target(field, skip_bad)
    }

    /// Re-reads the target file with another field or error policy.
    pub fn read_target(&mut self, field: &str, skip_bad: bool) -> Result<JsValue, JsError> {
        // Runs are kept for one pair of files; the page forgets them too.
        self.clear_run();
        let loaded = self
            .target
            .as_mut()
            .ok_or_else(|| JsError::new("no target file"))?;
        let field = if field.is_empty() {
            default_field(&loaded.fields)
        } else {
            field.to_string()
        };
        loaded.error = loaded.corpus.reindex(&read_options(&field, skip_bad)).err();
        to_js(&target_summary(loaded))
    }

    /// Starts reading the source `file` (`size` bytes) as a stream: the worker then
    /// hands every piece to [`Session::source_scan`] and ends with [`Session::source_end`].
    pub fn source_begin(&mut self, file: Blob, name: &str, field: &str, skip_bad: bool) {
        self.clear_run();
        let size = file.size() as u64;
        self.source = Some(Source::new(
            name,
            Store::File(file),
            size,
            field,
            read_options(field, skip_bad),
        ));
    }

    /// Reads the next piece of the source. False once a bad line stopped the read.
    pub fn source_scan(&mut self, piece: &[u8]) -> bool {
        self.source
            .as_mut()
            .is_some_and(|source| source.scan(piece))
    }

    /// Ends the read of the source; returns its summary.
    pub fn source_end(&mut self) -> Result<JsValue, JsError> {
        let source = self
            .source
            .as_mut()
            .ok_or_else(|| JsError::new("no source file"))?;
        source.finish_scan();
        to_js(&source_summary(source))
    }

    /// Starts reading a gzip-compressed source as a stream: the worker hands every
    /// compressed piece to [`Session::source_inflate`], writes each decompressed piece
    /// ([`Session::inflated`]) to a scratch file, and ends with
    /// [`Session::source_gzip_end`], giving that file, which lines are read back from.
    pub fn source_gzip_begin(&mut self, name: &str, compressed: f64, field: &str, skip_bad: bool) {
        self.clear_run();
        // The size only guides how much room is reserved until the real one is known.
        let size = compressed as u64 * 4;
        let options = read_options(field, skip_bad);
        self.source = Some(Source::new(
            name,
            Store::Memory(Vec::new()),
            size,
            field,
            options,
        ));
        self.gunzip = Some(Gunzip::new());
    }

    /// Decompresses and reads the next compressed piece of the source. False once the
    /// read stopped (a bad line, or data that is not valid gzip).
    pub fn source_inflate(&mut self, piece: &[u8]) -> bool {
        let (Some(source), Some(gunzip)) = (self.source.as_mut(), self.gunzip.as_mut()) else {
            return false;
        };
        self.inflated.clear();
        if let Err(error) = gunzip.feed(piece, &mut self.inflated, usize::MAX) {
            source.error = Some(ReadError::gunzip(&source.name, error, usize::MAX));
            return false;
        }
        source.scan(&self.inflated)
    }

    /// The bytes the last [`Session::source_inflate`] decompressed (a view that the next
    /// call into the session invalidates).
    pub fn inflated(&self) -> Uint8Array {
        // SAFETY: the view is copied by the worker before it calls into the session again.
        unsafe { Uint8Array::view(&self.inflated) }
    }

    /// Ends the read of a gzip-compressed source whose decompressed bytes are `file`;
    /// returns its summary.
    pub fn source_gzip_end(&mut self, file: Blob) -> Result<JsValue, JsError> {
        let gunzip = self.gunzip.take();
        self.inflated = Vec::new();
        let source = self
            .source
            .as_mut()
            .ok_or_else(|| JsError::new("no source file"))?;
        if source.error.is_none() {
            if let Some(Err(error)) = gunzip.as_ref().map(Gunzip::finish) {
                source.error = Some(ReadError::gunzip(&source.name, error, usize::MAX));
            }
        }
        source.size = file.size() as u64;
        source.store = Store::File(file);
        source.finish_scan();
        to_js(&source_summary(source))
    }

    /// Reads a gzip-compressed source from its bytes, decompressed in memory.
    pub fn source_gzip(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        field: &str,
        skip_bad: bool,
    ) -> Result<JsValue, JsError> {
        self.clear_run();
        self.source = None;
        let data = match gunzip_file(name, &bytes, GZIP_LIMIT) {
            Ok(data) => data,
            Err(error) => return to_js(&failed_summary(Role::Source, name, &error)),
        };
        drop(bytes);
        let size = data.len() as u64;
        self.read_memory(name, Store::Memory(data), size, field, skip_bad)
    }

    /// True when the source is held in memory (a decompressed `.jsonl.gz`), so that
    /// [`Session::source_reread`] re-reads it without the worker streaming the file.
    pub fn source_in_memory(&self) -> bool {
        matches!(
            self.source.as_ref().map(|s| &s.store),
            Some(Store::Memory(_))
        )
    }

    /// Re-reads a source held in memory with another field or error policy.
    pub fn source_reread(&mut self, field: &str, skip_bad: bool) -> Result<JsValue, JsError> {
        self.clear_run();
        let old = self
            .source
            .take()
            .ok_or_else(|| JsError::new("no source file"))?;
        self.read_memory(&old.name, old.store, old.size, field, skip_bad)
    }

    /// Prepares a run: computes `C(y)` of every target, or readies DSIR's two passes
    /// (`compressor` "dsir"). With `stability`, a compression run also keeps every
    /// record's sums of terms over a seeded split of the targets into folds. Returns the
    /// number of steps [`Session::score_batch`] counts: one per record per pass.
    pub fn prepare(
        &mut self,
        compressor: &str,
        level: u8,
        stability: bool,
    ) -> Result<usize, JsError> {
        let source = usable_source(&self.source)?;
        let target = usable_target(&self.target)?;
        let texts = target.texts().map_err(js_error)?;
        let (scorer, passes) = match compressor {
            "dsir" => {
                let scorer = Scorer::Dsir {
                    targets: texts,
                    counts: vec![0; dsir::BUCKETS],
                    counted: 0,
                    fitted: None,
                };
                (scorer, 2)
            }
            name => {
                let compressor = match name {
                    "lz4" => Compressor::Lz4,
                    _ => Compressor::Gzip {
                        level: level.clamp(1, 9),
                    },
                };
                let method = Method {
                    compressor,
                    backend: Backend::Model,
                };
                let targets = Targets::new(texts, method);
                let folds = stability.then(|| Folds::new(targets.len(), stability::SEED));
                if let Some(folds) = &folds {
                    if folds.count() < 2 {
                        return Err(js_error(stability::StabilityError::TooFewTargets(
                            targets.len(),
                        )));
                    }
                }
                let sums = vec![0; folds.as_ref().map_or(0, |f| f.count() * source.len())];
                (
                    Scorer::Compression {
                        targets,
                        folds,
                        sums,
                    },
                    1,
                )
            }
        };
        self.scoring = Some(Scoring {
            scorer,
            scores: Vec::with_capacity(source.len()),
        });
        Ok(passes * source.len())
    }

    /// Scores (or, in DSIR's first pass, counts) the next `count` records, in parallel;
    /// returns how many steps are done in all.
    pub fn score_batch(&mut self, count: usize) -> Result<usize, JsError> {
        let source = usable_source(&self.source)?;
        let Scoring { scorer, scores } = self
            .scoring
            .as_mut()
            .ok_or_else(|| JsError::new("prepare() first"))?;
        let total = source.len();
        match scorer {
            Scorer::Compression {
                targets,
                folds,
                sums,
            } => {
                let start = scores.len();
                let end = (start + count).min(total);
                if start < end {
                    let folds = folds.as_ref().map(|folds| {
                        let width = folds.count();
                        (folds, &mut sums[start * width..end * width])
                    });
                    scores.extend(source.score(start..end, targets, folds).map_err(js_error)?);
                }
                Ok(scores.len())
            }
            Scorer::Dsir {
                targets,
                counts,
                counted,
                fitted,
            } => {
                if *counted < total {
                    let end = (*counted + count).min(total);
                    let corpus = source.corpus(*counted..end).map_err(js_error)?;
                    let batch = dsir::counts(corpus.len(), |i| corpus_text(&corpus, i))
                        .map_err(js_error)?;
                    dsir::add_counts(counts, &batch);
                    *counted = end;
                    if end == total {
                        *fitted = Some(Dsir::from_source_counts(targets, counts));
                    }
                    return Ok(*counted);
                }
                let dsir = fitted.as_ref().ok_or_else(|| JsError::new("no records"))?;
                let start = scores.len();
                let end = (start + count).min(total);
                if start < end {
                    let corpus = source.corpus(start..end).map_err(js_error)?;
                    let batch: Result<Vec<f64>, String> = (0..corpus.len())
                        .into_par_iter()
                        .map(|i| corpus_text(&corpus, i).map(|text| dsir.score(&text)))
                        .collect();
                    scores.extend(batch.map_err(js_error)?);
                }
                Ok(total + scores.len())
            }
        }
    }

    /// Usable records of the source.
    pub fn source_records(&self) -> usize {
        self.source.as_ref().map_or(0, Source::len)
    }

    /// Pairs per record in the prepared run (0 for DSIR, which compares no pairs).
    pub fn target_count(&self) -> usize {
        match self.scoring.as_ref().map(|s| &s.scorer) {
            Some(Scorer::Compression { targets, .. }) => targets.len(),
            _ => 0,
        }
    }

    /// Ranks the finished run and keeps it (it becomes the shown run); returns its
    /// number of records. The page gets figures ([`Session::cut`]), never the scores.
    pub fn finish(&mut self) -> Result<usize, JsError> {
        let Scoring { scorer, scores } = self
            .scoring
            .take()
            .ok_or_else(|| JsError::new("prepare() first"))?;
        let (targets, stability) = match scorer {
            Scorer::Compression {
                targets,
                folds,
                sums,
            } => {
                let stability = folds.map(|folds| {
                    let width = folds.count();
                    (folds, FoldSums::new(width, sums))
                });
                (Some(targets), stability)
            }
            Scorer::Dsir { .. } => (None, None),
        };
        let run = KeptRun {
            order: select::rank(&scores),
            scores,
            targets,
            stability,
        };
        let records = run.scores.len();
        self.runs.push(run);
        self.shown = self.runs.len() - 1;
        Ok(records)
    }

    /// Run `run`'s scores, in source order.
    pub fn scores(&self, run: usize) -> Result<Float64Array, JsError> {
        let kept = self
            .runs
            .get(run)
            .ok_or_else(|| JsError::new("no such run"))?;
        Ok(Float64Array::from(kept.scores.as_slice()))
    }

    /// The shown run cut at `budget` (a `select::Budget` as JSON): how many it keeps,
    /// their tokens, the histogram of scores and of kept scores, and the breakdown by
    /// `group_field` ("" for none).
    pub fn cut(&mut self, budget: JsValue, group_field: &str) -> Result<JsValue, JsError> {
        let budget: Budget = serde_wasm_bindgen::from_value(budget).map_err(js_error)?;
        let shown = self.shown;
        let source = self
            .source
            .as_mut()
            .ok_or_else(|| JsError::new("no source file"))?;
        let run = self
            .runs
            .get(shown)
            .ok_or_else(|| JsError::new("score first"))?;
        let tokens = source.tokens();
        let kept = select::select(&run.order, &run.scores, budget, |i| tokens[i] as u64);
        let best_first = &run.order[..kept];
        let kept_tokens = best_first.iter().map(|&i| tokens[i as usize] as u64).sum();
        let (min, max) = run
            .scores
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &s| {
                (lo.min(s), hi.max(s))
            });
        let width = ((max - min) / HISTOGRAM_BINS as f64).max(1e-12);
        let bin = |s: f64| (((s - min) / width) as usize).min(HISTOGRAM_BINS - 1);
        let mut counts = vec![0u32; HISTOGRAM_BINS];
        for &s in &run.scores {
            counts[bin(s)] += 1;
        }
        let mut kept_counts = vec![0u32; HISTOGRAM_BINS];
        for &i in best_first {
            kept_counts[bin(run.scores[i as usize])] += 1;
        }
        let cut_score =
            (kept > 0 && kept < run.order.len()).then(|| run.scores[run.order[kept - 1] as usize]);
        let breakdown = if group_field.is_empty() {
            None
        } else {
            let grouping = source.group_by(group_field).map_err(js_error)?;
            let mut total = vec![0usize; grouping.labels.len()];
            for &code in &grouping.codes {
                total[code as usize] += 1;
            }
            let mut kept_by = vec![0usize; grouping.labels.len()];
            for &i in best_first {
                kept_by[grouping.codes[i as usize] as usize] += 1;
            }
            let mut rows: Vec<(String, usize, usize)> = grouping
                .labels
                .iter()
                .cloned()
                .zip(kept_by)
                .zip(total)
                .map(|((label, k), t)| (label, k, t))
                .collect();
            rows.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)));
            rows.truncate(12);
            Some(rows)
        };
        to_js(&Cut {
            run: shown,
            budget,
            group_field: group_field.to_string(),
            records: run.scores.len(),
            kept,
            kept_tokens,
            cut_score,
            min,
            max,
            counts,
            kept_counts,
            breakdown,
        })
    }

    /// Makes run `run` (0-based, in the order runs finished) the shown one.
    pub fn show(&mut self, run: usize) -> Result<(), JsError> {
        if run >= self.runs.len() {
            return Err(JsError::new(&format!("there is no run {}", run + 1)));
        }
        self.shown = run;
        self.diverse = None;
        Ok(())
    }

    /// A diverse selection of the shown run at `budget` (a `select::Budget` as JSON):
    /// walking the ranking, a record whose estimated Jaccard similarity with one already
    /// kept is at least `threshold` is left out, and the budget is met from further down.
    /// Downloads `diverse-selected`, `diverse-rejected` and `duplicates` then use it.
    pub fn dedup(&mut self, threshold: f64, budget: JsValue) -> Result<JsValue, JsError> {
        let budget: Budget = serde_wasm_bindgen::from_value(budget).map_err(js_error)?;
        if !(threshold > 0.0 && threshold <= 1.0) {
            return Err(JsError::new(&format!(
                "{threshold} is not a similarity in (0, 1]"
            )));
        }
        let source = usable_source(&self.source)?;
        let run = self.shown_run()?;
        let tokens = source.tokens();
        let mut buffer = Vec::new();
        let diverse = dedup::select_batched(
            &run.order,
            &run.scores,
            budget,
            threshold,
            |i| tokens[i] as u64,
            |batch| source.texts_of(batch, &mut buffer),
        )
        .map_err(js_error)?;
        let ranks = select::ranks(&run.order);
        let summary = Diversity {
            run: self.shown,
            budget,
            threshold,
            kept: diverse.kept.len(),
            kept_tokens: diverse
                .kept
                .iter()
                .map(|&i| tokens[i as usize] as u64)
                .sum(),
            duplicates: diverse.duplicates.len(),
            deepest: diverse
                .kept
                .last()
                .map_or(0, |&i| ranks[i as usize] as usize),
        };
        let shown = to_js(&summary);
        let mut kept = vec![false; run.scores.len()];
        for &i in &diverse.kept {
            kept[i as usize] = true;
        }
        self.diverse = Some((summary, diverse, kept));
        shown
    }

    /// Rows `start..start+count` of the records the last [`Session::dedup`] left out.
    pub fn duplicate_rows(&self, start: usize, count: usize) -> Result<JsValue, JsError> {
        let source = usable_source(&self.source)?;
        let (_, diverse, _) = self
            .diverse
            .as_ref()
            .ok_or_else(|| JsError::new("leave out near-duplicates first"))?;
        let scores = &self.shown_run()?.scores;
        let end = (start + count).min(diverse.duplicates.len());
        let rows: Vec<DuplicateRow> = (start.min(end)..end)
            .map(|position| {
                let d = diverse.duplicates[position];
                let row = row_view(source, position, d.index as usize, scores[d.index as usize]);
                DuplicateRow {
                    position,
                    index: row.index,
                    line: row.line,
                    score: row.score,
                    preview: row.preview,
                    of_index: d.of as usize,
                    of_line: source.line(d.of as usize) as usize,
                    similarity: d.similarity,
                }
            })
            .collect();
        to_js(&rows)
    }

    /// The stability figures of run `run` at `budget` (a `select::Budget` as JSON).
    pub fn stability(&mut self, run: usize, budget: JsValue) -> Result<JsValue, JsError> {
        let budget: Budget = serde_wasm_bindgen::from_value(budget).map_err(js_error)?;
        let kept = self
            .runs
            .get(run)
            .ok_or_else(|| JsError::new("no such run"))?;
        let (folds, sums) = kept
            .stability
            .as_ref()
            .ok_or_else(|| JsError::new("this run kept no fold sums"))?;
        let tokens = usable_source(&self.source)?.tokens();
        let report = stability::report(&kept.scores, sums, folds, budget, |i| tokens[i] as u64)
            .map_err(js_error)?;
        let mut json = serde_json::to_vec(&report).map_err(js_error)?;
        json.push(b'\n');
        self.stability_json = Some(json);
        to_js(&report)
    }

    /// Compares runs `a` and `b` at `budget` (a `select::Budget` as JSON): Spearman, the
    /// kept sets' overlap and a density grid. The records only one keeps are then
    /// browsed with [`Session::compared_rows`] and downloaded as `only-a` / `only-b`.
    pub fn compare(&mut self, a: usize, b: usize, budget: JsValue) -> Result<JsValue, JsError> {
        let budget: Budget = serde_wasm_bindgen::from_value(budget).map_err(js_error)?;
        let (run_a, run_b) = match (self.runs.get(a), self.runs.get(b)) {
            (Some(run_a), Some(run_b)) => (run_a, run_b),
            _ => return Err(JsError::new("no such run")),
        };
        let spearman = match &self.comparing {
            Some(c) if c.runs == (a, b) => c.spearman,
            _ => compare::spearman(&run_a.scores, &run_b.scores),
        };
        let tokens = usable_source(&self.source)?.tokens();
        let result = compare::compare_ranked(
            (&run_a.scores, &run_a.order),
            (&run_b.scores, &run_b.order),
            spearman,
            budget,
            |i| tokens[i] as u64,
        );
        let compared = Compared {
            a,
            b,
            budget: budget.to_string(),
            records: result.records,
            spearman,
            kept_a: result.kept_a,
            kept_b: result.kept_b,
            kept_both: result.kept_both,
            jaccard: result.jaccard(),
            only_a: result.only_a.len(),
            only_b: result.only_b.len(),
            density: compare::density(&run_a.scores, &run_b.scores, DENSITY_BINS),
        };
        self.comparing = Some(Comparing {
            runs: (a, b),
            spearman,
            result,
        });
        to_js(&compared)
    }

    /// Rows `start..start+count` of the records only run A (`side` "a") or only run B
    /// keeps in the last comparison, each with its score in that run.
    pub fn compared_rows(
        &self,
        side: &str,
        start: usize,
        count: usize,
    ) -> Result<JsValue, JsError> {
        let source = usable_source(&self.source)?;
        let comparing = self
            .comparing
            .as_ref()
            .ok_or_else(|| JsError::new("compare first"))?;
        let (list, run) = match side {
            "a" => (&comparing.result.only_a, comparing.runs.0),
            _ => (&comparing.result.only_b, comparing.runs.1),
        };
        let scores = &self.runs[run].scores;
        let end = (start + count).min(list.len());
        let rows: Vec<RowView> = (start.min(end)..end)
            .map(|position| {
                let index = list[position] as usize;
                row_view(source, position, index, scores[index])
            })
            .collect();
        to_js(&rows)
    }

    /// Table rows for ranking positions `start..start+count` of the shown run. With
    /// `diverse`, each row says whether the last diverse selection keeps it.
    pub fn rows(&self, start: usize, count: usize, diverse: bool) -> Result<JsValue, JsError> {
        let source = usable_source(&self.source)?;
        let run = self.shown_run()?;
        let kept = self
            .diverse
            .as_ref()
            .filter(|_| diverse)
            .map(|(_, _, kept)| kept);
        let end = (start + count).min(run.order.len());
        let rows: Vec<RowView> = (start.min(end)..end)
            .map(|position| {
                let index = run.order[position] as usize;
                let mut row = row_view(source, position, index, run.scores[index]);
                row.diverse_kept = kept.map(|kept| kept[index]);
                row
            })
            .collect();
        to_js(&rows)
    }

    /// The full text of source record `index`.
    pub fn text(&self, index: usize) -> Result<String, JsError> {
        usable_source(&self.source)?.text(index).map_err(js_error)
    }

    /// Why source record `index` scores what it does in the last run: each target's
    /// `1 - NCD`, with the texts of the best and worst few for the playground.
    pub fn explain(&self, index: usize) -> Result<JsValue, JsError> {
        let source = usable_source(&self.source)?;
        let target = usable_target(&self.target)?;
        let targets = self.shown_run()?.targets.as_ref().ok_or_else(|| {
            JsError::new("DSIR compresses nothing: there is no per-target term to show")
        })?;
        let text = source.text(index).map_err(js_error)?;
        let alignments = Aligner::new(targets).per_target(text.as_bytes());
        let score = alignments.iter().sum::<f64>() / alignments.len() as f64;
        let mut by_alignment: Vec<usize> = (0..alignments.len()).collect();
        by_alignment.sort_by(|&a, &b| alignments[b].total_cmp(&alignments[a]).then(a.cmp(&b)));
        let mut with_text = vec![false; alignments.len()];
        for &j in by_alignment
            .iter()
            .take(EXPLAINED_TEXTS)
            .chain(by_alignment.iter().rev().take(EXPLAINED_TEXTS))
        {
            with_text[j] = true;
        }
        let terms = alignments
            .iter()
            .enumerate()
            .map(|(j, &alignment)| TargetTerm {
                index: j,
                line: target.records()[j].line as usize,
                alignment,
                text: with_text[j].then(|| String::from_utf8_lossy(targets.text(j)).into_owned()),
            })
            .collect();
        to_js(&Explained {
            index,
            score,
            terms,
        })
    }

    /// Starts a download: `selected`, `rejected`, `skipped`, `scores.jsonl` or
    /// `scores.csv`. `count` is how many top records are kept; `input_order` orders
    /// the selection as the source. [`Session::export_next`] then gives it in parts.
    pub fn export_begin(
        &mut self,
        kind: &str,
        count: usize,
        input_order: bool,
    ) -> Result<(), JsError> {
        let order = if input_order {
            Order::Input
        } else {
            Order::Rank
        };
        let only = |side: &str| -> Result<Vec<u32>, JsError> {
            let comparing = self
                .comparing
                .as_ref()
                .ok_or_else(|| JsError::new("compare first"))?;
            Ok(match side {
                "a" => comparing.result.only_a.clone(),
                _ => comparing.result.only_b.clone(),
            })
        };
        let source = self
            .source
            .as_ref()
            .ok_or_else(|| JsError::new("no source file"))?;
        let lines = |indices: Vec<u32>| ExportJob::Lines {
            window: Vec::with_capacity(source.largest_window(&indices, EXPORT_WINDOW)),
            indices,
            next: 0,
            sent: 0,
        };
        if let Some(side) = kind.strip_prefix("only-") {
            self.export = Some(lines(only(side)?));
            return Ok(());
        }
        let diverse = || {
            self.diverse
                .as_ref()
                .map(|(_, diverse, _)| diverse)
                .ok_or_else(|| JsError::new("leave out near-duplicates first"))
        };
        let order_of_run = || self.shown_run().map(|run| &run.order);
        self.export = Some(match kind {
            "diverse-selected" => lines(export::kept_in(&diverse()?.kept, order)),
            "diverse-rejected" => lines(export::not_kept(self.source_records(), &diverse()?.kept)),
            "duplicates" => ExportJob::Duplicates { next: 0 },
            "stability.json" => ExportJob::Bytes {
                bytes: self
                    .stability_json
                    .clone()
                    .ok_or_else(|| JsError::new("no stability figures yet"))?,
                sent: 0,
            },
            "selected" => lines(export::kept(order_of_run()?, count, order)),
            "rejected" => lines(export::rejected(order_of_run()?, count)),
            "skipped" => ExportJob::Skipped { next: 0 },
            "scores.jsonl" | "scores.csv" => ExportJob::Scores {
                csv: kind == "scores.csv",
                ranks: select::ranks(order_of_run()?),
                next: 0,
            },
            other => return Err(JsError::new(&format!("unknown download {other}"))),
        });
        Ok(())
    }

    /// Makes the next part of the download (about `max_bytes`); returns its length,
    /// 0 once the download is complete. [`Session::export_part`] shows the part.
    pub fn export_next(&mut self, max_bytes: usize) -> Result<usize, JsError> {
        let source = self
            .source
            .as_ref()
            .ok_or_else(|| JsError::new("no source file"))?;
        let scores = self.runs.get(self.shown).map(|run| run.scores.as_slice());
        let out = &mut self.part;
        out.clear();
        let Some(job) = self.export.as_mut() else {
            return Ok(0);
        };
        let written: std::io::Result<()> = (|| {
            match job {
                ExportJob::Lines {
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
                ExportJob::Scores { csv, ranks, next } => {
                    if *csv && *next == 0 && !ranks.is_empty() {
                        out.extend_from_slice(export::SCORES_CSV_HEADER.as_bytes());
                    }
                    // At least one row per part, after the header.
                    while *next < ranks.len() && (out.len() < max_bytes || *next == 0) {
                        let i = *next;
                        let row = if *csv {
                            export::write_score_csv
                        } else {
                            export::write_score_jsonl
                        };
                        let score = scores.map_or(f64::NAN, |scores| scores[i]);
                        row(out, i, source.line(i), score, ranks[i])?;
                        *next += 1;
                    }
                }
                ExportJob::Duplicates { next } => {
                    let duplicates = self
                        .diverse
                        .as_ref()
                        .map_or(&[][..], |(_, diverse, _)| &diverse.duplicates[..]);
                    while *next < duplicates.len() && out.len() < max_bytes {
                        let d = &duplicates[*next];
                        let (line, of_line) =
                            (source.line(d.index as usize), source.line(d.of as usize));
                        export::write_duplicate(out, d, line, of_line)?;
                        *next += 1;
                    }
                }
                ExportJob::Bytes { bytes, sent } => {
                    let part = max_bytes.min(bytes.len() - *sent);
                    out.extend_from_slice(&bytes[*sent..*sent + part]);
                    *sent += part;
                }
                ExportJob::Skipped { next } => {
                    while *next < source.skipped.len() && out.len() < max_bytes {
                        export::write_line(out, &source.skipped[*next].bytes)?;
                        *next += 1;
                    }
                }
            }
            Ok(())
        })();
        written.map_err(js_error)?;
        if out.is_empty() {
            self.export = None;
        }
        Ok(out.len())
    }

    /// The part made by the last [`Session::export_next`], as a view of the module's
    /// memory rather than a copy, so that large downloads leave no garbage behind. The
    /// view is valid only until the session is next called: write it (or copy it) at once.
    pub fn export_part(&self) -> Uint8Array {
        // SAFETY: the view is used by the caller before any other call into this module
        // (www/worker.js writes it synchronously or copies it), so `self.part` is neither
        // moved nor freed, and the memory does not grow, while it is in use.
        unsafe { Uint8Array::view(&self.part) }
    }
}

impl Session {
    /// Reads a source held in memory; returns its summary.
    fn read_memory(
        &mut self,
        name: &str,
        store: Store,
        size: u64,
        field: &str,
        skip_bad: bool,
    ) -> Result<JsValue, JsError> {
        let mut source = Source::new(name, store, size, field, read_options(field, skip_bad));
        source.scan_memory();
        let summary = source_summary(&source);
        self.source = Some(source);
        to_js(&summary)
    }

    /// Drops every run: they scored another source.
    fn clear_run(&mut self) {
        self.scoring = None;
        self.runs = Vec::new();
        self.shown = 0;
        self.comparing = None;
        self.diverse = None;
        self.stability_json = None;
        self.export = None;
    }
}

impl Session {
    fn shown_run(&self) -> Result<&KeptRun, JsError> {
        self.runs
            .get(self.shown)
            .ok_or_else(|| JsError::new("score first"))
    }
}

/// A record's text, or its problem as `file:line: problem`.
fn corpus_text(corpus: &Corpus, i: usize) -> Result<String, String> {
    corpus
        .text(i)
        .map_err(|problem| format!("{}:{}: {problem}", corpus.name(), corpus.records()[i].line))
}

/// One table row: the record's line, short fields and the start of its text.
fn row_view(source: &Source, position: usize, index: usize, score: f64) -> RowView {
    let value = source.value(index).unwrap_or(serde_json::Value::Null);
    let preview = source
        .options
        .field
        .extract(&value)
        .map(|t| one_line(&t, PREVIEW_CHARS))
        .unwrap_or_default();
    RowView {
        position,
        index,
        line: source.line(index) as usize,
        score,
        short: source
            .short_keys
            .iter()
            .map(|k| value.get(k).and_then(short_value).unwrap_or_default())
            .collect(),
        preview,
        diverse_kept: None,
    }
}

fn usable_source(source: &Option<Source>) -> Result<&Source, JsError> {
    match source {
        Some(source) if source.error.is_none() => Ok(source),
        Some(source) => Err(js_error(source.error.as_ref().expect("checked above"))),
        None => Err(JsError::new("no source file")),
    }
}

fn usable_target(loaded: &Option<Loaded>) -> Result<&Corpus, JsError> {
    match loaded {
        Some(Loaded {
            corpus,
            error: None,
            ..
        }) => Ok(corpus),
        Some(Loaded {
            error: Some(error), ..
        }) => Err(js_error(error)),
        None => Err(JsError::new("no target file")),
    }
}

fn error_line(error: &ReadError) -> Option<usize> {
    match error {
        ReadError::Line { line, .. } => Some(*line),
        _ => None,
    }
}

fn failed_summary(role: Role, name: &str, error: &ReadError) -> FileSummary {
    FileSummary {
        role,
        name: name.to_string(),
        bytes: 0,
        records: 0,
        blank_lines: 0,
        skipped: 0,
        issues: Vec::new(),
        field: String::new(),
        fields: Vec::new(),
        short_keys: Vec::new(),
        preview: Vec::new(),
        error: Some(error.to_string()),
        error_line: error_line(error),
    }
}

fn source_summary(source: &Source) -> FileSummary {
    FileSummary {
        role: Role::Source,
        name: source.name.clone(),
        bytes: source.size,
        records: source.len(),
        blank_lines: source.blank_lines,
        skipped: source.skipped.len(),
        issues: source.shown_issues(),
        field: source.field().to_string(),
        fields: source.fields.clone(),
        short_keys: source.short_keys.clone(),
        preview: source.preview.clone(),
        error: source.error.as_ref().map(ToString::to_string),
        error_line: source.error.as_ref().and_then(error_line),
    }
}

fn target_summary(loaded: &Loaded) -> FileSummary {
    let corpus = &loaded.corpus;
    let field = corpus.field().as_str();
    FileSummary {
        role: Role::Target,
        name: corpus.name().to_string(),
        bytes: corpus.byte_len() as u64,
        records: corpus.len(),
        blank_lines: corpus.blank_lines(),
        skipped: corpus.issues().len(),
        issues: corpus
            .issues()
            .iter()
            .take(SHOWN_ISSUES)
            .map(|issue| IssueView {
                line: issue.line,
                problem: issue.problem.to_string(),
            })
            .collect(),
        field: field.to_string(),
        fields: loaded.fields.clone(),
        short_keys: short_keys(corpus.bytes(), field),
        preview: (0..corpus.len().min(3))
            .filter_map(|i| corpus.text(i).ok())
            .map(|t| one_line(&t, PREVIEW_CHARS))
            .collect(),
        error: loaded.error.as_ref().map(ToString::to_string),
        error_line: loaded.error.as_ref().and_then(error_line),
    }
}

/// The playground's figures for `x` and `y`: exact lengths for every compressor, and the
/// parse of `x ++ y` by `compressor` (`gzip` at `level`, or `lz4`). Needs no session.
#[wasm_bindgen]
pub fn pairing(id: u32, x: &str, y: &str, compressor: &str, level: u8) -> Result<JsValue, JsError> {
    let drawn = match compressor {
        "lz4" => Compressor::Lz4,
        _ => Compressor::Gzip {
            level: level.clamp(1, 9),
        },
    };
    let (x, y) = (x.as_bytes(), y.as_bytes());
    to_js(&Pairing {
        id,
        lengths: explain::all_compressors()
            .into_iter()
            .map(|c| explain::pair_lengths(c, x, y))
            .collect(),
        drawing: explain::drawing(drawn, x, y),
    })
}

/// Threads in the scoring pool.
#[wasm_bindgen]
pub fn thread_count() -> usize {
    rayon::current_num_threads()
}

#[cfg(test)]
mod tests {
    use super::*;
    use js_sys::Array;
    use wasm_bindgen_test::*;

    // FileReaderSync, which reads the source back, exists only in workers.
    wasm_bindgen_test_configure!(run_in_dedicated_worker);

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
        session.source_begin(blob(bytes), "s.jsonl", field, skip);
        for part in bytes.chunks(piece) {
            if !session.source_scan(part) {
                break;
            }
        }
        summary(session.source_end().unwrap())
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
        let steps = session.prepare(compressor, 9, stability).unwrap();
        while session.score_batch(1).unwrap() < steps {}
        let records = session.finish().unwrap();
        let scores = session.scores(session.runs.len() - 1).unwrap().to_vec();
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
        let expected =
            stability::report(&scores, &sums, &folds, budget, |i| tokens[i] as u64).unwrap();
        let budget_js = to_js(&budget).unwrap();
        let report: stability::Report =
            serde_wasm_bindgen::from_value(session.stability(0, budget_js.clone()).unwrap())
                .unwrap();
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
        assert_eq!(session.prepare("gzip", 9, false).unwrap(), 3);
        assert_eq!(session.score_batch(2).unwrap(), 2);
        assert_eq!(session.score_batch(10).unwrap(), 3);
        assert_eq!(session.finish().unwrap(), 3);
        let scores = session.scores(0).unwrap().to_vec();
        assert!(scores[0] > scores[1] && scores[2] > scores[1], "{scores:?}");
        let rows: Vec<RowView> =
            serde_wasm_bindgen::from_value(session.rows(2, 1, false).unwrap()).unwrap();
        assert_eq!(rows[0].index, 1, "the prose record ranks last");
        let first_line = &SOURCE[..SOURCE.iter().position(|&b| b == b'\n').unwrap()];
        let last_line =
            b"{\"text\":\"def mul(a, b):\\n    return a * b\\n\",\"origin\":\"python\"}";
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
}
