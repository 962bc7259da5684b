//! `RunsList`: every finished run over the current files, to show again or compare.

use yew::prelude::*;

use crate::page::state::RunInfo;
use crate::page::text::counted;

#[derive(Properties, PartialEq)]
pub struct RunsProps {
    pub runs: Vec<RunInfo>,
    pub shown: usize,
    pub on_show: Callback<usize>,
}

/// The runs, newest last, each with a button that shows it; a link to compare them.
#[function_component(RunsList)]
pub fn runs_list(props: &RunsProps) -> Html {
    if props.runs.is_empty() {
        return html! {};
    }
    html! {
        <section class="runs" aria-labelledby="runs-heading">
            <h2 id="runs-heading">{ "Runs" }</h2>
            <ol id="runs">
                { for props.runs.iter().enumerate().map(|(i, run)| {
                    let shown = i == props.shown;
                    let on_show = props.on_show.reform(move |_: MouseEvent| i);
                    html! {
                        <li class={classes!(shown.then_some("shown"))}>
                            <span>{ format!("Run {}: {}", i + 1, run.label) }</span>
                            <span class="hint">
                                if run.scored.stored >= run.scored.records {
                                    { format!(" · {} · read back from this browser's storage", counted(run.scored.records, "record")) }
                                } else {
                                    { format!(" · {} in {:.2} s", counted(run.scored.records, "record"), run.scored.seconds) }
                                }
                                if run.stability { { " · with stability" } }
                            </span>
                            <button class="secondary" onclick={on_show} disabled={shown} aria-pressed={shown.to_string()}>
                                { if shown { "Shown" } else { "Show" } }
                            </button>
                        </li>
                    }
                }) }
            </ol>
            if props.runs.len() >= 2 {
                <p><a href="#/compare">{ "Compare runs side by side" }</a></p>
            } else {
                <p class="hint">{ "Score again with another method (or level) to compare two runs side by side." }</p>
            }
        </section>
    }
}
