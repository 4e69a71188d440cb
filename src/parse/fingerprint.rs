//! Token fingerprints: a hash of a token stream that ignores spans, whitespace and comments,
//! so two bodies written token for token alike get the same value.

use proc_macro2::{Delimiter, Spacing, TokenStream, TokenTree};
use xxhash_rust::xxh3::Xxh3;

/// XXH3-64 over the tokens of `tokens`: identifiers and literals by their text, punctuation
/// by character and spacing, groups by delimiter around their contents. Never 0 (0 is
/// mapped to 1), so `0` can stand for "no body" in compact records.
pub fn token_fingerprint(tokens: TokenStream) -> u64 {
    let mut hasher = Xxh3::new();
    let mut scratch = String::new();
    feed(&mut hasher, tokens, &mut scratch);
    hasher.digest().max(1)
}

/// Feeds `tokens` to `hasher`; `scratch` is reused to print identifiers and literals.
fn feed(hasher: &mut Xxh3, tokens: TokenStream, scratch: &mut String) {
    use std::fmt::Write;
    for tree in tokens {
        match tree {
            TokenTree::Group(g) => {
                let (open, close) = match g.delimiter() {
                    Delimiter::Parenthesis => (b'(', b')'),
                    Delimiter::Brace => (b'{', b'}'),
                    Delimiter::Bracket => (b'[', b']'),
                    Delimiter::None => (b'<', b'>'),
                };
                hasher.update(&[open]);
                feed(hasher, g.stream(), scratch);
                hasher.update(&[close]);
            }
            TokenTree::Ident(i) => {
                scratch.clear();
                let _ = write!(scratch, "{i}");
                hasher.update(b"i");
                hasher.update(scratch.as_bytes());
                hasher.update(&[0]);
            }
            TokenTree::Punct(p) => {
                let joint = if p.spacing() == Spacing::Joint {
                    b'j'
                } else {
                    b'a'
                };
                let mut buf = [0; 4];
                hasher.update(b"p");
                hasher.update(p.as_char().encode_utf8(&mut buf).as_bytes());
                hasher.update(&[joint]);
            }
            TokenTree::Literal(l) => {
                scratch.clear();
                let _ = write!(scratch, "{l}");
                hasher.update(b"l");
                hasher.update(scratch.as_bytes());
                hasher.update(&[0]);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fp(src: &str) -> u64 {
        token_fingerprint(src.parse().unwrap())
    }

    #[test]
    fn ignores_layout_and_comments_but_not_tokens() {
        assert_eq!(fp("{ a + b /* sum */ }"), fp("{\n    a +\n    b\n}"));
        assert_ne!(fp("{ a + b }"), fp("{ a - b }"));
        assert_ne!(fp("{ a }"), fp("( a )"));
        assert_ne!(fp("{ x.0 }"), fp("{ x.1 }"));
    }
}
