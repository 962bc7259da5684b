//! A scoring run's checkpoint: the scores of every batch finished so far, kept in a file
//! beside the run's outputs, so that a run killed at any moment (SIGKILL, power loss)
//! continues where it stopped and ends with the bytes an uninterrupted run writes.
//!
//! The file is JSON lines: a header naming the run (its inputs' identities and its
//! method), then one line per finished batch, `{"start": S, "scores": [...]}`, written and
//! synced to disk before the batch counts as done. Scores are written so that they read
//! back as the same `f64`. A line cut short by a crash is dropped and its batch scored
//! again.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

/// The suffix of a checkpoint's name: `kept.jsonl` keeps its run's in
/// `kept.jsonl.zipfit-checkpoint`.
pub const SUFFIX: &str = ".zipfit-checkpoint";

/// Bytes hashed from each of a file's samples (its start, its end, and 14 between).
const SAMPLE: u64 = 64 << 10;

/// A checkpoint could not be used.
#[derive(Debug, thiserror::Error)]
pub enum CheckpointError {
    /// It is not a checkpoint.
    #[error("{0}: not a zipfit checkpoint")]
    NotCheckpoint(String),
    /// It is another run's: an input or the method changed.
    #[error(
        "{path}: it is the checkpoint of another run ({what} differs); remove it to start again"
    )]
    OtherRun {
        /// The checkpoint.
        path: String,
        /// The first part of the run that differs.
        what: String,
    },
    /// It could not be read or written.
    #[error("{0}: {1}")]
    Io(String, io::Error),
}

/// What identifies an input file: its path, size, modification time, and a SHA-256 of
/// sampled bytes (so an edited file of the same name, size and time is not taken for it).
pub fn file_identity(path: &Path) -> io::Result<String> {
    let mut file = File::open(path)?;
    let meta = file.metadata()?;
    let modified = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let label = path.display().to_string();
    identity(&label, meta.len(), modified, |at, buffer| {
        file.seek(SeekFrom::Start(at))?;
        let mut filled = 0;
        while filled < buffer.len() {
            match file.read(&mut buffer[filled..])? {
                0 => break,
                n => filled += n,
            }
        }
        Ok(filled)
    })
}

/// An input's identity from its `label` (a path or a file name), `size`, modification
/// time and sampled bytes: `read(at, buffer)` reads the bytes at offset `at` into
/// `buffer`, returning how many it read. The browser's files and the CLI's are
/// identified by this one rule.
pub fn identity<E>(
    label: &str,
    size: u64,
    modified: u128,
    mut read: impl FnMut(u64, &mut [u8]) -> Result<usize, E>,
) -> Result<String, E> {
    let mut hash = Sha256::new();
    let mut buffer = vec![0u8; SAMPLE.min(size) as usize];
    let last = size.saturating_sub(SAMPLE);
    for k in 0..16u64 {
        let n = read(last * k / 15, &mut buffer)?;
        hash.update(&buffer[..n]);
    }
    let digest: String = hash.finalize().iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "{label} size {size} modified {modified} sha256 {digest}"
    ))
}

/// The run's identity as `(what, value)` pairs: the header of its checkpoint.
pub type Run = Vec<(String, String)>;

/// The first line of a checkpoint of `run`.
pub fn header(run: &Run) -> Vec<u8> {
    let header = serde_json::json!({ "zipfit_checkpoint": 1, "run": run });
    let mut line = header.to_string().into_bytes();
    line.push(b'\n');
    line
}

/// The line of a finished batch: the scores of records `start..` and, when the run keeps
/// them, their fold sums (`folds` per record, record by record). Scores are written so
/// that they read back as the same `f64`.
pub fn batch_line(start: usize, scores: &[f64], sums: Option<&[i64]>) -> Vec<u8> {
    let line = match sums {
        None => serde_json::json!({ "start": start, "scores": scores }),
        Some(sums) => serde_json::json!({ "start": start, "scores": scores, "sums": sums }),
    };
    let mut bytes = line.to_string().into_bytes();
    bytes.push(b'\n');
    bytes
}

