//! Per-record columns (offsets, lengths, tokens, labels, scores, rankings) kept in files
//! of the origin's private file system rather than in the module's memory, so that the
//! tab's memory does not grow with the number of records.
//!
//! `www/worker.js` opens files in a folder of its own, with synchronous access handles
//! (which only a worker can have), and hands them to [`add_file`]; a new [`Column`]
//! takes one of them, and gives it back (emptied) when dropped. A column appends in a
//! small tail kept in memory and written out a block at a time, reads back a page at a
//! time ([`Column::get`], [`Column::read`]), and reads scattered records page by page
//! in file order ([`Column::gather`]). Where no file is at hand (a browser without
//! synchronous access handles, the tests), a column is an ordinary vector. When a write
//! fails (the storage is full), the column moves into memory: nothing is lost, only
//! memory is used.
//!
//! Invariant: the handles are JavaScript objects, so a column is only used on the
//! worker's own thread; rayon's threads get plain slices read from it.

use std::cell::RefCell;
use std::ops::Range;

use js_sys::{Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    /// A `FileSystemSyncAccessHandle`: synchronous reads and writes of one file.
    #[wasm_bindgen(typescript_type = "FileSystemSyncAccessHandle")]
    pub type SyncAccessHandle;

    #[wasm_bindgen(method, catch)]
    fn read(this: &SyncAccessHandle, buffer: &Uint8Array, options: &Object)
        -> Result<f64, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn write(
        this: &SyncAccessHandle,
        buffer: &Uint8Array,
        options: &Object,
    ) -> Result<f64, JsValue>;

    #[wasm_bindgen(method, catch)]
    fn truncate(this: &SyncAccessHandle, size: f64) -> Result<(), JsValue>;
}

/// Bytes a column writes at once (its tail) and reads at once (a page).
const BLOCK: usize = 64 << 10;
/// Bytes moved between the module and a file in one call, through [`Transfer`].
const TRANSFER: usize = 1 << 20;

thread_local! {
    /// Files at hand for new columns.
    static SPARE: RefCell<Vec<SyncAccessHandle>> = const { RefCell::new(Vec::new()) };
    /// One buffer outside the module's memory for every read and write: a file read
    /// into, or written from, the module's shared memory would make the browser copy it
    /// into new memory each time.
    static TRANSFER_BUFFER: Uint8Array = Uint8Array::new_with_length(TRANSFER as u32);
}

/// Makes `handle` (an empty file) available to new columns.
pub fn add_file(handle: SyncAccessHandle) {
    SPARE.with(|spare| spare.borrow_mut().push(handle));
}

/// How many files are at hand for new columns.
pub fn spare_files() -> usize {
    SPARE.with(|spare| spare.borrow().len())
}

fn at(offset: usize) -> Object {
    let options = Object::new();
    Reflect::set(&options, &"at".into(), &(offset as f64).into()).ok();
    options
}

/// Reads `out.len()` bytes of `handle` from `offset`.
fn read_bytes(handle: &SyncAccessHandle, offset: usize, out: &mut [u8]) -> Result<(), String> {
    TRANSFER_BUFFER.with(|buffer| {
        for (k, piece) in out.chunks_mut(TRANSFER).enumerate() {
            let view = buffer.subarray(0, piece.len() as u32);
            let read = handle
                .read(&view, &at(offset + k * TRANSFER))
                .map_err(|e| format!("cannot read a column file: {e:?}"))?;
            if read as usize != piece.len() {
                return Err("a column file is shorter than it was written".to_string());
            }
            view.copy_to(piece);
        }
        Ok(())
    })
}

/// Writes `bytes` to `handle` at `offset`.
fn write_bytes(handle: &SyncAccessHandle, offset: usize, bytes: &[u8]) -> Result<(), JsValue> {
    TRANSFER_BUFFER.with(|buffer| {
        for (k, piece) in bytes.chunks(TRANSFER).enumerate() {
            let view = buffer.subarray(0, piece.len() as u32);
            view.copy_from(piece);
            let written = handle.write(&view, &at(offset + k * TRANSFER))?;
            if written as usize != piece.len() {
                return Err("short write".into());
            }
        }
        Ok(())
    })
}

