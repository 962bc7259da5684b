//! Token estimates: cheap stand-ins for a model's count, computed for every record once,
//! when its file is read. The byte estimate is the default counter, and the guess that
//! sizes the windows a model counts.

use std::str::FromStr;

/// How a record's token count is estimated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenEstimate {
    /// UTF-8 bytes / 4, rounded up: close to BPE tokenizers on English text and code.
    #[default]
    Bytes,
    /// Whitespace-separated words.
    Words,
}

impl TokenEstimate {
    /// The estimated token count of `text`.
    pub fn estimate(self, text: &str) -> u64 {
        match self {
            TokenEstimate::Bytes => (text.len() as u64).div_ceil(4),
            TokenEstimate::Words => text.split_whitespace().count() as u64,
        }
    }
}

impl FromStr for TokenEstimate {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "bytes" => Ok(TokenEstimate::Bytes),
            "words" => Ok(TokenEstimate::Words),
            other => Err(format!(
                "unknown token estimate '{other}' (expected bytes or words)"
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn estimates() {
        assert_eq!(TokenEstimate::Bytes.estimate(""), 0);
        assert_eq!(TokenEstimate::Bytes.estimate("abcde"), 2);
        assert_eq!(TokenEstimate::Words.estimate(" def  f(x):\n  return x "), 4);
    }
}
