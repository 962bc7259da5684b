//! Messages between the page and the scoring worker.
//!
//! The page sends plain objects (`type` plus fields) that `www/worker.js` dispatches
//! to `crate::worker::session::Session`; the session answers with the types below, which
//! the page decodes with serde. Big arrays (scores, file bytes) travel as typed arrays
//! beside these objects.

use serde::{Deserialize, Serialize};

/// Which of the two input files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    /// The large corpus to rank.
    Source,
    /// The small set to align with.
    Target,
}

impl Role {
    /// The role as written in messages.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Source => "source",
            Role::Target => "target",
        }
    }
}

/// A skipped line, for display.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IssueView {
    /// The file it is in.
    pub file: String,
    /// 1-based line number (for Parquet, row) in that file.
    pub line: usize,
    /// What is wrong with it.
    pub problem: String,
}

/// A file was read (or could not be).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileSummary {
    /// Which file.
    pub role: Role,
    /// File name.
    pub name: String,
    /// Size after decompression.
    pub bytes: u64,
    /// Usable records.
    pub records: usize,
    /// Blank lines (not records).
    pub blank_lines: usize,
    /// Number of skipped lines.
    pub skipped: usize,
    /// The first skipped lines, with reasons.
    pub issues: Vec<IssueView>,
    /// The text field in use.
    pub field: String,
    /// Fields holding text in the first records, with how many records have them.
    pub fields: Vec<(String, usize)>,
    /// Short scalar fields (such as `origin`) present in the first records.
    pub short_keys: Vec<String>,
    /// The beginning of the first few records' texts.
    pub preview: Vec<String>,
    /// Why the file cannot be used as it is, if so ("file:line: problem").
    pub error: Option<String>,
    /// Line of that error, if it concerns one line (for Parquet, 1-based row).
    pub error_line: Option<usize>,
    /// For a Parquet file, its row groups: its records are rows, and where a JSONL file
    /// names lines it names rows.
    pub row_groups: Option<usize>,
    /// The files read as this one source, in input order, when there are several.
    pub files: Vec<FileView>,
}

/// One file of a source of several.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FileView {
    /// Its path in the folder it was found in, or its name.
    pub name: String,
    /// `JSONL`, `JSONL (gzip)` or `Parquet`.
    pub format: String,
    /// Size after decompression.
    pub bytes: u64,
    /// Usable records.
    pub records: usize,
}

impl FileSummary {
    /// What the file's records are: Parquet rows, or JSONL lines.
    pub fn unit(&self) -> &'static str {
        if self.row_groups.is_some() {
            "row"
        } else {
            "line"
        }
    }
}

/// One row of the ranked table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RowView {
    /// Position in the ranking (0-based).
    pub position: usize,
    /// Record index among usable records (0-based).
    pub index: usize,
    /// The file it is in, when the source has several.
    pub file: Option<String>,
    /// 1-based line (or row) in its file.
    pub line: usize,
    /// Alignment score.
    pub score: f64,
    /// The record's short fields, in `short_keys` order ("" when absent).
    pub short: Vec<String>,
    /// The first characters of the text, on one line.
    pub preview: String,
    /// Kept by the diverse selection (near-duplicates left out), when rows were asked
    /// for with it; else the budget's prefix is what is kept.
    #[serde(default)]
    pub diverse_kept: Option<bool>,
}

/// The playground's answer for one state of its two texts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Pairing {
    /// The request this answers (the playground's revision of its texts).
    pub id: u32,
    /// Exact lengths and distance for gzip levels 1-9 and LZ4.
    pub lengths: Vec<zipfit_core::explain::PairLengths>,
    /// The parse of `x ++ y` for the compressor asked for.
    pub drawing: zipfit_core::explain::Drawing,
}

/// One target's part in a record's score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TargetTerm {
    /// 0-based target index.
    pub index: usize,
    /// Its file, when the target set has several.
    pub file: Option<String>,
    /// 1-based line in its file.
    pub line: usize,
    /// `1 - NCD(record, target)`.
    pub alignment: f64,
    /// The target's text (sent for the best and worst few only).
    pub text: Option<String>,
}

/// Why a record scores what it does: every target's term, in target order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explained {
    /// The record (0-based among usable records).
    pub index: usize,
    /// The mean of `terms`: the record's score.
    pub score: f64,
    /// Every target's term, in target order.
    pub terms: Vec<TargetTerm>,
}

/// Two runs compared at one budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compared {
    /// Run A (0-based, in the order runs finished).
    pub a: usize,
    /// Run B.
    pub b: usize,
    /// The budget both kept sets were cut at, as text.
    pub budget: String,
    /// Records in each run.
    pub records: usize,
    /// Spearman's rank correlation of the two runs' scores.
    pub spearman: f64,
    /// Records A keeps.
    pub kept_a: usize,
    /// Records B keeps.
    pub kept_b: usize,
    /// Records both keep.
    pub kept_both: usize,
    /// Kept by both over kept by either.
    pub jaccard: f64,
    /// Records only A keeps.
    pub only_a: usize,
    /// Records only B keeps.
    pub only_b: usize,
    /// How the records spread over (score A, score B).
    pub density: zipfit_core::compare::Density,
}

