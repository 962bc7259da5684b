//! The page's state: one value, changed only by [`Action`]s through the reducer. The
//! views in `crate::page::views` draw it; `crate::page::app` turns user events and worker messages
//! into actions.

use crate::page::chosen::Chosen;
use std::collections::HashMap;
use std::rc::Rc;

use yew::prelude::*;
use zipfit_core::select::Budget;

use zipfit_core::stability::Report;

use crate::page::bridge::{FromWorker, Scored};
use crate::page::playground::{Playground, PlaygroundAction};
use crate::page::route::Route;
use crate::page::shared::Shared;
use crate::page::text::bytes_label;
use crate::protocol::{
    Compared, Cut, Diversity, DuplicateRow, Explained, FileSummary, Role, RowView, RunMatrix,
    RunMethod, Storage,
};

/// The kinds of budget the user can pick.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum BudgetKind {
    Count,
    Percent,
    Tokens,
    Threshold,
}

impl BudgetKind {
    /// The core budget for a value of this kind.
    pub fn budget(self, value: f64) -> Budget {
        match self {
            BudgetKind::Count => Budget::Count(value.max(0.0) as usize),
            BudgetKind::Percent => Budget::Percent(value),
            BudgetKind::Tokens => Budget::Tokens(value.max(0.0) as u64),
            BudgetKind::Threshold => Budget::Threshold(value),
        }
    }
}

/// What token budgets count: the "Count tokens with" choice.
#[derive(Clone, PartialEq)]
pub struct TokenChoice {
    /// The counter in use: `bytes`, `words`, `cl100k_base`, `o200k_base` or `file`.
    pub kind: String,
    /// The dropped tokenizer.json in use (or last used), kept for the session; it never
    /// leaves the tab.
    pub file: Option<web_sys::File>,
    /// A choice the worker is loading: its kind, and the file for `file`.
    pub pending: Option<(String, Option<web_sys::File>)>,
    /// Why the last choice could not be used (the counter before it stays in use).
    pub error: Option<String>,
    /// The counter in use, as summaries name it ("bytes / 4", "cl100k_base", a file name).
    pub name: String,
    /// Counts each counter taken, so that what depends on counts is asked for again.
    pub revision: u32,
}

impl Default for TokenChoice {
    fn default() -> Self {
        TokenChoice {
            kind: "bytes".to_string(),
            file: None,
            pending: None,
            error: None,
            name: "bytes / 4".to_string(),
            revision: 0,
        }
    }
}

impl TokenChoice {
    /// The choice shown: the one loading, else the one in use.
    pub fn shown_kind(&self) -> &str {
        self.pending.as_ref().map_or(&self.kind, |(kind, _)| kind)
    }

    /// The tokenizer file offered as a choice: the one loading, else the last used.
    pub fn shown_file(&self) -> Option<&web_sys::File> {
        match &self.pending {
            Some((_, Some(file))) => Some(file),
            _ => self.file.as_ref(),
        }
    }
}

/// Where an input's bytes come from.
#[derive(Clone, PartialEq)]
pub enum Input {
    /// Files the user dropped or picked: one, several, or a folder's.
    Files(Chosen),
    /// A bundled example, by URL relative to the page.
    Example(&'static str),
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::Files(chosen) => chosen.name.clone(),
            Input::Example(url) => url.rsplit('/').next().unwrap_or(url).to_string(),
        }
    }
}

/// One of the two input files.
#[derive(Clone, PartialEq, Default)]
pub struct FileSlot {
    /// What was chosen.
    pub input: Option<Input>,
    /// What the worker found in it.
    pub summary: Option<FileSummary>,
    /// Being read.
    pub loading: bool,
    /// How much of the file was read so far (0 to 1), for large files.
    pub progress: Option<f64>,
    /// A problem found before the worker saw the file.
    pub error: Option<String>,
    /// Skip bad lines instead of stopping.
    pub skip_bad: bool,
}

impl FileSlot {
    pub fn usable(&self) -> bool {
        !self.loading
            && self
                .summary
                .as_ref()
                .is_some_and(|s| s.error.is_none() && s.records > 0)
    }

