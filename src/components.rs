//! The page's parts, named after what the user sees.

use std::collections::HashMap;

use wasm_bindgen::JsCast;
use web_sys::{DragEvent, HtmlElement, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use zipfit_core::select::Budget;

use crate::app::{FileSlot, Input, Run};
use crate::bridge::Scored;
use crate::protocol::{Groups, Role, RowView};
use crate::shared::Shared;

/// `n` with its noun, singular for one: "1 record", "2,000 records".
pub fn counted(n: usize, noun: &str) -> String {
    let plural = if n == 1 { "" } else { "s" };
    format!("{} {noun}{plural}", thousands(n))
}

pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

fn bytes_label(n: usize) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} bytes"),
    }
}

fn duration_label(seconds: f64) -> String {
    if seconds >= 90.0 {
        format!(
            "{:.0} min {:.0} s",
            (seconds / 60.0).floor(),
            seconds % 60.0
        )
    } else {
        format!("{seconds:.1} s")
    }
}

fn looks_like_jsonl(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [".jsonl", ".json", ".ndjson", ".txt"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    pub role: Role,
    pub title: AttrValue,
    pub hint: AttrValue,
    pub slot: FileSlot,
    pub disabled: bool,
    pub on_file: Callback<Input>,
    /// Re-read with (field, skip bad lines).
    pub on_read: Callback<(String, bool)>,
}

/// A file drop target with a picker, what was found in the file, and its errors.
#[function_component(DropZone)]
pub fn drop_zone(props: &DropZoneProps) -> Html {
    let dragging = use_state(|| false);
    let role = props.role.as_str();
    let on_change = {
        let on_file = props.on_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                on_file.emit(Input::File(file));
            }
            input.set_value("");
        })
    };
    let on_drop = {
        let on_file = props.on_file.clone();
        let dragging = dragging.clone();
        let disabled = props.disabled;
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if disabled {
                return;
            }
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                on_file.emit(Input::File(file));
            }
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let slot = &props.slot;
    let summary = slot.summary.as_ref();
    let field_changed = {
        let on_read = props.on_read.clone();
        let skip = slot.skip_bad;
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            on_read.emit((select.value(), skip));
        })
    };
    let skip_bad = {
        let on_read = props.on_read.clone();
        let field = summary.map(|s| s.field.clone()).unwrap_or_default();
        Callback::from(move |_: MouseEvent| on_read.emit((field.clone(), true)))
    };
    let class = classes!("drop-zone", dragging.then_some("dragging"));
    html! {
        <div class={class} id={format!("{role}-zone")} ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
            <h2>{ &props.title }</h2>
            <label class="picker">
                <input id={format!("{role}-file")} type="file" accept=".jsonl,.json,.ndjson,.gz,.txt"
                    onchange={on_change} disabled={props.disabled} />
                <span>{ "Drop a file here or " }<u>{ "choose one" }</u></span>
                <small>{ &props.hint }</small>
            </label>
            if slot.loading {
                <p class="status">{ "Reading…" }</p>
            }
            if let Some(error) = &slot.error {
                <p class="error" role="alert">{ error }</p>
            }
            if let Some(summary) = summary {
                <div class="summary" id={format!("{role}-summary")}>
                    <p>
                        <strong>{ &summary.name }</strong>
                        { format!(" · {}", bytes_label(summary.bytes)) }
                        if summary.error.is_none() { { format!(" · {}", counted(summary.records, "record")) } }
                        if summary.blank_lines > 0 { { format!(" · {}", counted(summary.blank_lines, "blank line")) } }
                    </p>
                    if !summary.fields.is_empty() {
                        <label>{ "Text field " }
                            <select id={format!("{role}-field")} onchange={field_changed} disabled={props.disabled}>
                                { for summary.fields.iter().map(|(key, _)| html! {
                                    <option value={key.clone()} selected={*key == summary.field}>{ key }</option>
                                }) }
                            </select>
                        </label>
                    }
                    if let Some(error) = &summary.error {
                        <div class="error" role="alert">
                            <p>{ error }</p>
                            if summary.error_line == Some(1) && !looks_like_jsonl(&summary.name) {
                                <p>{ "This does not look like a JSONL file: expected one JSON object per line (.jsonl or .jsonl.gz)." }</p>
                            }
                            if summary.error_line.is_some() {
                                <button class="secondary" id={format!("{role}-skip")} onclick={skip_bad}>
                                    { "Skip bad lines and continue" }
                                </button>
                            }
                        </div>
                    }
                    if summary.skipped > 0 {
                        <details class="issues" open=true>
                            <summary>{ format!("{} skipped (not lost: download them below)", counted(summary.skipped, "line")) }</summary>
                            <ul>
                                { for summary.issues.iter().map(|issue| html! {
                                    <li>{ format!("{}:{}: {}", summary.name, issue.line, issue.problem) }</li>
                                }) }
                                if summary.skipped > summary.issues.len() {
                                    <li>{ format!("… and {} more", summary.skipped - summary.issues.len()) }</li>
                                }
                            </ul>
                        </details>
                    }
                    if summary.error.is_none() {
                        <ol class="preview">
                            { for summary.preview.iter().map(|text| html! { <li>{ text }</li> }) }
                        </ol>
                    }
                </div>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct ProgressProps {
    pub run: Run,
}

/// Progress of a run: records done, rate and time left.
#[function_component(ProgressView)]
pub fn progress_view(props: &ProgressProps) -> Html {
    match &props.run {
        Run::Idle => html! {},
        Run::Running {
            done,
            total,
            pairs,
            seconds,
        } => {
            let fraction = if *total == 0 {
                0.0
            } else {
                *done as f64 / *total as f64
            };
            let rate = pairs / seconds.max(1e-9);
            let left = if *done == 0 {
                f64::NAN
            } else {
                seconds * (*total - *done) as f64 / *done as f64
            };
            html! {
                <section class="progress" id="progress">
                    <progress max="1" value={fraction.to_string()}></progress>
                    <span>
                        { format!("{} / {} · {} pairs/s", thousands(*done), counted(*total, "record"), thousands(rate as usize)) }
                        if left.is_finite() { { format!(" · {} left", duration_label(left)) } }
                    </span>
                </section>
            }
        }
        Run::Cancelling => {
            html! { <section class="progress"><span>{ "Cancelling…" }</span></section> }
        }
        Run::Cancelled => {
            html! { <section class="progress"><span id="cancelled">{ "Cancelled." }</span></section> }
        }
        Run::Failed(message) => {
            html! { <section class="progress"><p class="error" role="alert">{ message }</p></section> }
        }
    }
}

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

    fn name(self) -> &'static str {
        match self {
            BudgetKind::Count => "count",
            BudgetKind::Percent => "percent",
            BudgetKind::Tokens => "tokens",
            BudgetKind::Threshold => "threshold",
        }
    }

    fn from_name(name: &str) -> BudgetKind {
        match name {
            "count" => BudgetKind::Count,
            "tokens" => BudgetKind::Tokens,
            "threshold" => BudgetKind::Threshold,
            _ => BudgetKind::Percent,
        }
    }
}

