//! Item shapes: each item of one version of a file with a fingerprint of its interface
//! (signature, fields, variants, visibility, attributes other than docs) and one of its body,
//! so two versions of a file can be compared item by item. Comments and whitespace are not
//! tokens, and doc comments are left out, so a change limited to them changes no shape.

use crate::parse::fingerprint::token_fingerprint;
use proc_macro2::TokenStream;
use quote::ToTokens;
use syn::{Attribute, ImplItem, Item, TraitItem};

/// One item of a file version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Shape {
    /// Identity across versions: the enclosing items (`mod net`, `impl Display for Config`)
    /// and the item's kind and name, joined by `/`, then `#n` for the n-th repeat.
    pub key: String,
    /// Item name (`new`); for impls the header (`impl Display for Config`).
    pub name: String,
    /// Kind, as the graph names it (`fn`, `method`, `struct`, `impl`, …).
    pub kind: &'static str,
    /// 1-based first line (attributes included) and last line, as syn reports them.
    pub lines: (u32, u32),
    /// Fingerprint of the interface tokens.
    pub interface: u64,
    /// Fingerprint of the body tokens (0 when the item has none).
    pub body: u64,
    /// Whether the shape holds others (impl, trait, inline module): its body is theirs.
    pub container: bool,
}

/// The shapes of `text`, outermost first; `None` when it does not parse.
pub fn shapes(text: &str) -> Option<Vec<Shape>> {
    let file = syn::parse_file(text).ok()?;
    let mut out = Vec::new();
    items(&file.items, "", &mut out);
    let mut seen = std::collections::HashMap::<String, usize>::new();
    for s in &mut out {
        let n = seen.entry(s.key.clone()).or_insert(0);
        *n += 1;
        if *n > 1 {
            s.key = format!("{}#{n}", s.key);
        }
    }
    Some(out)
}

/// Fingerprint of the non-doc attributes and the given tokens.
fn interface(attrs: &[Attribute], parts: &[&dyn ToTokens]) -> u64 {
    let mut ts = TokenStream::new();
    for a in attrs.iter().filter(|a| !a.path().is_ident("doc")) {
        a.to_tokens(&mut ts);
    }
    for p in parts {
        p.to_tokens(&mut ts);
    }
    token_fingerprint(ts)
}

fn lines(node: &impl syn::spanned::Spanned) -> (u32, u32) {
    let span = node.span();
    (span.start().line as u32, span.end().line as u32)
}

fn push(
    out: &mut Vec<Shape>,
    scope: &str,
    kind: &'static str,
    name: String,
    lines: (u32, u32),
    interface: u64,
    body: u64,
) {
    out.push(Shape {
        key: format!("{scope}{kind}:{name}"),
        name,
        kind,
        lines,
        interface,
        body,
        container: false,
    });
}

