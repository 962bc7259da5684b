//! `Scorer` and the pairwise functions.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::exceptions::{PyIOError, PyRuntimeError, PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::pybacked::{PyBackedBytes, PyBackedStr};
use zipfit_core::explain;
use zipfit_core::jsonl::{record_text, FieldPath};
use zipfit_core::score::{self, Aligner, ScoreError, Targets};

use crate::{method, RecordError};

/// A text passed from Python: `str` (scored as its UTF-8 bytes) or `bytes`.
enum Text {
    Str(PyBackedStr),
    Bytes(PyBackedBytes),
}

impl AsRef<[u8]> for Text {
    fn as_ref(&self) -> &[u8] {
        match self {
            Text::Str(s) => s.as_bytes(),
            Text::Bytes(b) => b,
        }
    }
}

fn text(item: &Bound<'_, PyAny>, what: &str) -> PyResult<Text> {
    if let Ok(s) = item.extract::<PyBackedStr>() {
        return Ok(Text::Str(s));
    }
    if let Ok(b) = item.extract::<PyBackedBytes>() {
        return Ok(Text::Bytes(b));
    }
    Err(PyTypeError::new_err(format!(
        "{what} must be str or bytes, not {}",
        item.get_type().name()?
    )))
}

fn texts(items: &Bound<'_, PyAny>, what: &str) -> PyResult<Vec<Text>> {
    items
        .try_iter()?
        .enumerate()
        .map(|(i, item)| text(&item?, &format!("{what} {i}")))
        .collect()
}

fn score_error(error: ScoreError) -> PyErr {
    match error {
        ScoreError::Text { .. } | ScoreError::Record { .. } => {
            RecordError::new_err(error.to_string())
        }
        ScoreError::NoTargets | ScoreError::Stability(_) => {
            PyValueError::new_err(error.to_string())
        }
        ScoreError::Cancelled => PyRuntimeError::new_err(error.to_string()),
        ScoreError::Keep(_) | ScoreError::Read { .. } => PyIOError::new_err(error.to_string()),
    }
}

/// Scores texts against a target set: `1 - mean_j NCD(text, target_j)`.
///
/// Built once from the target texts and the method; `score` then runs on its own
/// threads with the GIL released, and may be called from several Python threads.
#[pyclass(frozen, module = "zipfit")]
pub struct Scorer {
    targets: Targets,
    pool: rayon::ThreadPool,
}

