//! `RecordDetail`: one record's whole text, opened from the ranked table.

use yew::prelude::*;

use super::text::thousands;
use crate::protocol::RowView;

#[derive(Properties, PartialEq)]
pub struct DetailProps {
    pub row: RowView,
    /// The full text, once the worker has sent it.
    pub text: Option<String>,
    pub on_close: Callback<()>,
}

/// The opened record, shown as text (never as HTML).
#[function_component(RecordDetail)]
pub fn record_detail(props: &DetailProps) -> Html {
    let row = &props.row;
    let title = format!(
        "Rank {} · score {:.4} · line {}",
        thousands(row.position + 1),
        row.score,
        row.line
    );
    html! {
        <section class="detail" id="detail" aria-label={format!("Record at rank {}", thousands(row.position + 1))}>
            <div class="detail-head">
                <strong>{ title }</strong>
                <button class="secondary" onclick={props.on_close.reform(|_: MouseEvent| ())}>{ "Close" }</button>
            </div>
            <pre tabindex="0">{ props.text.clone().unwrap_or_else(|| "loading…".to_string()) }</pre>
        </section>
    }
}
