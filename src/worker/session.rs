//! [`Session`]: the scoring worker's state, and the facade `www/worker.js` calls.
//!
//! Each method converts between JavaScript values and Rust ones and hands the work to
//! the module that owns it; the state is the current files, the run being scored, the
//! finished runs and what was last computed from them.

use js_sys::{Float64Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::Blob;
use zipfit_core::checkpoint::Run;
use zipfit_core::gzip::Gunzip;
use zipfit_core::jsonl::{gunzip_file, ReadError};
use zipfit_core::select::Budget;

use super::column::{self, SyncAccessHandle};
use super::compare::{self, Comparing};
use super::dedup::{self, DiverseSelection};
use super::export::{Download, Made};
use super::parts::Kind;
use super::runs::Runs;
use super::scoring::Scoring;
use super::source::{read_options, Source, Store, GZIP_LIMIT};
use super::stored::{self, Inputs, Method};
use super::target::Target;
use super::tokens::Counting;
use super::{cut, explain, js_error, rows, stability, summary, to_js};
use crate::protocol::Role;

/// The worker's state, driven by `www/worker.js`.
#[wasm_bindgen]
#[derive(Default)]
pub struct Session {
    source: Option<Source>,
    target: Option<Target>,
    /// The files of a target set being given, each `(name, bytes)`.
    target_files: Vec<(String, Vec<u8>)>,
    scoring: Option<Scoring>,
    results: Results,
    download: Download,
    /// A gzip-compressed source being streamed, and its latest decompressed piece.
    gunzip: Option<Gunzip>,
    inflated: Vec<u8>,
    /// What token budgets count, and the counts so far.
    counting: Counting,
    /// How the current files were identified and read, for stored runs.
    inputs: Inputs,
    /// The identity of the run being scored, when it is stored.
    stored_run: Option<Run>,
    /// A stored run being read back.
    reading: Option<stored::Reading>,
}

/// What was computed from the current files: the finished runs and what was last
/// asked of them. All of it goes when a file changes.
#[derive(Default)]
struct Results {
    /// Every finished run over the current files, and the one shown.
    runs: Runs,
    comparing: Option<Comparing>,
    /// The shown run's diverse selection, when near-duplicates are left out.
    diverse: Option<DiverseSelection>,
    /// The stability figures last asked for, as `zipfit score --stability FILE` writes them.
    stability_json: Option<Vec<u8>>,
}

impl Results {
    /// What a download can be made from.
    fn made(&self) -> Made<'_> {
        Made {
            shown: self.runs.shown(),
            comparing: self.comparing.as_ref(),
            diverse: self.diverse.as_ref(),
            stability_json: self.stability_json.as_deref(),
        }
    }
}

fn budget_of(budget: JsValue) -> Result<Budget, JsError> {
    serde_wasm_bindgen::from_value(budget).map_err(js_error)
}

