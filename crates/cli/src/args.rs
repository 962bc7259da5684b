//! Arguments several subcommands share: the compressor, the error policy, the budget
//! and what a selection writes.

use std::path::PathBuf;

use clap::{Args, ValueEnum};
use zipfit_core::compress::Compressor;
use zipfit_core::export::Order;
use zipfit_core::select::{self, Budget};
use zipfit_core::tokens::TokenCounter;

#[derive(Clone, Copy, ValueEnum)]
pub enum CompressorName {
    /// gzip, as Python's gzip.compress (the paper's default)
    Gzip,
    /// LZ4 frame, as lz4.frame.compress (level 0, its fastest, is the paper's best setting)
    Lz4,
    /// zstd frame, as zstandard.ZstdCompressor(level).compress
    Zstd,
    /// brotli at quality 11, as brotli.compress
    Brotli,
    /// .xz at preset 6, as lzma.compress
    Lzma,
    /// Not a compressor: DSIR's hashed n-gram importance weights, a baseline
    Dsir,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum OnErrorArg {
    /// Stop at the first bad line
    Stop,
    /// Skip bad lines, reporting each (write them with --skipped)
    Skip,
}

impl CompressorName {
    /// The compressor at `level` (`None` for its default), or `None` for the DSIR
    /// baseline, which compresses nothing. A level the compressor cannot honour exactly
    /// is refused (`zipfit_core::compress::Compressor::named`), never scored at another.
    pub fn with_level(self, level: Option<i32>) -> Result<Option<Compressor>, UsageError> {
        let name = match self {
            CompressorName::Gzip => "gzip",
            CompressorName::Lz4 => "lz4",
            CompressorName::Zstd => "zstd",
            CompressorName::Brotli => "brotli",
            CompressorName::Lzma => "lzma",
            CompressorName::Dsir if level.is_some() => {
                return Err(UsageError(
                    "DSIR compresses nothing, so it takes no --level".into(),
                ))
            }
            CompressorName::Dsir => return Ok(None),
        };
        Compressor::named(name, level).map(Some).map_err(UsageError)
    }
}

/// Arguments that parse but do not go together: the command exits with status 2, as
/// for any other usage error.
#[derive(Debug)]
pub struct UsageError(pub String);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for UsageError {}

/// The source and target files, and the field holding each record's text.
#[derive(Args)]
pub struct FileArgs {
    /// Source: one or more JSONL, .jsonl.gz or Parquet files (each read by its content),
    /// folders (their *.jsonl, *.jsonl.gz and *.parquet, recursively) or quoted globs,
    /// read as one source in sorted path order; `-` reads standard input.
    #[arg(short, long, num_args = 1.., required = true)]
    pub source: Vec<PathBuf>,
    /// Target: one or more files, folders or globs, as for --source.
    #[arg(short, long, num_args = 1.., required = true)]
    pub target: Vec<PathBuf>,
    /// Text field of source records: a name, a dotted path (meta.body), or a chat-message array.
    #[arg(short, long, default_value = "text")]
    pub field: String,
    /// Text field of target records [default: same as --field].
    #[arg(long)]
    pub target_field: Option<String>,
}

#[derive(Args)]
pub struct BudgetArgs {
    /// Keep the top N records (a whole number from 0 up).
    #[arg(long, group = "budget", value_name = "N", value_parser = budget_count)]
    pub top: Option<usize>,
    /// Keep the top P percent of records (a number from 0 to 100).
    #[arg(long, group = "budget", value_name = "P", allow_negative_numbers = true,
          value_parser = budget_percent)]
    pub top_percent: Option<f64>,
    /// Keep the top records whose tokens (counted by --tokens) add up to at most this many.
    #[arg(long, group = "budget", value_name = "TOKENS", value_parser = budget_tokens)]
    pub token_budget: Option<u64>,
    /// Keep records scoring above S, a finite number (the paper used 0.1, 0.2, 0.3; DSIR's
    /// scores are log-weights, of any sign).
    #[arg(long, group = "budget", value_name = "S", allow_negative_numbers = true,
          value_parser = budget_threshold)]
    pub threshold: Option<f64>,
    /// What --token-budget counts: `bytes` (UTF-8 bytes / 4, an estimate), `words`,
    /// `cl100k_base` or `o200k_base` (OpenAI's encodings, built in), or the path of a
    /// Hugging Face tokenizer.json. A model's count is its tokenizer's, without the special
    /// tokens a post-processor adds; only the records down to the cut are counted.
    #[arg(long, default_value = "bytes", value_name = "COUNTER", value_parser = token_counter)]
    pub tokens: TokenCounter,
}

