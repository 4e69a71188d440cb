//! syn AST → [`FileFacts`]: items, associated items, `use` declarations and the paths each
//! item references. Works on one file at a time and knows nothing of the module tree.

use super::facts::*;
use super::fingerprint::token_fingerprint;
use super::lint_attrs::lint_attrs;
use super::macro_rules::MacroRules;
use super::signature;
use crate::graph::{NodeKind, Visibility};
use proc_macro2::{Delimiter, Span, TokenStream, TokenTree};
use std::collections::{HashMap, HashSet};
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Attribute, Expr, ImplItem, Item, Token, TraitItem, Type};

/// Extracts the facts of a parsed file. Calls to `macro_rules!` macros inside impl and trait
/// bodies are expanded with the file's own macros, then `visible` (macros of other files
/// of the workspace, by name; the file's own win).
pub fn extract(file: &syn::File, visible: &HashMap<String, String>) -> FileFacts {
    let mut own = Vec::new();
    collect_macros(&file.items, &mut own);
    let mut macros = visible.clone();
    for (name, body) in &own {
        macros.insert(name.clone(), body.clone());
    }
    EXPANSION.with(|e| {
        *e.borrow_mut() = ExpansionState {
            macros,
            imported_from: imported_macros(&file.items),
            renamed: renamed_imports(&file.items),
            ..ExpansionState::default()
        }
    });
    let mut module = ModuleFacts::default();
    module_items(&file.items, &mut module);
    settle_generated(&mut module);
    module.lints = lint_attrs(&file.attrs);
    let mut state = EXPANSION.with(|e| std::mem::take(&mut *e.borrow_mut()));
    state.unexpanded.sort();
    state.unexpanded.dedup();
    FileFacts {
        module,
        macros: own,
        unexpanded: state.unexpanded,
        macro_failures: state.failures,
    }
}

/// Keeps [`ItemFacts::generated_by`] only on items that start at their expansion's call
/// site (the macro wrote them); clears the extraction-time sites.
fn settle_generated(module: &mut ModuleFacts) {
    fn settle(item: &mut ItemFacts) {
        if let Some(site) = item.expansion_site.take()
            && (item.span.line, item.span.column) != (site.line, site.column)
        {
            item.generated_by = None;
        }
        item.children.iter_mut().for_each(settle);
        if let Some(ModuleBody::Inline(inner)) = item.module.as_deref_mut() {
            settle_generated(inner);
        }
    }
    module.items.iter_mut().for_each(settle);
}

/// The current file's macros and where extraction stands inside their expansions; reset
/// for every file.
#[derive(Default)]
struct ExpansionState {
    /// The `macro_rules!` macros visible to the file (name → rules as token text).
    macros: HashMap<String, String>,
    /// `macros` entries parsed so far (each at its first call).
    parsed: HashMap<String, std::rc::Rc<MacroRules>>,
    /// Macros called that are not in `macros` (see [`FileFacts::unexpanded`]).
    unexpanded: Vec<String>,
    /// The macro whose call (written in the file) is being expanded, with the call site.
    generated_by: Option<(String, LocalSpan)>,
    /// The `#[cfg]` predicates on the enclosing macro calls, outermost first.
    cfgs: Vec<String>,
    /// How many expansions enclose the current one.
    depth: usize,
    /// Token trees produced by expansions in this file so far.
    tokens: usize,
    /// Calls skipped so far.
    failures: Vec<MacroFailure>,
    /// Names the file imports from another crate (`use numbers::impl_zero;` → `numbers`):
    /// `$crate` in such a macro's expansion names that crate.
    imported_from: HashMap<String, String>,
    /// Names the file imports under another name (`use crate::__define_rejection as
    /// define_rejection;` → `define_rejection` → `__define_rejection`).
    renamed: HashMap<String, String>,
}

/// First path segments that name something in the current crate, not another crate.
const LOCAL_ROOTS: [&str; 4] = ["crate", "self", "super", "Self"];

/// The `use` declarations of the file, its inline modules included, flattened.
fn file_uses(items: &[Item]) -> Vec<UseFacts> {
    fn collect(items: &[Item], uses: &mut Vec<UseFacts>) {
        for it in items {
            match it {
                Item::Use(u) => uses.extend(use_facts(u, Visibility::Private, None)),
                Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        collect(inner, uses);
                    }
                }
                _ => {}
            }
        }
    }
    let mut uses = Vec::new();
    collect(items, &mut uses);
    uses
}

/// Names the file imports under another name, with the name they have where they are
/// defined (the last segment of the imported path).
fn renamed_imports(items: &[Item]) -> HashMap<String, String> {
    file_uses(items)
        .into_iter()
        .filter_map(|u| {
            let original = u.path.last()?.clone();
            let alias = u.alias?;
            (!u.glob && alias != original && alias != "_").then_some((alias, original))
        })
        .collect()
}

/// Names the file (its inline modules included) imports from another crate, with that
/// crate's name.
fn imported_macros(items: &[Item]) -> HashMap<String, String> {
    file_uses(items)
        .into_iter()
        .filter_map(|u| {
            let first = u.path.iter().find(|s| !s.is_empty())?.clone();
            let local = LOCAL_ROOTS.contains(&first.as_str());
            let alias = u.alias?;
            (u.path.len() >= 2 && !local && !u.glob).then_some((alias, first))
        })
        .collect()
}

/// The crate `$crate` names in the expansion of `mac`: the first segment of a qualified
/// call (`numbers::impl_zero!`), the crate a `use` imported the macro from, else `None`
/// (the calling crate).
fn dollar_crate(mac: &syn::Macro) -> Option<String> {
    let segments: Vec<String> = mac
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    if segments.len() >= 2 {
        let first = &segments[0];
        return (!LOCAL_ROOTS.contains(&first.as_str())).then(|| first.clone());
    }
    EXPANSION.with(|e| e.borrow().imported_from.get(segments.first()?).cloned())
}

thread_local! {
    /// Macros and expansion context of the file being extracted.
    static EXPANSION: std::cell::RefCell<ExpansionState> =
        std::cell::RefCell::new(ExpansionState::default());
}

