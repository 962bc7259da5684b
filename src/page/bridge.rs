//! The page's side of the scoring worker: start it, send it typed messages, decode its answers.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Blob, MessageEvent, Worker, WorkerOptions, WorkerType};
use yew::Callback;

use zipfit_core::select::Budget;
use zipfit_core::stability::Report;

use crate::protocol::{
    Compared, Cut, Diversity, DuplicateRow, Explained, FileSummary, Pairing, Role, RowView,
    RunMatrix, RunMethod, Storage,
};

/// Messages to the worker (besides `init`, `load` and `export`, which carry browser
/// objects).
#[derive(Debug, Serialize)]
#[serde(tag = "type", rename_all = "camelCase")]
pub enum ToWorker {
    /// Re-read a loaded file with another field or error policy.
    #[serde(rename_all = "camelCase")]
    Read {
        role: Role,
        field: String,
        skip_bad: bool,
    },
    /// Score every source record: `compressor` is gzip, lz4 or dsir; `stability` keeps
    /// fold sums for the stability figures.
    /// `label` names the run in its stored file; `resume` is the stored file of an
    /// interrupted run of the same method to continue.
    Score {
        compressor: String,
        level: u8,
        stability: bool,
        label: String,
        resume: Option<String>,
    },
    /// Remove the stored run `id` from the browser's storage, or every one (`None`).
    Forget { id: Option<String> },
    /// Show run `run` in the table, the detail view and the downloads.
    Show { run: usize },
    /// The stability figures of run `run` at `budget`.
    Stability { run: usize, budget: Budget },
    /// Compare runs `a` and `b` at `budget`.
    Compare { a: usize, b: usize, budget: Budget },
    /// Every run against every other at `budget`.
    Matrix { budget: Budget },
    /// A diverse selection of the shown run: near-duplicates left out.
    Dedup { threshold: f64, budget: Budget },
    /// Rows of the records the diverse selection left out.
    DuplicateRows { start: usize, count: usize },
    /// Rows of the records only run A (`side` "a") or only run B keeps.
    ComparedRows {
        side: String,
        start: usize,
        count: usize,
    },
    /// Stop scoring after the current batch.
    Cancel,
    /// Table rows for ranking positions `start..start+count`.
    Rows {
        start: usize,
        count: usize,
        diverse: bool,
    },
    /// The full text of one record.
    Text { index: usize },
    /// The shown run cut at `budget`, with the breakdown by `group_field` ("" for none).
    #[serde(rename_all = "camelCase")]
    Cut { budget: Budget, group_field: String },
    /// Each target's part in one record's score.
    Explain { index: usize },
    /// The playground's figures for two texts; answered between scoring batches.
    Pair {
        id: u32,
        x: String,
        y: String,
        compressor: String,
        level: u8,
    },
}

/// A finished run. Its scores stay in the worker, which answers with what is drawn.
#[derive(Debug, Clone, PartialEq)]
pub struct Scored {
    /// Records scored.
    pub records: usize,
    /// Wall time of scoring.
    pub seconds: f64,
    /// Pairs scored (by this session: a resumed run's earlier batches are not counted).
    pub pairs: f64,
    /// Records whose scores came from storage: all of them for a restored run, those
    /// finished before the interruption for a resumed one.
    pub stored: usize,
}

/// Messages from the worker.
#[derive(Debug, Clone)]
pub enum FromWorker {
    /// The pool is up with this many threads.
    Ready { threads: usize },
    /// Part of a file was read.
    Reading { role: Role, done: f64, total: f64 },
    /// A file was read.
    File(FileSummary),
    /// Scoring progress (`label` names the pass of a two-pass method, else empty).
    Progress {
        done: usize,
        total: usize,
        pairs: f64,
        seconds: f64,
        label: String,
    },
    /// Stability figures of a run.
    Stability { run: usize, report: Report },
    /// Two runs compared.
    Compared(Compared),
    /// Every run against every other.
    Matrix(RunMatrix),
    /// Rows of the records only one run keeps.
    ComparedRows { side: String, rows: Vec<RowView> },
    /// A diverse selection was made.
    Dedup(Diversity),
    /// Rows of the records it left out.
    DuplicateRows(Vec<DuplicateRow>),
    /// Scoring finished.
    Scored(Scored),
    /// A finished run was read back from the browser's storage.
    Restored { method: RunMethod, scored: Scored },
    /// What the browser's storage holds.
    Storage(Storage),
    /// A run could not be kept (or stored runs read) in the browser's storage.
    StorageError(String),
    /// The worker stopped (the browser ended it, or it ran out of memory).
    Stopped,
    /// Scoring stopped on request.
    Cancelled,
    /// Table rows.
    Rows(Vec<RowView>),
    /// A record's full text.
    Text { index: usize, text: String },
    /// The shown run cut at a budget.
    Cut(Cut),
    /// Why a record scores what it does.
    Explained(Explained),
    /// The playground's figures.
    Pair(Pairing),
    /// A download is ready, as a Blob (which the browser may keep on disk).
    Download { name: String, blob: Blob },
    /// A download was written to the file the user picked.
    Saved { name: String, bytes: f64 },
    /// Token budgets count with this counter now (named as summaries name it).
    Counter { name: String },
    /// The counter chosen could not be loaded; the one before it stays.
    CounterError(String),
    /// Something failed.
    Error(String),
}

