//! What runs on the page's main thread: the Yew app. It renders and reports what the
//! user does; the scoring worker does the work.
//!
//! - [`app`]: the root component, which wires user events and worker messages
//!   ([`events`], [`effects`]) to the state, and lays out the views;
//! - [`state`]: the page state in one reducer; [`playground`] its playground part;
//! - [`route`]: the address's fragment as a view; [`bridge`]: the worker, started and
//!   spoken to in typed messages; [`files`]: reading inputs and saving downloads;
//!   [`chosen`]: the files chosen as one input, by the path rule;
//! - [`views`]: one component per part the user sees.
//!
//! Invariants: nothing here calls rayon (it would block the page) or imports
//! `crate::worker`; the page holds no per-record array, only figures and rows the
//! worker sends.

mod app;
mod bridge;
mod chosen;
mod effects;
mod events;
mod files;
mod playground;
mod route;
mod shared;
mod state;
mod text;
mod views;

/// Renders the app into `root`.
pub fn render(root: web_sys::Element) {
    yew::Renderer::<app::App>::with_root(root).render();
}
