//! The Parquet reader and writer against pyarrow (`tests/reference/parquet_ref.py`):
//! every codec, page version, encoding and column layout gives each row's text, or the
//! row's problem where it has none; rows written back are the source's rows at the
//! indices, in their order, with its schema and codecs. Needs the `parquet` feature and a Python with
//! pyarrow (`ZIPFIT_PYTHON`, default `.venv/bin/python`, made by `scripts/setup.sh --test`).
#![cfg(feature = "parquet")]

mod common;

use std::process::Command;

use bytes::Bytes;
use zipfit_core::jsonl::{FieldPath, Problem};
use zipfit_core::parquet::{self, text_columns};

#[test]
fn parquet_of_every_codec_and_layout_reads_and_writes_as_pyarrow_does() {
    let root = common::root();
    let python = std::env::var("ZIPFIT_PYTHON")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|_| root.join(".venv/bin/python"));
    let out = std::env::temp_dir().join(format!("zipfit-parquet-{}", std::process::id()));
    let status = Command::new(&python)
        .arg(root.join("tests/reference/parquet_ref.py"))
        .arg(common::data_dir().join("source.jsonl"))
        .arg(&out)
        .status()
        .unwrap_or_else(|e| panic!("running {}: {e}", python.display()));
    assert!(status.success(), "parquet_ref.py failed");
    let expected: serde_json::Value =
        serde_json::from_slice(&std::fs::read(out.join("expected.json")).unwrap()).unwrap();
    let files = expected.as_object().unwrap();
    assert!(files.len() >= 30, "only {} files", files.len());
    for (name, case) in files {
        let bytes = Bytes::from(std::fs::read(out.join(name)).unwrap());
        assert!(parquet::is_parquet(&bytes), "{name}");
        let field = case["field"].as_str().unwrap();
        let read = parquet::read_texts(name, bytes.clone(), &FieldPath::new(field))
            .unwrap_or_else(|e| panic!("{e}"));
        let want = case["texts"].as_array().unwrap();
        assert_eq!(read.texts.len(), want.len(), "{name}: rows");
        for (row, (got, want)) in read.texts.iter().zip(want).enumerate() {
            match want.as_str() {
                Some(text) => assert_eq!(got.as_deref(), Ok(text), "{name} row {row}"),
                None => assert_eq!(
                    got,
                    &Err(Problem::NotText(field.to_string(), "null".to_string())),
                    "{name} row {row}"
                ),
            }
        }
        assert!(
            text_columns(name, bytes)
                .unwrap()
                .iter()
                .any(|c| c == field),
            "{name}: {field} listed among the text columns"
        );
    }
    let nulls = Bytes::from(std::fs::read(out.join("nulls.parquet")).unwrap());
    let read =
        parquet::read_texts("nulls.parquet", nulls.clone(), &FieldPath::new("text")).unwrap();
    assert_eq!(read.place(120).to_string(), "row 121 (row group 2)");
    let missing = parquet::read_texts("nulls.parquet", nulls, &FieldPath::new("body")).unwrap_err();
    assert_eq!(
        missing.to_string(),
        "nulls.parquet: no column \"body\" (text columns: text)"
    );
    let truncated = Bytes::from(std::fs::read(out.join("string-zstd-v2-dict.parquet")).unwrap());
    let cut = truncated.slice(..truncated.len() / 2);
    let error = parquet::read_texts("cut.parquet", cut, &FieldPath::new("text")).unwrap_err();
    assert!(
        error
            .to_string()
            .starts_with("cut.parquet: not a readable Parquet file"),
        "{error}"
    );
    for name in [
        "string-zstd-v2-dict.parquet",
        "string-brotli-v1-plain.parquet",
        "chat.parquet",
        "struct.parquet",
        "nulls.parquet",
        "string_view.parquet",
    ] {
        let bytes = Bytes::from(std::fs::read(out.join(name)).unwrap());
        let rows = parquet::read_texts(
            name,
            bytes.clone(),
            &FieldPath::new(files[name]["field"].as_str().unwrap()),
        )
        .unwrap()
        .texts
        .len() as u32;
        // Every third row, best last: an order no reader would keep by chance.
        let indices: Vec<u32> = (0..rows).rev().step_by(3).collect();
        let written = out.join(format!("kept-{name}"));
        let file = std::fs::File::create(&written).unwrap();
        parquet::write_rows(name, bytes, &indices, file).unwrap();
        let indices_file = out.join("indices.json");
        std::fs::write(&indices_file, serde_json::to_vec(&indices).unwrap()).unwrap();
        let output = Command::new(&python)
            .arg(root.join("tests/reference/parquet_ref.py"))
            .args([
                "check".as_ref(),
                out.join(name).as_os_str(),
                written.as_os_str(),
                indices_file.as_os_str(),
            ])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let check: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(check["rows"], indices.len(), "{name}: {check}");
        assert_eq!(check["equal"], true, "{name}: {check}");
        assert_eq!(check["schema_equal"], true, "{name}: {check}");
        assert_eq!(
            check["source_codecs"], check["written_codecs"],
            "{name}: {check}"
        );
    }
    std::fs::remove_dir_all(&out).ok();
}
