//! Reading inputs: sources and targets through the core's input layer (one or more
//! files, folders or globs, streamed, or standard input), and scores files.

use std::fs::File;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use zipfit_core::export;
use zipfit_core::input::{self, Found, Source};
use zipfit_core::jsonl::{FieldPath, OnError, ReadOptions};
use zipfit_core::tokens::TokenCounter;

use crate::args::OnErrorArg;

/// The files that `paths` name (the core's path rule), each with the flag that named
/// it, or standard input for `-` (copied to a temporary file, since a source is read
/// more than once). Data files a folder held are reported unless `quiet`.
pub struct Files {
    pub flag: &'static str,
    pub found: Vec<Found>,
    /// Standard input's copy, removed when the files are dropped.
    _stdin: Option<tempfile::NamedTempFile>,
}

impl Files {
    pub fn resolve(flag: &'static str, paths: &[PathBuf], quiet: bool) -> Result<Files> {
        if paths.iter().any(|p| p == Path::new("-")) {
            anyhow::ensure!(
                paths.len() == 1,
                "{flag}: standard input (-) cannot be read with other files"
            );
            let mut copy = tempfile::NamedTempFile::new().context("copying standard input")?;
            io::copy(&mut io::stdin().lock(), &mut copy).context("reading standard input")?;
            let found = Found {
                path: copy.path().to_path_buf(),
                name: "<stdin>".to_string(),
                relative: PathBuf::from("stdin.jsonl"),
            };
            return Ok(Files {
                flag,
                found: vec![found],
                _stdin: Some(copy),
            });
        }
        let resolved = input::resolve(paths).with_context(|| flag.to_string())?;
        if !quiet && !resolved.left_out.is_empty() {
            let shown: Vec<String> = resolved
                .left_out
                .iter()
                .take(5)
                .map(|p| p.display().to_string())
                .collect();
            let more = resolved.left_out.len().saturating_sub(shown.len());
            let more = if more > 0 {
                format!(" and {more} more")
            } else {
                String::new()
            };
            eprintln!(
                "zipfit: {flag}: left out files that are not .jsonl, .jsonl.gz or .parquet: {}{more}",
                shown.join(", ")
            );
        }
        Ok(Files {
            flag,
            found: resolved.files,
            _stdin: None,
        })
    }

    /// The files as inputs an output must not land on.
    pub fn inputs(&self) -> Vec<(&'static str, &Path)> {
        self.found
            .iter()
            .filter(|_| self._stdin.is_none())
            .map(|f| (self.flag, f.path.as_path()))
            .collect()
    }

    /// True when the files are standard input's copy.
    pub fn is_stdin(&self) -> bool {
        self._stdin.is_some()
    }

    /// The name a source of these files has in messages.
    pub fn name(&self) -> String {
        match self.found.as_slice() {
            [one] => one.name.clone(),
            many => format!("{} files", many.len()),
        }
    }

    /// Reads the files as one source, reporting skipped lines unless `quiet`.
    pub fn open(
        &self,
        field: &str,
        on_error: OnErrorArg,
        tokens: &TokenCounter,
        quiet: bool,
    ) -> Result<Source> {
        let options = ReadOptions {
            field: FieldPath::new(field),
            on_error: match on_error {
                OnErrorArg::Stop => OnError::Stop,
                OnErrorArg::Skip => OnError::Skip,
            },
            tokens: tokens.read_estimate(),
        };
        let mut report = |file: &input::SourceFile, skipped: &input::Skipped| {
            if !quiet {
                eprintln!(
                    "zipfit: skipped {}: {}",
                    file.place(skipped.line),
                    skipped.problem
                );
            }
        };
        Ok(Source::open(
            &self.name(),
            &self.found,
            &options,
            &mut report,
        )?)
    }
}

/// Every record's text of a (small) source, such as the targets.
pub fn all_texts(source: &Source) -> Result<Vec<String>> {
    let batch = source.batch(0..source.len())?;
    (0..source.len())
        .map(|i| batch.text(i).map_err(anyhow::Error::new))
        .collect()
}

/// A scores file's scores, read a line at a time.
pub fn read_scores(path: &Path) -> Result<Vec<f64>> {
    let file = File::open(path).with_context(|| format!("reading {}", path.display()))?;
    export::read_scores_from(io::BufReader::new(file))
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}
