//! The prefix shortcut of the length models equals compressing the concatenation.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zipfit_core::compress::{Backend, Compressor, Lengths};

fuzz_target!(|data: &[u8]| {
    let Some((&selector, rest)) = data.split_first() else { return };
    let split = rest.len() * usize::from(selector % 16) / 16;
    let (x, y) = rest.split_at(split);
    let compressor = match selector % 10 {
        0 => Compressor::Lz4,
        level => Compressor::Gzip { level },
    };
    let mut whole = Lengths::new(compressor, Backend::Model);
    let mut prefixed = Lengths::new(compressor, Backend::Model);
    prefixed.set_prefix(x);
    assert_eq!(prefixed.len_with_prefix(y), whole.len(rest));
    assert_eq!(prefixed.len_with_prefix(x), whole.len(&[x, x].concat()));
});
