//! The graph file's body: the graph's tables with edges as compact rows (node indexes, kind,
//! confidence, span with an index into a table of file paths), a quarter of the size of the
//! edge objects `export` prints, so a warm call decodes less.

use crate::diagnostics::Diagnostic;
use crate::exceptions::ExceptionStore;
use crate::graph::{Confidence, CrateInfo, Edge, EdgeKind, FileRecord, Graph, Node, Span};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// One edge: `(from, to, kind, confidence, span)`, endpoints as indexes into `nodes`, the
/// span as `(index into span_files, line, column, end_line)`.
type EdgeRow = (u32, u32, EdgeKind, Confidence, Option<(u32, u32, u32, u32)>);

#[derive(Serialize)]
struct BodyRef<'a> {
    crates: &'a [CrateInfo],
    files: &'a [FileRecord],
    nodes: &'a [Node],
    span_files: Vec<&'a str>,
    edges: Vec<EdgeRow>,
    /// Edges whose endpoints are not nodes of the graph (none in a linked graph).
    loose_edges: Vec<&'a Edge>,
    diagnostics: &'a [Diagnostic],
    exceptions: &'a ExceptionStore,
    unresolved_paths: &'a [u32],
}

#[derive(Deserialize)]
struct Body {
    crates: Vec<CrateInfo>,
    files: Vec<FileRecord>,
    nodes: Vec<Node>,
    span_files: Vec<String>,
    edges: Vec<EdgeRow>,
    loose_edges: Vec<Edge>,
    diagnostics: Vec<Diagnostic>,
    exceptions: ExceptionStore,
    #[serde(default)]
    unresolved_paths: Vec<u32>,
}

/// Serialises `graph` as a graph-file body.
///
/// # Errors
/// A serialisation error.
pub fn to_vec(graph: &Graph) -> serde_json::Result<Vec<u8>> {
    let index: HashMap<_, u32> = graph
        .nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.id, i as u32))
        .collect();
    let mut span_files: Vec<&str> = Vec::new();
    let mut file_index: HashMap<&str, u32> = HashMap::new();
    let mut edges = Vec::with_capacity(graph.edges.len());
    let mut loose_edges = Vec::new();
    for e in &graph.edges {
        let (Some(&from), Some(&to)) = (index.get(&e.from), index.get(&e.to)) else {
            loose_edges.push(e);
            continue;
        };
        let span = e.span.as_ref().map(|s| {
            let f = *file_index.entry(&s.file).or_insert_with(|| {
                span_files.push(&s.file);
                span_files.len() as u32 - 1
            });
            (f, s.line, s.column, s.end_line)
        });
        edges.push((from, to, e.kind, e.confidence, span));
    }
    serde_json::to_vec(&BodyRef {
        crates: &graph.crates,
        files: &graph.files,
        nodes: &graph.nodes,
        span_files,
        edges,
        loose_edges,
        diagnostics: &graph.diagnostics,
        exceptions: &graph.exceptions,
        unresolved_paths: &graph.unresolved_paths,
    })
}

/// Decodes a graph-file body and indexes the graph.
///
/// # Errors
/// A decoding error, or an edge row pointing past the node or file tables.
pub fn from_slice(bytes: &[u8]) -> Result<Graph, String> {
    let body: Body = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    let span_files: Vec<Arc<str>> = body
        .span_files
        .iter()
        .map(|f| Arc::from(f.as_str()))
        .collect();
    let mut edges = Vec::with_capacity(body.edges.len() + body.loose_edges.len());
    for (from, to, kind, confidence, span) in body.edges {
        let node = |i: u32| body.nodes.get(i as usize).map(|n| n.id);
        let (Some(from), Some(to)) = (node(from), node(to)) else {
            return Err("an edge points past the node table".into());
        };
        let span = match span {
            Some((f, line, column, end_line)) => Some(Span {
                file: span_files
                    .get(f as usize)
                    .ok_or("a span points past the file table")?
                    .clone(),
                line,
                column,
                end_line,
            }),
            None => None,
        };
        edges.push(Edge {
            from,
            to,
            kind,
            confidence,
            span,
        });
    }
    edges.extend(body.loose_edges);
    let mut graph = Graph::new(body.crates, body.files, body.nodes, edges, body.diagnostics);
    graph.exceptions = body.exceptions;
    graph.unresolved_paths = body.unresolved_paths;
    Ok(graph)
}