/// A value a column holds: a fixed number of little-endian bytes.
pub trait Value: Copy + Default + 'static {
    const SIZE: usize;
    fn put(self, out: &mut [u8]);
    fn take(bytes: &[u8]) -> Self;
}

macro_rules! value {
    ($($t:ty),*) => {$(
        impl Value for $t {
            const SIZE: usize = std::mem::size_of::<$t>();
            fn put(self, out: &mut [u8]) {
                out.copy_from_slice(&self.to_le_bytes());
            }
            fn take(bytes: &[u8]) -> $t {
                <$t>::from_le_bytes(bytes.try_into().expect("a value's bytes"))
            }
        }
    )*};
}
value!(u16, u32, u64, f64);

/// The page of a file-backed column read last.
struct Page<T> {
    first: usize,
    values: Vec<T>,
}

enum Place<T> {
    Memory(Vec<T>),
    File {
        handle: SyncAccessHandle,
        /// Values written to the file; the ones after them are in `tail`.
        written: usize,
        tail: Vec<T>,
        page: RefCell<Page<T>>,
    },
}

/// A column of `T`, one value per record, in a file when one is at hand.
pub struct Column<T: Value> {
    place: Place<T>,
}

impl<T: Value> Default for Column<T> {
    /// An empty column in memory.
    fn default() -> Column<T> {
        Column {
            place: Place::Memory(Vec::new()),
        }
    }
}

impl<T: Value> Column<T> {
    /// An empty column, in a file when one is at hand, else in memory.
    pub fn new() -> Column<T> {
        match SPARE.with(|spare| spare.borrow_mut().pop()) {
            Some(handle) => Column {
                place: Place::File {
                    handle,
                    written: 0,
                    tail: Vec::new(),
                    page: RefCell::new(Page {
                        first: 0,
                        values: Vec::new(),
                    }),
                },
            },
            None => Column::default(),
        }
    }

    /// A column holding `values`, in a file when one is at hand.
    #[cfg(test)]
    pub fn from_values(values: &[T]) -> Column<T> {
        let mut column = Column::new();
        column.extend(values);
        column
    }

    /// Whether the column is in a file (else in memory).
    #[cfg(test)]
    pub fn in_file(&self) -> bool {
        matches!(self.place, Place::File { .. })
    }

    pub fn len(&self) -> usize {
        match &self.place {
            Place::Memory(values) => values.len(),
            Place::File { written, tail, .. } => written + tail.len(),
        }
    }

    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Adds `value` at the end.
    pub fn push(&mut self, value: T) {
        match &mut self.place {
            Place::Memory(values) => values.push(value),
            Place::File { tail, .. } => {
                tail.push(value);
                if tail.len() * T::SIZE >= BLOCK {
                    self.write_tail();
                }
            }
        }
    }

    /// Adds `values` at the end.
    pub fn extend(&mut self, values: &[T]) {
        match &mut self.place {
            Place::Memory(all) => all.extend_from_slice(values),
            Place::File { .. } => {
                for chunk in values.chunks(BLOCK / T::SIZE) {
                    if let Place::File { tail, .. } = &mut self.place {
                        tail.extend_from_slice(chunk);
                    }
                    self.write_tail();
                }
            }
        }
    }

    /// Writes the tail to the file; when that fails, the column moves into memory.
    fn write_tail(&mut self) {
        let Place::File {
            handle,
            written,
            tail,
            ..
        } = &mut self.place
        else {
            return;
        };
        if tail.is_empty() {
            return;
        }
        let mut bytes = vec![0; tail.len() * T::SIZE];
        for (value, out) in tail.iter().zip(bytes.chunks_exact_mut(T::SIZE)) {
            value.put(out);
        }
        if write_bytes(handle, *written * T::SIZE, &bytes).is_ok() {
            *written += tail.len();
            tail.clear();
        } else {
            self.move_to_memory();
        }
    }

