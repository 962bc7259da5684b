//! The page's side effects, one hook each: the worker started (again when the thread
//! count changes), the view following the address, and the requests that keep what the
//! worker computes in step with the state (the cut, stability figures, a comparison, a
//! diverse selection, the playground's figures), each sent when what it depends on
//! changes and, where answers take a while, one at a time.

use std::cell::RefCell;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;
use zipfit_core::compress::Compressor;

use crate::page::bridge::{Bridge, FromWorker, ToWorker};
use crate::page::events::score;
use crate::page::files::{save, send_file};
use crate::page::playground::{PlaygroundAction, LIVE_BYTES, PAUSE_MS};
use crate::page::route::{self, Route};
use crate::page::state::{Action, State};
use crate::protocol::Role;

/// The scoring worker in use: replaced when the thread count changes, absent until
/// it started.
#[derive(Clone)]
pub struct Worker(Rc<RefCell<Option<Rc<Bridge>>>>);

impl Worker {
    /// The bridge to the worker, if it started.
    pub fn current(&self) -> Option<Rc<Bridge>> {
        self.0.borrow().clone()
    }
}

/// Starts the scoring worker, one per thread count (the pool size is fixed when the
/// worker starts), and hands a restarted worker the files again.
#[hook]
pub fn use_worker(state: &UseReducerHandle<State>) -> Worker {
    let slot: Rc<RefCell<Option<Rc<Bridge>>>> = use_mut_ref(|| None);
    let bridge = slot.clone();
    let dispatch = state.dispatcher();
    let inputs = (state.source.clone(), state.target.clone());
    let tokens = state.tokens.clone();
    use_effect_with(
        (state.threads, state.worker_generation),
        move |&(threads, _)| {
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
                    // A restarted worker has lost the counter and the files: hand them over again.
                    if tokens.kind != "bytes" {
                        started.counter(&tokens.kind, tokens.file.as_ref());
                    }
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
        },
    );
    Worker(slot)
}

/// The view follows the address's fragment, which may carry the playground's texts.
#[hook]
pub fn use_route(state: &UseReducerHandle<State>) {
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

/// The playground asks the worker for figures: at once for short texts, after a pause
/// for long ones, and never more than one request at a time (the latest texts win).
#[hook]
pub fn use_playground_requests(state: &UseReducerHandle<State>, worker: &Worker) {
    let worker = worker.clone();
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
                    let Some(bridge) = worker.current() else {
                        return;
                    };
                    // The playground draws gzip and LZ4's fast level, the compressors with a parse.
                    let (compressor, level) = match drawn {
                        Compressor::Gzip { level } => ("gzip", level),
                        _ => ("lz4", 0),
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

/// The selection view's figures come from the worker, which holds the scores: one
/// request at a time, and again once it is answered if the budget moved meanwhile.
#[hook]
pub fn use_cut_requests(state: &UseReducerHandle<State>, worker: &Worker) {
    let worker = worker.clone();
    let dispatch = state.dispatcher();
    let wanted = state.cut_key();
    let have = state.current_cut().is_some();
    let in_flight = state.cut_sent.is_some();
    use_effect_with(
        (wanted, have, in_flight),
        move |(wanted, have, in_flight)| {
            if let (Some(key), false, false, Some(bridge)) =
                (wanted, have, in_flight, worker.current())
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

/// The shown run's stability figures follow the budget: one request at a time, and
/// again once it is answered if the budget moved meanwhile.
#[hook]
pub fn use_stability_requests(state: &UseReducerHandle<State>, worker: &Worker) {
    let worker = worker.clone();
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
            if let (Some((run, budget)), false, Some(bridge)) =
                (wanted, in_flight, worker.current())
            {
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

/// A sweep over levels starts its next run when the one before it has ended.
#[hook]
pub fn use_sweep(state: &UseReducerHandle<State>, worker: &Worker) {
    let worker = worker.clone();
    let dispatch = state.dispatcher();
    let next = (!state.running() && state.pool_threads.is_some())
        .then(|| state.sweep.first().cloned())
        .flatten();
    use_effect_with(next, move |next| {
        if let Some(method) = next {
            score(&worker, &dispatch, method.clone(), None);
        }
    });
}

/// The comparison follows the runs picked and the budget, while its view is open.
#[hook]
pub fn use_comparison_requests(state: &UseReducerHandle<State>, worker: &Worker) {
    let worker = worker.clone();
    let wanted = (state.route == Route::Compare && state.runs.len() >= 2).then_some((
        state.comparison.runs,
        state.budget(),
        state.runs.len(),
        state.tokens.revision,
    ));
    use_effect_with(wanted, move |wanted| {
        if let (Some(((a, b), budget, _, _)), Some(bridge)) = (wanted, worker.current()) {
            bridge.send(&ToWorker::Compare {
                a: *a,
                b: *b,
                budget: *budget,
            });
        }
    });
}

/// The matrix of every run against every other follows the runs and the budget, while
/// the compare view is open.
#[hook]
pub fn use_matrix_requests(state: &UseReducerHandle<State>, worker: &Worker) {
    let worker = worker.clone();
    let wanted = (state.route == Route::Compare && state.runs.len() >= 2).then_some((
        state.budget(),
        state.runs.len(),
        state.tokens.revision,
    ));
    use_effect_with(wanted, move |wanted| {
        if let (Some((budget, _, _)), Some(bridge)) = (wanted, worker.current()) {
            bridge.send(&ToWorker::Matrix { budget: *budget });
        }
    });
}

/// The diverse selection follows the shown run, the budget and the threshold.
#[hook]
pub fn use_dedup_requests(state: &UseReducerHandle<State>, worker: &Worker) {
    let worker = worker.clone();
    let wanted = (state.dedup && state.scored.is_some())
        .then(|| (state.shown_run, state.budget(), state.dedup_threshold));
    let have = state.current_diversity().is_some();
    use_effect_with((wanted, have), move |(wanted, have)| {
        if let (Some((_, budget, threshold)), false, Some(bridge)) =
            (wanted, have, worker.current())
        {
            bridge.send(&ToWorker::Dedup {
                threshold: *threshold,
                budget: *budget,
            });
        }
    });
}

/// "Try the example" scores as soon as both files are read and the workers are ready.
#[hook]
pub fn use_autostart(state: &UseReducerHandle<State>, start: Callback<()>) {
    let dispatch = state.dispatcher();
    use_effect_with(
        (state.autostart, state.can_score()),
        move |&(autostart, can_score)| {
            if autostart && can_score {
                dispatch.dispatch(Action::AutoStart(false));
                start.emit(());
            }
        },
    );
}
