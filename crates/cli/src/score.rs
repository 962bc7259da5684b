//! `zipfit score`: score every source record against the targets, then optionally
//! select and write records.

use std::io::{self, IsTerminal};
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::Args;
use zipfit_core::checkpoint::{self, Checkpoint};
use zipfit_core::compress::{Backend, Compressor};
use zipfit_core::dsir;
use zipfit_core::input::Source;
use zipfit_core::score::{self, Method, Targets};
use zipfit_core::select::Budget;
use zipfit_core::stability::{self, Folds};

use crate::args::{CompressorName, FileArgs, OnErrorArg, SelectionArgs};
use crate::input::{all_texts, Files};
use crate::output::{
    counted, make_shard_folders, refuse_overwrites, shard_paths, with_tokens, write_file,
    write_outputs,
};

#[derive(Args)]
pub struct ScoreArgs {
    #[command(flatten)]
    pub files: FileArgs,
    /// Compressor defining C(s).
    #[arg(short, long, value_enum, default_value = "gzip")]
    pub compressor: CompressorName,
    /// Compression level, as the paper's code passes it: gzip 1-9 (default 9); LZ4 0-12
    /// (default 0, its fastest); zstd -7 to -1 and 1-22 (default 3); brotli 11; lzma 6.
    #[arg(short, long, allow_negative_numbers = true)]
    pub level: Option<i32>,
    /// `model`: exact reference lengths; `crate`: miniz_oxide / lz4_flex (cross-checks).
    #[arg(long, default_value = "model")]
    pub backend: Backend,
    /// Worker threads; 0 means every core [default: every core].
    #[arg(short = 'j', long)]
    pub threads: Option<usize>,
    /// What to do with a bad source or target line.
    #[arg(long, value_enum, default_value = "stop")]
    pub on_error: OnErrorArg,
    /// Write skipped (unusable) source lines here, byte for byte.
    #[arg(long)]
    pub skipped: Option<PathBuf>,
    /// Write scores as JSONL, one object per source record in source order.
    #[arg(long)]
    pub scores: Option<PathBuf>,
    /// Write scores as CSV (index,line,score,rank).
    #[arg(long)]
    pub scores_csv: Option<PathBuf>,
    #[command(flatten)]
    pub selection: SelectionArgs,
    /// Also show how much the selection depends on which targets were used: the targets
    /// are split into seeded folds, and the kept sets of two disjoint halves, and the
    /// ranking from more and more folds, are compared at the budget (top 10% when none is
    /// given). Printed on stderr; also written as JSON to FILE when given.
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub stability: Option<Option<PathBuf>>,
    /// Do not show progress or the summary.
    #[arg(short, long)]
    pub quiet: bool,
    /// Continue a run that was killed: its finished batches are kept in a checkpoint
    /// beside the first output file (`OUTPUT.zipfit-checkpoint`, removed when the run
    /// completes), and only the rest is scored; the outputs equal an uninterrupted run's.
    /// Without --resume an old checkpoint is left alone and reported. For gzip and LZ4
    /// runs without --stability.
    #[arg(long)]
    pub resume: bool,
}

