//! blast-radius: transitive reverse dependencies of an entity, by depth.
//!
//! An item depends on the entity when it has a `calls`, `uses`, `implements` or `inherits`
//! edge to it (`contains` is structure, not dependency). Breadth-first from the entity over
//! incoming edges gives each dependent at its shortest distance, with the edge that brought
//! it in.
//!
//! Trait default items follow the exception store: the impls that inherit a default (their
//! `inherits` edge) depend on it; an impl item that overrides it (its `implements` edge into
//! a default) does not, since its behaviour no longer comes from the default.

use super::{ConfidenceCounts, NodeRef, Scope, find_entity};
use crate::error::Result;
use crate::graph::{Confidence, Edge, EdgeKind, Graph, NodeKind, Span};
use serde::Serialize;
use std::collections::{BTreeSet, VecDeque};

/// The edge through which a dependent was reached.
#[derive(Clone, Debug, Serialize)]
pub struct Via {
    /// Edge kind: the dependent `kind`s the item one level closer to the entity.
    pub kind: EdgeKind,
    /// Path of the item one level closer to the entity.
    pub to: String,
    /// Where the reference is written.
    pub span: Option<Span>,
    /// Resolver confidence of the edge.
    pub confidence: Confidence,
}

impl Via {
    /// The edge `edge` of `graph`, as shown.
    pub fn of(graph: &Graph, edge: &Edge) -> Via {
        Via {
            kind: edge.kind,
            to: graph
                .node(edge.to)
                .map(|t| t.path.clone())
                .unwrap_or_default(),
            span: edge.span.clone(),
            confidence: edge.confidence,
        }
    }
}

/// What a change to the entity does to a dependent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Effect {
    /// A change to the entity's interface (renaming it, changing its signature) stops the
    /// dependent compiling: it names the entity, or overrides it.
    Breaks,
    /// Only a change to the entity's body reaches it: it calls the entity (directly or
    /// through callers) or inherits it as a default; it compiles, its behaviour may differ.
    Behaviour,
}

/// Which change `blast-radius ENTITY` reports the dependents of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum ChangeMode {
    /// Renaming or re-signing the entity: what breaks.
    Interface,
    /// Changing its body: callers, transitively, and impls inheriting it as a default.
    Body,
}

/// One dependent.
#[derive(Clone, Debug, Serialize)]
pub struct Dependent {
    /// The dependent item.
    pub node: NodeRef,
    /// How it was reached.
    pub via: Via,
    /// Whether an interface change breaks it or only a body change reaches it.
    pub effect: Effect,
}

/// Dependents at one distance.
#[derive(Clone, Debug, Serialize)]
pub struct Level {
    /// Distance from the entity (1 = direct dependents).
    pub depth: usize,
    /// Dependents at this distance, sorted by path.
    pub dependents: Vec<Dependent>,
}

/// The answer to blast-radius.
#[derive(Clone, Debug, Serialize)]
pub struct BlastRadius {
    /// The entity.
    pub entity: NodeRef,
    /// Levels by increasing depth.
    pub levels: Vec<Level>,
    /// Number of dependents found (shown or not).
    pub total: usize,
    /// Dependents found but not shown because of `limit`.
    pub truncated: usize,
    /// Whether the walk stopped at `max_depth` with more to explore.
    pub depth_limited: bool,
    /// Packages with at least one dependent.
    pub packages: Vec<String>,
    /// The confidences of the edges that brought in each dependent (shown or not).
    pub edges: ConfidenceCounts,
}

/// Walk options.
#[derive(Clone, Debug)]
pub struct Options {
    /// Stop after this many levels (`None`: no limit).
    pub max_depth: Option<usize>,
    /// Show at most this many dependents.
    pub limit: usize,
    /// Ignore edges below this confidence.
    pub min_confidence: Confidence,
    /// Only the dependents of this kind of change (`None`: both, each marked).
    pub change: Option<ChangeMode>,
}

/// Whether the edge `from → to` of `kind` is an impl item overriding the default `to`.
fn is_override_of_default(graph: &Graph, from: usize, to: usize, kind: EdgeKind) -> bool {
    kind == EdgeKind::Implements
        && graph.nodes[to].flags.has_default
        && matches!(
            graph.nodes[from].kind,
            NodeKind::Method | NodeKind::AssocConst | NodeKind::AssocType
        )
}

/// Whether `edge` (`from → to`) makes `from` a dependent of `to`: a dependency edge (not
/// `contains`) of at least `min` confidence, other than an override of a default.
pub(crate) fn depends(graph: &Graph, edge: &Edge, from: usize, to: usize, min: Confidence) -> bool {
    edge.kind != EdgeKind::Contains
        && edge.confidence >= min
        && !is_override_of_default(graph, from, to, edge.kind)
}

/// Whether `from` breaks when the interface of `to` changes: it names `to` (any dependency
/// edge but `contains`) or overrides it as a default; an impl that inherits a default
/// (`inherits`) writes nothing that names it.
pub(crate) fn breaks(_: &Graph, edge: &Edge, _: usize, _: usize, min: Confidence) -> bool {
    !matches!(edge.kind, EdgeKind::Contains | EdgeKind::Inherits) && edge.confidence >= min
}

