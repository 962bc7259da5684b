//! `DropZone`: one input (a file, several, or a folder), what was found in it, and its
//! errors.

use wasm_bindgen_futures::spawn_local;
use web_sys::{DragEvent, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::page::chosen::{self, Chosen};
use crate::page::state::{FileSlot, Input};
use crate::page::text::{bytes_label, counted, looks_like_jsonl};
use crate::protocol::{FileSummary, Role};

#[derive(Properties, PartialEq)]
pub struct DropZoneProps {
    pub role: Role,
    pub title: AttrValue,
    pub hint: AttrValue,
    pub slot: FileSlot,
    pub disabled: bool,
    pub on_file: Callback<Input>,
    /// Files were chosen that make no input (a folder without data files).
    pub on_error: Callback<String>,
    /// Re-read with (field, skip bad lines).
    pub on_read: Callback<(String, bool)>,
}

/// A drop target for files or a folder, with pickers for both, what was found in the
/// input, and its errors.
#[function_component(DropZone)]
pub fn drop_zone(props: &DropZoneProps) -> Html {
    let dragging = use_state(|| false);
    let role = props.role.as_str();
    let emit = {
        let (on_file, on_error) = (props.on_file.clone(), props.on_error.clone());
        move |chosen: Result<Chosen, String>| match chosen {
            Ok(chosen) => on_file.emit(Input::Files(chosen)),
            Err(message) => on_error.emit(message),
        }
    };
    let on_change = {
        let emit = emit.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(files) = input.files().filter(|files| files.length() > 0) {
                emit(chosen::from_list(&files));
            }
            input.set_value("");
        })
    };
    let on_drop = {
        let dragging = dragging.clone();
        let disabled = props.disabled;
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if disabled {
                return;
            }
            if let Some(transfer) = e.data_transfer() {
                let read = chosen::from_drop(&transfer);
                let emit = emit.clone();
                spawn_local(async move { emit(read.await) });
            }
        })
    };
    let on_drag_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_drag_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let slot = &props.slot;
    let summary = slot.summary.as_ref();
    let class = classes!("drop-zone", dragging.then_some("dragging"));
    html! {
        <div class={class} id={format!("{role}-zone")} ondrop={on_drop} ondragover={on_drag_over} ondragleave={on_drag_leave}>
            <h2>{ &props.title }</h2>
            <label class="picker">
                <input id={format!("{role}-file")} type="file" multiple=true accept=".jsonl,.json,.ndjson,.gz,.txt,.parquet"
                    onchange={on_change.clone()} disabled={props.disabled} />
                <span>{ "Drop files or a folder here, or " }<u>{ "choose files" }</u></span>
                <small>{ &props.hint }</small>
            </label>
            <label class="folder-picker">
                <input id={format!("{role}-folder")} type="file" webkitdirectory=true multiple=true
                    onchange={on_change} disabled={props.disabled} />
                <span>{ "or " }<u>{ "choose a folder" }</u>{ " (its .jsonl, .jsonl.gz and .parquet files)" }</span>
            </label>
            if slot.loading {
                if let Some(fraction) = slot.progress {
                    <p class="status" role="status">
                        <progress max="1" value={fraction.to_string()} aria-label={format!("Reading the {role} file")}></progress>
                        { format!(" Reading… {:.0} %", fraction * 100.0) }
                    </p>
                } else {
                    <p class="status" role="status">{ "Reading…" }</p>
                }
            }
            if let Some(error) = &slot.error {
                <p class="error" role="alert">{ error }</p>
            }
            if let Some(summary) = summary {
                { file_summary(role, summary, props.disabled, slot.skip_bad, &props.on_read) }
            }
            if let Some(Input::Files(chosen)) = &slot.input {
                if !chosen.left_out.is_empty() {
                    <details class="left-out" id={format!("{role}-left-out")}>
                        <summary>{ format!("{} left out (not .jsonl, .jsonl.gz or .parquet)", counted(chosen.left_out.len(), "file")) }</summary>
                        <ul>{ for chosen.left_out.iter().map(|name| html! { <li>{ name }</li> }) }</ul>
                    </details>
                }
            }
        </div>
    }
}

