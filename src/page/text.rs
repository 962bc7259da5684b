//! How numbers, sizes and durations read on the page.

/// `n` with its noun, singular for one: "1 record", "2,000 records".
pub fn counted(n: usize, noun: &str) -> String {
    let plural = if n == 1 { "" } else { "s" };
    format!("{} {noun}{plural}", thousands(n))
}

/// A record's place: `line` (or row) `line`, with its file when the input has several.
pub fn place(unit: &str, file: Option<&str>, line: usize) -> String {
    match file {
        Some(file) => format!("{file}, {unit} {}", thousands(line)),
        None => format!("{unit} {}", thousands(line)),
    }
}

pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub fn bytes_label(n: u64) -> String {
    match n {
        n if n >= 1 << 30 => format!("{:.1} GiB", n as f64 / (1u64 << 30) as f64),
        n if n >= 1 << 20 => format!("{:.1} MiB", n as f64 / (1u64 << 20) as f64),
        n if n >= 1 << 10 => format!("{:.1} KiB", n as f64 / 1024.0),
        n => format!("{n} bytes"),
    }
}

pub fn duration_label(seconds: f64) -> String {
    if seconds >= 90.0 {
        format!(
            "{:.0} min {:.0} s",
            (seconds / 60.0).floor(),
            seconds % 60.0
        )
    } else {
        format!("{seconds:.1} s")
    }
}

/// Whether a file name says JSONL (or plain text), perhaps gzip-compressed.
pub fn looks_like_jsonl(name: &str) -> bool {
    let name = name.to_ascii_lowercase();
    let name = name.strip_suffix(".gz").unwrap_or(&name);
    [".jsonl", ".json", ".ndjson", ".txt"]
        .iter()
        .any(|ext| name.ends_with(ext))
}

#[cfg(test)]
mod tests {
    use super::*;
    use wasm_bindgen_test::*;

    wasm_bindgen_test_configure!(run_in_dedicated_worker);

    #[wasm_bindgen_test]
    fn counts_read_as_english() {
        assert_eq!(counted(1, "target"), "1 target");
        assert_eq!(counted(0, "record"), "0 records");
        assert_eq!(counted(12_345, "token"), "12,345 tokens");
        assert_eq!(thousands(1_000_000), "1,000,000");
    }
}
