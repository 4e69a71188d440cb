//! Pass 3 of the linker: impl headers (the implemented trait and the self type, resolved;
//! the impl's associated items made and named after the self type), derives as impls, and
//! supertraits.

use super::Builder;
use crate::graph::resolve::{Ns, Target};
use crate::graph::{
    Confidence, EdgeKind, Node, NodeFlags, NodeId, NodeKind, Visibility, externals,
};
use crate::parse::ParsedWorkspace;
use crate::parse::facts::ItemFacts;

impl<'a> Builder<'a> {
    /// Pass 3: impl headers, derives, supertraits.
    pub(super) fn link_headers(&mut self, m: usize) {
        let pw: &'a ParsedWorkspace = self.pw;
        // A scope left undefined (under a method that has no node).
        if self.module_node[m] == usize::MAX {
            return;
        }
        let Some(facts) = pw.module_facts(&pw.modules[m]) else {
            return;
        };
        let krate = self.pw.modules[m].krate;
        let module_path = self.nodes[self.module_node[m]].path.clone();
        for (idx, item) in facts.items.iter().enumerate() {
            let Some(&n) = self.item_node.get(&(m, idx)) else {
                continue;
            };
            if let Some(imp) = &item.impl_of {
                let ctx = self.ctx(m, None, &item.generics);
                let self_target = imp
                    .self_path
                    .as_ref()
                    .and_then(|p| self.resolve_path(&ctx, &p.segments, &[Ns::Type]));
                // A self type that is a generic parameter (`impl<M: Matcher> Matcher for &M`)
                // or not a path (`[u8]`, tuples) names no item: its items are named as
                // rustdoc names them, `<&M as Matcher>::find_at`.
                let generic_self = imp.self_path.as_ref().is_none_or(|p| {
                    p.segments.len() == 1 && item.generics.contains(&p.segments[0])
                });
                let base = match &self_target {
                    _ if generic_self => {
                        let tr = imp.trait_path.as_ref().and_then(|t| t.segments.last());
                        match tr {
                            Some(tr) => format!("{module_path}::<{} as {tr}>", imp.self_type),
                            None => format!("{module_path}::<{}>", imp.self_type),
                        }
                    }
                    Some((Target::Node(t), _)) => self.nodes[*t].path.clone(),
                    _ => {
                        let last = imp
                            .self_path
                            .as_ref()
                            .and_then(|p| p.segments.last().cloned())
                            .unwrap_or_else(|| imp.self_type.clone());
                        format!("{module_path}::{last}")
                    }
                };
                if let Some((t, _)) = &self_target {
                    self.impl_self.insert(n, t.clone());
                    if let Target::Node(t) = t {
                        self.impls_of.entry(*t).or_default().push(n);
                        // An impl on a type alias is one on the type it stands for (miette's
                        // `impl ErasedErrorImpl { fn diagnostic … }`, called as
                        // `ErrorImpl::diagnostic(…)`).
                        if let Some(real) = self.alias_target(*t).filter(|&r| r != *t) {
                            self.impls_of.entry(real).or_default().push(n);
                        }
                    }
                }
                if let Some(tp) = &imp.trait_path {
                    let ctx = self.ctx(
                        m,
                        self_target.as_ref().map(|(t, _)| t.clone()),
                        &item.generics,
                    );
                    let resolved = self.resolve_path(&ctx, &tp.segments, &[Ns::Type]);
                    if let Some((_, conf)) = &resolved {
                        self.impl_trait_confidence.insert(n, *conf);
                    }
                    let (target, conf) = resolved.unwrap_or_else(|| {
                        (Target::External(tp.segments.join("::")), Confidence::Low)
                    });
                    self.impl_trait.insert(n, target.clone());
                    let span = self.span(m, tp.span);
                    self.edge(n, target, EdgeKind::Implements, conf, span);
                }
                self.add_children(m, n, item, &base);
                // Each associated item of a trait impl implements the trait's item.
                if let Some(t) = self.impl_trait_node(n) {
                    for c in self.assoc.get(&n).cloned().unwrap_or_default() {
                        let name = self.nodes[c].name.clone();
                        if let Some(ti) = self.associated(t, &name) {
                            let span = self.nodes[c].span.clone();
                            self.edge(
                                c,
                                Target::Node(ti),
                                EdgeKind::Implements,
                                Confidence::High,
                                span,
                            );
                        }
                    }
                }
            }
            if item.kind == NodeKind::Trait {
                let ctx = self.ctx(m, Some(Target::Node(n)), &item.generics);
                let mut supers = Vec::new();
                let mut edges = Vec::new();
                for sp in &item.supertraits {
                    if let Some((t, conf)) = self.resolve_path(&ctx, &sp.segments, &[Ns::Type]) {
                        if let Target::Node(s) = t {
                            supers.push(s);
                        }
                        edges.push((t, conf, self.span(m, sp.span)));
                    }
                }
                for (t, conf, span) in edges {
                    self.edge(n, t, EdgeKind::Inherits, conf, span);
                }
                self.supertraits.insert(n, supers);
            }
            for d in &item.derives {
                self.derive(m, krate, n, item, d);
            }
        }
    }