/// The run a checkpoint's bytes are of (read from its first line only), if they are a
/// checkpoint's.
pub fn read_header(bytes: &[u8]) -> Option<Run> {
    let line = bytes.split_inclusive(|&b| b == b'\n').next()?;
    if !line.ends_with(b"\n") {
        return None;
    }
    let header: serde_json::Value = serde_json::from_slice(line).ok()?;
    header.get("zipfit_checkpoint")?;
    serde_json::from_value(header.get("run")?.clone()).ok()
}

/// What a checkpoint holds: its finished batches, in record order.
#[derive(Debug, Default, PartialEq)]
pub struct Finished {
    /// The scores of records `0..scores.len()`.
    pub scores: Vec<f64>,
    /// Their fold sums, record by record, when the run keeps them (else empty).
    pub sums: Vec<i64>,
    /// How many leading bytes are the header and whole batches: what follows (a line a
    /// crash cut short) is to be cut off before batches are added.
    pub good: usize,
}

/// Reads the checkpoint `bytes` (named `name` in errors) of `run`: every whole batch,
/// in order, up to the first line that is cut short or out of place.
pub fn read(name: &str, bytes: &[u8], run: &Run) -> Result<Finished, CheckpointError> {
    let mut batches = Batches::new(name, bytes, run)?;
    let mut finished = Finished::default();
    batches.push(&bytes[batches.good()..], |scores, sums| {
        finished.scores.extend_from_slice(scores);
        finished.sums.extend_from_slice(sums);
    });
    finished.good = batches.good();
    Ok(finished)
}

/// A checkpoint's batches read a piece of the file at a time, so that a run of any
/// size is read back without holding its file: [`read`] for a file read in pieces.
pub struct Batches {
    /// The bytes of a line not ended yet.
    pending: Vec<u8>,
    /// Records whose scores were handed out, and the bytes of the header and of their
    /// batches.
    records: usize,
    good: usize,
    /// A line cut short or out of place was met: nothing after it counts.
    stopped: bool,
}

impl Batches {
    /// Starts reading a checkpoint of `run` (named `name` in errors) whose file starts
    /// with `head` (at least its first line); then [`Batches::push`] the file from byte
    /// [`Batches::good`] on.
    pub fn new(name: &str, head: &[u8], run: &Run) -> Result<Batches, CheckpointError> {
        let theirs =
            read_header(head).ok_or_else(|| CheckpointError::NotCheckpoint(name.into()))?;
        if let Some(((what, _), _)) = run.iter().zip(&theirs).find(|(a, b)| a != b) {
            return Err(CheckpointError::OtherRun {
                path: name.to_string(),
                what: what.clone(),
            });
        }
        if run.len() != theirs.len() {
            return Err(CheckpointError::OtherRun {
                path: name.to_string(),
                what: "the method".to_string(),
            });
        }
        let header = head
            .split_inclusive(|&b| b == b'\n')
            .next()
            .map_or(0, <[u8]>::len);
        Ok(Batches {
            pending: Vec::new(),
            records: 0,
            good: header,
            stopped: false,
        })
    }

    /// Reads the next `piece` of the file: `batch(scores, sums)` gets each whole batch
    /// in turn (the scores of the next records, and their fold sums when the run keeps
    /// them, else none).
    pub fn push(&mut self, piece: &[u8], mut batch: impl FnMut(&[f64], &[i64])) {
        let mut rest = piece;
        while !self.stopped {
            let Some(end) = rest.iter().position(|&b| b == b'\n') else {
                self.pending.extend_from_slice(rest);
                return;
            };
            let line = if self.pending.is_empty() {
                &rest[..=end]
            } else {
                self.pending.extend_from_slice(&rest[..=end]);
                &self.pending[..]
            };
            #[derive(serde::Deserialize)]
            struct Batch {
                start: usize,
                scores: Vec<f64>,
                #[serde(default)]
                sums: Vec<i64>,
            }
            match serde_json::from_slice::<Batch>(line) {
                Ok(read) if read.start == self.records => {
                    batch(&read.scores, &read.sums);
                    self.records += read.scores.len();
                    self.good += line.len();
                }
                _ => self.stopped = true,
            }
            self.pending.clear();
            rest = &rest[end + 1..];
        }
    }