    pub fn field(&self) -> String {
        self.summary
            .as_ref()
            .map(|s| s.field.clone())
            .unwrap_or_default()
    }
}

/// Where a scoring run stands.
#[derive(Clone, PartialEq)]
pub enum Run {
    /// Nothing running.
    Idle,
    /// Scoring.
    Running {
        done: usize,
        total: usize,
        /// Records done when it started (a resumed run's stored ones).
        first: usize,
        pairs: f64,
        seconds: f64,
        /// The pass of a two-pass method (DSIR), else empty.
        label: String,
    },
    /// Cancel requested.
    Cancelling,
    /// Stopped by the user.
    Cancelled,
    /// Failed.
    Failed(String),
}

/// The scoring method chosen.
#[derive(Clone, Copy, PartialEq)]
pub enum CompressorChoice {
    /// gzip at a level.
    Gzip,
    /// LZ4 at a level (0, the fastest, by default).
    Lz4,
    /// zstd at a level.
    Zstd,
    /// lzma (.xz) at preset 6.
    Lzma,
    /// The DSIR baseline: hashed n-gram importance weights (no compression).
    Dsir,
}

impl CompressorChoice {
    /// Every choice, in the order the page lists them.
    pub const ALL: [CompressorChoice; 5] = [
        CompressorChoice::Gzip,
        CompressorChoice::Lz4,
        CompressorChoice::Zstd,
        CompressorChoice::Lzma,
        CompressorChoice::Dsir,
    ];

    /// The method a message names (`gzip`, `lz4`, `zstd`, `lzma` or `dsir`).
    pub fn from_name(name: &str) -> CompressorChoice {
        CompressorChoice::ALL
            .into_iter()
            .find(|c| c.name() == name)
            .unwrap_or(CompressorChoice::Gzip)
    }

    /// The method's name in messages to the worker.
    pub fn name(self) -> &'static str {
        match self {
            CompressorChoice::Gzip => "gzip",
            CompressorChoice::Lz4 => "lz4",
            CompressorChoice::Zstd => "zstd",
            CompressorChoice::Lzma => "lzma",
            CompressorChoice::Dsir => "dsir",
        }
    }

    /// How the compressor list shows it.
    pub fn title(self) -> &'static str {
        match self {
            CompressorChoice::Gzip => "gzip (paper's default)",
            CompressorChoice::Lz4 => "LZ4 (level 0: paper's best)",
            CompressorChoice::Zstd => "zstd",
            CompressorChoice::Lzma => "lzma (.xz, preset 6)",
            CompressorChoice::Dsir => "DSIR baseline (hashed n-grams)",
        }
    }

    /// The levels the page offers, each exact (see `Compressor::named`); empty for DSIR.
    pub fn levels(self) -> Vec<u8> {
        match self {
            CompressorChoice::Gzip => (1..=9).collect(),
            CompressorChoice::Lz4 => (0..=12).collect(),
            CompressorChoice::Zstd => (1..=22).collect(),
            CompressorChoice::Lzma => vec![6],
            CompressorChoice::Dsir => Vec::new(),
        }
    }

    /// The level the paper's code uses when it names none.
    pub fn default_level(self) -> u8 {
        match self {
            CompressorChoice::Gzip => 9,
            CompressorChoice::Zstd => 3,
            CompressorChoice::Lzma => 6,
            CompressorChoice::Lz4 | CompressorChoice::Dsir => 0,
        }
    }

    /// How a run at `level` is named: "gzip level 9", "LZ4" (its fastest level), "LZ4
    /// level 9", "zstd level 3", "lzma", "DSIR (hashed n-grams)".
    pub fn run_label(self, level: u8) -> String {
        match self {
            CompressorChoice::Gzip => format!("gzip level {level}"),
            CompressorChoice::Lz4 if level == 0 => "LZ4".to_string(),
            CompressorChoice::Lz4 => format!("LZ4 level {level}"),
            CompressorChoice::Zstd => format!("zstd level {level}"),
            CompressorChoice::Lzma => "lzma".to_string(),
            CompressorChoice::Dsir => "DSIR (hashed n-grams)".to_string(),
        }
    }

    /// The method of a run at `level`.
    pub fn method(self, level: u8, stability: bool) -> RunMethod {
        RunMethod {
            compressor: self.name().to_string(),
            level,
            stability: stability && self != CompressorChoice::Dsir,
            label: self.run_label(level),
        }
    }
}

