//! The graph file's body: the graph's tables with nodes and edges as compact rows (arrays in
//! a fixed order, parents and endpoints as node indexes, spans with an index into a table of
//! file paths, a name left out when it is the path's last segment): about half the size of
//! the node and edge objects `export` prints, with no field names to match, so a warm call
//! decodes less.

use crate::diagnostics::Diagnostic;
use crate::exceptions::ExceptionStore;

use crate::graph::{
    Confidence, CrateInfo, Edge, EdgeKind, FileRecord, Graph, Node, NodeFlags, NodeId, NodeKind,
    Span, Visibility,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// One edge: `(from, to, kind and confidence, span)`, endpoints as indexes into `nodes`,
/// kind and confidence as one number ([`kind_code`]), the span as a [`SpanRow`].
type EdgeRow = (u32, u32, u8, Option<SpanRow>);

/// Edge kinds by code: `kind_code / 3`.
const KINDS: [EdgeKind; 5] = [
    EdgeKind::Contains,
    EdgeKind::Implements,
    EdgeKind::Inherits,
    EdgeKind::Calls,
    EdgeKind::Uses,
];
/// Confidences by code: `kind_code % 3`.
const CONFIDENCES: [Confidence; 3] = [Confidence::Low, Confidence::Medium, Confidence::High];

/// An edge's kind and confidence as one number: `3 × kind + confidence`, in the orders of
/// [`KINDS`] and [`CONFIDENCES`].
fn kind_code(kind: EdgeKind, confidence: Confidence) -> u8 {
    // Exhaustive, so a new kind or confidence cannot be written with another's code.
    let k = match kind {
        EdgeKind::Contains => 0,
        EdgeKind::Implements => 1,
        EdgeKind::Inherits => 2,
        EdgeKind::Calls => 3,
        EdgeKind::Uses => 4,
    };
    let c = match confidence {
        Confidence::Low => 0,
        Confidence::Medium => 1,
        Confidence::High => 2,
    };
    3 * k + c
}

/// A span: `(index into span_files, line, column, end_line)`.
type SpanRow = (u32, u32, u32, u32);

/// One node, written: `(id, kind, path, name unless the path's last segment, crate, signature,
/// visibility, doc, cfg, span, parent as an index into nodes, flags, generated_by)`.
type NodeRowRef<'a> = (
    &'a NodeId,
    NodeKind,
    &'a str,
    Option<&'a str>,
    Option<u32>,
    &'a str,
    &'a Visibility,
    Option<&'a str>,
    Option<&'a str>,
    Option<SpanRow>,
    Option<u32>,
    NodeFlags,
    Option<&'a str>,
);

/// [`NodeRowRef`], read.
type NodeRow = (
    NodeId,
    NodeKind,
    String,
    Option<String>,
    Option<u32>,
    String,
    Visibility,
    Option<String>,
    Option<String>,
    Option<SpanRow>,
    Option<u32>,
    NodeFlags,
    Option<String>,
);

/// The file table spans point into, filled as spans are written.
#[derive(Default)]
struct SpanFiles<'a> {
    files: Vec<&'a str>,
    index: HashMap<&'a str, u32>,
}

impl<'a> SpanFiles<'a> {
    fn row(&mut self, s: &'a Span) -> SpanRow {
        let f = *self.index.entry(&s.file).or_insert_with(|| {
            self.files.push(&s.file);
            self.files.len() as u32 - 1
        });
        (f, s.line, s.column, s.end_line)
    }
}

/// The last `::` segment of `path` (the whole path when it has none).
fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path)
}

