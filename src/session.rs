//! The scoring worker's state: both files, the targets, and the scores.
//!
//! Runs inside the dedicated worker (`www/worker.js`), never on the page's thread,
//! because rayon blocks while it waits for its threads. All the work is done by
//! `zipfit-core`; this module only adapts it to JavaScript values.

use std::borrow::Cow;
use std::collections::HashMap;

use js_sys::{Float64Array, Uint32Array, Uint8Array};
use serde::Serialize;
use serde_json::Value;
use wasm_bindgen::prelude::*;
use zipfit_core::compress::{Backend, Compressor};
use zipfit_core::export::{self, Order};
use zipfit_core::jsonl::{field_candidates, Corpus, FieldPath, OnError, ReadError, ReadOptions};
use zipfit_core::score::{self, Method, Targets};
use zipfit_core::select;
use zipfit_core::tokens::TokenEstimate;

use crate::protocol::{FileSummary, Groups, IssueView, Role, RowView};

const SHOWN_ISSUES: usize = 200;
const PREVIEW_CHARS: usize = 160;
const SHORT_VALUE_CHARS: usize = 40;
/// Distinct values the breakdown tells apart; the rest count as "(other values)".
const MAX_GROUPS: usize = 1000;

fn push_label(labels: &mut Vec<String>, label: &str) -> u32 {
    labels.push(label.to_string());
    (labels.len() - 1) as u32
}

/// One loaded file: its corpus, or the reason it cannot be used yet.
struct Loaded {
    corpus: Corpus,
    error: Option<ReadError>,
    fields: Vec<(String, usize)>,
    short_keys: Vec<String>,
}

/// The worker's state, driven by `www/worker.js`.
#[wasm_bindgen]
#[derive(Default)]
pub struct Session {
    source: Option<Loaded>,
    target: Option<Loaded>,
    targets: Option<Targets>,
    scores: Vec<f64>,
    order: Vec<u32>,
}

fn to_js<T: Serialize>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| JsError::new(&e.to_string()))
}

fn parse_role(role: &str) -> Result<Role, JsError> {
    match role {
        "source" => Ok(Role::Source),
        "target" => Ok(Role::Target),
        other => Err(JsError::new(&format!("unknown role {other}"))),
    }
}

/// The first `n` characters of `text` on one line.
fn one_line(text: &str, n: usize) -> String {
    let mut out: String = text
        .chars()
        .take(n)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if text.chars().nth(n).is_some() {
        out.push('…');
    }
    out
}