#[derive(Properties, PartialEq)]
pub struct BudgetProps {
    pub kind: BudgetKind,
    pub value: f64,
    pub kept: usize,
    pub total: usize,
    pub kept_tokens: u64,
    pub on_change: Callback<(BudgetKind, f64)>,
}

/// How much to keep: top count, top percent, token budget or score threshold.
#[function_component(BudgetPanel)]
pub fn budget_panel(props: &BudgetProps) -> Html {
    let kind_changed = {
        let on_change = props.on_change.clone();
        let total = props.total;
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let kind = BudgetKind::from_name(&select.value());
            let value = match kind {
                BudgetKind::Count => (total as f64 / 10.0).ceil(),
                BudgetKind::Percent => 10.0,
                BudgetKind::Tokens => 100_000.0,
                BudgetKind::Threshold => 0.2,
            };
            on_change.emit((kind, value));
        })
    };
    let value_changed = {
        let on_change = props.on_change.clone();
        let kind = props.kind;
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Ok(value) = input.value().parse::<f64>() {
                if value.is_finite() {
                    on_change.emit((kind, value));
                }
            }
        })
    };
    let (step, max) = match props.kind {
        BudgetKind::Count => ("1".to_string(), props.total.to_string()),
        BudgetKind::Percent => ("0.1".to_string(), "100".to_string()),
        BudgetKind::Tokens => ("1000".to_string(), String::new()),
        BudgetKind::Threshold => ("0.001".to_string(), "1".to_string()),
    };
    html! {
        <div class="budget" id="budget">
            <h3>{ "Keep" }</h3>
            <select id="budget-kind" onchange={kind_changed}>
                { for [BudgetKind::Percent, BudgetKind::Count, BudgetKind::Tokens, BudgetKind::Threshold].iter().map(|k| html! {
                    <option value={k.name()} selected={*k == props.kind}>{ match k {
                        BudgetKind::Count => "top N records",
                        BudgetKind::Percent => "top percent",
                        BudgetKind::Tokens => "token budget (≈ bytes / 4)",
                        BudgetKind::Threshold => "score above",
                    } }</option>
                }) }
            </select>
            <input id="budget-value" type="number" step={step.clone()} min="0" max={max.clone()}
                value={props.value.to_string()} oninput={value_changed.clone()} />
            if matches!(props.kind, BudgetKind::Percent | BudgetKind::Threshold | BudgetKind::Count) {
                <input id="budget-slider" type="range" step={step} min="0" max={max}
                    value={props.value.to_string()} oninput={value_changed} />
            }
            <p id="kept-summary">
                <strong>{ thousands(props.kept) }</strong>
                { format!(" of {} kept · ≈ {}", counted(props.total, "record"), counted(props.kept_tokens as usize, "token")) }
            </p>
        </div>
    }
}