/// A finished run, kept for showing again and for comparison.
#[derive(Clone, PartialEq)]
pub struct RunInfo {
    /// "gzip level 9", "LZ4", "DSIR".
    pub label: String,
    /// The method, so that views know whether per-target terms exist (not for DSIR).
    pub method: CompressorChoice,
    /// It kept fold sums: the stability figures can be shown.
    pub stability: bool,
    /// Its scores, ranking and tokens.
    pub scored: Shared<Scored>,
}

/// What a cut is of: the run, the budget and the breakdown's field.
pub type CutKey = (usize, Budget, String);

/// The compare view: which two runs, and what the worker found.
#[derive(Clone, PartialEq, Default)]
pub struct Comparison {
    /// Runs A and B (indexes into `State::runs`).
    pub runs: (usize, usize),
    /// The figures, once the worker sent them for `runs` and the current budget.
    pub result: Option<Compared>,
    /// Rows of the records only A keeps and only B keeps, by position, as received.
    pub rows: [Shared<HashMap<usize, RowView>>; 2],
    /// Every run against every other, at the current budget.
    pub matrix: Option<RunMatrix>,
}

/// Everything the page shows.
#[derive(Clone, PartialEq)]
pub struct State {
    pub threads: usize,
    /// A thread count typed that is not one, with why.
    pub threads_refused: Option<String>,
    pub pool_threads: Option<usize>,
    pub source: FileSlot,
    pub target: FileSlot,
    pub compressor: CompressorChoice,
    pub level: u8,
    pub run: Run,
    /// Keep fold sums while scoring, for the stability figures.
    pub stability: bool,
    /// The shown run's results.
    pub scored: Option<Shared<Scored>>,
    pub method_label: String,
    /// Every finished run over the current files, oldest first.
    pub runs: Vec<RunInfo>,
    /// Which of `runs` is shown.
    pub shown_run: usize,
    /// The label, method and stability choice of the run being scored.
    pub pending: Option<(String, CompressorChoice, bool)>,
    /// Runs still to score in a sweep over levels, in order: each starts when the one
    /// before it ends, and a cancel or an error drops the rest.
    pub sweep: Vec<RunMethod>,
    /// The shown run's stability figures at the current budget (run, budget, report).
    pub stability_report: Option<(usize, Budget, Report)>,
    /// The stability figures asked for and not yet answered (run, budget): one at a time,
    /// since at scale each takes a while.
    pub stability_sent: Option<(usize, Budget)>,
    pub comparison: Comparison,
    /// Leave near-duplicates out of the kept set.
    pub dedup: bool,
    /// Estimated Jaccard similarity at or above which a record is a near-duplicate.
    pub dedup_threshold: f64,
    /// The shown run's diverse selection, once the worker made it.
    pub diversity: Option<Diversity>,
    /// Rows of the records it left out, by position, as received.
    pub duplicate_rows: Shared<HashMap<usize, DuplicateRow>>,
    pub budget_kind: BudgetKind,
    pub budget_value: f64,
    /// What token budgets count.
    pub tokens: TokenChoice,
    pub input_order: bool,
    pub rows: Shared<HashMap<usize, RowView>>,
    /// The opened row and, once the worker sent it, its full text.
    pub detail: Option<(RowView, Option<String>)>,
    /// The shown run cut at the budget (kept count, histogram, breakdown), from the worker.
    pub cut: Option<Cut>,
    /// The cut asked for and not yet answered: only one is in flight at a time.
    pub cut_sent: Option<CutKey>,
    pub group_field: String,
    pub worker_error: Option<String>,
    /// What became of the last download written to a file the user picked.
    pub saved: Option<String>,
    /// Score as soon as both files are read (the example button).
    pub autostart: bool,
    /// The view shown.
    pub route: Route,
    pub playground: Playground,
    /// Why the opened record scores what it does.
    pub explained: Option<Explained>,
    /// The runs kept in the browser's storage.
    pub storage: Storage,
    /// Why a run could not be kept there, if so.
    pub storage_error: Option<String>,
    /// Counts workers started: a new one starts when the one before stopped.
    pub worker_generation: u32,
    /// What the page says after the worker stopped, until the next run starts.
    pub notice: Option<String>,
}

