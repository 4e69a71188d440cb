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

use super::{ConfidenceCounts, NodeRef, Scope, find_entity, group_variants, variants_of};
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
    /// How sure the row is: the weakest edge on the surest path from the entity (`high`
    /// when a path of exact edges reaches it, `low` when only a name-only guess does).
    pub confidence: Confidence,
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
    /// The edge confidence the walk followed down to (`--min-confidence`).
    pub min_confidence: Confidence,
    /// How many more dependents edges below `min_confidence` would add (what
    /// `--min-confidence low` shows besides); 0 when the walk followed every edge.
    pub below_min_confidence: usize,
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
    let starts = variants_of(graph, start);
    let min = opts.min_confidence;
    let reached = reach(graph, &starts, opts, min);
    // A row's confidence: the highest level whose edges alone still reach it.
    let mut confidence: std::collections::HashMap<usize, Confidence> =
        std::collections::HashMap::new();
    for tier in [Confidence::High, Confidence::Medium] {
        if tier > min {
            for &n in reach(graph, &starts, opts, tier).keys() {
                confidence.entry(n).or_insert(tier);
            }
        }
    }
    let depth_limited = reached.values().any(|r| r.3);
    let in_scope = |n: &usize| scope.contains(graph, &graph.nodes[*n]);
    let below_min_confidence = if min > Confidence::Low {
        let all = reach(graph, &starts, opts, Confidence::Low);
        group_variants(
            graph,
            all.keys()
                .copied()
                .filter(|n| !reached.contains_key(n) && in_scope(n)),
        )
        .len()
    } else {
        0
    };
    let mut found: Vec<(usize, usize, usize, Effect)> = reached
        .iter()
        .map(|(&n, &(depth, e, effect, _))| (depth, n, e, effect))
        .filter(|(_, n, _, _)| in_scope(n))
        .collect();
    found.sort_by(|a, b| (a.0, &graph.nodes[a.1].path).cmp(&(b.0, &graph.nodes[b.1].path)));
    // One row per item: the cfg variants of a dependent are one row, at the nearest.
    let at: std::collections::HashMap<usize, usize> =
        found.iter().enumerate().map(|(k, f)| (f.1, k)).collect();
    let rows: Vec<(usize, usize, usize, Effect, Vec<usize>)> =
        group_variants(graph, found.iter().map(|f| f.1))
            .into_iter()
            .map(|g| {
                let (depth, n, e, effect) = found[at[&g[0]]];
                (depth, n, e, effect, g)
            })
            .collect();
    let total = rows.len();
    let packages: BTreeSet<String> = rows
        .iter()
        .filter_map(|r| graph.crate_of(&graph.nodes[r.1]).map(|c| c.package.clone()))
        .collect();
    let edges = ConfidenceCounts::of(rows.iter().map(|r| graph.edges[r.2].confidence));
    let truncated = total.saturating_sub(opts.limit);
    let mut levels: Vec<Level> = Vec::new();
    for (depth, _, e, effect, variants) in rows.into_iter().take(opts.limit) {
        let edge = &graph.edges[e];
        let sure = variants
            .iter()
            .map(|v| confidence.get(v).copied().unwrap_or(min))
            .max()
            .unwrap_or(min);
        let dep = Dependent {
            node: NodeRef::of_variants(graph, &variants),
            via: Via::of(graph, edge),
            effect,
            confidence: sure,
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
        entity: NodeRef::of_variants(graph, &starts),
        levels,
        total,
        truncated,
        depth_limited,
        packages: packages.into_iter().collect(),
        edges,
        min_confidence: min,
        below_min_confidence,
    })
}

/// What the walks of `opts.change` reach from `starts` over edges of at least `min`:
/// node → (depth, edge that brought it in, effect, whether that walk stopped at the depth
/// limit). What breaks is taken first, then what only a body change reaches.
fn reach(
    graph: &Graph,
    starts: &[usize],
    opts: &Options,
    min: Confidence,
) -> std::collections::BTreeMap<usize, (usize, usize, Effect, bool)> {
    let walk = |follow: fn(&Graph, &Edge, usize, usize, Confidence) -> bool| {
        reverse_walk(graph, starts, opts.max_depth, |edge, from, to| {
            follow(graph, edge, from, to, min)
        })
    };
    let (interface, body) = match opts.change {
        Some(ChangeMode::Interface) => (Some(walk(breaks)), None),
        Some(ChangeMode::Body) => (None, Some(walk(behaves))),
        None => (Some(walk(breaks)), Some(walk(behaves))),
    };
    let mut reached = std::collections::BTreeMap::new();
    for (w, effect) in [(&interface, Effect::Breaks), (&body, Effect::Behaviour)] {
        if let Some(w) = w {
            for &(depth, n, e) in &w.found {
                reached
                    .entry(n)
                    .or_insert((depth, e, effect, w.depth_limited));
            }
        }
    }
    reached
}
