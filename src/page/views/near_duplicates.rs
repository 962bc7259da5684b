//! `NearDuplicates`: keep a diverse selection. Walking the ranking, a record too similar
//! to one already kept is left out, and the budget is met from further down; each record
//! left out is listed with the kept record it duplicates.

use std::collections::HashMap;

use yew::prelude::*;

use crate::page::shared::Shared;
use crate::page::text::{counted, thousands};
use crate::protocol::{Diversity, DuplicateRow};

/// Rows per page of the list of records left out.
const PAGE_ROWS: usize = 10;

/// The similarity thresholds offered (the CLI takes any value in (0, 1]).
const THRESHOLDS: [f64; 8] = [0.5, 0.6, 0.7, 0.8, 0.85, 0.9, 0.95, 1.0];

#[derive(Properties, PartialEq)]
pub struct NearDuplicatesProps {
    pub on: bool,
    pub threshold: f64,
    /// The worker's diverse selection for what is shown now, once made.
    pub diversity: Option<Diversity>,
    pub rows: Shared<HashMap<usize, DuplicateRow>>,
    /// The option changed: on or off, and the similarity threshold.
    pub on_change: Callback<(bool, f64)>,
    /// Rows wanted: first position, count.
    pub on_need: Callback<(usize, usize)>,
    pub on_download: Callback<String>,
    /// What the source's records are ("line", or "row" for Parquet).
    pub unit: &'static str,
}

/// The option, what it left out, and the list of near-duplicates.
#[function_component(NearDuplicates)]
pub fn near_duplicates(props: &NearDuplicatesProps) -> Html {
    let page = use_state(|| 0usize);
    let total = props.diversity.as_ref().map_or(0, |d| d.duplicates);
    let pages = total.div_ceil(PAGE_ROWS).max(1);
    let page_now = (*page).min(pages - 1);
    let shown = page_now * PAGE_ROWS..(page_now * PAGE_ROWS + PAGE_ROWS).min(total);
    {
        let (on_need, rows, shown) = (props.on_need.clone(), props.rows.clone(), shown.clone());
        let active = props.on && props.diversity.is_some();
        use_effect_with((active, rows, shown), move |(active, rows, shown)| {
            if *active && shown.clone().any(|p| !rows.contains_key(&p)) {
                on_need.emit((shown.start, shown.len()));
            }
        });
    }
    let toggled = {
        let (on_change, threshold) = (props.on_change.clone(), props.threshold);
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            on_change.emit((input.checked(), threshold));
        })
    };
    let threshold_changed = {
        let (on_change, on) = (props.on_change.clone(), props.on);
        Callback::from(move |e: Event| {
            let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
            if let Ok(t) = select.value().parse::<f64>() {
                on_change.emit((on, t));
            }
        })
    };
    let go = |to: usize| {
        let page = page.clone();
        Callback::from(move |_: MouseEvent| page.set(to))
    };
    let download = props
        .on_download
        .reform(|_: MouseEvent| "duplicates".to_string());
    html! {
        <section class="near-duplicates" id="near-duplicates" aria-labelledby="dedup-heading">
            <h3 id="dedup-heading">{ "Near-duplicates" }</h3>
            <label>
                <input id="dedup-option" type="checkbox" checked={props.on} onchange={toggled} />
                { " Leave out near-duplicates of records already kept" }
            </label>
            <label class="threshold">{ "similarity at least " }
                <select id="dedup-threshold" onchange={threshold_changed} disabled={!props.on}>
                    { for THRESHOLDS.iter().map(|&t| html! {
                        <option value={t.to_string()} selected={t == props.threshold}>{ t }</option>
                    }) }
                </select>
            </label>
            if props.on {
                { match &props.diversity {
                    None => html! { <p aria-live="polite">{ "Finding near-duplicates…" }</p> },
                    Some(d) => html! {
                        <>
                        <p id="dedup-summary" aria-live="polite">
                            { format!("Left out {} (estimated Jaccard similarity of word 3-shingles ≥ {}); the budget was met from further down, to rank {}.",
                                counted(d.duplicates, "record"), d.threshold, thousands(d.deepest)) }
                        </p>
                        if d.duplicates > 0 {
                            <table id="duplicates">
                                <caption class="visually-hidden">{ format!("Records left out, page {} of {}", page_now + 1, pages) }</caption>
                                <thead><tr>
                                    <th scope="col">{ props.unit }</th><th scope="col">{ format!("duplicates {}", props.unit) }</th>
                                    <th scope="col">{ "similarity" }</th><th scope="col">{ "text" }</th>
                                </tr></thead>
                                <tbody>
                                    { for shown.clone().map(|position| match props.rows.get(&position) {
                                        Some(row) => html! {
                                            <tr data-index={row.index.to_string()}>
                                                <td>{ thousands(row.line) }</td>
                                                <td>{ thousands(row.of_line) }</td>
                                                <td>{ format!("{:.3}", row.similarity) }</td>
                                                <td class="text">{ &row.preview }</td>
                                            </tr>
                                        },
                                        None => html! { <tr><td colspan="4">{ "loading…" }</td></tr> },
                                    }) }
                                </tbody>
                            </table>
                            <div class="pager">
                                <button class="secondary" onclick={go(page_now.saturating_sub(1))} disabled={page_now == 0}>{ "Previous" }</button>
                                <span>{ format!("page {} of {}", page_now + 1, pages) }</span>
                                <button class="secondary" onclick={go(page_now + 1)} disabled={page_now + 1 >= pages}>{ "Next" }</button>
                                <button class="secondary" id="download-duplicates" onclick={download}>{ format!("Near-duplicates ({})", thousands(d.duplicates)) }</button>
                            </div>
                        }
                        </>
                    },
                } }
            }
        </section>
    }
}