/// A running scoring worker.
pub struct Bridge {
    worker: Worker,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    /// False once the page let the worker go, so that its end is not reported as a stop.
    wanted: Rc<Cell<bool>>,
}

impl PartialEq for Bridge {
    fn eq(&self, other: &Self) -> bool {
        self.worker == other.worker
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        self.wanted.set(false);
        self.worker.terminate();
    }
}

/// Calls `then` once nobody holds the Web Lock `name` (at once if nobody does). A
/// worker holds its lock while it lives, so this learns when it stops, however it stops.
fn when_released(name: &str, then: impl FnOnce() + 'static) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let locks = get(&window.navigator(), "locks");
    let Ok(request) = get(&locks, "request").dyn_into::<js_sys::Function>() else {
        return; // no Web Locks: a stopped worker goes unnoticed
    };
    let granted = Closure::once_into_js(move |_: JsValue| then());
    if let Err(err) = request.call2(&locks, &name.into(), &granted) {
        web_sys::console::error_2(&"cannot watch the worker".into(), &err);
    }
}

fn get(data: &JsValue, key: &str) -> JsValue {
    Reflect::get(data, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED)
}

fn number(data: &JsValue, key: &str) -> f64 {
    get(data, key).as_f64().unwrap_or(0.0)
}

fn decode<T: serde::de::DeserializeOwned>(value: JsValue) -> Result<T, String> {
    serde_wasm_bindgen::from_value(value).map_err(|e| e.to_string())
}

fn parse(data: JsValue) -> Result<FromWorker, String> {
    let kind = get(&data, "type").as_string().unwrap_or_default();
    Ok(match kind.as_str() {
        "ready" => FromWorker::Ready {
            threads: number(&data, "threads") as usize,
        },
        "reading" => FromWorker::Reading {
            role: decode(get(&data, "role"))?,
            done: number(&data, "done"),
            total: number(&data, "total"),
        },
        "file" => FromWorker::File(decode(get(&data, "summary"))?),
        "progress" => FromWorker::Progress {
            done: number(&data, "done") as usize,
            total: number(&data, "total") as usize,
            pairs: number(&data, "pairs"),
            seconds: number(&data, "seconds"),
            label: get(&data, "label").as_string().unwrap_or_default(),
        },
        "stability" => FromWorker::Stability {
            run: number(&data, "run") as usize,
            report: decode(get(&data, "report"))?,
        },
        "dedup" => FromWorker::Dedup(decode(get(&data, "diversity"))?),
        "duplicateRows" => FromWorker::DuplicateRows(decode(get(&data, "rows"))?),
        "compared" => FromWorker::Compared(decode(get(&data, "compared"))?),
        "matrix" => FromWorker::Matrix(decode(get(&data, "matrix"))?),
        "comparedRows" => FromWorker::ComparedRows {
            side: get(&data, "side").as_string().unwrap_or_default(),
            rows: decode(get(&data, "rows"))?,
        },
        "scored" => FromWorker::Scored(Scored {
            records: number(&data, "records") as usize,
            seconds: number(&data, "seconds"),
            pairs: number(&data, "pairs"),
            stored: number(&data, "resumed") as usize,
        }),
        "restored" => {
            let records = number(&data, "records") as usize;
            FromWorker::Restored {
                method: decode(get(&data, "method"))?,
                scored: Scored {
                    records,
                    seconds: 0.0,
                    pairs: 0.0,
                    stored: records,
                },
            }
        }
        "storage" => FromWorker::Storage(decode(data)?),
        "storageError" => {
            FromWorker::StorageError(get(&data, "message").as_string().unwrap_or_default())
        }
        "cancelled" => FromWorker::Cancelled,
        "explained" => FromWorker::Explained(decode(get(&data, "explained"))?),
        "pair" => FromWorker::Pair(decode(get(&data, "pairing"))?),
        "rows" => FromWorker::Rows(decode(get(&data, "rows"))?),
        "text" => FromWorker::Text {
            index: number(&data, "index") as usize,
            text: get(&data, "text").as_string().unwrap_or_default(),
        },
        "cut" => FromWorker::Cut(decode(get(&data, "cut"))?),
        "download" => FromWorker::Download {
            name: get(&data, "name").as_string().unwrap_or_default(),
            blob: get(&data, "blob").unchecked_into(),
        },
        "saved" => FromWorker::Saved {
            name: get(&data, "name").as_string().unwrap_or_default(),
            bytes: number(&data, "bytes"),
        },
        "counter" => FromWorker::Counter {
            name: get(&data, "name").as_string().unwrap_or_default(),
        },
        "counterError" => {
            FromWorker::CounterError(get(&data, "message").as_string().unwrap_or_default())
        }
        "error" => FromWorker::Error(get(&data, "message").as_string().unwrap_or_default()),
        other => return Err(format!("unexpected message from the worker: {other}")),
    })
}

