/* Assertions are off in release builds of these libraries anyway (NDEBUG). */
#ifndef ZIPFIT_WASM_ASSERT_H
#define ZIPFIT_WASM_ASSERT_H
#define assert(condition) ((void)0)
#endif
