//! Associated items: of a type or trait node (inherent impls, trait impls, kept defaults,
//! supertraits), of a type outside the workspace through the workspace's trait impls for it,
//! of the trait bounding a generic parameter; what a type alias stands for.

use super::{Ctx, Ns, Target, alias_level};
use crate::graph::NodeKind;
use crate::graph::build::Builder;
use rustc_hash::{FxHashMap, FxHashSet};

impl Builder<'_> {
    /// The associated item `name` of type or trait node `n`: inherent impls first, then trait
    /// impls, then the items the workspace traits it implements keep as defaults, then (for
    /// traits) the trait's own items and its supertraits'.
    pub(in crate::graph) fn associated(&self, n: usize, name: &str) -> Option<usize> {
        if let Some(impls) = self.impls_of.get(&n) {
            let mut ordered: Vec<usize> = impls.clone();
            ordered.sort_by_key(|i| self.impl_trait.contains_key(i));
            for &imp in &ordered {
                if let Some(c) = self.assoc_named(imp, name) {
                    return Some(c);
                }
            }
            // `Triangle.describe()` where `impl Shape for Triangle` keeps the default.
            let kept = ordered.iter().find_map(|&imp| {
                self.impl_trait_node(imp)
                    .and_then(|t| self.trait_item(t, name))
            });
            if kept.is_some() {
                return kept;
            }
        }
        if self.nodes[n].kind == NodeKind::Trait {
            return self.trait_item(n, name);
        }
        None
    }

    /// The item `name` that the workspace's trait impls for the outside type at `path`
    /// (matched by its last segment) define or keep as their trait's default, when exactly
    /// one does; `None` before pass 4 (the impls are indexed then).
    pub(in crate::graph) fn item_of_outside_type(&self, path: &str, name: &str) -> Option<usize> {
        let last = path.rsplit("::").next()?;
        let impls = self.outside_type_impls.get(last)?;
        let mut found: Vec<usize> = impls
            .iter()
            .filter_map(|&imp| self.impl_item(imp, name))
            .collect();
        found.sort_unstable();
        found.dedup();
        match found[..] {
            [item] => Some(item),
            _ => None,
        }
    }

    /// The item `name` impl `imp` defines, or else the default of its workspace trait (or a
    /// supertrait) that it keeps.
    pub(in crate::graph) fn impl_item(&self, imp: usize, name: &str) -> Option<usize> {
        self.assoc_named(imp, name).or_else(|| {
            self.impl_trait_node(imp)
                .and_then(|t| self.trait_item(t, name))
        })
    }

    /// The workspace trait impl node `imp` implements; `None` for an inherent impl or a
    /// trait outside the workspace.
    pub(in crate::graph) fn impl_trait_node(&self, imp: usize) -> Option<usize> {
        match self.impl_trait.get(&imp)? {
            Target::Node(t) => Some(*t),
            Target::External(_) => None,
        }
    }

    /// The item `name` of the one workspace trait (supertraits included) bounding generic
    /// parameter `param` in `ctx` that has such an item, with that trait; `None` when none
    /// or several do.
    pub(in crate::graph) fn bound_trait_item(
        &self,
        ctx: &Ctx,
        param: &str,
        name: &str,
    ) -> Option<(usize, usize)> {
        let mut found: Vec<(usize, usize)> = ctx
            .bounds
            .iter()
            .filter(|b| b.param == param)
            .flat_map(|b| &b.traits)
            .filter_map(|path| match self.resolve_path(ctx, path, &[Ns::Type])? {
                (Target::Node(t), _) if self.nodes[t].kind == NodeKind::Trait => {
                    Some((self.trait_item(t, name)?, t))
                }
                _ => None,
            })
            .collect();
        found.sort_unstable();
        found.dedup_by_key(|(item, _)| *item);
        match found[..] {
            [one] => Some(one),
            _ => None,
        }
    }

    /// The item `name` of trait `t` or of one of its supertraits.
    pub(super) fn trait_item(&self, t: usize, name: &str) -> Option<usize> {
        let mut stack = vec![t];
        let mut seen = vec![];
        while let Some(t) = stack.pop() {
            if seen.contains(&t) {
                continue;
            }
            seen.push(t);
            if let Some(c) = self.assoc_named(t, name) {
                return Some(c);
            }
            stack.extend(self.supertraits.get(&t).into_iter().flatten());
        }
        None
    }

    /// The workspace type a type alias stands for (`type DuplicatesBy<I, V, F> =
    /// private::DuplicatesBy<I, V, ByFn<F>>` → the struct), through aliases of aliases;
    /// `None` for a node that is no alias, an alias of something outside the workspace, or
    /// aliases nested past 8 (a cycle included).
    pub(in crate::graph) fn alias_target(&self, alias: usize) -> Option<usize> {
        thread_local! {
            static DEPTH: std::cell::Cell<u8> = const { std::cell::Cell::new(0) };
        }
        if self.nodes[alias].kind != NodeKind::TypeAlias {
            return None;
        }
        // The resolution below may come back here (`type A = A::X`).
        alias_level(&DEPTH, || {
            let facts = self.item_facts.get(&alias)?;
            let written = facts.item.returns.as_ref()?;
            let ctx = self.ctx(facts.module, None, &facts.item.generics);
            match self.resolve_path(&ctx, &written.path, &[Ns::Type])? {
                (Target::Node(t), _) if self.nodes[t].kind == NodeKind::TypeAlias => {
                    self.alias_target(t)
                }
                (Target::Node(t), _) if self.nodes[t].kind.is_type() => Some(t),
                _ => None,
            }
        })
    }

    /// The associated item `name` of node `parent` (an impl, trait or type) itself.
    pub(in crate::graph) fn assoc_named(&self, parent: usize, name: &str) -> Option<usize> {
        self.assoc
            .get(&parent)?
            .iter()
            .copied()
            .find(|&c| self.nodes[c].name == name)
    }

    /// The workspace's trait impls for types outside the workspace (a path type or a
    /// primitive, never a generic parameter), by the self type's last path segment: what
    /// [`Self::item_of_outside_type`] looks in.
    pub(in crate::graph) fn trait_impls_for_outside_types(&self) -> FxHashMap<String, Vec<usize>> {
        let mut by_name: FxHashMap<String, Vec<usize>> = FxHashMap::default();
        for (&imp, trait_target) in &self.impl_trait {
            if !matches!(trait_target, Target::Node(_))
                || matches!(self.impl_self.get(&imp), Some(Target::Node(_)))
            {
                continue;
            }
            let Some(facts) = self.item_facts.get(&imp) else {
                continue;
            };
            let Some(header) = facts.item.impl_of.as_ref() else {
                continue;
            };
            let key = match header.self_path.as_ref().and_then(|p| p.segments.last()) {
                Some(last) if facts.item.generics.contains(last) => continue,
                Some(last) => last.clone(),
                // bytes' `impl Buf for &[u8]`: under the name a slice's or array's type has
                // in method lookup.
                None if slice_element(&header.self_type).is_some() => {
                    crate::parse::item_parts::SLICE.to_string()
                }
                None => continue,
            };
            by_name.entry(key).or_default().push(imp);
        }
        for impls in by_name.values_mut() {
            impls.sort_unstable();
        }
        by_name
    }

    /// Workspace traits with a blanket impl (`impl<T: Base> BaseExt for T`): the only
    /// workspace traits whose methods a generic parameter may have beyond its bounds'. An
    /// impl for `&T` or `&mut T`, or one whose parameter the trait itself bounds
    /// (`impl<A: MapAccess> MapAccess for &mut A`), forwards and is no blanket impl.
    pub(in crate::graph) fn traits_with_blanket_impls(&self) -> FxHashSet<usize> {
        self.impl_trait
            .iter()
            .filter_map(|(imp, target)| {
                let Target::Node(t) = *target else {
                    return None;
                };
                let item = self.item_facts.get(imp)?.item;
                let param = &item.impl_of.as_ref()?.self_type;
                let forwards = item
                    .bounds
                    .iter()
                    .filter(|b| &b.param == param)
                    .flat_map(|b| &b.traits)
                    .any(|path| path.last() == Some(&self.nodes[t].name));
                (item.generics.contains(param) && !forwards).then_some(t)
            })
            .collect()
    }
}

/// The element type written inside a slice or array self type as pretty-printed, behind any
/// references (`&'a [u8]` → `u8`, `[T; N]` → `T`, `&mut [(u8, u8)]` → `(u8, u8)`); `None`
/// for any other type.
pub(in crate::graph) fn slice_element(written: &str) -> Option<&str> {
    let mut rest = written.trim_start();
    while let Some(after) = rest.strip_prefix('&') {
        rest = after.trim_start();
        if let Some(lifetime) = rest.strip_prefix('\'') {
            rest = lifetime
                .trim_start_matches(|c: char| c.is_alphanumeric() || c == '_')
                .trim_start();
        }
        if let Some(after) = rest.strip_prefix("mut ") {
            rest = after.trim_start();
        }
    }
    let inner = rest.trim_end().strip_prefix('[')?.strip_suffix(']')?;
    let element = inner.rsplit_once(';').map_or(inner, |(element, _)| element);
    Some(element.trim())
}
