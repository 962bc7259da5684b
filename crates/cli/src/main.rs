//! `zipfit`: ZIP-FIT data selection from the command line.
//!
//! A thin shell over `zipfit-core`: it reads files, reports progress and errors, and
//! writes what the core produces.

use std::fs::File;
use std::io::{self, BufWriter, IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Args, Parser, Subcommand, ValueEnum};
use zipfit_core::compress::{Backend, Compressor, Origin};
use zipfit_core::export::{self, Order};
use zipfit_core::jsonl::{Corpus, FieldPath, OnError, ReadOptions};
use zipfit_core::score::{self, Method, Targets};
use zipfit_core::select::{self, Budget};
use zipfit_core::stability::{self, Folds};
use zipfit_core::tokens::TokenEstimate;
use zipfit_core::{dedup, dsir, explain};

const FIDELITY: &str = "\
Fidelity: with the default backend (model), C(s) equals the paper's reference exactly:
len(gzip.compress(s, L)) of Python's zlib 1.2.13 at every level 1-9, and
len(lz4.frame.compress(s)) of liblz4 1.9.4, so scores rank like the reference with
Spearman 1.0 (tests/fidelity). The `crate` backend (miniz_oxide, lz4_flex) ranks
differently; see README.md for its measured Spearman per level.

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
    Score(ScoreArgs),
    /// Select records using a scores file written earlier by `zipfit score`.
    Select(SelectArgs),
    /// Show why one record scores what it does: its alignment with each target, and the
    /// spans of a target that the compressor copied from it.
    Explain(ExplainArgs),
    /// Compare two runs over the same source: Spearman's rank correlation of their scores,
    /// and how much their kept sets share at a budget.
    Compare(CompareArgs),
}

#[derive(Clone, Copy, ValueEnum)]
enum CompressorName {
    /// gzip, as Python's gzip.compress (the paper's default)
    Gzip,
    /// LZ4 frame at its fastest level (the paper's best setting)
    Lz4,
    /// Not a compressor: DSIR's hashed n-gram importance weights, a baseline
    Dsir,
}

#[derive(Clone, Copy, ValueEnum)]
enum OnErrorArg {
    /// Stop at the first bad line
    Stop,
    /// Skip bad lines, reporting each (write them with --skipped)
    Skip,
}

#[derive(Args)]
struct ScoreArgs {
    /// Source JSONL (.jsonl or .jsonl.gz); `-` reads standard input.
    #[arg(short, long)]
    source: PathBuf,
    /// Target JSONL (.jsonl or .jsonl.gz).
    #[arg(short, long)]
    target: PathBuf,
    /// Text field of source records: a name, a dotted path (meta.body), or a chat-message array.
    #[arg(short, long, default_value = "text")]
    field: String,
    /// Text field of target records [default: same as --field].
    #[arg(long)]
    target_field: Option<String>,
    /// Compressor defining C(s).
    #[arg(short, long, value_enum, default_value = "gzip")]
    compressor: CompressorName,
    /// gzip level, 1-9 (9 is Python's default).
    #[arg(short, long, default_value_t = 9, value_parser = clap::value_parser!(u8).range(1..=9))]
    level: u8,
    /// `model`: exact reference lengths; `crate`: miniz_oxide / lz4_flex (cross-checks).
    #[arg(long, default_value = "model")]
    backend: Backend,
    /// Worker threads [default: all cores].
    #[arg(short = 'j', long)]
    threads: Option<usize>,
    /// What to do with a bad source or target line.
    #[arg(long, value_enum, default_value = "stop")]
    on_error: OnErrorArg,
    /// Write skipped (unusable) source lines here, byte for byte.
    #[arg(long)]
    skipped: Option<PathBuf>,
    /// Write scores as JSONL, one object per source record in source order.
    #[arg(long)]
    scores: Option<PathBuf>,
    /// Write scores as CSV (index,line,score,rank).
    #[arg(long)]
    scores_csv: Option<PathBuf>,
    #[command(flatten)]
    selection: SelectionArgs,
    /// Also show how much the selection depends on which targets were used: the targets
    /// are split into seeded folds, and the kept sets of two disjoint halves, and the
    /// ranking from more and more folds, are compared at the budget (top 10% when none is
    /// given). Printed on stderr; also written as JSON to FILE when given.
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    stability: Option<Option<PathBuf>>,
    /// Do not show progress or the summary.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct SelectArgs {
    /// Source JSONL that was scored.
    #[arg(short, long)]
    source: PathBuf,
    /// Scores JSONL written by `zipfit score --scores`.
    #[arg(long)]
    scores: PathBuf,
    /// Text field of source records (used for token estimates).
    #[arg(short, long, default_value = "text")]
    field: String,
    /// Skip bad source lines, as when scoring with `--on-error skip`.
    #[arg(long, value_enum, default_value = "stop")]
    on_error: OnErrorArg,
    #[command(flatten)]
    selection: SelectionArgs,
    /// Do not show the summary.
    #[arg(short, long)]
    quiet: bool,
}

