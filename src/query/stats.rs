//! The `build` report: what the graph holds and what building it cost.

use crate::diagnostics::Diagnostic;
use crate::engine::Refresh;
use crate::engine::explain::{Action, FileExplain};
use crate::graph::Graph;
use serde::Serialize;
use std::collections::BTreeMap;
use std::time::Duration;

/// Phase times in milliseconds. `hash`, `read` and `parse` are summed over worker threads
/// (CPU time); the others are wall time. Phases that did not run are zero.
#[derive(Clone, Debug, Default, Serialize)]
pub struct PhaseTimes {
    /// `cargo metadata`.
    pub metadata: f64,
    /// Waiting for and taking the snapshot lock.
    pub lock: f64,
    /// `stat` of the files the snapshot lists.
    pub stat: f64,
    /// Reading and hashing files whose stat changed.
    pub hash: f64,
    /// Loading the index, graph and facts cache.
    pub load: f64,
    /// Reading source files in the parse phase.
    pub read: f64,
    /// Parsing and fact extraction.
    pub parse: f64,
    /// Module trees, name resolution, exceptions, edges.
    pub resolve: f64,
    /// Writing the snapshot.
    pub write: f64,
}

/// How many files the refresh reused, re-hashed and parsed.
#[derive(Clone, Debug, Default, Serialize)]
pub struct FileCounts {
    /// Stat fields unchanged: not read.
    pub reused: usize,
    /// Read and hashed, facts from the cache.
    pub rehashed: usize,
    /// Parsed (first extractions).
    pub parsed: usize,
    /// Extracted again with other files' macros visible.
    pub reextracted: usize,
}

/// The answer to `build`.
#[derive(Clone, Debug, Serialize)]
pub struct BuildReport {
    /// Why the graph was rebuilt; `None` if the snapshot was up to date.
    pub rebuilt_because: Option<String>,
    /// Whether the snapshot is kept for later commands (`false` for `ingest`, which only
    /// prints the dump's graph).
    pub persisted: bool,
    /// The workspace members, in metadata order (answers cover all of them unless `-p`
    /// narrows); empty for `ingest`.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<String>,
    /// The member you stand in (whose manifest `--manifest-path` or the current directory
    /// names); `None` at a virtual root.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_package: Option<String>,
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
    /// What the refresh did with the files.
    pub file_counts: FileCounts,
    /// Per package: files no module tree reaches, macro calls not expanded, edges by
    /// confidence ([`crate::query::coverage`]).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub coverage: Vec<crate::query::coverage::PackageCoverage>,
    /// Per file: what was done and why (`build --explain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub explain: Option<Vec<FileExplain>>,
    /// References whose path resolved to nothing, where they are written (`build
    /// --unresolved`; the counts per package are in `coverage`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unresolved: Option<Vec<crate::query::coverage::UnresolvedReference>>,
}

/// Milliseconds with two decimals.
pub fn ms(d: Duration) -> f64 {
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
        persisted: true,
        members: Vec::new(),
        current_package: None,
        crates: graph.crates.len(),
        files: graph.files.len(),
        nodes: graph.nodes.len(),
        nodes_by_kind,
        edges: graph.edges.len(),
        edges_by_kind,
        diagnostics: graph
            .diagnostics
            .iter()
            .filter(|d| !d.kind.is_coverage_note())
            .cloned()
            .collect(),
        timings_ms: phase_times(refresh, metadata),
        file_counts: FileCounts {
            reused: count(refresh, Action::Reused),
            rehashed: count(refresh, Action::Rehashed),
            parsed: refresh.parses,
            reextracted: refresh.reextractions,
        },
        coverage: Vec::new(),
        explain: None,
        unresolved: None,
    }
}

fn count(refresh: &Refresh, action: Action) -> usize {
    refresh
        .explain
        .iter()
        .filter(|e| e.action == action)
        .count()
}

/// The refresh's phase times in milliseconds.
pub fn phase_times(refresh: &Refresh, metadata: Duration) -> PhaseTimes {
    let t = &refresh.timings;
    PhaseTimes {
        metadata: ms(metadata),
        lock: ms(t.lock),
        stat: ms(t.stat),
        hash: ms(t.hash),
        load: ms(t.load),
        read: ms(t.read),
        parse: ms(t.parse),
        resolve: ms(t.link),
        write: ms(t.write),
    }
}
