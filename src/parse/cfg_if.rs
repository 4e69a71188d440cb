//! `cfg_if!`, the cfg-if crate's macro, which a great many crates use to pick a platform's
//! items (parking_lot_core's `thread_parker`: `#[path = "linux.rs"] mod imp;` in one branch,
//! `#[path = "unix.rs"] mod imp;` in the next). It is not a workspace macro, so no rules
//! expand it; its input is read the way its expansion is written: each branch's items under
//! the branch's predicate and the negation of every predicate before it.

use proc_macro2::TokenStream;
use syn::parse::{Parse, ParseStream, Parser};
use syn::{Attribute, Item, Token, braced, bracketed, parenthesized, parse_quote};

/// Whether a macro call names `cfg_if!` (`cfg_if!`, `cfg_if::cfg_if!`).
pub(crate) fn is_cfg_if(mac: &syn::Macro) -> bool {
    mac.path
        .segments
        .last()
        .is_some_and(|s| s.ident == "cfg_if")
}

/// The branches of a `cfg_if!` call's input (`if #[cfg(a)] { … } else if #[cfg(b)] { … }
/// else { … }`), each as the `#[cfg]` its items are compiled under (`a`, then `all(not(any(a)),
/// b)`, then `not(any(a, b))`) and its items; `None` when the input is not such a chain.
pub(crate) fn branches(tokens: TokenStream) -> Option<Vec<(Attribute, Vec<Item>)>> {
    branches_of(tokens)
}

/// [`branches`] of a call whose branches hold `T`s: items, or associated items (a
/// `cfg_if!` inside a trait or impl, as nix's `SockaddrLike::len`).
pub(super) fn branches_of<T: Parse>(tokens: TokenStream) -> Option<Vec<(Attribute, Vec<T>)>> {
    let chain = Parser::parse2(parse_chain::<T>, tokens).ok()?;
    let mut before: Vec<TokenStream> = Vec::new();
    let mut out = Vec::with_capacity(chain.len());
    for (pred, items) in chain {
        let attr: Attribute = match &pred {
            Some(p) if before.is_empty() => parse_quote!(#[cfg(#p)]),
            Some(p) => parse_quote!(#[cfg(all(not(any(#(#before),*)), #p))]),
            None => parse_quote!(#[cfg(not(any(#(#before),*)))]),
        };
        before.extend(pred);
        out.push((attr, items));
    }
    Some(out)
}

/// `if #[cfg(p)] { items } (else if #[cfg(p)] { items })* (else { items })?`: the
/// predicates (`None` for the final `else`) and items, in order.
fn parse_chain<T: Parse>(input: ParseStream) -> syn::Result<Vec<(Option<TokenStream>, Vec<T>)>> {
    let mut chain = Vec::new();
    loop {
        input.parse::<Token![if]>()?;
        input.parse::<Token![#]>()?;
        let attr;
        bracketed!(attr in input);
        let name: syn::Ident = attr.parse()?;
        if name != "cfg" {
            return Err(syn::Error::new(name.span(), "expected `cfg`"));
        }
        let pred;
        parenthesized!(pred in attr);
        let pred: TokenStream = pred.parse()?;
        chain.push((Some(pred), parse_items(input)?));
        if input.is_empty() {
            return Ok(chain);
        }
        input.parse::<Token![else]>()?;
        if !input.peek(Token![if]) {
            chain.push((None, parse_items(input)?));
            if !input.is_empty() {
                return Err(input.error("unexpected tokens after the final `else`"));
            }
            return Ok(chain);
        }
    }
}

/// `{ items }`, inner attributes allowed.
fn parse_items<T: Parse>(input: ParseStream) -> syn::Result<Vec<T>> {
    let body;
    braced!(body in input);
    body.call(Attribute::parse_inner)?;
    let mut items = Vec::new();
    while !body.is_empty() {
        items.push(body.parse()?);
    }
    Ok(items)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    fn cfgs(input: &str) -> Option<Vec<(String, usize)>> {
        Some(
            branches(input.parse().unwrap())?
                .into_iter()
                .map(|(attr, items)| (attr.to_token_stream().to_string(), items.len()))
                .collect(),
        )
    }

    #[test]
    fn each_branch_is_compiled_when_no_branch_before_it_is() {
        let got = cfgs(
            "if #[cfg(unix)] { mod imp; fn a() {} } \
             else if #[cfg(windows)] { #[path = \"w.rs\"] mod imp; } \
             else { mod imp; }",
        )
        .unwrap();
        assert_eq!(
            got,
            [
                ("# [cfg (unix)]".to_string(), 2),
                ("# [cfg (all (not (any (unix)) , windows))]".to_string(), 1),
                ("# [cfg (not (any (unix , windows)))]".to_string(), 1),
            ]
        );
        // Without a final `else`.
        assert_eq!(cfgs("if #[cfg(a)] { fn f() {} }").unwrap().len(), 1);
    }

    #[test]
    fn branches_in_a_trait_or_an_impl_are_its_items_under_their_cfgs() {
        // nix's `SockaddrLike::len`, a default under one cfg and a required item otherwise.
        let facts = crate::parse::parse_text(
            "pub trait Sockaddr {\n\
                 cfg_if::cfg_if! {\n\
                     if #[cfg(bsd)] { fn len(&self) -> u32 { 1 } }\n\
                     else { fn len(&self) -> u32; }\n\
                 }\n\
             }\n\
             impl Sockaddr for () {\n\
                 cfg_if! { if #[cfg(bsd)] {} else { fn len(&self) -> u32 { 0 } } }\n\
                 delegated!(fn extra(&self) {});\n\
                 forward_all!(to self.inner);\n\
             }\n",
            "src/lib.rs",
        )
        .unwrap();
        let children = |i: usize| -> Vec<(String, Option<String>)> {
            facts.module.items[i]
                .children
                .iter()
                .map(|c| (c.name.clone(), c.cfg.clone()))
                .collect()
        };
        let (bsd, not_bsd) = (Some("bsd".to_string()), Some("not (any (bsd))".to_string()));
        assert_eq!(
            children(0),
            [
                ("len".to_string(), bsd),
                ("len".to_string(), not_bsd.clone())
            ]
        );
        // Another macro's input that parses as associated items is taken in place; one that
        // does not is a coverage note, not silently dropped.
        assert_eq!(
            children(1),
            [("len".to_string(), not_bsd), ("extra".to_string(), None)]
        );
        let failed: Vec<&str> = facts
            .macro_failures
            .iter()
            .map(|f| f.name.as_str())
            .collect();
        assert_eq!(failed, ["forward_all"]);
    }

    #[test]
    fn other_inputs_are_not_chains() {
        assert!(cfgs("fn f() {}").is_none());
        assert!(cfgs("if #[test] { fn f() {} }").is_none());
        assert!(cfgs("if #[cfg(a)] { fn f() {} } else { } extra").is_none());
    }
}
