//! zipfit in the browser: the Yew page, and the Wasm side of the scoring worker.
//!
//! The same Wasm module runs in two places. On the page, `main` renders the app.
//! In the scoring worker (`www/worker.js`), `main` does nothing and the worker drives
//! [`session::Session`] on a rayon pool started by `initThreadPool`.

mod app;
mod bridge;
mod memory;
mod playground;
mod protocol;
mod route;
mod session;
mod shared;
mod source;
mod state;
mod views;

pub use wasm_bindgen_rayon::init_thread_pool;

fn main() {
    // Workers (the scoring worker and its pool threads) have no window: nothing to render.
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(root) = document.get_element_by_id("app") {
        yew::Renderer::<app::App>::with_root(root).render();
    }
}