pub fn run(args: ScoreArgs) -> Result<()> {
    let compressor = args.compressor.with_level(args.level)?;
    let sources = Files::resolve("--source", &args.files.source, args.quiet)?;
    let target_files = Files::resolve("--target", &args.files.target, args.quiet)?;
    let shards = match &args.selection.out_dir {
        Some(dir) => shard_paths(dir, &sources.found),
        None => Vec::new(),
    };
    let mut outputs = args.selection.outputs();
    for (flag, path) in [
        ("--skipped", &args.skipped),
        ("--scores", &args.scores),
        ("--scores-csv", &args.scores_csv),
    ] {
        outputs.extend(path.as_deref().map(|p| (flag, p)));
    }
    if let Some(Some(path)) = &args.stability {
        outputs.push(("--stability", path));
    }
    // The checkpoint goes beside the first output file, or beside the output folder.
    let first_output = outputs
        .iter()
        .map(|&(_, p)| p)
        .find(|p| *p != Path::new("-"))
        .or(args.selection.out_dir.as_deref());
    outputs.extend(shards.iter().map(|p| ("--out-dir", p.as_path())));
    let mut inputs = sources.inputs();
    inputs.extend(target_files.inputs());
    refuse_overwrites(&inputs, &outputs)?;
    let (mut checkpoint, done) =
        open_checkpoint(&args, &sources, &target_files, first_output, compressor)?;
    let tokens = &args.selection.budget.tokens;
    let source = sources.open(&args.files.field, args.on_error, tokens, args.quiet)?;
    args.selection
        .check_one_file(&source, args.skipped.as_deref())?;
    let target_field = args
        .files
        .target_field
        .as_deref()
        .unwrap_or(&args.files.field);
    let target = target_files.open(target_field, args.on_error, tokens, args.quiet)?;
    if let Some(path) = &args.skipped {
        let mut unreadable = 0;
        write_file(path, |out| {
            unreadable = source.write_skipped(out).map_err(io::Error::other)?;
            Ok(())
        })?;
        if unreadable > 0 {
            eprintln!(
                "zipfit: {} of row groups that could not be read are not in {} (they cannot be read back)",
                counted(unreadable, "row"),
                path.display()
            );
        }
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("starting worker threads")?;
    if done.len() > source.len() {
        bail!(
            "the checkpoint holds {} scores but {} has {}: remove it to start again",
            done.len(),
            source.name(),
            counted(source.len(), "record")
        );
    }
    let scores = match compressor {
        Some(compressor) => {
            let kept = Kept {
                checkpoint: &mut checkpoint,
                done,
            };
            score_compressed(&args, &source, &target, compressor, &pool, kept)?
        }
        None if args.stability.is_some() => {
            bail!("--stability splits the targets' NCD terms; DSIR has none (use a compressor)")
        }
        None => score_dsir(&args, &source, &target, &pool)?,
    };
    make_shard_folders(&shards)?;
    write_outputs(
        &source,
        &scores,
        args.scores.as_deref(),
        args.scores_csv.as_deref(),
        &args.selection,
        &shards,
        args.quiet,
    )?;
    source.check_unchanged()?;
    // Every output is written: the finished work is no longer needed.
    if let Some(checkpoint) = checkpoint {
        checkpoint.remove().context("removing the checkpoint")?;
    }
    Ok(())
}

/// The finished work a run starts from, and where it keeps what it finishes.
struct Kept<'a> {
    checkpoint: &'a mut Option<Checkpoint>,
    done: Vec<f64>,
}

/// What makes a run the same run: its inputs and its method. A one-file source or
/// target is named as before files could be many, so older checkpoints still match.
fn run_identity(
    args: &ScoreArgs,
    sources: &Files,
    targets: &Files,
    compressor: Compressor,
) -> Result<checkpoint::Run> {
    let mut run = Vec::new();
    for (role, files) in [("source", sources), ("target", targets)] {
        for found in &files.found {
            let identity = checkpoint::file_identity(&found.path)
                .with_context(|| format!("reading {}", found.name))?;
            let key = match files.found.len() {
                1 => role.to_string(),
                _ => format!("{role} {}", found.name),
            };
            run.push((key, identity));
        }
    }
    run.extend([
        ("field".to_string(), args.files.field.clone()),
        (
            "target field".to_string(),
            args.files.target_field.clone().unwrap_or_default(),
        ),
        ("on error".to_string(), format!("{:?}", args.on_error)),
        (
            "method".to_string(),
            format!("{compressor} ({:?})", args.backend),
        ),
    ]);
    Ok(run)
}

/// The checkpoint this run keeps its finished batches in (beside `first_output`), and
/// the scores it already holds with --resume.
fn open_checkpoint(
    args: &ScoreArgs,
    sources: &Files,
    targets: &Files,
    first_output: Option<&Path>,
    compressor: Option<Compressor>,
) -> Result<(Option<Checkpoint>, Vec<f64>)> {
    let compressor = match (compressor, first_output) {
        (Some(c), Some(_)) if args.stability.is_none() && !sources.is_stdin() => c,
        _ if args.resume => bail!(
            "--resume needs a gzip or LZ4 run without --stability, a source file and an output \
             file (the checkpoint is kept beside the first)"
        ),
        _ => return Ok((None, Vec::new())),
    };
    let path = Checkpoint::path_for(first_output.expect("checked above"));
    let run = run_identity(args, sources, targets, compressor)?;
    match (path.exists(), args.resume) {
        (true, false) => {
            eprintln!(
                "zipfit: {} holds the finished work of an interrupted run; it is left alone \
                 (add --resume to continue it)",
                path.display()
            );
            Ok((None, Vec::new()))
        }
        (true, true) => {
            let (checkpoint, done) = Checkpoint::resume(&path, &run)?;
            if !args.quiet {
                eprintln!(
                    "zipfit: resuming from {}: {} already scored",
                    path.display(),
                    counted(done.len(), "record")
                );
            }
            Ok((Some(checkpoint), done))
        }
        (false, resume) => {
            if resume && !args.quiet {
                eprintln!(
                    "zipfit: no checkpoint at {}; scoring from the start",
                    path.display()
                );
            }
            Ok((Some(Checkpoint::create(&path, &run)?), Vec::new()))
        }
    }
}

