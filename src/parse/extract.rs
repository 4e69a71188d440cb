//! syn AST → [`FileFacts`]: items, associated items, `use` declarations and the paths each
//! item references. Works on one file at a time and knows nothing of the module tree.

use super::expansion;
use super::facts::*;
use super::fingerprint::token_fingerprint;
use super::item_parts::*;
use super::lint_attrs::lint_attrs;
use super::refs;
use super::signature;
use crate::graph::{NodeKind, Visibility};
use proc_macro2::Span;
use std::collections::HashMap;
use syn::visit::Visit;
use syn::{Attribute, ImplItem, Item, TraitItem};

mod assoc;
use assoc::{impl_facts, trait_facts};

/// Extracts the facts of a parsed file. Calls to `macro_rules!` macros inside impl and trait
/// bodies are expanded with the file's own macros, then `visible` (macros of other files
/// of the workspace, by name; the file's own win); `calling_crate` is the crate the file is
/// compiled into, when known (see [`super::Reextract::calling_crate`]).
pub fn extract(
    file: &syn::File,
    visible: &HashMap<String, String>,
    calling_crate: Option<&str>,
) -> FileFacts {
    let own = expansion::begin_file(file, visible, calling_crate);
    let mut module = ModuleFacts::default();
    module_items(&file.items, &mut module);
    expansion::settle_generated(&mut module);
    module.lints = lint_attrs(&file.attrs);
    module.cfg = cfg(&file.attrs);
    let end = expansion::end_file();
    let mut macros = own;
    macros.extend(end.defined);
    FileFacts {
        module,
        macros,
        unindexed_items: end.unindexed,
        unexpanded: end.unexpanded,
        macro_failures: end.failures,
    }
}

/// The `#[cfg]` of an item or `use` with `attrs`: its own, and those of the macro calls (and
/// `cfg_if!` branches) it was expanded in.
fn effective_cfg(attrs: &[Attribute], outer_cfgs: Vec<String>) -> Option<String> {
    crate::cfg::all_of(outer_cfgs.into_iter().chain(cfg(attrs)).collect())
}

/// A fresh item record; callers fill the kind-specific fields.
fn item(kind: NodeKind, name: String, attrs: &[Attribute], vis: Visibility) -> ItemFacts {
    let (generated_by, outer_cfgs) = expansion::enclosing_calls();
    let (generated_by, expansion_site) = generated_by.unzip();
    let cfg = effective_cfg(attrs, outer_cfgs);
    ItemFacts {
        kind,
        name,
        signature: String::new(),
        visibility: vis,
        doc: doc_line(attrs),
        cfg,
        span: LocalSpan::default(),
        generics: Vec::new(),
        bounds: Vec::new(),
        refs: Vec::new(),
        children: Vec::new(),
        has_default: false,
        impl_of: None,
        supertraits: Vec::new(),
        derives: Vec::new(),
        module: None,
        is_value: false,
        body: None,
        self_param: None,
        type_path: None,
        lints: lint_attrs(attrs),
        generated_by,
        expansion_site,
        fields: Vec::new(),
        variants: Vec::new(),
        projections: Vec::new(),
        returns: None,
        closure_params: Vec::new(),
        generic_inputs: Vec::new(),
        is_test: false,
    }
}

/// The reason an item-position `include!` whose path is not a literal
/// (`include!(concat!(env!("OUT_DIR"), "/x.rs"))`) is left unexpanded.
pub const INCLUDE_NOT_FOLLOWED: &str =
    "include! is not followed (the included items are not indexed)";

/// The reason an item-position call of a macro the workspace does not define (another
/// crate's, or a proc macro) is left out when its input does not parse as items.
pub const OUTSIDE_NOT_ITEMS: &str = "a macro from outside the workspace whose input is not items (another crate's, or a proc macro): what it generates is not indexed";

/// A function's or method's references (signature, then `body`) into `f.refs`, and the
/// items its body declares as its block scope (`f.module`, left `None` when there are none).
fn function_body(f: &mut ItemFacts, sig: &syn::Signature, body: Option<&syn::Block>) {
    let (refs, items) = refs::collect_refs_and_items(|r| {
        r.signature(sig);
        if let Some(b) = body {
            r.visit_block(b);
        }
    });
    f.refs = refs;
    if !items.is_empty() {
        let mut block = ModuleFacts::default();
        module_items(&items, &mut block);
        f.module = Some(Box::new(ModuleBody::Block(block)));
    }
}

