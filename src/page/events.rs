//! What the user does, turned into actions on the state and messages to the worker:
//! one callback per event, built once per render from the state and the worker.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;
use yew::prelude::*;

use crate::page::bridge::ToWorker;
use crate::page::effects::Worker;
use crate::page::files::{pick_file, send_file, stem};
use crate::page::playground::PlaygroundAction;
use crate::page::route::{self, Route};
use crate::page::state::{Action, CompressorChoice, Input, State};
use crate::protocol::{Role, RowView, RunMethod};

/// The page's callbacks.
pub struct Events {
    /// Any action on the state, as it is.
    pub act: Callback<Action>,
    /// A file dropped or picked for a role.
    pub choose: Callback<(Role, Input)>,
    /// A file read again by another field or error policy.
    pub reread: Callback<(Role, String, bool)>,
    /// "Try the example".
    pub load_example: Callback<MouseEvent>,
    /// Score with the method chosen.
    pub start: Callback<()>,
    pub cancel: Callback<MouseEvent>,
    pub threads_changed: Callback<Event>,
    pub compressor_changed: Callback<Event>,
    pub level_changed: Callback<Event>,
    /// Table rows wanted: `(start, count)` ranking positions.
    pub need_rows: Callback<(usize, usize)>,
    /// A table row opened in the detail view.
    pub open: Callback<RowView>,
    pub show_run: Callback<usize>,
    pub duplicate_rows: Callback<(usize, usize)>,
    /// Rows of what only one run keeps: `(side, start, count)`.
    pub compared_rows: Callback<(String, usize, usize)>,
    /// A download asked for by kind (`selected`, `scores.csv`, ...).
    pub download: Callback<String>,
    pub on_playground: Callback<PlaygroundAction>,
    pub share: Callback<()>,
    /// A target's text taken to the playground beside the open record's.
    pub to_playground: Callback<String>,
    /// A token counter chosen (`file` with the tokenizer.json dropped or picked).
    pub choose_counter: Callback<(String, Option<web_sys::File>)>,
    /// Continue the interrupted stored run of this id.
    pub resume: Callback<String>,
    /// Forget a stored run (`None`: every one).
    pub forget: Callback<Option<String>>,
}

/// The callbacks for this render.
#[hook]
pub fn use_events(state: &UseReducerHandle<State>, worker: &Worker) -> Events {
    let dispatch = state.dispatcher();
    // Stable across renders, so that views given it redraw only when their data changes.
    let on_playground = use_callback(dispatch.clone(), |action, dispatch| {
        dispatch.dispatch(Action::Playground(action))
    });
    let choose = choose(state, worker);
    Events {
        act: {
            let dispatch = dispatch.clone();
            Callback::from(move |action: Action| dispatch.dispatch(action))
        },
        load_example: load_example(state, &choose),
        choose,
        reread: reread(state, worker),
        start: start(state, worker),
        resume: resume(state, worker),
        forget: forget(worker),
        cancel: cancel(state, worker),
        threads_changed: threads_changed(state),
        compressor_changed: compressor_changed(state),
        level_changed: level_changed(state),
        need_rows: need_rows(state, worker),
        open: open(state, worker),
        show_run: show_run(state, worker),
        duplicate_rows: send_each(worker, |(start, count)| ToWorker::DuplicateRows {
            start,
            count,
        }),
        compared_rows: send_each(worker, |(side, start, count)| ToWorker::ComparedRows {
            side,
            start,
            count,
        }),
        download: download(state, worker),
        on_playground,
        share: share(state),
        to_playground: to_playground(state),
        choose_counter: choose_counter(state, worker),
    }
}

/// A callback that sends the worker the message `message` makes of its argument.
fn send_each<T: 'static>(worker: &Worker, message: fn(T) -> ToWorker) -> Callback<T> {
    let worker = worker.clone();
    Callback::from(move |value: T| {
        if let Some(bridge) = worker.current() {
            bridge.send(&message(value));
        }
    })
}

fn choose(state: &UseReducerHandle<State>, worker: &Worker) -> Callback<(Role, Input)> {
    let dispatch = state.dispatcher();
    let worker = worker.clone();
    Callback::from(move |(role, input): (Role, Input)| {
        let Some(bridge) = worker.current() else {
            return;
        };
        dispatch.dispatch(Action::Chose(role, input.clone()));
        send_file(bridge, dispatch.clone(), role, input, String::new(), false);
    })
}