const BINS: usize = 40;

#[derive(Properties, PartialEq)]
pub struct HistogramProps {
    pub scored: Shared<Scored>,
    pub kept: usize,
    /// A click on the chart asks to keep the records scoring above the clicked score.
    pub on_cut: Callback<f64>,
}

/// Distribution of scores, with the kept part and the cut marked.
#[function_component(ScoreHistogram)]
pub fn score_histogram(props: &HistogramProps) -> Html {
    let scored = &props.scored;
    let bins = use_memo(scored.clone(), |scored| {
        let (min, max) = scored
            .scores
            .iter()
            .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &s| {
                (lo.min(s), hi.max(s))
            });
        let width = ((max - min) / BINS as f64).max(1e-12);
        let bin = move |s: f64| (((s - min) / width) as usize).min(BINS - 1);
        let mut counts = vec![0usize; BINS];
        for &s in &scored.scores {
            counts[bin(s)] += 1;
        }
        (min, max, width, counts)
    });
    let kept_counts = {
        let bins = bins.clone();
        use_memo((scored.clone(), props.kept), move |(scored, kept)| {
            let (min, _, width, _) = &*bins;
            let mut counts = vec![0usize; BINS];
            for &i in &scored.order[..*kept] {
                counts[(((scored.scores[i as usize] - min) / width) as usize).min(BINS - 1)] += 1;
            }
            counts
        })
    };
    let (min, max, _, counts) = &*bins;
    let peak = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let (w, h) = (400.0, 140.0);
    let bar = w / BINS as f64;
    let cut = (props.kept > 0 && props.kept < scored.order.len())
        .then(|| scored.scores[scored.order[props.kept - 1] as usize]);
    let x_of = |s: f64| (s - min) / (max - min).max(1e-12) * w;
    let cut_here = {
        let on_cut = props.on_cut.clone();
        let (min, max) = (*min, *max);
        Callback::from(move |e: MouseEvent| {
            let Some(svg) = e
                .current_target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            else {
                return;
            };
            let bounds = svg.get_bounding_client_rect();
            let fraction =
                ((e.client_x() as f64 - bounds.left()) / bounds.width().max(1.0)).clamp(0.0, 1.0);
            // Round to the slider's step, so the value reads well in the input.
            on_cut.emit(((min + fraction * (max - min)) * 1000.0).round() / 1000.0);
        })
    };
    html! {
        <div class="histogram">
            <h3>{ "Scores" }</h3>
            <svg id="histogram" viewBox={format!("0 0 {w} {}", h + 18.0)} role="img"
                aria-label="Histogram of alignment scores; kept records highlighted; click to cut there"
                onclick={cut_here}>
                { for counts.iter().enumerate().map(|(i, &c)| {
                    let height = c as f64 / peak * h;
                    let kept_height = kept_counts[i] as f64 / peak * h;
                    html! {
                        <g>
                            <rect class="bar" x={(i as f64 * bar).to_string()} y={(h - height).to_string()}
                                width={(bar - 1.0).to_string()} height={height.to_string()} />
                            <rect class="bar kept" x={(i as f64 * bar).to_string()} y={(h - kept_height).to_string()}
                                width={(bar - 1.0).to_string()} height={kept_height.to_string()} />
                        </g>
                    }
                }) }
                if let Some(cut) = cut {
                    <line class="cut" x1={x_of(cut).to_string()} x2={x_of(cut).to_string()} y1="0" y2={h.to_string()} />
                }
                <text x="0" y={(h + 14.0).to_string()}>{ format!("{min:.3}") }</text>
                <text x={w.to_string()} y={(h + 14.0).to_string()} text-anchor="end">{ format!("{max:.3}") }</text>
            </svg>
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct BreakdownProps {
    pub fields: Vec<String>,
    pub field: String,
    pub groups: Option<Shared<Groups>>,
    pub scored: Shared<Scored>,
    pub kept: usize,
    pub on_field: Callback<String>,
}

/// What the selection is made of, by the values of a short field such as `origin`.
#[function_component(Breakdown)]
pub fn breakdown(props: &BreakdownProps) -> Html {
    // Counting walks every record: only when the labels or the selection change.
    let rows = use_memo(
        (
            props.groups.clone(),
            props.field.clone(),
            props.scored.clone(),
            props.kept,
        ),
        |(groups, field, scored, kept)| {
            let groups = groups.as_ref().filter(|g| g.field == *field)?;
            let mut total = vec![0usize; groups.labels.len()];
            let mut kept_counts = vec![0usize; groups.labels.len()];
            for &code in &groups.codes {
                total[code as usize] += 1;
            }
            for &i in &scored.order[..*kept] {
                kept_counts[groups.codes[i as usize] as usize] += 1;
            }
            let mut rows: Vec<(String, usize, usize)> = groups
                .labels
                .iter()
                .cloned()
                .zip(kept_counts)
                .zip(total)
                .map(|((label, k), t)| (label, k, t))
                .collect();
            rows.sort_by(|a, b| b.1.cmp(&a.1).then(b.2.cmp(&a.2)));
            rows.truncate(12);
            Some(rows)
        },
    );
    if props.fields.is_empty() {
        return html! {};
    }
    let field_changed = {
        let on_field = props.on_field.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            on_field.emit(select.value());
        })
    };
    let rows = rows.as_ref();
    html! {
        <div class="breakdown" id="breakdown">
            <h3>{ "Kept by " }
                <select id="group-field" onchange={field_changed}>
                    { for props.fields.iter().map(|f| html! { <option value={f.clone()} selected={*f == props.field}>{ f }</option> }) }
                </select>
            </h3>
            if let Some(rows) = rows {
                <table>
                    { for rows.iter().map(|(label, kept, total)| {
                        let share = if props.kept == 0 { 0.0 } else { *kept as f64 / props.kept as f64 };
                        html! {
                            <tr>
                                <td class="label">{ label }</td>
                                <td class="meter"><span style={format!("width: {:.1}%", share * 100.0)}></span></td>
                                <td class="num">{ format!("{} / {}", thousands(*kept), thousands(*total)) }</td>
                            </tr>
                        }
                    }) }
                </table>
            } else {
                <p class="status">{ "counting…" }</p>
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
pub struct DownloadsProps {
    pub input_order: bool,
    pub kept: usize,
    pub skipped: usize,
    pub on_order: Callback<bool>,
    pub on_download: Callback<String>,
}

/// Download buttons for the selection, the rest, the scores and skipped lines.
#[function_component(Downloads)]
pub fn downloads(props: &DownloadsProps) -> Html {
    let button = |kind: &'static str, label: String| {
        let on_download = props.on_download.clone();
        html! {
            <button class="secondary" id={format!("download-{}", kind.replace('.', "-"))}
                onclick={Callback::from(move |_: MouseEvent| on_download.emit(kind.to_string()))}>
                { label }
            </button>
        }
    };
    let order_changed = {
        let on_order = props.on_order.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            on_order.emit(select.value() == "input");
        })
    };
    html! {
        <div class="downloads">
            <h3>{ "Download" }</h3>
            <label>{ "Kept records in " }
                <select id="output-order" onchange={order_changed}>
                    <option value="rank" selected={!props.input_order}>{ "rank order" }</option>
                    <option value="input" selected={props.input_order}>{ "input order" }</option>
                </select>
            </label>
            <div class="buttons">
                { button("selected", format!("Kept ({})", thousands(props.kept))) }
                { button("rejected", "Not kept".to_string()) }
                { button("scores.jsonl", "Scores (JSONL)".to_string()) }
                { button("scores.csv", "Scores (CSV)".to_string()) }
                if props.skipped > 0 {
                    { button("skipped", format!("Skipped lines ({})", thousands(props.skipped))) }
                }
            </div>
        </div>
    }
}

