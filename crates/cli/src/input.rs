//! Reading inputs: a JSONL file (or standard input) as a corpus, a scores file.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use anyhow::{Context, Result};
use zipfit_core::export;
use zipfit_core::jsonl::{Corpus, FieldPath, OnError, ReadOptions};
use zipfit_core::tokens::TokenCounter;

use crate::args::OnErrorArg;

pub fn read_input(path: &Path) -> Result<Vec<u8>> {
    let mut bytes = Vec::new();
    if path == Path::new("-") {
        io::stdin()
            .read_to_end(&mut bytes)
            .context("reading standard input")?;
    } else {
        File::open(path)
            .and_then(|mut f| f.read_to_end(&mut bytes))
            .with_context(|| format!("reading {}", path.display()))?;
    }
    Ok(bytes)
}

pub fn read_corpus(
    path: &Path,
    field: &str,
    on_error: OnErrorArg,
    tokens: &TokenCounter,
    quiet: bool,
) -> Result<Corpus> {
    let name = if path == Path::new("-") {
        "<stdin>".to_string()
    } else {
        path.display().to_string()
    };
    let options = ReadOptions {
        field: FieldPath::new(field),
        on_error: match on_error {
            OnErrorArg::Stop => OnError::Stop,
            OnErrorArg::Skip => OnError::Skip,
        },
        tokens: tokens.read_estimate(),
    };
    let corpus = Corpus::from_bytes(&name, read_input(path)?, &options)?;
    if !quiet {
        for issue in corpus.issues() {
            eprintln!(
                "zipfit: skipped {}: {}",
                corpus.place(issue.line),
                issue.problem
            );
        }
    }
    Ok(corpus)
}

pub fn read_scores(path: &Path) -> Result<Vec<f64>> {
    export::read_scores_jsonl(&read_input(path)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}
