//! `ProgressView`: where a scoring run stands.

use yew::prelude::*;

use crate::page::state::Run;
use crate::page::text::{counted, duration_label, thousands};

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
            first,
            pairs,
            seconds,
            label,
        } => {
            let fraction = if *total == 0 {
                0.0
            } else {
                *done as f64 / *total as f64
            };
            // A method without pairs (DSIR) gets a rate in records. A resumed run's rate
            // and time left count only what it scored since it resumed.
            let scored = done.saturating_sub(*first);
            let rate = if *pairs > 0.0 { *pairs } else { scored as f64 } / seconds.max(1e-9);
            let unit = if *pairs > 0.0 { "pairs/s" } else { "records/s" };
            let phase = if label.is_empty() {
                String::new()
            } else {
                format!("{label}: ")
            };
            let left = if scored == 0 {
                f64::NAN
            } else {
                seconds * (*total - *done) as f64 / scored as f64
            };
            html! {
                <section class="progress" id="progress">
                    <progress max="1" value={fraction.to_string()}></progress>
                    <span>
                        { format!("{phase}{} / {} · {} {unit}", thousands(*done), counted(*total, "record"), thousands(rate as usize)) }
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
