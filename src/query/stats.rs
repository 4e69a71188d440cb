//! The `build` report: what the graph holds and what building it cost.

use crate::diagnostics::Diagnostic;
use crate::engine::Refresh;
use crate::graph::Graph;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// Phase times in milliseconds. `read` and `parse` are summed over parser threads (CPU
/// time); the others are wall time. All zero but `metadata` and `load` when the snapshot
/// was fresh.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PhaseTimes {
    /// `cargo metadata`.
    pub metadata: f64,
    /// Loading and checking the snapshot.
    pub load: f64,
    /// Reading source files.
    pub read: f64,
    /// Parsing and fact extraction.
    pub parse: f64,
    /// Module trees, name resolution, edges.
    pub resolve: f64,
    /// Writing the snapshot.
    pub write: f64,
}

/// The answer to `build`.
#[derive(Clone, Debug, Serialize)]
pub struct BuildReport {
    /// Why the graph was rebuilt; `None` if the snapshot was up to date.
    pub rebuilt_because: Option<String>,
    /// Number of crates (targets).
    pub crates: usize,
    /// Number of source files.
    pub files: usize,
    /// Total nodes.
    pub nodes: usize,
    /// Nodes per kind.
    pub nodes_by_kind: BTreeMap<String, usize>,
    /// Total edges.
    pub edges: usize,
    /// Edges per kind.
    pub edges_by_kind: BTreeMap<String, usize>,
    /// Files that could not be read or parsed, and other problems.
    pub diagnostics: Vec<Diagnostic>,
    /// Phase times (ms).
    pub timings_ms: PhaseTimes,
}

fn ms(d: Duration) -> f64 {
    (d.as_secs_f64() * 1e5).round() / 100.0
}

/// Summarises `graph` and how it was obtained.
pub fn report(graph: &Graph, refresh: &Refresh, metadata: Duration) -> BuildReport {
    let mut nodes_by_kind = BTreeMap::new();
    for n in &graph.nodes {
        *nodes_by_kind
            .entry(n.kind.as_str().to_string())
            .or_insert(0) += 1;
    }
    let mut edges_by_kind = BTreeMap::new();
    for e in &graph.edges {
        *edges_by_kind
            .entry(e.kind.as_str().to_string())
            .or_insert(0) += 1;
    }
    BuildReport {
        rebuilt_because: refresh.rebuilt_because.clone(),
        crates: graph.crates.len(),
        files: graph.files.len(),
        nodes: graph.nodes.len(),
        nodes_by_kind,
        edges: graph.edges.len(),
        edges_by_kind,
        diagnostics: graph.diagnostics.clone(),
        timings_ms: PhaseTimes {
            metadata: ms(metadata),
            load: ms(refresh.load),
            read: ms(refresh.build.read),
            parse: ms(refresh.build.parse),
            resolve: ms(refresh.build.resolve),
            write: ms(refresh.write),
        },
    }
}