    /// Reads the whole column into memory and gives its file back.
    fn move_to_memory(&mut self) {
        let values = self.to_vec();
        let old = std::mem::replace(&mut self.place, Place::Memory(values));
        if let Place::File { handle, .. } = old {
            give_back(handle);
        }
    }

    /// Value `index`.
    pub fn get(&self, index: usize) -> T {
        match &self.place {
            Place::Memory(values) => values[index],
            Place::File {
                handle,
                written,
                tail,
                page,
            } => {
                if index >= *written {
                    return tail[index - written];
                }
                let mut page = page.borrow_mut();
                let per_page = BLOCK / T::SIZE;
                if !(page.first..page.first + page.values.len()).contains(&index) {
                    let first = index / per_page * per_page;
                    let end = (first + per_page).min(*written);
                    page.values.clear();
                    read_values(handle, first..end, &mut page.values);
                    page.first = first;
                }
                page.values[index - page.first]
            }
        }
    }

    /// Values `range`, into `out` (replacing what it held).
    pub fn read_into(&self, range: Range<usize>, out: &mut Vec<T>) {
        out.clear();
        match &self.place {
            Place::Memory(values) => out.extend_from_slice(&values[range]),
            Place::File {
                handle,
                written,
                tail,
                ..
            } => {
                let on_file = range.start.min(*written)..range.end.min(*written);
                read_values(handle, on_file, out);
                let in_tail = range.start.max(*written)..range.end.max(*written);
                out.extend_from_slice(&tail[in_tail.start - written..in_tail.end - written]);
            }
        }
    }

    /// Values `range`.
    pub fn read(&self, range: Range<usize>) -> Vec<T> {
        let mut out = Vec::with_capacity(range.len());
        self.read_into(range, &mut out);
        out
    }

    /// Every value (for what needs them all in memory at once).
    pub fn to_vec(&self) -> Vec<T> {
        self.read(0..self.len())
    }

    /// Calls `f` with consecutive pieces of the column (up to `piece` values each) and
    /// where each starts, in order.
    pub fn pieces(&self, piece: usize, mut f: impl FnMut(usize, &[T])) {
        let mut buffer = Vec::new();
        let mut start = 0;
        while start < self.len() {
            let end = (start + piece).min(self.len());
            self.read_into(start..end, &mut buffer);
            f(start, &buffer);
            start = end;
        }
    }

    /// The values of `indices`, in that order: read in file order, one read for each
    /// run of wanted values less than a page apart.
    pub fn gather(&self, indices: &[u32]) -> Vec<T> {
        let Place::File { .. } = &self.place else {
            return indices.iter().map(|&i| self.get(i as usize)).collect();
        };
        let mut by_index: Vec<usize> = (0..indices.len()).collect();
        by_index.sort_unstable_by_key(|&k| indices[k]);
        let mut out = vec![T::default(); indices.len()];
        let per_page = BLOCK / T::SIZE;
        let mut span = Vec::new();
        let mut first = 0;
        while first < by_index.len() {
            let start = indices[by_index[first]] as usize;
            let mut last = first + 1;
            while last < by_index.len() && (indices[by_index[last]] as usize) < start + per_page {
                last += 1;
            }
            let end = indices[by_index[last - 1]] as usize + 1;
            self.read_into(start..end, &mut span);
            for &k in &by_index[first..last] {
                out[k] = span[indices[k] as usize - start];
            }
            first = last;
        }
        out
    }
}

/// Reads values `range` of a file into the end of `out`, a piece at a time (so that a
/// large read takes no more memory than its values).
fn read_values<T: Value>(handle: &SyncAccessHandle, range: Range<usize>, out: &mut Vec<T>) {
    let per_piece = TRANSFER / T::SIZE;
    let mut bytes = vec![0; per_piece.min(range.len()) * T::SIZE];
    out.reserve(range.len());
    let mut at = range.start;
    while at < range.end {
        let piece = &mut bytes[..per_piece.min(range.end - at) * T::SIZE];
        // The file is this worker's alone: a read fails only when the disk does.
        if let Err(problem) = read_bytes(handle, at * T::SIZE, piece) {
            panic!("{problem}");
        }
        out.extend(piece.chunks_exact(T::SIZE).map(T::take));
        at += piece.len() / T::SIZE;
    }
}