#[pymethods]
impl Scorer {
    #[new]
    #[pyo3(signature = (targets, compressor = "gzip", level = None, threads = None, backend = "model"))]
    fn new(
        targets: &Bound<'_, PyAny>,
        compressor: &str,
        level: Option<i32>,
        threads: Option<usize>,
        backend: &str,
    ) -> PyResult<Self> {
        let method = method(compressor, level, backend)?;
        let targets = texts(targets, "target")?
            .iter()
            .enumerate()
            .map(|(j, t)| {
                std::str::from_utf8(t.as_ref())
                    .map(str::to_string)
                    .map_err(|e| {
                        PyValueError::new_err(format!(
                            "target {j} is not UTF-8 (byte {})",
                            e.valid_up_to()
                        ))
                    })
            })
            .collect::<PyResult<Vec<String>>>()?;
        if targets.is_empty() {
            return Err(PyValueError::new_err("the target set is empty"));
        }
        if threads == Some(0) {
            return Err(PyValueError::new_err(
                "threads must be at least 1 (or None for every core)",
            ));
        }
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads.unwrap_or(0))
            .build()
            .map_err(|e| PyRuntimeError::new_err(format!("starting threads: {e}")))?;
        Ok(Scorer {
            targets: Targets::new(targets, method),
            pool,
        })
    }

    /// The alignment of every text (str or bytes) with the targets, in input order.
    /// `texts` may also be a pyarrow string or binary array (or chunked array), read in
    /// place: no Python string is made per row.
    fn score<'py>(
        &self,
        py: Python<'py>,
        texts: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        if crate::arrow::is_arrow(texts)? {
            let arrow = crate::arrow::ArrowTexts::new(texts)?;
            let slices = arrow.slices();
            let scores = py
                .detach(|| {
                    self.pool.install(|| {
                        score::score_each(0..slices.len(), &self.targets, |i| Ok(slices[i]))
                    })
                })
                .map_err(score_error)?;
            return Ok(scores.into_pyarray(py));
        }
        let texts = self::texts(texts, "text")?;
        let scores = py
            .detach(|| {
                self.pool.install(|| {
                    score::score_each(0..texts.len(), &self.targets, |i| Ok(texts[i].as_ref()))
                })
            })
            .map_err(score_error)?;
        Ok(scores.into_pyarray(py))
    }

    /// The alignment of every raw JSONL line, its text found by `field` with the CLI's
    /// rules. A line that is not a usable record raises `RecordError` naming its
    /// position in `lines` and the problem.
    #[pyo3(signature = (lines, field = "text"))]
    fn score_lines<'py>(
        &self,
        py: Python<'py>,
        lines: &Bound<'py, PyAny>,
        field: &str,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let lines = texts(lines, "line")?;
        let field = FieldPath::new(field);
        self.score_records(py, lines.len(), &field, |i| lines[i].as_ref())
    }

    /// `score_lines` over lines packed in one buffer: line `i` is
    /// `raw[offsets[i]:offsets[i + 1]]` (the layout of an Arrow binary column).
    #[pyo3(signature = (raw, offsets, field = "text"))]
    fn score_packed<'py>(
        &self,
        py: Python<'py>,
        raw: PyBackedBytes,
        offsets: PyReadonlyArray1<'py, i64>,
        field: &str,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let offsets = offsets.as_slice()?;
        let bounds = |i: usize| -> Option<&[u8]> {
            let (start, end) = (offsets[i], offsets[i + 1]);
            if 0 <= start && start <= end {
                raw.get(start as usize..end as usize)
            } else {
                None
            }
        };
        let count = offsets.len().saturating_sub(1);
        if let Some(i) = (0..count).find(|&i| bounds(i).is_none()) {
            return Err(PyValueError::new_err(format!(
                "offsets {i} and {} do not bound a range of the {} bytes given",
                i + 1,
                raw.len()
            )));
        }
        let field = FieldPath::new(field);
        self.score_records(py, count, &field, |i| bounds(i).unwrap_or_default())
    }

    /// Each target's term `1 - NCD(text, target_j)`, in target order; their mean is
    /// `score([text])[0]` bit for bit.
    fn per_target<'py>(
        &self,
        py: Python<'py>,
        text: &Bound<'py, PyAny>,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let text = self::text(text, "text")?;
        let terms = py.detach(|| Aligner::new(&self.targets).per_target(text.as_ref()));
        Ok(terms.into_pyarray(py))
    }

    /// The number of targets.
    #[getter]
    fn num_targets(&self) -> usize {
        self.targets.len()
    }

    /// The number of threads `score` runs on.
    #[getter]
    fn threads(&self) -> usize {
        self.pool.current_num_threads()
    }

    /// The compressor, as the CLI prints it ("gzip level 9", "lz4").
    #[getter]
    fn compressor(&self) -> String {
        self.targets.method().compressor.to_string()
    }

    fn __repr__(&self) -> String {
        format!(
            "Scorer({} targets, {}, {} threads)",
            self.targets.len(),
            self.targets.method().compressor,
            self.pool.current_num_threads()
        )
    }
}

impl Scorer {
    /// Scores raw JSONL lines `line(i)` for `i` in `0..count`, each text found by `field`,
    /// with the GIL released; a bad line is a `RecordError` naming its position.
    fn score_records<'py, 'a>(
        &self,
        py: Python<'py>,
        count: usize,
        field: &FieldPath,
        line: impl Fn(usize) -> &'a [u8] + Sync,
    ) -> PyResult<Bound<'py, PyArray1<f64>>> {
        let scores = py
            .detach(|| {
                self.pool.install(|| {
                    score::score_each(0..count, &self.targets, |index| {
                        record_text(line(index), field)
                            .map_err(|problem| ScoreError::Text { index, problem })
                    })
                })
            })
            .map_err(score_error)?;
        Ok(scores.into_pyarray(py))
    }
}

/// `C(text)`: the exact compressed length in bytes, as the paper's code computes it
/// (`len(gzip.compress(text, level))`, `len(lz4.frame.compress(text, compression_level=level))`,
/// `len(zstandard.ZstdCompressor(level=level).compress(text))`, `len(brotli.compress(text))`
/// or `len(lzma.compress(text))`).
#[pyfunction]
#[pyo3(signature = (text, compressor = "gzip", level = None))]
pub fn compressed_len(
    text: &Bound<'_, PyAny>,
    compressor: &str,
    level: Option<i32>,
) -> PyResult<u64> {
    let method = method(compressor, level, "model")?;
    let text = self::text(text, "text")?;
    Ok(zipfit_core::compress::Lengths::new(method.compressor, method.backend).len(text.as_ref()))
}

/// `NCD(x, y) = (C(x ++ y) - min(C(x), C(y))) / max(C(x), C(y))`.
#[pyfunction]
#[pyo3(signature = (x, y, compressor = "gzip", level = None))]
pub fn ncd(
    x: &Bound<'_, PyAny>,
    y: &Bound<'_, PyAny>,
    compressor: &str,
    level: Option<i32>,
) -> PyResult<f64> {
    let method = method(compressor, level, "model")?;
    let (x, y) = (text(x, "x")?, text(y, "y")?);
    Ok(explain::pair_lengths(method.compressor, x.as_ref(), y.as_ref()).ncd)
}
