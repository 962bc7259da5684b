//! `CompareView`: two runs side by side. Figures (Spearman, kept-set overlap at the
//! budget), a density plot of score against score, and the records only one run keeps.

use std::collections::HashMap;

use wasm_bindgen::JsCast;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement};
use yew::prelude::*;
use zipfit_core::compare::Density;

use super::run_matrix::RunMatrixView;
use crate::page::shared::Shared;
use crate::page::state::{Comparison, RunInfo};
use crate::page::text::thousands;
use crate::protocol::RowView;

/// Rows per page of the lists of records only one run keeps.
pub const PAGE_ROWS: usize = 20;

#[derive(Properties, PartialEq)]
pub struct CompareProps {
    pub runs: Vec<RunInfo>,
    pub comparison: Comparison,
    /// The budget both kept sets are cut at, as text.
    pub budget: String,
    pub short_keys: Vec<String>,
    /// What the source's records are ("line", or "row" for Parquet).
    pub unit: &'static str,
    pub on_pick: Callback<(usize, usize)>,
    /// Rows wanted: side ("a" or "b"), first position, count.
    pub on_need: Callback<(String, usize, usize)>,
    /// A download: "only-a" or "only-b".
    pub on_download: Callback<String>,
}

fn run_select(id: &str, label: &str, runs: &[RunInfo], chosen: usize, on: Callback<usize>) -> Html {
    let on_change = Callback::from(move |e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        if let Ok(run) = select.value().parse() {
            on.emit(run);
        }
    });
    html! {
        <label>{ format!("{label} ") }
            <select id={id.to_string()} onchange={on_change}>
                { for runs.iter().enumerate().map(|(i, run)| html! {
                    <option value={i.to_string()} selected={i == chosen}>{ format!("Run {}: {}", i + 1, run.label) }</option>
                }) }
            </select>
        </label>
    }
}