/// Whether a change to the body of `to` reaches `from`: it calls `to` or inherits it as a
/// default (an override does not run the default).
pub(crate) fn behaves(graph: &Graph, edge: &Edge, from: usize, to: usize, min: Confidence) -> bool {
    matches!(edge.kind, EdgeKind::Calls | EdgeKind::Inherits) && depends(graph, edge, from, to, min)
}

/// The nodes a reverse walk reached.
pub(crate) struct Walk {
    /// `(depth, node, edge that brought it in)`, in the order reached (nearest first).
    pub found: Vec<(usize, usize, usize)>,
    /// Whether the walk stopped at the depth limit with more to explore.
    pub depth_limited: bool,
}

/// Breadth-first from `starts` over incoming edges that `follow(edge, from, to)` accepts;
/// every node is reached once, at its shortest distance. `max_depth` stops the walk.
pub(crate) fn reverse_walk(
    graph: &Graph,
    starts: &[usize],
    max_depth: Option<usize>,
    follow: impl Fn(&Edge, usize, usize) -> bool,
) -> Walk {
    let mut seen = vec![false; graph.nodes.len()];
    let mut queue = VecDeque::new();
    for &s in starts {
        if !seen[s] {
            seen[s] = true;
            queue.push_back((s, 0usize));
        }
    }
    let mut found = Vec::new();
    let mut depth_limited = false;
    while let Some((n, d)) = queue.pop_front() {
        for &e in graph.incoming(n) {
            let edge = &graph.edges[e];
            let Some(from) = graph.index_of(edge.from) else {
                continue;
            };
            if seen[from] || !follow(edge, from, n) {
                continue;
            }
            if max_depth.is_some_and(|m| d >= m) {
                depth_limited = true;
                continue;
            }
            seen[from] = true;
            found.push((d + 1, from, e));
            queue.push_back((from, d + 1));
        }
    }
    Walk {
        found,
        depth_limited,
    }
}

/// Computes the blast radius of the entity named `name`.
///
/// # Errors
/// Usage error when `name` is unknown or ambiguous.
pub fn blast_radius(
    graph: &Graph,
    name: &str,
    opts: &Options,
    scope: &Scope,
) -> Result<BlastRadius> {
    let start = find_entity(graph, name, "item", |_| true)?;
    let min = opts.min_confidence;
    let walk = |follow: fn(&Graph, &Edge, usize, usize, Confidence) -> bool| {
        reverse_walk(graph, &[start], opts.max_depth, |edge, from, to| {
            follow(graph, edge, from, to, min)
        })
    };
    let (interface, body) = match opts.change {
        Some(ChangeMode::Interface) => (Some(walk(breaks)), None),
        Some(ChangeMode::Body) => (None, Some(walk(behaves))),
        None => (Some(walk(breaks)), Some(walk(behaves))),
    };
    let depth_limited = [&interface, &body]
        .into_iter()
        .flatten()
        .any(|w| w.depth_limited);
    // node → (depth, edge, effect): what breaks first, then what only a body change reaches.
    let mut reached: std::collections::BTreeMap<usize, (usize, usize, Effect)> =
        std::collections::BTreeMap::new();
    for (w, effect) in [(&interface, Effect::Breaks), (&body, Effect::Behaviour)] {
        for &(depth, n, e) in w.iter().flat_map(|w| &w.found) {
            reached.entry(n).or_insert((depth, e, effect));
        }
    }
    let mut found: Vec<(usize, usize, usize, Effect)> = reached
        .into_iter()
        .map(|(n, (depth, e, effect))| (depth, n, e, effect))
        .collect();
    found.retain(|(_, n, _, _)| scope.contains(graph, &graph.nodes[*n]));
    found.sort_by(|a, b| (a.0, &graph.nodes[a.1].path).cmp(&(b.0, &graph.nodes[b.1].path)));
    let total = found.len();
    let packages: BTreeSet<String> = found
        .iter()
        .filter_map(|(_, n, _, _)| graph.crate_of(&graph.nodes[*n]).map(|c| c.package.clone()))
        .collect();
    let edges = ConfidenceCounts::of(found.iter().map(|&(_, _, e, _)| graph.edges[e].confidence));
    let truncated = total.saturating_sub(opts.limit);
    found.truncate(opts.limit);
    let mut levels: Vec<Level> = Vec::new();
    for (depth, n, e, effect) in found {
        let edge = &graph.edges[e];
        let dep = Dependent {
            node: NodeRef::new(graph, &graph.nodes[n]),
            via: Via::of(graph, edge),
            effect,
        };
        match levels.last_mut() {
            Some(l) if l.depth == depth => l.dependents.push(dep),
            _ => levels.push(Level {
                depth,
                dependents: vec![dep],
            }),
        }
    }
    Ok(BlastRadius {
        entity: NodeRef::new(graph, &graph.nodes[start]),
        levels,
        total,
        truncated,
        depth_limited,
        packages: packages.into_iter().collect(),
        edges,
    })
}
