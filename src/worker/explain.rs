//! Why a record scores what it does (each target's term), and the playground's figures
//! for a pair of texts.

use super::target::Target;
use wasm_bindgen::prelude::*;
use zipfit_core::explain;
use zipfit_core::score::Aligner;

use super::runs::KeptRun;
use super::source::Source;
use super::{js_error, to_js};
use crate::protocol::{Explained, Pairing, TargetTerm};

/// Targets whose text comes with a record's explanation: this many best and worst.
const EXPLAINED_TEXTS: usize = 5;

/// Source record `index`'s term `1 - NCD` against each target of `run`, with the texts
/// of the best and worst few for the playground. `target` gives the targets' lines.
pub fn explain(
    source: &Source,
    target: &Target,
    run: &KeptRun,
    index: usize,
) -> Result<Explained, String> {
    let targets = run
        .targets
        .as_ref()
        .ok_or("DSIR compresses nothing: there is no per-target term to show")?;
    let text = source.text(index)?;
    let alignments = Aligner::new(targets).per_target(text.as_bytes());
    let score = alignments.iter().sum::<f64>() / alignments.len() as f64;
    let mut by_alignment: Vec<usize> = (0..alignments.len()).collect();
    by_alignment.sort_by(|&a, &b| alignments[b].total_cmp(&alignments[a]).then(a.cmp(&b)));
    let mut with_text = vec![false; alignments.len()];
    for &j in by_alignment
        .iter()
        .take(EXPLAINED_TEXTS)
        .chain(by_alignment.iter().rev().take(EXPLAINED_TEXTS))
    {
        with_text[j] = true;
    }
    let terms = alignments
        .iter()
        .enumerate()
        .map(|(j, &alignment)| TargetTerm {
            index: j,
            file: target.place(j).0.map(str::to_string),
            line: target.place(j).1,
            alignment,
            text: with_text[j].then(|| String::from_utf8_lossy(targets.text(j)).into_owned()),
        })
        .collect();
    Ok(Explained {
        index,
        score,
        terms,
    })
}

/// The playground's figures for `x` and `y`: exact lengths for every compressor with a
/// parse, and the parse of `x ++ y` by `compressor` at `level` (gzip or LZ4). Needs no
/// session, so the worker answers it between scoring batches.
#[wasm_bindgen]
pub fn pairing(id: u32, x: &str, y: &str, compressor: &str, level: u8) -> Result<JsValue, JsError> {
    let drawn = super::compressor(compressor, level).map_err(js_error)?;
    let (x, y) = (x.as_bytes(), y.as_bytes());
    to_js(&Pairing {
        id,
        lengths: explain::all_compressors()
            .into_iter()
            .map(|c| explain::pair_lengths(c, x, y))
            .collect(),
        drawing: explain::drawing(drawn, x, y)
            .ok_or_else(|| js_error(format!("{drawn} has no parse to draw")))?,
    })
}
