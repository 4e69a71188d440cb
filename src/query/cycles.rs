//! find-cycles: strongly connected components (petgraph's Tarjan) of the module dependency
//! graph or of the item call/use graph, each with one concrete chain that closes the loop.

use super::{ConfidenceCounts, NodeRef, Scope};
use crate::graph::{Confidence, EdgeKind, Graph, NodeKind, Span};
use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;
use std::collections::{HashMap, HashSet, VecDeque};

/// Which graph to search.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    /// Modules, with an edge where an item (or `use`) of one names an item of another.
    Module,
    /// Items, with their `calls` and `uses` edges.
    Item,
}

/// One step of a cycle's chain.
#[derive(Clone, Debug, Serialize)]
pub struct Step {
    /// Source (module or item path).
    pub from: String,
    /// Target.
    pub to: String,
    /// The item-level edge behind the step.
    pub kind: EdgeKind,
    /// Where that edge is written.
    pub span: Option<Span>,
    /// Resolver confidence of that edge.
    pub confidence: Confidence,
}

/// One strongly connected component.
#[derive(Clone, Debug, Serialize)]
pub struct Cycle {
    /// Members sorted by path.
    pub members: Vec<NodeRef>,
    /// A closed chain through the component, starting and ending at the first member.
    pub chain: Vec<Step>,
}

/// The answer to find-cycles.
#[derive(Clone, Debug, Serialize)]
pub struct Cycles {
    /// The level searched.
    pub level: Level,
    /// Components with two or more members, largest first.
    pub cycles: Vec<Cycle>,
    /// The confidences of the edges on the cycles' chains.
    pub edges: ConfidenceCounts,
}

/// Finds the cycles at `level` among workspace nodes in `scope`, over edges of at least
/// `min_confidence`.
pub fn find_cycles(
    graph: &Graph,
    level: Level,
    min_confidence: Confidence,
    scope: &Scope,
) -> Cycles {
    // Map graph nodes to vertices: modules (module level) or items (item level).
    let module_of = |mut i: usize| -> Option<usize> {
        loop {
            let n = &graph.nodes[i];
            n.krate?;
            if n.kind == NodeKind::Module {
                return Some(i);
            }
            i = graph.index_of(n.parent?)?;
        }
    };
    let mut g: DiGraph<usize, usize> = DiGraph::new();
    let mut vertex: HashMap<usize, NodeIndex> = HashMap::new();
    let mut v =
        |g: &mut DiGraph<usize, usize>, n: usize| *vertex.entry(n).or_insert_with(|| g.add_node(n));
    let mut seen_pairs: HashSet<(usize, usize)> = HashSet::new();
    for (e, edge) in graph.edges.iter().enumerate() {
        let wanted = match level {
            Level::Item => matches!(edge.kind, EdgeKind::Calls | EdgeKind::Uses),
            Level::Module => edge.kind != EdgeKind::Contains,
        };
        if !wanted || edge.confidence < min_confidence {
            continue;
        }
        let (Some(a), Some(b)) = (graph.index_of(edge.from), graph.index_of(edge.to)) else {
            continue;
        };
        let (a, b) = match level {
            Level::Item => (a, b),
            Level::Module => match (module_of(a), module_of(b)) {
                (Some(x), Some(y)) => (x, y),
                _ => continue,
            },
        };
        if a == b || graph.nodes[b].krate.is_none() || !scope.contains(graph, &graph.nodes[a]) {
            continue;
        }
        if !seen_pairs.insert((a, b)) {
            continue;
        }
        let (va, vb) = (v(&mut g, a), v(&mut g, b));
        g.add_edge(va, vb, e);
    }
    let mut cycles: Vec<Cycle> = petgraph::algo::tarjan_scc(&g)
        .into_iter()
        .filter(|c| c.len() >= 2)
        .map(|mut comp| {
            comp.sort_by(|a, b| graph.nodes[g[*a]].path.cmp(&graph.nodes[g[*b]].path));
            let chain = closing_chain(&g, &comp)
                .into_iter()
                .map(|e| {
                    let (a, b) = g.edge_endpoints(e).expect("edge exists");
                    let edge = &graph.edges[g[e]];
                    Step {
                        from: graph.nodes[g[a]].path.clone(),
                        to: graph.nodes[g[b]].path.clone(),
                        kind: edge.kind,
                        span: edge.span.clone(),
                        confidence: edge.confidence,
                    }
                })
                .collect();
            Cycle {
                members: comp
                    .iter()
                    .map(|&x| NodeRef::new(graph, &graph.nodes[g[x]]))
                    .collect(),
                chain,
            }
        })
        .collect();
    cycles.sort_by(|a, b| {
        b.members
            .len()
            .cmp(&a.members.len())
            .then(a.members[0].path.cmp(&b.members[0].path))
    });
    let edges = ConfidenceCounts::of(
        cycles
            .iter()
            .flat_map(|c| c.chain.iter().map(|s| s.confidence)),
    );
    Cycles {
        level,
        cycles,
        edges,
    }
}

/// The shortest chain of edges inside `comp` from its first member back to itself (BFS).
fn closing_chain(g: &DiGraph<usize, usize>, comp: &[NodeIndex]) -> Vec<petgraph::graph::EdgeIndex> {
    let start = comp[0];
    let inside: HashSet<NodeIndex> = comp.iter().copied().collect();
    let mut prev: HashMap<NodeIndex, petgraph::graph::EdgeIndex> = HashMap::new();
    let mut queue = VecDeque::from([start]);
    let mut mid = None;
    'bfs: while let Some(n) = queue.pop_front() {
        let mut outs: Vec<_> = g
            .edges(n)
            .map(|e| {
                (
                    petgraph::visit::EdgeRef::target(&e),
                    petgraph::visit::EdgeRef::id(&e),
                )
            })
            .collect();
        outs.sort();
        for (t, e) in outs {
            if t == start {
                mid = Some(e);
                break 'bfs;
            }
            if inside.contains(&t) && !prev.contains_key(&t) && t != start {
                prev.insert(t, e);
                queue.push_back(t);
            }
        }
    }
    let Some(last) = mid else {
        return Vec::new();
    };
    let mut chain = vec![last];
    let mut cur = g.edge_endpoints(last).expect("edge exists").0;
    while cur != start {
        let e = prev[&cur];
        chain.push(e);
        cur = g.edge_endpoints(e).expect("edge exists").0;
    }
    chain.reverse();
    chain
}