fn short_value(value: &Value) -> Option<String> {
    match value {
        Value::String(s) if s.chars().count() <= SHORT_VALUE_CHARS => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

/// Keys whose values are short scalars in the first records: columns worth showing.
fn short_keys(corpus: &Corpus, text_field: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for line in corpus.bytes().split(|&b| b == b'\n').take(50) {
        let Ok(Value::Object(map)) = serde_json::from_slice::<Value>(line) else {
            continue;
        };
        for (key, value) in map {
            if key != text_field && short_value(&value).is_some() && !keys.contains(&key) {
                keys.push(key);
            }
        }
    }
    keys.truncate(4);
    keys
}

#[wasm_bindgen]
impl Session {
    /// An empty session.
    #[wasm_bindgen(constructor)]
    pub fn new() -> Session {
        Session::default()
    }

    /// Reads a file for `role`. `field` empty picks `text` if present, else the most common text field.
    pub fn load(
        &mut self,
        role: &str,
        name: &str,
        bytes: Vec<u8>,
        field: &str,
        skip_bad: bool,
    ) -> Result<JsValue, JsError> {
        let role = parse_role(role)?;
        let corpus = match Corpus::open(name, bytes) {
            Ok(corpus) => corpus,
            Err(error) => return to_js(&failed_summary(role, name, &error)),
        };
        let fields = field_candidates(corpus.bytes(), 50);
        let loaded = Loaded {
            corpus,
            error: None,
            fields,
            short_keys: Vec::new(),
        };
        *self.slot(role) = Some(loaded);
        self.read(role.as_str(), field, skip_bad)
    }

    /// Re-reads an already loaded file with another field or error policy.
    pub fn read(&mut self, role: &str, field: &str, skip_bad: bool) -> Result<JsValue, JsError> {
        let role = parse_role(role)?;
        self.targets = None;
        let loaded = self
            .slot(role)
            .as_mut()
            .ok_or_else(|| JsError::new("no file loaded"))?;
        let field = if field.is_empty() {
            default_field(&loaded.fields)
        } else {
            field.to_string()
        };
        let options = ReadOptions {
            field: FieldPath::new(&field),
            on_error: if skip_bad {
                OnError::Skip
            } else {
                OnError::Stop
            },
            tokens: TokenEstimate::Bytes,
        };
        loaded.error = loaded.corpus.reindex(&options).err();
        loaded.short_keys = short_keys(&loaded.corpus, &field);
        to_js(&summary(role, loaded))
    }

    /// Prepares a run: computes `C(y)` of every target. Returns the number of source records.
    pub fn prepare(&mut self, compressor: &str, level: u8) -> Result<usize, JsError> {
        let compressor = match compressor {
            "lz4" => Compressor::Lz4,
            _ => Compressor::Gzip {
                level: level.clamp(1, 9),
            },
        };
        let source = usable(&self.source, "source")?;
        let target = usable(&self.target, "target")?;
        let texts = target.texts().map_err(|e| JsError::new(&e.to_string()))?;
        self.targets = Some(Targets::new(
            texts,
            Method {
                compressor,
                backend: Backend::Model,
            },
        ));
        self.scores = Vec::with_capacity(source.len());
        self.order.clear();
        Ok(source.len())
    }

    /// Scores the next `count` records (in parallel); returns how many are done in all.
    pub fn score_batch(&mut self, count: usize) -> Result<usize, JsError> {
        let source = usable(&self.source, "source")?;
        let targets = self
            .targets
            .as_ref()
            .ok_or_else(|| JsError::new("prepare() first"))?;
        let start = self.scores.len();
        let end = (start + count).min(source.len());
        let batch = score::score_range(source, start..end, targets)
            .map_err(|e| JsError::new(&e.to_string()))?;
        self.scores.extend(batch);
        Ok(self.scores.len())
    }

    /// Number of targets in the prepared run.
    pub fn target_count(&self) -> usize {
        self.targets.as_ref().map_or(0, Targets::len)
    }

    /// Ranks the finished scores; returns them (source order) for the page.
    pub fn finish(&mut self) -> Float64Array {
        self.order = select::rank(&self.scores);
        Float64Array::from(self.scores.as_slice())
    }

    /// Record indices by rank.
    pub fn order(&self) -> Uint32Array {
        Uint32Array::from(self.order.as_slice())
    }

    /// Estimated tokens of every source record, in source order.
    pub fn tokens(&self) -> Result<Uint32Array, JsError> {
        let source = usable(&self.source, "source")?;
        let tokens: Vec<u32> = source.records().iter().map(|r| r.tokens).collect();
        Ok(Uint32Array::from(tokens.as_slice()))
    }

    /// Table rows for ranking positions `start..start+count`.
    pub fn rows(&self, start: usize, count: usize) -> Result<JsValue, JsError> {
        let loaded = self
            .source
            .as_ref()
            .ok_or_else(|| JsError::new("no source"))?;
        let corpus = &loaded.corpus;
        let end = (start + count).min(self.order.len());
        let rows: Vec<RowView> = (start.min(end)..end)
            .map(|position| {
                let index = self.order[position] as usize;
                let value = corpus.value(index).unwrap_or(Value::Null);
                let text = corpus.field().extract(&value).unwrap_or(Cow::Borrowed(""));
                RowView {
                    position,
                    index,
                    line: corpus.records()[index].line as usize,
                    score: self.scores[index],
                    short: loaded
                        .short_keys
                        .iter()
                        .map(|k| value.get(k).and_then(short_value).unwrap_or_default())
                        .collect(),
                    preview: one_line(&text, PREVIEW_CHARS),
                }
            })
            .collect();
        to_js(&rows)
    }

    /// The full text of source record `index`.
    pub fn text(&self, index: usize) -> Result<String, JsError> {
        let source = usable(&self.source, "source")?;
        source.text(index).map_err(|e| JsError::new(&e.to_string()))
    }

    /// Labels of `field` for every source record, for the breakdown of a selection.
    pub fn groups(&self, field: &str) -> Result<JsValue, JsError> {
        let source = usable(&self.source, "source")?;
        let mut labels: Vec<String> = Vec::new();
        let mut known: HashMap<String, u32> = HashMap::new();
        let (mut none, mut other) = (None, None);
        let mut codes = Vec::with_capacity(source.len());
        for i in 0..source.len() {
            let value = source.value(i).ok();
            let label = value
                .as_ref()
                .and_then(|v| v.get(field))
                .and_then(short_value);
            let code = match label {
                Some(label) => match known.get(&label) {
                    Some(&code) => code,
                    None if labels.len() < MAX_GROUPS => {
                        let code = push_label(&mut labels, &label);
                        known.insert(label, code);
                        code
                    }
                    None => *other.get_or_insert_with(|| push_label(&mut labels, "(other values)")),
                },
                None => *none.get_or_insert_with(|| push_label(&mut labels, "(none)")),
            };
            codes.push(code);
        }
        to_js(&Groups {
            field: field.to_string(),
            labels,
            codes,
        })
    }

    /// The bytes of a download: `selected`, `rejected`, `skipped`, `scores.jsonl` or `scores.csv`.
    /// `count` is how many top records are kept; `input_order` orders the selection as the source.
    pub fn export(
        &self,
        kind: &str,
        count: usize,
        input_order: bool,
    ) -> Result<Uint8Array, JsError> {
        let loaded = self
            .source
            .as_ref()
            .ok_or_else(|| JsError::new("no source"))?;
        let corpus = &loaded.corpus;
        let mut out = Vec::new();
        let written = match kind {
            "skipped" => export::write_skipped(corpus, &mut out),
            "selected" => {
                let order = if input_order {
                    Order::Input
                } else {
                    Order::Rank
                };
                export::write_lines(corpus, &export::kept(&self.order, count, order), &mut out)
            }
            "rejected" => export::write_rejected(corpus, &self.order, count, &mut out),
            "scores.jsonl" => export::write_scores_jsonl(
                corpus,
                &self.scores,
                &select::ranks(&self.order),
                &mut out,
            ),
            "scores.csv" => export::write_scores_csv(
                corpus,
                &self.scores,
                &select::ranks(&self.order),
                &mut out,
            ),
            other => return Err(JsError::new(&format!("unknown download {other}"))),
        };
        written.map_err(|e| JsError::new(&e.to_string()))?;
        Ok(Uint8Array::from(out.as_slice()))
    }
}

impl Session {
    fn slot(&mut self, role: Role) -> &mut Option<Loaded> {
        match role {
            Role::Source => &mut self.source,
            Role::Target => &mut self.target,
        }
    }
}

fn usable<'a>(loaded: &'a Option<Loaded>, what: &str) -> Result<&'a Corpus, JsError> {
    match loaded {
        Some(Loaded {
            corpus,
            error: None,
            ..
        }) => Ok(corpus),
        Some(Loaded {
            error: Some(error), ..
        }) => Err(JsError::new(&error.to_string())),
        None => Err(JsError::new(&format!("no {what} file"))),
    }
}