/// Everything that changes the state.
pub enum Action {
    Worker(FromWorker),
    SetThreads(usize),
    /// A thread count typed that is not one (1 to 64), with why.
    ThreadsRefused(String),
    Chose(Role, Input),
    PageError(Role, String),
    Reading(Role),
    SetSkip(Role, bool),
    SetCompressor(CompressorChoice),
    SetLevel(u8),
    /// Score the current compressor at every level it offers, one run each.
    Sweep,
    /// A run started with this method, continuing a stored run that finished this many
    /// records (0 for a new run).
    Started(RunMethod, usize),
    SetStability(bool),
    ShowRun(usize),
    CompareRuns(usize, usize),
    SetDedup(bool, f64),
    /// A cut was asked for.
    CutSent(CutKey),
    /// Stability figures were asked for (run, budget).
    StabilitySent(usize, Budget),
    Cancel,
    SetBudget(BudgetKind, f64),
    /// Count tokens with this counter (`file`: the tokenizer.json given).
    ChooseCounter(String, Option<web_sys::File>),
    SetInputOrder(bool),
    Open(RowView),
    CloseDetail,
    SetGroupField(String),
    /// Score once both files are usable.
    AutoStart(bool),
    Route(Route),
    Playground(PlaygroundAction),
}

impl State {
    pub fn new(threads: usize) -> State {
        State {
            threads,
            threads_refused: None,
            pool_threads: None,
            source: FileSlot::default(),
            target: FileSlot::default(),
            compressor: CompressorChoice::Gzip,
            level: 9,
            run: Run::Idle,
            stability: false,
            scored: None,
            method_label: String::new(),
            runs: Vec::new(),
            shown_run: 0,
            pending: None,
            sweep: Vec::new(),
            stability_report: None,
            stability_sent: None,
            comparison: Comparison::default(),
            dedup: false,
            dedup_threshold: 0.8,
            diversity: None,
            duplicate_rows: Shared::default(),
            budget_kind: BudgetKind::Percent,
            budget_value: 10.0,
            tokens: TokenChoice::default(),
            input_order: false,
            rows: Shared::default(),
            detail: None,
            cut: None,
            cut_sent: None,
            group_field: String::new(),
            worker_error: None,
            saved: None,
            autostart: false,
            route: Route::Selection,
            playground: Playground::default(),
            explained: None,
            storage: Storage::default(),
            storage_error: None,
            worker_generation: 0,
            notice: None,
        }
    }

    /// Keeps a finished run (scored now, or read back from storage) and shows it.
    fn add_run(
        &mut self,
        label: String,
        method: CompressorChoice,
        stability: bool,
        scored: Scored,
    ) {
        let scored = Shared::new(scored);
        self.method_label = label.clone();
        self.runs.push(RunInfo {
            label,
            method,
            stability,
            scored: scored.clone(),
        });
        self.shown_run = self.runs.len() - 1;
        self.scored = Some(scored);
        self.clear_shown();
        // Compare the newest run with the one before it.
        let n = self.runs.len();
        if n >= 2 {
            self.comparison = Comparison {
                runs: (n - 2, n - 1),
                ..Comparison::default()
            };
        }
    }

    pub fn slot(&mut self, role: Role) -> &mut FileSlot {
        match role {
            Role::Source => &mut self.source,
            Role::Target => &mut self.target,
        }
    }

    /// Forgets what the shown run displays (rows, detail, figures), not the runs.
    pub fn clear_shown(&mut self) {
        self.saved = None;
        self.rows = Shared::default();
        self.detail = None;
        self.explained = None;
        self.stability_report = None;
        self.diversity = None;
        self.duplicate_rows = Shared::default();
    }