fn items(list: &[Item], scope: &str, out: &mut Vec<Shape>) {
    for item in list {
        let at = lines(item);
        match item {
            Item::Fn(f) => {
                let sig: &[&dyn ToTokens] = &[&f.vis, &f.sig];
                let name = f.sig.ident.to_string();
                push(
                    out,
                    scope,
                    "fn",
                    name,
                    at,
                    interface(&f.attrs, sig),
                    token_fingerprint(f.block.to_token_stream()),
                );
            }
            Item::Struct(s) => {
                let name = s.ident.to_string();
                let tokens: &[&dyn ToTokens] = &[&s.vis, &s.ident, &s.generics, &s.fields];
                push(
                    out,
                    scope,
                    "struct",
                    name,
                    at,
                    interface(&s.attrs, tokens),
                    0,
                );
            }
            Item::Enum(e) => {
                let name = e.ident.to_string();
                let tokens: &[&dyn ToTokens] = &[&e.vis, &e.ident, &e.generics, &e.variants];
                push(out, scope, "enum", name, at, interface(&e.attrs, tokens), 0);
            }
            Item::Union(u) => {
                let name = u.ident.to_string();
                let tokens: &[&dyn ToTokens] = &[&u.vis, &u.ident, &u.generics, &u.fields];
                push(
                    out,
                    scope,
                    "union",
                    name,
                    at,
                    interface(&u.attrs, tokens),
                    0,
                );
            }
            Item::Type(t) => {
                let name = t.ident.to_string();
                let tokens: &[&dyn ToTokens] = &[&t.vis, &t.ident, &t.generics, &t.ty];
                push(
                    out,
                    scope,
                    "type_alias",
                    name,
                    at,
                    interface(&t.attrs, tokens),
                    0,
                );
            }
            Item::Const(c) => {
                let name = c.ident.to_string();
                let tokens: &[&dyn ToTokens] = &[&c.vis, &c.ident, &c.ty];
                push(
                    out,
                    scope,
                    "const",
                    name,
                    at,
                    interface(&c.attrs, tokens),
                    token_fingerprint(c.expr.to_token_stream()),
                );
            }
            Item::Static(s) => {
                let name = s.ident.to_string();
                let tokens: &[&dyn ToTokens] = &[&s.vis, &s.mutability, &s.ident, &s.ty];
                push(
                    out,
                    scope,
                    "static",
                    name,
                    at,
                    interface(&s.attrs, tokens),
                    token_fingerprint(s.expr.to_token_stream()),
                );
            }
            Item::Macro(m) => {
                let name = m.ident.as_ref().map_or_else(
                    || format!("{}!", path_text(&m.mac.path)),
                    ToString::to_string,
                );
                push(
                    out,
                    scope,
                    "macro",
                    name,
                    at,
                    interface(&m.attrs, &[&m.mac]),
                    0,
                );
            }
            Item::Trait(t) => {
                let name = t.ident.to_string();
                let header: &[&dyn ToTokens] =
                    &[&t.vis, &t.unsafety, &t.ident, &t.generics, &t.supertraits];
                let inner = container(out, scope, "trait", name, at, interface(&t.attrs, header));
                for ti in &t.items {
                    trait_item(ti, &inner, out);
                }
            }
            Item::Impl(i) => {
                let name = impl_header(i);
                let bang = i.modifiers.polarity.is_some().then(|| quote::quote!(!));
                let trait_path = i.trait_.as_ref().map(|(p, _)| quote::quote!(#bang #p));
                let header: &[&dyn ToTokens] = &[&i.unsafety, &i.generics, &trait_path, &i.self_ty];
                let inner = container(out, scope, "impl", name, at, interface(&i.attrs, header));
                for ii in &i.items {
                    impl_item(ii, &inner, out);
                }
            }
            Item::Mod(m) => {
                let name = m.ident.to_string();
                let inner = container(
                    out,
                    scope,
                    "module",
                    name,
                    at,
                    interface(&m.attrs, &[&m.vis, &m.ident]),
                );
                if let Some((_, inner_items)) = &m.content {
                    items(inner_items, &inner, out);
                }
            }
            _ => {}
        }
    }
}

/// Pushes a container shape; returns the scope of its members.
fn container(
    out: &mut Vec<Shape>,
    scope: &str,
    kind: &'static str,
    name: String,
    at: (u32, u32),
    interface: u64,
) -> String {
    push(out, scope, kind, name, at, interface, 0);
    let shape = out.last_mut().expect("just pushed");
    shape.container = true;
    format!("{}/", shape.key)
}

fn trait_item(ti: &TraitItem, scope: &str, out: &mut Vec<Shape>) {
    let at = lines(ti);
    match ti {
        TraitItem::Fn(f) => {
            let body = f
                .default
                .as_ref()
                .map_or(0, |b| token_fingerprint(b.to_token_stream()));
            push(
                out,
                scope,
                "method",
                f.sig.ident.to_string(),
                at,
                interface(&f.attrs, &[&f.sig]),
                body,
            );
        }
        TraitItem::Const(c) => {
            let body = c
                .default
                .as_ref()
                .map_or(0, |(_, e)| token_fingerprint(e.to_token_stream()));
            push(
                out,
                scope,
                "assoc_const",
                c.ident.to_string(),
                at,
                interface(&c.attrs, &[&c.ident, &c.ty]),
                body,
            );
        }
        TraitItem::Type(t) => {
            let body = t
                .default
                .as_ref()
                .map_or(0, |(_, ty)| token_fingerprint(ty.to_token_stream()));
            push(
                out,
                scope,
                "assoc_type",
                t.ident.to_string(),
                at,
                interface(&t.attrs, &[&t.ident, &t.generics, &t.bounds]),
                body,
            );
        }
        _ => {}
    }
}

fn impl_item(ii: &ImplItem, scope: &str, out: &mut Vec<Shape>) {
    let at = lines(ii);
    match ii {
        ImplItem::Fn(f) => {
            let body = token_fingerprint(f.block.to_token_stream());
            push(
                out,
                scope,
                "method",
                f.sig.ident.to_string(),
                at,
                interface(&f.attrs, &[&f.vis, &f.sig]),
                body,
            );
        }
        ImplItem::Const(c) => {
            let body = token_fingerprint(c.expr.to_token_stream());
            push(
                out,
                scope,
                "assoc_const",
                c.ident.to_string(),
                at,
                interface(&c.attrs, &[&c.vis, &c.ident, &c.ty]),
                body,
            );
        }
        ImplItem::Type(t) => {
            // An associated type's value is what implementors see: interface.
            push(
                out,
                scope,
                "assoc_type",
                t.ident.to_string(),
                at,
                interface(&t.attrs, &[&t.vis, &t.ident, &t.ty]),
                0,
            );
        }
        _ => {}
    }
}

/// `impl Display for Config`, `impl Config` (generic arguments left out, as graph paths do).
fn impl_header(i: &syn::ItemImpl) -> String {
    let ty = match &*i.self_ty {
        syn::Type::Path(p) => path_text(&p.path),
        other => other.to_token_stream().to_string(),
    };
    match &i.trait_ {
        Some((p, _)) => {
            let bang = if i.modifiers.polarity.is_some() {
                "!"
            } else {
                ""
            };
            format!("impl {bang}{} for {ty}", path_text(p))
        }
        None => format!("impl {ty}"),
    }
}

fn path_text(p: &syn::Path) -> String {
    p.segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect::<Vec<_>>()
        .join("::")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn by_key(text: &str) -> std::collections::HashMap<String, (u64, u64)> {
        shapes(text)
            .unwrap()
            .into_iter()
            .map(|s| (s.key, (s.interface, s.body)))
            .collect()
    }

    #[test]
    fn comments_and_docs_change_nothing_bodies_and_signatures_change_their_part() {
        let base = by_key("/// doc\npub fn f(x: u8) -> u8 { x + 1 }\nimpl S { fn m(&self) {} }\n");
        let comments = by_key(
            "/// other doc\n// note\npub fn f(x: u8) -> u8 {\n    // why\n    x + 1\n}\nimpl S { fn m(&self) {} }\n",
        );
        assert_eq!(base, comments);
        let body = by_key("/// doc\npub fn f(x: u8) -> u8 { x + 2 }\nimpl S { fn m(&self) {} }\n");
        assert_eq!(base["fn:f"].0, body["fn:f"].0);
        assert_ne!(base["fn:f"].1, body["fn:f"].1);
        let sig = by_key("/// doc\npub fn f(x: u16) -> u8 { x + 1 }\nimpl S { fn m(&self) {} }\n");
        assert_ne!(base["fn:f"].0, sig["fn:f"].0);
        assert!(base.contains_key("impl:impl S/method:m"), "{base:?}");
    }
}
