//! The parts of items extraction reads: spans, paths and visibility, attributes (docs,
//! `cfg`, `derive`, `path`, `cfg_attr(…, path)`), generic parameters with their bounds, and
//! written types (parameters, fields, return types, impl self types).

use super::facts::*;
use crate::graph::Visibility;
use proc_macro2::Span;
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Token, Type};

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

pub(super) fn point(span: Span) -> LocalSpan {
    local(span, span)
}

pub(super) fn path_span(path: &syn::Path) -> Span {
    match (&path.leading_colon, path.segments.first()) {
        (Some(c), _) => c.spans[0],
        (None, Some(seg)) => seg.ident.span(),
        (None, None) => Span::call_site(),
    }
}

pub(super) fn path_facts(path: &syn::Path) -> PathFacts {
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

pub(super) fn visibility(vis: &syn::Visibility) -> Visibility {
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

pub(super) fn vis_start(vis: &syn::Visibility) -> Option<Span> {
    match vis {
        syn::Visibility::Public(p) => Some(p.span),
        syn::Visibility::Restricted(r) => Some(r.pub_token.span),
        syn::Visibility::Inherited => None,
    }
}

/// Longest summary kept from a doc comment, in characters (a longer first sentence is cut
/// with `…`).
const MAX_DOC_SUMMARY: usize = 300;

/// The doc comment's summary, as rustdoc shows it in item lists: the first paragraph's first
/// sentence, its lines joined with spaces. `None` without a doc comment.
pub(super) fn doc_line(attrs: &[Attribute]) -> Option<String> {
    let mut text = String::new();
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
            text.push_str(&s.value());
            text.push('\n');
        }
    }
    summary(&text)
}

/// The first sentence of the first paragraph of `doc` (Markdown), on one line.
fn summary(doc: &str) -> Option<String> {
    let paragraph: Vec<&str> = doc
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty())
        .take_while(|l| !l.is_empty() && !l.starts_with("```"))
        .collect();
    if paragraph.is_empty() {
        return None;
    }
    let joined = paragraph.join(" ");
    // A sentence ends at `. ` (or `! `, `? `) before a capital letter, a backquote or a
    // bracket; `e.g. the` does not end one.
    let chars: Vec<char> = joined.chars().collect();
    let mut end = chars.len();
    for i in 0..chars.len().saturating_sub(2) {
        if matches!(chars[i], '.' | '!' | '?')
            && chars[i + 1] == ' '
            && (chars[i + 2].is_uppercase() || matches!(chars[i + 2], '`' | '[' | '*'))
        {
            end = i + 1;
            break;
        }
    }
    let mut sentence: String = chars[..end].iter().collect();
    if sentence.chars().count() > MAX_DOC_SUMMARY {
        sentence = sentence.chars().take(MAX_DOC_SUMMARY - 1).collect();
        sentence.push('…');
    }
    Some(sentence)
}

/// The `#[cfg(…)]` predicates, `all(…)`-joined when there are several; a `#[test]`
/// function is compiled under `cfg(test)` only.
pub(super) fn cfg(attrs: &[Attribute]) -> Option<String> {
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
pub(super) fn is_test_fn(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().segments.last().is_some_and(|s| {
            matches!(
                s.ident.to_string().as_str(),
                "test" | "rstest" | "test_case" | "quickcheck"
            )
        })
    })
}

pub(super) fn derives(attrs: &[Attribute]) -> Vec<PathFacts> {
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

/// The projection types pin-project generates for a struct or enum, which code names like
/// the type itself (`match self.project() { StateProj::Waiting { fut } => … }`):
/// pin-project-lite's `#[project = StateProj]`, `#[project_ref = …]`,
/// `#[project_replace = …]` inside `pin_project!`, and pin-project's
/// `#[pin_project(project = StateProj, project_ref = …)]`.
pub(super) fn pin_projections(attrs: &[Attribute]) -> Vec<String> {
    const KEYS: &[&str] = &["project", "project_ref", "project_replace"];
    let mut out = Vec::new();
    for attr in attrs {
        match &attr.meta {
            syn::Meta::NameValue(nv) if KEYS.iter().any(|k| nv.path.is_ident(k)) => {
                if let syn::Expr::Path(p) = &nv.value
                    && let Some(name) = p.path.get_ident()
                {
                    out.push(name.to_string());
                }
            }
            syn::Meta::List(list)
                if list
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "pin_project") =>
            {
                // `project = A, project_ref = B, PinnedDrop, !Unpin`: `key = Name` triples.
                let trees: Vec<proc_macro2::TokenTree> = list.tokens.clone().into_iter().collect();
                for w in trees.windows(3) {
                    if let [
                        proc_macro2::TokenTree::Ident(key),
                        proc_macro2::TokenTree::Punct(eq),
                        proc_macro2::TokenTree::Ident(name),
                    ] = w
                        && eq.as_char() == '='
                        && KEYS.iter().any(|k| key == k)
                    {
                        out.push(name.to_string());
                    }
                }
            }
            _ => {}
        }
    }
    out
}