/// A const's or static's references (its type, then its initializer, if any), and the items the
/// initializer declares as its block scope (`f.module`, left `None` when there are none), as
/// for a function: `const _: () = { struct Inner; impl Trait for Inner {} };` names `Inner`
/// inside the block only.
pub(super) fn value_body(f: &mut ItemFacts, ty: &syn::Type, expr: Option<&syn::Expr>) {
    let (refs, items) = refs::collect_refs_and_items(|r| {
        r.visit_type(ty);
        if let Some(e) = expr {
            r.visit_expr(e);
        }
    });
    f.refs = refs;
    if !items.is_empty() {
        let mut block = ModuleFacts::default();
        module_items(&items, &mut block);
        f.module = Some(Box::new(ModuleBody::Block(block)));
    }
}

/// Collects the items of a module body into `out`.
fn module_items(items: &[Item], out: &mut ModuleFacts) {
    for it in items {
        module_item(it, out);
    }
}

fn module_item(it: &Item, out: &mut ModuleFacts) {
    // `#[apply(m)] item` is `m! { item }`.
    if let Some(call) = super::apply_attr::applied_macro(it) {
        return module_item(&Item::Macro(call), out);
    }
    let mut hoisted = Vec::new();
    let facts = match it {
        Item::Const(c) => {
            let mut f = item(
                NodeKind::Const,
                c.ident.to_string(),
                &c.attrs,
                visibility(&c.vis),
            );
            f.signature = signature::value(&c.vis, "const", &c.ident.to_string(), &c.ty);
            f.returns = type_facts(&c.ty);
            f.span = local(
                vis_start(&c.vis).unwrap_or(c.const_token.span),
                c.semi_token.span,
            );
            f.is_value = true;
            value_body(&mut f, &c.ty, Some(&c.expr));
            Some(f)
        }
        Item::Static(s) => {
            let mut f = item(
                NodeKind::Static,
                s.ident.to_string(),
                &s.attrs,
                visibility(&s.vis),
            );
            let kw = if matches!(s.mutability, syn::StaticMutability::Mut(_)) {
                "static mut"
            } else {
                "static"
            };
            f.signature = signature::value(&s.vis, kw, &s.ident.to_string(), &s.ty);
            f.returns = type_facts(&s.ty);
            f.span = local(
                vis_start(&s.vis).unwrap_or(s.static_token.span),
                s.semi_token.span,
            );
            f.is_value = true;
            value_body(&mut f, &s.ty, Some(&s.expr));
            Some(f)
        }
        Item::Fn(func) => {
            let mut f = item(
                NodeKind::Fn,
                func.sig.ident.to_string(),
                &func.attrs,
                visibility(&func.vis),
            );
            f.signature = signature::function(&func.vis, &func.sig);
            f.span = local(
                vis_start(&func.vis).unwrap_or_else(|| fn_start(&func.sig)),
                func.block.brace_token.span.close(),
            );
            f.generics = generic_names(&func.sig.generics);
            f.bounds = generic_bounds(&func.sig.generics);
            f.returns = return_type(&func.sig);
            f.closure_params = closure_params(&func.sig);
            f.generic_inputs = generic_inputs(&func.sig);
            f.is_test = is_test_fn(&func.attrs);
            f.is_value = true;
            function_body(&mut f, &func.sig, Some(&func.block));
            Some(f)
        }
        Item::Struct(s) => {
            let mut f = item(
                NodeKind::Struct,
                s.ident.to_string(),
                &s.attrs,
                visibility(&s.vis),
            );
            f.signature = signature::data(it);
            let end = match &s.fields {
                syn::Fields::Named(n) => n.brace_token.span.close(),
                _ => s.semi_token.map(|t| t.span).unwrap_or(s.ident.span()),
            };
            f.span = local(vis_start(&s.vis).unwrap_or(s.struct_token.span), end);
            f.generics = generic_names(&s.generics);
            f.bounds = generic_bounds(&s.generics);
            f.derives = derives(&s.attrs);
            f.projections = pin_projections(&s.attrs);
            f.is_value = !matches!(s.fields, syn::Fields::Named(_));
            f.fields = field_facts(&s.fields);
            f.refs = refs::collect_refs(&mut hoisted, |r| {
                r.visit_generics(&s.generics);
                r.visit_fields(&s.fields);
            });
            Some(f)
        }
        Item::Enum(e) => {
            let mut f = item(
                NodeKind::Enum,
                e.ident.to_string(),
                &e.attrs,
                visibility(&e.vis),
            );
            f.signature = signature::data(it);
            f.span = local(
                vis_start(&e.vis).unwrap_or(e.enum_token.span),
                e.brace_token.span.close(),
            );
            f.generics = generic_names(&e.generics);
            f.bounds = generic_bounds(&e.generics);
            f.derives = derives(&e.attrs);
            f.projections = pin_projections(&e.attrs);
            f.variants = e.variants.iter().map(|v| v.ident.to_string()).collect();
            f.fields = e
                .variants
                .iter()
                .flat_map(|v| {
                    field_facts(&v.fields)
                        .into_iter()
                        .map(move |field| FieldFacts {
                            name: format!("{}.{}", v.ident, field.name),
                            ty: field.ty,
                        })
                })
                .collect();
            f.refs = refs::collect_refs(&mut hoisted, |r| {
                r.visit_generics(&e.generics);
                for v in &e.variants {
                    r.visit_fields(&v.fields);
                    if let Some((_, d)) = &v.discriminant {
                        r.visit_expr(d);
                    }
                }
            });
            Some(f)
        }
        Item::Union(u) => {
            let mut f = item(
                NodeKind::Union,
                u.ident.to_string(),
                &u.attrs,
                visibility(&u.vis),
            );
            f.signature = signature::data(it);
            f.span = local(
                vis_start(&u.vis).unwrap_or(u.union_token.span),
                u.fields.brace_token.span.close(),
            );
            f.generics = generic_names(&u.generics);
            f.bounds = generic_bounds(&u.generics);
            f.derives = derives(&u.attrs);
            f.fields = field_facts(&syn::Fields::Named(u.fields.clone()));
            f.refs = refs::collect_refs(&mut hoisted, |r| {
                r.visit_generics(&u.generics);
                r.visit_fields_named(&u.fields);
            });
            Some(f)
        }
        Item::Type(t) => {
            let mut f = item(
                NodeKind::TypeAlias,
                t.ident.to_string(),
                &t.attrs,
                visibility(&t.vis),
            );
            f.signature = signature::data(it);
            f.span = local(
                vis_start(&t.vis).unwrap_or(t.type_token.span),
                t.semi_token.span,
            );
            f.generics = generic_names(&t.generics);
            f.bounds = generic_bounds(&t.generics);
            f.returns = type_facts(&t.ty);
            f.refs = refs::collect_refs(&mut hoisted, |r| {
                r.visit_generics(&t.generics);
                r.visit_type(&t.ty);
            });
            Some(f)
        }
        Item::Trait(t) => Some(trait_facts(t, &mut hoisted)),
        Item::TraitAlias(t) => {
            let mut f = item(
                NodeKind::Trait,
                t.ident.to_string(),
                &t.attrs,
                visibility(&t.vis),
            );
            f.signature = format!(
                "{}trait {} = {}",
                signature::visibility_prefix(&t.vis),
                t.ident,
                quote::ToTokens::to_token_stream(&t.bounds)
            );
            f.span = local(
                vis_start(&t.vis).unwrap_or(t.trait_token.span),
                t.semi_token.span,
            );
            for b in &t.bounds {
                if let syn::TypeParamBound::Trait(tb) = b {
                    f.supertraits.push(path_facts(&tb.path));
                }
            }
            Some(f)
        }
        Item::Impl(i) => Some(impl_facts(i, &mut hoisted)),
        Item::Mod(m) => {
            let mut f = item(
                NodeKind::Module,
                m.ident.to_string(),
                &m.attrs,
                visibility(&m.vis),
            );
            f.signature = format!("{}mod {}", signature::visibility_prefix(&m.vis), m.ident);
            let end = match (&m.content, &m.semi) {
                (Some((brace, _)), _) => brace.span.close(),
                (None, Some(semi)) => semi.span,
                _ => m.ident.span(),
            };
            f.span = local(vis_start(&m.vis).unwrap_or(m.mod_token.span), end);
            match &m.content {
                Some((_, items)) => {
                    let mut inner = ModuleFacts {
                        dir_attr: super::item_parts::path_attr(&m.attrs),
                        ..ModuleFacts::default()
                    };
                    let macro_use = m.attrs.iter().any(|a| a.path().is_ident("macro_use"));
                    let scope = expansion::enter_inline_module(items, macro_use);
                    module_items(items, &mut inner);
                    expansion::leave_inline_module(scope);
                    f.module = Some(Box::new(ModuleBody::Inline(inner)));
                    Some(f)
                }
                None => {
                    let mut variants = module_file_variants(&m.attrs, f.cfg.take());
                    let last = variants.pop();
                    for (cfg, body) in variants {
                        out.items.push(ItemFacts {
                            cfg,
                            module: Some(Box::new(body)),
                            ..f.clone()
                        });
                    }
                    last.map(|(cfg, body)| ItemFacts {
                        cfg,
                        module: Some(Box::new(body)),
                        ..f
                    })
                }
            }
        }
        Item::Macro(m) => {
            if m.mac.path.is_ident("macro_rules") {
                if let Some(ident) = &m.ident {
                    // A definition is visible to the calls after it.
                    expansion::define(&ident.to_string(), &m.mac.tokens);
                }
                m.ident.as_ref().map(|ident| {
                    let mut f = item(
                        NodeKind::Macro,
                        ident.to_string(),
                        &m.attrs,
                        Visibility::Private,
                    );
                    if m.attrs.iter().any(|a| a.path().is_ident("macro_export")) {
                        f.visibility = Visibility::Public;
                    }
                    f.signature = format!("macro_rules! {ident}");
                    f.span = expansion::call_site(&m.mac);
                    f
                })
            } else {
                match expansion::expand_call(&m.mac) {
                    expansion::Expansion::Tokens(tokens) => {
                        match syn::parse2::<syn::File>(tokens) {
                            Ok(file) => expansion::in_expansion(&m.mac, &m.attrs, || {
                                module_items(&file.items, out)
                            }),
                            Err(e) => expansion::failed(
                                &m.mac,
                                format!("expansion does not parse as items: {e}"),
                            ),
                        }
                    }
                    expansion::Expansion::Failed => {}
                    // `include!("items.rs")` (often of a build script's output in OUT_DIR) is
                    // not followed: said, not silently dropped.
                    // `include!("items.rs")`: the walker places the file's items here.
                    expansion::Expansion::Unknown
                        if m.mac.path.is_ident("include")
                            && let Ok(lit) = syn::parse2::<syn::LitStr>(m.mac.tokens.clone()) =>
                    {
                        out.includes.push(IncludeFacts {
                            path: lit.value(),
                            span: expansion::call_site(&m.mac),
                        });
                    }
                    // A computed path (`concat!(env!("OUT_DIR"), "/x.rs")`, a build script's
                    // output) is not followed: said, not silently dropped.
                    expansion::Expansion::Unknown if m.mac.path.is_ident("include") => {
                        expansion::failed(&m.mac, INCLUDE_NOT_FOLLOWED.to_string())
                    }
                    // `cfg_if!` (the cfg-if crate's): each branch's items under its cfg.
                    expansion::Expansion::Unknown if super::cfg_if::is_cfg_if(&m.mac) => {
                        match super::cfg_if::branches(m.mac.tokens.clone()) {
                            Some(branches) => expansion::under_cfg(&m.attrs, || {
                                for (cfg, items) in &branches {
                                    expansion::under_cfg(std::slice::from_ref(cfg), || {
                                        module_items(items, out)
                                    });
                                }
                            }),
                            None => expansion::failed(&m.mac, OUTSIDE_NOT_ITEMS.to_string()),
                        }
                    }
                    // `bitflags!` (the bitflags crate's): the flags types and their consts.
                    expansion::Expansion::Unknown if super::bitflags::is_bitflags(&m.mac) => {
                        let site = expansion::call_span(&m.mac);
                        match super::bitflags::items(m.mac.tokens.clone(), site) {
                            Some(items) => expansion::in_expansion(&m.mac, &m.attrs, || {
                                module_items(&items, out)
                            }),
                            None => expansion::failed(&m.mac, OUTSIDE_NOT_ITEMS.to_string()),
                        }
                    }
                    // A macro of another crate or a proc macro (`thread_local!`): a body
                    // that parses as items is taken as if written in place, under the
                    // call's `#[cfg]`.
                    expansion::Expansion::Unknown => {
                        match expansion::parse_items_lenient(&m.mac.tokens) {
                            Ok(file) => {
                                expansion::under_cfg(&m.attrs, || module_items(&file.items, out))
                            }
                            // `bitflags! { pub struct Flags: u32 { … } }`: what it generates
                            // is not in the graph, and coverage says so (`compile_error!`
                            // generates nothing).
                            Err(_) if m.mac.path.is_ident("compile_error") => {}
                            // Items handed over in brace groups: taken as written in place.
                            Err(_)
                                if let Some(items) =
                                    expansion::items_in_brace_groups(&m.mac.tokens) =>
                            {
                                expansion::under_cfg(&m.attrs, || module_items(&items, out))
                            }
                            // What its input names is the module's, as guesses.
                            Err(_) => {
                                expansion::failed(&m.mac, OUTSIDE_NOT_ITEMS.to_string());
                                let refs = super::refs::collect_refs(&mut Vec::new(), |r| {
                                    syn::visit::Visit::visit_macro(r, &m.mac)
                                });
                                for r in refs {
                                    if !out.macro_refs.contains(&r) {
                                        out.macro_refs.push(r);
                                    }
                                }
                            }
                        }
                    }
                }
                None
            }
        }
        Item::Use(u) => {
            let cfg = effective_cfg(&u.attrs, expansion::enclosing_calls().1);
            out.uses.extend(use_facts(u, visibility(&u.vis), cfg));
            None
        }
        Item::ExternCrate(e) => {
            let name = e.ident.to_string();
            let alias = e
                .rename
                .as_ref()
                .map(|(_, a)| a.to_string())
                .unwrap_or_else(|| name.clone());
            let path = if name == "self" {
                vec!["crate".to_string()]
            } else {
                vec![String::new(), name]
            };
            out.uses.push(UseFacts {
                visibility: visibility(&e.vis),
                path,
                alias: Some(alias),
                glob: false,
                span: point(e.ident.span()),
                cfg: cfg(&e.attrs),
            });
            None
        }
        Item::ForeignMod(fm) => {
            for fi in &fm.items {
                if let syn::ForeignItem::Fn(func) = fi {
                    let mut f = item(
                        NodeKind::Fn,
                        func.sig.ident.to_string(),
                        &func.attrs,
                        visibility(&func.vis),
                    );
                    f.signature = signature::function(&func.vis, &func.sig);
                    f.span = local(
                        vis_start(&func.vis).unwrap_or(func.sig.fn_token.span),
                        func.semi_token.span,
                    );
                    f.is_value = true;
                    // `fn simd_add<T>(x: T, y: T) -> T;` (blake2's platform intrinsics).
                    f.generics = generic_names(&func.sig.generics);
                    f.bounds = generic_bounds(&func.sig.generics);
                    f.refs = refs::collect_refs(&mut hoisted, |r| {
                        r.signature(&func.sig);
                    });
                    out.items.push(f);
                }
            }
            None
        }
        _ => None,
    };
    if let Some(f) = facts {
        out.items.push(f);
    }
    for h in hoisted {
        module_item(&Item::Impl(h), out);
    }
}

