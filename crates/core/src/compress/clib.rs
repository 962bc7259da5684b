//! The paper's other compressors, run as the C libraries its Python code calls: liblz4
//! 1.9.4's HC levels (lz4-sys), libzstd 1.5.7 (zstd-sys), brotli (brotlic-sys) and
//! liblzma (liblzma-sys). Lengths equal the Python calls' only because the same encoders
//! run; `tests/reference_lengths.rs` checks every level against them.
//!
//! Each engine keeps its C state between calls, so a pair costs one compression and no
//! allocation. The formats give no way to resume after a prefix, so `C(x ++ y)` is the
//! concatenation compressed whole.

use std::os::raw::c_void;
use std::ptr;

/// `len(lz4.frame.compress(s, compression_level=level))` for levels 3-12: liblz4's HC
/// compressor in a frame with linked 64 KiB blocks and the content size, as python-lz4
/// writes it.
pub struct Lz4Hc {
    cctx: *mut c_void,
    prefs: Lz4fPreferences,
    out: Vec<u8>,
}

// lz4-sys builds and links liblz4 1.9.4; its Rust declarations of the frame API follow an
// older lz4frame.h, so the ones used are declared here, from 1.9.4's.
extern crate lz4_sys;

/// `LZ4F_frameInfo_t`.
#[repr(C)]
#[derive(Default)]
struct Lz4fFrameInfo {
    block_size_id: u32,
    block_mode: u32,
    content_checksum: u32,
    frame_type: u32,
    content_size: u64,
    dict_id: u32,
    block_checksum: u32,
}

/// `LZ4F_preferences_t`.
#[repr(C)]
#[derive(Default)]
struct Lz4fPreferences {
    frame_info: Lz4fFrameInfo,
    compression_level: i32,
    auto_flush: u32,
    favor_dec_speed: u32,
    reserved: [u32; 3],
}

const LZ4F_VERSION: u32 = 100;
const LZ4F_MAX64KB: u32 = 4;
const LZ4F_BLOCK_LINKED: u32 = 0;

extern "C" {
    fn LZ4F_isError(code: usize) -> u32;
    fn LZ4F_createCompressionContext(cctx: *mut *mut c_void, version: u32) -> usize;
    fn LZ4F_freeCompressionContext(cctx: *mut c_void) -> usize;
    fn LZ4F_compressFrameBound(src_size: usize, prefs: *const Lz4fPreferences) -> usize;
    fn LZ4F_compressFrame_usingCDict(
        cctx: *mut c_void,
        dst: *mut u8,
        dst_capacity: usize,
        src: *const u8,
        src_size: usize,
        cdict: *const c_void,
        prefs: *const Lz4fPreferences,
    ) -> usize;
}

impl Lz4Hc {
    pub fn new(level: u8) -> Self {
        let mut cctx = ptr::null_mut();
        let code = unsafe { LZ4F_createCompressionContext(&mut cctx, LZ4F_VERSION) };
        assert!(
            unsafe { LZ4F_isError(code) } == 0,
            "liblz4 could not make a compression context"
        );
        let prefs = Lz4fPreferences {
            frame_info: Lz4fFrameInfo {
                block_size_id: LZ4F_MAX64KB,
                block_mode: LZ4F_BLOCK_LINKED,
                ..Lz4fFrameInfo::default()
            },
            compression_level: i32::from(level),
            ..Lz4fPreferences::default()
        };
        Lz4Hc {
            cctx,
            prefs,
            out: Vec::new(),
        }
    }

    pub fn len(&mut self, data: &[u8]) -> u64 {
        self.prefs.frame_info.content_size = data.len() as u64;
        unsafe {
            let bound = LZ4F_compressFrameBound(data.len(), &self.prefs);
            self.out.resize(bound, 0);
            let written = LZ4F_compressFrame_usingCDict(
                self.cctx,
                self.out.as_mut_ptr(),
                bound,
                data.as_ptr(),
                data.len(),
                ptr::null(),
                &self.prefs,
            );
            assert!(LZ4F_isError(written) == 0, "liblz4 failed to compress");
            written as u64
        }
    }
}

impl Drop for Lz4Hc {
    fn drop(&mut self) {
        unsafe {
            LZ4F_freeCompressionContext(self.cctx);
        }
    }
}

// SAFETY: the context is owned by this value and used by one thread at a time.
unsafe impl Send for Lz4Hc {}