    fn derive(
        &mut self,
        m: usize,
        krate: usize,
        ty: usize,
        item: &ItemFacts,
        d: &crate::parse::facts::PathFacts,
    ) {
        let ctx = self.ctx(m, None, &[]);
        let last = d.segments.last().cloned().unwrap_or_default();
        let resolved = self
            .resolve_path(&ctx, &d.segments, &[Ns::Macro, Ns::Type])
            .filter(|(t, _)| match t {
                Target::Node(n) => self.nodes[*n].kind == NodeKind::Trait,
                Target::External(_) => true,
            });
        // The prelude's built-in derive a bare name can mean.
        let builtin = externals::builtin_derive(&last).filter(|_| d.segments.len() == 1);
        // A derive is a macro: a trait of the name in scope (typenum's `marker_traits::Ord`
        // through `use super::*;`) does not hide the prelude's derive of it, as no macro does.
        let resolved = match (resolved, builtin) {
            (Some((Target::Node(_), _)), Some(p))
                if self
                    .resolve_path(&ctx, &d.segments, &[Ns::Macro])
                    .is_none_or(|(t, _)| t == Target::External(p.to_string())) =>
            {
                None
            }
            (resolved, _) => resolved,
        };
        let (target, conf) = match (resolved, builtin) {
            // A built-in derive found through the prelude is exact.
            (Some((Target::External(p), _)), _)
                if externals::builtin_derive(&last) == Some(p.as_str()) =>
            {
                (Target::External(p), Confidence::High)
            }
            // A guess through globs of outside modules (winnow's tests' `use
            // snapbox::prelude::*;`) does not outrank the prelude's built-in derive.
            (Some((Target::External(_), Confidence::Low)) | None, Some(p)) => {
                (Target::External(p.to_string()), Confidence::High)
            }
            (Some(r), _) => r,
            (None, None) => (Target::External(d.segments.join("::")), Confidence::Low),
        };
        let module_path = self.nodes[self.module_node[m]].path.clone();
        let header = format!("impl {last} for {}", item.name);
        let node = Node {
            id: NodeId::PLACEHOLDER,
            kind: NodeKind::Impl,
            path: format!("{module_path}::{header}"),
            name: header.clone(),
            krate: None,
            signature: format!("#[derive({})]\n{header}", d.segments.join("::")),
            visibility: Visibility::Private,
            doc: None,
            cfg: item.cfg.clone(),
            span: self.span(m, d.span),
            parent: Some(self.nodes[self.module_node[m]].id),
            flags: NodeFlags {
                derived: true,
                ..NodeFlags::default()
            },
            generated_by: item.generated_by.clone(),
        };
        let n = self.add_node(krate, node);
        let span = self.nodes[n].span.clone();
        self.edge(
            self.module_node[m],
            Target::Node(n),
            EdgeKind::Contains,
            Confidence::High,
            span.clone(),
        );
        self.edge(n, target.clone(), EdgeKind::Implements, conf, span.clone());
        self.edge(n, Target::Node(ty), EdgeKind::Uses, Confidence::High, span);
        self.impls_of.entry(ty).or_default().push(n);
        self.impl_trait_confidence.insert(n, conf);
        self.impl_trait.insert(n, target);
        self.impl_self.insert(n, Target::Node(ty));
    }
}