    /// How many leading bytes of the file are the header and the whole batches read so
    /// far: what follows them (a line a crash cut short) is to be cut off before batches
    /// are added.
    pub fn good(&self) -> usize {
        self.good
    }

    /// Records whose scores were handed out.
    pub fn records(&self) -> usize {
        self.records
    }
}

/// A checkpoint being written.
pub struct Checkpoint {
    path: PathBuf,
    file: File,
}

impl Checkpoint {
    /// The checkpoint of a run whose first output is `output`.
    pub fn path_for(output: &Path) -> PathBuf {
        let mut name = output.as_os_str().to_owned();
        name.push(SUFFIX);
        PathBuf::from(name)
    }

    /// Starts the checkpoint `path` of `run` (an old file there is replaced).
    pub fn create(path: &Path, run: &Run) -> Result<Checkpoint, CheckpointError> {
        let io = |e| CheckpointError::Io(path.display().to_string(), e);
        let mut file = File::create(path).map_err(io)?;
        file.write_all(&header(run))
            .and_then(|()| file.sync_all())
            .map_err(io)?;
        Ok(Checkpoint {
            path: path.to_path_buf(),
            file,
        })
    }

    /// Opens the checkpoint `path` of `run` to continue it: the scores of its finished
    /// batches, in record order, and the checkpoint to add to. A line cut short is cut off.
    pub fn resume(path: &Path, run: &Run) -> Result<(Checkpoint, Vec<f64>), CheckpointError> {
        let name = path.display().to_string();
        let io = |e| CheckpointError::Io(name.clone(), e);
        let bytes = std::fs::read(path).map_err(io)?;
        let finished = read(&name, &bytes, run)?;
        let file = OpenOptions::new().write(true).open(path).map_err(io)?;
        file.set_len(finished.good as u64).map_err(io)?;
        let mut checkpoint = Checkpoint {
            path: path.to_path_buf(),
            file,
        };
        checkpoint.file.seek(SeekFrom::End(0)).map_err(io)?;
        Ok((checkpoint, finished.scores))
    }

    /// Adds a finished batch: the scores of records `start..`, on disk when this returns.
    pub fn add(&mut self, start: usize, scores: &[f64]) -> io::Result<()> {
        self.file.write_all(&batch_line(start, scores, None))?;
        self.file.sync_data()
    }

