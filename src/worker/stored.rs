//! Runs kept in the browser's storage, so that a reload, a crashed tab or a closed
//! laptop lid loses no finished work.
//!
//! A run is one file in the origin's private file system, in the format of
//! `zipfit_core::checkpoint` (the CLI's `--resume` format): a header naming the run, then
//! one line per finished batch, written and flushed before the batch counts as done.
//! `www/worker.js` owns the files; this module says what goes in them and reads them
//! back. A run's header names its inputs (each file's name, size, modification time and
//! a hash of sampled bytes, and how it was read), the number of records and the method,
//! so that a stored run is only ever given back for the very files it scored.

use web_sys::{Blob, FileReaderSync};
use zipfit_core::checkpoint::{self, Run};

use super::column::Column;
pub use crate::protocol::RunMethod as Method;
use crate::protocol::{Role, StoredRun};

/// How one input was identified and read.
#[derive(Clone, Default)]
pub struct Input {
    /// `zipfit_core::checkpoint::identity` of the file as the user gave it.
    pub identity: String,
    /// The text field read (the one a default resolved to, once the file is read).
    pub field: String,
    /// Bad lines are skipped.
    pub skip_bad: bool,
}

/// The current inputs, as far as they are known.
#[derive(Default)]
pub struct Inputs {
    pub source: Input,
    pub target: Input,
}

impl Inputs {
    /// The input of `role`.
    pub fn get_mut(&mut self, role: Role) -> &mut Input {
        match role {
            Role::Source => &mut self.source,
            Role::Target => &mut self.target,
        }
    }

    /// The inputs' part of a run's identity: the two files, how they were read, and the
    /// number of records read.
    fn entries(&self, records: usize) -> Result<Run, String> {
        if self.source.identity.is_empty() || self.target.identity.is_empty() {
            return Err("the files have not been identified".to_string());
        }
        let entry = |what: &str, value: String| (what.to_string(), value);
        Ok(vec![
            entry("source", self.source.identity.clone()),
            entry("source field", self.source.field.clone()),
            entry("source skips bad lines", self.source.skip_bad.to_string()),
            entry("target", self.target.identity.clone()),
            entry("target field", self.target.field.clone()),
            entry("target skips bad lines", self.target.skip_bad.to_string()),
            entry("records", records.to_string()),
        ])
    }

    /// The whole identity of a run of `method` over these inputs.
    pub fn run(&self, records: usize, method: &Method) -> Result<Run, String> {
        let mut run = self.entries(records)?;
        run.extend(method.entries());
        Ok(run)
    }

    /// True when `run` scored these inputs (`records` of them).
    fn scored(&self, run: &Run, records: usize) -> bool {
        self.entries(records)
            .is_ok_and(|inputs| run.len() > inputs.len() && run[..inputs.len()] == inputs[..])
    }
}

impl Method {
    /// The method's part of a run's identity.
    fn entries(&self) -> Run {
        vec![
            ("compressor".to_string(), self.compressor.clone()),
            ("level".to_string(), self.level.to_string()),
            ("stability".to_string(), self.stability.to_string()),
            ("label".to_string(), self.label.clone()),
        ]
    }

    /// The method a stored run's identity names.
    fn of(run: &Run) -> Option<Method> {
        let value = |what: &str| run.iter().find(|(k, _)| k == what).map(|(_, v)| v.as_str());
        Some(Method {
            compressor: value("compressor")?.to_string(),
            level: value("level")?.parse().ok()?,
            stability: value("stability")? == "true",
            label: value("label")?.to_string(),
        })
    }
}

/// The identity of an input of several files: each file's, one per line.
pub fn identity_of_files(identities: &[String]) -> String {
    identities.join("\n")
}

/// The files an input's identity names, as the stored-runs list names them.
fn name_of(identity: &str) -> String {
    let names: Vec<&str> = identity
        .lines()
        .map(|one| one.rfind(" size ").map_or(one, |end| &one[..end]))
        .collect();
    match names[..] {
        [] => String::new(),
        [one] => one.to_string(),
        [first, .., last] => format!("{} files, {first} to {last}", names.len()),
    }
}

