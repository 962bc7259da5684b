//! `DropZone`: one input file, what was found in it, and its errors.

use web_sys::{DragEvent, HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

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
    /// Re-read with (field, skip bad lines).
    pub on_read: Callback<(String, bool)>,
}

/// A file drop target with a picker, what was found in the file, and its errors.
#[function_component(DropZone)]
pub fn drop_zone(props: &DropZoneProps) -> Html {
    let dragging = use_state(|| false);
    let role = props.role.as_str();
    let on_change = {
        let on_file = props.on_file.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                on_file.emit(Input::File(file));
            }
            input.set_value("");
        })
    };
    let on_drop = {
        let on_file = props.on_file.clone();
        let dragging = dragging.clone();
        let disabled = props.disabled;
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if disabled {
                return;
            }
            if let Some(file) = e
                .data_transfer()
                .and_then(|d| d.files())
                .and_then(|f| f.get(0))
            {
                on_file.emit(Input::File(file));
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
                <input id={format!("{role}-file")} type="file" accept=".jsonl,.json,.ndjson,.gz,.txt,.parquet"
                    onchange={on_change} disabled={props.disabled} />
                <span>{ "Drop a file here or " }<u>{ "choose one" }</u></span>
                <small>{ &props.hint }</small>
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
                            <li>{ place(summary, issue.line) }{ format!(": {}", issue.problem) }</li>
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

/// Where line (or Parquet row) `line` of the file is, as messages name it.
fn place(summary: &FileSummary, line: usize) -> String {
    match summary.row_groups {
        Some(_) => format!("{}: row {line}", summary.name),
        None => format!("{}:{line}", summary.name),
    }
}
