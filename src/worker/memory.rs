//! Freeing browser memory at once.

use wasm_bindgen::JsCast;

/// Frees an `ArrayBuffer`'s memory now (by transferring it to an empty one) rather than
/// at the next garbage collection, which may come only after gigabytes of reads.
/// Where `ArrayBuffer.prototype.transfer` is missing, the collector does it later.
pub fn release(buffer: &js_sys::ArrayBuffer) {
    if let Ok(transfer) = js_sys::Reflect::get(buffer, &"transfer".into()) {
        if let Some(transfer) = transfer.dyn_ref::<js_sys::Function>() {
            transfer.call1(buffer, &0.into()).ok();
        }
    }
}
