//! Ranking, budgets and the scores file, by the core's rules.

use numpy::{IntoPyArray, PyArray1, PyReadonlyArray1};
use pyo3::exceptions::{PyIOError, PyValueError};
use pyo3::prelude::*;
use zipfit_core::export;
use zipfit_core::select::{self, Budget};

/// Record indices by descending score, equal scores in input order (uint32).
#[pyfunction]
pub fn rank<'py>(
    py: Python<'py>,
    scores: PyReadonlyArray1<'py, f64>,
) -> PyResult<Bound<'py, PyArray1<u32>>> {
    let scores = scores.as_slice()?;
    if scores.len() > u32::MAX as usize {
        return Err(PyValueError::new_err("more than 2^32 - 1 scores"));
    }
    Ok(py.detach(|| select::rank(scores)).into_pyarray(py))
}

/// How many records of `order` (from `rank`) the budget keeps. `kind` is `all`,
/// `count`, `percent`, `tokens` or `threshold`; `tokens` holds each record's estimate
/// (needed for a token budget).
/// The value of a budget of `kind` (`count`, `percent`, `tokens` or `threshold`) from the
/// text given, by the core's one rule for what a budget may be; `ValueError` naming the
/// value and the range otherwise.
#[pyfunction]
pub fn parse_budget(kind: &str, text: &str) -> PyResult<f64> {
    let budget =
        Budget::parse(kind, text).map_err(|error| PyValueError::new_err(error.to_string()))?;
    Ok(match budget {
        Budget::All => 0.0,
        Budget::Count(n) => n as f64,
        Budget::Percent(p) => p,
        Budget::Tokens(t) => t as f64,
        Budget::Threshold(s) => s,
    })
}

#[pyfunction]
#[pyo3(signature = (order, scores, kind, value = 0.0, tokens = None))]
pub fn select_count(
    order: PyReadonlyArray1<'_, u32>,
    scores: PyReadonlyArray1<'_, f64>,
    kind: &str,
    value: f64,
    tokens: Option<PyReadonlyArray1<'_, i64>>,
) -> PyResult<usize> {
    let (order, scores) = (order.as_slice()?, scores.as_slice()?);
    if order.len() != scores.len() || order.iter().any(|&i| i as usize >= scores.len()) {
        return Err(PyValueError::new_err(
            "order must be a ranking of the scores (from rank)",
        ));
    }
    // The core's one rule for what a budget may be (`select::BudgetError`).
    if !["all", "count", "percent", "tokens", "threshold"].contains(&kind) {
        return Err(PyValueError::new_err(format!(
            "unknown budget '{kind}' (expected all, count, percent, tokens or threshold)"
        )));
    }
    let budget = Budget::parse(kind, &value.to_string())
        .map_err(|error| PyValueError::new_err(error.to_string()))?;
    let tokens = match (&tokens, budget) {
        (Some(t), _) => {
            let t = t.as_slice()?;
            if t.len() != scores.len() {
                return Err(PyValueError::new_err(
                    "tokens must have one estimate per score",
                ));
            }
            Some(t)
        }
        (None, Budget::Tokens(_)) => {
            return Err(PyValueError::new_err("a token budget needs tokens"))
        }
        (None, _) => None,
    };
    Ok(select::select(order, scores, budget, |i| {
        tokens.map_or(0, |t| t[i].max(0) as u64)
    }))
}

/// Writes the scores file: one JSON object per record in input order,
/// `{"index", "line", "score", "rank"}` as `zipfit score --scores` writes it, or with
/// `"file"` after `"index"` when `file_names` (indexed by `files`) is given.
#[pyfunction]
#[pyo3(signature = (path, scores, ranks, lines, files = None, file_names = None))]
pub fn write_scores_jsonl(
    py: Python<'_>,
    path: &str,
    scores: PyReadonlyArray1<'_, f64>,
    ranks: PyReadonlyArray1<'_, u32>,
    lines: PyReadonlyArray1<'_, i64>,
    files: Option<PyReadonlyArray1<'_, i64>>,
    file_names: Option<Vec<String>>,
) -> PyResult<()> {
    let (scores, ranks, lines) = (scores.as_slice()?, ranks.as_slice()?, lines.as_slice()?);
    if ranks.len() != scores.len() || lines.len() != scores.len() {
        return Err(PyValueError::new_err(
            "scores, ranks and lines must have the same length",
        ));
    }
    if let Some(names) = &file_names {
        let inputs: Vec<(&str, &std::path::Path)> = names
            .iter()
            .map(|p| ("a source", std::path::Path::new(p)))
            .collect();
        zipfit_core::outputs::check(&inputs, &[("the scores file", std::path::Path::new(path))])
            .map_err(|error| PyValueError::new_err(error.to_string()))?;
    }
    let named = match (&files, &file_names) {
        (Some(files), Some(names)) => {
            let files = files.as_slice()?;
            if files.len() != scores.len()
                || files.iter().any(|&f| f < 0 || f as usize >= names.len())
            {
                return Err(PyValueError::new_err(
                    "files must give each record's index in file_names",
                ));
            }
            Some((files, names))
        }
        (None, None) => None,
        _ => {
            return Err(PyValueError::new_err(
                "give both files and file_names, or neither",
            ))
        }
    };
    let io = |e: std::io::Error| PyIOError::new_err(format!("writing {path}: {e}"));
    py.detach(|| {
        zipfit_core::outputs::write_whole(std::path::Path::new(path), |out| {
            for i in 0..scores.len() {
                let line = lines[i].max(0) as u64;
                match named {
                    Some((files, names)) => export::write_score_jsonl_in_file(
                        out,
                        i,
                        &names[files[i] as usize],
                        line,
                        scores[i],
                        ranks[i],
                    ),
                    None => export::write_score_jsonl(out, i, line, scores[i], ranks[i]),
                }?;
            }
            Ok(())
        })
        .map_err(io)
    })
}