/// Two runs side by side.
#[function_component(CompareView)]
pub fn compare_view(props: &CompareProps) -> Html {
    if props.runs.len() < 2 {
        return html! {
            <section class="compare" id="compare">
                <h2>{ "Compare runs" }</h2>
                <p>{ "Every finished run is kept. Score the source at least twice (another compressor, level or the DSIR baseline) and compare the two runs here." }</p>
                <p><a href="#/">{ "Back to the selection" }</a></p>
            </section>
        };
    }
    let (a, b) = props.comparison.runs;
    let pick_a = props.on_pick.reform(move |run| (run, b));
    let pick_b = props.on_pick.reform(move |run| (a, run));
    let label = |run: usize| {
        props
            .runs
            .get(run)
            .map_or(String::new(), |r| format!("Run {}: {}", run + 1, r.label))
    };
    html! {
        <section class="compare" id="compare" aria-labelledby="compare-heading">
            <h2 id="compare-heading">{ "Compare runs" }</h2>
            <div class="pick">
                { run_select("run-a", "Run A", &props.runs, a, pick_a) }
                { run_select("run-b", "Run B", &props.runs, b, pick_b) }
                <span class="hint">{ format!("Kept sets at the selection's budget: {}. ", props.budget) }<a href="#/">{ "Change it" }</a></span>
            </div>
            if let Some(matrix) = &props.comparison.matrix {
                <RunMatrixView runs={props.runs.clone()} matrix={matrix.clone()} />
            }
            { match &props.comparison.result {
                None => html! { <p aria-live="polite">{ "Comparing…" }</p> },
                Some(c) => html! {
                    <>
                    <dl class="figures" id="compare-figures">
                        <div><dt>{ "Spearman" }</dt><dd id="compare-spearman">{ format!("{:.4}", c.spearman) }</dd></div>
                        <div><dt>{ "kept by A" }</dt><dd id="compare-kept-a">{ thousands(c.kept_a) }</dd></div>
                        <div><dt>{ "kept by B" }</dt><dd id="compare-kept-b">{ thousands(c.kept_b) }</dd></div>
                        <div><dt>{ "kept by both" }</dt><dd id="compare-kept-both">{ thousands(c.kept_both) }</dd></div>
                        <div><dt>{ "Jaccard" }</dt><dd id="compare-jaccard">{ format!("{:.4}", c.jaccard) }</dd></div>
                    </dl>
                    <DensityPlot density={c.density.clone()} a={label(a)} b={label(b)} records={c.records} />
                    <div class="only-lists">
                        <OnlyList side="a" title={format!("Only A keeps ({})", thousands(c.only_a))} total={c.only_a}
                            rows={props.comparison.rows[0].clone()} short_keys={props.short_keys.clone()} unit={props.unit}
                            on_need={props.on_need.clone()} on_download={props.on_download.clone()} />
                        <OnlyList side="b" title={format!("Only B keeps ({})", thousands(c.only_b))} total={c.only_b}
                            rows={props.comparison.rows[1].clone()} short_keys={props.short_keys.clone()} unit={props.unit}
                            on_need={props.on_need.clone()} on_download={props.on_download.clone()} />
                    </div>
                    </>
                },
            } }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct DensityProps {
    pub density: Density,
    pub a: String,
    pub b: String,
    pub records: usize,
}

/// Score A (across) against score B (up) as a grid of cells shaded by how many records
/// fall in each (log scale): the same size for ten records or ten million.
#[function_component(DensityPlot)]
pub fn density_plot(props: &DensityProps) -> Html {
    let canvas = use_node_ref();
    {
        let canvas = canvas.clone();
        use_effect_with(props.density.clone(), move |density| {
            if let Some(canvas) = canvas.cast::<HtmlCanvasElement>() {
                draw(&canvas, density);
            }
        });
    }
    let d = &props.density;
    html! {
        <figure class="density">
            <div class="plot">
                <span class="axis-b">{ format!("B: {} ({:.3} – {:.3})", props.b, d.b_range.0, d.b_range.1) }</span>
                <canvas ref={canvas} id="density" width="320" height="320" role="img"
                    aria-label={format!("Density of {} records by score in A (across) and in B (up)", thousands(props.records))}></canvas>
            </div>
            <figcaption>{ format!("A: {} ({:.3} – {:.3}) across, B up; darker cells hold more records (log scale).", props.a, d.a_range.0, d.a_range.1) }</figcaption>
        </figure>
    }
}

fn draw(canvas: &HtmlCanvasElement, density: &Density) {
    let Some(context) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|c| c.dyn_into::<CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    let (w, h) = (canvas.width() as f64, canvas.height() as f64);
    context.set_fill_style_str("#ffffff");
    context.fill_rect(0.0, 0.0, w, h);
    let bins = density.bins.max(1);
    let (cw, ch) = (w / bins as f64, h / bins as f64);
    let peak = (density.counts.iter().copied().max().unwrap_or(0) as f64 + 1.0).ln();
    for (cell, &count) in density.counts.iter().enumerate() {
        if count == 0 {
            continue;
        }
        let (row, col) = (cell / bins, cell % bins);
        let shade = (count as f64 + 1.0).ln() / peak.max(f64::MIN_POSITIVE);
        context.set_fill_style_str(&format!("rgba(29, 78, 216, {:.3})", 0.15 + 0.85 * shade));
        // Row 0 is the lowest B: drawn at the bottom.
        context.fill_rect(col as f64 * cw, h - (row + 1) as f64 * ch, cw, ch);
    }
    context.set_stroke_style_str("#94a3b8");
    context.stroke_rect(0.5, 0.5, w - 1.0, h - 1.0);
}

#[derive(Properties, PartialEq)]
pub struct OnlyProps {
    pub side: &'static str,
    pub title: String,
    pub total: usize,
    pub rows: Shared<HashMap<usize, RowView>>,
    pub short_keys: Vec<String>,
    pub unit: &'static str,
    pub on_need: Callback<(String, usize, usize)>,
    pub on_download: Callback<String>,
}

/// The records one run keeps and the other does not, best first, a page at a time.
#[function_component(OnlyList)]
pub fn only_list(props: &OnlyProps) -> Html {
    let page = use_state(|| 0usize);
    let pages = props.total.div_ceil(PAGE_ROWS).max(1);
    let page_now = (*page).min(pages - 1);
    let first = page_now * PAGE_ROWS;
    let shown = first..(first + PAGE_ROWS).min(props.total);
    {
        let (on_need, side, rows, shown) = (
            props.on_need.clone(),
            props.side,
            props.rows.clone(),
            shown.clone(),
        );
        use_effect_with((rows, shown), move |(rows, shown)| {
            if shown.clone().any(|p| !rows.contains_key(&p)) {
                on_need.emit((side.to_string(), shown.start, shown.len()));
            }
        });
    }
    let go = |to: usize| {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.set(to))
    };
    let id = format!("only-{}", props.side);
    let download = props.on_download.reform({
        let kind = id.clone();
        move |_: MouseEvent| kind.clone()
    });
    html! {
        <section class="only" aria-labelledby={format!("{id}-heading")}>
            <h3 id={format!("{id}-heading")}>{ &props.title }</h3>
            <table id={id.clone()}>
                <caption class="visually-hidden">{ format!("{}, page {} of {}", props.title, page_now + 1, pages) }</caption>
                <thead><tr>
                    <th scope="col">{ "#" }</th><th scope="col">{ props.unit }</th><th scope="col">{ "score" }</th>
                    { for props.short_keys.iter().map(|k| html! { <th scope="col" class="short">{ k }</th> }) }
                    <th scope="col">{ "text" }</th>
                </tr></thead>
                <tbody>
                    { for shown.clone().map(|position| match props.rows.get(&position) {
                        Some(row) => html! {
                            <tr data-index={row.index.to_string()}>
                                <td>{ thousands(position + 1) }</td>
                                <td>{ match &row.file { Some(file) => format!("{file}:{}", thousands(row.line)), None => thousands(row.line) } }</td>
                                <td>{ format!("{:.4}", row.score) }</td>
                                { for row.short.iter().map(|v| html! { <td class="short">{ v }</td> }) }
                                <td class="text">{ &row.preview }</td>
                            </tr>
                        },
                        None => html! { <tr><td>{ thousands(position + 1) }</td><td colspan="3">{ "loading…" }</td></tr> },
                    }) }
                </tbody>
            </table>
            <div class="pager">
                <button class="secondary" onclick={go(page_now.saturating_sub(1))} disabled={page_now == 0}>{ "Previous" }</button>
                <span aria-live="polite">{ format!("page {} of {}", page_now + 1, pages) }</span>
                <button class="secondary" onclick={go(page_now + 1)} disabled={page_now + 1 >= pages}>{ "Next" }</button>
                <button class="secondary" onclick={download} disabled={props.total == 0}>{ "Download these records" }</button>
            </div>
        </section>
    }
}