/// Every run against every other at one budget (a sweep's matrix).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunMatrix {
    /// The budget the kept sets were cut at, as text.
    pub budget: String,
    /// Records in each run.
    pub records: usize,
    /// Records each run keeps, in the order runs finished.
    pub kept: Vec<usize>,
    /// Spearman's rank correlation of runs `i` and `j`.
    pub spearman: Vec<Vec<f64>>,
    /// Records runs `i` and `j` both keep.
    pub kept_both: Vec<Vec<usize>>,
    /// Kept by both over kept by either.
    pub jaccard: Vec<Vec<f64>>,
}

/// A diverse selection of the shown run: what leaving out near-duplicates kept.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diversity {
    /// The run (0-based).
    pub run: usize,
    /// The budget, as the page sent it.
    pub budget: zipfit_core::select::Budget,
    /// Estimated Jaccard similarity at or above which a record is a near-duplicate.
    pub threshold: f64,
    /// Records kept.
    pub kept: usize,
    /// Their tokens.
    pub kept_tokens: u64,
    /// What counted them ("bytes / 4", "cl100k_base", a tokenizer file's name).
    pub tokens_by: String,
    /// Records left out as near-duplicates.
    pub duplicates: usize,
    /// The rank (1-based) of the last record kept: how far down the ranking the walk went.
    pub deepest: usize,
}

/// One record left out as a near-duplicate, for display.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DuplicateRow {
    /// Position in the list of near-duplicates (0-based).
    pub position: usize,
    /// The record left out.
    pub index: usize,
    /// Its 1-based line.
    pub line: usize,
    /// Its score.
    pub score: f64,
    /// The start of its text.
    pub preview: String,
    /// The kept record it duplicates, and that record's line.
    pub of_index: usize,
    /// 1-based line of the kept record.
    pub of_line: usize,
    /// Their estimated Jaccard similarity.
    pub similarity: f64,
}

/// Bars of the score histogram.
pub const HISTOGRAM_BINS: usize = 40;

/// The shown run cut at one budget: all the selection view draws, so that the page
/// holds no per-record array (the worker has them once).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Cut {
    /// The run (0-based).
    pub run: usize,
    /// The budget it was cut at.
    pub budget: zipfit_core::select::Budget,
    /// The field the breakdown counts by ("" for none).
    pub group_field: String,
    /// Records in the run.
    pub records: usize,
    /// Records kept: a prefix of the ranking.
    pub kept: usize,
    /// Their tokens.
    pub kept_tokens: u64,
    /// What counted them ("bytes / 4", "cl100k_base", a tokenizer file's name).
    pub tokens_by: String,
    /// The score of the last record kept, when some are kept and some are not.
    pub cut_score: Option<f64>,
    /// Smallest and largest score.
    pub min: f64,
    /// Largest score.
    pub max: f64,
    /// Records per histogram bar, from the lowest scores.
    pub counts: Vec<u32>,
    /// Kept records per histogram bar.
    pub kept_counts: Vec<u32>,
    /// The breakdown: (label, kept, total), most kept first, at most 12 labels.
    pub breakdown: Option<Vec<(String, usize, usize)>>,
}

/// A run's method, as the page chose it and a stored run names it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RunMethod {
    /// `gzip`, `lz4`, `zstd`, `lzma` or `dsir`.
    pub compressor: String,
    /// The compressor's level (unused by DSIR).
    pub level: u8,
    /// Fold sums were kept, for the stability figures.
    pub stability: bool,
    /// How the page names the run ("gzip level 9").
    pub label: String,
}

/// What a stored run's header says of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoredRun {
    pub method: RunMethod,
    /// The files it scored, by name, and their sizes in bytes.
    pub source: String,
    pub target: String,
    pub source_bytes: u64,
    pub target_bytes: u64,
    /// Records in its source.
    pub records: usize,
    /// It scored the current files, read as they are now.
    pub current: bool,
}

/// A stored run as the worker lists it: its file, its size and, for the current files,
/// how far it got.
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct StoredListing {
    /// Its file's name, by which it is resumed or forgotten.
    pub id: String,
    /// Its file's size.
    pub bytes: f64,
    #[serde(flatten)]
    pub run: StoredRun,
    /// Records scored, for a run of the current files.
    #[serde(default)]
    pub done: Option<usize>,
    /// Why it could not be read back, if so.
    #[serde(default)]
    pub problem: Option<String>,
}

impl StoredListing {
    /// A run of the current files that stopped before its last record.
    pub fn interrupted(&self) -> bool {
        self.run.current
            && self.problem.is_none()
            && self.done.is_some_and(|d| d < self.run.records)
    }
}

/// What the browser's storage holds for this page.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Storage {
    /// Every stored run, oldest first.
    pub runs: Vec<StoredListing>,
    /// Their total size.
    pub bytes: f64,
    /// What the browser lets this origin store in all (0 when it does not say).
    pub quota: f64,
}
