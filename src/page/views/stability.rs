//! `StabilityPanel`: how much the selection depends on which targets were used.

use yew::prelude::*;
use zipfit_core::stability::Report;

use crate::page::text::thousands;

#[derive(Properties, PartialEq)]
pub struct StabilityProps {
    pub report: Report,
    /// Download the figures as JSON (`stability.json`).
    pub on_download: Callback<String>,
}

/// What a curator should make of the halves' agreement.
fn verdict(jaccard: f64) -> &'static str {
    if jaccard >= 0.8 {
        "The selection hardly depends on which targets were used."
    } else if jaccard >= 0.5 {
        "The selection depends noticeably on which targets were used: more targets would steady it."
    } else {
        "The selection depends strongly on which targets were used: add targets before trusting it."
    }
}

/// The halves' agreement in a sentence, and the convergence as a small chart and a table.
#[function_component(StabilityPanel)]
pub fn stability_panel(props: &StabilityProps) -> Html {
    let report = &props.report;
    let halves = &report.halves;
    let (w, h, pad) = (360.0, 120.0, 4.0);
    let most = report.targets.max(1) as f64;
    let x = |targets: usize| pad + targets as f64 / most * (w - 2.0 * pad);
    let y = |value: f64| pad + (1.0 - value.clamp(0.0, 1.0)) * (h - 2.0 * pad);
    let line = |value: &dyn Fn(&zipfit_core::stability::Step) -> f64| {
        report
            .convergence
            .iter()
            .map(|step| format!("{:.1},{:.1}", x(step.targets), y(value(step))))
            .collect::<Vec<_>>()
            .join(" ")
    };
    let spearman = line(&|s| s.agreement.spearman);
    let jaccard = line(&|s| s.agreement.jaccard);
    html! {
        <section class="stability" id="stability" aria-labelledby="stability-heading">
            <h3 id="stability-heading">{ "Stability over targets" }</h3>
            <p id="stability-halves">
                { format!(
                    "Two disjoint halves of the targets ({} and {}) each pick {}: they keep {} of the same records ({} and {} kept; Jaccard {:.3}), and rank all records with Spearman {:.3}.",
                    report.half_targets[0], report.half_targets[1], report.budget,
                    thousands(halves.kept_both), thousands(halves.kept_a), thousands(halves.kept_b),
                    halves.jaccard, halves.spearman) }
            </p>
            <p class="verdict">{ verdict(halves.jaccard) }</p>
            <svg class="convergence" viewBox={format!("0 0 {w} {h}")} role="img"
                aria-label="Agreement with the full ranking as more targets are used; the table below gives the values">
                <line class="axis" x1={pad.to_string()} y1={y(0.0).to_string()} x2={(w - pad).to_string()} y2={y(0.0).to_string()} />
                <line class="axis" x1={pad.to_string()} y1={y(1.0).to_string()} x2={(w - pad).to_string()} y2={y(1.0).to_string()} />
                <text x={(pad + 2.0).to_string()} y={(y(1.0) + 10.0).to_string()}>{ "1" }</text>
                <text x={(pad + 2.0).to_string()} y={(y(0.0) - 3.0).to_string()}>{ "0" }</text>
                <text x={(w - pad - 2.0).to_string()} y={(y(0.0) - 3.0).to_string()} text-anchor="end">{ format!("{} targets", report.targets) }</text>
                <polyline class="spearman" points={spearman} />
                <polyline class="jaccard" points={jaccard} />
            </svg>
            <p class="legend">
                <span class="key spearman">{ "Spearman to the full ranking" }</span>
                <span class="key jaccard">{ format!("kept-set overlap (Jaccard) at {}", report.budget) }</span>
            </p>
            <table id="convergence">
                <caption>{ format!("The ranking from the first targets only (folds of a seeded shuffle of all {}) against the full one", report.targets) }</caption>
                <thead><tr><th scope="col">{ "targets used" }</th><th scope="col">{ "Spearman" }</th><th scope="col">{ "kept overlap" }</th></tr></thead>
                <tbody>
                    { for report.convergence.iter().map(|step| html! {
                        <tr>
                            <td>{ step.targets }</td>
                            <td>{ format!("{:.4}", step.agreement.spearman) }</td>
                            <td>{ format!("{:.4}", step.agreement.jaccard) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <button class="secondary" id="download-stability-json"
                onclick={props.on_download.reform(|_: MouseEvent| "stability.json".to_string())}>
                { "Figures (JSON)" }
            </button>
        </section>
    }
}
