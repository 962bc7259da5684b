//! Which view the page shows, from the address's fragment: `#/` (selection), `#/compare`
//! (two runs side by side) or `#/playground`, which may carry two texts (`#/playground?x=...&y=...`). The fragment is
//! never sent to a server, so a shared link keeps its texts between its two ends.

use js_sys::{decode_uri_component, encode_uri_component};

/// Largest share link fragment, in characters (texts percent-encoded).
pub const MAX_SHARE_CHARS: usize = 64 * 1024;

/// The views reachable by address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Route {
    Selection,
    Playground,
    Compare,
}

/// The route of `hash` (`location.hash`, with its `#`) and the texts it carries, if any.
pub fn parse(hash: &str) -> (Route, Option<(String, String)>) {
    let rest = hash.trim_start_matches('#');
    if rest == "/compare" {
        return (Route::Compare, None);
    }
    let Some(after) = rest.strip_prefix("/playground") else {
        return (Route::Selection, None);
    };
    let texts = after.strip_prefix('?').and_then(|query| {
        let (mut x, mut y) = (None, None);
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=')?;
            let value: String = decode_uri_component(value).ok()?.into();
            match key {
                "x" => x = Some(value),
                "y" => y = Some(value),
                _ => {}
            }
        }
        Some((x.unwrap_or_default(), y.unwrap_or_default()))
    });
    (Route::Playground, texts)
}

/// The current address's route and texts.
pub fn current() -> (Route, Option<(String, String)>) {
    let hash = web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default();
    parse(&hash)
}

/// Goes to `route` (an entry in the browser's history, so Back returns).
pub fn go(route: Route) {
    if let Some(window) = web_sys::window() {
        let hash = match route {
            Route::Selection => "#/",
            Route::Playground => "#/playground",
            Route::Compare => "#/compare",
        };
        window.location().set_hash(hash).ok();
    }
}

/// The page's address with `x` and `y` in its fragment, or why it would be too long.
pub fn share_link(x: &str, y: &str) -> Result<String, String> {
    let fragment = format!(
        "#/playground?x={}&y={}",
        String::from(encode_uri_component(x)),
        String::from(encode_uri_component(y))
    );
    if fragment.len() > MAX_SHARE_CHARS {
        return Err(format!(
            "These texts are too long for a link: encoded they take {} KB, and links here are limited to {} KB. Share them as files instead.",
            fragment.len().div_ceil(1024),
            MAX_SHARE_CHARS / 1024
        ));
    }
    let window = web_sys::window().ok_or("no window")?;
    let location = window.location();
    let base = format!(
        "{}{}",
        location.origin().unwrap_or_default(),
        location.pathname().unwrap_or_default()
    );
    let link = format!("{base}{fragment}");
    // The address bar shows it too, without a new history entry or a reload.
    if let Ok(history) = window.history() {
        history
            .replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&fragment))
            .ok();
    }
    Ok(link)
}
