//! Files in and out of the page: an input's `Blob` handed to the worker (the page reads
//! nothing itself), and finished downloads handed to the browser.

use std::rc::Rc;

use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{Blob, HtmlAnchorElement, Url};
use yew::prelude::*;

use crate::page::bridge::Bridge;
use crate::page::state::{Action, Input, State};
use crate::protocol::Role;

/// Largest target file (targets are read whole; a source streams at any size).
const MAX_TARGET_BYTES: f64 = 1024.0 * 1024.0 * 1024.0;

/// The files behind an input, each with its name: the files chosen, or a bundled
/// example fetched from the page's own origin. Nothing is read here: the worker reads
/// what it needs.
async fn input_files(input: &Input) -> Result<Vec<(String, Blob)>, String> {
    match input {
        Input::Files(chosen) => Ok(chosen
            .files
            .iter()
            .map(|(name, file)| (name.clone(), file.clone().into()))
            .collect()),
        Input::Example(url) => {
            let window = web_sys::window().ok_or("no window")?;
            let response = JsFuture::from(window.fetch_with_str(url))
                .await
                .map_err(|_| format!("cannot fetch {url}"))?;
            let response: web_sys::Response = response.unchecked_into();
            if !response.ok() {
                return Err(format!("cannot fetch {url}: HTTP {}", response.status()));
            }
            let blob = response
                .blob()
                .map_err(|_| "cannot read the response".to_string())?;
            let blob = JsFuture::from(blob)
                .await
                .map_err(|_| format!("cannot read {url}"))?;
            Ok(vec![(input.name(), blob.unchecked_into())])
        }
    }
}

/// Hands `input` to the worker as the `role` input, read by `field` ("" to pick one).
pub fn send_file(
    bridge: Rc<Bridge>,
    dispatch: UseReducerDispatcher<State>,
    role: Role,
    input: Input,
    field: String,
    skip_bad: bool,
) {
    // The source streams at any size; the targets are read whole.
    if let (Role::Target, Input::Files(chosen)) = (role, &input) {
        if chosen.size() > MAX_TARGET_BYTES {
            let message = format!(
                "{}: too large for a target set ({:.1} GiB; the limit is 1 GiB). Targets are a small set of examples.",
                chosen.name,
                chosen.size() / MAX_TARGET_BYTES
            );
            dispatch.dispatch(Action::PageError(role, message));
            return;
        }
    }
    spawn_local(async move {
        match input_files(&input).await {
            Ok(files) => bridge.load(role, &input.name(), &files, &field, skip_bad),
            Err(message) => dispatch.dispatch(Action::PageError(role, message)),
        }
    });
}

/// Hands a finished download to the browser.
pub fn save(name: &str, blob: &Blob) {
    let Ok(url) = Url::create_object_url_with_blob(blob) else {
        return;
    };
    let document = web_sys::window().and_then(|w| w.document());
    if let Some(anchor) = document.and_then(|d| d.create_element("a").ok()) {
        let anchor: HtmlAnchorElement = anchor.unchecked_into();
        anchor.set_href(&url);
        anchor.set_download(name);
        anchor.click();
    }
    // The download has its own reference; the URL is not needed once it started.
    let revoke = Closure::once_into_js(move || {
        Url::revoke_object_url(&url).ok();
    });
    if let Some(window) = web_sys::window() {
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(revoke.unchecked_ref(), 60_000)
            .ok();
    }
}

/// Asks where to save `name` (File System Access API, where the browser has it) and
/// returns the file's handle, which the worker writes to as a stream. `Ok(None)` where
/// the API is missing; `Err` when the user closed the picker.
pub async fn pick_file(name: &str) -> Result<Option<JsValue>, ()> {
    let Some(window) = web_sys::window() else {
        return Ok(None);
    };
    let Ok(picker) = Reflect::get(&window, &"showSaveFilePicker".into()) else {
        return Ok(None);
    };
    let Some(picker) = picker.dyn_ref::<Function>() else {
        return Ok(None);
    };
    let options = Object::new();
    Reflect::set(&options, &"suggestedName".into(), &name.into()).ok();
    match picker.call1(&window, &options) {
        Ok(promise) => JsFuture::from(Promise::from(promise))
            .await
            .map(Some)
            .map_err(|_| ()),
        Err(_) => Ok(None),
    }
}

/// A file name without its extension (and without `.gz`): what download names start with.
pub fn stem(name: &str) -> &str {
    let name = name.strip_suffix(".gz").unwrap_or(name);
    name.rsplit_once('.').map_or(name, |(stem, _)| stem)
}