    /// Forgets what was computed from token counts: another counter counts now. A
    /// request in flight was answered before the counter changed (the worker answers in
    /// order), so only what is shown goes.
    pub fn counts_changed(&mut self) {
        self.cut = None;
        self.stability_report = None;
        self.diversity = None;
        self.duplicate_rows = Shared::default();
        self.rows = Shared::default();
        self.comparison.result = None;
    }

    /// Forgets every run: the files changed, or the worker that held them restarted.
    pub fn clear_results(&mut self) {
        self.clear_shown();
        self.scored = None;
        self.cut = None;
        self.cut_sent = None;
        self.stability_sent = None;
        self.run = Run::Idle;
        self.runs = Vec::new();
        self.shown_run = 0;
        self.comparison = Comparison::default();
    }

    /// The shown run, if any.
    pub fn shown(&self) -> Option<&RunInfo> {
        self.runs.get(self.shown_run)
    }

    pub fn budget(&self) -> Budget {
        self.budget_kind.budget(self.budget_value)
    }

    /// The diverse selection for what is shown now (run, budget, threshold), if the
    /// worker made it and near-duplicates are left out.
    pub fn current_diversity(&self) -> Option<&Diversity> {
        self.diversity.as_ref().filter(|d| {
            self.dedup
                && d.run == self.shown_run
                && d.budget == self.budget()
                && d.threshold == self.dedup_threshold
        })
    }

    /// The cut wanted now: the shown run, the budget, the breakdown's field.
    pub fn cut_key(&self) -> Option<CutKey> {
        self.scored
            .as_ref()
            .map(|_| (self.shown_run, self.budget(), self.group_field.clone()))
    }

    /// The cut, if it is the one wanted now (else a newer one is on its way).
    pub fn current_cut(&self) -> Option<&Cut> {
        let key = self.cut_key()?;
        self.cut
            .as_ref()
            .filter(|c| (c.run, c.budget, c.group_field.clone()) == key)
    }

    /// How many top records the current budget keeps (the last cut's figure while a
    /// newer one is on its way).
    pub fn kept(&self) -> usize {
        self.cut.as_ref().map_or(0, |c| c.kept)
    }

    pub fn running(&self) -> bool {
        matches!(self.run, Run::Running { .. } | Run::Cancelling)
    }

    /// Both files are usable, the workers are ready and nothing is running.
    pub fn can_score(&self) -> bool {
        self.source.usable()
            && self.target.usable()
            && self.pool_threads.is_some()
            && !self.running()
    }

    /// What the downloads keep: the diverse selection when near-duplicates are left out.
    pub fn kept_shown(&self) -> usize {
        self.current_diversity().map_or(self.kept(), |d| d.kept)
    }

    /// The figures are for an earlier budget (or run) until the worker's new cut
    /// arrives, or, with near-duplicates left out, until its diverse selection does.
    pub fn busy(&self) -> bool {
        self.current_cut().is_none()
            || (self.dedup && self.current_diversity().is_none())
            || (self.tokens.pending.is_some() && self.budget_kind == BudgetKind::Tokens)
    }
}