/// Scores with DSIR's hashed n-gram weights (fitting on the whole source first).
fn score_dsir(
    args: &ScoreArgs,
    source: &Source,
    target: &Source,
    pool: &rayon::ThreadPool,
) -> Result<Vec<f64>> {
    let started = Instant::now();
    let texts = all_texts(target)?;
    let scores = pool.install(|| dsir::score_corpus(source, &texts))?;
    if !args.quiet {
        eprintln!(
            "zipfit: scored {} against {} with DSIR's hashed n-grams in {:.2} s ({})",
            counted(source.len(), "record"),
            counted(texts.len(), "target"),
            started.elapsed().as_secs_f64(),
            counted(pool.current_num_threads(), "thread")
        );
    }
    Ok(scores)
}

/// Scores by compression alignment, showing progress on a terminal.
fn score_compressed(
    args: &ScoreArgs,
    source: &Source,
    target: &Source,
    compressor: Compressor,
    pool: &rayon::ThreadPool,
    kept: Kept<'_>,
) -> Result<Vec<f64>> {
    let started = Instant::now();
    let show_progress = !args.quiet && io::stderr().is_terminal();
    let method = Method {
        compressor,
        backend: args.backend,
    };
    let targets = Targets::new(all_texts(target)?, method);
    let pairs_per_record = targets.len() as f64;
    let mut progress = |done: usize, total: usize| {
        if show_progress {
            let rate = done as f64 * pairs_per_record / started.elapsed().as_secs_f64();
            let left = (total - done) as f64 * pairs_per_record / rate;
            eprint!("\rscoring {done}/{total} records, {rate:.0} pairs/s, {left:.0} s left   ");
        }
    };
    let never = AtomicBool::new(false);
    let (scores, folds) = match &args.stability {
        None => {
            let Kept { checkpoint, done } = kept;
            let mut keep = |start: usize, scores: &[f64]| match checkpoint.as_mut() {
                Some(checkpoint) => checkpoint.add(start, scores),
                None => Ok(()),
            };
            let scores = pool.install(|| {
                score::score_corpus_from(source, &targets, done, &mut keep, &mut progress, &never)
            })?;
            (scores, None)
        }
        Some(_) => {
            let split = Folds::new(targets.len(), stability::SEED);
            let (scores, sums) = pool.install(|| {
                score::score_corpus_folds(source, &targets, &split, &mut progress, &never)
            })?;
            (scores, Some((split, sums)))
        }
    };
    let seconds = started.elapsed().as_secs_f64();
    if show_progress {
        eprint!("\r\x1b[K");
    }
    if !args.quiet {
        let pairs = source.len() as f64 * pairs_per_record;
        eprintln!(
            "zipfit: scored {} against {} with {} in {seconds:.2} s ({:.0} pairs/s, {})",
            counted(source.len(), "record"),
            counted(targets.len(), "target"),
            compressor,
            pairs / seconds,
            counted(pool.current_num_threads(), "thread")
        );
    }
    if let (Some(json), Some((split, sums))) = (&args.stability, folds) {
        let budget = match args.selection.budget.budget() {
            Budget::All => Budget::Percent(10.0),
            budget => budget,
        };
        let counter = &args.selection.budget.tokens;
        let order = zipfit_core::select::rank(&scores);
        let walks = [(order.as_slice(), budget)];
        let report = with_tokens(source, counter, &walks, |tokens| {
            Ok(stability::report(&scores, &sums, &split, budget, tokens)?)
        })?;
        print_stability(&report);
        if let Some(path) = json {
            write_file(path, |out| {
                serde_json::to_writer(&mut *out, &report)?;
                writeln!(out)
            })?;
        }
    }
    Ok(scores)
}

/// The stability figures, as a short table on stderr.
fn print_stability(report: &stability::Report) {
    let h = &report.halves;
    eprintln!(
        "zipfit: stability over {} in {} folds (seed {:#x}), kept sets at {}:",
        counted(report.targets, "target"),
        report.folds.len(),
        report.seed,
        report.budget
    );
    eprintln!(
        "  halves of the targets ({} and {}): Spearman {:.4}; kept {} and {}, both {} (Jaccard {:.4})",
        report.half_targets[0],
        report.half_targets[1],
        h.spearman,
        h.kept_a,
        h.kept_b,
        h.kept_both,
        h.jaccard
    );
    eprintln!("  targets used   Spearman to the full ranking   kept set overlap (Jaccard)");
    for step in &report.convergence {
        eprintln!(
            "  {:>12}   {:>28.4}   {:>26.4}",
            step.targets, step.agreement.spearman, step.agreement.jaccard
        );
    }
}
