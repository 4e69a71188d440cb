//! Token counts with a real BPE tokenizer: OpenAI's `cl100k_base` (GPT-4, GPT-3.5) or
//! `o200k_base` (GPT-4o and later), whose vocabularies ship inside the `tiktoken-rs` crate,
//! so counting needs no network and no download.

use serde::Serialize;

/// A BPE vocabulary to count tokens with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Tokenizer {
    /// `cl100k_base`: GPT-4 and GPT-3.5 (and a close stand-in for most other models).
    #[default]
    #[value(name = "cl100k")]
    Cl100k,
    /// `o200k_base`: GPT-4o, o1 and later.
    #[value(name = "o200k")]
    O200k,
}

impl Tokenizer {
    /// The vocabulary's name (`cl100k_base`).
    pub fn as_str(self) -> &'static str {
        match self {
            Tokenizer::Cl100k => "cl100k_base",
            Tokenizer::O200k => "o200k_base",
        }
    }

    /// The number of tokens `text` encodes to, special-token text counted as ordinary
    /// text. The vocabulary is loaded once per process (tens of milliseconds).
    pub fn count(self, text: &str) -> usize {
        let bpe = match self {
            Tokenizer::Cl100k => tiktoken_rs::cl100k_base_singleton(),
            Tokenizer::O200k => tiktoken_rs::o200k_base_singleton(),
        };
        bpe.count_ordinary(text)
    }
}

#[cfg(test)]
mod tests {
    use super::Tokenizer;

    #[test]
    fn counts_follow_the_vocabulary() {
        // Reference counts from OpenAI's tiktoken for the same strings.
        assert_eq!(Tokenizer::Cl100k.count("hello world"), 2);
        assert_eq!(Tokenizer::Cl100k.count(""), 0);
        assert_eq!(Tokenizer::O200k.count("hello world"), 2);
        let code = "pub fn parse(input: &str) -> usize {\n    input.len()\n}\n";
        assert!(Tokenizer::Cl100k.count(code) < code.len() / 2);
        // Special-token text is ordinary text here, not one special token.
        assert!(Tokenizer::Cl100k.count("<|endoftext|>") > 1);
    }
}
