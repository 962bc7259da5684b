//! [`App`], the whole page: the state, the worker and the hooks that keep them in step
//! (`crate::page::effects`), the user's events (`crate::page::events`), and the layout
//! of the views, drawn here from the state. All scoring, ranking and selection runs in
//! the worker.

use yew::prelude::*;

use crate::page::effects::{
    use_autostart, use_comparison_requests, use_cut_requests, use_dedup_requests,
    use_matrix_requests, use_playground_requests, use_route, use_stability_requests, use_sweep,
    use_worker,
};
use crate::page::events::{use_events, Events};
use crate::page::route::Route;
use crate::page::state::{Action, BudgetKind, CompressorChoice, FileSlot, Run, State};
use crate::page::text::{counted, thousands};
use crate::page::views::{
    Breakdown, BudgetPanel, CompareView, Downloads, DropZone, NearDuplicates, OfflineStatus,
    PlaygroundView, ProgressView, RecordDetail, ResultsTable, RunsList, ScoreHistogram,
    StabilityPanel, StoredRuns, TokenCounterPicker,
};
use crate::protocol::{FileSummary, Role};

fn default_threads() -> usize {
    web_sys::window()
        .map_or(2, |w| w.navigator().hardware_concurrency() as usize)
        .clamp(1, 64)
}

/// The whole page.
#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| State::new(default_threads()));
    let worker = use_worker(&state);
    use_route(&state);
    use_playground_requests(&state, &worker);
    use_stability_requests(&state, &worker);
    use_comparison_requests(&state, &worker);
    use_sweep(&state, &worker);
    use_matrix_requests(&state, &worker);
    use_dedup_requests(&state, &worker);
    use_cut_requests(&state, &worker);
    let events = use_events(&state, &worker);
    use_autostart(&state, events.start.clone());

    html! {
        <main>
            { header(&state, &events) }
            if state.route == Route::Playground {
                <PlaygroundView playground={state.playground.clone()}
                    on={events.on_playground.clone()} on_share={events.share.clone()} />
            }
            if state.route == Route::Compare {
                <CompareView runs={state.runs.clone()} comparison={state.comparison.clone()}
                    budget={state.budget().to_string()} short_keys={short_keys(&state)} unit={unit(&state.source)}
                    on_pick={events.act.reform(|(a, b)| Action::CompareRuns(a, b))}
                    on_need={events.compared_rows.clone()} on_download={events.download.clone()} />
            }
            <div hidden={state.route != Route::Selection}>
                { files(&state, &events) }
                { method(&state, &events) }
                if let Some(notice) = &state.notice {
                    <p class="error" role="alert" id="worker-stopped">{ notice }</p>
                }
                <ProgressView run={state.run.clone()} />
                <StoredRuns storage={state.storage.clone()} error={state.storage_error.clone()}
                    can_resume={state.can_score()} on_resume={events.resume.clone()}
                    on_forget={events.forget.clone()} />
                { results(&state, &events) }
            </div>
            <footer>
                { "ZIP-FIT scoring: alignment(x) = 1 − mean NCD(x, y) over the targets, with C = the compressed length of exactly what the paper's Python code gets (gzip, lz4.frame, zstandard or lzma). " }
                { "Scores here are identical to the zipfit command-line tool's." }
            </footer>
        </main>
    }
}

/// The source's short fields, the table's columns.
/// What a file's records are ("line", or "row" for Parquet).
fn unit(slot: &FileSlot) -> &'static str {
    slot.summary.as_ref().map_or("line", FileSummary::unit)
}

fn short_keys(state: &State) -> Vec<String> {
    state
        .source
        .summary
        .as_ref()
        .map(|s| s.short_keys.clone())
        .unwrap_or_default()
}

/// The title, the views' links, the offline status and the worker's errors.
fn header(state: &State, events: &Events) -> Html {
    let nav_link = |route: Route, href: &'static str, label: &'static str| {
        let current = (state.route == route).then_some("page");
        html! { <a href={href} aria-current={current}>{ label }</a> }
    };
    html! {
        <header>
            <h1>{ "zipfit" }</h1>
            <p class="tagline">
                { "Rank a large JSONL or Parquet corpus by how well each record aligns with a small target set, using only a compressor (ZIP-FIT). " }
                <strong>{ "Your data never leaves this browser tab." }</strong>
            </p>
            <nav class="views" aria-label="Views">
                { nav_link(Route::Selection, "#/", "Selection") }
                { nav_link(Route::Compare, "#/compare", "Compare runs") }
                { nav_link(Route::Playground, "#/playground", "NCD playground") }
            </nav>
            <OfflineStatus />
            if state.route == Route::Selection {
                <button class="example" onclick={events.load_example.clone()} disabled={state.running()}>{ "Try the example" }</button>
            }
            if let Some(message) = &state.worker_error {
                <p class="error" role="alert">{ message }</p>
            }
        </header>
    }
}