/// The bytes of the files an input's identity names, together.
fn size_of(identity: &str) -> u64 {
    identity
        .lines()
        .filter_map(|one| {
            one.split(" size ")
                .nth(1)?
                .split(' ')
                .next()?
                .parse::<u64>()
                .ok()
        })
        .sum()
}

/// What `head` (the first bytes of a stored run's file) says of it, if it is one.
pub fn describe(head: &[u8], inputs: &Inputs, records: usize) -> Option<StoredRun> {
    let run = checkpoint::read_header(head)?;
    let value = |what: &str| run.iter().find(|(k, _)| k == what).map(|(_, v)| v.clone());
    Some(StoredRun {
        method: Method::of(&run)?,
        source: name_of(&value("source")?),
        target: name_of(&value("target")?),
        source_bytes: size_of(&value("source")?),
        target_bytes: size_of(&value("target")?),
        records: value("records")?.parse().ok()?,
        current: inputs.scored(&run, records),
    })
}

/// A stored run of the current inputs being read back a piece of its file at a time
/// (`www/worker.js` reads it from byte [`Reading::from`] on): its method, and the
/// scores (in a column) and fold sums of its finished batches.
pub struct Reading {
    pub name: String,
    pub method: Method,
    batches: checkpoint::Batches,
    pub scores: Column<f64>,
    pub sums: Vec<i64>,
    records: usize,
}

impl Reading {
    /// Starts reading the stored run `name`, whose file starts with `head`, of the
    /// current inputs (`records` of them). Fails when it is not one (another file's
    /// run, or not a run at all).
    pub fn new(
        name: &str,
        head: &[u8],
        inputs: &Inputs,
        records: usize,
    ) -> Result<Reading, String> {
        let run = checkpoint::read_header(head).ok_or(format!("{name}: not a stored run"))?;
        if !inputs.scored(&run, records) {
            return Err(format!("{name}: a run over other files"));
        }
        let method = Method::of(&run).ok_or(format!("{name}: not a stored run"))?;
        let batches = checkpoint::Batches::new(name, head, &run).map_err(|e| e.to_string())?;
        Ok(Reading {
            name: name.to_string(),
            method,
            batches,
            scores: Column::new(),
            sums: Vec::new(),
            records,
        })
    }

    /// Where in the file the pieces start.
    pub fn from(&self) -> usize {
        self.batches.good()
    }

    /// Reads the next piece of the file.
    pub fn push(&mut self, piece: &[u8]) {
        let (scores, sums) = (&mut self.scores, &mut self.sums);
        self.batches.push(piece, |batch, batch_sums| {
            scores.extend(batch);
            sums.extend_from_slice(batch_sums);
        });
    }

    /// The whole file was read: how many records its finished batches scored, and how
    /// many leading bytes of it are the header and those batches.
    pub fn end(&self) -> Result<(usize, usize), String> {
        if self.batches.records() > self.records {
            return Err(format!("{}: more scores than records", self.name));
        }
        Ok((self.batches.records(), self.batches.good()))
    }
}

/// The identity of `file` (named `name`, last modified at `modified` milliseconds since
/// the epoch), by `zipfit_core::checkpoint::identity`.
pub fn identify(file: &Blob, name: &str, modified: f64) -> Result<String, String> {
    let reader = FileReaderSync::new().map_err(|e| format!("{e:?}"))?;
    let size = file.size() as u64;
    checkpoint::identity(name, size, modified as u128, |at, buffer| {
        let end = (at + buffer.len() as u64).min(size);
        let part = file
            .slice_with_f64_and_f64(at as f64, end as f64)
            .and_then(|part| reader.read_as_array_buffer(&part))
            .map_err(|e| format!("cannot read {name}: {e:?}"))?;
        let view = js_sys::Uint8Array::new(&part);
        let n = view.length() as usize;
        view.copy_to(&mut buffer[..n]);
        Ok(n)
    })
}