/// Every `macro_rules!` definition in `items` as (name, rules text), in source order:
/// inline modules and item-position macro calls whose body parses as items included.
fn collect_macros(items: &[Item], out: &mut Vec<(String, String)>) {
    for it in items {
        match it {
            Item::Macro(m) if m.mac.path.is_ident("macro_rules") => {
                if let Some(ident) = &m.ident {
                    out.push((ident.to_string(), m.mac.tokens.to_string()));
                }
            }
            // `cfg_io! { macro_rules! m { … } … }`: a token scan, not a second parse.
            Item::Macro(m) => scan_macro_rules(m.mac.tokens.clone(), out),
            Item::Mod(m) => {
                if let Some((_, inner)) = &m.content {
                    collect_macros(inner, out);
                }
            }
            _ => {}
        }
    }
}

/// `macro_rules ! name { … }` sequences at the top level of an item-position macro's body.
fn scan_macro_rules(tokens: TokenStream, out: &mut Vec<(String, String)>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for w in trees.windows(4) {
        if let [
            TokenTree::Ident(kw),
            TokenTree::Punct(bang),
            TokenTree::Ident(name),
            TokenTree::Group(body),
        ] = w
            && kw == "macro_rules"
            && bang.as_char() == '!'
        {
            out.push((name.to_string(), body.stream().to_string()));
        }
    }
}

/// Converts a proc-macro2 span start to a [`LocalSpan`] (1-based column).
pub(super) fn local(start: Span, end: Span) -> LocalSpan {
    let s = start.start();
    let e = end.end();
    LocalSpan {
        line: s.line as u32,
        column: s.column as u32 + 1,
        end_line: (e.line as u32).max(s.line as u32),
    }
}

fn point(span: Span) -> LocalSpan {
    local(span, span)
}

fn path_span(path: &syn::Path) -> Span {
    match (&path.leading_colon, path.segments.first()) {
        (Some(c), _) => c.spans[0],
        (None, Some(seg)) => seg.ident.span(),
        (None, None) => Span::call_site(),
    }
}

fn path_facts(path: &syn::Path) -> PathFacts {
    let mut segments = Vec::with_capacity(path.segments.len() + 1);
    if path.leading_colon.is_some() {
        segments.push(String::new());
    }
    segments.extend(path.segments.iter().map(|s| s.ident.to_string()));
    PathFacts {
        segments,
        span: point(path_span(path)),
    }
}

fn visibility(vis: &syn::Visibility) -> Visibility {
    match vis {
        syn::Visibility::Public(_) => Visibility::Public,
        syn::Visibility::Inherited => Visibility::Private,
        syn::Visibility::Restricted(r) => {
            let p = &r.path;
            if r.in_token.is_none() && p.is_ident("crate") {
                Visibility::Crate
            } else if r.in_token.is_none() && p.is_ident("super") {
                Visibility::Super
            } else if p.is_ident("self") {
                Visibility::Private
            } else {
                let text = p
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect::<Vec<_>>()
                    .join("::");
                Visibility::InPath(text)
            }
        }
    }
}

fn vis_start(vis: &syn::Visibility) -> Option<Span> {
    match vis {
        syn::Visibility::Public(p) => Some(p.span),
        syn::Visibility::Restricted(r) => Some(r.pub_token.span),
        syn::Visibility::Inherited => None,
    }
}

/// First non-empty line of the doc comment.
fn doc_line(attrs: &[Attribute]) -> Option<String> {
    for attr in attrs {
        if !attr.path().is_ident("doc") {
            continue;
        }
        if let syn::Meta::NameValue(nv) = &attr.meta
            && let Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &nv.value
        {
            let value = s.value();
            if let Some(line) = value.lines().map(str::trim).find(|l| !l.is_empty()) {
                return Some(line.to_string());
            }
        }
    }
    None
}

/// The `#[cfg(…)]` predicates, `all(…)`-joined when there are several; a `#[test]`
/// function is compiled under `cfg(test)` only.
fn cfg(attrs: &[Attribute]) -> Option<String> {
    let mut preds: Vec<String> = attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg"))
        .filter_map(|a| match &a.meta {
            syn::Meta::List(list) => Some(list.tokens.to_string()),
            _ => None,
        })
        .collect();
    if attrs
        .iter()
        .any(|a| a.path().is_ident("test") && matches!(a.meta, syn::Meta::Path(_)))
    {
        preds.push("test".to_string());
    }
    crate::cfg::all_of(preds)
}

/// Whether an attribute marks a test function (see [`ItemFacts::is_test`]).
fn is_test_fn(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().segments.last().is_some_and(|s| {
            matches!(
                s.ident.to_string().as_str(),
                "test" | "rstest" | "test_case" | "quickcheck"
            )
        })
    })
}

fn derives(attrs: &[Attribute]) -> Vec<PathFacts> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        if let Ok(paths) =
            attr.parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
        {
            out.extend(paths.iter().map(path_facts));
        }
    }
    out
}

/// The variants of a `mod x;` declaration as `(cfg, body)`: one per
/// `#[cfg_attr(pred, path = "…")]` (under `pred`), then the plain declaration under none of
/// those predicates; the plain one is left out when the predicates cover every configuration
/// (`pred` and `not(pred)` both written). Without `cfg_attr` paths: the declaration alone,
/// under `cfg`.
fn module_file_variants(
    attrs: &[Attribute],
    cfg: Option<String>,
) -> Vec<(Option<String>, ModuleBody)> {
    let plain = path_attr(attrs);
    let chosen = cfg_attr_paths(attrs);
    if chosen.is_empty() {
        return vec![(
            cfg,
            ModuleBody::File {
                path_attr: plain,
                conditional: false,
            },
        )];
    }
    let under = |pred: String| crate::cfg::all_of(cfg.iter().cloned().chain([pred]).collect());
    let preds: Vec<&String> = chosen.iter().map(|(p, _)| p).collect();
    let exhaustive = preds
        .iter()
        .any(|p| preds.iter().any(|q| **q == format!("not ({p})")));
    let mut out: Vec<(Option<String>, ModuleBody)> = chosen
        .iter()
        .map(|(pred, path)| {
            let body = ModuleBody::File {
                path_attr: Some(path.clone()),
                conditional: true,
            };
            (under(pred.clone()), body)
        })
        .collect();
    if !exhaustive {
        let none = format!(
            "not (any ({}))",
            preds
                .iter()
                .map(|p| p.as_str())
                .collect::<Vec<_>>()
                .join(" , ")
        );
        let body = ModuleBody::File {
            path_attr: plain,
            conditional: true,
        };
        out.push((under(none), body));
    }
    out
}

