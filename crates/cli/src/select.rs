//! `zipfit select`: select records with a scores file written earlier.

use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Args;
use zipfit_core::export;

use crate::args::{OnErrorArg, SelectionArgs};
use crate::input::{read_corpus, read_input};
use crate::output::{refuse_overwrites, write_outputs};

#[derive(Args)]
pub struct SelectArgs {
    /// Source JSONL that was scored.
    #[arg(short, long)]
    pub source: PathBuf,
    /// Scores JSONL written by `zipfit score --scores`.
    #[arg(long)]
    pub scores: PathBuf,
    /// Text field of source records (used for token counts).
    #[arg(short, long, default_value = "text")]
    pub field: String,
    /// Skip bad source lines, as when scoring with `--on-error skip`.
    #[arg(long, value_enum, default_value = "stop")]
    pub on_error: OnErrorArg,
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Do not show the summary.
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(args: SelectArgs) -> Result<()> {
    refuse_overwrites(
        &[("--source", &args.source), ("--scores", &args.scores)],
        &args.selection.outputs(),
    )?;
    let source = read_corpus(
        &args.source,
        &args.field,
        args.on_error,
        &args.selection.budget.tokens,
        args.quiet,
    )?;
    let scores = export::read_scores_jsonl(&read_input(&args.scores)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.scores.display()))?;
    if scores.len() != source.len() {
        bail!(
            "{} has {} scores but {} has {} records",
            args.scores.display(),
            scores.len(),
            source.name(),
            source.len()
        );
    }
    if !args.selection.wants_output() {
        bail!("nothing to write: give --output and/or --rejected");
    }
    write_outputs(&source, &scores, None, None, &args.selection, args.quiet)
}
