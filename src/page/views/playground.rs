//! `PlaygroundView`: two texts, their exact lengths and distance under every compressor,
//! and the parse of `x ++ y` drawn. Figures come from the worker; this view only draws
//! the state and reports edits.

use wasm_bindgen_futures::{spawn_local, JsFuture};
use yew::prelude::*;
use zipfit_core::compress::Compressor;
use zipfit_core::explain::all_compressors;

use super::parse_drawing::ParseDrawing;
use crate::page::playground::{Playground, PlaygroundAction};
use crate::page::text::thousands;

#[derive(Properties, PartialEq)]
pub struct PlaygroundProps {
    pub playground: Playground,
    pub on: Callback<PlaygroundAction>,
    /// Asks for a share link of the current texts.
    pub on_share: Callback<()>,
}

/// `gzip-9` or `lz4`: the value of a compressor in the page's controls and attributes.
pub fn compressor_key(compressor: Compressor) -> String {
    match compressor {
        Compressor::Gzip { level } => format!("gzip-{level}"),
        other => other.to_string().replace(" level ", "-"),
    }
}

fn compressor_label(compressor: Compressor) -> String {
    match compressor {
        Compressor::Gzip { level } => format!("gzip {level}"),
        Compressor::Lz4 => "LZ4".to_string(),
        other => other.to_string(),
    }
}

/// Reads a picked file as text into `x` or `y`.
fn load_file(input: &web_sys::HtmlInputElement, into_x: bool, on: Callback<PlaygroundAction>) {
    let Some(file) = input.files().and_then(|files| files.get(0)) else {
        return;
    };
    input.set_value("");
    spawn_local(async move {
        if let Ok(text) = JsFuture::from(file.text()).await {
            let text = text.as_string().unwrap_or_default();
            on.emit(if into_x {
                PlaygroundAction::SetX(text)
            } else {
                PlaygroundAction::SetY(text)
            });
        }
    });
}

#[function_component(PlaygroundView)]
pub fn playground_view(props: &PlaygroundProps) -> Html {
    let pg = &props.playground;
    let on = &props.on;
    let text_box = |id: &'static str, label: &'static str, value: &str, into_x: bool| {
        let oninput = on.reform(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            if into_x {
                PlaygroundAction::SetX(area.value())
            } else {
                PlaygroundAction::SetY(area.value())
            }
        });
        let onchange = {
            let on = on.clone();
            Callback::from(move |e: Event| {
                load_file(&e.target_unchecked_into(), into_x, on.clone())
            })
        };
        let file_id = format!("{id}-file");
        html! {
            <div class="pair-text">
                <label for={id}>{ label }</label>
                <textarea id={id} rows="8" spellcheck="false" value={value.to_string()} {oninput} />
                <span class="bytes">{ format!("{} bytes", thousands(value.len())) }</span>
                <label class="file-button secondary" for={file_id.clone()}>{ format!("Load {} from a file", &label[..1]) }</label>
                <input type="file" id={file_id} class="visually-hidden" {onchange} />
            </div>
        }
    };
    let drawn_changed = on.reform(|e: Event| {
        let select: web_sys::HtmlSelectElement = e.target_unchecked_into();
        let compressor = all_compressors()
            .into_iter()
            .find(|&c| compressor_key(c) == select.value())
            .unwrap_or_default();
        PlaygroundAction::SetDrawn(compressor)
    });
    let shown = pg.shown.clone();
    // Stable across renders: the drawing (thousands of spans) redraws only when it changes.
    let on_hover = use_callback(on.clone(), |piece, on| {
        on.emit(PlaygroundAction::Hover(piece))
    });
    html! {
        <section class="playground" id="playground" aria-labelledby="playground-title">
            <h2 id="playground-title">{ "NCD playground" }</h2>
            <p class="hint">
                { "Type two texts. NCD(x, y) = (C(x ++ y) − min(C(x), C(y))) / max(C(x), C(y)), with C the exact length of Python's gzip.compress or lz4.frame.compress; the more of y the compressor can copy from x, the smaller C(x ++ y) and the distance." }
            </p>
            <div class="pair-inputs">
                { text_box("pair-x", "x (first)", &pg.x, true) }
                { text_box("pair-y", "y (second)", &pg.y, false) }
            </div>
            <div class="pair-actions">
                <button id="pair-swap" class="secondary" onclick={on.reform(|_: MouseEvent| PlaygroundAction::Swap)}>{ "Swap x and y" }</button>
                <button id="pair-clear" class="secondary" onclick={on.reform(|_: MouseEvent| PlaygroundAction::Clear)}>{ "Clear" }</button>
                <button id="pair-share" class="secondary" onclick={props.on_share.reform(|_: MouseEvent| ())}>{ "Share as a link" }</button>
                <span class="pair-state" id="pair-state" aria-live="polite">
                    { if pg.stale() { "updating…" } else { "up to date" } }
                </span>
            </div>
            { match &pg.share {
                Some(Ok(link)) => html! {
                    <p class="share" id="share">
                        <label for="share-link">{ "Link with both texts in its fragment (after #), which browsers never send to a server: " }</label>
                        <input id="share-link" readonly=true value={link.clone()} />
                    </p>
                },
                Some(Err(message)) => html! { <p class="error" id="share" role="alert">{ message }</p> },
                None => html! {},
            } }
            if let Some(shown) = shown {
                <div class="table-wrap" tabindex="0" role="region" aria-label="Compressed lengths">
                    <table class="pair-lengths" id="pair-lengths">
                        <caption>{ "Compressed lengths in bytes, and the distance they give" }</caption>
                        <thead><tr>
                            <th scope="col">{ "Compressor" }</th><th scope="col">{ "C(x)" }</th><th scope="col">{ "C(y)" }</th>
                            <th scope="col">{ "C(x ++ y)" }</th><th scope="col">{ "NCD" }</th><th scope="col">{ "1 − NCD" }</th>
                        </tr></thead>
                        <tbody>
                            { for shown.pairing.lengths.iter().map(|l| html! {
                                <tr data-compressor={compressor_key(l.compressor)}
                                    class={classes!((l.compressor == shown.pairing.drawing.compressor).then_some("drawn-row"))}>
                                    <th scope="row">{ compressor_label(l.compressor) }</th>
                                    <td class="cx">{ l.cx }</td><td class="cy">{ l.cy }</td><td class="cxy">{ l.cxy }</td>
                                    <td class="ncd">{ format!("{:.4}", l.ncd) }</td><td class="alignment">{ format!("{:.4}", l.alignment) }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                </div>
                <label>{ "Draw the parse of " }
                    <select id="drawn-compressor" onchange={drawn_changed}>
                        { for all_compressors().into_iter().map(|c| html! {
                            <option value={compressor_key(c)} selected={c == pg.drawn}>{ compressor_label(c) }</option>
                        }) }
                    </select>
                </label>
                <ParseDrawing shown={shown.clone()} hovered={pg.hovered}
                    on_hover={on_hover} />
            } else {
                <p>{ "Computing…" }</p>
            }
        </section>
    }
}
