//! Writing outputs: files (or standard output) written whole, and what a selection
//! writes (`score` and `select` share it).

use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use zipfit_core::input::Source;
use zipfit_core::select::Budget;
use zipfit_core::tokens::{RecordTokens, TokenCounter};
use zipfit_core::{dedup, export, select};

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
    source: &Source,
    counter: &TokenCounter,
    walks: &[(&[u32], Budget)],
    f: impl FnOnce(&dyn Fn(usize) -> u64) -> Result<R>,
) -> Result<R> {
    let estimates = source.tokens();
    if counter.is_estimate() {
        // The counts are the estimates read with the source: no copy of them.
        return f(&|i| estimates[i] as u64);
    }
    let counts = counter.initial_counts(estimates.iter().copied());
    let texts = |indices: &[u32]| source.texts_of(indices).map_err(|e| e.to_string());
    // The byte estimate guesses each count, to size the windows a model counts.
    let guess = |i: u32| estimates[i as usize] as u64;
    RecordTokens::new(counter, &counts, &texts, &guess)
        .run(walks, f)
        .map_err(anyhow::Error::msg)?
}

/// Writes the records `indices` of `source` (in that order) to `path` as one file.
pub fn write_records(path: &Path, source: &Source, indices: &[u32]) -> Result<()> {
    write_file(path, |out| {
        source.write_records(indices, out).map_err(io::Error::other)
    })
}

/// Where `--out-dir DIR` writes the shard of each source file: its name below the folder
/// it was found in (a `.jsonl.gz` shard's kept lines are written uncompressed, without
/// `.gz`).
pub fn shard_paths(dir: &Path, source_files: &[zipfit_core::input::Found]) -> Vec<PathBuf> {
    source_files
        .iter()
        .map(|f| {
            let relative = f.relative.to_string_lossy();
            dir.join(relative.strip_suffix(".gz").unwrap_or(&relative))
        })
        .collect()
}

/// Makes the folders `--out-dir` shards go in; two source files that would write the
/// same shard are refused.
pub fn make_shard_folders(shards: &[PathBuf]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for path in shards {
        if !seen.insert(path) {
            anyhow::bail!(
                "--out-dir: two source files would both be written to {}; give folders whose \
                 files have different names",
                path.display()
            );
        }
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent)
                .with_context(|| format!("making {}", parent.display()))?;
        }
    }
    Ok(())
}

pub fn write_outputs(
    source: &Source,
    scores: &[f64],
    scores_jsonl: Option<&Path>,
    scores_csv: Option<&Path>,
    selection: &SelectionArgs,
    shards: &[PathBuf],
    quiet: bool,
) -> Result<()> {
    if scores_jsonl.is_some() || scores_csv.is_some() {
        // The ranking is made again below rather than held beside every rank: per record,
        // memory holds the source's columns, the scores and one of the two.
        let ranks = select::into_ranks(select::rank(scores));
        if let Some(path) = scores_jsonl {
            write_file(path, |out| {
                export::write_source_scores_jsonl(source, scores, &ranks, out)
            })?;
        }
        if let Some(path) = scores_csv {
            write_file(path, |out| {
                export::write_source_scores_csv(source, scores, &ranks, out)
            })?;
        }
    }
    if !selection.wants_output() {
        return Ok(());
    }
    let order = select::rank(scores);
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
                let diverse =
                    dedup::select_batched(&order, scores, budget, threshold, tokens, |batch| {
                        source.texts_of(batch)
                    })?;
                (diverse.kept, diverse.duplicates)
            }
        };
        let kept_tokens: u64 = best_first.iter().map(|&i| tokens(i as usize)).sum();
        Ok((best_first, duplicates, kept_tokens))
    })?;
    drop(order);
    if let Some(path) = &selection.output {
        write_records(path, source, &export::kept_in(&best_first, selection.order))?;
    }
    if let Some(path) = &selection.rejected {
        write_records(path, source, &export::not_kept(source.len(), &best_first))?;
    }
    if !shards.is_empty() {
        let in_input_order = export::kept_in(&best_first, export::Order::Input);
        let mut at = 0;
        for (f, (file, path)) in source.files().iter().zip(shards).enumerate() {
            let end = file.records().end as u32;
            let mine = &in_input_order[at..];
            let mine = &mine[..mine.partition_point(|&i| i < end)];
            write_file(path, |out| {
                source
                    .write_file_records(f, mine, out)
                    .map_err(io::Error::other)
            })?;
            at += mine.len();
        }
    }
    if let Some(path) = &selection.duplicates {
        write_file(path, |out| {
            for d in &duplicates {
                let line = |i: u32| source.line(i as usize);
                export::write_duplicate(out, d, line(d.index), line(d.of))?;
            }
            Ok(())
        })?;
    }
    source.check_unchanged()?;
    if !quiet {
        let left_out = match selection.dedup {
            Some(t) => format!(
                "; left out {} as near-duplicates (similarity >= {t})",
                counted(duplicates.len(), "record")
            ),
            None => String::new(),
        };
        // A threshold that keeps nothing says where the scores are.
        let range = match (budget, best_first.len()) {
            (Budget::Threshold(_), 0) => select::scores_range(scores.iter().copied())
                .map_or(String::new(), |(low, high)| {
                    format!("; the scores lie in [{low}, {high}]")
                }),
            _ => String::new(),
        };
        eprintln!(
            "zipfit: kept {} of {} ({budget}), {}{left_out}{range}",
            best_first.len(),
            counted(source.len(), "record"),
            tokens_by(kept_tokens, counter)
        );
    }
    Ok(())
}
