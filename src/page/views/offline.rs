//! `OfflineStatus`: whether the app can work with the network off, and a waiting update.
//!
//! `www/offline.js` registers the service worker and publishes its state as
//! `window.zipfitOffline`, with a `zipfit-offline` event on each change; this view
//! only mirrors it.

use js_sys::{Function, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use yew::prelude::*;

fn current() -> String {
    web_sys::window()
        .and_then(|w| Reflect::get(&w, &"zipfitOffline".into()).ok())
        .and_then(|v| v.as_string())
        .unwrap_or_default()
}

fn apply_update() {
    let update = web_sys::window()
        .and_then(|w| Reflect::get(&w, &"zipfitUpdate".into()).ok())
        .and_then(|f| f.dyn_into::<Function>().ok());
    if let Some(update) = update {
        update.call0(&JsValue::NULL).ok();
    }
}

/// One line under the title: "Ready to work offline", or an update to apply.
#[function_component(OfflineStatus)]
pub fn offline_status() -> Html {
    let state = use_state(current);
    {
        let state = state.clone();
        use_effect_with((), move |_| {
            let window = web_sys::window();
            let listener = {
                let state = state.clone();
                Closure::<dyn FnMut()>::new(move || state.set(current()))
            };
            if let Some(window) = &window {
                window
                    .add_event_listener_with_callback(
                        "zipfit-offline",
                        listener.as_ref().unchecked_ref(),
                    )
                    .ok();
            }
            // The state may have changed between the first render and this listener.
            state.set(current());
            move || {
                if let Some(window) = window {
                    window
                        .remove_event_listener_with_callback(
                            "zipfit-offline",
                            listener.as_ref().unchecked_ref(),
                        )
                        .ok();
                }
            }
        });
    }
    let (text, update) = match state.as_str() {
        "ready" => (
            "Ready to work offline: this page keeps working without a network.",
            false,
        ),
        "installing" => ("Saving the app for offline use…", false),
        "update" | "switching" => ("A new version of zipfit is ready.", true),
        "unsupported" => (
            "Offline use needs a service worker (a page served over HTTPS or from localhost).",
            false,
        ),
        _ => return html! {},
    };
    html! {
        <p class="offline" id="offline-status" role="status">
            { text }
            if update {
                { " " }
                <button class="secondary" onclick={Callback::from(|_: MouseEvent| apply_update())}>
                    { "Reload to update" }
                </button>
            }
        </p>
    }
}