#[wasm_bindgen]
impl Session {
    /// An empty session.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session::default()
    }

    /// Hands the session an empty file of the origin's private file system, by its
    /// synchronous access handle, for a per-record column ([`super::column`]).
    pub fn add_column_file(&mut self, handle: SyncAccessHandle) {
        column::add_file(handle);
    }

    /// How many files [`Session::add_column_file`] gave are not in use yet.
    pub fn spare_column_files(&self) -> usize {
        column::spare_files()
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
        self.target_begin();
        self.target_file(name, bytes);
        self.target_end(name, field, skip_bad)
    }

    /// Starts reading a target set of one or more files: each is given to
    /// [`Session::target_file`], then [`Session::target_end`] reads them.
    pub fn target_begin(&mut self) {
        self.target = None;
        self.target_files.clear();
    }

    /// The next file of the target set: `name`, and its bytes.
    pub fn target_file(&mut self, name: &str, bytes: Vec<u8>) {
        self.target_files.push((name.to_string(), bytes));
    }

    /// Reads the target set `name` from the files given; returns its summary.
    pub fn target_end(
        &mut self,
        name: &str,
        field: &str,
        skip_bad: bool,
    ) -> Result<JsValue, JsError> {
        match Target::open(name, std::mem::take(&mut self.target_files)) {
            Ok(target) => self.target = Some(target),
            Err(error) => return to_js(&summary::failed(Role::Target, name, &error)),
        }
        self.read_target(field, skip_bad)
    }

    /// Re-reads the target file with another field or error policy.
    pub fn read_target(&mut self, field: &str, skip_bad: bool) -> Result<JsValue, JsError> {
        // Runs are kept for one pair of files; the page forgets them too.
        self.clear_run();
        self.read_as(Role::Target, field, skip_bad);
        let target = self
            .target
            .as_mut()
            .ok_or_else(|| JsError::new("no target file"))?;
        let summary = target.read(field, skip_bad);
        self.inputs.target.field = summary.field.clone();
        to_js(&summary)
    }

    /// Starts reading the source `name`, one or more files read one after the other as
    /// one source: for each, [`Session::source_file`], its pieces (JSONL:
    /// [`Session::source_scan`]; `.jsonl.gz`: [`Session::source_inflate`]; Parquet: its
    /// row groups, [`Session::source_parquet_scan`]) and [`Session::source_file_end`];
    /// then [`Session::source_end`].
    pub fn source_begin(&mut self, name: &str, field: &str, skip_bad: bool) {
        self.clear_run();
        self.read_as(Role::Source, field, skip_bad);
        self.source = Some(Source::new(name, field, read_options(field, skip_bad)));
    }

    /// Starts reading the source's next file, `file` named `name`, of `kind` (`jsonl`,
    /// `gzip` or `parquet`). For Parquet, reads its footer and returns its row groups
    /// (0 when it cannot be read); else returns 0.
    pub fn source_file(&mut self, file: Blob, name: &str, kind: &str) -> Result<usize, JsError> {
        let kind = Kind::named(kind).ok_or_else(|| js_error(format!("no such kind: {kind}")))?;
        let source = source_of(&mut self.source)?;
        match kind {
            Kind::Parquet => Ok(source.begin_parquet(name, file)),
            Kind::Gzip => {
                source.begin_file(name, kind);
                self.gunzip = Some(Gunzip::new());
                Ok(0)
            }
            Kind::Jsonl => {
                source.begin_file(name, kind);
                Ok(0)
            }
        }
    }

    /// Reads row group `group` of the Parquet file being read. False once a bad row
    /// stopped the read.
    pub fn source_parquet_scan(&mut self, group: usize) -> bool {
        self.source
            .as_mut()
            .is_some_and(|source| source.scan_group(group))
    }

    /// Reads the next piece of the JSONL file being read. False once a bad line stopped
    /// the read.
    pub fn source_scan(&mut self, piece: &[u8]) -> bool {
        self.source
            .as_mut()
            .is_some_and(|source| source.scan(piece))
    }

    /// Decompresses and reads the next compressed piece of the `.jsonl.gz` file being
    /// read; the worker writes what it decompressed ([`Session::inflated`]) to a scratch
    /// file. False once the read stopped (a bad line, or data that is not valid gzip).
    pub fn source_inflate(&mut self, piece: &[u8]) -> bool {
        let (Some(source), Some(gunzip)) = (self.source.as_mut(), self.gunzip.as_mut()) else {
            return false;
        };
        self.inflated.clear();
        if let Err(error) = gunzip.feed(piece, &mut self.inflated, usize::MAX) {
            let name = source
                .parts
                .current()
                .map_or(String::new(), |p| p.name.clone());
            source.error = Some(ReadError::gunzip(&name, error, usize::MAX));
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

    /// Ends the read of the file being read, whose (decompressed) bytes are `file`:
    /// the file itself, or for a `.jsonl.gz` file its scratch file.
    pub fn source_file_end(&mut self, file: Blob) -> Result<(), JsError> {
        let gunzip = self.gunzip.take();
        self.inflated = Vec::new();
        let source = source_of(&mut self.source)?;
        if source.error.is_none() {
            if let Some(Err(error)) = gunzip.as_ref().map(Gunzip::finish) {
                let name = source
                    .parts
                    .current()
                    .map_or(String::new(), |p| p.name.clone());
                source.error = Some(ReadError::gunzip(&name, error, usize::MAX));
            }
        }
        source.end_file(file);
        Ok(())
    }

    /// Ends the read of the source; returns its summary.
    pub fn source_end(&mut self) -> Result<JsValue, JsError> {
        let source = source_of(&mut self.source)?;
        source.finish_scan();
        let summary = summary::source(source);
        self.inputs.source.field = summary.field.clone();
        to_js(&summary)
    }

    /// The summary of a file whose reading stopped the module: arrow-rs asserts on some
    /// corrupt Parquet pages, and in Wasm a panic cannot be caught. The worker then
    /// starts a new session and reports the file with this.
    pub fn unreadable(&self, role: &str, name: &str) -> Result<JsValue, JsError> {
        let role = role_of(role);
        let error = ReadError::Parquet(format!(
            "{name}: not a readable Parquet file: its reader stopped on corrupt data"
        ));
        to_js(&summary::failed(role, name, &error))
    }

    /// Reads a source of one gzip-compressed file from its bytes, decompressed in memory
    /// (in browsers that cannot write a scratch file).
    pub fn source_gzip(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        field: &str,
        skip_bad: bool,
    ) -> Result<JsValue, JsError> {
        self.clear_run();
        self.read_as(Role::Source, field, skip_bad);
        self.source = None;
        let data = match gunzip_file(name, &bytes, GZIP_LIMIT) {
            Ok(data) => data,
            Err(error) => return to_js(&summary::failed(Role::Source, name, &error)),
        };
        drop(bytes);
        self.read_memory(name, data, field, skip_bad)
    }

    /// True when the source is held in memory (a decompressed `.jsonl.gz`), so that
    /// [`Session::source_reread`] re-reads it without the worker streaming the file.
    pub fn source_in_memory(&self) -> bool {
        matches!(
            self.source.as_ref().map(|s| &s.store),
            Some(Store::Memory(bytes)) if !bytes.is_empty()
        )
    }

    /// Re-reads a source held in memory with another field or error policy.
    pub fn source_reread(&mut self, field: &str, skip_bad: bool) -> Result<JsValue, JsError> {
        self.clear_run();
        self.read_as(Role::Source, field, skip_bad);
        let old = self
            .source
            .take()
            .ok_or_else(|| JsError::new("no source file"))?;
        let Store::Memory(bytes) = old.store else {
            return Err(JsError::new("the source is not held in memory"));
        };
        self.read_memory(&old.name, bytes, field, skip_bad)
    }

    /// Prepares a run: see [`Scoring::prepare`]. `label` is how the page names it. Returns
    /// the number of steps [`Session::score_batch`] counts: one per record per pass.
    pub fn prepare(
        &mut self,
        compressor: &str,
        level: u8,
        stability: bool,
        label: &str,
    ) -> Result<usize, JsError> {
        let source = usable(&self.source)?;
        let target = self.usable_target()?;
        let (scoring, steps) =
            Scoring::prepare(source, target, compressor, level, stability).map_err(js_error)?;
        let method = Method {
            compressor: compressor.to_string(),
            level,
            stability,
            label: label.to_string(),
        };
        self.stored_run = self.inputs.run(source.len(), &method).ok();
        self.scoring = Some(scoring);
        Ok(steps)
    }

    /// Identifies the files of `role` as the user gave them (`files[k]` named
    /// `names[k]`, last modified at `modified[k]` ms), for stored runs: each file's
    /// name, size, time and a hash of sampled bytes.
    pub fn identify(
        &mut self,
        role: &str,
        files: js_sys::Array,
        names: Vec<String>,
        modified: Vec<f64>,
    ) -> Result<(), JsError> {
        let mut identities = Vec::with_capacity(names.len());
        for (k, name) in names.iter().enumerate() {
            let file: Blob = files.get(k as u32).unchecked_into();
            let when = modified.get(k).copied().unwrap_or(0.0);
            identities.push(stored::identify(&file, name, when).map_err(js_error)?);
        }
        self.inputs.get_mut(role_of(role)).identity = stored::identity_of_files(&identities);
        Ok(())
    }

    /// The first line of the stored file of the run just prepared (empty when the files
    /// could not be identified, so the run is not stored).
    pub fn stored_header(&self) -> Vec<u8> {
        self.stored_run
            .as_ref()
            .map_or_else(Vec::new, zipfit_core::checkpoint::header)
    }

    /// The line to add to the run's stored file for the batches scored since the last
    /// call (empty when there are none): written and flushed before they count as done.
    pub fn stored_line(&mut self) -> Vec<u8> {
        match (&self.stored_run, self.scoring.as_mut()) {
            (Some(_), Some(scoring)) => scoring.stored_line(),
            _ => Vec::new(),
        }
    }

    /// Starts reading back the stored run `name` of the current files, whose file starts
    /// with `head` (its first line at least). Returns where in the file the pieces
    /// [`Session::stored_piece`] reads start; then [`Session::restore_end`] or, for the
    /// run just prepared, [`Session::resume_end`].
    pub fn stored_begin(&mut self, name: &str, head: &[u8]) -> Result<usize, JsError> {
        let records = usable(&self.source)?.len();
        let reading = stored::Reading::new(name, head, &self.inputs, records).map_err(js_error)?;
        let from = reading.from();
        self.reading = Some(reading);
        Ok(from)
    }

    /// Reads the next piece of the stored run's file.
    pub fn stored_piece(&mut self, piece: &[u8]) -> Result<(), JsError> {
        let reading = self
            .reading
            .as_mut()
            .ok_or_else(|| JsError::new("stored_begin() first"))?;
        reading.push(piece);
        Ok(())
    }

    /// The stored run read ([`Session::stored_begin`]) is the one just prepared: it
    /// continues from there, and the records it holds are not scored again. Returns
    /// `{ done, good }`: the steps done, and how many leading bytes of the file are whole
    /// batches (the rest, a batch cut short, is to be cut off).
    pub fn resume_end(&mut self) -> Result<JsValue, JsError> {
        let reading = self.take_reading()?;
        let (_, good) = reading.end().map_err(js_error)?;
        let records = usable(&self.source)?.len();
        let run = self.inputs.run(records, &reading.method).ok();
        if run.is_none() || run != self.stored_run {
            return Err(js_error(format!(
                "{}: a run of another method",
                reading.name
            )));
        }
        let scoring = self
            .scoring
            .as_mut()
            .ok_or_else(|| JsError::new("prepare() first"))?;
        let done = scoring
            .resume(reading.scores, &reading.sums)
            .map_err(js_error)?;
        to_js(&serde_json::json!({ "done": done, "good": good }))
    }

    /// What the stored run whose file starts with `head` is (label, files, records,
    /// whether it scored the current files), or null when it is not a stored run.
    pub fn describe_stored(&self, head: &[u8]) -> Result<JsValue, JsError> {
        let records = self.source.as_ref().map_or(0, Source::len);
        match stored::describe(head, &self.inputs, records) {
            Some(described) => to_js(&described),
            None => Ok(JsValue::NULL),
        }
    }

    /// The stored run read ([`Session::stored_begin`]) of the current files: a finished
    /// one is kept like a run just scored (it becomes the shown one). Returns
    /// `{ method, done, records }`; `done < records` is an interrupted run, which
    /// [`Session::resume_end`] continues.
    pub fn restore_end(&mut self) -> Result<JsValue, JsError> {
        let reading = self.take_reading()?;
        let (done, _) = reading.end().map_err(js_error)?;
        let source = usable(&self.source)?;
        let records = source.len();
        let method = reading.method.clone();
        if done == records {
            let target = self.usable_target()?;
            let (mut scoring, _) = Scoring::prepare(
                source,
                target,
                &method.compressor,
                method.level,
                method.stability,
            )
            .map_err(js_error)?;
            scoring
                .resume(reading.scores, &reading.sums)
                .map_err(js_error)?;
            self.results.runs.push(scoring.finish());
        }
        to_js(&serde_json::json!({ "method": method, "done": done, "records": records }))
    }

    /// Scores (or, in DSIR's first pass, counts) the next `count` records, in parallel;
    /// returns how many steps are done in all.
    pub fn score_batch(&mut self, count: usize) -> Result<usize, JsError> {
        let source = usable(&self.source)?;
        let scoring = self
            .scoring
            .as_mut()
            .ok_or_else(|| JsError::new("prepare() first"))?;
        scoring.batch(source, count).map_err(js_error)
    }

    /// Usable records of the source.
    pub fn source_records(&self) -> usize {
        self.source.as_ref().map_or(0, Source::len)
    }

    /// Pairs per record in the prepared run (0 for DSIR, which compares no pairs).
    pub fn target_count(&self) -> usize {
        self.scoring.as_ref().map_or(0, Scoring::target_count)
    }

    /// Ranks the finished run and keeps it (it becomes the shown run); returns its
    /// number of records. The page gets figures ([`Session::cut`]), never the scores.
    pub fn finish(&mut self) -> Result<usize, JsError> {
        let scoring = self
            .scoring
            .take()
            .ok_or_else(|| JsError::new("prepare() first"))?;
        let run = scoring.finish();
        let records = run.scores.len();
        self.results.runs.push(run);
        Ok(records)
    }

    /// Run `run`'s scores, in source order.
    pub fn scores(&self, run: usize) -> Result<Float64Array, JsError> {
        let kept = self.results.runs.get(run).map_err(js_error)?;
        Ok(Float64Array::from(kept.scores.to_vec().as_slice()))
    }

    /// The shown run cut at `budget` (a `select::Budget` as JSON): how many it keeps,
    /// their tokens, the histogram of scores and of kept scores, and the breakdown by
    /// `group_field` ("" for none).
    pub fn cut(&mut self, budget: JsValue, group_field: &str) -> Result<JsValue, JsError> {
        let budget = budget_of(budget)?;
        let source = source_of(&mut self.source)?;
        let run = self.results.runs.shown().map_err(js_error)?;
        let number = self.results.runs.shown_index();
        let cut = cut::cut(source, &mut self.counting, run, number, budget, group_field);
        to_js(&cut.map_err(js_error)?)
    }

    /// Token budgets count with `name` from now on: `bytes`, `words`, `cl100k_base` or
    /// `o200k_base` (`bytes` holds its rank file), or `file` (`bytes` holds a tokenizer.json
    /// named `file_name`). An unusable file throws, naming the problem, and the counter
    /// stays as it was.
    pub fn set_counter(
        &mut self,
        name: &str,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<String, JsError> {
        self.counting
            .choose(name, file_name, bytes)
            .map_err(js_error)?;
        Ok(self.counting.name())
    }

    /// Makes run `run` (0-based, in the order runs finished) the shown one.
    pub fn show(&mut self, run: usize) -> Result<(), JsError> {
        self.results.runs.show(run).map_err(js_error)?;
        self.results.diverse = None;
        Ok(())
    }

    /// A diverse selection of the shown run at `budget` (a `select::Budget` as JSON)
    /// with near-duplicates (similarity at least `threshold`) left out. Downloads
    /// `diverse-selected`, `diverse-rejected` and `duplicates` then use it.
    pub fn dedup(&mut self, threshold: f64, budget: JsValue) -> Result<JsValue, JsError> {
        let budget = budget_of(budget)?;
        let source = usable(&self.source)?;
        let run = self.results.runs.shown().map_err(js_error)?;
        let number = self.results.runs.shown_index();
        let (summary, selection) =
            dedup::select(source, &mut self.counting, run, number, threshold, budget)
                .map_err(js_error)?;
        self.results.diverse = Some(selection);
        to_js(&summary)
    }

    /// Rows `start..start+count` of the records the last [`Session::dedup`] left out.
    pub fn duplicate_rows(&self, start: usize, count: usize) -> Result<JsValue, JsError> {
        let source = usable(&self.source)?;
        let diverse = self
            .results
            .diverse
            .as_ref()
            .ok_or_else(|| JsError::new("leave out near-duplicates first"))?;
        let scores = &self.results.runs.shown().map_err(js_error)?.scores;
        to_js(&diverse.duplicate_rows(source, scores, start, count))
    }

    /// The stability figures of run `run` at `budget` (a `select::Budget` as JSON).
    pub fn stability(&mut self, run: usize, budget: JsValue) -> Result<JsValue, JsError> {
        let budget = budget_of(budget)?;
        let kept = self.results.runs.get(run).map_err(js_error)?;
        let source = usable(&self.source)?;
        let (report, json) =
            stability::report(kept, source, &mut self.counting, budget).map_err(js_error)?;
        self.results.stability_json = Some(json);
        to_js(&report)
    }

    /// Compares runs `a` and `b` at `budget` (a `select::Budget` as JSON): Spearman, the
    /// kept sets' overlap and a density grid. The records only one keeps are then
    /// browsed with [`Session::compared_rows`] and downloaded as `only-a` / `only-b`.
    pub fn compare(&mut self, a: usize, b: usize, budget: JsValue) -> Result<JsValue, JsError> {
        let budget = budget_of(budget)?;
        let source = usable(&self.source)?;
        let (compared, comparing) = compare::compare(
            source,
            &mut self.counting,
            &self.results.runs,
            self.results.comparing.as_ref(),
            (a, b),
            budget,
        )
        .map_err(js_error)?;
        self.results.comparing = Some(comparing);
        to_js(&compared)
    }

    /// Every run against every other at `budget`: Spearman and the kept sets' overlap.
    pub fn matrix(&mut self, budget: JsValue) -> Result<JsValue, JsError> {
        let budget = budget_of(budget)?;
        let source = usable(&self.source)?;
        let matrix = compare::matrix(source, &mut self.counting, &self.results.runs, budget)
            .map_err(js_error)?;
        to_js(&matrix)
    }

    /// Rows `start..start+count` of the records only run A (`side` "a") or only run B
    /// keeps in the last comparison, each with its score in that run.
    pub fn compared_rows(
        &self,
        side: &str,
        start: usize,
        count: usize,
    ) -> Result<JsValue, JsError> {
        let source = usable(&self.source)?;
        let comparing = self
            .results
            .comparing
            .as_ref()
            .ok_or_else(|| JsError::new("compare first"))?;
        let rows = comparing
            .rows(source, &self.results.runs, side, start, count)
            .map_err(js_error)?;
        to_js(&rows)
    }

    /// Table rows for ranking positions `start..start+count` of the shown run. With
    /// `diverse`, each row says whether the last diverse selection keeps it.
    pub fn rows(&self, start: usize, count: usize, diverse: bool) -> Result<JsValue, JsError> {
        let source = usable(&self.source)?;
        let run = self.results.runs.shown().map_err(js_error)?;
        let kept = self
            .results
            .diverse
            .as_ref()
            .filter(|_| diverse)
            .map(|selection| selection.kept.as_slice());
        to_js(&rows::ranked(source, run, kept, start, count))
    }

    /// The full text of source record `index`.
    pub fn text(&self, index: usize) -> Result<String, JsError> {
        usable(&self.source)?.text(index).map_err(js_error)
    }

    /// Why source record `index` scores what it does in the shown run: each target's
    /// `1 - NCD`, with the texts of the best and worst few for the playground.
    pub fn explain(&self, index: usize) -> Result<JsValue, JsError> {
        let source = usable(&self.source)?;
        let target = self.usable_target()?;
        let run = self.results.runs.shown().map_err(js_error)?;
        to_js(&explain::explain(source, target, run, index).map_err(js_error)?)
    }

    /// Starts a download: see [`Download::begin`]. [`Session::export_next`] then gives
    /// it in parts.
    pub fn export_begin(
        &mut self,
        kind: &str,
        count: usize,
        input_order: bool,
    ) -> Result<(), JsError> {
        let source = source_of(&mut self.source)?;
        self.download
            .begin(kind, count, input_order, source, self.results.made())
            .map_err(js_error)
    }

    /// Makes the next part of the download (about `max_bytes`); returns its length,
    /// 0 once the download is complete. [`Session::export_part`] shows the part.
    pub fn export_next(&mut self, max_bytes: usize) -> Result<usize, JsError> {
        let source = source_of(&mut self.source)?;
        self.download
            .next(source, self.results.made(), max_bytes)
            .map_err(js_error)
    }

    /// The part made by the last [`Session::export_next`], as a view of the module's
    /// memory rather than a copy, so that large downloads leave no garbage behind. The
    /// view is valid only until the session is next called: write it (or copy it) at once.
    pub fn export_part(&self) -> Uint8Array {
        // SAFETY: the view is used by the caller before any other call into this module
        // (www/worker.js writes it synchronously or copies it), so the part is neither
        // moved nor freed, and the memory does not grow, while it is in use.
        unsafe { Uint8Array::view(self.download.part()) }
    }
}

impl Session {
    /// Reads a source held in memory; returns its summary.
    fn read_memory(
        &mut self,
        name: &str,
        bytes: Vec<u8>,
        field: &str,
        skip_bad: bool,
    ) -> Result<JsValue, JsError> {
        let mut source = Source::new(name, field, read_options(field, skip_bad));
        source.scan_memory(name, bytes);
        let summary = summary::source(&source);
        self.inputs.source.field = summary.field.clone();
        self.source = Some(source);
        to_js(&summary)
    }

    /// Notes how the file `role` is read now: part of a stored run's identity (the
    /// field asked for, until the read names the one it used).
    fn read_as(&mut self, role: Role, field: &str, skip_bad: bool) {
        let input = self.inputs.get_mut(role);
        input.field = field.to_string();
        input.skip_bad = skip_bad;
    }

    /// Drops every run: they scored another source.
    fn clear_run(&mut self) {
        self.scoring = None;
        self.stored_run = None;
        self.reading = None;
        self.counting.clear();
        self.results = Results::default();
        self.download.cancel();
    }

    /// The stored run [`Session::stored_begin`] started reading, now read.
    fn take_reading(&mut self) -> Result<stored::Reading, JsError> {
        self.reading
            .take()
            .ok_or_else(|| JsError::new("stored_begin() first"))
    }

    fn usable_target(&self) -> Result<&Target, JsError> {
        match &self.target {
            Some(target) => target.usable().map_err(js_error),
            None => Err(JsError::new("no target file")),
        }
    }
}

/// The role named in a message ("source" or "target").
fn role_of(name: &str) -> Role {
    if name == "target" {
        Role::Target
    } else {
        Role::Source
    }
}

/// The source file, however its read went.
fn source_of(source: &mut Option<Source>) -> Result<&mut Source, JsError> {
    source
        .as_mut()
        .ok_or_else(|| JsError::new("no source file"))
}

/// The source, when it was read without an error that stops its use.
fn usable(source: &Option<Source>) -> Result<&Source, JsError> {
    match source {
        Some(source) => match &source.error {
            None => Ok(source),
            Some(error) => Err(js_error(error)),
        },
        None => Err(JsError::new("no source file")),
    }
}

/// Threads in the scoring pool.
#[wasm_bindgen]
pub fn thread_count() -> usize {
    rayon::current_num_threads()
}

#[cfg(test)]
mod tests;
