//! Token counters by name, loaded once per process, and counting with them.

use std::sync::{Arc, Mutex};

use numpy::{IntoPyArray, PyArray1};
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use zipfit_core::jsonl::Corpus;
use zipfit_core::tokens::TokenCounter;

/// Counters loaded so far, by spec (and, for a file, its size and modification time, so
/// an edited tokenizer.json is loaded again). Ray actors read chunk after chunk with the
/// same counter; an encoding takes a moment to build.
static LOADED: Mutex<Vec<(String, TokenCounter)>> = Mutex::new(Vec::new());

fn cache_key(spec: &str) -> String {
    match std::fs::metadata(spec) {
        Ok(meta) => format!("{spec}\0{}\0{:?}", meta.len(), meta.modified().ok()),
        Err(_) => spec.to_string(),
    }
}

/// The counter `spec` names: `bytes`, `words`, `cl100k_base`, `o200k_base` or the path of
/// a tokenizer.json; a `ValueError` says what is wrong with it.
pub fn counter(spec: &str) -> PyResult<TokenCounter> {
    let key = cache_key(spec);
    let mut loaded = LOADED.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, counter)) = loaded.iter().find(|(k, _)| *k == key) {
        return Ok(counter.clone());
    }
    let counter =
        TokenCounter::from_spec(spec).map_err(|error| PyValueError::new_err(error.to_string()))?;
    if !counter.is_estimate() {
        loaded.push((key, counter.clone()));
    }
    Ok(counter)
}

/// Every record's tokens by `counter`: the read-time estimates, or the model's counts of
/// all records, in parallel.
pub fn corpus_tokens(corpus: &Corpus, counter: &TokenCounter) -> PyResult<Vec<i64>> {
    if counter.is_estimate() {
        return Ok(corpus.records().iter().map(|r| r.tokens as i64).collect());
    }
    let texts = (0..corpus.len())
        .map(|i| zipfit_core::score::record_text(corpus, i).map_err(|e| e.to_string()))
        .collect::<Result<Vec<String>, String>>()
        .map_err(PyValueError::new_err)?;
    let counts = counter
        .count_all(&texts)
        .map_err(|error| PyValueError::new_err(format!("{}: {error}", corpus.name())))?;
    Ok(counts.into_iter().map(|c| c as i64).collect())
}

/// Tokens of each text by the counter `tokens` names (int64), counted in parallel with
/// the GIL released. A model's count is its library's without added special tokens:
/// `Tokenizer.encode(text, add_special_tokens=False)`, tiktoken's `encode_ordinary`.
#[pyfunction]
#[pyo3(signature = (texts, tokens = "bytes"))]
pub fn count_tokens<'py>(
    py: Python<'py>,
    texts: Vec<String>,
    tokens: &str,
) -> PyResult<Bound<'py, PyArray1<i64>>> {
    let counter = Arc::new(counter(tokens)?);
    let counts = py
        .detach(|| counter.count_all(&texts))
        .map_err(|error| PyValueError::new_err(error.to_string()))?;
    Ok(counts
        .into_iter()
        .map(|c| c as i64)
        .collect::<Vec<i64>>()
        .into_pyarray(py))
}

/// How many records of `order` a budget of `limit` tokens keeps, counting `texts[i]` by
/// the counter `tokens` names only down to the cut (a window of the ranking at a time).
#[pyfunction]
pub fn count_budget(
    py: Python<'_>,
    order: numpy::PyReadonlyArray1<'_, u32>,
    texts: Vec<String>,
    tokens: &str,
    limit: u64,
) -> PyResult<usize> {
    let order = order.as_slice()?;
    if order.len() != texts.len() || order.iter().any(|&i| i as usize >= texts.len()) {
        return Err(PyValueError::new_err(
            "order must be a ranking of the texts (from rank)",
        ));
    }
    let counter = counter(tokens)?;
    let counts = zipfit_core::tokens::TokenCounts::unknown(texts.len());
    py.detach(|| {
        // The byte estimate guesses each count, to size the windows counted.
        let guess = |i: u32| (texts[i as usize].len() as u64).div_ceil(4);
        counts.count_for_budget(order, limit, guess, |missing| {
            let chosen: Vec<&str> = missing
                .iter()
                .map(|&i| texts[i as usize].as_str())
                .collect();
            counter.count_all(&chosen).map_err(|error| {
                let index = missing[error.index] as usize;
                zipfit_core::tokens::CountError { index, ..error }.to_string()
            })
        })
    })
    .map_err(PyValueError::new_err)
}