#[derive(Args)]
struct ExplainArgs {
    /// Source JSONL (.jsonl or .jsonl.gz).
    #[arg(short, long)]
    source: PathBuf,
    /// Target JSONL (.jsonl or .jsonl.gz).
    #[arg(short, long)]
    target: PathBuf,
    /// The record: its `index` in the scores file (0-based among usable records).
    #[arg(short, long, value_name = "N")]
    record: usize,
    /// Text field of source records: a name, a dotted path, or a chat-message array.
    #[arg(short, long, default_value = "text")]
    field: String,
    /// Text field of target records [default: same as --field].
    #[arg(long)]
    target_field: Option<String>,
    /// Compressor defining C(s).
    #[arg(short, long, value_enum, default_value = "gzip")]
    compressor: CompressorName,
    /// gzip level, 1-9.
    #[arg(short, long, default_value_t = 9, value_parser = clap::value_parser!(u8).range(1..=9))]
    level: u8,
    /// Skip bad lines (as `zipfit score --on-error skip`, so indexes match its scores file).
    #[arg(long, value_enum, default_value = "stop")]
    on_error: OnErrorArg,
    /// Show the spans copied from this target (its 0-based index) [default: the best-aligned].
    #[arg(long, value_name = "J")]
    with_target: Option<usize>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct CompareArgs {
    /// Scores file of run A (written by `zipfit score --scores`).
    a: PathBuf,
    /// Scores file of run B, over the same source.
    b: PathBuf,
    #[command(flatten)]
    budget: BudgetArgs,
    /// The source both runs scored: needed for --token-budget, --only-a and --only-b.
    #[arg(short, long)]
    source: Option<PathBuf>,
    /// Text field of source records (used for token estimates).
    #[arg(short, long, default_value = "text")]
    field: String,
    /// Skip bad source lines, as when scoring with `--on-error skip`.
    #[arg(long, value_enum, default_value = "stop")]
    on_error: OnErrorArg,
    /// Write the records A keeps and B does not here (best by A first).
    #[arg(long, requires = "source")]
    only_a: Option<PathBuf>,
    /// Write the records B keeps and A does not here (best by B first).
    #[arg(long, requires = "source")]
    only_b: Option<PathBuf>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Args)]
struct BudgetArgs {
    /// Keep the top N records.
    #[arg(long, group = "budget", value_name = "N")]
    top: Option<usize>,
    /// Keep the top P percent of records.
    #[arg(long, group = "budget", value_name = "P")]
    top_percent: Option<f64>,
    /// Keep top records up to this many estimated tokens in total.
    #[arg(long, group = "budget", value_name = "TOKENS")]
    token_budget: Option<u64>,
    /// Keep records scoring above S (the paper used 0.1, 0.2, 0.3).
    #[arg(long, group = "budget", value_name = "S")]
    threshold: Option<f64>,
    /// Token estimate for --token-budget: `bytes` (UTF-8 bytes / 4) or `words`.
    #[arg(long, default_value = "bytes")]
    tokens: TokenEstimate,
}

