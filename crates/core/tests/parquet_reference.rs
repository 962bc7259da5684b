//! The Parquet reader against files pyarrow writes (`tests/reference/parquet_ref.py`):
//! every codec, page version, encoding and column layout gives each row's text, or the
//! row's problem where it has none. Needs the `parquet` feature and a Python with
//! pyarrow (`ZIPFIT_PYTHON`, default `.venv/bin/python`, made by `scripts/setup.sh --test`).
#![cfg(feature = "parquet")]

mod common;

use std::process::Command;

use bytes::Bytes;
use zipfit_core::jsonl::{FieldPath, Problem};
use zipfit_core::parquet::{self, text_columns};

#[test]
fn parquet_of_every_codec_and_layout_gives_the_texts_pyarrow_wrote() {
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
    std::fs::remove_dir_all(&out).ok();
}