impl Bridge {
    /// Starts `worker.js` (next to the page) and its pool of `threads` threads.
    /// Once it is ready, its stop (the browser ended it, or it ran out of memory) is
    /// reported as [`FromWorker::Stopped`].
    pub fn start(threads: usize, on_message: Callback<FromWorker>) -> Result<Bridge, JsValue> {
        let options = WorkerOptions::new();
        options.set_type(WorkerType::Module);
        let worker = Worker::new_with_options("./worker.js", &options)?;
        let lock = format!("zipfit-worker-{}", js_sys::Math::random());
        let wanted = Rc::new(Cell::new(true));
        let on_message = {
            let (lock, wanted) = (lock.clone(), wanted.clone());
            Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
                let message = parse(event.data()).unwrap_or_else(FromWorker::Error);
                if matches!(message, FromWorker::Ready { .. }) {
                    let (on_message, wanted) = (on_message.clone(), wanted.clone());
                    when_released(&lock, move || {
                        if wanted.get() {
                            on_message.emit(FromWorker::Stopped);
                        }
                    });
                }
                on_message.emit(message);
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        let bridge = Bridge {
            worker,
            _on_message: on_message,
            wanted,
        };
        // The module the page has already compiled goes with it, so that the worker (and
        // its threads) instantiate it without downloading it again.
        let init = object(&[
            ("type", "init".into()),
            ("threads", threads.into()),
            ("lock", lock.into()),
            ("module", wasm_bindgen::module()),
        ]);
        bridge.post(&init, &Array::new());
        Ok(bridge)
    }

    /// Sends a message.
    pub fn send(&self, message: &ToWorker) {
        let value = message
            .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
            .expect("messages serialize");
        if let Err(err) = self.worker.post_message(&value) {
            web_sys::console::error_2(&"posting to the worker failed".into(), &err);
        }
    }

    /// Hands an input to the worker, `name` and its files: each `File` (or `Blob`)
    /// itself with its name, not their bytes, which the worker reads as it needs them.
    pub fn load(
        &self,
        role: Role,
        name: &str,
        files: &[(String, Blob)],
        field: &str,
        skip_bad: bool,
    ) {
        let blobs: Array = files.iter().map(|(_, blob)| JsValue::from(blob)).collect();
        let names: Array = files
            .iter()
            .map(|(name, _)| JsValue::from(name.as_str()))
            .collect();
        let message = object(&[
            ("type", "load".into()),
            ("role", role.as_str().into()),
            ("name", name.into()),
            ("files", blobs.into()),
            ("names", names.into()),
            ("field", field.into()),
            ("skipBad", skip_bad.into()),
        ]);
        self.post(&message, &Array::new());
    }

    /// Asks for a download: `kind` of the selection of the top `count` records. With
    /// `file` (a File System Access file handle) the worker writes to it as a stream;
    /// without, it answers with a Blob.
    pub fn export(
        &self,
        kind: &str,
        name: &str,
        count: usize,
        input_order: bool,
        file: Option<JsValue>,
    ) {
        let message = object(&[
            ("type", "export".into()),
            ("kind", kind.into()),
            ("name", name.into()),
            ("count", (count as f64).into()),
            ("inputOrder", input_order.into()),
        ]);
        if let Some(file) = file {
            Reflect::set(&message, &"file".into(), &file).expect("plain object");
        }
        self.post(&message, &Array::new());
    }

    /// Counts tokens with `kind` (`bytes`, `words`, `cl100k_base`, `o200k_base`, or
    /// `file` with the tokenizer.json `file`, which the worker reads in the tab).
    pub fn counter(&self, kind: &str, file: Option<&web_sys::File>) {
        let message = object(&[("type", "counter".into()), ("name", kind.into())]);
        if let Some(file) = file {
            Reflect::set(&message, &"file".into(), file).expect("plain object");
        }
        self.post(&message, &Array::new());
    }

    fn post(&self, message: &JsValue, transfer: &Array) {
        if let Err(err) = self.worker.post_message_with_transfer(message, transfer) {
            web_sys::console::error_2(&"posting to the worker failed".into(), &err);
        }
    }
}

fn object(fields: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in fields {
        Reflect::set(&object, &JsValue::from_str(key), value).expect("plain object");
    }
    object.into()
}
