//! Glob imports: `use path::*;` bound in a scope (a workspace module's visible names and its
//! own globs of outside modules, an enum's variants), and what a name reads through the
//! globs of outside modules a scope holds.

use super::{Binding, Ns, Target, off_by_default};
use crate::graph::build::Builder;
use crate::graph::externals;
use crate::graph::{Confidence, NodeKind};
use crate::parse::facts::UseFacts;

impl Builder<'_> {
    /// `use path::*;` written in module instance `m` (its `i`-th use), bound in `m`'s scope.
    pub(super) fn resolve_glob(&mut self, m: usize, i: usize, u: &UseFacts) -> bool {
        let written = (m, i);
        let m = self.scope_of(m);
        let Some((target, conf)) = self.resolve_container(m, &u.path) else {
            return false;
        };
        self.use_targets.insert(written, vec![target.clone()]);
        match target {
            Target::External(p) => {
                if self.scopes[m].external_globs.contains(&p) {
                    return false;
                }
                if u.cfg.is_some() {
                    self.scopes[m].conditional_globs.push(p.clone());
                }
                self.scopes[m].external_globs.push(p);
                true
            }
            Target::Node(n) => {
                let Some(&src) = self.module_of_node.get(&n) else {
                    return self.glob_variants(m, n, u, conf);
                };
                let mut changed = false;
                for ns in [Ns::Type, Ns::Value, Ns::Macro] {
                    let entries: Vec<(String, Binding)> = self.scopes[src].names[ns as usize]
                        .iter()
                        .filter(|(_, b)| self.visible(b, m))
                        .map(|(k, b)| (k.clone(), b.clone()))
                        .collect();
                    for (name, b) in entries {
                        let nb = Binding {
                            target: b.target,
                            origin: m,
                            visibility: u.visibility.clone(),
                            glob: true,
                            item: false,
                            confidence: b.confidence.min(conf).min(Confidence::Medium),
                            conditional: u.cfg.is_some() || b.conditional,
                            off_by_default: off_by_default(u.cfg.as_deref()) || b.off_by_default,
                            alternatives: b.alternatives,
                        };
                        changed |= self.bind(m, ns, &name, nb);
                    }
                }
                let ext = self.scopes[src].external_globs.clone();
                for p in ext {
                    if !self.scopes[m].external_globs.contains(&p) {
                        if u.cfg.is_some() || self.scopes[src].conditional_globs.contains(&p) {
                            self.scopes[m].conditional_globs.push(p.clone());
                        }
                        self.scopes[m].external_globs.push(p);
                        changed = true;
                    }
                }
                changed
            }
        }
    }

    /// `use Enum::*;` in scope `m`: each variant's name bound to the enum (variants are not
    /// nodes; a path naming one depends on its enum, as `Enum::Variant` does), at Medium at
    /// most like every glob binding. Nothing for a node other than an enum.
    fn glob_variants(&mut self, m: usize, n: usize, u: &UseFacts, conf: Confidence) -> bool {
        let Some(facts) = self
            .item_facts
            .get(&n)
            .filter(|_| self.nodes[n].kind == NodeKind::Enum)
        else {
            return false;
        };
        let mut changed = false;
        for name in &facts.item.variants {
            for ns in [Ns::Type, Ns::Value] {
                let b = Binding {
                    target: Target::Node(n),
                    origin: m,
                    visibility: u.visibility.clone(),
                    glob: true,
                    item: false,
                    confidence: conf.min(Confidence::Medium),
                    conditional: u.cfg.is_some(),
                    off_by_default: off_by_default(u.cfg.as_deref()),
                    alternatives: Vec::new(),
                };
                changed |= self.bind(m, ns, name, b);
            }
        }
        changed
    }

    /// The outside path `rest` (segments) names through the glob imports of outside modules
    /// in scope `m` (`use std::io::*;`), with its confidence. A glob of a std enum whose
    /// variants are known (`use std::cmp::Ordering::*;`) gives its variants (Medium, as
    /// any name through a glob) and nothing else; so does a glob of a std module whose
    /// items are known (`use std::sync::*;`, [`externals::std_module_items`]). Of the other
    /// globs: the one canonical
    /// path they all give (cfg alternatives `pub use core::*;` / `pub use std::*;` agree);
    /// when they differ, the one not imported under a cfg when it is the only one, or the
    /// first when every one is (one platform's intrinsics each: sha2's `core::arch::x86::*`
    /// and `core::arch::x86_64::*`); all Low, as the outside module may not have the name;
    /// else `None`.
    pub(super) fn through_globs(&self, m: usize, rest: &[String]) -> Option<(String, Confidence)> {
        let first_segment = rest.first()?.as_str();
        let rest = rest.join("::");
        let scope = &self.scopes[m];
        let enum_variants = |g: &String| externals::std_enum_variants(&externals::canonical(g));
        let mut variants_of = scope
            .external_globs
            .iter()
            .filter(|g| enum_variants(g).is_some_and(|variants| variants.contains(&first_segment)));
        if let Some(g) = variants_of.next() {
            let path = externals::canonical(&format!("{g}::{rest}"));
            return variants_of
                .all(|other| externals::canonical(other) == externals::canonical(g))
                .then_some((path, Confidence::Medium));
        }
        let path_through = |g: &String| externals::canonical(&format!("{g}::{rest}"));
        // A std module whose items are known: the name is its item or not there at all.
        let known = |g: &String| externals::std_module_items(&externals::canonical(g));
        if let Some(g) = scope
            .external_globs
            .iter()
            .find(|g| known(g).is_some_and(|items| items.contains(&first_segment)))
        {
            return Some((path_through(g), Confidence::Medium));
        }
        let globs: Vec<&String> = scope
            .external_globs
            .iter()
            .filter(|g| enum_variants(g).is_none() && known(g).is_none())
            .collect();
        let first = path_through(globs.first()?);
        if globs.iter().all(|g| path_through(g) == first) {
            return Some((first, Confidence::Low));
        }
        // Globs that differ: the one every build has when the others are each under a cfg
        // (flate2's `pub use ::miniz_oxide::*;` beside the C backends' globs its `use
        // super::*;` brings under their cfgs), or the first when all are under cfgs.
        let mut unconditional = globs
            .iter()
            .filter(|g| !scope.conditional_globs.contains(g));
        match (unconditional.next(), unconditional.next()) {
            (Some(only), None) => Some((path_through(only), Confidence::Low)),
            (None, _) => Some((first, Confidence::Low)),
            (Some(_), Some(_)) => None,
        }
    }
}