/// `len(zstandard.ZstdCompressor(level=level).compress(s))`: a zstd frame with the content
/// size and no checksum, libzstd's defaults for a one-shot compression.
pub struct Zstd {
    cctx: *mut zstd_sys::ZSTD_CCtx,
    level: i32,
    out: Vec<u8>,
}

impl Zstd {
    pub fn new(level: i8) -> Self {
        let cctx = unsafe { zstd_sys::ZSTD_createCCtx() };
        assert!(
            !cctx.is_null(),
            "libzstd could not make a compression context"
        );
        Zstd {
            cctx,
            level: i32::from(level),
            out: Vec::new(),
        }
    }

    pub fn len(&mut self, data: &[u8]) -> u64 {
        unsafe {
            let bound = zstd_sys::ZSTD_compressBound(data.len());
            self.out.resize(bound, 0);
            let written = zstd_sys::ZSTD_compressCCtx(
                self.cctx,
                self.out.as_mut_ptr().cast(),
                bound,
                data.as_ptr().cast(),
                data.len(),
                self.level,
            );
            assert!(
                zstd_sys::ZSTD_isError(written) == 0,
                "libzstd failed to compress"
            );
            written as u64
        }
    }
}

impl Drop for Zstd {
    fn drop(&mut self) {
        unsafe {
            zstd_sys::ZSTD_freeCCtx(self.cctx);
        }
    }
}

// SAFETY: the context is owned by this value and used by one thread at a time.
unsafe impl Send for Zstd {}

/// `len(brotli.compress(s))`: quality 11, a 4 MiB window (lgwin 22), generic mode.
/// Native only (see crates/core/Cargo.toml).
#[cfg(not(target_arch = "wasm32"))]
#[derive(Default)]
pub struct Brotli {
    out: Vec<u8>,
}

#[cfg(not(target_arch = "wasm32"))]
impl Brotli {
    pub fn len(&mut self, data: &[u8]) -> u64 {
        unsafe {
            let mut size = brotlic_sys::BrotliEncoderMaxCompressedSize(data.len());
            self.out.resize(size, 0);
            let ok = brotlic_sys::BrotliEncoderCompress(
                11,
                22,
                brotlic_sys::BrotliEncoderMode_BROTLI_MODE_GENERIC,
                data.len(),
                data.as_ptr(),
                &mut size,
                self.out.as_mut_ptr(),
            );
            assert!(ok == 1, "brotli failed to compress");
            size as u64
        }
    }
}

/// `len(lzma.compress(s))`: an .xz stream at preset 6 with a CRC-64 check, written by the
/// stream encoder (which, unlike the one-shot buffer encoder, leaves the block's sizes out
/// of its header, as Python's does).
pub struct Lzma {
    stream: Box<liblzma_sys::lzma_stream>,
    out: Vec<u8>,
}

impl Default for Lzma {
    fn default() -> Self {
        // SAFETY: LZMA_STREAM_INIT is all zeros.
        Lzma {
            stream: Box::new(unsafe { std::mem::zeroed() }),
            out: Vec::new(),
        }
    }
}

impl Lzma {
    pub fn len(&mut self, data: &[u8]) -> u64 {
        unsafe {
            // Starting again on the same stream reuses the encoder's memory (about 90 MiB
            // at preset 6), which liblzma keeps between streams with the same filters.
            let ret =
                liblzma_sys::lzma_easy_encoder(&mut *self.stream, 6, liblzma_sys::LZMA_CHECK_CRC64);
            assert!(
                ret == liblzma_sys::LZMA_OK,
                "liblzma could not start an encoder"
            );
            let bound = liblzma_sys::lzma_stream_buffer_bound(data.len());
            self.out.resize(bound, 0);
            let stream = &mut *self.stream;
            stream.next_in = data.as_ptr();
            stream.avail_in = data.len();
            stream.next_out = self.out.as_mut_ptr();
            stream.avail_out = bound;
            let ret = liblzma_sys::lzma_code(stream, liblzma_sys::LZMA_FINISH);
            assert!(
                ret == liblzma_sys::LZMA_STREAM_END,
                "liblzma failed to compress"
            );
            bound as u64 - stream.avail_out as u64
        }
    }
}

impl Drop for Lzma {
    fn drop(&mut self) {
        unsafe {
            liblzma_sys::lzma_end(&mut *self.stream);
        }
    }
}

// SAFETY: the stream is owned by this value and used by one thread at a time.
unsafe impl Send for Lzma {}
