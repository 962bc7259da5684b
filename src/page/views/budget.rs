//! `BudgetPanel`: how much of the ranking to keep.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;
use zipfit_core::select::Budget;

use crate::page::state::BudgetKind;
use crate::page::text::{counted, thousands};

impl BudgetKind {
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

/// "≈ 1,000 tokens (bytes / 4)" for the estimate, "1,000 tokens by cl100k_base" for a
/// counter that counts.
fn tokens_by(tokens: u64, by: &str) -> String {
    let tokens = counted(tokens as usize, "token");
    if by == "bytes / 4" {
        format!("≈ {tokens} (bytes / 4)")
    } else {
        format!("{tokens} by {by}")
    }
}

#[derive(Properties, PartialEq)]
pub struct BudgetProps {
    pub kind: BudgetKind,
    pub value: f64,
    pub kept: usize,
    pub total: usize,
    pub kept_tokens: u64,
    /// What counted them ("bytes / 4", "words", "cl100k_base", a tokenizer file's name).
    pub tokens_by: String,
    /// The figures are for an earlier budget; the worker is counting the new one.
    pub busy: bool,
    pub on_change: Callback<(BudgetKind, f64)>,
}

/// The number a budget holds, as the page keeps it.
fn budget_value(budget: Budget) -> f64 {
    match budget {
        Budget::All => 0.0,
        Budget::Count(n) => n as f64,
        Budget::Percent(p) => p,
        Budget::Tokens(t) => t as f64,
        Budget::Threshold(s) => s,
    }
}

/// How much to keep: top count, top percent, token budget or score threshold.
#[function_component(BudgetPanel)]
pub fn budget_panel(props: &BudgetProps) -> Html {
    // What was typed that is not a budget, by the core's rule: the field is marked and
    // says why, and the last valid budget stays in force.
    let refused = use_state(|| None::<String>);
    let kind_changed = {
        let on_change = props.on_change.clone();
        let total = props.total;
        let refused = refused.clone();
        Callback::from(move |e: Event| {
            refused.set(None);
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
        let refused = refused.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            match Budget::parse(kind.name(), &input.value()) {
                Ok(budget) => {
                    refused.set(None);
                    on_change.emit((kind, budget_value(budget)));
                }
                Err(error) => refused.set(Some(error.to_string())),
            }
        })
    };
    let (step, max) = match props.kind {
        BudgetKind::Count => ("1".to_string(), props.total.to_string()),
        BudgetKind::Percent => ("0.1".to_string(), "100".to_string()),
        BudgetKind::Tokens => ("1000".to_string(), String::new()),
        BudgetKind::Threshold => ("0.001".to_string(), "1".to_string()),
    };
    // A threshold may be negative: DSIR's scores are log-weights.
    let min = match props.kind {
        BudgetKind::Threshold => None,
        _ => Some("0"),
    };
    let value_label = match props.kind {
        BudgetKind::Count => "Records to keep",
        BudgetKind::Percent => "Percent of records to keep",
        BudgetKind::Tokens => "Tokens to keep",
        BudgetKind::Threshold => "Keep records scoring above",
    };
    html! {
        <div class="budget" id="budget">
            <h3 id="budget-title">{ "Keep" }</h3>
            <select id="budget-kind" aria-label="What to keep" onchange={kind_changed}>
                { for [BudgetKind::Percent, BudgetKind::Count, BudgetKind::Tokens, BudgetKind::Threshold].iter().map(|k| html! {
                    <option value={k.name()} selected={*k == props.kind}>{ match k {
                        BudgetKind::Count => "top N records",
                        BudgetKind::Percent => "top percent",
                        BudgetKind::Tokens => "token budget",
                        BudgetKind::Threshold => "score above",
                    } }</option>
                }) }
            </select>
            <input id="budget-value" type="number" step={step.clone()} min={min} max={max.clone()}
                aria-label={value_label} value={props.value.to_string()} oninput={value_changed.clone()}
                aria-invalid={refused.is_some().to_string()}
                aria-describedby={refused.is_some().then_some("budget-error")} />
            if let Some(error) = &*refused {
                <p class="error" id="budget-error" role="alert">{ format!("{error}; still keeping {}", props.value) }</p>
            }
            if matches!(props.kind, BudgetKind::Percent | BudgetKind::Threshold | BudgetKind::Count) {
                <input id="budget-slider" type="range" step={step} min="0" max={max}
                    aria-label={value_label} value={props.value.to_string()} oninput={value_changed} />
            }
            <p id="kept-summary" aria-busy={props.busy.to_string()} aria-live="polite">
                <strong>{ thousands(props.kept) }</strong>
                { format!(" of {} kept · {}", counted(props.total, "record"), tokens_by(props.kept_tokens, &props.tokens_by)) }
            </p>
        </div>
    }
}
