//! What a written type, a function's return type or an impl's associated type is as a
//! [`Ty`]: generic parameters replaced by their arguments, aliases followed, `Self` the type
//! the item was found on; the element `for` takes from a type, the target a type derefs to
//! and the `Output` of an operator.

use super::std_types::COLLECTIONS;
use super::{Ty, bound_params, impl_params};
use crate::graph::NodeKind;
use crate::graph::build::Builder;
use crate::graph::build::NodeFacts;
use crate::graph::detect_input::DEREF;
use crate::graph::resolve::{Ctx, Ns, Target, alias_level};
use crate::parse::facts::{BoundFacts, TypeFacts};

/// The outside traits whose `Item` is what `for` takes from a workspace type.
const INTO_ITERATOR: &str = "core::iter::IntoIterator";
const ITERATOR: &str = "core::iter::Iterator";

impl Builder<'_> {
    /// Where function or method `facts` is declared: the generic parameters in scope (its
    /// own, then its impl's or trait's), their bounds, and what `Self` is there.
    pub(super) fn declared_scope(
        &self,
        facts: &NodeFacts,
    ) -> (Vec<String>, Vec<BoundFacts>, Option<Target>) {
        let mut generics = facts.item.generics.clone();
        let mut bounds = facts.item.bounds.clone();
        let mut self_target = None;
        if let Some(p) = facts.parent {
            if let Some(pf) = self.item_facts.get(&p) {
                generics.extend(pf.item.generics.iter().cloned());
                bounds.extend(pf.item.bounds.iter().cloned());
            }
            self_target = match self.nodes[p].kind {
                NodeKind::Trait => Some(Target::Node(p)),
                _ => self.impl_self.get(&p).cloned(),
            };
        }
        (generics, bounds, self_target)
    }

    /// The written return type of function or method `item`, `Self` being `on`.
    pub(super) fn return_type(&self, item: usize, on: &Ty) -> Option<Ty> {
        self.return_type_with(item, on, &[])
    }

    /// [`Self::return_type`], the function's own type parameters in `bound` being the types
    /// given there.
    pub(super) fn return_type_with(
        &self,
        item: usize,
        on: &Ty,
        bound: &[(&str, Ty)],
    ) -> Option<Ty> {
        let facts = self.item_facts.get(&item)?;
        let written = facts.item.returns.as_ref()?;
        let (generics, bounds, self_target) = self.declared_scope(facts);
        let ctx = Ctx {
            bounds: &bounds,
            ..self.ctx(facts.module, self_target, &generics)
        };
        // `impl<G> Acyclic<G> { fn inner(&self) -> &G }` on an `Acyclic<DiGraph<N>>`: `G`
        // is that argument.
        let mut params = facts
            .parent
            .filter(|&p| self.nodes[p].kind == NodeKind::Impl)
            .and_then(|p| self.item_facts.get(&p))
            .map(|pf| impl_params(pf.item, on))
            .unwrap_or_default();
        params.extend(bound.iter().map(|(name, ty)| (*name, ty)));
        // `Self` is the type the method was found on, a value unless the impl is for a
        // reference, however the receiver was held (`self.clone()` on a `&BigUint` gives
        // a `BigUint` value).
        let self_is_value = facts
            .parent
            .and_then(|p| self.item_facts.get(&p))
            .and_then(|pf| pf.item.impl_of.as_ref())
            .is_some_and(|h| !h.self_type.starts_with('&'));
        let on = Ty {
            owned: self_is_value,
            ..on.clone()
        };
        let on = on.is_known().then_some(&on);
        self.type_of(&ctx, written, on, &params)
    }

    /// A written type resolved from `ctx`: `Self` is `self_ty` (or the context's), a generic
    /// parameter is its argument in `params` or unknown.
    pub(super) fn type_of(
        &self,
        ctx: &Ctx,
        tf: &TypeFacts,
        self_ty: Option<&Ty>,
        params: &[(&str, &Ty)],
    ) -> Option<Ty> {
        let mut ty = self.written_type(ctx, tf, self_ty, params)?;
        // A value unless written `&T`, or when `Self`, a parameter or an alias stands for a
        // reference (or what it stands for is not known).
        ty.owned &= !tf.reference;
        Some(ty)
    }

    /// [`Self::type_of`] before the written `&` clears its `owned` mark.
    pub(super) fn written_type(
        &self,
        ctx: &Ctx,
        tf: &TypeFacts,
        self_ty: Option<&Ty>,
        params: &[(&str, &Ty)],
    ) -> Option<Ty> {
        let first = tf.path.first()?;
        if tf.path.len() == 1 {
            if first == "Self" {
                return match (self_ty, &ctx.self_target) {
                    (Some(t), _) => Some(t.clone()),
                    (None, Some(Target::Node(t))) => Some(self.node_ty(*t)),
                    _ => None,
                };
            }
            if let Some((_, t)) = params.iter().find(|(p, _)| p == first) {
                return t.is_known().then(|| (*t).clone());
            }
            if ctx.generics.contains(first) {
                return self.bounded_param(ctx, first);
            }
        }
        let args = || {
            tf.args
                .iter()
                .map(|a| {
                    self.type_of(ctx, a, self_ty, params)
                        .unwrap_or_else(Ty::unknown)
                })
                .collect::<Vec<_>>()
        };
        let node = match self.resolve_path(ctx, &tf.path, &[Ns::Type]) {
            Some((Target::Node(t), _)) if self.nodes[t].kind == NodeKind::TypeAlias => {
                if let Some(aliased) = self.alias_ty(t, &args()) {
                    return Some(aliased);
                }
                Some(self.alias_target(t).unwrap_or(t))
            }
            Some((Target::Node(t), _)) if self.nodes[t].kind.is_type() => Some(t),
            Some((Target::Node(_), _)) => return None,
            _ if tf.path.len() == 1 && ctx.generics.contains(first) => return None,
            _ => None,
        };
        Some(Ty {
            node,
            bounds: Vec::new(),
            name: tf.path.last()?.clone(),
            args: args(),
            param: false,
            owned: true,
        })
    }

    /// Type alias `alias` given `args` as the type it stands for, its parameters replaced
    /// by them (`type Shared<T> = Arc<Inner<T>>` → `Arc<Inner<T>>`, `type Index = AtomicU64`
    /// → core's `AtomicU64`, whose methods are no workspace method's); `None` when the
    /// aliased type is no path or aliases nest past 8 (a cycle included).
    pub(super) fn alias_ty(&self, alias: usize, args: &[Ty]) -> Option<Ty> {
        thread_local! {
            static DEPTH: std::cell::Cell<u8> = const { std::cell::Cell::new(0) };
        }
        let facts = self.item_facts.get(&alias)?;
        let written = facts.item.returns.as_ref()?;
        // The aliased type may name this alias again (`type A = A<u8>`).
        alias_level(&DEPTH, || {
            let ctx = self.ctx(facts.module, None, &facts.item.generics);
            self.type_of(
                &ctx,
                written,
                None,
                &bound_params(&facts.item.generics, args),
            )
        })
    }

    /// What a workspace type auto-derefs to through its own `impl Deref for T { type Target
    /// = U; }` (crossbeam's `CachePadded<T>` → `T`), `U`'s parameters being `ty`'s arguments;
    /// `None` without such an impl or when `U` is not known.
    pub(super) fn deref_target_ty(&self, ty: &Ty) -> Option<Ty> {
        self.impl_assoc_ty(ty, DEREF, "Target")
    }

    /// What an operator (`+`, `-`, …: `trait_path` is `core::ops::Add`, …) applied to a value
    /// of workspace type `ty` gives: the `Output` of `ty`'s impls of the trait (glam's `(rhs -
    /// self).length()` on `Vec4`), when they all agree; `None` otherwise.
    pub(super) fn operator_output_ty(&self, ty: &Ty, trait_path: &str) -> Option<Ty> {
        let n = ty.node?;
        let mut outputs = self
            .impls_of
            .get(&n)?
            .iter()
            .filter_map(|&imp| self.assoc_ty_of_impl(imp, ty, trait_path, "Output"));
        let first = outputs.next()?;
        outputs.all(|o| o.node == first.node).then_some(first)
    }

    /// The type of one element `for` takes from `ty` (the collection with `.iter()`,
    /// `.into_iter()` or a borrow taken off, [`ReceiverStep::Element`]): the first argument
    /// of a slice, array, `Vec`, set, deque or `Option` (a reference); for a workspace type,
    /// the `Item` of its `IntoIterator` impl (for the type or a reference to it) or its
    /// `Iterator` impl, else the `Item` of the `Iterator` impl of what its own `iter()`
    /// returns (aho-corasick's `for p in self.patterns.iter()`, `Patterns::iter` returning
    /// a `PatternIter<'_>` whose `Item` is `Pattern<'p>`). `None` when none applies.
    pub(super) fn element_type(&self, ty: &Ty) -> Option<Ty> {
        if COLLECTIONS.contains(&ty.name.as_str()) {
            return ty.first_arg().map(|e| Ty { owned: false, ..e });
        }
        let n = ty.node?;
        self.impl_assoc_ty(ty, INTO_ITERATOR, "Item")
            .or_else(|| self.impl_assoc_ty(ty, ITERATOR, "Item"))
            .or_else(|| {
                let iter = self.associated(n, "iter").filter(|&m| self.takes_self(m))?;
                let returned = self.return_type(iter, ty)?;
                self.impl_assoc_ty(&returned, ITERATOR, "Item")
            })
    }

    /// Associated type `name` of the first impl of the outside trait `trait_path` for
    /// workspace type `ty`, as [`Self::assoc_ty_of_impl`] gives it.
    pub(super) fn impl_assoc_ty(&self, ty: &Ty, trait_path: &str, name: &str) -> Option<Ty> {
        let n = ty.node?;
        self.impls_of
            .get(&n)?
            .iter()
            .find_map(|&imp| self.assoc_ty_of_impl(imp, ty, trait_path, name))
    }

    /// Associated type `name` of impl `imp` when it implements the outside trait
    /// `trait_path` for `ty`, the impl's parameters being `ty`'s arguments.
    pub(super) fn assoc_ty_of_impl(
        &self,
        imp: usize,
        ty: &Ty,
        trait_path: &str,
        name: &str,
    ) -> Option<Ty> {
        let n = ty.node?;
        if !matches!(self.impl_trait.get(&imp), Some(Target::External(p)) if p == trait_path) {
            return None;
        }
        let facts = self.item_facts.get(&imp)?;
        let written = facts
            .item
            .children
            .iter()
            .find(|c| c.kind == NodeKind::AssocType && c.name == name)?
            .returns
            .as_ref()?;
        // `impl<T> Deref for CachePadded<T>`: `T` is the receiver's first argument.
        facts.item.impl_of.as_ref()?;
        let params = impl_params(facts.item, ty);
        let ctx = Ctx {
            bounds: &facts.item.bounds,
            ..self.ctx(facts.module, Some(Target::Node(n)), &facts.item.generics)
        };
        self.type_of(&ctx, written, Some(ty), &params)
    }
}
