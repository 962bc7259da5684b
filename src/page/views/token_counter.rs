//! `TokenCounterPicker`: what token budgets count, an estimate or a model's tokenizer.

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

/// The built-in counters: value, label.
const BUILT_IN: [(&str, &str); 4] = [
    ("bytes", "bytes / 4 (an estimate)"),
    ("words", "words"),
    ("cl100k_base", "cl100k_base (GPT-4, GPT-3.5)"),
    ("o200k_base", "o200k_base (GPT-4o)"),
];

#[derive(Properties, PartialEq)]
pub struct TokenCounterProps {
    /// The choice shown: `bytes`, `words`, `cl100k_base`, `o200k_base` or `file`.
    pub kind: String,
    /// The tokenizer.json offered as the `file` choice.
    pub file: Option<web_sys::File>,
    /// The worker is loading the choice.
    pub loading: bool,
    /// Why the last choice could not be used.
    pub error: Option<String>,
    pub on_choose: Callback<(String, Option<web_sys::File>)>,
}

/// "Count tokens with": the byte or word estimate, OpenAI's encodings (built in, loaded
/// from this site when first chosen), or a Hugging Face tokenizer.json picked or dropped
/// here, which stays in the tab.
#[function_component(TokenCounterPicker)]
pub fn token_counter_picker(props: &TokenCounterProps) -> Html {
    // The choice shown follows the state even where the user's pick was refused: an
    // option's `selected` attribute no longer moves a select the user has touched.
    let select = use_node_ref();
    {
        let select = select.clone();
        let shown = (
            props.kind.clone(),
            props.file.as_ref().map(web_sys::File::name),
        );
        use_effect_with(shown, move |(kind, _)| {
            if let Some(select) = select.cast::<HtmlSelectElement>() {
                select.set_value(kind);
            }
        });
    }
    let chose = {
        let on_choose = props.on_choose.clone();
        let file = props.file.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            let kind = select.value();
            let file = (kind == "file").then(|| file.clone()).flatten();
            on_choose.emit((kind, file));
        })
    };
    let picked = {
        let on_choose = props.on_choose.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|files| files.get(0)) {
                on_choose.emit(("file".to_string(), Some(file)));
            }
            input.set_value("");
        })
    };
    html! {
        <div class="token-counter" id="token-counter">
            <label for="tokens">{ "Count tokens with" }</label>
            <select id="tokens" ref={select} onchange={chose} disabled={props.loading}>
                { for BUILT_IN.iter().map(|&(value, label)| html! {
                    <option value={value} selected={props.kind == value}>{ label }</option>
                }) }
                if let Some(file) = &props.file {
                    <option value="file" selected={props.kind == "file"}>{ file.name() }</option>
                }
            </select>
            <label class="tokenizer-file" for="tokenizer-file">{ "or a tokenizer.json: " }
                <input id="tokenizer-file" type="file" accept=".json,application/json" onchange={picked} />
            </label>
            <p class="hint">{ "A model's count is what its tokenizer gives for the record's text, \
                without the special tokens it adds around it. A tokenizer file stays in this tab." }</p>
            if props.loading {
                <p class="hint" aria-live="polite">{ "Loading the tokenizer…" }</p>
            }
            if let Some(error) = &props.error {
                <p class="error" role="alert" id="tokens-error">{ error }</p>
            }
        </div>
    }
}
