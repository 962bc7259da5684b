//! `zipfit select`: select records with a scores file written earlier.

use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Args;

use crate::args::{OnErrorArg, SelectionArgs};
use crate::input::{read_scores, Files};
use crate::output::{make_shard_folders, refuse_overwrites, shard_paths, write_outputs};

#[derive(Args)]
pub struct SelectArgs {
    /// The source that was scored: its files, folders or quoted globs, as given to
    /// `zipfit score` (the same files are read in the same order).
    #[arg(short, long, num_args = 1.., required = true)]
    pub source: Vec<PathBuf>,
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
    let sources = Files::resolve("--source", &args.source, args.quiet)?;
    let shards = match &args.selection.out_dir {
        Some(dir) => shard_paths(dir, &sources.found),
        None => Vec::new(),
    };
    let mut outputs = args.selection.outputs();
    outputs.extend(shards.iter().map(|p| ("--out-dir", p.as_path())));
    let mut inputs = sources.inputs();
    inputs.push(("--scores", &args.scores));
    refuse_overwrites(&inputs, &outputs)?;
    if !args.selection.wants_output() {
        bail!("nothing to write: give --output, --rejected or --out-dir");
    }
    let source = sources.open(
        &args.field,
        args.on_error,
        &args.selection.budget.tokens,
        args.quiet,
    )?;
    args.selection.check_one_file(&source, None)?;
    let scores = read_scores(&args.scores)?;
    if scores.len() != source.len() {
        bail!(
            "{} has {} scores but {} has {} records",
            args.scores.display(),
            scores.len(),
            source.name(),
            source.len()
        );
    }
    make_shard_folders(&shards)?;
    write_outputs(
        &source,
        &scores,
        None,
        None,
        &args.selection,
        &shards,
        args.quiet,
    )
}