fn choose_counter(
    state: &UseReducerHandle<State>,
    worker: &Worker,
) -> Callback<(String, Option<web_sys::File>)> {
    let dispatch = state.dispatcher();
    let worker = worker.clone();
    Callback::from(move |(kind, file): (String, Option<web_sys::File>)| {
        let Some(bridge) = worker.current() else {
            return;
        };
        bridge.counter(&kind, file.as_ref());
        dispatch.dispatch(Action::ChooseCounter(kind, file));
    })
}

fn reread(state: &UseReducerHandle<State>, worker: &Worker) -> Callback<(Role, String, bool)> {
    let dispatch = state.dispatcher();
    let worker = worker.clone();
    Callback::from(move |(role, field, skip_bad): (Role, String, bool)| {
        let Some(bridge) = worker.current() else {
            return;
        };
        dispatch.dispatch(Action::SetSkip(role, skip_bad));
        bridge.send(&ToWorker::Read {
            role,
            field,
            skip_bad,
        });
    })
}

fn load_example(
    state: &UseReducerHandle<State>,
    choose: &Callback<(Role, Input)>,
) -> Callback<MouseEvent> {
    let choose = choose.clone();
    let dispatch = state.dispatcher();
    Callback::from(move |_: MouseEvent| {
        choose.emit((Role::Source, Input::Example("example/source.jsonl")));
        choose.emit((Role::Target, Input::Example("example/target.jsonl")));
        // A first visit should show a result at once, without a second click.
        dispatch.dispatch(Action::AutoStart(true));
    })
}

fn start(state: &UseReducerHandle<State>, worker: &Worker) -> Callback<()> {
    let dispatch = state.dispatcher();
    let worker = worker.clone();
    let method = state.compressor.method(state.level, state.stability);
    Callback::from(move |()| {
        score(&worker, &dispatch, method.clone(), None);
    })
}

/// Continues the interrupted stored run `id` (one of the current files).
fn resume(state: &UseReducerHandle<State>, worker: &Worker) -> Callback<String> {
    let dispatch = state.dispatcher();
    let worker = worker.clone();
    let runs = state.storage.runs.clone();
    Callback::from(move |id: String| {
        if let Some(stored) = runs.iter().find(|run| run.id == id) {
            let method = stored.run.method.clone();
            score(
                &worker,
                &dispatch,
                method,
                Some((id, stored.done.unwrap_or(0))),
            );
        }
    })
}

/// Starts a run of `method`, or continues a stored one (`resume`: its id and records done).
pub fn score(
    worker: &Worker,
    dispatch: &UseReducerDispatcher<State>,
    method: RunMethod,
    resume: Option<(String, usize)>,
) {
    let Some(bridge) = worker.current() else {
        return;
    };
    keep_storage();
    let (resume, done) = resume.map_or((None, 0), |(id, done)| (Some(id), done));
    dispatch.dispatch(Action::Started(method.clone(), done));
    bridge.send(&ToWorker::Score {
        compressor: method.compressor,
        level: method.level,
        stability: method.stability,
        label: method.label,
        resume,
    });
}

/// Asks the browser to keep this page's storage (the stored runs) when space is short,
/// rather than clearing it; the browser decides, and may not ask the user.
fn keep_storage() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let storage = js_sys::Reflect::get(&window.navigator(), &"storage".into());
    let persist = storage
        .as_ref()
        .ok()
        .and_then(|s| js_sys::Reflect::get(s, &"persist".into()).ok())
        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
    if let (Ok(storage), Some(persist)) = (storage, persist) {
        let _ = persist.call0(&storage);
    }
}

/// Removes a stored run (`Some(id)`) or every one (`None`) from the browser's storage.
fn forget(worker: &Worker) -> Callback<Option<String>> {
    let worker = worker.clone();
    Callback::from(move |id: Option<String>| {
        if let Some(bridge) = worker.current() {
            bridge.send(&ToWorker::Forget { id });
        }
    })
}

fn cancel(state: &UseReducerHandle<State>, worker: &Worker) -> Callback<MouseEvent> {
    let dispatch = state.dispatcher();
    let worker = worker.clone();
    Callback::from(move |_: MouseEvent| {
        if let Some(bridge) = worker.current() {
            bridge.send(&ToWorker::Cancel);
            dispatch.dispatch(Action::Cancel);
        }
    })
}

fn threads_changed(state: &UseReducerHandle<State>) -> Callback<Event> {
    let dispatch = state.dispatcher();
    Callback::from(move |e: Event| {
        let input: web_sys::HtmlInputElement = e.target_unchecked_into();
        let text = input.value();
        match text.trim().parse::<usize>() {
            Ok(threads) if (1..=64).contains(&threads) => {
                dispatch.dispatch(Action::SetThreads(threads))
            }
            // Refused, saying the range; the pool keeps its size.
            _ => dispatch.dispatch(Action::ThreadsRefused(format!(
                "{} is not a number of threads: from 1 to 64",
                if text.trim().is_empty() {
                    "\"\""
                } else {
                    text.trim()
                }
            ))),
        }
    })
}