impl Reducible for State {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut state = (*self).clone();
        match action {
            Action::Worker(message) => match message {
                FromWorker::Ready { threads } => {
                    state.pool_threads = Some(threads);
                    state.worker_error = None;
                }
                FromWorker::File(summary) => {
                    let role = summary.role;
                    state.clear_results();
                    if role == Role::Source && !summary.short_keys.contains(&state.group_field) {
                        // Break the selection down by `origin` when there is one.
                        let keys = &summary.short_keys;
                        state.group_field = keys
                            .iter()
                            .find(|k| *k == "origin")
                            .or(keys.first())
                            .cloned()
                            .unwrap_or_default();
                    }
                    let slot = state.slot(role);
                    slot.loading = false;
                    slot.progress = None;
                    slot.summary = Some(summary);
                }
                FromWorker::Reading { role, done, total } => {
                    state.slot(role).progress = Some(if total > 0.0 { done / total } else { 1.0 });
                }
                FromWorker::Progress {
                    done,
                    total,
                    pairs,
                    seconds,
                    label,
                } => {
                    if let Run::Running { first, .. } = state.run {
                        state.run = Run::Running {
                            done,
                            total,
                            first,
                            pairs,
                            seconds,
                            label,
                        };
                    }
                }
                FromWorker::Scored(scored) => {
                    state.run = Run::Idle;
                    let (label, method, stability) =
                        state
                            .pending
                            .take()
                            .unwrap_or((String::new(), state.compressor, false));
                    state.add_run(label, method, stability, scored);
                }
                FromWorker::Restored { method, scored } => {
                    let choice = CompressorChoice::from_name(&method.compressor);
                    state.add_run(method.label, choice, method.stability, scored);
                }
                FromWorker::Storage(storage) => state.storage = storage,
                FromWorker::StorageError(message) => state.storage_error = Some(message),
                FromWorker::Stopped => {
                    // Its runs went with it; the new worker reads the files again and
                    // brings back what was stored.
                    if state.running() {
                        state.notice = Some(
                            "The scoring worker stopped in the middle of the run (the browser \
                             ended it, or it ran out of memory). The batches it finished are \
                             kept in this browser: Resume scores only the rest."
                                .to_string(),
                        );
                    } else {
                        state.notice = Some(
                            "The scoring worker stopped and was started again; stored runs \
                             are read back from this browser's storage."
                                .to_string(),
                        );
                    }
                    state.worker_generation += 1;
                    state.pool_threads = None;
                    state.pending = None;
                    state.clear_results();
                }
                FromWorker::Stability { run, report } => {
                    // Labelled with the budget it was asked for, which may have moved since.
                    if let Some((sent_run, budget)) = state.stability_sent.take() {
                        if run == sent_run && run == state.shown_run {
                            state.stability_report = Some((run, budget, report));
                        }
                    }
                }
                FromWorker::Matrix(matrix) => state.comparison.matrix = Some(matrix),
                FromWorker::Compared(compared) => {
                    if (compared.a, compared.b) == state.comparison.runs {
                        state.comparison.result = Some(compared);
                        state.comparison.rows = Default::default();
                    }
                }
                FromWorker::Dedup(diversity) => {
                    state.diversity = Some(diversity);
                    state.duplicate_rows = Shared::default();
                    // The table marks what the diverse selection keeps: ask for its rows again.
                    state.rows = Shared::default();
                }
                FromWorker::DuplicateRows(rows) => {
                    let mut cache = (*state.duplicate_rows).clone();
                    for row in rows {
                        cache.insert(row.position, row);
                    }
                    state.duplicate_rows = Shared::new(cache);
                }
                FromWorker::ComparedRows { side, rows } => {
                    let slot = usize::from(side == "b");
                    let mut cache = (*state.comparison.rows[slot]).clone();
                    for row in rows {
                        cache.insert(row.position, row);
                    }
                    state.comparison.rows[slot] = Shared::new(cache);
                }
                FromWorker::Cancelled => {
                    state.run = Run::Cancelled;
                    state.sweep.clear();
                }
                FromWorker::Rows(rows) => {
                    let mut cache = (*state.rows).clone();
                    for row in rows {
                        cache.insert(row.position, row);
                    }
                    state.rows = Shared::new(cache);
                }
                FromWorker::Text { index, text } => {
                    if let Some((row, shown)) = state.detail.as_mut() {
                        if row.index == index {
                            *shown = Some(text);
                        }
                    }
                }
                FromWorker::Cut(cut) => {
                    state.cut_sent = None;
                    if cut.run == state.shown_run {
                        state.cut = Some(cut);
                    }
                }
                FromWorker::Explained(explained) => state.explained = Some(explained),
                FromWorker::Pair(pairing) => {
                    state.playground.apply(PlaygroundAction::Answer(pairing))
                }
                FromWorker::Download { .. } => {}
                FromWorker::Saved { name, bytes } => {
                    state.saved = Some(format!("Saved {name} ({})", bytes_label(bytes as u64)));
                }
                FromWorker::Counter { name } => {
                    if let Some((kind, file)) = state.tokens.pending.take() {
                        if kind == "file" {
                            state.tokens.file = file;
                        }
                        state.tokens.kind = kind;
                    }
                    state.tokens.name = name;
                    state.tokens.error = None;
                    state.tokens.revision += 1;
                    state.counts_changed();
                }
                FromWorker::CounterError(message) => {
                    state.tokens.pending = None;
                    state.tokens.error = Some(message);
                }
                FromWorker::Error(message) => {
                    // A request that failed is not in flight any more.
                    state.cut_sent = None;
                    state.stability_sent = None;
                    if state.running() {
                        state.sweep.clear();
                        state.run = Run::Failed(message);
                    } else {
                        for slot in [&mut state.source, &mut state.target] {
                            slot.loading = false;
                            slot.progress = None;
                        }
                        state.worker_error = Some(message);
                    }
                }
            },
            Action::ThreadsRefused(message) => state.threads_refused = Some(message),
            Action::SetThreads(threads) => {
                state.threads_refused = None;
                state.threads = threads;
                state.pool_threads = None;
                state.clear_results();
            }
            Action::Chose(role, input) => {
                if matches!(input, Input::Files(_)) {
                    state.autostart = false; // the user's own files wait for Score
                }
                let slot = state.slot(role);
                slot.input = Some(input);
                slot.summary = None;
                slot.error = None;
                slot.skip_bad = false;
                slot.loading = true;
                slot.progress = None;
                state.clear_results();
            }
            Action::PageError(role, message) => {
                state.autostart = false;
                let slot = state.slot(role);
                slot.loading = false;
                slot.error = Some(message);
            }
            Action::Reading(role) => state.slot(role).loading = true,
            Action::SetSkip(role, skip) => {
                let slot = state.slot(role);
                slot.skip_bad = skip;
                slot.loading = true;
            }
            Action::SetCompressor(compressor) => {
                state.compressor = compressor;
                state.level = compressor.default_level();
            }
            Action::Sweep => {
                let (choice, stability) = (state.compressor, state.stability);
                state.sweep = choice
                    .levels()
                    .into_iter()
                    .map(|level| choice.method(level, stability))
                    .collect();
            }
            Action::SetLevel(level) => state.level = level,
            Action::Started(method, done) => {
                // The runs stay (listed, comparable); the shown one returns when scoring ends.
                state.clear_shown();
                state.scored = None;
                state.notice = None;
                state.storage_error = None;
                let choice = CompressorChoice::from_name(&method.compressor);
                if state.sweep.first() == Some(&method) {
                    state.sweep.remove(0);
                }
                state.pending = Some((method.label, choice, method.stability));
                state.run = Run::Running {
                    done,
                    first: done,
                    total: state.source.summary.as_ref().map_or(0, |s| s.records),
                    pairs: 0.0,
                    seconds: 0.0,
                    label: String::new(),
                };
            }
            Action::SetStability(on) => state.stability = on,
            Action::SetDedup(on, threshold) => {
                if on != state.dedup {
                    state.rows = Shared::default();
                }
                state.dedup = on;
                state.dedup_threshold = threshold;
            }
            Action::ShowRun(run) => {
                if let Some(info) = state.runs.get(run) {
                    state.method_label = info.label.clone();
                    state.scored = Some(info.scored.clone());
                    state.shown_run = run;
                    state.clear_shown();
                }
            }
            Action::CompareRuns(a, b) => {
                state.comparison = Comparison {
                    runs: (a, b),
                    ..Comparison::default()
                };
            }
            Action::Cancel => {
                state.run = Run::Cancelling;
                state.sweep.clear();
            }
            Action::SetBudget(kind, value) => {
                state.budget_kind = kind;
                state.budget_value = value;
            }
            Action::ChooseCounter(kind, file) => {
                state.tokens.pending = Some((kind, file));
                state.tokens.error = None;
            }
            Action::SetInputOrder(input_order) => state.input_order = input_order,
            Action::Open(row) => {
                state.detail = Some((row, None));
                state.explained = None;
            }
            Action::Route(route) => state.route = route,
            Action::Playground(action) => state.playground.apply(action),
            Action::CloseDetail => state.detail = None,
            Action::AutoStart(on) => state.autostart = on,
            Action::SetGroupField(field) => state.group_field = field,
            Action::CutSent(key) => state.cut_sent = Some(key),
            Action::StabilitySent(run, budget) => state.stability_sent = Some((run, budget)),
        }
        Rc::new(state)
    }
}