fn default_field(fields: &[(String, usize)]) -> String {
    if fields.iter().any(|(k, _)| k == "text") {
        return "text".to_string();
    }
    fields
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or_else(|| "text".to_string(), |(k, _)| k.clone())
}

fn error_line(error: &ReadError) -> Option<usize> {
    match error {
        ReadError::Line { line, .. } => Some(*line),
        _ => None,
    }
}

fn failed_summary(role: Role, name: &str, error: &ReadError) -> FileSummary {
    FileSummary {
        role,
        name: name.to_string(),
        bytes: 0,
        records: 0,
        blank_lines: 0,
        skipped: 0,
        issues: Vec::new(),
        field: String::new(),
        fields: Vec::new(),
        short_keys: Vec::new(),
        preview: Vec::new(),
        error: Some(error.to_string()),
        error_line: error_line(error),
    }
}

fn summary(role: Role, loaded: &Loaded) -> FileSummary {
    let corpus = &loaded.corpus;
    FileSummary {
        role,
        name: corpus.name().to_string(),
        bytes: corpus.byte_len(),
        records: corpus.len(),
        blank_lines: corpus.blank_lines(),
        skipped: corpus.issues().len(),
        issues: corpus
            .issues()
            .iter()
            .take(SHOWN_ISSUES)
            .map(|issue| IssueView {
                line: issue.line,
                problem: issue.problem.to_string(),
            })
            .collect(),
        field: corpus.field().as_str().to_string(),
        fields: loaded.fields.clone(),
        short_keys: loaded.short_keys.clone(),
        preview: (0..corpus.len().min(3))
            .filter_map(|i| corpus.text(i).ok())
            .map(|t| one_line(&t, PREVIEW_CHARS))
            .collect(),
        error: loaded.error.as_ref().map(ToString::to_string),
        error_line: loaded.error.as_ref().and_then(error_line),
    }
}