/// The two drop zones.
fn files(state: &State, events: &Events) -> Html {
    let (choose, reread, act) = (&events.choose, &events.reread, &events.act);
    html! {
        <section class="files">
            <DropZone role={Role::Source} title="Source" hint="the corpus to rank (.jsonl, .jsonl.gz or .parquet)"
                slot={state.source.clone()} disabled={state.running()}
                on_file={choose.reform(|input| (Role::Source, input))}
                on_error={act.reform(|message| Action::PageError(Role::Source, message))}
                on_read={reread.reform(|(field, skip)| (Role::Source, field, skip))} />
            <DropZone role={Role::Target} title="Target" hint="the examples to align with (.jsonl, .jsonl.gz or .parquet)"
                slot={state.target.clone()} disabled={state.running()}
                on_file={choose.reform(|input| (Role::Target, input))}
                on_error={act.reform(|message| Action::PageError(Role::Target, message))}
                on_read={reread.reform(|(field, skip)| (Role::Target, field, skip))} />
        </section>
    }
}

/// The method: compressor, level, stability, threads, and Score or Cancel.
fn method(state: &State, events: &Events) -> Html {
    let running = state.running();
    let dsir = state.compressor == CompressorChoice::Dsir;
    let levels = state.compressor.levels();
    let sweep = events.act.reform(|_: MouseEvent| Action::Sweep);
    let sweep_title = match (levels.first(), levels.last()) {
        (Some(first), Some(last)) => format!(
            "One run at each of {}'s levels, {first} to {last}, kept like any run; then compare them",
            state.compressor.name()
        ),
        _ => String::new(),
    };
    let pool = match state.pool_threads {
        Some(1) => "1 worker thread ready".to_string(),
        Some(n) => format!("{n} worker threads ready"),
        None => "starting workers…".to_string(),
    };
    let stability_changed = events.act.reform(|e: Event| {
        Action::SetStability(
            e.target_unchecked_into::<web_sys::HtmlInputElement>()
                .checked(),
        )
    });
    html! {
        <section class="method">
            <label>{ "Compressor " }
                <select id="compressor" onchange={events.compressor_changed.clone()} disabled={running}>
                    { for CompressorChoice::ALL.into_iter().map(|c| html! {
                        <option value={c.name()} selected={state.compressor == c}>{ c.title() }</option>
                    }) }
                </select>
            </label>
            <label>{ "Level " }
                <select id="level" onchange={events.level_changed.clone()} disabled={running || levels.len() < 2}>
                    { for levels.iter().map(|&l| html! { <option value={l.to_string()} selected={state.level == l}>{ l }</option> }) }
                </select>
            </label>
            <label title="Keep per-record sums over a seeded split of the targets into folds (8 bytes a record per fold), to show how much the selection depends on which targets were used">
                <input id="stability-option" type="checkbox" checked={state.stability && !dsir}
                    disabled={running || dsir} onchange={stability_changed} />
                { " Stability over targets" }
            </label>
            <label>{ "Threads " }
                <input id="threads" type="number" min="1" max="64" value={state.threads.to_string()}
                    onchange={events.threads_changed.clone()} disabled={running}
                    aria-invalid={state.threads_refused.is_some().to_string()}
                    aria-describedby={state.threads_refused.is_some().then_some("threads-error")} />
            </label>
            if let Some(error) = &state.threads_refused {
                <span class="error" id="threads-error" role="alert">{ error }</span>
            }
            <span class="pool">{ pool }</span>
            if running {
                <button id="cancel" class="secondary" onclick={events.cancel.clone()} disabled={matches!(state.run, Run::Cancelling)}>{ "Cancel" }</button>
            } else {
                <button id="score" class="primary" onclick={events.start.reform(|_: MouseEvent| ())} disabled={!state.can_score()}>{ "Score" }</button>
                <button id="sweep" class="secondary" title={sweep_title} onclick={sweep}
                    disabled={!state.can_score() || levels.len() < 2}>{ "Score at every level" }</button>
            }
            if !state.sweep.is_empty() {
                <span class="sweep-left" role="status">{ format!("{} more in this sweep", state.sweep.len()) }</span>
            }
        </section>
    }
}

