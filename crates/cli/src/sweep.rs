//! `zipfit sweep`: one run per compression level (the paper's Figure 8) over the same
//! files, and how much the level changes the selection: Spearman's rank correlation and
//! the kept sets' overlap between every pair of runs.

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use zipfit_core::compare::{self, Matrix};
use zipfit_core::compress::{self, Backend, Compressor};
use zipfit_core::export;
use zipfit_core::score::{self, Method, Targets};
use zipfit_core::select;

use crate::args::{BudgetArgs, FileArgs, OnErrorArg, UsageError};
use crate::input::{all_texts, Files};
use crate::output::{counted, refuse_overwrites, with_tokens, write_file};

#[derive(Args)]
pub struct SweepArgs {
    #[command(flatten)]
    pub files: FileArgs,
    /// Compressors to sweep (gzip, lz4, zstd, brotli, lzma), comma-separated; NAME:LEVEL
    /// scores that one level (`-c gzip:9,lz4:0,zstd:3`).
    #[arg(short, long, value_delimiter = ',', default_value = "gzip")]
    pub compressor: Vec<String>,
    /// Levels to score each compressor at, comma-separated [default: every level: gzip
    /// 1-9, lz4 0-12, zstd 1-19, brotli 11, lzma 6].
    #[arg(short, long, value_delimiter = ',', allow_negative_numbers = true)]
    pub levels: Vec<i32>,
    /// How much each run keeps, for the overlap of kept sets [default: --top-percent 10].
    #[command(flatten)]
    pub budget: BudgetArgs,
    /// Skip bad lines, reporting each.
    #[arg(long, value_enum, default_value = "stop")]
    pub on_error: OnErrorArg,
    /// Write each run's scores into this folder (made if missing), as `zipfit score
    /// --scores` does, one file per run (scores-gzip-9.jsonl, ...).
    #[arg(long, value_name = "DIR")]
    pub scores_dir: Option<PathBuf>,
    /// Worker threads; 0 means every core [default: every core].
    #[arg(short = 'j', long)]
    pub threads: Option<usize>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
    /// No progress on standard error.
    #[arg(short, long)]
    pub quiet: bool,
}

/// One run of the sweep: the compressor as asked for, and what it scored.
struct Run {
    label: String,
    compressor: Compressor,
    seconds: f64,
    scores: Vec<f64>,
}

/// The (label, compressor) of every run asked for, in order, each refused level named.
fn runs_asked(args: &SweepArgs) -> Result<Vec<(String, Compressor)>, UsageError> {
    let mut asked = Vec::new();
    for spec in &args.compressor {
        let (name, levels) = match spec.split_once(':') {
            Some((name, level)) => {
                let level = level
                    .parse()
                    .map_err(|_| UsageError(format!("-c {spec}: '{level}' is not a level")))?;
                (name, vec![level])
            }
            None if args.levels.is_empty() => (
                spec.as_str(),
                compress::sweep_levels(spec).map_err(UsageError)?,
            ),
            None => (spec.as_str(), args.levels.clone()),
        };
        for level in levels {
            let compressor = Compressor::named(name, Some(level)).map_err(UsageError)?;
            asked.push((format!("{name} {level}"), compressor));
        }
    }
    if asked.len() < 2 {
        return Err(UsageError(
            "a sweep compares runs: ask for two levels or more".into(),
        ));
    }
    Ok(asked)
}