/// Threads in the scoring pool.
#[wasm_bindgen]
pub fn thread_count() -> usize {
    rayon::current_num_threads()
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_browser);

    const SOURCE: &[u8] =
        b"{\"text\":\"def add(a, b):\\n    return a + b\\n\",\"origin\":\"python\"}\r\n\
{\"text\":\"The quick brown fox jumps over the lazy dog.\",\"origin\":\"doc\"}\n\
not json\n\
{\"text\":\"def mul(a, b):\\n    return a * b\\n\",\"origin\":\"python\"}\n";
    const TARGET: &[u8] = b"{\"text\":\"def sub(a, b):\\n    return a - b\\n\"}\n";

    fn summary(value: JsValue) -> FileSummary {
        serde_wasm_bindgen::from_value(value).unwrap()
    }

    #[wasm_bindgen_test]
    fn exact_lengths_in_wasm() {
        // Reference values from Python: len(gzip.compress(b, L)) and len(lz4.frame.compress(b)).
        let text = b"hello world hello world hello world hello world";
        let mut gzip =
            zipfit_core::compress::Lengths::new(Compressor::Gzip { level: 9 }, Backend::Model);
        let mut lz4 = zipfit_core::compress::Lengths::new(Compressor::Lz4, Backend::Model);
        assert_eq!(gzip.len(b""), 20);
        assert_eq!(lz4.len(text), 45);
        assert_eq!(lz4.len(b""), 11);
    }

    #[wasm_bindgen_test]
    fn bad_line_is_reported_then_skipped_and_kept() {
        let mut session = Session::new();
        let first = summary(
            session
                .load("source", "s.jsonl", SOURCE.to_vec(), "", false)
                .unwrap(),
        );
        assert_eq!(
            first.error.as_deref(),
            Some("s.jsonl:3: not valid JSON: expected ident at line 1 column 2")
        );
        assert_eq!(first.error_line, Some(3));
        let skipped = summary(session.read("source", "text", true).unwrap());
        assert_eq!(skipped.error, None);
        assert_eq!((skipped.records, skipped.skipped), (3, 1));
        assert_eq!(skipped.short_keys, vec!["origin".to_string()]);
        assert_eq!(
            session.export("skipped", 0, false).unwrap().to_vec(),
            b"not json\n"
        );
    }

    #[wasm_bindgen_test]
    fn scores_rank_and_export_original_lines() {
        let mut session = Session::new();
        session
            .load("source", "s.jsonl", SOURCE.to_vec(), "text", true)
            .unwrap();
        session
            .load("target", "t.jsonl", TARGET.to_vec(), "", false)
            .unwrap();
        assert_eq!(session.prepare("gzip", 9).unwrap(), 3);
        assert_eq!(session.score_batch(2).unwrap(), 2);
        assert_eq!(session.score_batch(10).unwrap(), 3);
        let scores = session.finish().to_vec();
        assert!(scores[0] > scores[1] && scores[2] > scores[1], "{scores:?}");
        assert_eq!(session.order().to_vec()[2], 1);
        let kept = session.export("selected", 2, true).unwrap().to_vec();
        let expected = [
            &SOURCE[..SOURCE.iter().position(|&b| b == b'\n').unwrap() + 1],
            b"{\"text\":\"def mul(a, b):\\n    return a * b\\n\",\"origin\":\"python\"}\n",
        ]
        .concat();
        assert_eq!(kept, expected);
        let groups: Groups =
            serde_wasm_bindgen::from_value(session.groups("origin").unwrap()).unwrap();
        assert_eq!(groups.labels, vec!["python".to_string(), "doc".to_string()]);
        assert_eq!(groups.codes, vec![0, 1, 0]);
    }
}
