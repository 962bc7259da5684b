//! A model's own tokenizer: a Hugging Face `tokenizer.json`, or one of OpenAI's encodings.
//!
//! A count is what the model's library gives without the special tokens a
//! post-processor adds: `Tokenizer.encode(text, add_special_tokens=False)` in Hugging
//! Face's `tokenizers`, `Encoding.encode_ordinary(text)` in `tiktoken`. Truncation and
//! padding a `tokenizer.json` may set are turned off: a budget counts whole records.

use std::fmt;

use base64::Engine as _;

/// A tokenizer could not be loaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    /// The file could not be read.
    #[error("{name}: cannot read the tokenizer: {reason}")]
    Unreadable {
        /// The file's name.
        name: String,
        /// Why.
        reason: String,
    },
    /// The file is not a tokenizer this reader knows.
    #[error("{name}: not a tokenizer.json: {reason}")]
    NotTokenizer {
        /// The file's name.
        name: String,
        /// Why.
        reason: String,
    },
    /// The file is a tokenizer.json, but uses something the reader does not support.
    #[error("{name}: unsupported tokenizer.json: {reason}")]
    Unsupported {
        /// The file's name.
        name: String,
        /// What is unsupported.
        reason: String,
    },
    /// An encoding's rank file is malformed.
    #[error("{name}: line {line}: not a tiktoken rank line")]
    BadRanks {
        /// The encoding's name.
        name: String,
        /// 1-based line.
        line: usize,
    },
}

/// OpenAI's encodings, as `tiktoken` defines them (`tiktoken_ext/openai_public.py`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenAiEncoding {
    /// GPT-4 and GPT-3.5's encoding.
    Cl100kBase,
    /// GPT-4o's encoding.
    O200kBase,
}

impl OpenAiEncoding {
    /// Every encoding offered.
    pub const ALL: [OpenAiEncoding; 2] = [OpenAiEncoding::Cl100kBase, OpenAiEncoding::O200kBase];

    /// The encoding's name in tiktoken.
    pub fn name(self) -> &'static str {
        match self {
            OpenAiEncoding::Cl100kBase => "cl100k_base",
            OpenAiEncoding::O200kBase => "o200k_base",
        }
    }

    /// The encoding named `name`, if it is one of ours.
    pub fn from_name(name: &str) -> Option<OpenAiEncoding> {
        Self::ALL.into_iter().find(|e| e.name() == name)
    }

    /// The rank file's name (`cl100k_base.tiktoken`), as tiktoken publishes it.
    pub fn file_name(self) -> String {
        format!("{}.tiktoken", self.name())
    }

    /// The split pattern, as tiktoken 0.12 has it.
    fn pattern(self) -> &'static str {
        match self {
            OpenAiEncoding::Cl100kBase => {
                r"'(?i:[sdmt]|ll|ve|re)|[^\r\n\p{L}\p{N}]?+\p{L}++|\p{N}{1,3}+| ?[^\s\p{L}\p{N}]++[\r\n]*+|\s++$|\s*[\r\n]|\s+(?!\S)|\s"
            }
            OpenAiEncoding::O200kBase => tiktoken_rs::O200K_BASE_PAT_STR,
        }
    }

    /// The special tokens (never produced by `encode_ordinary`, but part of the encoding).
    fn special_tokens(self) -> &'static [(&'static str, u32)] {
        match self {
            OpenAiEncoding::Cl100kBase => &[
                ("<|endoftext|>", 100257),
                ("<|fim_prefix|>", 100258),
                ("<|fim_middle|>", 100259),
                ("<|fim_suffix|>", 100260),
                ("<|endofprompt|>", 100276),
            ],
            OpenAiEncoding::O200kBase => &[("<|endoftext|>", 199999), ("<|endofprompt|>", 200018)],
        }
    }

    /// The encoding built from its rank file (`TOKEN_BASE64 RANK` per line).
    pub fn load(self, ranks: &[u8]) -> Result<TokenModel, ModelError> {
        let bad = |line: usize| ModelError::BadRanks {
            name: self.file_name(),
            line,
        };
        let mut encoder = Vec::new();
        for (number, line) in ranks.split(|&b| b == b'\n').enumerate() {
            if line.is_empty() {
                continue;
            }
            let space = line
                .iter()
                .position(|&b| b == b' ')
                .ok_or_else(|| bad(number + 1))?;
            let token = base64::engine::general_purpose::STANDARD
                .decode(&line[..space])
                .map_err(|_| bad(number + 1))?;
            let rank = std::str::from_utf8(&line[space + 1..])
                .ok()
                .and_then(|r| r.trim_end_matches('\r').parse::<u32>().ok())
                .ok_or_else(|| bad(number + 1))?;
            encoder.push((token, rank));
        }
        let special = self
            .special_tokens()
            .iter()
            .map(|&(token, rank)| (token.to_string(), rank))
            .collect();
        let bpe = tiktoken_rs::CoreBPE::new(encoder.into_iter().collect(), special, self.pattern())
            .map_err(|error| ModelError::Unsupported {
                name: self.file_name(),
                reason: error.to_string(),
            })?;
        Ok(TokenModel {
            name: self.name().to_string(),
            kind: Kind::OpenAi(bpe),
        })
    }

    /// The encoding from the rank file built into the binary.
    #[cfg(feature = "builtin-encodings")]
    pub fn builtin(self) -> Result<TokenModel, ModelError> {
        let ranks: &[u8] = match self {
            OpenAiEncoding::Cl100kBase => include_bytes!("../../encodings/cl100k_base.tiktoken"),
            OpenAiEncoding::O200kBase => include_bytes!("../../encodings/o200k_base.tiktoken"),
        };
        self.load(ranks)
    }
}