#[derive(Args)]
struct SelectionArgs {
    #[command(flatten)]
    budget: BudgetArgs,
    /// Write the kept records here, as their original lines; `-` writes standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Order of kept records: `rank` (best first) or `input` (as in the source).
    #[arg(long, default_value = "rank")]
    order: Order,
    /// Write the records that were not kept here, in input order.
    #[arg(long)]
    rejected: Option<PathBuf>,
    /// Keep a diverse set: walking the ranking, leave out a record whose estimated Jaccard
    /// similarity of word 3-shingles (MinHash) with a record already kept is at least T
    /// [default T: 0.8]; the budget is then met from further down.
    #[arg(long, value_name = "T", num_args = 0..=1, default_missing_value = "0.8",
          value_parser = similarity_threshold)]
    dedup: Option<f64>,
    /// With --dedup: write each record left out, with the kept record it duplicates, here
    /// (JSONL: index, line, duplicate_of, duplicate_of_line, similarity).
    #[arg(long, requires = "dedup")]
    duplicates: Option<PathBuf>,
}

fn similarity_threshold(raw: &str) -> Result<f64, String> {
    match raw.parse::<f64>() {
        Ok(t) if t > 0.0 && t <= 1.0 => Ok(t),
        _ => Err(format!("{raw} is not a similarity in (0, 1]")),
    }
}

impl BudgetArgs {
    fn budget(&self) -> Budget {
        if let Some(n) = self.top {
            Budget::Count(n)
        } else if let Some(p) = self.top_percent {
            Budget::Percent(p)
        } else if let Some(t) = self.token_budget {
            Budget::Tokens(t)
        } else if let Some(s) = self.threshold {
            Budget::Threshold(s)
        } else {
            Budget::All
        }
    }
}

