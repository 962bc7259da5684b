//! `zipfit explain`: why one record scores what it does.

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::{bail, Result};
use clap::Args;
use zipfit_core::compress::{Backend, Origin};
use zipfit_core::explain;
use zipfit_core::score::{self, Method, Targets};
use zipfit_core::tokens::TokenCounter;

use crate::args::{CompressorName, OnErrorArg};
use crate::input::{all_texts, Files};
use crate::output::counted;

#[derive(Args)]
pub struct ExplainArgs {
    /// Source: its files, folders or quoted globs, as given to `zipfit score`.
    #[arg(short, long, num_args = 1.., required = true)]
    pub source: Vec<PathBuf>,
    /// Target: its files, folders or quoted globs.
    #[arg(short, long, num_args = 1.., required = true)]
    pub target: Vec<PathBuf>,
    /// The record: its `index` in the scores file (0-based among usable records).
    #[arg(short, long, value_name = "N")]
    pub record: usize,
    /// Text field of source records: a name, a dotted path, or a chat-message array.
    #[arg(short, long, default_value = "text")]
    pub field: String,
    /// Text field of target records [default: same as --field].
    #[arg(long)]
    pub target_field: Option<String>,
    /// Compressor defining C(s).
    #[arg(short, long, value_enum, default_value = "gzip")]
    pub compressor: CompressorName,
    /// Compression level, as the paper's code passes it: gzip 1-9 (default 9); LZ4 0-12
    /// (default 0, its fastest); zstd -7 to -1 and 1-22 (default 3); brotli 11; lzma 6.
    #[arg(short, long, allow_negative_numbers = true)]
    pub level: Option<i32>,
    /// Skip bad lines (as `zipfit score --on-error skip`, so indexes match its scores file).
    #[arg(long, value_enum, default_value = "stop")]
    pub on_error: OnErrorArg,
    /// Show the spans copied from this target (its 0-based index) [default: the best-aligned].
    #[arg(long, value_name = "J")]
    pub with_target: Option<usize>,
    /// Print JSON instead of text.
    #[arg(long)]
    pub json: bool,
}

pub fn run(args: ExplainArgs) -> Result<()> {
    let Some(compressor) = args.compressor.with_level(args.level)? else {
        bail!("explain shows what a compressor copied; DSIR compresses nothing (use a compressor)");
    };
    let tokens = &TokenCounter::default();
    let source = Files::resolve("--source", &args.source, true)?.open(
        &args.field,
        args.on_error,
        tokens,
        true,
    )?;
    let target_field = args.target_field.as_deref().unwrap_or(&args.field);
    let target = Files::resolve("--target", &args.target, true)?.open(
        target_field,
        args.on_error,
        tokens,
        true,
    )?;
    if args.record >= source.len() {
        bail!(
            "--record {}: {} has {} (indexes 0 to {})",
            args.record,
            source.name(),
            counted(source.len(), "record"),
            source.len().saturating_sub(1)
        );
    }
    let place = source.place(args.record);
    let line = source.line(args.record);
    let text = source.text(args.record)?;
    let targets = Targets::new(
        all_texts(&target)?,
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
    // The C libraries give a length, not their parse: no spans for them.
    let drawing = explain::drawing(compressor, text.as_bytes(), y);
    let target_line = |j: usize| target.line(j);
    let x_len = text.len();
    let spans: Vec<(usize, usize, usize, usize)> = drawing
        .iter()
        .flat_map(|d| d.copies_from_x())
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
            "spans": drawing.as_ref().map(|drawing| serde_json::json!({
                "target": shown,
                "target_bytes": drawing.y_len,
                "copied_bytes": drawing.y_from_x,
                "copies": spans.iter().map(|&(at, from, len, distance)| serde_json::json!({
                    "target_start": at, "record_start": from, "len": len, "distance": distance,
                })).collect::<Vec<_>>(),
            })),
        });
        writeln!(out, "{json}")?;
        return Ok(());
    }
    writeln!(
        out,
        "record {} ({place}) with {compressor}: score {score} = mean over {} of 1 - NCD(record, target)\n",
        args.record,
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
    let Some(drawing) = drawing else {
        writeln!(
            out,
            "\n{compressor} runs as its C library, which gives lengths but not its parse, so \
             no copied spans are shown (gzip and LZ4 levels 0-2 show them)."
        )?;
        return Ok(());
    };
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