/// `#[cfg_attr(pred, path = "…")]` attributes as (predicate as token text, path).
fn cfg_attr_paths(attrs: &[Attribute]) -> Vec<(String, String)> {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("cfg_attr"))
        .filter_map(|a| {
            let metas = a
                .parse_args_with(Punctuated::<syn::Meta, Token![,]>::parse_terminated)
                .ok()?;
            let mut metas = metas.into_iter();
            let pred = quote::ToTokens::to_token_stream(&metas.next()?).to_string();
            let path = metas.find_map(|m| match m {
                syn::Meta::NameValue(nv) if nv.path.is_ident("path") => match nv.value {
                    Expr::Lit(syn::ExprLit {
                        lit: syn::Lit::Str(s),
                        ..
                    }) => Some(s.value()),
                    _ => None,
                },
                _ => None,
            })?;
            Some((pred, path))
        })
        .collect()
}

fn path_attr(attrs: &[Attribute]) -> Option<String> {
    attrs.iter().find_map(|a| {
        if !a.path().is_ident("path") {
            return None;
        }
        match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        }
    })
}

fn generic_names(generics: &syn::Generics) -> Vec<String> {
    generics
        .params
        .iter()
        .filter_map(|p| match p {
            syn::GenericParam::Type(t) => Some(t.ident.to_string()),
            syn::GenericParam::Const(c) => Some(c.ident.to_string()),
            syn::GenericParam::Lifetime(_) => None,
        })
        .collect()
}

/// The trait bounds of type parameters, written in `<…>` or in the `where` clause
/// (`S: Sink + Clone`, `where S: Sink`), one entry per parameter that has any.
fn generic_bounds(generics: &syn::Generics) -> Vec<BoundFacts> {
    let mut out: Vec<BoundFacts> = Vec::new();
    let mut add = |param: String, bounds: &Punctuated<syn::TypeParamBound, Token![+]>| {
        let traits = bounds.iter().filter_map(|b| match b {
            syn::TypeParamBound::Trait(t) => Some(path_facts(&t.path).segments),
            _ => None,
        });
        match out.iter_mut().find(|b| b.param == param) {
            Some(b) => b.traits.extend(traits),
            None => out.push(BoundFacts {
                param,
                traits: traits.collect(),
            }),
        }
    };
    for p in &generics.params {
        if let syn::GenericParam::Type(t) = p {
            add(t.ident.to_string(), &t.bounds);
        }
    }
    let params = generic_names(generics);
    for pred in generics.where_clause.iter().flat_map(|w| &w.predicates) {
        if let syn::WherePredicate::Type(t) = pred
            && let Type::Path(p) = &t.bounded_ty
            && p.qself.is_none()
            && let Some(ident) = p.path.get_ident()
            && params.contains(&ident.to_string())
        {
            add(ident.to_string(), &t.bounds);
        }
    }
    out.retain(|b| !b.traits.is_empty());
    out
}

/// A fresh item record; callers fill the kind-specific fields.
fn item(kind: NodeKind, name: String, attrs: &[Attribute], vis: Visibility) -> ItemFacts {
    let (generated_by, outer_cfgs) =
        EXPANSION.with(|e| (e.borrow().generated_by.clone(), e.borrow().cfgs.clone()));
    let (generated_by, expansion_site) = generated_by.unzip();
    let cfg = crate::cfg::all_of(outer_cfgs.into_iter().chain(cfg(attrs)).collect());
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
        returns: None,
        is_test: false,
    }
}

/// Collects the items of a module body into `out`.
fn module_items(items: &[Item], out: &mut ModuleFacts) {
    for it in items {
        module_item(it, out);
    }
}