const ROW_HEIGHT: f64 = 30.0;
const VIEW_ROWS: usize = 18;
const FETCH_MARGIN: usize = 40;

#[derive(Properties, PartialEq)]
pub struct TableProps {
    pub total: usize,
    pub kept: usize,
    pub rows: Shared<HashMap<usize, RowView>>,
    pub short_keys: Vec<String>,
    pub on_need: Callback<(usize, usize)>,
    pub on_open: Callback<RowView>,
}

/// The ranked records, virtualized: only the rows in view exist in the page.
#[function_component(ResultsTable)]
pub fn results_table(props: &TableProps) -> Html {
    let first = use_state(|| 0usize);
    let requested = use_mut_ref(|| (usize::MAX, 0usize, 0usize));
    let on_scroll = {
        let first = first.clone();
        Callback::from(move |e: Event| {
            let element: HtmlElement = e.target_unchecked_into();
            let top = (element.scroll_top() as f64 / ROW_HEIGHT).floor() as usize;
            if top != *first {
                first.set(top);
            }
        })
    };
    // Fetch the rows around the view that are not cached yet.
    {
        let on_need = props.on_need.clone();
        let rows = props.rows.clone();
        let total = props.total;
        let requested = requested.clone();
        use_effect_with((*first, rows, total), move |(first, rows, total)| {
            let start = first.saturating_sub(FETCH_MARGIN);
            let end = (first + VIEW_ROWS + FETCH_MARGIN).min(*total);
            let missing = (start..end).any(|p| !rows.contains_key(&p));
            let key = (start, end, rows.len());
            if missing && *requested.borrow() != key {
                *requested.borrow_mut() = key;
                on_need.emit((start, end - start));
            }
        });
    }
    let end = (*first + VIEW_ROWS + 2).min(props.total);
    html! {
        <div class="table">
            <div class="table-head">
                <span class="rank">{ "rank" }</span>
                <span class="score">{ "score" }</span>
                { for props.short_keys.iter().map(|k| html! { <span class="short">{ k }</span> }) }
                <span class="preview">{ "text (click a row for all of it)" }</span>
            </div>
            <div class="table-body" id="results" onscroll={on_scroll}
                style={format!("height: {}px", ROW_HEIGHT * VIEW_ROWS as f64)}>
                <div style={format!("height: {}px; position: relative", ROW_HEIGHT * props.total as f64)}>
                    { for (*first..end).map(|position| {
                        let style = format!("top: {}px; height: {}px", position as f64 * ROW_HEIGHT, ROW_HEIGHT);
                        let kept = position < props.kept;
                        match props.rows.get(&position) {
                            Some(row) => {
                                let on_open = props.on_open.clone();
                                let clicked = row.clone();
                                html! {
                                    <div class={classes!("row", kept.then_some("kept"))} style={style}
                                        data-index={row.index.to_string()}
                                        onclick={Callback::from(move |_: MouseEvent| on_open.emit(clicked.clone()))}>
                                        <span class="rank">{ position + 1 }</span>
                                        <span class="score">{ format!("{:.4}", row.score) }</span>
                                        { for row.short.iter().map(|v| html! { <span class="short">{ v }</span> }) }
                                        <span class="preview">{ &row.preview }</span>
                                    </div>
                                }
                            }
                            None => html! {
                                <div class="row placeholder" style={style}><span class="rank">{ position + 1 }</span></div>
                            },
                        }
                    }) }
                </div>
            </div>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    #[wasm_bindgen_test]
    fn counts_read_as_english() {
        assert_eq!(counted(1, "target"), "1 target");
        assert_eq!(counted(0, "record"), "0 records");
        assert_eq!(counted(12_345, "token"), "12,345 tokens");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