/// Empties `handle`'s file and makes it available again.
fn give_back(handle: SyncAccessHandle) {
    if handle.truncate(0.0).is_ok() {
        add_file(handle);
    }
}

impl<T: Value> Drop for Column<T> {
    fn drop(&mut self) {
        if let Place::File { handle, .. } =
            std::mem::replace(&mut self.place, Place::Memory(Vec::new()))
        {
            give_back(handle);
        }
    }
}

#[cfg(test)]
pub mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_dedicated_worker);

    #[wasm_bindgen(inline_js = "
        export async function open_column_file(name) {
            const root = await navigator.storage.getDirectory();
            const handle = await root.getFileHandle(name, { create: true });
            const access = await handle.createSyncAccessHandle();
            access.truncate(0);
            return access;
        }")]
    extern "C" {
        async fn open_column_file(name: &str) -> JsValue;
    }

    /// Opens `n` files for columns, as `www/worker.js` does.
    pub async fn add_files(n: usize) {
        for _ in 0..n {
            let name = format!("zipfit-columns-test-{}", js_sys::Math::random());
            add_file(open_column_file(&name).await.unchecked_into());
        }
    }

    /// Takes every spare file away (columns made next are in memory), to give back later.
    pub fn take_files() -> Vec<SyncAccessHandle> {
        SPARE.with(|spare| std::mem::take(&mut *spare.borrow_mut()))
    }

    /// Gives back files [`take_files`] took.
    pub fn restore_files(files: Vec<SyncAccessHandle>) {
        files.into_iter().for_each(add_file);
    }

    fn pattern(i: usize) -> u64 {
        (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15) >> 7
    }

    #[wasm_bindgen_test]
    async fn a_column_in_a_file_reads_back_what_was_written() {
        add_files(2).await;
        let before = spare_files();
        let n = 70_000; // several blocks of 8,192 values, and a tail
        let mut column = Column::<u64>::new();
        assert!(column.in_file());
        for i in 0..n / 2 {
            column.push(pattern(i));
        }
        column.extend(&(n / 2..n).map(pattern).collect::<Vec<u64>>());
        assert_eq!(column.len(), n);
        let expected: Vec<u64> = (0..n).map(pattern).collect();
        assert_eq!(column.to_vec(), expected);
        for i in [0, 1, 8191, 8192, 40_000, n - 1] {
            assert_eq!(column.get(i), expected[i], "value {i}");
        }
        assert_eq!(column.read(8000..20_000), expected[8000..20_000]);
        let indices: Vec<u32> = (0..5000u32)
            .map(|k| (pattern(k as usize) % n as u64) as u32)
            .chain([0, (n - 1) as u32, 0])
            .collect();
        let gathered = column.gather(&indices);
        for (k, &i) in indices.iter().enumerate() {
            assert_eq!(gathered[k], expected[i as usize]);
        }
        let mut seen = 0;
        column.pieces(9999, |start, piece| {
            assert_eq!(start, seen);
            assert_eq!(piece, &expected[start..start + piece.len()]);
            seen += piece.len();
        });
        assert_eq!(seen, n);
        // Dropped, the column gives its file back, emptied.
        drop(column);
        assert_eq!(spare_files(), before);
        let again = Column::<f64>::from_values(&[1.5, -2.0]);
        assert!(again.in_file());
        assert_eq!(again.to_vec(), vec![1.5, -2.0]);
    }

    #[wasm_bindgen_test]
    fn a_column_without_files_is_in_memory() {
        let files = take_files();
        let mut column = Column::<u16>::new();
        assert!(!column.in_file() && column.is_empty());
        column.extend(&[3, 1, 2]);
        assert_eq!(column.gather(&[2, 0, 2]), vec![2, 3, 2]);
        restore_files(files);
    }
}