impl SelectionArgs {
    fn wants_output(&self) -> bool {
        self.output.is_some() || self.rejected.is_some() || self.duplicates.is_some()
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Score(args) => run_score(args),
        Command::Select(args) => run_select(args),
        Command::Explain(args) => run_explain(args),
        Command::Compare(args) => run_compare(args),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("zipfit: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// `n` with its noun, singular for one: "1 record", "200 records".
fn counted(n: usize, noun: &str) -> String {
    let plural = if n == 1 { "" } else { "s" };
    format!("{n} {noun}{plural}")
}

fn read_input(path: &Path) -> Result<Vec<u8>> {
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

fn read_corpus(
    path: &Path,
    field: &str,
    on_error: OnErrorArg,
    tokens: TokenEstimate,
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
        tokens,
    };
    let corpus = Corpus::from_bytes(&name, read_input(path)?, &options)?;
    if !quiet {
        for issue in corpus.issues() {
            eprintln!("zipfit: skipped {name}:{}: {}", issue.line, issue.problem);
        }
    }
    Ok(corpus)
}

fn create(path: &Path) -> Result<Box<dyn Write>> {
    if path == Path::new("-") {
        return Ok(Box::new(BufWriter::new(io::stdout().lock())));
    }
    let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
    Ok(Box::new(BufWriter::new(file)))
}

fn write_file(path: &Path, write: impl FnOnce(&mut dyn Write) -> io::Result<()>) -> Result<()> {
    let mut out = create(path)?;
    write(&mut out)
        .and_then(|()| out.flush())
        .with_context(|| format!("writing {}", path.display()))
}

impl CompressorName {
    /// The compressor, or `None` for the DSIR baseline, which compresses nothing.
    fn with_level(self, level: u8) -> Option<Compressor> {
        match self {
            CompressorName::Gzip => Some(Compressor::Gzip { level }),
            CompressorName::Lz4 => Some(Compressor::Lz4),
            CompressorName::Dsir => None,
        }
    }
}

fn run_score(args: ScoreArgs) -> Result<()> {
    let compressor = args.compressor.with_level(args.level);
    let tokens = args.selection.budget.tokens;
    let source = read_corpus(&args.source, &args.field, args.on_error, tokens, args.quiet)?;
    let target_field = args.target_field.as_deref().unwrap_or(&args.field);
    let target = read_corpus(
        &args.target,
        target_field,
        args.on_error,
        tokens,
        args.quiet,
    )?;
    if let Some(path) = &args.skipped {
        write_file(path, |out| export::write_skipped(&source, out))?;
    }

    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        .build()
        .context("starting worker threads")?;
    let scores = match compressor {
        Some(compressor) => score_compressed(&args, &source, &target, compressor, &pool)?,
        None if args.stability.is_some() => {
            bail!("--stability splits the targets' NCD terms; DSIR has none (use gzip or lz4)")
        }
        None => score_dsir(&args, &source, &target, &pool)?,
    };
    write_outputs(
        &source,
        &scores,
        args.scores.as_deref(),
        args.scores_csv.as_deref(),
        &args.selection,
        args.quiet,
    )
}

/// Scores with DSIR's hashed n-gram weights (fitting on the whole source first).
fn score_dsir(
    args: &ScoreArgs,
    source: &Corpus,
    target: &Corpus,
    pool: &rayon::ThreadPool,
) -> Result<Vec<f64>> {
    let started = Instant::now();
    let texts = target.texts()?;
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
    source: &Corpus,
    target: &Corpus,
    compressor: Compressor,
    pool: &rayon::ThreadPool,
) -> Result<Vec<f64>> {
    let started = Instant::now();
    let show_progress = !args.quiet && io::stderr().is_terminal();
    let method = Method {
        compressor,
        backend: args.backend,
    };
    let targets = Targets::new(target.texts()?, method);
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
        None => (
            pool.install(|| score::score_corpus(source, &targets, &mut progress, &never))?,
            None,
        ),
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
        let records = source.records();
        let report =
            stability::report(&scores, &sums, &split, budget, |i| records[i].tokens as u64)?;
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

fn run_select(args: SelectArgs) -> Result<()> {
    let source = read_corpus(
        &args.source,
        &args.field,
        args.on_error,
        args.selection.budget.tokens,
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

fn write_outputs(
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
    let records = source.records();
    let tokens = |i: usize| records[i].tokens as u64;
    let (best_first, duplicates) = match selection.dedup {
        None => {
            let count = select::select(&order, scores, budget, tokens);
            (order[..count].to_vec(), Vec::new())
        }
        Some(threshold) => {
            let diverse = dedup::select(&order, scores, budget, threshold, tokens, |i| {
                source.text(i).map_err(|problem| {
                    anyhow::anyhow!("{}:{}: {problem}", source.name(), records[i].line)
                })
            })?;
            (diverse.kept, diverse.duplicates)
        }
    };
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
        let kept_tokens: u64 = best_first.iter().map(|&i| tokens(i as usize)).sum();
        let left_out = match selection.dedup {
            Some(t) => format!(
                "; left out {} as near-duplicates (similarity >= {t})",
                counted(duplicates.len(), "record")
            ),
            None => String::new(),
        };
        eprintln!(
            "zipfit: kept {} of {} ({budget}), about {}{left_out}",
            best_first.len(),
            counted(source.len(), "record"),
            counted(kept_tokens as usize, "token")
        );
    }
    Ok(())
}

fn run_explain(args: ExplainArgs) -> Result<()> {
    let Some(compressor) = args.compressor.with_level(args.level) else {
        bail!("explain shows what a compressor copied; DSIR compresses nothing (use gzip or lz4)");
    };
    let tokens = TokenEstimate::Bytes;
    let source = read_corpus(&args.source, &args.field, args.on_error, tokens, true)?;
    let target_field = args.target_field.as_deref().unwrap_or(&args.field);
    let target = read_corpus(&args.target, target_field, args.on_error, tokens, true)?;
    if args.record >= source.len() {
        bail!(
            "--record {}: {} has {} (indexes 0 to {})",
            args.record,
            source.name(),
            counted(source.len(), "record"),
            source.len().saturating_sub(1)
        );
    }
    let line = source.records()[args.record].line;
    let text = source
        .text(args.record)
        .map_err(|problem| anyhow::anyhow!("{}:{line}: {problem}", source.name()))?;
    let targets = Targets::new(
        target.texts()?,
        Method {
            compressor,
            backend: Backend::Model,
        },
    );
    if targets.is_empty() {
        bail!("{}: no target records", target.name());
    }
    let mut aligner = score::Aligner::new(&targets);
    let terms = aligner.per_target(text.as_bytes());
    let score = terms.iter().sum::<f64>() / terms.len() as f64;
    let by_alignment = {
        let mut order: Vec<usize> = (0..terms.len()).collect();
        order.sort_by(|&a, &b| terms[b].total_cmp(&terms[a]).then(a.cmp(&b)));
        order
    };
    let shown = args.with_target.unwrap_or(by_alignment[0]);
    if shown >= targets.len() {
        bail!(
            "--with-target {shown}: there are {}",
            counted(targets.len(), "target")
        );
    }
    let y = targets.text(shown);
    let drawing = explain::drawing(compressor, text.as_bytes(), y);
    let target_line = |j: usize| target.records()[j].line;
    let x_len = drawing.x_len;
    let spans: Vec<(usize, usize, usize, usize)> = drawing
        .copies_from_x()
        .map(|p| match p.origin {
            Origin::Other { from, distance } => (p.start - x_len, from, p.len, distance),
            _ => unreachable!("copies_from_x yields copies from x"),
        })
        .collect();

    let mut out = io::stdout().lock();
    if args.json {
        let json = serde_json::json!({
            "record": { "index": args.record, "line": line, "score": score },
            "compressor": compressor.to_string(),
            "targets": terms.iter().enumerate().map(|(j, &alignment)| serde_json::json!({
                "index": j, "line": target_line(j), "alignment": alignment,
            })).collect::<Vec<_>>(),
            "spans": {
                "target": shown,
                "target_bytes": drawing.y_len,
                "copied_bytes": drawing.y_from_x,
                "copies": spans.iter().map(|&(at, from, len, distance)| serde_json::json!({
                    "target_start": at, "record_start": from, "len": len, "distance": distance,
                })).collect::<Vec<_>>(),
            },
        });
        writeln!(out, "{json}")?;
        return Ok(());
    }
    writeln!(
        out,
        "record {} ({}:{line}) with {compressor}: score {score} = mean over {} of 1 - NCD(record, target)\n",
        args.record,
        source.name(),
        counted(terms.len(), "target")
    )?;
    writeln!(out, "{:>6} {:>8} {:>10}", "target", "line", "1 - NCD")?;
    let (low, high) = terms
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), &t| {
            (l.min(t), h.max(t))
        });
    for &j in &by_alignment {
        let share = if high > low {
            (terms[j] - low) / (high - low)
        } else {
            1.0
        };
        let bar = "#".repeat(1 + (share * 29.0).round() as usize);
        writeln!(
            out,
            "{j:>6} {:>8} {:>10.6}  {bar}",
            target_line(j),
            terms[j]
        )?;
    }
    let percent = 100.0 * drawing.y_from_x as f64 / drawing.y_len.max(1) as f64;
    writeln!(
        out,
        "\nIn C(record ++ target {shown}), {} of the target's {} bytes ({percent:.0}%) are copies from the record:",
        drawing.y_from_x,
        drawing.y_len
    )?;
    let joined = [text.as_bytes(), y].concat();
    for (at, from, len, distance) in spans {
        let bytes = &joined[x_len + at..x_len + at + len];
        writeln!(
            out,
            "  target {at}..{} <- record {from}..{} ({len} bytes, distance {distance}): {:?}",
            at + len,
            from + len,
            String::from_utf8_lossy(bytes)
        )?;
    }
    Ok(())
}

fn read_scores(path: &Path) -> Result<Vec<f64>> {
    export::read_scores_jsonl(&read_input(path)?)
        .map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}

fn run_compare(args: CompareArgs) -> Result<()> {
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
    let source = match &args.source {
        Some(path) => {
            let corpus = read_corpus(path, &args.field, args.on_error, args.budget.tokens, true)?;
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
            bail!("--token-budget needs --source, for each record's token estimate")
        }
        None => None,
    };
    let comparison = zipfit_core::compare::compare(&a, &b, budget, |i| {
        source.as_ref().map_or(0, |s| s.records()[i].tokens as u64)
    });
    if let Some(source) = &source {
        if let Some(path) = &args.only_a {
            write_file(path, |out| {
                export::write_lines(source, &comparison.only_a, out)
            })?;
        }
        if let Some(path) = &args.only_b {
            write_file(path, |out| {
                export::write_lines(source, &comparison.only_b, out)
            })?;
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
