//! graph: the workspace entities around one entity — what it depends on (or, reversed, what
//! depends on it) up to a depth — with the dependency edges among them, for pictures.

use super::{NodeRef, find_entity};
use crate::error::Result;
use crate::graph::{Confidence, EdgeKind, Graph};
use serde::Serialize;
use std::collections::{BTreeMap, VecDeque};

/// One edge of the neighbourhood, by node path.
#[derive(Clone, Debug, Serialize)]
pub struct Link {
    /// The dependent.
    pub from: String,
    /// What it depends on.
    pub to: String,
    /// Edge kind.
    pub kind: EdgeKind,
    /// Resolver confidence.
    pub confidence: Confidence,
}

/// A node of the neighbourhood with its distance from the entity.
#[derive(Clone, Debug, Serialize)]
pub struct Member {
    /// The node.
    pub node: NodeRef,
    /// Edges between it and the entity (0 for the entity).
    pub depth: usize,
}

/// The answer to graph.
#[derive(Clone, Debug, Serialize)]
pub struct Neighbourhood {
    /// The entity.
    pub entity: NodeRef,
    /// Whether dependents were followed (`--reverse`) rather than dependencies.
    pub reverse: bool,
    /// The entity and the nodes reached, by depth then path; at most `limit`.
    pub members: Vec<Member>,
    /// Dependency edges among the members (always dependent → dependency).
    pub links: Vec<Link>,
    /// Nodes reached but left out because of the limit.
    pub trimmed: usize,
}

/// Collects the neighbourhood of the entity named `name`: `depth` levels of dependencies
/// (`reverse`: dependents), edges of at least `min` confidence, at most `limit` nodes
/// (nearest first).
///
/// # Errors
/// Usage error when `name` is unknown or ambiguous.
pub fn neighbourhood(
    graph: &Graph,
    name: &str,
    depth: usize,
    reverse: bool,
    min: Confidence,
    limit: usize,
) -> Result<Neighbourhood> {
    let start = find_entity(graph, name, "item", |_| true)?;
    let mut dist: BTreeMap<usize, usize> = BTreeMap::from([(start, 0)]);
    let mut queue = VecDeque::from([start]);
    let follows = |e: usize| {
        let edge = &graph.edges[e];
        edge.kind != EdgeKind::Contains && edge.confidence >= min
    };
    while let Some(n) = queue.pop_front() {
        let d = dist[&n];
        if d >= depth {
            continue;
        }
        let edges = if reverse {
            graph.incoming(n)
        } else {
            graph.outgoing(n)
        };
        for &e in edges.iter().filter(|&&e| follows(e)) {
            let edge = &graph.edges[e];
            let other = if reverse { edge.from } else { edge.to };
            let Some(o) = graph.index_of(other) else {
                continue;
            };
            // Items outside the workspace (std's `Vec::new`) are not drawn.
            if graph.nodes[o].kind == crate::graph::NodeKind::External {
                continue;
            }
            if let std::collections::btree_map::Entry::Vacant(slot) = dist.entry(o) {
                slot.insert(d + 1);
                queue.push_back(o);
            }
        }
    }
    let mut order: Vec<(usize, usize)> = dist.iter().map(|(&n, &d)| (d, n)).collect();
    order.sort_by(|a, b| (a.0, &graph.nodes[a.1].path).cmp(&(b.0, &graph.nodes[b.1].path)));
    let trimmed = order.len().saturating_sub(limit.max(1));
    order.truncate(limit.max(1));
    let kept: BTreeMap<usize, usize> = order.iter().map(|&(d, n)| (n, d)).collect();
    let mut links = Vec::new();
    for &n in kept.keys() {
        for &e in graph.outgoing(n).iter().filter(|&&e| follows(e)) {
            let edge = &graph.edges[e];
            if let Some(t) = graph.index_of(edge.to)
                && kept.contains_key(&t)
                && t != n
            {
                links.push(Link {
                    from: graph.nodes[n].path.clone(),
                    to: graph.nodes[t].path.clone(),
                    kind: edge.kind,
                    confidence: edge.confidence,
                });
            }
        }
    }
    links.sort_by(|a, b| (&a.from, &a.to, a.kind).cmp(&(&b.from, &b.to, b.kind)));
    links.dedup_by(|a, b| a.from == b.from && a.to == b.to);
    Ok(Neighbourhood {
        entity: NodeRef::new(graph, &graph.nodes[start]),
        reverse,
        members: order
            .into_iter()
            .map(|(depth, n)| Member {
                node: NodeRef::new(graph, &graph.nodes[n]),
                depth,
            })
            .collect(),
        links,
        trimmed,
    })
}
