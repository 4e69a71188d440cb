//! what-implements: every impl of a trait in the workspace, written or derived.

use super::{ConfidenceCounts, NodeRef, Scope, find_entity};
use crate::error::Result;
use crate::graph::{Confidence, EdgeKind, Graph, NodeKind};
use serde::Serialize;

/// One impl of the trait.
#[derive(Clone, Debug, Serialize)]
pub struct ImplEntry {
    /// Full path of the trait.
    #[serde(rename = "trait")]
    pub trait_path: String,
    /// The self type as written (`Config<T>`).
    pub self_type: String,
    /// The trait as the impl header writes it, with its generic arguments
    /// (`From<io::Error>`).
    pub trait_written: String,
    /// File relative to the workspace root.
    pub file: String,
    /// 1-based line of the `impl` keyword (of the derive for derived impls).
    pub line: u32,
    /// Produced by `#[derive(…)]`.
    pub derived: bool,
    /// For impls a `macro_rules!` call wrote: the macro (`impl_zero!`); `file`/`line` are
    /// then the call site.
    pub generated_by: Option<String>,
    /// Path of the impl node.
    pub impl_path: String,
    /// Package of the crate holding the impl.
    pub package: String,
    /// Target kind of that crate (`lib`, `bin`, `test`, …).
    pub target: String,
    /// The cfg predicates on the impl and its enclosing modules, `all(…)`-joined; `None` when
    /// the impl is compiled unconditionally.
    pub cfg: Option<String>,
    /// How sure the resolver is that the impl names this trait.
    pub confidence: Confidence,
}

/// The answer to what-implements.
#[derive(Clone, Debug, Serialize)]
pub struct Implementations {
    /// The trait.
    #[serde(rename = "trait")]
    pub trait_ref: NodeRef,
    /// Impls sorted by file and line.
    pub impls: Vec<ImplEntry>,
    /// The confidences of the `implements` edges behind `impls`.
    pub edges: ConfidenceCounts,
}

/// The cfg predicates of `node` and its ancestors, outermost first.
pub fn effective_cfg(graph: &Graph, node: &crate::graph::Node) -> Option<String> {
    let mut preds = Vec::new();
    let mut cur = Some(node);
    while let Some(n) = cur {
        if let Some(c) = &n.cfg {
            preds.push(c.clone());
        }
        cur = n.parent.and_then(|p| graph.node(p));
    }
    preds.reverse();
    crate::cfg::all_of(preds)
}

/// Finds the trait named `name` and lists its impls within `scope`.
///
/// # Errors
/// Usage error when no trait (or several) match `name`.
pub fn what_implements(graph: &Graph, name: &str, scope: &Scope) -> Result<Implementations> {
    let t = find_entity(graph, name, "trait", |n| {
        n.kind == NodeKind::Trait || (n.kind == NodeKind::External && n.flags.is_trait)
    })?;
    let trait_node = &graph.nodes[t];
    let mut impls: Vec<ImplEntry> = graph
        .incoming(t)
        .iter()
        .map(|&e| &graph.edges[e])
        .filter(|e| e.kind == EdgeKind::Implements)
        .filter_map(|e| {
            let imp = graph.node(e.from)?;
            if imp.kind != NodeKind::Impl || !scope.contains(graph, imp) {
                return None;
            }
            let span = imp.span.as_ref()?;
            let (trait_written, self_type) = imp
                .name
                .split_once(" for ")
                .map(|(t, s)| (t, s.to_string()))
                .unwrap_or_default();
            // Impl nodes are named `impl Trait<Args> for SelfType` (no generic parameters).
            let trait_written = trait_written
                .strip_prefix("impl ")
                .unwrap_or(trait_written)
                .to_string();
            Some(ImplEntry {
                trait_path: trait_node.path.clone(),
                self_type,
                trait_written,
                file: span.file.to_string(),
                line: span.line,
                derived: imp.flags.derived,
                generated_by: imp.generated_by.clone(),
                impl_path: imp.path.clone(),
                package: graph
                    .crate_of(imp)
                    .map(|c| c.package.clone())
                    .unwrap_or_default(),
                target: graph
                    .crate_of(imp)
                    .map(|c| c.target_kind.clone())
                    .unwrap_or_default(),
                cfg: effective_cfg(graph, imp),
                confidence: e.confidence,
            })
        })
        .collect();
    impls.sort_by(|a, b| (&a.file, a.line, &a.self_type).cmp(&(&b.file, b.line, &b.self_type)));
    impls.dedup_by(|a, b| a.file == b.file && a.line == b.line && a.self_type == b.self_type);
    Ok(Implementations {
        trait_ref: NodeRef::new(graph, trait_node),
        edges: ConfidenceCounts::of(impls.iter().map(|i| i.confidence)),
        impls,
    })
}