pub fn run(args: SweepArgs) -> Result<()> {
    let asked = runs_asked(&args)?;
    let scores_file =
        |dir: &Path, label: &str| dir.join(format!("scores-{}.jsonl", label.replace(' ', "-")));
    let mut outputs: Vec<PathBuf> = Vec::new();
    if let Some(dir) = &args.scores_dir {
        for (label, _) in &asked {
            let path = scores_file(dir, label);
            if !outputs.contains(&path) {
                outputs.push(path);
            }
        }
    }
    let named: Vec<(&str, &Path)> = outputs
        .iter()
        .map(|p| ("--scores-dir", p.as_path()))
        .collect();
    let sources = Files::resolve("--source", &args.files.source, args.quiet)?;
    let target_files = Files::resolve("--target", &args.files.target, args.quiet)?;
    let mut inputs = sources.inputs();
    inputs.extend(target_files.inputs());
    refuse_overwrites(&inputs, &named)?;
    let tokens = &args.budget.tokens;
    let source = sources.open(&args.files.field, args.on_error, tokens, args.quiet)?;
    let target_field = args
        .files
        .target_field
        .as_deref()
        .unwrap_or(&args.files.field);
    let target = target_files.open(target_field, args.on_error, tokens, args.quiet)?;
    let texts = all_texts(&target)?;
    if texts.is_empty() {
        bail!("{}: no target records", target.name());
    }
    let mut builder = rayon::ThreadPoolBuilder::new();
    if let Some(n) = args.threads {
        builder = builder.num_threads(n);
    }
    let pool = builder.build()?;
    let show_progress = !args.quiet && io::stderr().is_terminal();
    let never = AtomicBool::new(false);

    let mut runs: Vec<Run> = Vec::new();
    for (label, compressor) in asked {
        // A compressor asked for again, or LZ4's levels 0-2 (one compressor): scored once.
        if let Some(same) = runs.iter().find(|r| r.compressor == compressor) {
            let (seconds, scores) = (same.seconds, same.scores.clone());
            runs.push(Run {
                label,
                compressor,
                seconds,
                scores,
            });
            continue;
        }
        let method = Method {
            compressor,
            backend: Backend::Model,
        };
        let targets = Targets::new(texts.clone(), method);
        let started = Instant::now();
        let mut progress = |done: usize, total: usize| {
            if show_progress {
                eprint!("\r{label}: {done}/{total} records   ");
            }
        };
        let scores =
            pool.install(|| score::score_corpus(&source, &targets, &mut progress, &never))?;
        let seconds = started.elapsed().as_secs_f64();
        if show_progress {
            eprintln!();
        }
        if !args.quiet {
            let rate = (source.len() * targets.len()) as f64 / seconds;
            eprintln!("zipfit: {label} ({compressor}) scored in {seconds:.1} s, {rate:.0} pairs/s");
        }
        runs.push(Run {
            label,
            compressor,
            seconds,
            scores,
        });
    }

    if let Some(dir) = &args.scores_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("making {}", dir.display()))?;
        let mut written: Vec<PathBuf> = Vec::new();
        for run in &runs {
            let path = scores_file(dir, &run.label);
            if written.contains(&path) {
                continue;
            }
            let ranks = select::ranks(&select::rank(&run.scores));
            write_file(&path, |out| {
                export::write_source_scores_jsonl(&source, &run.scores, &ranks, out)
            })?;
            written.push(path);
        }
    }
    // Every run keeps every record unless told otherwise, which compares nothing: the
    // page's default, the top 10 %, instead.
    let budget = match args.budget.budget() {
        select::Budget::All => select::Budget::Percent(10.0),
        budget => budget,
    };
    let orders: Vec<Vec<u32>> = runs.iter().map(|r| select::rank(&r.scores)).collect();
    let walks: Vec<(&[u32], select::Budget)> =
        orders.iter().map(|o| (o.as_slice(), budget)).collect();
    let views: Vec<&[f64]> = runs.iter().map(|r| r.scores.as_slice()).collect();
    let matrix = with_tokens(&source, tokens, &walks, |tokens| {
        Ok(compare::matrix(&views, budget, tokens))
    })?;
    let mut out = io::stdout().lock();
    if args.json {
        print_json(&mut out, &runs, &matrix, budget, texts.len())
    } else {
        print_text(&mut out, &runs, &matrix, budget, texts.len())
    }
}

fn print_json(
    out: &mut dyn Write,
    runs: &[Run],
    matrix: &Matrix,
    budget: select::Budget,
    targets: usize,
) -> Result<()> {
    let json = serde_json::json!({
        "records": matrix.records,
        "targets": targets,
        "budget": budget.to_string(),
        "runs": runs.iter().zip(&matrix.kept).map(|(run, kept)| serde_json::json!({
            "label": run.label,
            "compressor": run.compressor.to_string(),
            "kept": kept,
            "seconds": run.seconds,
        })).collect::<Vec<_>>(),
        "spearman": matrix.spearman,
        "kept_both": matrix.kept_both,
        "jaccard": matrix.jaccards(),
    });
    writeln!(out, "{json}")?;
    Ok(())
}

fn print_text(
    out: &mut dyn Write,
    runs: &[Run],
    matrix: &Matrix,
    budget: select::Budget,
    targets: usize,
) -> Result<()> {
    let width = runs.iter().map(|r| r.label.len()).max().unwrap_or(0).max(8);
    writeln!(
        out,
        "{} runs over {} and {}, kept at {budget}:\n",
        runs.len(),
        counted(matrix.records, "record"),
        counted(targets, "target")
    )?;
    writeln!(out, "{:<width$} {:>10} {:>9}", "run", "kept", "seconds")?;
    for (run, kept) in runs.iter().zip(&matrix.kept) {
        writeln!(out, "{:<width$} {kept:>10} {:>9.1}", run.label, run.seconds)?;
    }
    let table = |out: &mut dyn Write, title: &str, cell: &dyn Fn(usize, usize) -> String| {
        writeln!(out, "\n{title}")?;
        write!(out, "{:<width$}", "")?;
        for run in runs {
            write!(out, " {:>width$}", run.label)?;
        }
        writeln!(out)?;
        for (i, run) in runs.iter().enumerate() {
            write!(out, "{:<width$}", run.label)?;
            for j in 0..runs.len() {
                write!(out, " {:>width$}", cell(i, j))?;
            }
            writeln!(out)?;
        }
        io::Result::Ok(())
    };
    table(out, "Spearman's rank correlation of the scores", &|i, j| {
        format!("{:.4}", matrix.spearman[i][j])
    })?;
    table(
        out,
        "Kept by both, as a share of the row's kept records",
        &|i, j| {
            let share = 100.0 * matrix.kept_both[i][j] as f64 / matrix.kept[i].max(1) as f64;
            format!("{share:.1}%")
        },
    )?;
    Ok(())
}
