//! zipfit in the browser: one Wasm module that runs in two places.
//!
//! - [`page`]: on the page's main thread, the Yew app. It renders and never scores.
//! - [`worker`]: in the scoring worker (`www/worker.js`) and its rayon pool, started by
//!   `initThreadPool`: the files, the runs and every analysis of them.
//!
//! [`protocol`] is the one module both import: the messages' types. Neither imports
//! the other.

mod page;
mod protocol;
mod worker;

pub use wasm_bindgen_rayon::init_thread_pool;

fn main() {
    // Workers (the scoring worker and its pool threads) have no window: nothing to render.
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(root) = document.get_element_by_id("app") {
        page::render(root);
    }
}
