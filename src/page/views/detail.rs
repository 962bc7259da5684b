//! `RecordDetail`: one record's whole text, opened from the ranked table, and why it
//! scores what it does: the targets it aligns with best and worst.

use yew::prelude::*;

use crate::page::text::{place, thousands};
use crate::protocol::{Explained, RowView, TargetTerm};

/// Targets listed at each end.
const LISTED: usize = 5;

#[derive(Properties, PartialEq)]
pub struct DetailProps {
    pub row: RowView,
    /// The full text, once the worker has sent it.
    pub text: Option<String>,
    /// Each target's part in the score, once the worker has sent it.
    pub explained: Option<Explained>,
    pub on_close: Callback<()>,
    /// What the files' records are ("line", or "row" for Parquet): source, target.
    pub units: (&'static str, &'static str),
    /// Opens the record and a target's text in the playground.
    pub on_playground: Callback<String>,
}

fn bars(
    terms: &[&TargetTerm],
    (low, high): (f64, f64),
    unit: &str,
    on_playground: &Callback<String>,
) -> Html {
    html! {
        <ol class="bars">
            { for terms.iter().map(|t| {
                let share = if high > low { (t.alignment - low) / (high - low) } else { 1.0 };
                let width = format!("width: {:.1}%", 4.0 + 96.0 * share);
                let open = t.text.clone().map(|text| {
                    let on_playground = on_playground.clone();
                    Callback::from(move |_: MouseEvent| on_playground.emit(text.clone()))
                });
                html! {
                    <li data-target={t.index.to_string()} data-alignment={t.alignment.to_string()}>
                        <span class="bar-label">{ format!("target {} ({})", t.index, place(unit, t.file.as_deref(), t.line)) }</span>
                        <span class="bar" aria-hidden="true"><span style={width}></span></span>
                        <span class="bar-value">{ format!("{:.4}", t.alignment) }</span>
                        if let Some(open) = open {
                            <button class="link" onclick={open} aria-label={format!("open in playground: the record and target {}", t.index)}>{ "open in playground" }</button>
                        }
                    </li>
                }
            }) }
        </ol>
    }
}

/// The opened record, shown as text (never as HTML).
#[function_component(RecordDetail)]
pub fn record_detail(props: &DetailProps) -> Html {
    let row = &props.row;
    let title = format!(
        "Rank {} · score {:.4} · {}",
        thousands(row.position + 1),
        row.score,
        place(props.units.0, row.file.as_deref(), row.line)
    );
    let why = props.explained.as_ref().filter(|e| e.index == row.index).map(|e| {
        let mut sorted: Vec<&TargetTerm> = e.terms.iter().collect();
        sorted.sort_by(|a, b| b.alignment.total_cmp(&a.alignment).then(a.index.cmp(&b.index)));
        let range = (
            sorted.last().map_or(0.0, |t| t.alignment),
            sorted.first().map_or(1.0, |t| t.alignment),
        );
        let best: Vec<&TargetTerm> = sorted.iter().take(LISTED).copied().collect();
        let worst: Vec<&TargetTerm> = sorted.iter().rev().take(LISTED).copied().collect();
        html! {
            <div class="why" id="why">
                <h3>{ "Why this score" }</h3>
                <p>{ format!("The score {:.4} is the mean of 1 − NCD(record, target) over all {} targets.", e.score, thousands(e.terms.len())) }</p>
                <h4>{ "Aligns best with" }</h4>
                <div id="why-best">{ bars(&best, range, props.units.1, &props.on_playground) }</div>
                <h4>{ "Aligns least with" }</h4>
                <div id="why-worst">{ bars(&worst, range, props.units.1, &props.on_playground) }</div>
            </div>
        }
    });
    html! {
        <section class="detail" id="detail" aria-label={format!("Record at rank {}", thousands(row.position + 1))}>
            <div class="detail-head">
                <strong>{ title }</strong>
                <button class="secondary" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
            <pre tabindex="0">{ props.text.clone().unwrap_or_else(|| "loading…".to_string()) }</pre>
            { why.unwrap_or_else(|| html! { <p>{ "Comparing with each target…" }</p> }) }
        </section>
    }
}
