//! `RunMatrix`: every run against every other, as a level sweep leaves them: Spearman's
//! rank correlation of their scores, and how much of one run's kept set the other keeps.

use yew::prelude::*;

use crate::page::state::RunInfo;
use crate::protocol::RunMatrix;

#[derive(Properties, PartialEq)]
pub struct RunMatrixProps {
    pub runs: Vec<RunInfo>,
    pub matrix: RunMatrix,
}

/// A light background for `share` (0 to 1): the darker, the more alike. Text stays
/// dark on every shade.
fn shade(share: f64) -> String {
    let lightness = 97.0 - 30.0 * share.clamp(0.0, 1.0);
    format!("background: hsl(214, 80%, {lightness:.0}%)")
}

/// One square table: a row and a column per run, `cell(i, j)` giving (text, share, the
/// exact figure, kept in `data-value`).
fn table(
    id: &str,
    caption: &str,
    runs: &[RunInfo],
    cell: impl Fn(usize, usize) -> (String, f64, String),
) -> Html {
    html! {
        <div class="table-wrap" tabindex="0" role="region" aria-label={caption.to_string()}>
            <table class="run-matrix" id={id.to_string()}>
                <caption>{ caption }</caption>
                <thead><tr>
                    <td></td>
                    { for (0..runs.len()).map(|j| html! {
                        <th scope="col" title={runs[j].label.clone()}>{ format!("Run {}", j + 1) }</th>
                    }) }
                </tr></thead>
                <tbody>
                    { for (0..runs.len()).map(|i| html! {
                        <tr>
                            <th scope="row">{ format!("Run {}: {}", i + 1, runs[i].label) }</th>
                            { for (0..runs.len()).map(|j| {
                                let (text, share, value) = cell(i, j);
                                html! { <td style={shade(share)} data-value={value}>{ text }</td> }
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </div>
    }
}

#[function_component(RunMatrixView)]
pub fn run_matrix(props: &RunMatrixProps) -> Html {
    let m = &props.matrix;
    if m.kept.len() != props.runs.len() {
        return html! { <p aria-live="polite">{ "Comparing every run…" }</p> };
    }
    let spearman = table(
        "matrix-spearman",
        "Spearman's rank correlation of the scores",
        &props.runs,
        |i, j| {
            let rho = m.spearman[i][j];
            (format!("{rho:.4}"), rho, rho.to_string())
        },
    );
    let overlap = table(
        "matrix-kept",
        &format!(
            "Kept by both at {}, as a share of the row's kept records",
            m.budget
        ),
        &props.runs,
        |i, j| {
            let share = m.kept_both[i][j] as f64 / m.kept[i].max(1) as f64;
            let both = m.kept_both[i][j];
            (format!("{:.1}%", 100.0 * share), share, both.to_string())
        },
    );
    html! {
        <section class="all-runs" aria-labelledby="all-runs-heading">
            <h3 id="all-runs-heading">{ "Every run against every other" }</h3>
            <p class="hint">{ "How much the compressor and its level change the selection (\"Score at every level\" makes one run per level)." }</p>
            { spearman }
            { overlap }
        </section>
    }
}
