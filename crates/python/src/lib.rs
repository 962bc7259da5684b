//! `zipfit._zipfit`: the core's scoring, record reading and selection for Python.
//!
//! A thin shell: every rule (compressed lengths, field paths, bad lines, token
//! estimates, ranking, budgets, output lines) is the core's, so a score computed here
//! equals the CLI's and the page's bit for bit. Long calls release the GIL.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use zipfit_core::compress::{Backend, Compressor};
use zipfit_core::score::Method;

mod arrow;
mod read;
mod scorer;
mod select;
mod tokens;

create_exception!(
    zipfit,
    RecordError,
    PyValueError,
    "A record that cannot be used: its message names the file and line (or the position \
     in the batch) and the problem."
);

/// The method named by Python's arguments (`level` `None` for the compressor's
/// default), or a `ValueError` naming what is wrong.
fn method(compressor: &str, level: Option<i32>, backend: &str) -> PyResult<Method> {
    let compressor = Compressor::named(compressor, level).map_err(PyValueError::new_err)?;
    let backend: Backend = backend.parse().map_err(PyValueError::new_err)?;
    Ok(Method {
        compressor,
        backend,
    })
}

#[pymodule]
fn _zipfit(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add("RecordError", m.py().get_type::<RecordError>())?;
    m.add_class::<scorer::Scorer>()?;
    m.add_function(wrap_pyfunction!(scorer::compressed_len, m)?)?;
    m.add_function(wrap_pyfunction!(scorer::ncd, m)?)?;
    m.add_class::<read::JsonlChunks>()?;
    m.add_function(wrap_pyfunction!(read::read_jsonl, m)?)?;
    m.add_function(wrap_pyfunction!(read::read_parquet, m)?)?;
    m.add_function(wrap_pyfunction!(read::record_text, m)?)?;
    m.add_function(wrap_pyfunction!(read::copy_lines, m)?)?;
    m.add_function(wrap_pyfunction!(read::write_parquet_rows, m)?)?;
    m.add_function(wrap_pyfunction!(select::parse_budget, m)?)?;
    m.add_function(wrap_pyfunction!(read::source_files, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::count_tokens, m)?)?;
    m.add_function(wrap_pyfunction!(tokens::count_budget, m)?)?;
    m.add_function(wrap_pyfunction!(select::rank, m)?)?;
    m.add_function(wrap_pyfunction!(select::select_count, m)?)?;
    m.add_function(wrap_pyfunction!(select::write_scores_jsonl, m)?)?;
    Ok(())
}
