//! `StoredRuns`: the runs kept in this browser's storage, how much room they take, and
//! Resume and Forget.

use yew::prelude::*;

use crate::page::text::{bytes_label, counted, thousands};
use crate::protocol::{Storage, StoredListing};

#[derive(Properties, PartialEq)]
pub struct StoredRunsProps {
    pub storage: Storage,
    /// Why a run could not be kept, if so.
    pub error: Option<String>,
    /// A run may start now (files usable, nothing running).
    pub can_resume: bool,
    /// Continue the interrupted run of this id.
    pub on_resume: Callback<String>,
    /// Forget the run of this id (`None`: every one).
    pub on_forget: Callback<Option<String>>,
}

/// Every stored run, oldest first: those of the current files say whether they are back
/// or were interrupted (with Resume); each can be forgotten.
#[function_component(StoredRuns)]
pub fn stored_runs(props: &StoredRunsProps) -> Html {
    let storage = &props.storage;
    if storage.runs.is_empty() && props.error.is_none() {
        return html! {};
    }
    let room = if storage.quota > 0.0 {
        format!(
            " of the {} this browser allows the page",
            bytes_label(storage.quota as u64)
        )
    } else {
        String::new()
    };
    // The newest interrupted run of the current files is the one Resume continues.
    let newest_interrupted = storage.runs.iter().rev().find(|run| run.interrupted());
    html! {
        <section class="stored" aria-labelledby="stored-title">
            <h2 id="stored-title">{ "Kept in this browser" }</h2>
            <p id="storage-use">
                { format!("{} {} {}{room}. ", counted(storage.runs.len(), "stored run"),
                    if storage.runs.len() == 1 { "takes" } else { "take" }, bytes_label(storage.bytes as u64)) }
                { "Every run is kept as it is scored: after a reload or a crash, drop the same files again to get finished runs back, or resume an interrupted one." }
            </p>
            if let Some(error) = &props.error {
                <p class="error" role="alert" id="storage-error">{ error }</p>
            }
            <ul class="stored-runs">
                { for storage.runs.iter().map(|run| {
                    let newest = newest_interrupted.is_some_and(|n| n.id == run.id);
                    item(run, newest, props)
                }) }
            </ul>
            if !storage.runs.is_empty() {
                <button id="forget-all" class="secondary"
                    onclick={props.on_forget.reform(|_: MouseEvent| None)}>{ "Forget all stored runs" }</button>
            }
        </section>
    }
}

/// One stored run: what it is, where it stands, and its buttons. `newest` marks the
/// interrupted run that the `resume` button continues.
fn item(run: &StoredListing, newest: bool, props: &StoredRunsProps) -> Html {
    // The current files' runs are named by their method; other files' runs by those
    // files too, with their sizes, so that one can tell which files they were.
    let what = match run.run.current {
        true => format!(
            "{}: these files, {}",
            run.run.method.label,
            counted(run.run.records, "record")
        ),
        false => format!(
            "{}: {} ({}) against {} ({}), {}",
            run.run.method.label,
            run.run.source,
            bytes_label(run.run.source_bytes),
            run.run.target,
            bytes_label(run.run.target_bytes),
            counted(run.run.records, "record")
        ),
    };
    let status = match (&run.problem, run.done) {
        (Some(problem), _) => format!("cannot be read back: {problem}"),
        (None, Some(done)) if done >= run.run.records => "finished".to_string(),
        (None, Some(done)) => format!(
            "interrupted at {:.0} % ({} of {})",
            100.0 * done as f64 / run.run.records.max(1) as f64,
            thousands(done),
            thousands(run.run.records)
        ),
        (None, None) if run.run.current => "of these files".to_string(),
        (None, None) => "of other files".to_string(),
    };
    let id = run.id.clone();
    let forget = props
        .on_forget
        .reform(move |_: MouseEvent| Some(id.clone()));
    let id = run.id.clone();
    let resume = props.on_resume.reform(move |_: MouseEvent| id.clone());
    html! {
        <li>
            <span class="stored-what">{ what.clone() }</span>
            <span class="stored-status">{ format!(" · {status} · {}", bytes_label(run.bytes as u64)) }</span>
            if run.interrupted() {
                <button id={newest.then_some("resume")} class="primary" onclick={resume}
                    disabled={!props.can_resume}
                    aria-label={format!("Resume {} (scores only the records not yet scored)", run.run.method.label)}>
                    { "Resume" }
                </button>
            }
            <button class="secondary" onclick={forget}
                aria-label={format!("Forget the stored run {what}")}>{ "Forget" }</button>
        </li>
    }
}