#[derive(Serialize)]
struct BodyRef<'a> {
    crates: &'a [CrateInfo],
    files: &'a [FileRecord],
    nodes: Vec<NodeRowRef<'a>>,
    /// Nodes whose parent is not a node of the graph (none in a linked graph).
    loose_nodes: Vec<&'a Node>,
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
    nodes: Vec<NodeRow>,
    loose_nodes: Vec<Node>,
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
    let mut span_files = SpanFiles::default();
    let mut nodes = Vec::with_capacity(graph.nodes.len());
    let mut loose_nodes = Vec::new();
    for n in &graph.nodes {
        let parent = match n.parent.map(|p| index.get(&p)) {
            None => None,
            Some(Some(&p)) => Some(p),
            Some(None) => {
                loose_nodes.push(n);
                continue;
            }
        };
        nodes.push((
            &n.id,
            n.kind,
            n.path.as_str(),
            (n.name != last_segment(&n.path)).then_some(n.name.as_str()),
            n.krate,
            n.signature.as_str(),
            &n.visibility,
            n.doc.as_deref(),
            n.cfg.as_deref(),
            n.span.as_ref().map(|s| span_files.row(s)),
            parent,
            n.flags,
            n.generated_by.as_deref(),
        ));
    }
    let mut edges = Vec::with_capacity(graph.edges.len());
    let mut loose_edges = Vec::new();
    for e in &graph.edges {
        let (Some(&from), Some(&to)) = (index.get(&e.from), index.get(&e.to)) else {
            loose_edges.push(e);
            continue;
        };
        let span = e.span.as_ref().map(|s| span_files.row(s));
        edges.push((from, to, kind_code(e.kind, e.confidence), span));
    }
    serde_json::to_vec(&BodyRef {
        crates: &graph.crates,
        files: &graph.files,
        nodes,
        loose_nodes,
        span_files: span_files.files,
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
    let span = |row: Option<SpanRow>| -> Result<Option<Span>, String> {
        let Some((f, line, column, end_line)) = row else {
            return Ok(None);
        };
        Ok(Some(Span {
            file: span_files
                .get(f as usize)
                .ok_or("a span points past the file table")?
                .clone(),
            line,
            column,
            end_line,
        }))
    };
    let ids: Vec<NodeId> = body.nodes.iter().map(|n| n.0).collect();
    let mut nodes = Vec::with_capacity(body.nodes.len() + body.loose_nodes.len());
    for row in body.nodes {
        let (
            id,
            kind,
            path,
            name,
            krate,
            signature,
            visibility,
            doc,
            cfg,
            at,
            parent,
            flags,
            generated_by,
        ) = row;
        let parent = match parent {
            Some(p) => Some(
                *ids.get(p as usize)
                    .ok_or("a node's parent points past the node table")?,
            ),
            None => None,
        };
        let name = name.unwrap_or_else(|| last_segment(&path).to_string());
        nodes.push(Node {
            id,
            kind,
            path,
            name,
            krate,
            signature,
            visibility,
            doc,
            cfg,
            span: span(at)?,
            parent,
            flags,
            generated_by,
        });
    }
    nodes.extend(body.loose_nodes);
    let mut edges = Vec::with_capacity(body.edges.len() + body.loose_edges.len());
    for (from, to, code, at) in body.edges {
        let (Some(&kind), Some(&confidence)) = (
            KINDS.get(usize::from(code / 3)),
            CONFIDENCES.get(usize::from(code % 3)),
        ) else {
            return Err(format!("an edge has an unknown kind code {code}"));
        };
        let node = |i: u32| ids.get(i as usize).copied();
        let (Some(from), Some(to)) = (node(from), node(to)) else {
            return Err("an edge points past the node table".into());
        };
        let span = span(at)?;
        edges.push(Edge {
            from,
            to,
            kind,
            confidence,
            span,
        });
    }
    edges.extend(body.loose_edges);
    let mut graph = Graph::new(body.crates, body.files, nodes, edges, body.diagnostics);
    graph.exceptions = body.exceptions;
    graph.unresolved_paths = body.unresolved_paths;
    Ok(graph)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::graph::build::{CrateInput, build};
    use crate::source::MemorySource;
    use std::path::{Path, PathBuf};

    /// A linked graph with every edge kind, impls (names that are not the path's last
    /// segment), cfg'd and documented items.
    fn linked() -> Graph {
        let mut source = MemorySource::default();
        source.files.insert(
            PathBuf::from("/w/src/lib.rs"),
            b"/// A greeter.\npub trait Greet: Clone { fn hi(&self) -> u32 { 1 } }\n\
              #[derive(Clone)] pub struct A;\n\
              #[cfg(unix)] impl Greet for A {}\n\
              pub fn run(a: &A) -> u32 { a.hi() + helper() }\n\
              fn helper() -> u32 { 2 }\n"
                .to_vec(),
        );
        let root = Path::new("/w");
        let input = CrateInput::standalone("demo", "demo", "lib", root, &root.join("src/lib.rs"));
        build(&source, root, &[input]).graph
    }

    #[test]
    fn a_graph_reads_back_as_written() {
        let g = linked();
        let kinds: std::collections::BTreeSet<_> = g.edges.iter().map(|e| e.kind).collect();
        assert_eq!(kinds.len(), 5, "{kinds:?}");
        let back = from_slice(&to_vec(&g).unwrap()).unwrap();
        assert_eq!(
            serde_json::to_value(&back.nodes).unwrap(),
            serde_json::to_value(&g.nodes).unwrap()
        );
        assert_eq!(back.edges, g.edges);
        assert_eq!(back.exceptions.len(), g.exceptions.len());
    }

    #[test]
    fn rows_pointing_nowhere_are_errors_not_panics() {
        let g = linked();
        let mut body: serde_json::Value = serde_json::from_slice(&to_vec(&g).unwrap()).unwrap();
        let forge = |body: &serde_json::Value, table: &str, row: usize, field: usize, value| {
            let mut b = body.clone();
            b[table][row][field] = serde_json::json!(value);
            from_slice(&serde_json::to_vec(&b).unwrap())
        };
        assert!(
            forge(&body, "edges", 0, 2, 99)
                .unwrap_err()
                .contains("kind code")
        );
        assert!(
            forge(&body, "edges", 0, 1, 99_999)
                .unwrap_err()
                .contains("node table")
        );
        assert!(
            forge(&body, "nodes", 1, 10, 99_999)
                .unwrap_err()
                .contains("parent")
        );
        body["span_files"] = serde_json::json!([]);
        assert!(from_slice(&serde_json::to_vec(&body).unwrap()).is_err());
    }
}
