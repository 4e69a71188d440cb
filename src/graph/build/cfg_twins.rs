//! Cfg variants of one another (`Builder::cfg_twins`): same-named items of one scope under
//! cfgs, the items of `cfg_attr(path)` module variants in different files, and the targets of
//! one name's imports under exclusive cfgs. A `uses` or `calls` edge to one reaches each, so
//! whichever a configuration keeps has it.

use super::Builder;
use crate::graph::resolve::{Binding, Ctx, Ns, Target};
use rustc_hash::FxHashSet;

impl Builder<'_> {
    /// Pairs the items of modules that are cfg variants of one another in different files
    /// (mio's `cfg_attr(path)` selectors: `epoll.rs`, `kqueue.rs`, …), by namespace and name,
    /// as cfg variants too, nested modules included: a path resolves through the first
    /// variant, and its edges reach the others' items of that name. Run after pass 1.
    pub(super) fn pair_items_of_module_twins(&mut self) {
        let mut work: Vec<(usize, usize)> = self
            .cfg_twins
            .iter()
            .flat_map(|(&a, twins)| twins.iter().map(move |&b| (a, b)))
            .filter(|&(a, b)| a < b)
            .collect();
        let mut seen: FxHashSet<(usize, usize)> = work.iter().copied().collect();
        while let Some((a, b)) = work.pop() {
            let (Some(&ma), Some(&mb)) = (self.module_of_node.get(&a), self.module_of_node.get(&b))
            else {
                continue;
            };
            // One file reached as two variants (tokio's `cfg_sync! { pub mod sync; }` beside
            // `cfg_not_sync! { mod sync; }`): copies of one text, left as they are (pairing
            // them would add a sixth to tokio's edges).
            let (a_inst, b_inst) = (&self.pw.modules[ma], &self.pw.modules[mb]);
            if a_inst.file == b_inst.file && a_inst.inline_path == b_inst.inline_path {
                continue;
            }
            let mut pairs = Vec::new();
            for ns in [Ns::Type, Ns::Value, Ns::Macro] {
                for (name, x) in &self.scopes[ma].names[ns as usize] {
                    let Some(y) = self.scopes[mb].names[ns as usize].get(name) else {
                        continue;
                    };
                    if let (true, true, Target::Node(x), Target::Node(y)) =
                        (x.item, y.item, &x.target, &y.target)
                        && x != y
                    {
                        pairs.push((*x, *y));
                    }
                }
            }
            for (x, y) in pairs {
                self.pair_cfg_twins(x, y);
                if seen.insert((x.min(y), x.max(y))) {
                    work.push((x.min(y), x.max(y)));
                }
            }
        }
    }

    /// Pairs the inherent associated items of types that are cfg variants of one another by
    /// name (glam's `Vec4` of the `sse2` and of the `scalar` backend, imported under exclusive
    /// cfgs: a call of `length` on the one a path binds reaches the other's too). Run after
    /// pass 3, which makes the associated items.
    pub(super) fn pair_inherent_items_of_type_twins(&mut self) {
        let inherent_items = |b: &Self, ty: usize| -> Vec<usize> {
            b.impls_of
                .get(&ty)
                .into_iter()
                .flatten()
                .filter(|imp| !b.impl_trait.contains_key(imp))
                .flat_map(|imp| b.assoc.get(imp).into_iter().flatten().copied())
                .collect()
        };
        let mut pairs = Vec::new();
        let types: Vec<(usize, usize)> = self
            .cfg_twins
            .iter()
            .flat_map(|(&a, twins)| twins.iter().map(move |&b| (a, b)))
            .filter(|&(a, b)| a < b && self.nodes[a].kind.is_type() && self.nodes[b].kind.is_type())
            .collect();
        for (a, b) in types {
            let theirs = inherent_items(self, b);
            for x in inherent_items(self, a) {
                let (name, kind) = (&self.nodes[x].name, self.nodes[x].kind);
                pairs.extend(
                    theirs
                        .iter()
                        .filter(|&&y| self.nodes[y].name == *name && self.nodes[y].kind == kind)
                        .map(|&y| (x, y)),
                );
            }
        }
        for (x, y) in pairs {
            self.pair_cfg_twins(x, y);
        }
    }

    /// Binds item `binding` (its target a node) as `name` in `scope`'s namespace `ns`; when
    /// the name is taken, an item under a cfg becomes a cfg variant of the one bound there if
    /// that is an item under a cfg too.
    pub(super) fn bind_item(&mut self, scope: usize, ns: Ns, name: &str, binding: Binding) {
        let (Target::Node(id), conditional) = (binding.target.clone(), binding.conditional) else {
            self.bind(scope, ns, name, binding);
            return;
        };
        if self.bind(scope, ns, name, binding) || !conditional {
            return;
        }
        let Some(old) = self.scopes[scope].names[ns as usize].get(name) else {
            return;
        };
        let Target::Node(first) = old.target else {
            return;
        };
        if !old.item || !old.conditional || first == id {
            return;
        }
        self.pair_cfg_twins(first, id);
    }

    /// Whether workspace node `n` is compiled in every configuration: neither it nor a
    /// module around it has a `#[cfg]` (a module file's `#![cfg]` included). `false` when
    /// its module is not known.
    pub(in crate::graph) fn in_every_configuration(&self, n: usize) -> bool {
        if self.nodes[n].cfg.is_some() {
            return false;
        }
        let mut module = self
            .module_of_node
            .get(&n)
            .copied()
            .or_else(|| self.item_facts.get(&n).map(|f| f.module));
        if module.is_none() {
            return false;
        }
        while let Some(m) = module {
            let node = self.module_node[m];
            if node != usize::MAX && self.nodes[node].cfg.is_some() {
                return false;
            }
            module = self.pw.modules[m].parent;
        }
        true
    }

    /// For a path whose last segment is one of [`Builder::alias_names`]: the workspace items
    /// the binding it resolves through also names under other cfgs, besides the one
    /// [`Self::resolve_path`] gives (`tokio::test` → `tokio_macros::test_rt`,
    /// `tokio_macros::test_fail`). Empty for any other path.
    pub(in crate::graph) fn alias_alternatives(
        &self,
        ctx: &Ctx,
        path: &[String],
        ns: &[Ns],
    ) -> Vec<usize> {
        let Some((last, prefix)) = path.split_last() else {
            return Vec::new();
        };
        if !self.alias_names.contains(last) {
            return Vec::new();
        }
        let binding = if prefix.is_empty() {
            self.lookup(ctx.module, ns, last)
        } else {
            match self.resolve_path(ctx, prefix, &[Ns::Type]) {
                Some((Target::Node(n), _)) => self
                    .module_of_node
                    .get(&n)
                    .and_then(|&m| self.bound_in(m, ns, last)),
                _ => None,
            }
        };
        binding
            .into_iter()
            .flat_map(|b| std::iter::once(&b.target).chain(&b.alternatives))
            .filter_map(|t| match t {
                Target::Node(n) => Some(*n),
                Target::External(_) => None,
            })
            .collect()
    }

    /// Records nodes `x` and `y` as cfg variants of one another ([`Self::cfg_twins`]).
    pub(in crate::graph) fn pair_cfg_twins(&mut self, x: usize, y: usize) {
        if x == y {
            return;
        }
        for (a, b) in [(x, y), (y, x)] {
            let twins = self.cfg_twins.entry(a).or_default();
            if !twins.contains(&b) {
                twins.push(b);
            }
        }
    }
}

#[cfg(test)]
mod tests;
