//! The page: state in one reducer, side effects (worker messages, file reads,
//! downloads) in callbacks. All scoring, ranking and selection logic comes from
//! `zipfit-core` or runs in the worker.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Blob, HtmlAnchorElement, Url};
use yew::prelude::*;

use crate::bridge::{Bridge, FromWorker, ToWorker};
use crate::playground::{PlaygroundAction, LIVE_BYTES, PAUSE_MS};
use crate::protocol::{Role, RowView};
use crate::route::{self, Route};
use crate::state::{Action, CompressorChoice, Input, Run, State};
use crate::views::text::{counted, thousands};
use crate::views::{
    Breakdown, BudgetKind, BudgetPanel, CompareView, Downloads, DropZone, NearDuplicates,
    OfflineStatus, PlaygroundView, ProgressView, RecordDetail, ResultsTable, RunsList,
    ScoreHistogram, StabilityPanel,
};
use zipfit_core::compress::Compressor;

/// Largest target file (targets are read whole; a source streams at any size).
const MAX_TARGET_BYTES: f64 = 1024.0 * 1024.0 * 1024.0;

/// The `Blob` behind an input: the file itself, or a bundled example fetched from the
/// page's own origin. Nothing is read here: the worker reads what it needs.
async fn input_blob(input: &Input) -> Result<Blob, String> {
    match input {
        Input::File(file) => Ok(file.clone().into()),
        Input::Example(url) => {
            let window = web_sys::window().ok_or("no window")?;
            let response = JsFuture::from(window.fetch_with_str(url))
                .await
                .map_err(|_| format!("cannot fetch {url}"))?;
            let response: web_sys::Response = response.unchecked_into();
            if !response.ok() {
                return Err(format!("cannot fetch {url}: HTTP {}", response.status()));
            }
            let blob = response
                .blob()
                .map_err(|_| "cannot read the response".to_string())?;
            let blob = JsFuture::from(blob)
                .await
                .map_err(|_| format!("cannot read {url}"))?;
            Ok(blob.unchecked_into())
        }
    }
}

fn send_file(
    bridge: Rc<Bridge>,
    dispatch: UseReducerDispatcher<State>,
    role: Role,
    input: Input,
    field: String,
    skip_bad: bool,
) {
    // The source streams at any size; the targets are read whole.
    if let (Role::Target, Input::File(file)) = (role, &input) {
        if file.size() > MAX_TARGET_BYTES {
            let message = format!(
                "{}: too large for a target set ({:.1} GiB; the limit is 1 GiB). Targets are a small set of examples.",
                file.name(),
                file.size() / MAX_TARGET_BYTES
            );
            dispatch.dispatch(Action::PageError(role, message));
            return;
        }
    }
    spawn_local(async move {
        match input_blob(&input).await {
            Ok(blob) => bridge.load(role, &input.name(), &blob, &field, skip_bad),
            Err(message) => dispatch.dispatch(Action::PageError(role, message)),
        }
    });
}

/// Hands a finished download to the browser.
fn save(name: &str, blob: &Blob) {
    let Ok(url) = Url::create_object_url_with_blob(blob) else {
        return;
    };
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(anchor) = document.and_then(|d| d.create_element("a").ok()) {
        let anchor: HtmlAnchorElement = anchor.unchecked_into();
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    // The download has its own reference; the URL is not needed once it started.
    let revoke = Closure::once_into_js(move || {
        Url::revoke_object_url(&url).ok();
    });
    if let Some(window) = web_sys::window() {
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000)
            .ok();
    }
}

/// Asks where to save `name` (File System Access API, where the browser has it) and
/// returns the file's handle, which the worker writes to as a stream. `Ok(None)` where
/// the API is missing; `Err` when the user closed the picker.
async fn pick_file(name: &str) -> Result<Option<JsValue>, ()> {
    let Some(window) = web_sys::window() else {
        return Ok(None);
    };
    let Ok(picker) = Reflect::get(&window, &"showSaveFilePicker".into()) else {
        return Ok(None);
    };
    let Some(picker) = picker.dyn_ref::<Function>() else {
        return Ok(None);
    };
    let options = Object::new();
    Reflect::set(&options, &"suggestedName".into(), &name.into()).ok();
    match picker.call1(&window, &options) {
        Ok(promise) => JsFuture::from(Promise::from(promise))
            .await
            .map(Some)
            .map_err(|_| ()),
        Err(_) => Ok(None),
    }
}

fn stem(name: &str) -> &str {
    let name = name.strip_suffix(".gz").unwrap_or(name);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}