    /// The run is complete and its outputs written: the checkpoint goes.
    pub fn remove(self) -> io::Result<()> {
        std::fs::remove_file(&self.path)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(method: &str) -> Run {
        vec![
            ("source".into(), "s 1".into()),
            ("method".into(), method.into()),
        ]
    }

    #[test]
    fn a_checkpoint_read_in_pieces_gives_what_it_gives_whole() {
        let run = run("lz4");
        let mut bytes = header(&run);
        let mut scores = Vec::new();
        for batch in 0..40usize {
            let these: Vec<f64> = (0..batch % 7 + 1)
                .map(|k| (batch * 10 + k) as f64 / 3.0)
                .collect();
            bytes.extend(batch_line(scores.len(), &these, None));
            scores.extend(these);
        }
        let whole_length = bytes.len();
        bytes.extend_from_slice(b"{\"start\": 3, \"scor"); // cut short by a crash
        let whole = read("c", &bytes, &run).unwrap();
        assert_eq!(whole.scores, scores);
        assert_eq!(whole.good, whole_length);
        for piece in [1, 7, 100, bytes.len()] {
            let mut batches = Batches::new("c", &bytes[..200], &run).unwrap();
            let mut read_back = Vec::new();
            for part in bytes[batches.good()..].chunks(piece) {
                batches.push(part, |s, sums| {
                    assert!(sums.is_empty());
                    read_back.extend_from_slice(s);
                });
            }
            assert_eq!(read_back, scores, "pieces of {piece}");
            assert_eq!(
                (batches.records(), batches.good()),
                (scores.len(), whole_length)
            );
        }
        assert!(Batches::new("c", &bytes, &self::tests::run("gzip")).is_err());
    }

    #[test]
    fn batches_come_back_exactly_and_a_torn_line_is_dropped() {
        let dir = std::env::temp_dir().join(format!("zipfit-checkpoint-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = Checkpoint::path_for(&dir.join("kept.jsonl"));
        assert!(path
            .to_string_lossy()
            .ends_with("kept.jsonl.zipfit-checkpoint"));
        let scores = [0.1 + 0.2, 1.0 / 3.0, f64::MIN_POSITIVE, 0.0];
        let mut checkpoint = Checkpoint::create(&path, &run("lz4")).unwrap();
        checkpoint.add(0, &scores[..2]).unwrap();
        checkpoint.add(2, &scores[2..]).unwrap();
        drop(checkpoint);
        // A crash in the middle of a third batch's line.
        let mut file = OpenOptions::new().append(true).open(&path).unwrap();
        file.write_all(br#"{"start": 4, "scores": [0.5, 0.2"#)
            .unwrap();
        drop(file);
        let (mut checkpoint, done) = Checkpoint::resume(&path, &run("lz4")).unwrap();
        assert_eq!(
            done.iter().map(|s| s.to_bits()).collect::<Vec<_>>(),
            scores.iter().map(|s| s.to_bits()).collect::<Vec<_>>()
        );
        checkpoint.add(4, &[0.25]).unwrap();
        drop(checkpoint);
        let (checkpoint, done) = Checkpoint::resume(&path, &run("lz4")).unwrap();
        assert_eq!(done.len(), 5);
        // Another method is another run.
        let other = Checkpoint::resume(&path, &run("gzip 9")).err().unwrap();
        assert!(other.to_string().contains("(method differs)"), "{other}");
        checkpoint.remove().unwrap();
        assert!(!path.exists());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn fold_sums_come_back_with_their_scores() {
        let run = run("gzip 9");
        let mut bytes = header(&run);
        bytes.extend(batch_line(0, &[0.5, 0.25], Some(&[1, -2, 3, 4])));
        bytes.extend(batch_line(2, &[0.125], Some(&[5, 6])));
        let whole = bytes.len();
        bytes.extend(batch_line(3, &[0.75], Some(&[7, 8])));
        bytes.pop(); // a crash before the last line's newline
        let finished = read("c", &bytes, &run).unwrap();
        assert_eq!(finished.scores, [0.5, 0.25, 0.125]);
        assert_eq!(finished.sums, [1, -2, 3, 4, 5, 6]);
        assert_eq!(finished.good, whole);
        assert_eq!(read_header(&bytes), Some(run));
        assert_eq!(read_header(b"{\"run\": []}\n"), None);
    }

    #[test]
    fn a_file_and_its_bytes_have_one_identity() {
        let path = std::env::temp_dir().join(format!("zipfit-sampled-{}", std::process::id()));
        for size in [0usize, 10, 65_536, 1_000_003] {
            let bytes: Vec<u8> = (0..size).map(|i| (i * 7 % 251) as u8).collect();
            std::fs::write(&path, &bytes).unwrap();
            let from_file = file_identity(&path).unwrap();
            let modified = from_file.split(" modified ").nth(1).unwrap();
            let modified: u128 = modified.split(' ').next().unwrap().parse().unwrap();
            let label = path.display().to_string();
            let from_bytes = identity(&label, size as u64, modified, |at, buffer| {
                let at = at as usize;
                let n = buffer.len().min(size - at);
                buffer[..n].copy_from_slice(&bytes[at..at + n]);
                Ok::<_, ()>(n)
            });
            assert_eq!(from_bytes.unwrap(), from_file, "size {size}");
        }
        std::fs::remove_file(&path).unwrap();
    }

    #[test]
    fn a_file_edited_in_place_has_another_identity() {
        let path = std::env::temp_dir().join(format!("zipfit-identity-{}", std::process::id()));
        std::fs::write(&path, vec![b'a'; 300_000]).unwrap();
        let before = file_identity(&path).unwrap();
        let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
        let mut bytes = vec![b'a'; 300_000];
        bytes[0] = b'b';
        std::fs::write(&path, &bytes).unwrap();
        File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(modified)
            .unwrap();
        assert_ne!(file_identity(&path).unwrap(), before);
        std::fs::remove_file(&path).unwrap();
    }
}