/// A model's tokenizer, named for summaries.
pub struct TokenModel {
    name: String,
    kind: Kind,
}

enum Kind {
    HuggingFace(Box<tokenizers::Tokenizer>),
    OpenAi(tiktoken_rs::CoreBPE),
}

impl fmt::Debug for TokenModel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenModel")
            .field("name", &self.name)
            .finish()
    }
}

impl TokenModel {
    /// A Hugging Face `tokenizer.json` (the file `name`, its bytes `json`).
    pub fn hugging_face(name: &str, json: &[u8]) -> Result<TokenModel, ModelError> {
        let not_tokenizer = |reason: String| ModelError::NotTokenizer {
            name: name.to_string(),
            reason,
        };
        let value: serde_json::Value = serde_json::from_slice(json)
            .map_err(|error| not_tokenizer(format!("not JSON ({error})")))?;
        let model_type = value
            .get("model")
            .and_then(|model| model.as_object())
            .ok_or_else(|| not_tokenizer("it has no \"model\" object".to_string()))?;
        if !model_type.contains_key("vocab") {
            return Err(not_tokenizer("its \"model\" has no \"vocab\"".to_string()));
        }
        let mut tokenizer: tokenizers::Tokenizer =
            serde_json::from_value(value).map_err(|error| ModelError::Unsupported {
                name: name.to_string(),
                reason: error.to_string(),
            })?;
        tokenizer
            .with_truncation(None)
            .map_err(|error| ModelError::Unsupported {
                name: name.to_string(),
                reason: error.to_string(),
            })?;
        tokenizer.with_padding(None);
        Ok(TokenModel {
            name: name.to_string(),
            kind: Kind::HuggingFace(Box::new(tokenizer)),
        })
    }

    /// The tokenizer's name: the file's name, or the encoding's.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Tokens of `text`, without special tokens added.
    pub fn count(&self, text: &str) -> Result<u64, String> {
        match &self.kind {
            Kind::HuggingFace(tokenizer) => tokenizer
                .encode_fast(text, false)
                .map(|encoding| encoding.len() as u64)
                .map_err(|error| error.to_string()),
            Kind::OpenAi(bpe) => Ok(bpe.encode_ordinary(text).len() as u64),
        }
    }
}

#[cfg(all(test, feature = "builtin-encodings"))]
mod tests {
    use super::*;

    #[test]
    fn openai_encodings_count_as_tiktoken_does() {
        // tiktoken: encode_ordinary("hello world") is [15339, 1917] in cl100k_base;
        // the special token's text is ordinary text here.
        let cl100k = OpenAiEncoding::Cl100kBase.builtin().unwrap();
        assert_eq!(cl100k.count("hello world"), Ok(2));
        assert_eq!(cl100k.count(""), Ok(0));
        assert!(cl100k.count("<|endoftext|>").unwrap() > 1);
        let o200k = OpenAiEncoding::O200kBase.builtin().unwrap();
        assert_eq!(o200k.count("hello world"), Ok(2));
        assert_eq!(o200k.name(), "o200k_base");
    }

    #[test]
    fn a_bad_rank_line_is_named() {
        let error = OpenAiEncoding::Cl100kBase
            .load(b"IQ== 0\nnot-a-line\n")
            .unwrap_err();
        assert_eq!(
            error.to_string(),
            "cl100k_base.tiktoken: line 2: not a tiktoken rank line"
        );
    }

    #[test]
    fn a_tokenizer_json_is_checked_before_it_is_read() {
        let error = TokenModel::hugging_face("x.json", b"[1, 2]").unwrap_err();
        assert_eq!(
            error.to_string(),
            "x.json: not a tokenizer.json: it has no \"model\" object"
        );
        let word_level = br#"{"version": "1.0", "truncation": null, "padding": null, "added_tokens": [],
            "normalizer": null, "pre_tokenizer": {"type": "Whitespace"}, "post_processor": null,
            "decoder": null, "model": {"type": "WordLevel", "vocab": {"a": 0, "b": 1, "[UNK]": 2}, "unk_token": "[UNK]"}}"#;
        let model = TokenModel::hugging_face("w.json", word_level).unwrap();
        assert_eq!(model.count("a b c a"), Ok(4));
    }
}
