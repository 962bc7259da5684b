//! Writing outputs: files (or standard output) written whole, and what a selection
//! writes (`score` and `select` share it).

use std::io::{self, BufWriter, Write};
use std::path::Path;

use anyhow::{Context, Result};
use zipfit_core::jsonl::Corpus;
use zipfit_core::select::Budget;
use zipfit_core::tokens::{RecordTokens, TokenCounter};
use zipfit_core::{dedup, export, score, select};

use crate::args::SelectionArgs;

/// `n` with its noun, singular for one: "1 record", "200 records".
pub fn counted(n: usize, noun: &str) -> String {
    let plural = if n == 1 { "" } else { "s" };
    format!("{n} {noun}{plural}")
}

/// "1,000 tokens by cl100k_base", or "about 1,000 tokens (bytes / 4)" for an estimate.
pub fn tokens_by(tokens: u64, counter: &TokenCounter) -> String {
    let tokens = counted(tokens as usize, "token");
    if counter.is_estimate() {
        format!("about {tokens} ({counter})")
    } else {
        format!("{tokens} by {counter}")
    }
}

/// Refuses to start when an output would overwrite an input or another output (the
/// same file under any spelling, a link included), before anything is read or written.
pub fn refuse_overwrites(inputs: &[(&str, &Path)], outputs: &[(&str, &Path)]) -> Result<()> {
    zipfit_core::outputs::check(inputs, outputs).map_err(anyhow::Error::new)
}

/// Writes `path` with `write`: standard output for `-`, else the file whole or not at
/// all (under a temporary name, renamed once complete).
pub fn write_file(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    if path == Path::new("-") {
        let mut out = BufWriter::new(io::stdout().lock());
        return write(&mut out)
            .and_then(|()| out.flush())
            .context("writing standard output");
    }
    zipfit_core::outputs::write_whole(path, write)
        .with_context(|| format!("writing {}", path.display()))
}

/// Calls `f` with `tokens(i)`, every record of `source`'s tokens by `counter`, having
/// counted ahead what each `(order, budget)` walk needs (a model counts only those; an
/// estimate is known for all). A record's text that cannot be counted fails the call.
pub fn with_tokens<R>(
    source: &Corpus,
    counter: &TokenCounter,
    walks: &[(&[u32], Budget)],
    f: impl FnOnce(&dyn Fn(usize) -> u64) -> Result<R>,
) -> Result<R> {
    let records = source.records();
    let counts = counter.initial_counts(records.iter().map(|r| r.tokens));
    let texts = |indices: &[u32]| -> Result<Vec<String>, String> {
        indices
            .iter()
            .map(|&i| score::record_text(source, i as usize).map_err(|e| e.to_string()))
            .collect()
    };
    // The byte estimate guesses each count, to size the windows a model counts.
    let guess = |i: u32| records[i as usize].tokens as u64;
    RecordTokens::new(counter, &counts, &texts, &guess)
        .run(walks, f)
        .map_err(anyhow::Error::msg)?
}

pub fn write_outputs(
    source: &Corpus,
    scores: &[f64],
    scores_jsonl: Option<&Path>,
    scores_csv: Option<&Path>,
    selection: &SelectionArgs,
    quiet: bool,
) -> Result<()> {
    let order = select::rank(scores);
    let ranks = select::ranks(&order);
    if let Some(path) = scores_jsonl {
        write_file(path, |out| {
            export::write_scores_jsonl(source, scores, &ranks, out)
        })?;
    }
    if let Some(path) = scores_csv {
        write_file(path, |out| {
            export::write_scores_csv(source, scores, &ranks, out)
        })?;
    }
    if !selection.wants_output() {
        return Ok(());
    }
    let budget = selection.budget.budget();
    let counter = &selection.budget.tokens;
    let walks = [(order.as_slice(), budget)];
    let (best_first, duplicates, kept_tokens) = with_tokens(source, counter, &walks, |tokens| {
        let (best_first, duplicates) = match selection.dedup {
            None => {
                let count = select::select(&order, scores, budget, tokens);
                (order[..count].to_vec(), Vec::new())
            }
            Some(threshold) => {
                let diverse = dedup::select(&order, scores, budget, threshold, tokens, |i| {
                    score::record_text(source, i)
                })?;
                (diverse.kept, diverse.duplicates)
            }
        };
        let kept_tokens: u64 = best_first.iter().map(|&i| tokens(i as usize)).sum();
        Ok((best_first, duplicates, kept_tokens))
    })?;
    if let Some(path) = &selection.output {
        let kept = export::kept_in(&best_first, selection.order);
        write_file(path, |out| export::write_lines(source, &kept, out))?;
    }
    if let Some(path) = &selection.rejected {
        let rejected = export::not_kept(source.len(), &best_first);
        write_file(path, |out| export::write_lines(source, &rejected, out))?;
    }
    if let Some(path) = &selection.duplicates {
        write_file(path, |out| {
            export::write_duplicates_jsonl(source, &duplicates, out)
        })?;
    }
    if !quiet {
        let left_out = match selection.dedup {
            Some(t) => format!(
                "; left out {} as near-duplicates (similarity >= {t})",
                counted(duplicates.len(), "record")
            ),
            None => String::new(),
        };
        eprintln!(
            "zipfit: kept {} of {} ({budget}), {}{left_out}",
            best_first.len(),
            counted(source.len(), "record"),
            tokens_by(kept_tokens, counter)
        );
    }
    Ok(())
}
