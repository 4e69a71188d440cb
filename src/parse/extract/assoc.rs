//! The facts of traits and impls with their associated items (methods with their block
//! scopes, consts, types, and the items macro calls in their bodies expand to).

use super::*;
use expansion::AssocExpansion;

pub(super) fn trait_facts(t: &syn::ItemTrait, hoisted: &mut Vec<syn::ItemImpl>) -> ItemFacts {
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
    f.refs = refs::collect_refs(hoisted, |r| {
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
                let end = m
                    .default
                    .as_ref()
                    .map(|b| b.brace_token.span.close())
                    .or(m.semi_token.map(|s| s.span))
                    .unwrap_or(m.sig.ident.span());
                let mut c = method_facts(
                    &m.attrs,
                    (&syn::Visibility::Inherited, Visibility::Public),
                    &m.sig,
                    local(fn_start(&m.sig), end),
                    m.default.as_ref(),
                );
                c.has_default = m.default.is_some();
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
                c.returns = type_facts(&k.ty);
                c.has_default = k.default.is_some();
                c.body = k.default.as_ref().map(|(_, e)| fingerprint(e));
                super::value_body(&mut c, &k.ty, k.default.as_ref().map(|(_, e)| e));
                c
            }
            TraitItem::Type(ty) => {
                let mut c = item(
                    NodeKind::AssocType,
                    ty.ident.to_string(),
                    &ty.attrs,
                    Visibility::Public,
                );
                c.signature = signature::assoc_type(ty);
                c.span = local(ty.type_token.span, ty.semi_token.span);
                // A generic associated type's parameters (`type Buffer<T>: Borrow<[T]>;`).
                c.generics = generic_names(&ty.generics);
                c.has_default = ty.default.is_some();
                c.body = ty.default.as_ref().map(|(_, d)| fingerprint(d));
                c.refs = refs::collect_refs(hoisted, |r| {
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
                assoc_macro::<TraitItem>(&m.mac, &m.attrs, call_site, &mut |items, site| {
                    trait_items(items, hoisted, site, out)
                });
                continue;
            }
            _ => continue,
        };
        place(child, call_site, out);
    }
}

pub(super) fn impl_facts(i: &syn::ItemImpl, hoisted: &mut Vec<syn::ItemImpl>) -> ItemFacts {
    let header = signature::impl_header(i);
    let self_type = signature::ty(&i.self_ty);
    let name = match &i.trait_ {
        Some((path, _)) => {
            let bang = if i.modifiers.polarity.is_some() {
                "!"
            } else {
                ""
            };
            // The trait path as rustfmt prints it (`From<&'static [u8]>`).
            let as_type: syn::Type = syn::parse_quote!(#path);
            let tr = signature::ty(&as_type);
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
        generic: impl_is_generic(i),
        params_outside_self: impl_has_params_outside_self(i),
    });
    f.refs = refs::collect_refs(hoisted, |r| {
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
            ImplItem::Fn(m) => method_facts(
                &m.attrs,
                (&m.vis, visibility(&m.vis)),
                &m.sig,
                local(
                    vis_start(&m.vis).unwrap_or_else(|| fn_start(&m.sig)),
                    m.block.brace_token.span.close(),
                ),
                Some(&m.block),
            ),
            ImplItem::Const(k) => {
                let mut c = item(
                    NodeKind::AssocConst,
                    k.ident.to_string(),
                    &k.attrs,
                    visibility(&k.vis),
                );
                c.signature = signature::value(&k.vis, "const", &k.ident.to_string(), &k.ty);
                c.returns = type_facts(&k.ty);
                c.span = local(
                    vis_start(&k.vis).unwrap_or(k.const_token.span),
                    k.semi_token.span,
                );
                c.body = Some(fingerprint(&k.expr));
                super::value_body(&mut c, &k.ty, Some(&k.expr));
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
                c.generics = generic_names(&ty.generics);
                c.type_path = self_type_path(&ty.ty).map(path_facts);
                // The type it stands for, for method lookup (`type Target = T;` of a Deref).
                c.returns = type_facts(&ty.ty);
                c.refs = refs::collect_refs(hoisted, |r| {
                    r.visit_type(&ty.ty);
                });
                c
            }
            ImplItem::Macro(m) => {
                assoc_macro::<ImplItem>(&m.mac, &m.attrs, call_site, &mut |items, site| {
                    impl_items(items, hoisted, site, out)
                });
                continue;
            }
            _ => continue,
        };
        place(child, call_site, out);
    }
}

/// The facts of a method (a trait's, with its default body if any, or an impl's): its
/// signature as written with `vis` (and `visibility` as its node's), its generics, return
/// type, `self` parameter, body fingerprint, and the references and block scope of `body`.
fn method_facts(
    attrs: &[syn::Attribute],
    (vis, visibility): (&syn::Visibility, Visibility),
    sig: &syn::Signature,
    span: LocalSpan,
    body: Option<&syn::Block>,
) -> ItemFacts {
    let mut c = item(NodeKind::Method, sig.ident.to_string(), attrs, visibility);
    c.signature = signature::function(vis, sig);
    c.span = span;
    c.generics = generic_names(&sig.generics);
    c.bounds = generic_bounds(&sig.generics);
    c.returns = return_type(sig);
    c.closure_params = closure_params(sig);
    c.generic_inputs = generic_inputs(sig);
    c.body = body.map(fingerprint);
    c.self_param = self_param(sig);
    function_body(&mut c, sig, body);
    c
}

/// A macro call among a trait's or an impl's items ([`expansion::expand_assoc`]): `walk` is
/// given the items it stands for and where they are placed (a workspace macro's expansion
/// at the call site, an outside macro's input where it is written), under the call's cfgs.
fn assoc_macro<T: syn::parse::Parse>(
    mac: &syn::Macro,
    attrs: &[syn::Attribute],
    call_site: Option<LocalSpan>,
    walk: &mut dyn FnMut(&[T], Option<LocalSpan>),
) {
    match expansion::expand_assoc::<T>(mac) {
        AssocExpansion::Expanded(expanded) => {
            let site = call_site.unwrap_or_else(|| expansion::call_site(mac));
            expansion::in_expansion(mac, attrs, || walk(&expanded, Some(site)));
        }
        AssocExpansion::InPlace(groups) => expansion::under_cfg(attrs, || {
            for (cfg, items) in &groups {
                expansion::under_cfg(cfg, || walk(items, call_site));
            }
        }),
        AssocExpansion::Nothing => {}
    }
}

/// Adds an associated item to `out`; one a macro call expanded to is placed at the call site.
fn place(mut child: ItemFacts, call_site: Option<LocalSpan>, out: &mut Vec<ItemFacts>) {
    if let Some(site) = call_site {
        child.span = site;
    }
    out.push(child);
}
