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
    /// Fingerprint of the interface tokens with the item's own name blanked out: equal for
    /// an item renamed and otherwise unchanged.
    pub unnamed: u64,
    /// Fingerprint of the body tokens (0 when the item has none).
    pub body: u64,
    /// Whether the shape holds others (impl, trait, inline module): its body is theirs.
    pub container: bool,
}

/// The shapes of `text`, outermost first; `None` when it does not parse, or nests deeper
/// than the parser's guard allows ([`crate::parse::MAX_NESTING`]). Runs on the parser pool's
/// large stacks.
pub fn shapes(text: &str) -> Option<Vec<Shape>> {
    if crate::parse::nesting_depth(text) > crate::parse::MAX_NESTING {
        return None;
    }
    crate::parse::on_parser_pool(|| shapes_of(text))
}

fn shapes_of(text: &str) -> Option<Vec<Shape>> {
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

/// The interface tokens of an item: its non-doc attributes and the given parts.
fn interface(attrs: &[Attribute], parts: &[&dyn ToTokens]) -> TokenStream {
    let mut ts = TokenStream::new();
    for a in attrs.iter().filter(|a| !a.path().is_ident("doc")) {
        a.to_tokens(&mut ts);
    }
    for p in parts {
        p.to_tokens(&mut ts);
    }
    ts
}

/// `tokens` with the first identifier `name` outside groups (the item's own name: after its
/// attributes, which are groups, and keywords) replaced by `_`. Later ones stay: nix's
/// `fn sigevent(&self) -> libc::sigevent` renamed keeps its `libc::sigevent`.
fn blank(tokens: TokenStream, name: &str) -> TokenStream {
    use proc_macro2::{Ident, TokenTree};
    let mut done = false;
    tokens
        .into_iter()
        .map(|t| match t {
            TokenTree::Ident(i) if !done && i == name => {
                done = true;
                TokenTree::Ident(Ident::new("_", i.span()))
            }
            other => other,
        })
        .collect()
}

fn lines(node: &impl syn::spanned::Spanned) -> (u32, u32) {
    let span = node.span();
    (span.start().line as u32, span.end().line as u32)
}

fn push(out: &mut Vec<Shape>, scope: &str, leaf: Leaf, lines: (u32, u32)) {
    let (kind, name, interface, body) = leaf;
    out.push(Shape {
        key: format!("{scope}{kind}:{name}"),
        unnamed: token_fingerprint(blank(interface.clone(), &name)),
        interface: token_fingerprint(interface),
        name,
        kind,
        lines,
        body,
        container: false,
    });
}

/// `attr` with every token spanned at `span`.
fn spanned_at(attr: &Attribute, span: proc_macro2::Span) -> Attribute {
    use proc_macro2::{Group, TokenStream, TokenTree};
    fn respan(tokens: TokenStream, span: proc_macro2::Span) -> TokenStream {
        tokens
            .into_iter()
            .map(|t| match t {
                TokenTree::Group(g) => {
                    let mut group = Group::new(g.delimiter(), respan(g.stream(), span));
                    group.set_span(span);
                    TokenTree::Group(group)
                }
                mut other => {
                    other.set_span(span);
                    other
                }
            })
            .collect()
    }
    let tokens = respan(attr.to_token_stream(), span);
    syn::parse::Parser::parse2(Attribute::parse_outer, tokens)
        .ok()
        .and_then(|mut a| a.pop())
        .unwrap_or_else(|| attr.clone())
}

/// What one item contributes: kind, name, interface tokens and body fingerprint.
type Leaf = (&'static str, String, TokenStream, u64);

/// Fingerprint of a body, 0 for none.
fn body(tokens: Option<&dyn ToTokens>) -> u64 {
    tokens.map_or(0, |t| token_fingerprint(t.to_token_stream()))
}

fn items(list: &[Item], scope: &str, out: &mut Vec<Shape>) {
    for item in list {
        let at = lines(item);
        let leaf: Leaf = match item {
            Item::Fn(f) => (
                "fn",
                f.sig.ident.to_string(),
                interface(&f.attrs, &[&f.vis, &f.sig]),
                body(Some(&f.block)),
            ),
            Item::Struct(s) => (
                "struct",
                s.ident.to_string(),
                interface(&s.attrs, &[&s.vis, &s.ident, &s.generics, &s.fields]),
                0,
            ),
            Item::Enum(e) => (
                "enum",
                e.ident.to_string(),
                interface(&e.attrs, &[&e.vis, &e.ident, &e.generics, &e.variants]),
                0,
            ),
            Item::Union(u) => (
                "union",
                u.ident.to_string(),
                interface(&u.attrs, &[&u.vis, &u.ident, &u.generics, &u.fields]),
                0,
            ),
            Item::Type(t) => (
                "type_alias",
                t.ident.to_string(),
                interface(&t.attrs, &[&t.vis, &t.ident, &t.generics, &t.ty]),
                0,
            ),
            Item::Const(c) => (
                "const",
                c.ident.to_string(),
                interface(&c.attrs, &[&c.vis, &c.ident, &c.ty]),
                body(Some(&c.expr)),
            ),
            Item::Static(st) => (
                "static",
                st.ident.to_string(),
                interface(&st.attrs, &[&st.vis, &st.mutability, &st.ident, &st.ty]),
                body(Some(&st.expr)),
            ),
            // A macro call whose body is items (`pin_project! { pub struct S { … } }`): its
            // items, as the graph takes them; any other call is one opaque shape.
            // `cfg_if!`: each branch's items under the branch's cfg, as the macro writes them
            // (nix's `cfsetspeed` in one branch renamed is one renamed item, and a changed
            // predicate changes its items' interfaces).
            Item::Macro(m) if m.ident.is_none() && crate::parse::cfg_if::is_cfg_if(&m.mac) => {
                match crate::parse::cfg_if::branches(m.mac.tokens.clone()) {
                    Some(branches) => {
                        for (cfg, mut branch) in branches {
                            for item in &mut branch {
                                // Spanned where the item starts: the predicate's own tokens
                                // are at no line of the file, and the item's lines are those
                                // of its first and last tokens.
                                let Some(start) = item.to_token_stream().into_iter().next() else {
                                    continue;
                                };
                                let cfg = spanned_at(&cfg, start.span());
                                if let Some(attrs) = crate::parse::apply_attr::attrs_mut(item) {
                                    attrs.insert(0, cfg);
                                }
                            }
                            items(&branch, scope, out);
                        }
                    }
                    None => push(out, scope, macro_leaf(m), at),
                }
                continue;
            }
            Item::Macro(m) if m.ident.is_none() && !m.mac.tokens.is_empty() => {
                match syn::parse2::<syn::File>(m.mac.tokens.clone()) {
                    Ok(file) if !file.items.is_empty() => items(&file.items, scope, out),
                    _ => push(out, scope, macro_leaf(m), at),
                }
                continue;
            }
            Item::Macro(m) => macro_leaf(m),
            Item::Trait(t) => {
                let header: &[&dyn ToTokens] =
                    &[&t.vis, &t.unsafety, &t.ident, &t.generics, &t.supertraits];
                let leaf = ("trait", t.ident.to_string(), interface(&t.attrs, header), 0);
                let inner = container(out, scope, leaf, at);
                for ti in &t.items {
                    trait_item(ti, &inner, out);
                }
                continue;
            }
            Item::Impl(i) => {
                let bang = i.modifiers.polarity.is_some().then(|| quote::quote!(!));
                let trait_path = i.trait_.as_ref().map(|(p, _)| quote::quote!(#bang #p));
                let header: &[&dyn ToTokens] = &[&i.unsafety, &i.generics, &trait_path, &i.self_ty];
                let leaf = ("impl", impl_header(i), interface(&i.attrs, header), 0);
                let inner = container(out, scope, leaf, at);
                for ii in &i.items {
                    impl_item(ii, &inner, out);
                }
                continue;
            }
            Item::Mod(m) => {
                let leaf = (
                    "module",
                    m.ident.to_string(),
                    interface(&m.attrs, &[&m.vis, &m.ident]),
                    0,
                );
                let inner = container(out, scope, leaf, at);
                if let Some((_, inner_items)) = &m.content {
                    items(inner_items, &inner, out);
                }
                continue;
            }
            _ => continue,
        };
        push(out, scope, leaf, at);
    }
}

/// An item-position macro call (or `macro_rules!` definition) as one shape.
fn macro_leaf(m: &syn::ItemMacro) -> Leaf {
    (
        "macro",
        m.ident.as_ref().map_or_else(
            || format!("{}!", path_text(&m.mac.path)),
            ToString::to_string,
        ),
        interface(&m.attrs, &[&m.mac]),
        0,
    )
}

/// Pushes a container shape; returns the scope of its members.
fn container(out: &mut Vec<Shape>, scope: &str, leaf: Leaf, at: (u32, u32)) -> String {
    push(out, scope, leaf, at);
    let shape = out.last_mut().expect("just pushed");
    shape.container = true;
    format!("{}/", shape.key)
}

fn trait_item(ti: &TraitItem, scope: &str, out: &mut Vec<Shape>) {
    let leaf: Leaf = match ti {
        TraitItem::Fn(f) => (
            "method",
            f.sig.ident.to_string(),
            interface(&f.attrs, &[&f.sig]),
            body(f.default.as_ref().map(|b| b as &dyn ToTokens)),
        ),
        TraitItem::Const(c) => (
            "assoc_const",
            c.ident.to_string(),
            interface(&c.attrs, &[&c.ident, &c.ty]),
            body(c.default.as_ref().map(|(_, e)| e as &dyn ToTokens)),
        ),
        TraitItem::Type(t) => (
            "assoc_type",
            t.ident.to_string(),
            interface(&t.attrs, &[&t.ident, &t.generics, &t.bounds]),
            body(t.default.as_ref().map(|(_, ty)| ty as &dyn ToTokens)),
        ),
        _ => return,
    };
    push(out, scope, leaf, lines(ti));
}

fn impl_item(ii: &ImplItem, scope: &str, out: &mut Vec<Shape>) {
    let leaf: Leaf = match ii {
        ImplItem::Fn(f) => (
            "method",
            f.sig.ident.to_string(),
            interface(&f.attrs, &[&f.vis, &f.sig]),
            body(Some(&f.block)),
        ),
        ImplItem::Const(c) => (
            "assoc_const",
            c.ident.to_string(),
            interface(&c.attrs, &[&c.vis, &c.ident, &c.ty]),
            body(Some(&c.expr)),
        ),
        // An associated type's value is what implementors see: interface.
        ImplItem::Type(t) => (
            "assoc_type",
            t.ident.to_string(),
            interface(&t.attrs, &[&t.vis, &t.ident, &t.ty]),
            0,
        ),
        _ => return,
    };
    push(out, scope, leaf, lines(ii));
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
    fn deeply_nested_files_are_unparsed_not_a_crash() {
        let deep = format!("fn f() {{ {}1{} }}", "(".repeat(5000), ")".repeat(5000));
        assert!(shapes(&deep).is_none());
        // A long flat chain parses on the pool's large stacks.
        let chain = format!("fn f() -> u32 {{ {} 1 }}", "1 + ".repeat(20_000));
        assert!(shapes(&chain).is_some());
    }

    #[test]
    fn items_of_a_cfg_if_branch_keep_their_own_lines() {
        // sha2's `fn compress` in the `else` branch, the one a default build compiles: the
        // branch's predicate, made into an attribute, is at no line of the file.
        let text = "cfg_if::cfg_if! {\n    if #[cfg(a)] {\n        mod soft;\n    } else {\n        fn compress() {\n            one();\n        }\n    }\n}\n";
        let lines: Vec<(String, (u32, u32))> = shapes(text)
            .unwrap()
            .into_iter()
            .map(|s| (s.key, s.lines))
            .collect();
        assert_eq!(
            lines,
            [
                ("module:soft".to_string(), (3, 3)),
                ("fn:compress".to_string(), (5, 7))
            ]
        );
    }

    #[test]
    fn items_inside_an_item_macro_call_are_shapes() {
        let shapes = by_key("pin_project! { pub struct S<F> { #[pin] f: F } }\nmy_macro!(a b);\n");
        assert!(shapes.contains_key("struct:S"), "{shapes:?}");
        assert!(shapes.contains_key("macro:my_macro!"), "{shapes:?}");
        assert!(!shapes.contains_key("macro:pin_project!"), "{shapes:?}");
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