/// Whether `cfg_attr` predicates cover every configuration: one is `not(p)` of another
/// (`p` alone or in an `any`), or `not(any(a, b, …))` of predicates the others write, alone or
/// in an `any` (tempfile: `any(unix, target_os = "wasi")`, `windows`, then
/// `not(any(unix, target_os = "wasi", windows))`).
fn cover_every_configuration(preds: &[&String]) -> bool {
    use crate::cfg::CfgExpr;
    let exprs: Vec<CfgExpr> = preds.iter().filter_map(|p| CfgExpr::parse(p)).collect();
    let written: Vec<&CfgExpr> = exprs
        .iter()
        .flat_map(|e| match e {
            CfgExpr::Any(xs) => xs.iter().collect(),
            other => vec![other],
        })
        .collect();
    exprs.iter().any(|e| match e {
        CfgExpr::Not(inner) => match inner.as_ref() {
            CfgExpr::Any(xs) => !xs.is_empty() && xs.iter().all(|x| written.contains(&x)),
            x => written.contains(&x),
        },
        _ => false,
    })
}

/// The variants of a `mod x;` declaration as `(cfg, body)`: one per
/// `#[cfg_attr(pred, path = "…")]` (under `pred`), then the plain declaration under none of
/// those predicates; the plain one is left out when the predicates cover every configuration
/// ([`cover_every_configuration`]). Without `cfg_attr` paths: the declaration alone, under
/// `cfg`.
pub(super) fn module_file_variants(
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
    let exhaustive = cover_every_configuration(&preds);
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
pub(super) fn cfg_attr_paths(attrs: &[Attribute]) -> Vec<(String, String)> {
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

pub(super) fn path_attr(attrs: &[Attribute]) -> Option<String> {
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

pub(super) fn generic_names(generics: &syn::Generics) -> Vec<String> {
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
pub(super) fn generic_bounds(generics: &syn::Generics) -> Vec<BoundFacts> {
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

/// How a method signature takes `self`.
pub(super) fn self_param(sig: &syn::Signature) -> Option<SelfParam> {
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

/// Whether an impl has generic parameters as rustc counts them: declared ones (lifetimes
/// included) and the lifetimes its header elides (`impl Trait for &str`, `Trait<'_>`).
pub(super) fn impl_is_generic(i: &syn::ItemImpl) -> bool {
    struct Elided(bool);
    impl<'ast> syn::visit::Visit<'ast> for Elided {
        fn visit_type_reference(&mut self, r: &'ast syn::TypeReference) {
            self.0 |= r.lifetime.is_none();
            syn::visit::visit_type_reference(self, r);
        }
        fn visit_lifetime(&mut self, l: &'ast syn::Lifetime) {
            self.0 |= l.ident == "_";
        }
    }
    if !i.generics.params.is_empty() {
        return true;
    }
    let mut elided = Elided(false);
    syn::visit::Visit::visit_type(&mut elided, &i.self_ty);
    if let Some((path, _)) = &i.trait_ {
        syn::visit::Visit::visit_path(&mut elided, path);
    }
    elided.0
}

/// Whether a type or const parameter of an impl is not named by its self type
/// (`impl<S> FromRequestParts<S> for HeaderMap`): only the trait constrains it.
pub(super) fn impl_has_params_outside_self(i: &syn::ItemImpl) -> bool {
    struct Idents(std::collections::HashSet<String>);
    impl<'ast> syn::visit::Visit<'ast> for Idents {
        fn visit_ident(&mut self, id: &'ast syn::Ident) {
            self.0.insert(id.to_string());
        }
    }
    let mut named = Idents(Default::default());
    syn::visit::Visit::visit_type(&mut named, &i.self_ty);
    generic_names(&i.generics)
        .iter()
        .any(|p| !named.0.contains(p))
}

/// The path of an impl's self type, looking through references, parens and groups.
pub(super) fn self_type_path(ty: &Type) -> Option<&syn::Path> {
    match ty {
        Type::Path(p) if p.qself.is_none() => Some(&p.path),
        Type::Reference(r) => self_type_path(&r.elem),
        Type::Paren(p) => self_type_path(&p.elem),
        Type::Group(g) => self_type_path(&g.elem),
        _ => None,
    }
}

/// [`TypeFacts`] of a written type; a slice or array is the path `[]` with the element
/// type as its argument (`[T]`, `[T; N]` → `[]<T>`), a raw pointer the path `*` with the
/// pointee as its argument (`*const T` → `*<T>`); `None` for tuples, fn pointers and
/// qualified paths.
pub(super) fn type_facts(ty: &Type) -> Option<TypeFacts> {
    let element = match ty {
        Type::Slice(s) => Some(&s.elem),
        Type::Array(a) => Some(&a.elem),
        _ => None,
    };
    if let Some(element) = element {
        return Some(TypeFacts {
            path: vec![SLICE.to_string()],
            args: vec![type_facts(element).unwrap_or_default()],
            reference: false,
        });
    }
    if let Type::Tuple(t) = ty
        && !t.elems.is_empty()
    {
        return Some(TypeFacts {
            path: vec![TUPLE.to_string()],
            args: t
                .elems
                .iter()
                .map(|e| type_facts(e).unwrap_or_default())
                .collect(),
            reference: false,
        });
    }
    if let Type::Ptr(p) = ty {
        return Some(TypeFacts {
            path: vec![POINTER.to_string()],
            args: vec![type_facts(&p.elem).unwrap_or_default()],
            reference: false,
        });
    }
    let path = match ty {
        Type::Path(p) if p.qself.is_none() => &p.path,
        Type::Reference(r) => {
            return type_facts(&r.elem).map(|t| TypeFacts {
                reference: true,
                ..t
            });
        }
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
                syn::GenericArgument::Type(t) => Some(type_facts(t).unwrap_or_default()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    Some(TypeFacts {
        path: path_facts(path).segments,
        args,
        reference: false,
    })
}

/// The path [`type_facts`] gives slices and arrays.
pub const SLICE: &str = "[]";
/// The path [`type_facts`] gives raw pointers (which never auto-deref).
pub const POINTER: &str = "*";
/// The path [`type_facts`] gives tuples (`(NonNull<T>, usize)`): its arguments are the
/// elements, field `.0` the first.
pub const TUPLE: &str = "()";

/// The first trait bound's path of `dyn A + B` / `impl A + B`.
pub(super) fn bound_path(
    bounds: &Punctuated<syn::TypeParamBound, Token![+]>,
) -> Option<&syn::Path> {
    bounds.iter().find_map(|b| match b {
        syn::TypeParamBound::Trait(t) => Some(&t.path),
        _ => None,
    })
}

/// The written return type of a signature (an `async fn`'s is its future's output).
pub(super) fn return_type(sig: &syn::Signature) -> Option<TypeFacts> {
    match &sig.output {
        syn::ReturnType::Type(_, ty) => type_facts(ty),
        syn::ReturnType::Default => None,
    }
}

/// The inputs of `sig` other than `self`, with their positions (`self` counted, 0-based).
fn typed_inputs(sig: &syn::Signature) -> impl Iterator<Item = (usize, &syn::PatType)> {
    sig.inputs
        .iter()
        .enumerate()
        .filter_map(|(i, input)| match input {
            syn::FnArg::Typed(t) => Some((i, t)),
            syn::FnArg::Receiver(_) => None,
        })
}

/// The inputs of `sig` typed by exactly one of the signature's type parameters (`value:
/// T`), with that parameter's name and the input's position (`self` counted, 0-based).
pub(super) fn generic_inputs(sig: &syn::Signature) -> Vec<(String, u32)> {
    typed_inputs(sig)
        .filter_map(|(i, t)| {
            let Type::Path(p) = &*t.ty else {
                return None;
            };
            let name = p.path.get_ident().filter(|_| p.qself.is_none())?;
            sig.generics
                .type_params()
                .any(|g| &g.ident == name)
                .then(|| Some((name.to_string(), u32::try_from(i).ok()?)))
                .flatten()
        })
        .collect()
}

/// The inputs of `sig` that take a closure, with the closure's parameter types: a
/// parameter typed `impl Fn*(A, B) -> R` (behind `&`/`&mut` too, or `dyn`), or typed by a
/// type parameter of the signature that an `Fn*(…)` bound names (in `<…>` or `where`).
pub(super) fn closure_params(sig: &syn::Signature) -> Vec<ClosureParamFacts> {
    /// The parenthesised arguments of the first `Fn`/`FnMut`/`FnOnce` bound.
    fn fn_bound<'b>(
        bounds: impl IntoIterator<Item = &'b syn::TypeParamBound>,
    ) -> Option<&'b syn::ParenthesizedGenericArguments> {
        bounds.into_iter().find_map(|b| match b {
            syn::TypeParamBound::Trait(t) => match t.path.segments.last() {
                Some(seg)
                    if matches!(seg.ident.to_string().as_str(), "Fn" | "FnMut" | "FnOnce") =>
                {
                    match &seg.arguments {
                        syn::PathArguments::Parenthesized(p) => Some(p),
                        _ => None,
                    }
                }
                _ => None,
            },
            _ => None,
        })
    }
    /// The `Fn*` bound type parameter `name` has in the signature's generics.
    fn param_bound<'g>(
        generics: &'g syn::Generics,
        name: &syn::Ident,
    ) -> Option<&'g syn::ParenthesizedGenericArguments> {
        let declared = generics.type_params().find(|p| &p.ident == name)?;
        fn_bound(&declared.bounds).or_else(|| {
            generics
                .where_clause
                .as_ref()?
                .predicates
                .iter()
                .find_map(|w| match w {
                    syn::WherePredicate::Type(t) => match &t.bounded_ty {
                        Type::Path(p) if p.qself.is_none() && p.path.is_ident(name) => {
                            fn_bound(&t.bounds)
                        }
                        _ => None,
                    },
                    _ => None,
                })
        })
    }
    fn closure_of<'t>(
        ty: &'t Type,
        generics: &'t syn::Generics,
    ) -> Option<&'t syn::ParenthesizedGenericArguments> {
        match ty {
            Type::Reference(r) => closure_of(&r.elem, generics),
            Type::Paren(p) => closure_of(&p.elem, generics),
            Type::Group(g) => closure_of(&g.elem, generics),
            Type::ImplTrait(t) => fn_bound(&t.bounds),
            Type::TraitObject(t) => fn_bound(&t.bounds),
            Type::Path(p) if p.qself.is_none() => param_bound(generics, p.path.get_ident()?),
            _ => None,
        }
    }
    let typed_inputs = generic_inputs(sig);
    self::typed_inputs(sig)
        .filter_map(|(i, t)| {
            let args = closure_of(&t.ty, &sig.generics)?;
            let params: Vec<TypeFacts> = args
                .inputs
                .iter()
                .map(|a| type_facts(&a.ty).unwrap_or_default())
                .collect();
            let typed_by_args = typed_inputs
                .iter()
                .filter(|(name, _)| {
                    params
                        .iter()
                        .any(|p| matches!(&p.path[..], [one] if one == name))
                })
                .cloned()
                .collect();
            Some(ClosureParamFacts {
                arg: u32::try_from(i).ok()?,
                params,
                typed_by_args,
            })
        })
        .collect()
}

/// Fields with a path type, tuple fields named by index.
pub(super) fn field_facts(fields: &syn::Fields) -> Vec<FieldFacts> {
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

#[cfg(test)]
mod doc_tests {
    #[test]
    fn the_summary_is_the_first_sentence_of_the_first_paragraph() {
        let s = |d: &str| super::summary(d);
        assert_eq!(
            s(
                " Regression test ensuring that a task currently running inside\n a block is \
               woken. Second sentence.\n\n More."
            ),
            Some(
                "Regression test ensuring that a task currently running inside a block is woken."
                    .into()
            )
        );
        assert_eq!(s("\n\n One line\n"), Some("One line".into()));
        assert_eq!(
            s("Use e.g. this one. Then"),
            Some("Use e.g. this one.".into())
        );
        assert_eq!(s("   \n"), None);
        assert_eq!(s("Intro:\n```\ncode\n```"), Some("Intro:".into()));
    }
}

#[cfg(test)]
mod module_variant_tests {
    /// How many variants `mod m;` with `attrs` has (one per `cfg_attr` path, plus the plain
    /// file unless the predicates cover every configuration).
    fn variants(attrs: &str) -> usize {
        let item: syn::ItemMod = syn::parse_str(&format!("{attrs} mod m;")).unwrap();
        super::module_file_variants(&item.attrs, None).len()
    }

    #[test]
    fn the_plain_file_is_a_variant_unless_the_predicates_cover_every_configuration() {
        // `p` and `not(p)`.
        assert_eq!(
            variants(r#"#[cfg_attr(unix, path = "a.rs")] #[cfg_attr(not(unix), path = "b.rs")]"#),
            2
        );
        // tempfile: the last predicate is `not(any(…))` of what the others write.
        assert_eq!(
            variants(
                r#"#[cfg_attr(any(unix, target_os = "wasi"), path = "unix.rs")]
                   #[cfg_attr(windows, path = "windows.rs")]
                   #[cfg_attr(not(any(unix, target_os = "wasi", windows)), path = "other.rs")]"#
            ),
            3
        );
        // One predicate left out of the `not(any(…))`: the plain file stays a variant.
        assert_eq!(
            variants(
                r#"#[cfg_attr(unix, path = "unix.rs")]
                   #[cfg_attr(not(any(unix, windows)), path = "other.rs")]"#
            ),
            3
        );
        // mio: no predicate negates the others.
        assert_eq!(
            variants(r#"#[cfg_attr(target_os = "linux", path = "epoll.rs")]"#),
            2
        );
    }
}
