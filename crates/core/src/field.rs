//! Where a record's text is ([`FieldPath`]) and why a record has none ([`Problem`]):
//! the rules every reader applies, JSONL ([`crate::jsonl`]) and Parquet alike.

use std::borrow::Cow;
use std::fmt;

use serde_json::Value;

/// Where a record's text lives in its JSON object.
///
/// A field name (`text`), a dotted path into nested objects (`meta.body`), or a
/// field holding a chat-style array of `{"role", "content"}` messages, whose
/// contents are joined with newlines. A key that itself contains dots is found
/// before the dotted path is tried.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldPath {
    raw: String,
}

impl FieldPath {
    /// A field path from its written form.
    pub fn new(raw: &str) -> Self {
        FieldPath {
            raw: raw.to_string(),
        }
    }

    /// The path as the user wrote it.
    pub fn as_str(&self) -> &str {
        &self.raw
    }

    fn lookup<'v>(&self, object: &'v Value) -> Option<&'v Value> {
        if let Some(value) = object.get(&self.raw) {
            return Some(value);
        }
        let mut value = object;
        for segment in self.raw.split('.') {
            value = match value {
                Value::Object(map) => map.get(segment)?,
                Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(value)
    }

    /// The text this path selects in one parsed record.
    pub fn extract<'v>(&self, record: &'v Value) -> Result<Cow<'v, str>, Problem> {
        if !record.is_object() {
            return Err(Problem::NotAnObject);
        }
        let value = self
            .lookup(record)
            .ok_or_else(|| Problem::MissingField(self.raw.clone()))?;
        match value {
            Value::String(text) => Ok(Cow::Borrowed(text)),
            Value::Array(messages) if !messages.is_empty() => {
                let mut joined = String::new();
                for (i, message) in messages.iter().enumerate() {
                    let content =
                        message
                            .get("content")
                            .and_then(Value::as_str)
                            .ok_or_else(|| {
                                Problem::NotText(
                                    self.raw.clone(),
                                    format!("message {i} has no string \"content\""),
                                )
                            })?;
                    if i > 0 {
                        joined.push('\n');
                    }
                    joined.push_str(content);
                }
                Ok(Cow::Owned(joined))
            }
            other => Err(Problem::NotText(
                self.raw.clone(),
                kind_of(other).to_string(),
            )),
        }
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.raw)
    }
}

fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an empty array",
        Value::Object(_) => "an object",
    }
}

/// Why one line is not a usable record.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Problem {
    /// The bytes are not UTF-8.
    #[error("invalid UTF-8 at byte {0} of the line")]
    InvalidUtf8(usize),
    /// The line is not valid JSON.
    #[error("not valid JSON: {0}")]
    Json(String),
    /// The line is JSON but not an object.
    #[error("not a JSON object")]
    NotAnObject,
    /// The text field is absent.
    #[error("no field \"{0}\"")]
    MissingField(String),
    /// The text field holds something other than text.
    #[error("field \"{0}\" is not text ({1})")]
    NotText(String, String),
    /// The row's row group could not be decoded (a corrupt page): the row cannot be read,
    /// nor written back.
    #[error("its row group could not be read ({0})")]
    Unreadable(String),
}
