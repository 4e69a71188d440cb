//! The linker's hand-off to exception detection: per-impl trait and self-type resolution,
//! deref targets, body fingerprints, receivers and lint attributes, gathered from the
//! per-file facts the graph itself does not keep.

use super::build::Builder;
use super::resolve::{Ns, Target};
use super::{NodeId, NodeKind};
use crate::exceptions::detect::{DetectInput, ImplInput, ItemDetail, TraitTarget};
use crate::parse::facts::{ItemFacts, LintAttr};
use std::collections::HashMap;

/// Canonical path of the trait whose `Target` makes deref shadowing possible.
/// The canonical path of `Deref`, as an impl's external trait target.
pub(super) const DEREF: &str = "core::ops::Deref";

impl Builder<'_> {
    /// Collects what [`crate::exceptions::detect::detect`] needs, in module order.
    pub(super) fn detect_input(&self) -> DetectInput {
        let mut input = DetectInput {
            manifest_lints: self.inputs.iter().map(|c| c.lints.clone()).collect(),
            ..DetectInput::default()
        };
        let mut traits_by_name: HashMap<&str, Vec<usize>> = HashMap::new();
        for (i, n) in self.nodes.iter().enumerate() {
            if n.kind == NodeKind::Trait {
                traits_by_name.entry(n.name.as_str()).or_default().push(i);
            }
        }
        for m in 0..self.pw.modules.len() {
            let inst = &self.pw.modules[m];
            if self.module_node[m] == usize::MAX {
                continue; // left undefined: under a method that has no node
            }
            let mut lints: Vec<LintAttr> = Vec::new();
            // A function's block scope has the function's node, whose lints its item gives.
            if !inst.block
                && let Some(p) = inst.parent
                && let Some(item) = self.item_in_parent[m]
                && let Some(facts) = self.pw.module_facts(&self.pw.modules[p])
            {
                lints.extend(
                    item.item_in(facts)
                        .iter()
                        .flat_map(|i| i.lints.iter().cloned()),
                );
            }
            let facts = self.pw.module_facts(inst);
            if inst.inline_path.is_empty()
                && !inst.included
                && let Some(f) = facts
            {
                lints.extend(f.lints.iter().cloned());
            }
            if !lints.is_empty() {
                input
                    .lints
                    .push((self.nodes[self.module_node[m]].id, lints));
            }
            let Some(facts) = facts else {
                continue;
            };
            for (idx, item) in facts.items.iter().enumerate() {
                let Some(&n) = self.item_node.get(&(m, idx)) else {
                    continue;
                };
                if !item.lints.is_empty() {
                    input.lints.push((self.nodes[n].id, item.lints.clone()));
                }
                let kids = self.assoc.get(&n).map_or(&[][..], Vec::as_slice);
                for (&k, f) in kids.iter().zip(&item.children) {
                    let id = self.nodes[k].id;
                    input.items.insert(
                        id,
                        ItemDetail {
                            body: f.body.unwrap_or(0),
                            self_param: f.self_param,
                        },
                    );
                    if !f.lints.is_empty() {
                        input.lints.push((id, f.lints.clone()));
                    }
                }
                if let Some(imp) = &item.impl_of {
                    input.impls.push(ImplInput {
                        node: self.nodes[n].id,
                        self_type: self.self_type(n),
                        self_text: imp.self_type.clone(),
                        trait_target: self.trait_target(
                            n,
                            imp.trait_path
                                .as_ref()
                                .map(|p| p.segments.last().map_or("", String::as_str)),
                            &traits_by_name,
                        ),
                        deref_target: self.deref_target(m, n, item),
                    });
                }
            }
        }
        // Derived impls have no facts item of their own.
        for (n, node) in self.nodes.iter().enumerate() {
            if node.flags.derived {
                input.impls.push(ImplInput {
                    node: node.id,
                    self_type: self.self_type(n),
                    self_text: node.name.rsplit(" for ").next().unwrap_or("").to_string(),
                    trait_target: self.trait_target(n, None, &traits_by_name),
                    deref_target: None,
                });
            }
        }
        input
    }

    fn self_type(&self, impl_node: usize) -> Option<NodeId> {
        match self.impl_self.get(&impl_node) {
            Some(Target::Node(t)) if self.nodes[*t].kind.is_type() => Some(self.nodes[*t].id),
            _ => None,
        }
    }

    fn trait_target(
        &self,
        impl_node: usize,
        trait_name: Option<&str>,
        traits_by_name: &HashMap<&str, Vec<usize>>,
    ) -> TraitTarget {
        let Some(target) = self.impl_trait.get(&impl_node) else {
            return TraitTarget::None;
        };
        let node = match target {
            Target::Node(t) => self.nodes[*t].id,
            Target::External(path) => NodeId::new("extern", path, "external"),
        };
        match self.impl_trait_confidence.get(&impl_node) {
            Some(&confidence) => TraitTarget::Resolved { node, confidence },
            None => TraitTarget::Unresolved {
                candidate: trait_name
                    .and_then(|name| traits_by_name.get(name))
                    .filter(|c| c.len() == 1)
                    .map(|c| self.nodes[c[0]].id),
            },
        }
    }

    /// `U` of `impl Deref for T { type Target = U; }` when `U` is a workspace type.
    fn deref_target(&self, m: usize, impl_node: usize, item: &ItemFacts) -> Option<NodeId> {
        match self.impl_trait.get(&impl_node) {
            Some(Target::External(p)) if p == DEREF => {}
            _ => return None,
        }
        let target = item
            .children
            .iter()
            .find(|c| c.kind == NodeKind::AssocType && c.name == "Target")?;
        let path = target.type_path.as_ref()?;
        let self_target = self.impl_self.get(&impl_node).cloned();
        let ctx = self.ctx(m, self_target, &item.generics);
        match self.resolve_path(&ctx, &path.segments, &[Ns::Type])? {
            (Target::Node(u), _) if self.nodes[u].kind.is_type() => Some(self.nodes[u].id),
            _ => None,
        }
    }
}
