/* The part of the C library that liblz4 uses, for its wasm32 build. malloc and its kin
 * are Rust's allocator (crates/core/src/wasm_libc.rs). */
#ifndef ZIPFIT_WASM_STDLIB_H
#define ZIPFIT_WASM_STDLIB_H
#include <stddef.h>
void *malloc(size_t size);
void *calloc(size_t count, size_t size);
void *realloc(void *ptr, size_t size);
void free(void *ptr);
#define abort() __builtin_trap()
#define exit(status) __builtin_trap()
#endif
