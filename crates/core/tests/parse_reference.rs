//! The models' parse must be the one inside Python's real output: the same literals and
//! (length, distance) copies, step for step, that `gzip.compress(s, L)` (zlib 1.2.13) and
//! `lz4.frame.compress(s)` (liblz4 1.9.4) write. `tests/reference/parse_ref.py` decodes
//! that output; this test compares. Inputs: every development record followed by a target
//! (as scored), long concatenations that slide zlib's window and span several LZ4 blocks,
//! and seeded random and repetitive texts. Uses `../shared/data/dev-5k` when present, else
//! the bundled example.
//!
//! Needs `python3` with the `lz4` package (the setup script installs it).

mod common;

use common::{data_dir, python_json, root, texts};

use zipfit_core::compress::{parse, Compressor, Step};

/// A small deterministic generator (xorshift), so the inputs are the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Random texts over small and large alphabets, and repetitive ones with edits.
fn generated() -> Vec<String> {
    let mut rng = Rng(0x5eed_2026);
    let mut out = Vec::new();
    for round in 0..120 {
        let alphabet: Vec<char> = match round % 4 {
            0 => "ab".chars().collect(),
            1 => "abcdefgh \n".chars().collect(),
            2 => (' '..='~').collect(),
            _ => "def return ( ) : \n    x y éλ😀".chars().collect(),
        };
        let len = 1 + rng.below(if round % 10 == 0 { 70_000 } else { 3_000 });
        let random: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        out.push(random);
        // A unit repeated with occasional edits: long matches, lazy-match decisions.
        let unit: String = (0..1 + rng.below(40))
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        let mut repetitive = String::new();
        for _ in 0..1 + rng.below(300) {
            repetitive.push_str(&unit);
            if rng.below(5) == 0 {
                repetitive.push(alphabet[rng.below(alphabet.len())]);
            }
        }
        out.push(repetitive);
    }
    out
}

fn python_steps(inputs: &[String]) -> serde_json::Value {
    let script = root().join("tests/reference/parse_ref.py");
    python_json(&[script.to_str().unwrap(), "--levels", "1,6,9"], inputs)
}

/// Steps as the reference prints them: `[len, distance]`, distance 0 for literals.
fn as_pairs(steps: &[Step]) -> Vec<[u64; 2]> {
    steps
        .iter()
        .map(|s| match *s {
            Step::Literal { len } => [len as u64, 0],
            Step::Copy { len, distance } => [len as u64, distance as u64],
        })
        .collect()
}

#[test]
fn parses_equal_those_decoded_from_python_output() {
    let dir = data_dir();
    let sources = texts(&dir.join("source.jsonl"));
    let targets = texts(&dir.join("target.jsonl"));
    let mut inputs: Vec<String> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| format!("{s}{}", targets[i % targets.len()]))
        .collect();
    inputs.extend(targets.iter().cloned());
    // Long inputs: zlib slides its 32 KiB window; LZ4 links 64 KiB blocks.
    for chunk in sources.chunks(250).take(4) {
        inputs.push(chunk.concat());
    }
    inputs.extend(generated());

    let expected = python_steps(&inputs);
    let compressors = [
        ("gzip1", Compressor::Gzip { level: 1 }),
        ("gzip6", Compressor::Gzip { level: 6 }),
        ("gzip9", Compressor::Gzip { level: 9 }),
        ("lz4", Compressor::Lz4),
    ];
    for (key, compressor) in compressors {
        let want: Vec<Vec<[u64; 2]>> = serde_json::from_value(expected[key].clone()).unwrap();
        let mut steps_compared = 0;
        for (i, text) in inputs.iter().enumerate() {
            let got = as_pairs(&parse(compressor, text.as_bytes()).unwrap());
            if let Some(at) =
                (0..got.len().max(want[i].len())).find(|&k| got.get(k) != want[i].get(k))
            {
                panic!(
                    "{compressor}, input {i} ({} bytes): step {at} is {:?}, Python's is {:?}",
                    text.len(),
                    got.get(at),
                    want[i].get(at)
                );
            }
            steps_compared += got.len();
        }
        println!(
            "{compressor}: {} inputs, {steps_compared} steps equal to Python's",
            inputs.len()
        );
    }
}