#[derive(Args)]
pub struct SelectionArgs {
    #[command(flatten)]
    pub budget: BudgetArgs,
    /// Write the kept records here, as their original lines; `-` writes standard output.
    #[arg(short, long)]
    pub output: Option<PathBuf>,
    /// Order of kept records: `rank` (best first) or `input` (as in the source).
    #[arg(long, default_value = "rank")]
    pub order: Order,
    /// Write the records that were not kept here, in input order.
    #[arg(long)]
    pub rejected: Option<PathBuf>,
    /// Write, for each source file, its kept records (in input order) to a file of the
    /// same name below DIR (its path below the folder it was found in): one output shard
    /// per input shard. A .jsonl.gz shard's lines are written uncompressed, without .gz.
    #[arg(long, value_name = "DIR")]
    pub out_dir: Option<PathBuf>,
    /// Keep a diverse set: walking the ranking, leave out a record whose estimated Jaccard
    /// similarity of word 3-shingles (MinHash) with a record already kept is at least T
    /// [default T: 0.8]; the budget is then met from further down.
    #[arg(long, value_name = "T", num_args = 0..=1, default_missing_value = "0.8",
          value_parser = similarity_threshold)]
    pub dedup: Option<f64>,
    /// With --dedup: write each record left out, with the kept record it duplicates, here
    /// (JSONL: index, line, duplicate_of, duplicate_of_line, similarity).
    #[arg(long, requires = "dedup")]
    pub duplicates: Option<PathBuf>,
}

// Budgets by the core's one rule (`select::BudgetError`): refused before any file is read.
fn budget_count(raw: &str) -> Result<usize, String> {
    select::parse_count(raw).map_err(|e| e.to_string())
}
fn budget_percent(raw: &str) -> Result<f64, String> {
    select::parse_percent(raw).map_err(|e| e.to_string())
}
fn budget_tokens(raw: &str) -> Result<u64, String> {
    select::parse_tokens(raw).map_err(|e| e.to_string())
}
fn budget_threshold(raw: &str) -> Result<f64, String> {
    select::parse_threshold(raw).map_err(|e| e.to_string())
}

fn token_counter(spec: &str) -> Result<TokenCounter, String> {
    TokenCounter::from_spec(spec).map_err(|error| error.to_string())
}

fn similarity_threshold(raw: &str) -> Result<f64, String> {
    match raw.parse::<f64>() {
        Ok(t) if t > 0.0 && t <= 1.0 => Ok(t),
        _ => Err(format!("{raw} is not a similarity in (0, 1]")),
    }
}

impl BudgetArgs {
    pub fn budget(&self) -> Budget {
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
    /// The files the selection writes, with the flag that named each.
    pub fn outputs(&self) -> Vec<(&'static str, &std::path::Path)> {
        [
            ("--output", &self.output),
            ("--rejected", &self.rejected),
            ("--duplicates", &self.duplicates),
        ]
        .into_iter()
        .filter_map(|(flag, path)| Some((flag, path.as_deref()?)))
        .collect()
    }

    pub fn wants_output(&self) -> bool {
        self.output.is_some()
            || self.rejected.is_some()
            || self.duplicates.is_some()
            || self.out_dir.is_some()
    }

    /// Fails, before anything is scored, when the source's files cannot be written as
    /// one file (JSONL and Parquet mixed, Parquet with different columns) but a flag asks
    /// for one.
    pub fn check_one_file(
        &self,
        source: &zipfit_core::input::Source,
        skipped: Option<&std::path::Path>,
    ) -> anyhow::Result<()> {
        let one_file = self.output.is_some() || self.rejected.is_some() || skipped.is_some();
        if one_file {
            source.check_one_output()?;
        }
        Ok(())
    }
}
