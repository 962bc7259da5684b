//! `zipfit compare`: two runs over the same source side by side.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Args;
use zipfit_core::select::{self, Budget};

use crate::args::{BudgetArgs, OnErrorArg};
use crate::input::{read_scores, Files};
use crate::output::{counted, refuse_overwrites, with_tokens, write_records};

#[derive(Args)]
pub struct CompareArgs {
    /// Scores file of run A (written by `zipfit score --scores`).
    pub a: PathBuf,
    /// Scores file of run B, over the same source.
    pub b: PathBuf,
    #[command(flatten)]
    pub budget: BudgetArgs,
    /// The source both runs scored (its files, folders or quoted globs; give them after
    /// A and B): needed for --token-budget, --only-a and --only-b.
    #[arg(short, long, num_args = 1..)]
    pub source: Vec<PathBuf>,
    /// Text field of source records (used for token counts).
    #[arg(short, long, default_value = "text")]
    pub field: String,
    /// Skip bad source lines, as when scoring with `--on-error skip`.
    #[arg(long, value_enum, default_value = "stop")]
    pub on_error: OnErrorArg,
    /// Write the records A keeps and B does not here (best by A first).
    #[arg(long, requires = "source")]
    pub only_a: Option<PathBuf>,
    /// Write the records B keeps and A does not here (best by B first).
    #[arg(long, requires = "source")]
    pub only_b: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: CompareArgs) -> Result<()> {
    let sources = match args.source.is_empty() {
        true => None,
        false => Some(Files::resolve("--source", &args.source, true)?),
    };
    let mut inputs = vec![("A", args.a.as_path()), ("B", args.b.as_path())];
    inputs.extend(sources.iter().flat_map(Files::inputs));
    let mut outputs = Vec::new();
    outputs.extend(args.only_a.as_deref().map(|p| ("--only-a", p)));
    outputs.extend(args.only_b.as_deref().map(|p| ("--only-b", p)));
    refuse_overwrites(&inputs, &outputs)?;
    let (a, b) = (read_scores(&args.a)?, read_scores(&args.b)?);
    if a.len() != b.len() {
        bail!(
            "{} has {} but {} has {}: compare runs over the same source",
            args.a.display(),
            counted(a.len(), "score"),
            args.b.display(),
            counted(b.len(), "score")
        );
    }
    let budget = args.budget.budget();
    let source = match &sources {
        Some(files) => {
            let corpus = files.open(&args.field, args.on_error, &args.budget.tokens, true)?;
            if corpus.len() != a.len() {
                bail!(
                    "{} has {} but the scores files have {}",
                    corpus.name(),
                    counted(corpus.len(), "record"),
                    counted(a.len(), "score")
                );
            }
            Some(corpus)
        }
        None if matches!(budget, Budget::Tokens(_)) => {
            bail!("--token-budget needs --source, for each record's tokens")
        }
        None => None,
    };
    let comparison = match &source {
        Some(corpus) => {
            let (rank_a, rank_b) = (select::rank(&a), select::rank(&b));
            let walks = [(rank_a.as_slice(), budget), (rank_b.as_slice(), budget)];
            with_tokens(corpus, &args.budget.tokens, &walks, |tokens| {
                Ok(zipfit_core::compare::compare(&a, &b, budget, tokens))
            })?
        }
        None => zipfit_core::compare::compare(&a, &b, budget, |_| 0),
    };
    if let Some(source) = &source {
        if let Some(path) = &args.only_a {
            write_records(path, source, &comparison.only_a)?;
        }
        if let Some(path) = &args.only_b {
            write_records(path, source, &comparison.only_b)?;
        }
    }
    let mut out = io::stdout().lock();
    if args.json {
        let json = serde_json::json!({
            "records": comparison.records,
            "spearman": comparison.spearman,
            "budget": budget.to_string(),
            "kept_a": comparison.kept_a,
            "kept_b": comparison.kept_b,
            "kept_both": comparison.kept_both,
            "jaccard": comparison.jaccard(),
        });
        writeln!(out, "{json}")?;
        return Ok(());
    }
    let share = |part: usize, whole: usize| 100.0 * part as f64 / whole.max(1) as f64;
    writeln!(
        out,
        "{} records: Spearman {:.4} between A ({}) and B ({})",
        comparison.records,
        comparison.spearman,
        args.a.display(),
        args.b.display()
    )?;
    writeln!(
        out,
        "kept at {budget}: A {}, B {}, both {} ({:.1}% of A's, {:.1}% of B's; Jaccard {:.4})",
        comparison.kept_a,
        comparison.kept_b,
        comparison.kept_both,
        share(comparison.kept_both, comparison.kept_a),
        share(comparison.kept_both, comparison.kept_b),
        comparison.jaccard()
    )?;
    writeln!(
        out,
        "only A keeps {}; only B keeps {}",
        counted(comparison.only_a.len(), "record"),
        counted(comparison.only_b.len(), "record")
    )?;
    Ok(())
}
