//! Containment for the Parquet decoder's panics.
//!
//! arrow-rs checks most of a file's structure, but not all of it: fuzzing found pages
//! whose bit-packed definition levels claim more values than the page holds, and the
//! decoder asserts (`offset + len out of bounds`) instead of returning an error. A
//! corrupt file must give the user an error naming it, never a crash, so every decode
//! runs inside [`contain`], which turns such a panic into an error.
//!
//! The panic's message is not printed while contained: a panic hook, installed once and
//! chaining to the hook it replaces, stays silent for panics raised on a thread that is
//! inside `contain`, and passes every other panic on unchanged.
//!
//! Where panics abort (wasm32), this cannot help; the page treats a worker that traps
//! while reading a file as that file being unreadable.

use std::cell::Cell;
use std::panic::{self, AssertUnwindSafe};
use std::sync::Once;

thread_local! {
    /// How many `contain` calls this thread is inside.
    static DEPTH: Cell<u32> = const { Cell::new(0) };
}

static HOOK: Once = Once::new();

fn install_hook() {
    HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if DEPTH.with(Cell::get) == 0 {
                previous(info);
            }
        }));
    });
}

/// Runs `decode`; a panic inside it becomes `Err` with the panic's message.
pub(super) fn contain<T>(decode: impl FnOnce() -> T) -> Result<T, String> {
    install_hook();
    DEPTH.with(|depth| depth.set(depth.get() + 1));
    let result = panic::catch_unwind(AssertUnwindSafe(decode));
    DEPTH.with(|depth| depth.set(depth.get() - 1));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "the decoder stopped".to_string());
        format!("corrupt data ({message})")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_becomes_an_error_and_the_thread_goes_on() {
        let error = contain(|| -> u32 { panic!("offset + len out of bounds") }).unwrap_err();
        assert_eq!(error, "corrupt data (offset + len out of bounds)");
        assert_eq!(contain(|| 7).unwrap(), 7);
        assert_eq!(DEPTH.with(Cell::get), 0);
    }
}
