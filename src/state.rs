//! The page's state: one value, changed only by [`Action`]s through the reducer. The
//! views in `crate::views` draw it; `crate::app` turns user events and worker messages
//! into actions.

use std::collections::HashMap;
use std::rc::Rc;

use yew::prelude::*;
use zipfit_core::select::{self, Budget};

use crate::bridge::{FromWorker, Scored};
use crate::playground::{Playground, PlaygroundAction};
use crate::protocol::{Explained, FileSummary, Groups, Role, RowView};
use crate::route::Route;
use crate::shared::Shared;
use crate::views::text::bytes_label;
use crate::views::BudgetKind;

/// Where a file's bytes come from.
#[derive(Clone, PartialEq)]
pub enum Input {
    /// A file the user dropped or picked.
    File(web_sys::File),
    /// A bundled example, by URL relative to the page.
    Example(&'static str),
}

impl Input {
    pub fn name(&self) -> String {
        match self {
            Input::File(file) => file.name(),
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
        pairs: f64,
        seconds: f64,
    },
    /// Cancel requested.
    Cancelling,
    /// Stopped by the user.
    Cancelled,
    /// Failed.
    Failed(String),
}

/// The compressor choice.
#[derive(Clone, Copy, PartialEq)]
pub enum CompressorChoice {
    /// gzip at a level.
    Gzip,
    /// LZ4, fastest level.
    Lz4,
}

/// Everything the page shows.
#[derive(Clone, PartialEq)]
pub struct State {
    pub threads: usize,
    pub pool_threads: Option<usize>,
    pub source: FileSlot,
    pub target: FileSlot,
    pub compressor: CompressorChoice,
    pub level: u8,
    pub run: Run,
    pub scored: Option<Shared<Scored>>,
    pub method_label: String,
    pub budget_kind: BudgetKind,
    pub budget_value: f64,
    pub input_order: bool,
    pub rows: Shared<HashMap<usize, RowView>>,
    /// The opened row and, once the worker sent it, its full text.
    pub detail: Option<(RowView, Option<String>)>,
    pub groups: Option<Shared<Groups>>,
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
}

/// Everything that changes the state.
pub enum Action {
    Worker(FromWorker),
    SetThreads(usize),
    Chose(Role, Input),
    PageError(Role, String),
    Reading(Role),
    SetSkip(Role, bool),
    SetCompressor(CompressorChoice),
    SetLevel(u8),
    Started(String),
    Cancel,
    SetBudget(BudgetKind, f64),
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
            pool_threads: None,
            source: FileSlot::default(),
            target: FileSlot::default(),
            compressor: CompressorChoice::Gzip,
            level: 9,
            run: Run::Idle,
            scored: None,
            method_label: String::new(),
            budget_kind: BudgetKind::Percent,
            budget_value: 10.0,
            input_order: false,
            rows: Shared::default(),
            detail: None,
            groups: None,
            group_field: String::new(),
            worker_error: None,
            saved: None,
            autostart: false,
            route: Route::Selection,
            playground: Playground::default(),
            explained: None,
        }
    }

    pub fn slot(&mut self, role: Role) -> &mut FileSlot {
        match role {
            Role::Source => &mut self.source,
            Role::Target => &mut self.target,
        }
    }

    pub fn clear_results(&mut self) {
        self.saved = None;
        self.scored = None;
        self.rows = Shared::default();
        self.detail = None;
        self.explained = None;
        self.groups = None;
        self.run = Run::Idle;
    }

    pub fn budget(&self) -> Budget {
        self.budget_kind.budget(self.budget_value)
    }

    /// How many top records the current budget keeps.
    pub fn kept(&self) -> usize {
        self.scored.as_ref().map_or(0, |s| {
            select::select(&s.order, &s.scores, self.budget(), |i| s.tokens[i] as u64)
        })
    }

    pub fn running(&self) -> bool {
        matches!(self.run, Run::Running { .. } | Run::Cancelling)
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
                } => {
                    if !matches!(state.run, Run::Cancelling) {
                        state.run = Run::Running {
                            done,
                            total,
                            pairs,
                            seconds,
                        };
                    }
                }
                FromWorker::Scored(scored) => {
                    state.run = Run::Idle;
                    state.scored = Some(Shared::new(scored));
                    state.rows = Shared::default();
                }
                FromWorker::Cancelled => state.run = Run::Cancelled,
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
                FromWorker::Groups(groups) => state.groups = Some(Shared::new(groups)),
                FromWorker::Explained(explained) => state.explained = Some(explained),
                FromWorker::Pair(pairing) => {
                    state.playground.apply(PlaygroundAction::Answer(pairing))
                }
                FromWorker::Download { .. } => {}
                FromWorker::Saved { name, bytes } => {
                    state.saved = Some(format!("Saved {name} ({})", bytes_label(bytes as u64)));
                }
                FromWorker::Error(message) => {
                    if state.running() {
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
            Action::SetThreads(threads) => {
                state.threads = threads;
                state.pool_threads = None;
                state.clear_results();
            }
            Action::Chose(role, input) => {
                if matches!(input, Input::File(_)) {
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
            Action::SetCompressor(compressor) => state.compressor = compressor,
            Action::SetLevel(level) => state.level = level,
            Action::Started(label) => {
                state.clear_results();
                state.method_label = label;
                state.run = Run::Running {
                    done: 0,
                    total: state.source.summary.as_ref().map_or(0, |s| s.records),
                    pairs: 0.0,
                    seconds: 0.0,
                };
            }
            Action::Cancel => state.run = Run::Cancelling,
            Action::SetBudget(kind, value) => {
                state.budget_kind = kind;
                state.budget_value = value;
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
            Action::SetGroupField(field) => {
                state.group_field = field;
                state.groups = None;
            }
        }
        Rc::new(state)
    }
}