fn fn_start(sig: &syn::Signature) -> Span {
    sig.constness
        .map(|t| t.span)
        .or(sig.asyncness.map(|t| t.span))
        .unwrap_or(sig.fn_token.span)
}

/// One entry per name or glob a `use` declaration imports.
pub(super) fn use_facts(u: &syn::ItemUse, vis: Visibility, cfg: Option<String>) -> Vec<UseFacts> {
    let mut prefix = Vec::new();
    if u.leading_colon.is_some() {
        prefix.push(String::new());
    }
    let mut out = Vec::new();
    flatten_use(&u.tree, &mut prefix, &vis, &cfg, &mut out);
    out
}

fn flatten_use(
    tree: &syn::UseTree,
    prefix: &mut Vec<String>,
    vis: &Visibility,
    cfg: &Option<String>,
    out: &mut Vec<UseFacts>,
) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            flatten_use(&p.tree, prefix, vis, cfg, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let name = n.ident.to_string();
            // `use a::b::{self}` imports `b` itself.
            let (path, alias) = if name == "self" && !prefix.is_empty() {
                (prefix.clone(), prefix.last().cloned())
            } else {
                let mut p = prefix.clone();
                p.push(name.clone());
                (p, Some(name))
            };
            out.push(UseFacts {
                visibility: vis.clone(),
                path,
                alias,
                glob: false,
                span: point(n.ident.span()),
                cfg: cfg.clone(),
            });
        }
        syn::UseTree::Rename(r) => {
            let name = r.ident.to_string();
            let path = if name == "self" && !prefix.is_empty() {
                prefix.clone()
            } else {
                let mut p = prefix.clone();
                p.push(name);
                p
            };
            out.push(UseFacts {
                visibility: vis.clone(),
                path,
                alias: Some(r.rename.to_string()),
                glob: false,
                span: point(r.ident.span()),
                cfg: cfg.clone(),
            });
        }
        syn::UseTree::Glob(g) => out.push(UseFacts {
            visibility: vis.clone(),
            path: prefix.clone(),
            alias: None,
            glob: true,
            span: point(g.star_token.spans[0]),
            cfg: cfg.clone(),
        }),
        syn::UseTree::Group(g) => {
            for t in &g.items {
                flatten_use(t, prefix, vis, cfg, out);
            }
        }
    }
}

/// [`token_fingerprint`] of a syntax node's tokens.
fn fingerprint(node: &impl quote::ToTokens) -> u64 {
    token_fingerprint(node.to_token_stream())
}