fn default_threads() -> usize {
    web_sys::window()
        .map_or(2, |w| w.navigator().hardware_concurrency() as usize)
        .clamp(1, 64)
}

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| State::new(default_threads()));
    let bridge: Rc<RefCell<Option<Rc<Bridge>>>> = use_mut_ref(|| None);

    // One worker per thread count: the pool size is fixed when the worker starts.
    {
        let bridge = bridge.clone();
        let dispatch = state.dispatcher();
        let threads = state.threads;
        let inputs = (state.source.clone(), state.target.clone());
        use_effect_with(threads, move |&threads| {
            let on_message = {
                let dispatch = dispatch.clone();
                Callback::from(move |message: FromWorker| {
                    if let FromWorker::Download { name, blob } = &message {
                        save(name, blob);
                    }
                    dispatch.dispatch(Action::Worker(message));
                })
            };
            match Bridge::start(threads, on_message) {
                Ok(started) => {
                    let started = Rc::new(started);
                    *bridge.borrow_mut() = Some(started.clone());
                    // A restarted worker has lost the files: hand them over again.
                    for (role, slot) in [(Role::Source, inputs.0), (Role::Target, inputs.1)] {
                        if let Some(input) = slot.input.clone() {
                            dispatch.dispatch(Action::Reading(role));
                            send_file(
                                started.clone(),
                                dispatch.clone(),
                                role,
                                input,
                                slot.field(),
                                slot.skip_bad,
                            );
                        }
                    }
                }
                Err(err) => {
                    let message = format!("cannot start the scoring worker: {err:?}");
                    dispatch.dispatch(Action::Worker(FromWorker::Error(message)));
                }
            }
            move || {
                bridge.borrow_mut().take();
            }
        });
    }

    let current = {
        let bridge = bridge.clone();
        move || bridge.borrow().clone()
    };

    // The view follows the address's fragment, which may carry the playground's texts.
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |()| {
            let follow = move || {
                let (route, texts) = route::current();
                dispatch.dispatch(Action::Route(route));
                if let Some((x, y)) = texts {
                    dispatch.dispatch(Action::Playground(PlaygroundAction::Load { x, y }));
                }
            };
            follow();
            let listener = Closure::<dyn Fn()>::new(follow);
            let window = web_sys::window().expect("a page has a window");
            window
                .add_event_listener_with_callback("hashchange", listener.as_ref().unchecked_ref())
                .ok();
            move || {
                window
                    .remove_event_listener_with_callback(
                        "hashchange",
                        listener.as_ref().unchecked_ref(),
                    )
                    .ok();
            }
        });
    }

    // The playground asks the worker for figures: at once for short texts, after a pause
    // for long ones, and never more than one request at a time (the latest texts win).
    {
        let current = current.clone();
        let dispatch = state.dispatcher();
        let pg = &state.playground;
        let wanted = state.route == Route::Playground && pg.sent.is_none() && pg.stale();
        let request = (pg.revision, pg.x.clone(), pg.y.clone(), pg.drawn);
        use_effect_with(
            (wanted, request),
            move |(wanted, (revision, x, y, drawn))| {
                let mut timer = None;
                if *wanted {
                    let (revision, x, y, drawn) = (*revision, x.clone(), y.clone(), *drawn);
                    let long = x.len().max(y.len()) > LIVE_BYTES;
                    let send = move || {
                        let Some(bridge) = current() else { return };
                        let (compressor, level) = match drawn {
                            Compressor::Gzip { level } => ("gzip", level),
                            Compressor::Lz4 => ("lz4", 0),
                        };
                        dispatch.dispatch(Action::Playground(PlaygroundAction::Sent(revision)));
                        bridge.send(&ToWorker::Pair {
                            id: revision,
                            x,
                            y,
                            compressor: compressor.to_string(),
                            level,
                        });
                    };
                    if long {
                        let callback = Closure::once_into_js(send);
                        timer = web_sys::window().and_then(|w| {
                            w.set_timeout_with_callback_and_timeout_and_arguments_0(
                                callback.unchecked_ref(),
                                PAUSE_MS,
                            )
                            .ok()
                        });
                    } else {
                        send();
                    }
                }
                move || {
                    if let (Some(id), Some(window)) = (timer, web_sys::window()) {
                        window.clear_timeout_with_handle(id);
                    }
                }
            },
        );
    }

    let choose = {
        let dispatch = state.dispatcher();
        let current = current.clone();
        Callback::from(move |(role, input): (Role, Input)| {
            let Some(bridge) = current() else { return };
            dispatch.dispatch(Action::Chose(role, input.clone()));
            send_file(bridge, dispatch.clone(), role, input, String::new(), false);
        })
    };

    let reread = {
        let dispatch = state.dispatcher();
        let current = current.clone();
        Callback::from(move |(role, field, skip_bad): (Role, String, bool)| {
            let Some(bridge) = current() else { return };
            dispatch.dispatch(Action::SetSkip(role, skip_bad));
            bridge.send(&ToWorker::Read {
                role,
                field,
                skip_bad,
            });
        })
    };

    let load_example = {
        let choose = choose.clone();
        let dispatch = state.dispatcher();
        Callback::from(move |_: MouseEvent| {
            choose.emit((Role::Source, Input::Example("example/source.jsonl")));
            choose.emit((Role::Target, Input::Example("example/target.jsonl")));
            // A first visit should show a result at once, without a second click.
            dispatch.dispatch(Action::AutoStart(true));
        })
    };

    let start = {
        let dispatch = state.dispatcher();
        let current = current.clone();
        let compressor = state.compressor;
        let level = state.level;
        let stability = state.stability && compressor != CompressorChoice::Dsir;
        Callback::from(move |()| {
            let Some(bridge) = current() else { return };
            let label = match compressor {
                CompressorChoice::Gzip => format!("gzip level {level}"),
                CompressorChoice::Lz4 => "LZ4".to_string(),
                CompressorChoice::Dsir => "DSIR (hashed n-grams)".to_string(),
            };
            dispatch.dispatch(Action::Started(label));
            bridge.send(&ToWorker::Score {
                compressor: compressor.name().to_string(),
                level,
                stability,
            });
        })
    };

    let cancel = {
        let dispatch = state.dispatcher();
        let current = current.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(bridge) = current() {
                bridge.send(&ToWorker::Cancel);
                dispatch.dispatch(Action::Cancel);
            }
        })
    };

    let need_rows = {
        let current = current.clone();
        let diverse = state.dedup;
        Callback::from(move |(start, count): (usize, usize)| {
            if let Some(bridge) = current() {
                bridge.send(&ToWorker::Rows {
                    start,
                    count,
                    diverse,
                });
            }
        })
    };

    let open = {
        let dispatch = state.dispatcher();
        let current = current.clone();
        // DSIR compresses nothing: its records have no per-target terms to explain.
        let explains = state
            .shown()
            .is_some_and(|run| run.method != CompressorChoice::Dsir);
        Callback::from(move |row: RowView| {
            if let Some(bridge) = current() {
                let index = row.index;
                dispatch.dispatch(Action::Open(row));
                bridge.send(&ToWorker::Text { index });
                if explains {
                    bridge.send(&ToWorker::Explain { index });
                }
            }
        })
    };

    let show_run = {
        let dispatch = state.dispatcher();
        let current = current.clone();
        Callback::from(move |run: usize| {
            if let Some(bridge) = current() {
                bridge.send(&ToWorker::Show { run });
                dispatch.dispatch(Action::ShowRun(run));
            }
        })
    };

    // The shown run's stability figures follow the budget: one request at a time, and
    // again once it is answered if the budget moved meanwhile.
    {
        let current = current.clone();
        let dispatch = state.dispatcher();
        let wanted = state
            .shown()
            .filter(|run| run.stability)
            .map(|_| (state.shown_run, state.budget()));
        let have = state
            .stability_report
            .as_ref()
            .map(|(run, budget, _)| (*run, *budget));
        let in_flight = state.stability_sent.is_some();
        use_effect_with(
            (wanted, have, in_flight),
            move |(wanted, have, in_flight)| {
                if let (Some((run, budget)), false, Some(bridge)) = (wanted, in_flight, current()) {
                    if have.as_ref() != Some(&(*run, *budget)) {
                        dispatch.dispatch(Action::StabilitySent(*run, *budget));
                        bridge.send(&ToWorker::Stability {
                            run: *run,
                            budget: *budget,
                        });
                    }
                }
            },
        );
    }

    // The comparison follows the runs picked and the budget, while its view is open.
    {
        let current = current.clone();
        let wanted = (state.route == Route::Compare && state.runs.len() >= 2).then_some((
            state.comparison.runs,
            state.budget(),
            state.runs.len(),
        ));
        use_effect_with(wanted, move |wanted| {
            if let (Some(((a, b), budget, _)), Some(bridge)) = (wanted, current()) {
                bridge.send(&ToWorker::Compare {
                    a: *a,
                    b: *b,
                    budget: *budget,
                });
            }
        });
    }
    // The diverse selection follows the shown run, the budget and the threshold.
    {
        let current = current.clone();
        let wanted = (state.dedup && state.scored.is_some())
            .then(|| (state.shown_run, state.budget(), state.dedup_threshold));
        let have = state.current_diversity().is_some();
        use_effect_with((wanted, have), move |(wanted, have)| {
            if let (Some((_, budget, threshold)), false, Some(bridge)) = (wanted, have, current()) {
                bridge.send(&ToWorker::Dedup {
                    threshold: *threshold,
                    budget: *budget,
                });
            }
        });
    }
    let duplicate_rows = {
        let current = current.clone();
        Callback::from(move |(start, count): (usize, usize)| {
            if let Some(bridge) = current() {
                bridge.send(&ToWorker::DuplicateRows { start, count });
            }
        })
    };
    let compared_rows = {
        let current = current.clone();
        Callback::from(move |(side, start, count): (String, usize, usize)| {
            if let Some(bridge) = current() {
                bridge.send(&ToWorker::ComparedRows { side, start, count });
            }
        })
    };

    let kept = state.kept();
    // What the downloads keep: the diverse selection when near-duplicates are left out.
    let kept_shown = state.current_diversity().map_or(kept, |d| d.kept);
    // The figures are for an earlier budget (or run) until the worker's new cut arrives,
    // or, with near-duplicates left out, until its diverse selection does.
    let busy =
        state.current_cut().is_none() || (state.dedup && state.current_diversity().is_none());
    let download = {
        let current = current.clone();
        let source_name = state
            .source
            .summary
            .as_ref()
            .map(|s| s.name.clone())
            .unwrap_or_default();
        let input_order = state.input_order;
        let diverse = state.current_diversity().is_some();
        Callback::from(move |kind: String| {
            if let Some(bridge) = current() {
                // With near-duplicates left out, the kept set is the diverse selection.
                let asked = match kind.as_str() {
                    "selected" | "rejected" if diverse => format!("diverse-{kind}"),
                    _ => kind.clone(),
                };
                let suffix = match kind.as_str() {
                    "scores.csv" => "scores.csv".to_string(),
                    "scores.jsonl" => "scores.jsonl".to_string(),
                    "stability.json" => "stability.json".to_string(),
                    other => format!("{other}.jsonl"),
                };
                let name = format!("{}.{suffix}", stem(&source_name));
                spawn_local(async move {
                    // A file the user picks is written as a stream, at any size; else a Blob.
                    if let Ok(file) = pick_file(&name).await {
                        bridge.export(&asked, &name, kept, input_order, file);
                    }
                });
            }
        })
    };

    // The selection view's figures come from the worker, which holds the scores: one
    // request at a time, and again once it is answered if the budget moved meanwhile.
    {
        let current = current.clone();
        let dispatch = state.dispatcher();
        let wanted = state.cut_key();
        let have = state.current_cut().is_some();
        let in_flight = state.cut_sent.is_some();
        use_effect_with(
            (wanted, have, in_flight),
            move |(wanted, have, in_flight)| {
                if let (Some(key), false, false, Some(bridge)) =
                    (wanted, have, in_flight, current())
                {
                    dispatch.dispatch(Action::CutSent(key.clone()));
                    bridge.send(&ToWorker::Cut {
                        budget: key.1,
                        group_field: key.2.clone(),
                    });
                }
            },
        );
    }

    let dispatch = state.dispatcher();
    let act = {
        let dispatch = dispatch.clone();
        Callback::from(move |action: Action| dispatch.dispatch(action))
    };
    let can_score = state.source.usable()
        && state.target.usable()
        && state.pool_threads.is_some()
        && !state.running();
    {
        let start = start.clone();
        let dispatch = dispatch.clone();
        use_effect_with(
            (state.autostart, can_score),
            move |&(autostart, can_score)| {
                if autostart && can_score {
                    dispatch.dispatch(Action::AutoStart(false));
                    start.emit(());
                }
            },
        );
    }
    let threads_changed = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            if let Ok(threads) = input.value().parse::<usize>() {
                dispatch.dispatch(Action::SetThreads(threads.clamp(1, 64)));
            }
        })
    };
    let compressor_changed = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            let choice = match select.value().as_str() {
                "lz4" => CompressorChoice::Lz4,
                "dsir" => CompressorChoice::Dsir,
                _ => CompressorChoice::Gzip,
            };
            dispatch.dispatch(Action::SetCompressor(choice));
        })
    };
    let level_changed = {
        let dispatch = dispatch.clone();
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            dispatch.dispatch(Action::SetLevel(select.value().parse().unwrap_or(9)));
        })
    };

    // Stable across renders, so that views given it redraw only when their data changes.
    let on_playground = use_callback(dispatch.clone(), |action, dispatch| {
        dispatch.dispatch(Action::Playground(action))
    });
    let share = {
        let dispatch = dispatch.clone();
        let (x, y) = (state.playground.x.clone(), state.playground.y.clone());
        Callback::from(move |()| {
            let link = route::share_link(&x, &y);
            dispatch.dispatch(Action::Playground(PlaygroundAction::Share(link)));
        })
    };
    let to_playground = {
        let dispatch = dispatch.clone();
        let record = state.detail.as_ref().and_then(|(_, text)| text.clone());
        Callback::from(move |target: String| {
            let x = record.clone().unwrap_or_default();
            dispatch.dispatch(Action::Playground(PlaygroundAction::Load { x, y: target }));
            route::go(Route::Playground);
        })
    };
    let nav_link = |route: Route, href: &'static str, label: &'static str| {
        let current = (state.route == route).then_some("page");
        html! { <a href={href} aria-current={current}>{ label }</a> }
    };

    let short_keys = state
        .source
        .summary
        .as_ref()
        .map(|s| s.short_keys.clone())
        .unwrap_or_default();

    html! {
        <main>
            <header>
                <h1>{ "zipfit" }</h1>
                <p class="tagline">
                    { "Rank a large JSONL corpus by how well each record aligns with a small target set, using only a compressor (ZIP-FIT). " }
                    <strong>{ "Your data never leaves this browser tab." }</strong>
                </p>
                <nav class="views" aria-label="Views">
                    { nav_link(Route::Selection, "#/", "Selection") }
                    { nav_link(Route::Compare, "#/compare", "Compare runs") }
                    { nav_link(Route::Playground, "#/playground", "NCD playground") }
                </nav>
                <OfflineStatus />
                if state.route == Route::Selection {
                    <button class="example" onclick={load_example} disabled={state.running()}>{ "Try the example" }</button>
                }
                if let Some(message) = &state.worker_error {
                    <p class="error" role="alert">{ message }</p>
                }
            </header>

            if state.route == Route::Playground {
                <PlaygroundView playground={state.playground.clone()}
                    on={on_playground} on_share={share} />
            }
            if state.route == Route::Compare {
                <CompareView runs={state.runs.clone()} comparison={state.comparison.clone()}
                    budget={state.budget().to_string()} short_keys={short_keys.clone()}
                    on_pick={act.reform(|(a, b)| Action::CompareRuns(a, b))}
                    on_need={compared_rows} on_download={download.clone()} />
            }
            <div hidden={state.route != Route::Selection}>
            <section class="files">
                <DropZone role={Role::Source} title="Source" hint="the corpus to rank (.jsonl or .jsonl.gz)"
                    slot={state.source.clone()} disabled={state.running()}
                    on_file={choose.reform(|input| (Role::Source, input))}
                    on_read={reread.reform(|(field, skip)| (Role::Source, field, skip))} />
                <DropZone role={Role::Target} title="Target" hint="the examples to align with (.jsonl or .jsonl.gz)"
                    slot={state.target.clone()} disabled={state.running()}
                    on_file={choose.reform(|input| (Role::Target, input))}
                    on_read={reread.reform(|(field, skip)| (Role::Target, field, skip))} />
            </section>

            <section class="method">
                <label>{ "Compressor " }
                    <select id="compressor" onchange={compressor_changed} disabled={state.running()}>
                        <option value="gzip" selected={state.compressor == CompressorChoice::Gzip}>{ "gzip (paper's default)" }</option>
                        <option value="lz4" selected={state.compressor == CompressorChoice::Lz4}>{ "LZ4, fastest (paper's best)" }</option>
                        <option value="dsir" selected={state.compressor == CompressorChoice::Dsir}>{ "DSIR baseline (hashed n-grams)" }</option>
                    </select>
                </label>
                <label>{ "Level " }
                    <select id="level" onchange={level_changed} disabled={state.running() || state.compressor != CompressorChoice::Gzip}>
                        { for (1..=9u8).map(|l| html! { <option value={l.to_string()} selected={state.level == l}>{ l }</option> }) }
                    </select>
                </label>
                <label title="Keep per-record sums over a seeded split of the targets into folds (8 bytes a record per fold), to show how much the selection depends on which targets were used">
                    <input id="stability-option" type="checkbox" checked={state.stability && state.compressor != CompressorChoice::Dsir}
                        disabled={state.running() || state.compressor == CompressorChoice::Dsir}
                        onchange={act.reform(|e: Event| Action::SetStability(e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))} />
                    { " Stability over targets" }
                </label>
                <label>{ "Threads " }
                    <input id="threads" type="number" min="1" max="64" value={state.threads.to_string()}
                        onchange={threads_changed} disabled={state.running()} />
                </label>
                <span class="pool">
                    { match state.pool_threads { Some(1) => "1 worker thread ready".to_string(), Some(n) => format!("{n} worker threads ready"), None => "starting workers…".to_string() } }
                </span>
                if state.running() {
                    <button id="cancel" class="secondary" onclick={cancel} disabled={matches!(state.run, Run::Cancelling)}>{ "Cancel" }</button>
                } else {
                    <button id="score" class="primary" onclick={start.reform(|_: MouseEvent| ())} disabled={!can_score}>{ "Score" }</button>
                }
            </section>

            <ProgressView run={state.run.clone()} />

            if let Some(scored) = &state.scored {
                <section class="results">
                    <p class="run-summary" id="run-summary">
                        { format!("Scored {} against {} with {} in {:.2} s ({}).",
                            counted(scored.records, "record"),
                            counted(state.target.summary.as_ref().map_or(0, |s| s.records), "target"),
                            state.method_label, scored.seconds,
                            if scored.pairs > 0.0 {
                                format!("{} pairs/s", thousands((scored.pairs / scored.seconds.max(1e-9)) as usize))
                            } else {
                                format!("{} records/s", thousands((scored.records as f64 / scored.seconds.max(1e-9)) as usize))
                            }) }
                    </p>
                    <div class="result-grid">
                        <div>
                            <BudgetPanel kind={state.budget_kind} value={state.budget_value} kept={kept_shown}
                                total={scored.records}
                                kept_tokens={state.current_diversity().map_or_else(
                                    || state.cut.as_ref().map_or(0, |c| c.kept_tokens),
                                    |d| d.kept_tokens)}
                                busy={busy}
                                on_change={act.reform(|(kind, value)| Action::SetBudget(kind, value))} />
                            if let Some(cut) = &state.cut {
                                <ScoreHistogram cut={cut.clone()}
                                    on_cut={act.reform(|score| Action::SetBudget(BudgetKind::Threshold, score))} />
                            }
                            <Breakdown fields={short_keys.clone()} field={state.group_field.clone()}
                                rows={state.current_cut().and_then(|c| c.breakdown.clone())} kept={kept}
                                on_field={act.reform(Action::SetGroupField)} />
                            if let Some((_, _, report)) = &state.stability_report {
                                <StabilityPanel report={report.clone()} on_download={download.clone()} />
                            }
                            <NearDuplicates on={state.dedup} threshold={state.dedup_threshold}
                                diversity={state.current_diversity().cloned()} rows={state.duplicate_rows.clone()}
                                on_change={act.reform(|(on, t)| Action::SetDedup(on, t))}
                                on_need={duplicate_rows} on_download={download.clone()} />
                            <Downloads input_order={state.input_order} kept={kept_shown} busy={busy}
                                skipped={state.source.summary.as_ref().map_or(0, |s| s.skipped)}
                                saved={state.saved.clone()}
                                on_order={act.reform(Action::SetInputOrder)} on_download={download} />
                        </div>
                        <ResultsTable total={scored.records} kept={kept} rows={state.rows.clone()}
                            short_keys={short_keys} on_need={need_rows} on_open={open} />
                    </div>
                    <RunsList runs={state.runs.clone()} shown={state.shown_run} on_show={show_run} />
                    if let Some((row, text)) = &state.detail {
                        <RecordDetail row={row.clone()} text={text.clone()} explained={state.explained.clone()}
                            on_close={act.reform(|()| Action::CloseDetail)} on_playground={to_playground} />
                    }
                </section>
            }
            </div>
            <footer>
                { "ZIP-FIT scoring: alignment(x) = 1 − mean NCD(x, y) over the targets, with C = the compressed length of exactly what Python's gzip / lz4.frame would produce. " }
                { "Scores here are identical to the zipfit command-line tool's." }
            </footer>
        </main>
    }
}
