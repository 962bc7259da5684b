#![allow(dead_code)] // each test uses part of it
//! What the reference tests share: where the data is, and reading its texts.

use std::path::{Path, PathBuf};

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// `../shared/data/dev-5k` when present, else the bundled example.
pub fn data_dir() -> PathBuf {
    let dev = root().join("../shared/data/dev-5k");
    if dev.join("source.jsonl").exists() {
        dev
    } else {
        root().join("www/example")
    }
}

/// The `text` of every record of a JSONL file.
pub fn texts(path: &Path) -> Vec<String> {
    std::fs::read_to_string(path)
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["text"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect()
}

/// Runs `python3 args...` with `inputs` as JSON on its standard input; its JSON output.
pub fn python_json(args: &[&str], inputs: &[String]) -> serde_json::Value {
    use std::process::{Command, Stdio};
    let mut child = Command::new("python3")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 must be installed");
    let stdin = child.stdin.take().unwrap();
    let payload = serde_json::to_vec(inputs).unwrap();
    let writer = std::thread::spawn(move || {
        let mut stdin = stdin;
        std::io::Write::write_all(&mut stdin, &payload).unwrap();
    });
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert!(
        output.status.success(),
        "python3 {args:?} failed (is the lz4 package installed?)"
    );
    serde_json::from_slice(&output.stdout).unwrap()
}
