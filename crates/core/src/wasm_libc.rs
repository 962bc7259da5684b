//! `malloc`, `calloc`, `realloc` and `free` for the C libraries built for wasm32 (liblz4;
//! see `wasm-libc/stdlib.h`), on Rust's allocator. Each block keeps its size in a header
//! before the pointer handed out, as `free` and `realloc` need it.

use std::alloc::{alloc, alloc_zeroed, dealloc, realloc as grow, Layout};
use std::os::raw::c_void;

/// Room for the size, keeping the pointer handed out aligned as C's `max_align_t`.
const HEADER: usize = 16;

fn layout(size: usize) -> Option<Layout> {
    Layout::from_size_align(size.checked_add(HEADER)?, HEADER).ok()
}

unsafe fn finish(block: *mut u8, size: usize) -> *mut c_void {
    if block.is_null() {
        return std::ptr::null_mut();
    }
    block.cast::<usize>().write(size);
    block.add(HEADER).cast()
}

unsafe fn header(ptr: *mut c_void) -> (*mut u8, usize) {
    let block = ptr.cast::<u8>().sub(HEADER);
    (block, block.cast::<usize>().read())
}

#[no_mangle]
pub unsafe extern "C" fn malloc(size: usize) -> *mut c_void {
    match layout(size) {
        Some(layout) => finish(alloc(layout), size),
        None => std::ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn calloc(count: usize, size: usize) -> *mut c_void {
    match count
        .checked_mul(size)
        .and_then(|total| Some((total, layout(total)?)))
    {
        Some((total, layout)) => finish(alloc_zeroed(layout), total),
        None => std::ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn realloc(ptr: *mut c_void, size: usize) -> *mut c_void {
    if ptr.is_null() {
        return malloc(size);
    }
    let (block, old) = header(ptr);
    match layout(size) {
        Some(_) => finish(grow(block, layout(old).unwrap(), size + HEADER), size),
        None => std::ptr::null_mut(),
    }
}

#[no_mangle]
pub unsafe extern "C" fn free(ptr: *mut c_void) {
    if !ptr.is_null() {
        let (block, size) = header(ptr);
        dealloc(block, layout(size).unwrap());
    }
}
