//! `zipfit`: ZIP-FIT data selection from the command line.
//!
//! A thin shell over `zipfit-core`: it reads files, reports progress and errors, and
//! writes what the core produces. This file only parses the command line and
//! dispatches: each subcommand is a module (`score`, `select`, `explain`, `compare`,
//! `sweep`), beside the arguments they share (`args`), reading (`input`) and writing
//! (`output`).

mod args;
mod compare;
mod explain;
mod input;
mod output;
mod score;
mod select;
mod sweep;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

const FIDELITY: &str = "\
Fidelity: with the default backend (model), C(s) equals the paper's reference exactly:
len(gzip.compress(s, L)) of Python's zlib 1.2.13 at every level 1-9, and
len(lz4.frame.compress(s, compression_level=L)) of liblz4 1.9.4 at every level 0-12,
so scores rank like the reference with Spearman 1.0 (tests/fidelity). zstd, brotli and
lzma run the C libraries of zstandard 0.25.0, brotli 1.2.1 and Python's lzma, with equal
lengths. The `crate` backend (miniz_oxide, lz4_flex, for gzip and LZ4 levels 0-2; the
others run their C library either way) ranks differently; see docs/benchmarks.md.

Exit status: 0 on success, 1 on bad input or an I/O error, 2 on bad usage.";

#[derive(Parser)]
#[command(name = "zipfit", version, about = "ZIP-FIT data selection: rank records by compression alignment with a target set", after_help = FIDELITY)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Score every source record against the targets, then optionally select and write records.
    Score(score::ScoreArgs),
    /// Select records using a scores file written earlier by `zipfit score`.
    Select(select::SelectArgs),
    /// Show why one record scores what it does: its alignment with each target, and the
    /// spans of a target that the compressor copied from it.
    Explain(explain::ExplainArgs),
    /// Compare two runs over the same source: Spearman's rank correlation of their scores,
    /// and how much their kept sets share at a budget.
    Compare(compare::CompareArgs),
    /// Score at several compression levels (the paper's Figure 8) and show how much the
    /// level changes the selection: Spearman and kept-set overlap between every two runs.
    Sweep(sweep::SweepArgs),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Score(args) => score::run(args),
        Command::Select(args) => select::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Compare(args) => compare::run(args),
        Command::Sweep(args) => sweep::run(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if err.is::<args::UsageError>() => {
            eprintln!("error: {err}\n\nFor more information, try '--help'.");
            ExitCode::from(2)
        }
        Err(err) => {
            eprintln!("zipfit: {err:#}");
            ExitCode::FAILURE
        }
    }
}
