//! What the arguments of macros from outside the workspace are: never code (`cfg!`,
//! `stringify!`), code generated for another crate (`quote!`), a value and a pattern
//! (`matches!`), or expressions evaluated where they are written (`format!`, `info!`); and
//! the paths read off tokens that parse as nothing (`RefCollector::scan_tokens`).

use super::RefCollector;
use crate::parse::facts::{PathFacts, Receiver, RefKind};
use crate::parse::item_parts::point;
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use syn::punctuated::Punctuated;
use syn::{Expr, Token};

/// std's macros whose arguments are never code that runs (a cfg predicate, text, a file
/// name): what they name is not a reference, so their tokens are not read.
pub(super) const NON_CODE_MACROS: &[&str] = &[
    "cfg",
    "column",
    "compile_error",
    "concat",
    "env",
    "file",
    "include_bytes",
    "include_str",
    "line",
    "module_path",
    "option_env",
    "stringify",
];

/// The quote crate's and syn's macros: their tokens are code a proc-macro generates for
/// another crate to compile (`quote! { impl ::serde::Serialize for #ident … }`), not code
/// of this crate, so what they name is not a reference of this crate.
pub(super) const QUOTING_MACROS: &[&str] = &[
    "quote",
    "quote_spanned",
    "parse_quote",
    "parse_quote_spanned",
];

/// Macros whose input is a value, a pattern (with an optional `if` guard) and then, for the
/// assertions, a message's format arguments: std's `matches!` and the `assert_matches!`
/// family.
pub(super) const PATTERN_MACROS: &[&str] = &["matches", "assert_matches", "debug_assert_matches"];

/// The input of a [`PATTERN_MACROS`] call: the value, the pattern as a match arm (its body
/// `true`), and the expressions after it.
pub(super) fn parse_pattern_macro(
    input: syn::parse::ParseStream<'_>,
) -> syn::Result<(Expr, syn::Arm, Punctuated<Expr, Token![,]>)> {
    let value: Expr = input.parse()?;
    input.parse::<Token![,]>()?;
    let mut pat = syn::Pat::parse_multi_with_leading_vert(input)?;
    if input.peek(Token![if]) {
        pat = syn::Pat::Guard(syn::PatGuard {
            attrs: Vec::new(),
            pat: Box::new(pat),
            if_token: input.parse()?,
            guard: Box::new(input.parse()?),
        });
    }
    let rest = if input.is_empty() {
        Punctuated::new()
    } else {
        input.parse::<Token![,]>()?;
        Punctuated::parse_terminated(input)?
    };
    let arm = syn::Arm {
        attrs: Vec::new(),
        pat,
        fat_arrow_token: Default::default(),
        body: Box::new(syn::parse_quote!(true)),
        comma: None,
    };
    Ok((value, arm, rest))
}

/// Macros outside the workspace known to evaluate their arguments as expressions (std's and
/// the logging crates'): what they name is as sure as code written outside a macro.
pub(super) const EVALUATING_MACROS: &[&str] = &[
    "assert",
    "assert_eq",
    "assert_ne",
    "debug_assert",
    "debug_assert_eq",
    "debug_assert_ne",
    "dbg",
    "eprint",
    "eprintln",
    "format",
    "format_args",
    "matches",
    "panic",
    "print",
    "println",
    "todo",
    "unimplemented",
    "unreachable",
    "vec",
    "write",
    "writeln",
    "try",
    "ready",
    "debug",
    "error",
    "info",
    "trace",
    "warn",
    "event",
    "span",
    "pin",
    "join",
    "select",
    "try_join",
];

/// Keywords, which start no path in tokens read as tokens.
const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
];

impl RefCollector {
    /// Paths in a macro body we cannot parse: `a::b(` is a call, `A::b` or `Type` a use.
    pub(super) fn scan_tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            match &trees[i] {
                TokenTree::Group(g) => {
                    self.scan_tokens(g.stream());
                    i += 1;
                }
                // A lifetime or a label (`'__pin`) names no item.
                TokenTree::Ident(_)
                    if i > 0
                        && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '\'') =>
                {
                    i += 1;
                }
                TokenTree::Ident(id) => {
                    let start = id.span();
                    let mut segments = vec![id.to_string()];
                    let mut j = i + 1;
                    loop {
                        match (&trees.get(j), &trees.get(j + 1), &trees.get(j + 2)) {
                            (
                                Some(TokenTree::Punct(a)),
                                Some(TokenTree::Punct(b)),
                                Some(TokenTree::Ident(n)),
                            ) if a.as_char() == ':' && b.as_char() == ':' => {
                                segments.push(n.to_string());
                                j += 3;
                            }
                            _ => break,
                        }
                    }
                    let preceded_by_dot =
                        i > 0 && matches!(&trees[i - 1], TokenTree::Punct(p) if p.as_char() == '.');
                    let called = matches!(trees.get(j), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis);
                    let macro_bang =
                        matches!(trees.get(j), Some(TokenTree::Punct(p)) if p.as_char() == '!');
                    let first = &segments[0];
                    let keyword = KEYWORDS.contains(&first.as_str());
                    if !keyword && !macro_bang && !preceded_by_dot {
                        let path = PathFacts {
                            segments: segments.clone(),
                            span: point(start),
                        };
                        if called {
                            self.push(RefKind::Call, path, None);
                        } else if segments.len() > 1
                            || first.starts_with(|c: char| c.is_ascii_uppercase())
                        {
                            self.push(RefKind::Use, path, None);
                        }
                    } else if preceded_by_dot && called && segments.len() == 1 {
                        self.push(
                            RefKind::MethodCall,
                            PathFacts {
                                segments,
                                span: point(start),
                            },
                            Some(Receiver::unknown()),
                        );
                    }
                    i = j.max(i + 1);
                }
                _ => i += 1,
            }
        }
    }
}