/// What was found in the file: its size and records, the text field, its error (with a
/// way past a bad line), the lines skipped and the first records' texts.
fn file_summary(
    role: &str,
    summary: &FileSummary,
    disabled: bool,
    skip: bool,
    on_read: &Callback<(String, bool)>,
) -> Html {
    let field_changed = on_read.reform(move |e: Event| {
        let select: HtmlSelectElement = e.target_unchecked_into();
        (select.value(), skip)
    });
    let skip_bad = {
        let field = summary.field.clone();
        on_read.reform(move |_: MouseEvent| (field.clone(), true))
    };
    // A Parquet file's records are rows; a JSONL file's, lines.
    let unit = if summary.row_groups.is_some() {
        "row"
    } else {
        "line"
    };
    html! {
        <div class="summary" id={format!("{role}-summary")}>
            <p>
                <strong>{ &summary.name }</strong>
                { format!(" · {}", bytes_label(summary.bytes)) }
                if let Some(groups) = summary.row_groups { { format!(" · Parquet, {}", counted(groups, "row group")) } }
                if summary.error.is_none() { { format!(" · {}", counted(summary.records, "record")) } }
                if summary.blank_lines > 0 { { format!(" · {}", counted(summary.blank_lines, "blank line")) } }
            </p>
            if !summary.files.is_empty() {
                <details class="files" id={format!("{role}-files")}>
                    <summary>{ format!("{}, read as one in this order", counted(summary.files.len(), "file")) }</summary>
                    <ol>
                        { for summary.files.iter().map(|file| html! {
                            <li>{ format!("{} · {} · {} · {}", file.name, file.format, bytes_label(file.bytes), counted(file.records, "record")) }</li>
                        }) }
                    </ol>
                </details>
            }
            if !summary.fields.is_empty() {
                <label>{ "Text field " }
                    <select id={format!("{role}-field")} onchange={field_changed} disabled={disabled}>
                        { for summary.fields.iter().map(|(key, _)| html! {
                            <option value={key.clone()} selected={*key == summary.field}>{ key }</option>
                        }) }
                    </select>
                </label>
            }
            if let Some(error) = &summary.error {
                <div class="error" role="alert">
                    <p>{ error }</p>
                    if summary.error_line == Some(1) && summary.row_groups.is_none() && !looks_like_jsonl(&summary.name) {
                        <p>{ "This does not look like a JSONL file: expected one JSON object per line (.jsonl or .jsonl.gz)." }</p>
                    }
                    if summary.error_line.is_some() {
                        <button class="secondary" id={format!("{role}-skip")} onclick={skip_bad}>
                            { format!("Skip bad {unit}s and continue") }
                        </button>
                    }
                </div>
            }
            if summary.skipped > 0 {
                <details class="issues" open=true>
                    <summary>{ format!("{} skipped (not lost: download them below)", counted(summary.skipped, unit)) }</summary>
                    <ul>
                        { for summary.issues.iter().map(|issue| html! {
                            <li>{ place(summary, &issue.file, issue.line) }{ format!(": {}", issue.problem) }</li>
                        }) }
                        if summary.skipped > summary.issues.len() {
                            <li>{ format!("… and {} more", summary.skipped - summary.issues.len()) }</li>
                        }
                    </ul>
                </details>
            }
            if summary.error.is_none() {
                <ol class="preview">
                    { for summary.preview.iter().map(|text| html! { <li>{ text }</li> }) }
                </ol>
            }
        </div>
    }
}

/// Where line (or Parquet row) `line` of `file` is, as messages name it.
fn place(summary: &FileSummary, file: &str, line: usize) -> String {
    match summary.row_groups {
        Some(_) => format!("{file}: row {line}"),
        None => format!("{file}:{line}"),
    }
}