fn compressor_changed(state: &UseReducerHandle<State>) -> Callback<Event> {
    let dispatch = state.dispatcher();
    Callback::from(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        let choice = CompressorChoice::from_name(&select.value());
        dispatch.dispatch(Action::SetCompressor(choice));
    })
}

fn level_changed(state: &UseReducerHandle<State>) -> Callback<Event> {
    let dispatch = state.dispatcher();
    Callback::from(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        dispatch.dispatch(Action::SetLevel(select.value().parse().unwrap_or(9)));
    })
}

fn need_rows(state: &UseReducerHandle<State>, worker: &Worker) -> Callback<(usize, usize)> {
    let worker = worker.clone();
    let diverse = state.dedup;
    Callback::from(move |(start, count): (usize, usize)| {
        if let Some(bridge) = worker.current() {
            bridge.send(&ToWorker::Rows {
                start,
                count,
                diverse,
            });
        }
    })
}

fn open(state: &UseReducerHandle<State>, worker: &Worker) -> Callback<RowView> {
    let dispatch = state.dispatcher();
    let worker = worker.clone();
    // DSIR compresses nothing: its records have no per-target terms to explain.
    let explains = state
        .shown()
        .is_some_and(|run| run.method != CompressorChoice::Dsir);
    Callback::from(move |row: RowView| {
        if let Some(bridge) = worker.current() {
            let index = row.index;
            dispatch.dispatch(Action::Open(row));
            bridge.send(&ToWorker::Text { index });
            if explains {
                bridge.send(&ToWorker::Explain { index });
            }
        }
    })
}

fn show_run(state: &UseReducerHandle<State>, worker: &Worker) -> Callback<usize> {
    let dispatch = state.dispatcher();
    let worker = worker.clone();
    Callback::from(move |run: usize| {
        if let Some(bridge) = worker.current() {
            bridge.send(&ToWorker::Show { run });
            dispatch.dispatch(Action::ShowRun(run));
        }
    })
}

fn download(state: &UseReducerHandle<State>, worker: &Worker) -> Callback<String> {
    let worker = worker.clone();
    let source_name = state
        .source
        .summary
        .as_ref()
        .map(|s| s.name.clone())
        .unwrap_or_default();
    // A Parquet source's records are downloaded as Parquet rows.
    let rows_suffix = match state.source.summary.as_ref().and_then(|s| s.row_groups) {
        Some(_) => "parquet",
        None => "jsonl",
    };
    let input_order = state.input_order;
    let diverse = state.current_diversity().is_some();
    let kept = state.kept_shown();
    Callback::from(move |kind: String| {
        let Some(bridge) = worker.current() else {
            return;
        };
        // With near-duplicates left out, the kept set is the diverse selection.
        let asked = match kind.as_str() {
            "selected" | "rejected" if diverse => format!("diverse-{kind}"),
            _ => kind.clone(),
        };
        let suffix = match kind.as_str() {
            "scores.csv" => "scores.csv".to_string(),
            "scores.jsonl" => "scores.jsonl".to_string(),
            "stability.json" => "stability.json".to_string(),
            "duplicates" => "duplicates.jsonl".to_string(),
            other => format!("{other}.{rows_suffix}"),
        };
        let name = format!("{}.{suffix}", stem(&source_name));
        spawn_local(async move {
            // A file the user picks is written as a stream, at any size; else a Blob.
            if let Ok(file) = pick_file(&name).await {
                bridge.export(&asked, &name, kept, input_order, file);
            }
        });
    })
}

fn share(state: &UseReducerHandle<State>) -> Callback<()> {
    let dispatch = state.dispatcher();
    let (x, y) = (state.playground.x.clone(), state.playground.y.clone());
    Callback::from(move |()| {
        let link = route::share_link(&x, &y);
        dispatch.dispatch(Action::Playground(PlaygroundAction::Share(link)));
    })
}

fn to_playground(state: &UseReducerHandle<State>) -> Callback<String> {
    let dispatch = state.dispatcher();
    let record = state.detail.as_ref().and_then(|(_, text)| text.clone());
    Callback::from(move |target: String| {
        let x = record.clone().unwrap_or_default();
        dispatch.dispatch(Action::Playground(PlaygroundAction::Load { x, y: target }));
        route::go(Route::Playground);
    })
}
