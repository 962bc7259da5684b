//! The scoring worker's state: the streamed source, the targets, and the scores.
//!
//! Runs inside the dedicated worker (`www/worker.js`), never on the page's thread,
//! because rayon blocks while it waits for its threads (and `FileReaderSync` exists
//! only in workers). All the work is done by `zipfit-core`; this module and
//! `crate::source` only adapt it to JavaScript values and to a source read as a stream.

use js_sys::{Float64Array, Uint16Array, Uint32Array, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use web_sys::Blob;
use zipfit_core::compress::{Backend, Compressor};
use zipfit_core::explain;
use zipfit_core::export::{self, Order};
use zipfit_core::gzip::Gunzip;
use zipfit_core::jsonl::{
    field_candidates, gunzip_file, Corpus, FieldPath, OnError, ReadError, ReadOptions,
};
use zipfit_core::score::{Aligner, Method, Targets};
use zipfit_core::select;
use zipfit_core::tokens::TokenEstimate;

use crate::protocol::{
    Explained, FileSummary, GroupLabels, IssueView, Pairing, Role, RowView, TargetTerm,
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
}

/// The worker's state, driven by `www/worker.js`.
#[wasm_bindgen]
#[derive(Default)]
pub struct Session {
    source: Option<Source>,
    target: Option<Loaded>,
    targets: Option<Targets>,
    scores: Vec<f64>,
    order: Vec<u32>,
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
        self.targets = None;
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

    /// Prepares a run: computes `C(y)` of every target. Returns the number of source records.
    pub fn prepare(&mut self, compressor: &str, level: u8) -> Result<usize, JsError> {
        let compressor = match compressor {
            "lz4" => Compressor::Lz4,
            _ => Compressor::Gzip {
                level: level.clamp(1, 9),
            },
        };
        let source = usable_source(&self.source)?;
        let target = usable_target(&self.target)?;
        let texts = target.texts().map_err(js_error)?;
        self.targets = Some(Targets::new(
            texts,
            Method {
                compressor,
                backend: Backend::Model,
            },
        ));
        self.scores = Vec::with_capacity(source.len());
        self.order = Vec::new();
        Ok(source.len())
    }

    /// Scores the next `count` records (in parallel); returns how many are done in all.
    pub fn score_batch(&mut self, count: usize) -> Result<usize, JsError> {
        let source = usable_source(&self.source)?;
        let targets = self
            .targets
            .as_ref()
            .ok_or_else(|| JsError::new("prepare() first"))?;
        let start = self.scores.len();
        let end = (start + count).min(source.len());
        if start < end {
            let batch = source.score(start..end, targets).map_err(js_error)?;
            self.scores.extend(batch);
        }
        Ok(self.scores.len())
    }

    /// Number of targets in the prepared run.
    pub fn target_count(&self) -> usize {
        self.targets.as_ref().map_or(0, Targets::len)
    }

    /// Ranks the finished scores; returns them (source order) for the page.
    pub fn finish(&mut self) -> Float64Array {
        self.order = select::rank(&self.scores);
        Float64Array::from(self.scores.as_slice())
    }

    /// Record indices by rank.
    pub fn order(&self) -> Uint32Array {
        Uint32Array::from(self.order.as_slice())
    }

    /// Estimated tokens of every source record, in source order.
    pub fn tokens(&self) -> Result<Uint32Array, JsError> {
        Ok(Uint32Array::from(usable_source(&self.source)?.tokens()))
    }

    /// Table rows for ranking positions `start..start+count`.
    pub fn rows(&self, start: usize, count: usize) -> Result<JsValue, JsError> {
        let source = usable_source(&self.source)?;
        let end = (start + count).min(self.order.len());
        let rows: Vec<RowView> = (start.min(end)..end)
            .map(|position| {
                let index = self.order[position] as usize;
                let value = source.value(index).unwrap_or(serde_json::Value::Null);
                let text = source
                    .options
                    .field
                    .extract(&value)
                    .map(|t| one_line(&t, PREVIEW_CHARS))
                    .unwrap_or_default();
                RowView {
                    position,
                    index,
                    line: source.line(index) as usize,
                    score: self.scores[index],
                    short: source
                        .short_keys
                        .iter()
                        .map(|k| value.get(k).and_then(short_value).unwrap_or_default())
                        .collect(),
                    preview: text,
                }
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
        let targets = self
            .targets
            .as_ref()
            .ok_or_else(|| JsError::new("score first"))?;
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

    /// Labels of `field` for the breakdown of a selection; [`Session::group_codes`]
    /// then gives every record's label.
    pub fn groups(&mut self, field: &str) -> Result<JsValue, JsError> {
        let source = self
            .source
            .as_mut()
            .ok_or_else(|| JsError::new("no source file"))?;
        let grouping = source.group_by(field).map_err(js_error)?;
        to_js(&GroupLabels {
            field: grouping.field.clone(),
            labels: grouping.labels.clone(),
        })
    }

    /// Per record, the index of its label in the last [`Session::groups`].
    pub fn group_codes(&self) -> Result<Uint16Array, JsError> {
        Ok(Uint16Array::from(
            usable_source(&self.source)?.grouping.codes.as_slice(),
        ))
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
        self.export = Some(match kind {
            "selected" => ExportJob::Lines {
                indices: export::kept(&self.order, count, order),
                next: 0,
                window: Vec::new(),
                sent: 0,
            },
            "rejected" => ExportJob::Lines {
                indices: export::rejected(&self.order, count),
                next: 0,
                window: Vec::new(),
                sent: 0,
            },
            "skipped" => ExportJob::Skipped { next: 0 },
            "scores.jsonl" | "scores.csv" => ExportJob::Scores {
                csv: kind == "scores.csv",
                ranks: select::ranks(&self.order),
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
                        row(out, i, source.line(i), self.scores[i], ranks[i])?;
                        *next += 1;
                    }
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

    fn clear_run(&mut self) {
        self.targets = None;
        self.scores = Vec::new();
        self.order = Vec::new();
        self.export = None;
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

    #[wasm_bindgen_test]
    fn scores_rank_and_export_original_lines() {
        let mut session = Session::new();
        stream(&mut session, SOURCE, 5, "text", true);
        session
            .load_target("t.jsonl", TARGET.to_vec(), "", false)
            .unwrap();
        assert_eq!(session.prepare("gzip", 9).unwrap(), 3);
        assert_eq!(session.score_batch(2).unwrap(), 2);
        assert_eq!(session.score_batch(10).unwrap(), 3);
        let scores = session.finish().to_vec();
        assert!(scores[0] > scores[1] && scores[2] > scores[1], "{scores:?}");
        assert_eq!(session.order().to_vec()[2], 1);
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
        let labels: GroupLabels =
            serde_wasm_bindgen::from_value(session.groups("origin").unwrap()).unwrap();
        assert_eq!(labels.labels, vec!["python".to_string(), "doc".to_string()]);
        assert_eq!(session.group_codes().unwrap().to_vec(), vec![0, 1, 0]);
        // Another field is read from the file again.
        let labels: GroupLabels =
            serde_wasm_bindgen::from_value(session.groups("text").unwrap()).unwrap();
        assert_eq!(labels.labels.len(), 3);
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