fn module_item(it: &Item, out: &mut ModuleFacts) {
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
            f.span = local(
                vis_start(&c.vis).unwrap_or(c.const_token.span),
                c.semi_token.span,
            );
            f.is_value = true;
            f.refs = collect_refs(&mut hoisted, |r| {
                r.visit_type(&c.ty);
                r.visit_expr(&c.expr);
            });
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
            f.span = local(
                vis_start(&s.vis).unwrap_or(s.static_token.span),
                s.semi_token.span,
            );
            f.is_value = true;
            f.refs = collect_refs(&mut hoisted, |r| {
                r.visit_type(&s.ty);
                r.visit_expr(&s.expr);
            });
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
            f.is_test = is_test_fn(&func.attrs);
            f.is_value = true;
            f.refs = collect_refs(&mut hoisted, |r| {
                r.signature(&func.sig);
                r.visit_block(&func.block);
            });
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
            f.is_value = !matches!(s.fields, syn::Fields::Named(_));
            f.fields = field_facts(&s.fields);
            f.refs = collect_refs(&mut hoisted, |r| {
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
            f.refs = collect_refs(&mut hoisted, |r| {
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
            f.refs = collect_refs(&mut hoisted, |r| {
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
            f.refs = collect_refs(&mut hoisted, |r| {
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
                    let mut inner = ModuleFacts::default();
                    module_items(items, &mut inner);
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
                    f.span = call_site(&m.mac);
                    f
                })
            } else {
                match expand_call(&m.mac) {
                    Expansion::Tokens(tokens) => match syn::parse2::<syn::File>(tokens) {
                        Ok(file) => {
                            in_expansion(&m.mac, &m.attrs, || module_items(&file.items, out))
                        }
                        Err(e) => failed(&m.mac, format!("expansion does not parse as items: {e}")),
                    },
                    Expansion::Failed => {}
                    // `include!("items.rs")` (often of a build script's output in OUT_DIR) is
                    // not followed: said, not silently dropped.
                    Expansion::Unknown if m.mac.path.is_ident("include") => failed(
                        &m.mac,
                        "include! is not followed (the included items are not indexed)".to_string(),
                    ),
                    // A macro of another crate or a proc macro (`cfg_if!`, `thread_local!`):
                    // a body that parses as items is taken as if written in place, under
                    // the call's `#[cfg]`.
                    Expansion::Unknown => {
                        if let Ok(file) = syn::parse2::<syn::File>(m.mac.tokens.clone()) {
                            under_cfg(&m.attrs, || module_items(&file.items, out));
                        }
                    }
                }
                None
            }
        }
        Item::Use(u) => {
            out.uses
                .extend(use_facts(u, visibility(&u.vis), cfg(&u.attrs)));
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
                    f.refs = collect_refs(&mut hoisted, |r| {
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
fn use_facts(u: &syn::ItemUse, vis: Visibility, cfg: Option<String>) -> Vec<UseFacts> {
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

fn trait_facts(t: &syn::ItemTrait, hoisted: &mut Vec<syn::ItemImpl>) -> ItemFacts {
    let mut f = item(
        NodeKind::Trait,
        t.ident.to_string(),
        &t.attrs,
        visibility(&t.vis),
    );
    f.signature = signature::trait_header(t);
    f.span = local(
        vis_start(&t.vis)
            .or(t.unsafety.map(|u| u.span))
            .unwrap_or(t.trait_token.span),
        t.brace_token.span.close(),
    );
    f.generics = generic_names(&t.generics);
    f.bounds = generic_bounds(&t.generics);
    for b in &t.supertraits {
        if let syn::TypeParamBound::Trait(tb) = b {
            f.supertraits.push(path_facts(&tb.path));
        }
    }
    f.refs = collect_refs(hoisted, |r| {
        r.visit_generics(&t.generics);
    });
    trait_items(&t.items, hoisted, None, &mut f.children);
    f
}

/// Facts of one associated item of a trait; a macro call expands to several (or none).
fn trait_items(
    items: &[TraitItem],
    hoisted: &mut Vec<syn::ItemImpl>,
    call_site: Option<LocalSpan>,
    out: &mut Vec<ItemFacts>,
) {
    for ti in items {
        let child = match ti {
            TraitItem::Fn(m) => {
                let mut c = item(
                    NodeKind::Method,
                    m.sig.ident.to_string(),
                    &m.attrs,
                    Visibility::Public,
                );
                c.signature = signature::function(&syn::Visibility::Inherited, &m.sig);
                let end = m
                    .default
                    .as_ref()
                    .map(|b| b.brace_token.span.close())
                    .or(m.semi_token.map(|s| s.span))
                    .unwrap_or(m.sig.ident.span());
                c.span = local(fn_start(&m.sig), end);
                c.generics = generic_names(&m.sig.generics);
                c.bounds = generic_bounds(&m.sig.generics);
                c.returns = return_type(&m.sig);
                c.has_default = m.default.is_some();
                c.body = m.default.as_ref().map(fingerprint);
                c.self_param = self_param(&m.sig);
                c.refs = collect_refs(hoisted, |r| {
                    r.signature(&m.sig);
                    if let Some(b) = &m.default {
                        r.visit_block(b);
                    }
                });
                c
            }
            TraitItem::Const(k) => {
                let mut c = item(
                    NodeKind::AssocConst,
                    k.ident.to_string(),
                    &k.attrs,
                    Visibility::Public,
                );
                c.signature = signature::value(
                    &syn::Visibility::Inherited,
                    "const",
                    &k.ident.to_string(),
                    &k.ty,
                );
                c.span = local(k.const_token.span, k.semi_token.span);
                c.has_default = k.default.is_some();
                c.body = k.default.as_ref().map(|(_, e)| fingerprint(e));
                c.refs = collect_refs(hoisted, |r| {
                    r.visit_type(&k.ty);
                    if let Some((_, e)) = &k.default {
                        r.visit_expr(e);
                    }
                });
                c
            }
            TraitItem::Type(ty) => {
                let mut c = item(
                    NodeKind::AssocType,
                    ty.ident.to_string(),
                    &ty.attrs,
                    Visibility::Public,
                );
                let bounds = if ty.bounds.is_empty() {
                    String::new()
                } else {
                    format!(": {}", quote::ToTokens::to_token_stream(&ty.bounds))
                };
                let default = ty
                    .default
                    .as_ref()
                    .map(|(_, d)| format!(" = {}", signature::ty(d)))
                    .unwrap_or_default();
                c.signature = format!("type {}{bounds}{default}", ty.ident);
                c.span = local(ty.type_token.span, ty.semi_token.span);
                c.has_default = ty.default.is_some();
                c.body = ty.default.as_ref().map(|(_, d)| fingerprint(d));
                c.refs = collect_refs(hoisted, |r| {
                    for b in &ty.bounds {
                        r.visit_type_param_bound(b);
                    }
                    if let Some((_, d)) = &ty.default {
                        r.visit_type(d);
                    }
                });
                c
            }
            TraitItem::Macro(m) => {
                let site = call_site.unwrap_or_else(|| self::call_site(&m.mac));
                if let Some(expanded) = expand_macro::<TraitItem>(&m.mac) {
                    in_expansion(&m.mac, &m.attrs, || {
                        trait_items(&expanded, hoisted, Some(site), out)
                    });
                }
                continue;
            }
            _ => continue,
        };
        let mut child = child;
        if let Some(site) = call_site {
            child.span = site;
        }
        out.push(child);
    }
}

fn impl_facts(i: &syn::ItemImpl, hoisted: &mut Vec<syn::ItemImpl>) -> ItemFacts {
    let header = signature::impl_header(i);
    let self_type = signature::ty(&i.self_ty);
    let name = match &i.trait_ {
        Some((path, _)) => {
            let bang = if i.modifiers.polarity.is_some() {
                "!"
            } else {
                ""
            };
            let tr = quote::ToTokens::to_token_stream(path)
                .to_string()
                .replace(" :: ", "::")
                .replace(" < ", "<")
                .replace(" <", "<")
                .replace(" >", ">")
                .replace(" ,", ",");
            format!("impl {bang}{tr} for {self_type}")
        }
        None => format!("impl {self_type}"),
    };
    let mut f = item(NodeKind::Impl, name, &i.attrs, Visibility::Private);
    f.signature = header;
    f.span = local(i.impl_token.span, i.brace_token.span.close());
    f.generics = generic_names(&i.generics);
    f.bounds = generic_bounds(&i.generics);
    f.impl_of = Some(ImplFacts {
        trait_path: i.trait_.as_ref().map(|(p, _)| path_facts(p)),
        self_path: self_type_path(&i.self_ty).map(path_facts),
        self_type,
        self_args: type_facts(&i.self_ty).map(|t| t.args).unwrap_or_default(),
        negative: i.modifiers.polarity.is_some(),
    });
    f.refs = collect_refs(hoisted, |r| {
        r.visit_generics(&i.generics);
        r.visit_type(&i.self_ty);
        if let Some((p, _)) = &i.trait_ {
            for seg in &p.segments {
                r.visit_path_arguments(&seg.arguments);
            }
        }
    });
    impl_items(&i.items, hoisted, None, &mut f.children);
    f
}

/// Facts of one associated item of an impl; a macro call expands to several (or none).
fn impl_items(
    items: &[ImplItem],
    hoisted: &mut Vec<syn::ItemImpl>,
    call_site: Option<LocalSpan>,
    out: &mut Vec<ItemFacts>,
) {
    for ii in items {
        let child = match ii {
            ImplItem::Fn(m) => {
                let mut c = item(
                    NodeKind::Method,
                    m.sig.ident.to_string(),
                    &m.attrs,
                    visibility(&m.vis),
                );
                c.signature = signature::function(&m.vis, &m.sig);
                c.span = local(
                    vis_start(&m.vis).unwrap_or_else(|| fn_start(&m.sig)),
                    m.block.brace_token.span.close(),
                );
                c.generics = generic_names(&m.sig.generics);
                c.bounds = generic_bounds(&m.sig.generics);
                c.body = Some(fingerprint(&m.block));
                c.returns = return_type(&m.sig);
                c.self_param = self_param(&m.sig);
                c.refs = collect_refs(hoisted, |r| {
                    r.signature(&m.sig);
                    r.visit_block(&m.block);
                });
                c
            }
            ImplItem::Const(k) => {
                let mut c = item(
                    NodeKind::AssocConst,
                    k.ident.to_string(),
                    &k.attrs,
                    visibility(&k.vis),
                );
                c.signature = signature::value(&k.vis, "const", &k.ident.to_string(), &k.ty);
                c.span = local(
                    vis_start(&k.vis).unwrap_or(k.const_token.span),
                    k.semi_token.span,
                );
                c.body = Some(fingerprint(&k.expr));
                c.refs = collect_refs(hoisted, |r| {
                    r.visit_type(&k.ty);
                    r.visit_expr(&k.expr);
                });
                c
            }
            ImplItem::Type(ty) => {
                let mut c = item(
                    NodeKind::AssocType,
                    ty.ident.to_string(),
                    &ty.attrs,
                    visibility(&ty.vis),
                );
                c.signature = format!(
                    "{}type {} = {}",
                    signature::visibility_prefix(&ty.vis),
                    ty.ident,
                    signature::ty(&ty.ty)
                );
                c.span = local(
                    vis_start(&ty.vis).unwrap_or(ty.type_token.span),
                    ty.semi_token.span,
                );
                c.body = Some(fingerprint(&ty.ty));
                c.type_path = self_type_path(&ty.ty).map(path_facts);
                c.refs = collect_refs(hoisted, |r| {
                    r.visit_type(&ty.ty);
                });
                c
            }
            ImplItem::Macro(m) => {
                let site = call_site.unwrap_or_else(|| self::call_site(&m.mac));
                if let Some(expanded) = expand_macro::<ImplItem>(&m.mac) {
                    in_expansion(&m.mac, &m.attrs, || {
                        impl_items(&expanded, hoisted, Some(site), out)
                    });
                }
                continue;
            }
            _ => continue,
        };
        let mut child = child;
        if let Some(site) = call_site {
            child.span = site;
        }
        out.push(child);
    }
}

/// Maximum nesting of `macro_rules!` expansions (rustc's default `recursion_limit` is 128;
/// real macros nest a few levels, a runaway one is cut here).
pub const MAX_EXPANSION_DEPTH: usize = 64;
/// Most token trees all expansions of one file may produce together (guards against
/// macros whose expansions multiply at every level).
pub const MAX_FILE_EXPANSION_TOKENS: usize = 2_000_000;

/// What a macro call turned into.
enum Expansion {
    /// The macro is not a `macro_rules!` macro visible to the file.
    Unknown,
    /// The call could not be expanded; the reason is recorded as a [`MacroFailure`].
    Failed,
    /// The expansion: tokens the macro wrote spanned at the call site, tokens of the
    /// call's input where they are written.
    Tokens(TokenStream),
}

/// The call's site: from the macro path to the closing delimiter.
fn call_span(mac: &syn::Macro) -> Span {
    let start = path_span(&mac.path);
    start.join(mac.delimiter.span().close()).unwrap_or(start)
}

/// [`call_span`] as a [`LocalSpan`].
fn call_site(mac: &syn::Macro) -> LocalSpan {
    let span = call_span(mac);
    local(span, span)
}

/// Records that the call `mac` was skipped because of `reason`.
fn failed(mac: &syn::Macro, reason: String) {
    let failure = MacroFailure {
        name: macro_name(mac),
        span: call_site(mac),
        reason,
    };
    EXPANSION.with(|e| e.borrow_mut().failures.push(failure));
}

fn macro_name(mac: &syn::Macro) -> String {
    mac.path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// Runs `walk` with the items it extracts marked as generated by `mac` (unless an outer
/// call already marks them) and under the call's `#[cfg]`, one expansion level deeper.
fn in_expansion<R>(mac: &syn::Macro, attrs: &[Attribute], walk: impl FnOnce() -> R) -> R {
    let outer = EXPANSION.with(|e| {
        let mut e = e.borrow_mut();
        e.depth += 1;
        let outer = e.generated_by.clone();
        if outer.is_none() {
            e.generated_by = Some((format!("{}!", macro_name(mac)), call_site(mac)));
        }
        outer
    });
    let result = under_cfg(attrs, walk);
    EXPANSION.with(|e| {
        let mut e = e.borrow_mut();
        e.depth -= 1;
        e.generated_by = outer;
    });
    result
}

/// Runs `walk` with the `#[cfg]` of `attrs` (a macro call's) applied to the items it
/// extracts.
fn under_cfg<R>(attrs: &[Attribute], walk: impl FnOnce() -> R) -> R {
    let Some(pred) = cfg(attrs) else {
        return walk();
    };
    EXPANSION.with(|e| e.borrow_mut().cfgs.push(pred));
    let result = walk();
    EXPANSION.with(|e| e.borrow_mut().cfgs.pop());
    result
}

/// The `macro_rules!` rules of the macro `name` visible to the file, parsed once per file.
/// A name the file cannot see is remembered (see [`FileFacts::unexpanded`]).
fn visible_rules(name: &str) -> Option<std::rc::Rc<MacroRules>> {
    EXPANSION.with(|e| {
        let mut e = e.borrow_mut();
        if let Some(rules) = e.parsed.get(name) {
            return Some(rules.clone());
        }
        let Some(text) = e.macros.get(name) else {
            e.unexpanded.push(name.to_string());
            return None;
        };
        let rules = std::rc::Rc::new(MacroRules::parse(text.parse().ok()?)?);
        e.parsed.insert(name.to_string(), rules.clone());
        Some(rules)
    })
}

/// The name a call's macro is looked up by among the visible macros: its name where it is
/// defined (through a renaming `use`), qualified by its crate when the call names a macro
/// of another crate (`other::m!`, `$crate::m!` from another crate's macro, `use other::m;`):
/// `other::m`. A macro of a crate outside the workspace is then never bound to a workspace
/// macro of the same name.
fn lookup_name(mac: &syn::Macro) -> String {
    let name = macro_name(mac);
    let name = EXPANSION.with(|e| e.borrow().renamed.get(&name).cloned().unwrap_or(name));
    match dollar_crate(mac) {
        Some(krate) => format!("{krate}::{name}"),
        None => name,
    }
}

/// Expands a call to a `macro_rules!` macro visible to the file, within the depth and size
/// limits; failures are recorded.
fn expand_call(mac: &syn::Macro) -> Expansion {
    expand_recording(mac, failed)
}

/// [`expand_call`] for a call inside a function body: a failure is not recorded (the call's
/// tokens are then read as expressions, as for a macro of another crate).
fn expand_in_body(mac: &syn::Macro) -> Option<TokenStream> {
    match expand_recording(mac, |_, _| {}) {
        Expansion::Tokens(tokens) => Some(tokens),
        Expansion::Unknown | Expansion::Failed => None,
    }
}

/// [`expand_call`] with `failed` told of each failure.
fn expand_recording(mac: &syn::Macro, failed: impl Fn(&syn::Macro, String)) -> Expansion {
    if macro_name(mac).is_empty() {
        return Expansion::Unknown;
    }
    let name = lookup_name(mac);
    let Some(rules) = visible_rules(&name) else {
        return Expansion::Unknown;
    };
    if EXPANSION.with(|e| e.borrow().depth) >= MAX_EXPANSION_DEPTH {
        failed(
            mac,
            format!("recursion limit reached ({MAX_EXPANSION_DEPTH} nested expansions)"),
        );
        return Expansion::Failed;
    }
    match rules.expand(
        mac.tokens.clone(),
        call_span(mac),
        dollar_crate(mac).as_deref(),
    ) {
        Ok(tokens) => {
            let produced = count_trees(&tokens);
            let over = EXPANSION.with(|e| {
                let mut e = e.borrow_mut();
                e.tokens += produced;
                e.tokens > MAX_FILE_EXPANSION_TOKENS
            });
            if over {
                failed(
                    mac,
                    format!("expansions in this file exceed {MAX_FILE_EXPANSION_TOKENS} tokens"),
                );
                return Expansion::Failed;
            }
            Expansion::Tokens(tokens)
        }
        Err(e) => {
            failed(mac, e.to_string());
            Expansion::Failed
        }
    }
}

/// Token trees in `tokens`, groups counted with their contents.
fn count_trees(tokens: &TokenStream) -> usize {
    tokens
        .clone()
        .into_iter()
        .map(|t| match t {
            TokenTree::Group(g) => 1 + count_trees(&g.stream()),
            _ => 1,
        })
        .sum()
}

/// The associated items (`ImplItem` or `TraitItem`) a call to a known `macro_rules!` macro
/// expands to; `None` for an unknown macro or a failure (recorded).
fn expand_macro<T: syn::parse::Parse>(mac: &syn::Macro) -> Option<Vec<T>> {
    let Expansion::Tokens(tokens) = expand_call(mac) else {
        return None;
    };
    let parser = |input: syn::parse::ParseStream| {
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(input.parse::<T>()?);
        }
        Ok(items)
    };
    match syn::parse::Parser::parse2(parser, tokens) {
        Ok(items) => Some(items),
        Err(e) => {
            failed(
                mac,
                format!("expansion does not parse as associated items: {e}"),
            );
            None
        }
    }
}

/// [`token_fingerprint`] of a syntax node's tokens.
fn fingerprint(node: &impl quote::ToTokens) -> u64 {
    token_fingerprint(node.to_token_stream())
}

/// How a method signature takes `self`.
fn self_param(sig: &syn::Signature) -> Option<SelfParam> {
    match sig.inputs.first()? {
        syn::FnArg::Receiver(r) => Some(match &r.kind {
            syn::ReceiverKind::Value => SelfParam::Value,
            syn::ReceiverKind::Reference(_, _, Some(_)) => SelfParam::RefMut,
            syn::ReceiverKind::Reference(_, _, None) => SelfParam::Ref,
            _ => SelfParam::Typed,
        }),
        syn::FnArg::Typed(_) => None,
    }
}

/// The path of an impl's self type, looking through references, parens and groups.
fn self_type_path(ty: &Type) -> Option<&syn::Path> {
    match ty {
        Type::Path(p) if p.qself.is_none() => Some(&p.path),
        Type::Reference(r) => self_type_path(&r.elem),
        Type::Paren(p) => self_type_path(&p.elem),
        Type::Group(g) => self_type_path(&g.elem),
        _ => None,
    }
}

/// [`TypeFacts`] of a written type; `None` for tuples, arrays, slices, fn pointers and
/// qualified paths.
fn type_facts(ty: &Type) -> Option<TypeFacts> {
    let path = match ty {
        Type::Path(p) if p.qself.is_none() => &p.path,
        Type::Reference(r) => return type_facts(&r.elem),
        Type::Paren(p) => return type_facts(&p.elem),
        Type::Group(g) => return type_facts(&g.elem),
        Type::TraitObject(t) => bound_path(&t.bounds)?,
        Type::ImplTrait(t) => bound_path(&t.bounds)?,
        _ => return None,
    };
    let args = match path.segments.last().map(|s| &s.arguments) {
        Some(syn::PathArguments::AngleBracketed(a)) => a
            .args
            .iter()
            .filter_map(|g| match g {
                // An argument we cannot follow keeps its position with an empty path.
                syn::GenericArgument::Type(t) => Some(type_facts(t).unwrap_or(TypeFacts {
                    path: Vec::new(),
                    args: Vec::new(),
                })),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some(TypeFacts {
        path: path_facts(path).segments,
        args,
    })
}

/// The first trait bound's path of `dyn A + B` / `impl A + B`.
fn bound_path(bounds: &Punctuated<syn::TypeParamBound, Token![+]>) -> Option<&syn::Path> {
    bounds.iter().find_map(|b| match b {
        syn::TypeParamBound::Trait(t) => Some(&t.path),
        _ => None,
    })
}

/// The written return type of a signature (an `async fn`'s is its future's output).
fn return_type(sig: &syn::Signature) -> Option<TypeFacts> {
    match &sig.output {
        syn::ReturnType::Type(_, ty) => type_facts(ty),
        syn::ReturnType::Default => None,
    }
}

/// Fields with a path type, tuple fields named by index.
fn field_facts(fields: &syn::Fields) -> Vec<FieldFacts> {
    fields
        .iter()
        .enumerate()
        .filter_map(|(i, f)| {
            Some(FieldFacts {
                name: f
                    .ident
                    .as_ref()
                    .map_or_else(|| i.to_string(), ToString::to_string),
                ty: type_facts(&f.ty)?,
            })
        })
        .collect()
}

/// Runs `walk` over a fresh [`RefCollector`]; impls found in bodies go to `hoisted`.
fn collect_refs(
    hoisted: &mut Vec<syn::ItemImpl>,
    walk: impl FnOnce(&mut RefCollector),
) -> Vec<RefFacts> {
    let mut r = RefCollector::default();
    walk(&mut r);
    r.finish(hoisted)
}

/// Walks signatures and bodies, recording the paths they name.
#[derive(Default)]
struct RefCollector {
    refs: Vec<RefFacts>,
    seen: HashSet<(RefKind, Vec<String>)>,
    locals: HashSet<String>,
    /// Bindings whose receiver shape is known (typed parameters, `let`s).
    typed_locals: HashMap<String, Receiver>,
    hoisted: Vec<syn::ItemImpl>,
}

const KEYWORDS: &[&str] = &[
    "as", "break", "const", "continue", "else", "enum", "extern", "false", "fn", "for", "if",
    "impl", "in", "let", "loop", "match", "mod", "move", "mut", "pub", "ref", "return", "static",
    "struct", "trait", "true", "type", "unsafe", "use", "where", "while", "async", "await", "dyn",
];

impl RefCollector {
    fn finish(self, hoisted: &mut Vec<syn::ItemImpl>) -> Vec<RefFacts> {
        hoisted.extend(self.hoisted);
        self.refs
    }

    fn push(&mut self, kind: RefKind, path: PathFacts, receiver: Option<Receiver>) {
        if path.segments.len() == 1
            && kind != RefKind::MethodCall
            && self.locals.contains(&path.segments[0])
        {
            return;
        }
        // Keep the first occurrence of each (kind, path): one edge per target is enough,
        // and its span points at the first use.
        if receiver.is_none() && !self.seen.insert((kind, path.segments.clone())) {
            return;
        }
        self.refs.push(RefFacts {
            kind,
            path,
            receiver,
        });
    }

    fn signature(&mut self, sig: &syn::Signature) {
        for input in &sig.inputs {
            match input {
                syn::FnArg::Receiver(r) => {
                    // `&self` names no item (the impl names its type); `self: Box<Self>`
                    // names `Box`.
                    if let syn::ReceiverKind::Typed(_, ty) = &r.kind {
                        self.visit_type(ty);
                    }
                }
                syn::FnArg::Typed(pt) => {
                    if let syn::Pat::Ident(pi) = &*pt.pat
                        && let Some(ty) = type_facts(&pt.ty)
                    {
                        self.typed_locals
                            .insert(pi.ident.to_string(), Receiver::Typed(ty));
                    }
                    self.visit_pat(&pt.pat);
                    self.visit_type(&pt.ty);
                }
            }
        }
        self.visit_generics(&sig.generics);
        self.visit_return_type(&sig.output);
    }

    /// The shape of a receiver expression; [`Receiver::Unknown`] as soon as a part is.
    fn receiver(&self, expr: &Expr) -> Receiver {
        let wrap = |inner: Receiver, f: &dyn Fn(Box<Receiver>) -> Receiver| match inner {
            Receiver::Unknown => Receiver::Unknown,
            r => f(Box::new(r)),
        };
        match expr {
            Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                let name = p.path.segments[0].ident.to_string();
                if name == "self" {
                    Receiver::SelfValue
                } else {
                    self.typed_locals
                        .get(&name)
                        .cloned()
                        .unwrap_or(Receiver::Unknown)
                }
            }
            Expr::Paren(p) => self.receiver(&p.expr),
            Expr::Group(g) => self.receiver(&g.expr),
            Expr::Reference(r) => self.receiver(&r.expr),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.receiver(&u.expr),
            // An `async fn`'s written return type is what `.await` yields.
            Expr::Await(a) => self.receiver(&a.base),
            Expr::Field(f) => {
                let member = match &f.member {
                    syn::Member::Named(id) => id.to_string(),
                    syn::Member::Unnamed(i) => i.index.to_string(),
                };
                wrap(self.receiver(&f.base), &|b| {
                    Receiver::Field(b, member.clone())
                })
            }
            Expr::MethodCall(m) => {
                let name = m.method.to_string();
                wrap(self.receiver(&m.receiver), &|b| {
                    Receiver::Method(b, name.clone())
                })
            }
            Expr::Try(t) => wrap(self.receiver(&t.expr), &Receiver::Try),
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) if p.qself.is_none() => {
                    let segs = path_facts(&p.path).segments;
                    if segs.len() == 1 && self.locals.contains(&segs[0]) {
                        Receiver::Unknown // a closure or fn pointer in a local
                    } else {
                        Receiver::Call(segs)
                    }
                }
                _ => Receiver::Unknown,
            },
            Expr::Struct(s) if s.qself.is_none() => Receiver::Typed(TypeFacts {
                path: path_facts(&s.path).segments,
                args: Vec::new(),
            }),
            Expr::Cast(c) => type_facts(&c.ty).map_or(Receiver::Unknown, Receiver::Typed),
            _ => Receiver::Unknown,
        }
    }

    /// Paths in a macro body we cannot parse: `a::b(` is a call, `A::b` or `Type` a use.
    fn scan_tokens(&mut self, tokens: TokenStream) {
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let mut i = 0;
        while i < trees.len() {
            match &trees[i] {
                TokenTree::Group(g) => {
                    self.scan_tokens(g.stream());
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
                            Some(Receiver::Unknown),
                        );
                    }
                    i = j.max(i + 1);
                }
                _ => i += 1,
            }
        }
    }
}

impl<'ast> Visit<'ast> for RefCollector {
    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        if let Expr::Path(p) = &*call.func
            && p.qself.is_none()
        {
            self.push(RefKind::Call, path_facts(&p.path), None);
            for seg in &p.path.segments {
                self.visit_path_arguments(&seg.arguments);
            }
        } else {
            self.visit_expr(&call.func);
        }
        for a in &call.args {
            self.visit_expr(a);
        }
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        let receiver = self.receiver(&call.receiver);
        self.push(
            RefKind::MethodCall,
            PathFacts {
                segments: vec![call.method.to_string()],
                span: point(call.method.span()),
            },
            Some(receiver),
        );
        visit::visit_expr_method_call(self, call);
    }

    fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
        if let Some(q) = &p.qself {
            self.visit_type(&q.ty);
        }
        self.push(RefKind::Use, path_facts(&p.path), None);
        for seg in &p.path.segments {
            self.visit_path_arguments(&seg.arguments);
        }
    }

    fn visit_type_path(&mut self, p: &'ast syn::TypePath) {
        if let Some(q) = &p.qself {
            self.visit_type(&q.ty);
        }
        self.push(RefKind::Use, path_facts(&p.path), None);
        for seg in &p.path.segments {
            self.visit_path_arguments(&seg.arguments);
        }
    }

    fn visit_trait_bound(&mut self, b: &'ast syn::TraitBound) {
        self.push(RefKind::Use, path_facts(&b.path), None);
        for seg in &b.path.segments {
            self.visit_path_arguments(&seg.arguments);
        }
    }

    fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
        self.push(RefKind::Use, path_facts(&s.path), None);
        for f in &s.fields {
            self.visit_expr(&f.expr);
        }
        if let Some(rest) = &s.rest {
            self.visit_expr(rest);
        }
    }

    fn visit_pat_struct(&mut self, s: &'ast syn::PatStruct) {
        self.push(RefKind::Use, path_facts(&s.path), None);
        for f in &s.fields {
            self.visit_pat(&f.pat);
        }
    }

    fn visit_pat_tuple_struct(&mut self, s: &'ast syn::PatTupleStruct) {
        self.push(RefKind::Use, path_facts(&s.path), None);
        for p in &s.elems {
            self.visit_pat(p);
        }
    }

    fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
        self.locals.insert(p.ident.to_string());
        visit::visit_pat_ident(self, p);
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        // The initializer is visited (and its receivers read) before the binding shadows.
        visit::visit_local(self, l);
        let (name, shape) = match &l.pat {
            syn::Pat::Type(pt) => match (&*pt.pat, type_facts(&pt.ty)) {
                (syn::Pat::Ident(pi), Some(ty)) => (&pi.ident, Receiver::Typed(ty)),
                _ => return,
            },
            syn::Pat::Ident(pi) => match &l.init {
                Some(init) => (&pi.ident, self.receiver(&init.expr)),
                None => return,
            },
            _ => return,
        };
        match shape {
            Receiver::Unknown => self.typed_locals.remove(&name.to_string()),
            shape => self.typed_locals.insert(name.to_string(), shape),
        };
    }

    fn visit_item(&mut self, item: &'ast Item) {
        match item {
            Item::Impl(i) => self.hoisted.push(i.clone()),
            Item::Fn(_) | Item::Const(_) | Item::Static(_) => visit::visit_item(self, item),
            // `use crate::ast::Kind;` in a body: the enclosing item names what it imports.
            Item::Use(u) => {
                let uses = use_facts(u, Visibility::Private, None);
                for used in uses.into_iter().filter(|u| !u.path.is_empty()) {
                    self.push(
                        RefKind::Use,
                        PathFacts {
                            segments: used.path,
                            span: used.span,
                        },
                        None,
                    );
                }
            }
            _ => {}
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // A workspace `macro_rules!` macro: what its expansion names (tokens it writes are
        // spanned at the call site, its input where it is written).
        if let Some(expanded) = expand_in_body(mac) {
            let parse_stmts = syn::Block::parse_within;
            let parse_exprs = Punctuated::<Expr, Token![,]>::parse_terminated;
            EXPANSION.with(|e| e.borrow_mut().depth += 1);
            if let Ok(stmts) = syn::parse::Parser::parse2(parse_stmts, expanded.clone()) {
                stmts.iter().for_each(|s| self.visit_stmt(s));
            } else if let Ok(exprs) = syn::parse::Parser::parse2(parse_exprs, expanded.clone()) {
                exprs.iter().for_each(|e| self.visit_expr(e));
            } else {
                self.scan_tokens(expanded);
            }
            EXPANSION.with(|e| e.borrow_mut().depth -= 1);
            return;
        }
        let tokens = mac.tokens.clone();
        if let Ok(exprs) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
            for e in &exprs {
                self.visit_expr(e);
            }
        } else if let Ok(stmts) = mac.parse_body_with(syn::Block::parse_within) {
            for s in &stmts {
                self.visit_stmt(s);
            }
        } else {
            self.scan_tokens(tokens);
        }
    }
}
