//! `Downloads`: the selection, the rest, the scores and the skipped lines.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::page::text::thousands;

#[derive(Properties, PartialEq)]
pub struct DownloadsProps {
    pub input_order: bool,
    pub kept: usize,
    /// The kept count is being recounted for a new budget: the selection waits.
    pub busy: bool,
    pub skipped: usize,
    /// What the source's records are ("line", or "row" for Parquet).
    pub unit: &'static str,
    /// What became of the last download written to a picked file.
    pub saved: Option<String>,
    pub on_order: Callback<bool>,
    pub on_download: Callback<String>,
}

/// Download buttons for the selection, the rest, the scores and skipped lines.
#[function_component(Downloads)]
pub fn downloads(props: &DownloadsProps) -> Html {
    let button = |kind: &'static str, label: String| {
        let on_download = props.on_download.clone();
        let waits = props.busy && matches!(kind, "selected" | "rejected");
        html! {
            <button class="secondary" id={format!("download-{}", kind.replace('.', "-"))} disabled={waits}
                onclick={Callback::from(move |_: MouseEvent| on_download.emit(kind.to_string()))}>
                { label }
            </button>
        }
    };
    let order_changed = {
        let on_order = props.on_order.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            on_order.emit(select.value() == "input");
        })
    };
    html! {
        <div class="downloads">
            <h3>{ "Download" }</h3>
            <label>{ "Kept records in " }
                <select id="output-order" onchange={order_changed}>
                    <option value="rank" selected={!props.input_order}>{ "rank order" }</option>
                    <option value="input" selected={props.input_order}>{ "input order" }</option>
                </select>
            </label>
            <div class="buttons">
                { button("selected", format!("Kept ({})", thousands(props.kept))) }
                { button("rejected", "Not kept".to_string()) }
                { button("scores.jsonl", "Scores (JSONL)".to_string()) }
                { button("scores.csv", "Scores (CSV)".to_string()) }
                if props.skipped > 0 {
                    { button("skipped", format!("Skipped {}s ({})", props.unit, thousands(props.skipped))) }
                }
            </div>
            <p class="status" id="saved" role="status">{ props.saved.clone().unwrap_or_default() }</p>
        </div>
    }
}
