//! `ScoreHistogram`: the distribution of scores, the kept part and the cut.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::protocol::Cut;

#[derive(Properties, PartialEq)]
pub struct HistogramProps {
    /// The worker's counts for the shown run at the current budget.
    pub cut: Cut,
    /// A click on the chart asks to keep the records scoring above the clicked score.
    pub on_cut: Callback<f64>,
}

/// Distribution of scores, with the kept part and the cut marked.
#[function_component(ScoreHistogram)]
pub fn score_histogram(props: &HistogramProps) -> Html {
    let Cut {
        min,
        max,
        counts,
        kept_counts,
        cut_score: cut,
        ..
    } = &props.cut;
    let (min, max, cut) = (*min, *max, *cut);
    let bins = counts.len().max(1);
    let peak = counts.iter().copied().max().unwrap_or(1).max(1) as f64;
    let (w, h) = (400.0, 140.0);
    let bar = w / bins as f64;
    let x_of = |s: f64| (s - min) / (max - min).max(1e-12) * w;
    let cut_here = {
        let on_cut = props.on_cut.clone();
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