/// The shown run: its summary, the budget and what it keeps, the table, the runs and
/// the open record.
fn results(state: &State, events: &Events) -> Html {
    let Some(scored) = &state.scored else {
        return html! {};
    };
    let speed = if scored.pairs > 0.0 {
        let per_second = scored.pairs / scored.seconds.max(1e-9);
        format!("{} pairs/s", thousands(per_second as usize))
    } else {
        let per_second = scored.records as f64 / scored.seconds.max(1e-9);
        format!("{} records/s", thousands(per_second as usize))
    };
    let targets = state.target.summary.as_ref().map_or(0, |s| s.records);
    let summary = if scored.stored >= scored.records {
        format!(
            "{} against {} with {}: read back from this browser's storage, where the run was kept when it was scored.",
            counted(scored.records, "record"),
            counted(targets, "target"),
            state.method_label,
        )
    } else if scored.stored > 0 {
        format!(
            "Scored {} against {} with {}: {} kept from the interrupted run, the rest in {:.2} s ({speed}).",
            counted(scored.records, "record"),
            counted(targets, "target"),
            state.method_label,
            thousands(scored.stored),
            scored.seconds,
        )
    } else {
        format!(
            "Scored {} against {} with {} in {:.2} s ({speed}).",
            counted(scored.records, "record"),
            counted(targets, "target"),
            state.method_label,
            scored.seconds,
        )
    };
    let act = &events.act;
    let (kept_tokens, tokens_by) = state.current_diversity().map_or_else(
        || {
            state.cut.as_ref().map_or_else(
                || (0, state.tokens.name.clone()),
                |c| (c.kept_tokens, c.tokens_by.clone()),
            )
        },
        |d| (d.kept_tokens, d.tokens_by.clone()),
    );
    html! {
        <section class="results">
            <p class="run-summary" id="run-summary">{ summary }</p>
            <div class="result-grid">
                <div>
                    <BudgetPanel kind={state.budget_kind} value={state.budget_value} kept={state.kept_shown()}
                        total={scored.records} kept_tokens={kept_tokens} tokens_by={tokens_by} busy={state.busy()}
                        on_change={act.reform(|(kind, value)| Action::SetBudget(kind, value))} />
                    <TokenCounterPicker kind={state.tokens.shown_kind().to_string()}
                        file={state.tokens.shown_file().cloned()} loading={state.tokens.pending.is_some()}
                        error={state.tokens.error.clone()} on_choose={events.choose_counter.clone()} />
                    if let Some(cut) = &state.cut {
                        <ScoreHistogram cut={cut.clone()}
                            on_cut={act.reform(|score| Action::SetBudget(BudgetKind::Threshold, score))} />
                    }
                    <Breakdown fields={short_keys(state)} field={state.group_field.clone()}
                        rows={state.current_cut().and_then(|c| c.breakdown.clone())} kept={state.kept()}
                        on_field={act.reform(Action::SetGroupField)} />
                    if let Some((_, _, report)) = &state.stability_report {
                        <StabilityPanel report={report.clone()} on_download={events.download.clone()} />
                    }
                    <NearDuplicates on={state.dedup} threshold={state.dedup_threshold}
                        diversity={state.current_diversity().cloned()} rows={state.duplicate_rows.clone()}
                        on_change={act.reform(|(on, t)| Action::SetDedup(on, t))}
                        on_need={events.duplicate_rows.clone()} on_download={events.download.clone()}
                        unit={unit(&state.source)} />
                    <Downloads input_order={state.input_order} kept={state.kept_shown()} busy={state.busy()}
                        skipped={state.source.summary.as_ref().map_or(0, |s| s.skipped)}
                        unit={unit(&state.source)}
                        saved={state.saved.clone()}
                        on_order={act.reform(Action::SetInputOrder)} on_download={events.download.clone()} />
                </div>
                <ResultsTable total={scored.records} kept={state.kept()} rows={state.rows.clone()}
                    short_keys={short_keys(state)} on_need={events.need_rows.clone()} on_open={events.open.clone()} />
            </div>
            <RunsList runs={state.runs.clone()} shown={state.shown_run} on_show={events.show_run.clone()} />
            if let Some((row, text)) = &state.detail {
                <RecordDetail row={row.clone()} text={text.clone()} explained={state.explained.clone()}
                    units={(unit(&state.source), unit(&state.target))}
                    on_close={act.reform(|()| Action::CloseDetail)} on_playground={events.to_playground.clone()} />
            }
        </section>
    }
}
