//! Texts from Arrow arrays (pyarrow `Array` or `ChunkedArray`) without a Python string
//! per row: each chunk's offsets and data buffers are read in place, at the addresses
//! pyarrow gives (`Buffer.address`; the buffer protocol is not in Python 3.9's limited
//! API, which the wheel is built for).

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;

use crate::RecordError;

/// True when `obj` is an Arrow array or chunked array (it exports the Arrow C interface).
pub fn is_arrow(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    Ok(obj.hasattr("__arrow_c_array__")? || obj.hasattr("__arrow_c_stream__")?)
}

/// A pyarrow `Buffer`, held so that its memory stays valid, and where that memory is.
struct Buffer {
    _held: Py<PyAny>,
    address: usize,
    size: usize,
}

impl Buffer {
    fn of(buffer: &Bound<'_, PyAny>) -> PyResult<Buffer> {
        Ok(Buffer {
            _held: buffer.clone().unbind(),
            address: buffer.getattr("address")?.extract()?,
            size: buffer.getattr("size")?.extract()?,
        })
    }

    fn bytes(&self) -> &[u8] {
        if self.size == 0 {
            return &[];
        }
        // SAFETY: pyarrow's buffer holds `size` bytes at `address` (CPU memory: pyarrow
        // arrays built on the host), valid while the buffer object is held, as it is here.
        unsafe { std::slice::from_raw_parts(self.address as *const u8, self.size) }
    }
}

/// One chunk's buffers, held so that the slices into them stay valid.
struct Chunk {
    offsets: Buffer,
    data: Option<Buffer>,
    /// Bytes per offset: 4 (`string`, `binary`) or 8 (`large_string`, `large_binary`).
    width: usize,
    /// The chunk's first element in its buffers, and its length.
    offset: usize,
    len: usize,
}

/// The texts of an Arrow array of strings or binaries, as slices of its own buffers.
pub struct ArrowTexts {
    chunks: Vec<Chunk>,
}

impl ArrowTexts {
    /// Reads the buffers of `array`; string views are cast to `large_string` first (one
    /// copy, by pyarrow), since their buffers are laid out per row.
    pub fn new(array: &Bound<'_, PyAny>) -> PyResult<ArrowTexts> {
        let chunks: Vec<Bound<'_, PyAny>> = if array.hasattr("chunks")? {
            array.getattr("chunks")?.extract()?
        } else {
            vec![array.clone()]
        };
        let mut taken = Vec::with_capacity(chunks.len());
        let mut first_row = 0usize;
        for mut chunk in chunks {
            let mut kind: String = chunk.getattr("type")?.str()?.extract()?;
            if kind == "string_view" || kind == "binary_view" {
                chunk = chunk.call_method1("cast", ("large_string",))?;
                kind = "large_string".to_string();
            }
            let width = match kind.as_str() {
                "string" | "binary" => 4,
                "large_string" | "large_binary" => 8,
                other => {
                    return Err(PyTypeError::new_err(format!(
                        "an Arrow array of {other} holds no texts (expected string or binary)"
                    )))
                }
            };
            let len: usize = chunk.len()?;
            let offset: usize = chunk.getattr("offset")?.extract()?;
            let null_count: usize = chunk.getattr("null_count")?.extract()?;
            if null_count > 0 {
                let nulls = chunk.call_method0("is_null")?;
                let first = (0..len)
                    .find(|&i| {
                        nulls
                            .get_item(i)
                            .and_then(|v| v.call_method0("as_py"))
                            .and_then(|v| v.extract::<bool>())
                            .unwrap_or(false)
                    })
                    .unwrap_or(0);
                return Err(RecordError::new_err(format!(
                    "text {}: null (not a text)",
                    first_row + first
                )));
            }
            let buffers: Vec<Option<Bound<'_, PyAny>>> =
                chunk.call_method0("buffers")?.extract()?;
            let buffer = |i: usize| -> PyResult<Option<Buffer>> {
                match buffers.get(i) {
                    Some(Some(object)) => Ok(Some(Buffer::of(object)?)),
                    _ => Ok(None),
                }
            };
            let offsets = buffer(1)?
                .ok_or_else(|| PyValueError::new_err("an Arrow string array without offsets"))?;
            if offsets.size < (offset + len + 1) * width && len > 0 {
                return Err(PyValueError::new_err(
                    "an Arrow array's offsets are too short",
                ));
            }
            taken.push(Chunk {
                offsets,
                data: buffer(2)?,
                width,
                offset,
                len,
            });
            first_row += len;
        }
        let texts = ArrowTexts { chunks: taken };
        // Every offset pair must bound a range of the data: checked once, here.
        let mut row = 0;
        for chunk in &texts.chunks {
            for i in 0..chunk.len {
                if Self::range(chunk, i).is_none() {
                    return Err(PyValueError::new_err(format!(
                        "text {}: its offsets lie outside the array's data",
                        row + i
                    )));
                }
            }
            row += chunk.len;
        }
        Ok(texts)
    }

    fn offset(chunk: &Chunk, i: usize) -> i64 {
        let bytes = chunk.offsets.bytes();
        let at = (chunk.offset + i) * chunk.width;
        match chunk.width {
            4 => i32::from_le_bytes(bytes[at..at + 4].try_into().expect("4 bytes")) as i64,
            _ => i64::from_le_bytes(bytes[at..at + 8].try_into().expect("8 bytes")),
        }
    }

    fn range(chunk: &Chunk, i: usize) -> Option<&[u8]> {
        let (start, end) = (Self::offset(chunk, i), Self::offset(chunk, i + 1));
        if start == end {
            return Some(&[]);
        }
        let data = chunk.data.as_ref()?.bytes();
        if 0 <= start && start <= end {
            data.get(start as usize..end as usize)
        } else {
            None
        }
    }

    /// Every text, in order.
    pub fn slices(&self) -> Vec<&[u8]> {
        let mut slices = Vec::new();
        for chunk in &self.chunks {
            for i in 0..chunk.len {
                slices.push(Self::range(chunk, i).expect("checked in new"));
            }
        }
        slices
    }
}
