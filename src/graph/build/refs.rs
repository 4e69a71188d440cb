//! Pass 4 of the linker: every reference of every item (calls, uses, method calls) resolved
//! to an edge with its confidence; references that resolve to nothing are counted per crate.
//! Modules are resolved in parallel against the read-only linker state, then their edges are
//! added in module order, so the result does not depend on the thread count.

use super::Builder;
use crate::graph::resolve::{Ctx, Ns, Target};
use crate::graph::{Confidence, EdgeKind, NodeKind, Span};
use crate::parse::facts::RefKind;
use rayon::prelude::*;
use rustc_hash::FxHashSet;
use std::sync::Arc;

/// An edge found by pass 4 before it is added: (from node, target, kind, confidence, span,
/// the cfg its reference is written under in the body).
type FoundEdge = (
    usize,
    Target,
    EdgeKind,
    Confidence,
    Option<Span>,
    Option<Arc<str>>,
);

/// What pass 4 finds in one module: its edges in item order, and the references that
/// resolved to nothing (path as written, span).
#[derive(Default)]
struct ModuleRefs {
    edges: Vec<FoundEdge>,
    unresolved: Vec<(String, Option<Span>)>,
}

impl Builder<'_> {
    /// Pass 4 over every module: resolved in parallel, added in module order.
    pub(super) fn link_all_refs(&mut self) {
        self.generic_type_crates = self.crates_declaring_generic_types();
        self.outside_type_impls = self.trait_impls_for_outside_types();
        self.blanket_traits = self.traits_with_blanket_impls();
        let found: Vec<ModuleRefs> = (0..self.pw.modules.len())
            .into_par_iter()
            .map(|m| self.module_refs(m))
            .collect();
        for (m, refs) in found.into_iter().enumerate() {
            let krate = self.pw.modules[m].krate as u32;
            self.unresolved.extend(
                refs.unresolved
                    .into_iter()
                    .map(|(path, span)| crate::graph::UnresolvedPath { krate, path, span }),
            );
            for (n, t, kind, conf, span, cfg) in refs.edges {
                let first = self.edges.len();
                self.edge(n, t, kind, conf, span);
                if let Some(cfg) = cfg {
                    for e in &mut self.edges[first..] {
                        e.cfg = Some(cfg.clone());
                    }
                }
            }
        }
    }

    /// Pass 4 for module `m`: every reference of every item in it → an edge.
    fn module_refs(&self, m: usize) -> ModuleRefs {
        let mut found = ModuleRefs::default();
        let Some(facts) = self.pw.module_facts(&self.pw.modules[m]) else {
            return found;
        };
        for (idx, item) in facts.items.iter().enumerate() {
            let Some(&n) = self.item_node.get(&(m, idx)) else {
                continue;
            };
            let self_target = match item.kind {
                NodeKind::Impl => self.impl_self.get(&n).cloned(),
                NodeKind::Trait => Some(Target::Node(n)),
                NodeKind::Struct | NodeKind::Enum | NodeKind::Union => Some(Target::Node(n)),
                _ => None,
            };
            let scope = (item.generics.as_slice(), item.bounds.as_slice());
            // A function whose body declares items reads its names from its block scope.
            let own_scope = self.block_of(m, idx, None);
            self.link_item_refs(
                own_scope,
                n,
                &item.refs,
                self_target.clone(),
                scope,
                &mut found,
            );
            let kids = self.assoc.get(&n).map(Vec::as_slice).unwrap_or_default();
            for (j, (child, facts)) in kids.iter().zip(&item.children).enumerate() {
                let own_scope = self.block_of(m, idx, Some(j));
                let mut generics = item.generics.clone();
                generics.extend(facts.generics.iter().cloned());
                let mut bounds = item.bounds.clone();
                bounds.extend(facts.bounds.iter().cloned());
                let scope = (generics.as_slice(), bounds.as_slice());
                self.link_item_refs(
                    own_scope,
                    *child,
                    &facts.refs,
                    self_target.clone(),
                    scope,
                    &mut found,
                );
            }
        }
        // What item-position calls of macros this tool cannot expand name: the module's
        // (async-channel's `easy_wrapper! { pub struct Recv<'a, T>(RecvInner<'a, T> => …); }`).
        if !facts.macro_refs.is_empty() && self.module_node[m] != usize::MAX {
            let n = self.module_node[m];
            self.link_item_refs(m, n, &facts.macro_refs, None, (&[], &[]), &mut found);
        }
        found
    }

    /// The scope a function's (or method's) references are read in: its block scope when
    /// its body declares items, else module `m`.
    fn block_of(&self, m: usize, item: usize, assoc: Option<usize>) -> usize {
        let step = crate::parse::Step { item, assoc };
        self.pw.modules[m]
            .children
            .iter()
            .find(|&&(s, child)| {
                s == step && self.pw.modules[child].block && self.module_node[child] != usize::MAX
            })
            .map_or(m, |&(_, child)| child)
    }

    fn link_item_refs(
        &self,
        m: usize,
        n: usize,
        refs: &[crate::parse::facts::RefFacts],
        self_target: Option<Target>,
        (generics, bounds): (&[String], &[crate::parse::facts::BoundFacts]),
        found: &mut ModuleRefs,
    ) {
        let impl_node = if self.nodes[n].kind == NodeKind::Impl {
            Some(n)
        } else {
            self.item_facts
                .get(&n)
                .and_then(|f| f.parent)
                .filter(|&p| self.nodes[p].kind == NodeKind::Impl)
        };
        let ctx = Ctx {
            bounds,
            impl_node,
            ..self.ctx(m, self_target, generics)
        };
        // The type of `self`, resolved once for all the item's method calls.
        let self_ty = refs
            .iter()
            .any(|r| r.kind == RefKind::MethodCall)
            .then(|| self.self_value_type(&ctx, n))
            .flatten();
        // `self` taken by value (`fn pow(self, …)`), not by reference.
        let self_by_value = self
            .item_facts
            .get(&n)
            .is_some_and(|f| f.item.self_param == Some(crate::parse::facts::SelfParam::Value));
        let mut out: Vec<(Target, EdgeKind, Confidence, Option<Span>)> = Vec::new();
        // What each method call returns, for the receiver chains of later references.
        let mut returned: Vec<Option<crate::graph::method::Ty>> = Vec::with_capacity(refs.len());
        // The cfg of the reference each edge of `out` comes from, filled up to `out.len()`
        // before the next reference (an iteration may end early).
        let mut cfgs: Vec<Option<Arc<str>>> = Vec::with_capacity(refs.len());
        let mut cfg: Option<Arc<str>> = None;
        for r in refs {
            cfgs.resize(out.len(), cfg.take());
            cfg = r.cfg.as_deref().map(Arc::from);
            if r.kind != RefKind::MethodCall {
                returned.push(None);
            }
            // A bare `Self` names no other item: the enclosing impl or trait already depends
            // on its type. As a constructor (`Self(…)`, a unit `Self`) it needs the type
            // itself, and rustc rejects it once the type is gone, whatever else of the impl
            // it checks (winnow's `fn from_input(_: &I) -> Self { Self }`).
            if r.path.segments == ["Self"] {
                if r.kind == RefKind::Call
                    && let Some(Target::Node(t)) = ctx.self_target
                    && self.nodes[t].kind == NodeKind::Struct
                {
                    let span = self.span(m, r.path.span);
                    let conf = if r.guessed {
                        Confidence::Medium
                    } else {
                        Confidence::High
                    };
                    out.push((Target::Node(t), EdgeKind::Uses, conf, span));
                }
                continue;
            }
            let span = self.span(m, r.path.span);
            let first_edge = out.len();
            // `Config::new()` and `Kind::Equal` also name the type before the last segment.
            if r.kind != RefKind::MethodCall
                && let Some((t, conf)) = self.type_prefix(&ctx, &r.path.segments)
            {
                out.push((Target::Node(t), EdgeKind::Uses, conf, span.clone()));
            }
            match r.kind {
                RefKind::Call => {
                    if let Some((t, conf)) =
                        self.resolve_path(&ctx, &r.path.segments, &[Ns::Value, Ns::Type])
                    {
                        let kind = match &t {
                            Target::Node(x)
                                if matches!(
                                    self.nodes[*x].kind,
                                    NodeKind::Fn | NodeKind::Method
                                ) =>
                            {
                                EdgeKind::Calls
                            }
                            Target::External(_) => EdgeKind::Calls,
                            _ => EdgeKind::Uses,
                        };
                        for alt in
                            self.alias_alternatives(&ctx, &r.path.segments, &[Ns::Value, Ns::Type])
                        {
                            if Target::Node(alt) != t {
                                out.push((Target::Node(alt), kind, conf, span.clone()));
                            }
                        }
                        out.push((t, kind, conf, span));
                    } else {
                        self.note_unresolved(&ctx, r, span, found);
                    }
                }
                RefKind::Use => {
                    match self.resolve_path(&ctx, &r.path.segments, &[Ns::Type, Ns::Value]) {
                        // `Self::Variant` names the enclosing impl's type, as bare `Self`.
                        Some((t, _))
                            if r.path.segments[0] == "Self"
                                && Some(&t) == ctx.self_target.as_ref() => {}
                        Some((t, conf)) => {
                            for alt in self.alias_alternatives(
                                &ctx,
                                &r.path.segments,
                                &[Ns::Type, Ns::Value],
                            ) {
                                if Target::Node(alt) != t {
                                    out.push((
                                        Target::Node(alt),
                                        EdgeKind::Uses,
                                        conf,
                                        span.clone(),
                                    ));
                                }
                            }
                            out.push((t, EdgeKind::Uses, conf, span));
                        }
                        None => self.note_unresolved(&ctx, r, span, found),
                    }
                }
                RefKind::MethodCall => {
                    let name = &r.path.segments[0];
                    let (targets, returns) = self.resolve_method(
                        &ctx,
                        self_ty.as_ref(),
                        self_by_value,
                        name,
                        r.receiver.as_ref(),
                        &returned,
                    );
                    returned.push(returns);
                    for (t, conf) in targets {
                        out.push((Target::Node(t), EdgeKind::Calls, conf, span.clone()));
                    }
                }
            }
            // An item of a trait impl named by a path is reached through its trait:
            // `Self::Value` in `impl Visitor for V`, `V::visit(…)` break when the trait is
            // renamed. (rustc reports nothing at a method call `v.visit()` once the impl is
            // gone, and a call through a bound or `dyn` reaches the trait's own item.)
            let through: Vec<_> = out[first_edge..]
                .iter()
                .filter(|_| r.kind != RefKind::MethodCall)
                .filter_map(|(t, _, conf, span)| match t {
                    Target::Node(t) => self
                        .trait_of_impl_item(*t, n, r.signature)
                        .filter(|&tr| tr != n)
                        .map(|tr| (Target::Node(tr), EdgeKind::Uses, *conf, span.clone())),
                    Target::External(_) => None,
                })
                .collect();
            out.extend(through);
            // `T::Finished` with `T: Target` names the trait too (`<T as Target>::Finished`):
            // rustc rejects it once the bound's trait is gone. Not in the items of an impl of
            // that trait (num-traits' `impl<T: Num> Num for Wrapping<T> { type
            // FromStrRadixErr = T::FromStrRadixErr; }`), which rustc leaves unchecked once
            // the impl's header fails (an impl of another trait is checked: tokio-stream's
            // `U::InternalCollection` under `U: FromStream<T>` in `impl FromStreamPriv`'s
            // `fn initialize`, not in its associated types, which rustc does not report), nor
            // at a call (nom's `E::from_error_kind(…)`): those reach the trait's item only.
            if r.kind == RefKind::Use
                && let [param, item] = r.path.segments.as_slice()
                && ctx.generics.contains(param)
                && let Some((_, tr)) = self.bound_trait_item(&ctx, param, item)
                && tr != n
                && !match self.trait_of_impl_of(n) {
                    Some(t) => *t == Target::Node(tr) || self.nodes[n].kind == NodeKind::AssocType,
                    None => false,
                }
            {
                let span = self.span(m, r.path.span);
                out.push((Target::Node(tr), EdgeKind::Uses, Confidence::High, span));
            }
            // Read from a macro call's tokens that may not be code: Medium at most.
            if r.guessed {
                for edge in &mut out[first_edge..] {
                    edge.2 = edge.2.min(Confidence::Medium);
                }
            }
        }
        cfgs.resize(out.len(), cfg);
        found.edges.extend(
            out.into_iter()
                .zip(cfgs)
                .map(|((t, kind, conf, span), cfg)| (n, t, kind, conf, span, cfg)),
        );
    }

    /// The trait of the impl whose associated item `item` is; `None` for any other item.
    fn trait_of_impl_of(&self, item: usize) -> Option<&Target> {
        self.item_facts
            .get(&item)
            .and_then(|f| f.parent)
            .and_then(|p| self.impl_trait.get(&p))
    }

    /// The workspace trait whose impl defines associated item `item`, when rustc rejects
    /// a path to `item` written in item `from` once the trait is gone (`in_signature`: the
    /// path is in a signature, [`crate::parse::facts::RefFacts::signature`]). Probed on
    /// rustc, one crate per case: once an impl's trait is gone, rustc checks no function
    /// body of that crate, only signatures.
    ///
    /// - From the impl's own items (`Self::Value` in `impl Visitor for V`): only paths in
    ///   signatures of a generic impl (lifetimes count, elided ones too: `impl<'a>
    ///   AsDisplay<'a> for Path`, `impl StreamIsPartial for &str`, `impl<S> Layer<S> for
    ///   Identity`) are E0223 ("ambiguous associated type"), and only when the impl's crate
    ///   declares a struct, enum or union with generic parameters (lifetimes count): a quirk
    ///   of rustc's error recovery, but a stable one (futures-core, which declares none,
    ///   has nothing reported in `impl<S: Stream> Stream for &mut S`). A non-generic impl's
    ///   are never reported (rand's `impl SeedableRng for SmallRng { fn from_seed(seed:
    ///   Self::Seed) }`). axum's `impl<S> FromRequestParts<S> for HeaderMap` writes
    ///   `Self::Rejection` only in `async fn`s and `impl Future<Output = …>`, which are not
    ///   signatures here: nothing reported.
    /// - From other items (`V::visit(…)`, in other crates too): an impl for a workspace type
    ///   (a type declared in a function body included) or a generic one; not a non-generic
    ///   impl for a type outside the workspace (`impl IntoResponseParts for HeaderMap`;
    ///   primitives, slices and tuples count as outside), nor one with a type parameter
    ///   only the trait names.
    fn trait_of_impl_item(&self, item: usize, from: usize, in_signature: bool) -> Option<usize> {
        let parent = self.item_facts.get(&item)?.parent?;
        let header = self.item_facts.get(&parent)?.item.impl_of.as_ref()?;
        let user = self.item_facts.get(&from)?;
        if user.parent == Some(parent) {
            let reported = in_signature
                && header.generic
                && self
                    .generic_type_crates
                    .contains(&self.pw.modules[user.module].krate);
            return reported.then(|| self.impl_trait_node(parent)).flatten();
        }
        if header.params_outside_self {
            return None;
        }
        if !header.generic {
            if matches!(self.impl_self.get(&parent), Some(Target::External(_))) {
                return None;
            }
            let primitive = header.self_path.as_ref().is_none_or(|p| {
                p.segments.len() == 1 && crate::graph::externals::is_primitive(&p.segments[0])
            });
            if primitive {
                return None;
            }
        }
        self.impl_trait_node(parent)
    }

    /// The crates (indexes into the inputs) that declare a struct, enum or union with
    /// generic parameters, lifetimes included: see [`Self::trait_of_impl_item`].
    fn crates_declaring_generic_types(&self) -> FxHashSet<usize> {
        self.item_facts
            .values()
            .filter(|f| {
                matches!(
                    f.item.kind,
                    NodeKind::Struct | NodeKind::Enum | NodeKind::Union
                ) && (!f.item.generics.is_empty()
                    || f.item.signature.contains(&format!("{}<", f.item.name)))
            })
            .map(|f| self.pw.modules[f.module].krate)
            .collect()
    }

    /// The workspace type a path of two or more segments names before its last one
    /// (`Config` in `Config::new`); `Self::…` is the enclosing impl's own type and counts
    /// as nothing.
    fn type_prefix(&self, ctx: &Ctx, segments: &[String]) -> Option<(usize, Confidence)> {
        let (_, prefix) = segments.split_last()?;
        if prefix.is_empty() || prefix[0] == "Self" {
            return None;
        }
        match self.resolve_path(ctx, prefix, &[Ns::Type])? {
            (Target::Node(t), conf) if self.nodes[t].kind.is_type() => Some((t, conf)),
            _ => None,
        }
    }

    /// Records a reference that resolved to nothing, unless it starts at a generic parameter,
    /// `Self` or `self`, or names a primitive type (nothing to resolve there), or was read
    /// from the tokens of a macro call that may not be code (a guess, not known to be a path),
    /// or is a capitalised name in a pattern, which is then a binding.
    fn note_unresolved(
        &self,
        ctx: &Ctx,
        r: &crate::parse::facts::RefFacts,
        span: Option<Span>,
        found: &mut ModuleRefs,
    ) {
        let segments = &r.path.segments;
        if r.guessed || r.maybe_binding {
            return;
        }
        const PRIMITIVES: &[&str] = &[
            "bool", "char", "str", "u8", "u16", "u32", "u64", "u128", "usize", "i8", "i16", "i32",
            "i64", "i128", "isize", "f32", "f64", "self", "Self",
        ];
        let first = segments.first().map(String::as_str).unwrap_or_default();
        if !PRIMITIVES.contains(&first) && !ctx.generics.iter().any(|g| g == first) {
            found.unresolved.push((segments.join("::"), span));
        }
    }
}
