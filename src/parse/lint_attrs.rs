//! `#[allow|expect|warn|deny|forbid(…)]` attributes (also inside `#[cfg_attr(…)]`) → [`LintAttr`].

use super::facts::{LintAttr, LocalSpan};
use crate::lint::LintLevel;
use quote::ToTokens;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Meta, Token};

/// The lint attributes among `attrs`, in source order (a later attribute overrides an earlier
/// one for the same lint, as in rustc). Malformed attributes are skipped: rustc reports them.
pub fn lint_attrs(attrs: &[Attribute]) -> Vec<LintAttr> {
    let mut out = Vec::new();
    for attr in attrs {
        let span = super::item_parts::local(attr.pound_token.span, attr.bracket_token.span.close());
        if let Some(level) = attr
            .path()
            .get_ident()
            .and_then(|i| LintLevel::parse(&i.to_string()))
        {
            if let Meta::List(list) = &attr.meta {
                push_list(level, &list.tokens, span, None, &mut out);
            }
        } else if attr.path().is_ident("cfg_attr")
            && let Ok(metas) = attr.parse_args_with(Punctuated::<Meta, Token![,]>::parse_terminated)
        {
            let mut metas = metas.into_iter();
            let Some(predicate) = metas.next() else {
                continue;
            };
            let predicate = predicate.to_token_stream().to_string();
            for meta in metas {
                if let Meta::List(list) = &meta
                    && let Some(level) = list
                        .path
                        .get_ident()
                        .and_then(|i| LintLevel::parse(&i.to_string()))
                {
                    push_list(level, &list.tokens, span, Some(&predicate), &mut out);
                }
            }
        }
    }
    out
}

/// `lint_a, tool::lint_b, reason = "…"` → one [`LintAttr`] per lint.
fn push_list(
    level: LintLevel,
    tokens: &proc_macro2::TokenStream,
    span: LocalSpan,
    cfg: Option<&str>,
    out: &mut Vec<LintAttr>,
) {
    let Ok(metas) = syn::parse::Parser::parse2(
        Punctuated::<Meta, Token![,]>::parse_terminated,
        tokens.clone(),
    ) else {
        return;
    };
    let reason = metas.iter().find_map(|m| match m {
        Meta::NameValue(nv) if nv.path.is_ident("reason") => match &nv.value {
            Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) => Some(s.value()),
            _ => None,
        },
        _ => None,
    });
    for meta in &metas {
        if let Meta::Path(path) = meta {
            let lint = path
                .segments
                .iter()
                .map(|s| s.ident.to_string())
                .collect::<Vec<_>>()
                .join("::");
            out.push(LintAttr {
                level,
                lint,
                reason: reason.clone(),
                span,
                cfg: cfg.map(str::to_string),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lints(src: &str) -> Vec<(String, String, Option<String>, Option<String>)> {
        let file: syn::File = syn::parse_str(src).unwrap();
        lint_attrs(&file.attrs)
            .into_iter()
            .map(|l| (l.level.to_string(), l.lint, l.reason, l.cfg))
            .collect()
    }

    #[test]
    fn reads_levels_tool_lints_reasons_and_cfg_attr() {
        let got = lints(
            "#![allow(dead_code, clippy::too_many_lines, reason = \"generated\")]\n\
             #![cfg_attr(feature = \"strict\", deny(missing_docs))]\n\
             #![doc = \"x\"]\n\
             #![forbid(unsafe_code)]\n",
        );
        assert_eq!(
            got,
            vec![
                (
                    "allow".into(),
                    "dead_code".into(),
                    Some("generated".into()),
                    None
                ),
                (
                    "allow".into(),
                    "clippy::too_many_lines".into(),
                    Some("generated".into()),
                    None
                ),
                (
                    "deny".into(),
                    "missing_docs".into(),
                    None,
                    Some("feature = \"strict\"".into())
                ),
                ("forbid".into(), "unsafe_code".into(), None, None),
            ]
        );
    }
}
