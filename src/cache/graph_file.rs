//! The graph file's body: the graph's tables with nodes and edges as compact rows (arrays in
//! a fixed order; the edges' rows of seven numbers run together in one flat array; parents
//! and endpoints as node indexes, spans with an index into a table of
//! file paths, a name left out when it is the path's last segment): about half the size of
//! the node and edge objects `export` prints, with no field names to match, so a warm call
//! decodes less.

use crate::diagnostics::Diagnostic;
use crate::exceptions::ExceptionStore;

use crate::graph::{
    Confidence, CrateInfo, Edge, EdgeKind, FileRecord, Graph, Node, NodeFlags, NodeId, NodeKind,
    Span, UnresolvedPath, Visibility,
};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// One edge, as [`EDGE_ROW_WIDTH`] numbers of the edge section's flat array: `from, to,
/// kind and confidence, span file, line, column, end line`; endpoints as indexes into
/// `nodes`, kind and confidence as one number ([`kind_code`]), the span's file as its index
/// into `span_files` plus one (`0`: no span, and the three numbers after it are `0`). One
/// flat array of numbers, not an array of rows, because a JSON parser reads it several times
/// faster than nested arrays with nulls.
type EdgeRow = [u32; EDGE_ROW_WIDTH];

/// Numbers per edge in the edge section ([`EdgeRow`]).
const EDGE_ROW_WIDTH: usize = 7;

/// The edges decoded from the edge section, and each one's (from, to) node indexes.
type EdgesWithEnds = (Vec<Edge>, Vec<(u32, u32)>);

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

/// One node, written: `(kind, path, name unless the path's last segment, crate, signature,
/// visibility, doc, cfg, span, parent as an index into nodes, flags, generated_by)`; its id
/// is in the ids section at the same index.
type NodeRowRef<'a> = (
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

/// The small tables of the first section.
#[derive(Serialize)]
struct MetaRef<'a> {
    crates: &'a [CrateInfo],
    files: &'a [FileRecord],
    /// Nodes whose parent is not a node of the graph (none in a linked graph).
    loose_nodes: Vec<&'a Node>,
    span_files: Vec<&'a str>,
    /// Edges whose endpoints are not nodes of the graph (none in a linked graph).
    loose_edges: Vec<&'a Edge>,
    diagnostics: &'a [Diagnostic],
    unresolved_paths: Vec<UnresolvedRow<'a>>,
    /// The edge rows under a cfg of their own ([`Edge::cfg`], few): `(row index, cfg)`.
    edge_cfgs: Vec<(u32, &'a str)>,
}

#[derive(Deserialize)]
struct Meta {
    crates: Vec<CrateInfo>,
    files: Vec<FileRecord>,
    loose_nodes: Vec<Node>,
    span_files: Vec<String>,
    loose_edges: Vec<Edge>,
    diagnostics: Vec<Diagnostic>,
    #[serde(default)]
    unresolved_paths: Vec<(u32, String, Option<SpanRow>)>,
    #[serde(default)]
    edge_cfgs: Vec<(u32, String)>,
}

/// An unresolved path: `(crate, path, span)`.
type UnresolvedRow<'a> = (u32, &'a str, Option<SpanRow>);

/// The body's sections, in order: the small tables ([`MetaRef`]), node ids, node rows, the
/// edges (one flat array of numbers, [`EdgeRow`]), the exception store. Written as a first line holding their byte lengths and then
/// the number of edge rows (a JSON array of six numbers), then each section, a JSON
/// document, followed by a newline; so a reader finds them without scanning, decodes the big
/// ones in parallel and sizes its tables up front.
const SECTIONS: usize = 5;

/// Serialises `graph` as a graph-file body (see [`SECTIONS`]); the sections are serialised
/// in parallel.
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
    let mut ids = Vec::with_capacity(graph.nodes.len());
    let mut nodes: Vec<NodeRowRef<'_>> = Vec::with_capacity(graph.nodes.len());
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
        ids.push(&n.id);
        nodes.push((
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
    let mut edges: Vec<u32> = Vec::with_capacity(graph.edges.len() * EDGE_ROW_WIDTH);
    let mut loose_edges = Vec::new();
    let mut edge_cfgs = Vec::new();
    for e in &graph.edges {
        let (Some(&from), Some(&to)) = (index.get(&e.from), index.get(&e.to)) else {
            loose_edges.push(e);
            continue;
        };
        if let Some(cfg) = &e.cfg {
            edge_cfgs.push(((edges.len() / EDGE_ROW_WIDTH) as u32, &**cfg));
        }
        let (file, line, column, end_line) = match e.span.as_ref().map(|s| span_files.row(s)) {
            Some((file, line, column, end_line)) => (file + 1, line, column, end_line),
            None => (0, 0, 0, 0),
        };
        edges.extend_from_slice(&[
            from,
            to,
            u32::from(kind_code(e.kind, e.confidence)),
            file,
            line,
            column,
            end_line,
        ]);
    }
    let unresolved_paths = graph
        .unresolved_paths
        .iter()
        .map(|u| {
            (
                u.krate,
                u.path.as_str(),
                u.span.as_ref().map(|s| span_files.row(s)),
            )
        })
        .collect();
    let edge_rows = edges.len() / EDGE_ROW_WIDTH;
    let meta = MetaRef {
        crates: &graph.crates,
        files: &graph.files,
        loose_nodes,
        span_files: span_files.files,
        loose_edges,
        diagnostics: &graph.diagnostics,
        unresolved_paths,
        edge_cfgs,
    };
    let ((meta, ids), (nodes, (edges, exceptions))) = rayon::join(
        || (serde_json::to_vec(&meta), serde_json::to_vec(&ids)),
        || {
            rayon::join(
                || serde_json::to_vec(&nodes),
                || {
                    rayon::join(
                        || serde_json::to_vec(&edges),
                        || serde_json::to_vec(&graph.exceptions),
                    )
                },
            )
        },
    );
    let sections = [meta?, ids?, nodes?, edges?, exceptions?];
    let mut lengths: Vec<usize> = sections.iter().map(Vec::len).collect();
    lengths.push(edge_rows);
    let mut out = serde_json::to_vec(&lengths)?;
    out.push(b'\n');
    out.reserve(lengths.iter().map(|l| l + 1).sum());
    for s in &sections {
        out.extend_from_slice(s);
        out.push(b'\n');
    }
    Ok(out)
}

/// The sections of a body, checked against its first line's lengths, and the number of edge
/// rows that line gives.
fn sections(bytes: &[u8]) -> Result<([&[u8]; SECTIONS], usize), String> {
    let newline = bytes
        .iter()
        .position(|&b| b == b'\n')
        .ok_or("the section table is missing")?;
    let table: [usize; SECTIONS + 1] = serde_json::from_slice(&bytes[..newline])
        .map_err(|e| format!("the section table does not decode: {e}"))?;
    let (lengths, edge_rows) = (&table[..SECTIONS], table[SECTIONS]);
    let mut rest = &bytes[newline + 1..];
    let mut out = [&bytes[..0]; SECTIONS];
    for (slot, &len) in out.iter_mut().zip(lengths) {
        if rest.len() <= len || rest[len] != b'\n' {
            return Err("a section's length does not match the body".into());
        }
        *slot = &rest[..len];
        rest = &rest[len + 1..];
    }
    if !rest.is_empty() {
        return Err("bytes follow the last section".into());
    }
    Ok((out, edge_rows))
}

fn decode<T: serde::de::DeserializeOwned>(bytes: &[u8], what: &str) -> Result<T, String> {
    serde_json::from_slice(bytes).map_err(|e| format!("{what}: {e}"))
}

/// How a section's JSON array is cut into rows.
trait RowShape {
    /// One row.
    type Row;
    /// The shortest row, in bytes (so a forged row count cannot reserve more rows than the
    /// bytes could hold).
    const MIN_BYTES: usize;
    /// What the array holds, for error messages.
    const EXPECTING: &'static str;
    /// The next row of `seq`, `None` at the end.
    ///
    /// # Errors
    /// A decoding error, or an array that ends inside a row.
    fn next_row<'de, A: serde::de::SeqAccess<'de>>(
        seq: &mut A,
    ) -> Result<Option<Self::Row>, A::Error>;
}

/// Rows that are JSON values of type `R` (arrays in a fixed order: the node rows).
struct Elements<R>(std::marker::PhantomData<R>);

impl<R: serde::de::DeserializeOwned> RowShape for Elements<R> {
    type Row = R;
    const MIN_BYTES: usize = 8;
    const EXPECTING: &'static str = "an array of rows";

    fn next_row<'de, A: serde::de::SeqAccess<'de>>(seq: &mut A) -> Result<Option<R>, A::Error> {
        seq.next_element::<R>()
    }
}

/// Rows of `W` numbers run together in one flat array (the edges, [`EdgeRow`]).
struct Flat<const W: usize>;

impl<const W: usize> RowShape for Flat<W> {
    type Row = [u32; W];
    const MIN_BYTES: usize = 2 * W;
    const EXPECTING: &'static str = "an array of numbers, a fixed count to a row";

    fn next_row<'de, A: serde::de::SeqAccess<'de>>(
        seq: &mut A,
    ) -> Result<Option<[u32; W]>, A::Error> {
        use serde::de::Error;
        let Some(first) = seq.next_element::<u32>()? else {
            return Ok(None);
        };
        let mut row = [first; W];
        for slot in &mut row[1..] {
            *slot = seq
                .next_element::<u32>()?
                .ok_or_else(|| A::Error::custom("the last row is cut short"))?;
        }
        Ok(Some(row))
    }
}

/// Decodes `bytes`, one JSON array cut into rows as `S` says, turning each row into a `T` as
/// it is read (no table of rows in between) into a vector with room for `expected` rows made
/// up front (at most one per [`RowShape::MIN_BYTES`] bytes).
///
/// # Errors
/// The first decoding error, a row cut short, or the first error of `convert`, prefixed with
/// `what`.
fn decode_rows<S, T, F>(
    bytes: &[u8],
    what: &str,
    expected: usize,
    convert: F,
) -> Result<Vec<T>, String>
where
    S: RowShape,
    F: FnMut(S::Row) -> Result<T, String>,
{
    use serde::Deserializer as _;
    use serde::de::{Error, SeqAccess, Visitor};
    struct Rows<S, F> {
        capacity: usize,
        convert: F,
        shape: std::marker::PhantomData<S>,
    }
    impl<'de, S, T, F> Visitor<'de> for Rows<S, F>
    where
        S: RowShape,
        F: FnMut(S::Row) -> Result<T, String>,
    {
        type Value = Vec<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str(S::EXPECTING)
        }

        fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> Result<Vec<T>, A::Error> {
            let mut out = Vec::with_capacity(self.capacity);
            while let Some(row) = S::next_row(&mut seq)? {
                out.push((self.convert)(row).map_err(A::Error::custom)?);
            }
            Ok(out)
        }
    }
    let rows = Rows::<S, F> {
        capacity: expected.min(bytes.len() / S::MIN_BYTES + 1),
        convert,
        shape: std::marker::PhantomData,
    };
    let mut de = serde_json::Deserializer::from_slice(bytes);
    (&mut de)
        .deserialize_seq(rows)
        .and_then(|v| de.end().map(|()| v))
        .map_err(|e| format!("{what}: {e}"))
}

/// Decodes a graph-file body (see [`SECTIONS`]) and indexes the graph. The node rows, the
/// edge rows and the exception store are decoded in parallel.
///
/// # Errors
/// A body whose sections do not match their lengths or do not decode, or a row pointing
/// past the node or file tables.
pub fn from_slice(bytes: &[u8]) -> Result<Graph, String> {
    let ([meta, ids, nodes, edges, exceptions], edge_rows) = sections(bytes)?;
    let (meta, ids) = rayon::join(
        || decode::<Meta>(meta, "the tables"),
        || decode::<Vec<NodeId>>(ids, "the node ids"),
    );
    let (meta, ids) = (meta?, ids?);
    let span_files: Vec<Arc<str>> = meta
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
    let node_id = |i: u32| ids.get(i as usize).copied();
    let (nodes, (edges, exceptions)) = rayon::join(
        || -> Result<Vec<Node>, String> {
            let mut ids_in_order = ids.iter();
            let mut nodes =
                decode_rows::<Elements<NodeRow>, _, _>(nodes, "the node rows", ids.len(), |row| {
                    let (
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
                    let id = *ids_in_order
                        .next()
                        .ok_or("the node rows and ids differ in number")?;
                    let parent = match parent {
                        Some(p) => {
                            Some(node_id(p).ok_or("a node's parent points past the node table")?)
                        }
                        None => None,
                    };
                    let name = name.unwrap_or_else(|| last_segment(&path).to_string());
                    Ok(Node {
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
                    })
                })?;
            if nodes.len() != ids.len() {
                return Err("the node rows and ids differ in number".into());
            }
            nodes.reserve_exact(meta.loose_nodes.len());
            Ok(nodes)
        },
        || {
            rayon::join(
                || -> Result<EdgesWithEnds, String> {
                    let mut ends = Vec::with_capacity(edge_rows.min(edges.len() / 8 + 1));
                    let convert = |[from, to, code, file, line, column, end_line]: EdgeRow| {
                        let at = file
                            .checked_sub(1)
                            .map(|file| (file, line, column, end_line));
                        let (Some(&kind), Some(&confidence)) = (
                            KINDS.get((code / 3) as usize),
                            CONFIDENCES.get((code % 3) as usize),
                        ) else {
                            return Err(format!("an edge has an unknown kind code {code}"));
                        };
                        let (Some(from_id), Some(to_id)) = (node_id(from), node_id(to)) else {
                            return Err("an edge points past the node table".into());
                        };
                        ends.push((from, to));
                        Ok(Edge {
                            from: from_id,
                            to: to_id,
                            kind,
                            confidence,
                            span: span(at)?,
                            cfg: None,
                        })
                    };
                    let mut edges = decode_rows::<Flat<EDGE_ROW_WIDTH>, _, _>(
                        edges,
                        "the edge rows",
                        edge_rows,
                        convert,
                    )?;
                    edges.reserve_exact(meta.loose_edges.len());
                    Ok((edges, ends))
                },
                || decode::<ExceptionStore>(exceptions, "the exceptions"),
            )
        },
    );
    let (mut nodes, (mut edges, row_ends), exceptions) = (nodes?, edges?, exceptions?);
    for (row, cfg) in meta.edge_cfgs {
        let edge = edges
            .get_mut(row as usize)
            .ok_or("an edge's cfg points past the edge rows")?;
        edge.cfg = Some(Arc::from(cfg));
    }
    nodes.extend(meta.loose_nodes);
    edges.extend(meta.loose_edges);
    // The rows name their ends by index; only the loose edges after them are looked up.
    let mut graph = Graph::with_edge_ends(
        meta.crates,
        meta.files,
        nodes,
        edges,
        meta.diagnostics,
        &row_ends,
    );
    graph.exceptions = exceptions;
    graph.unresolved_paths = meta
        .unresolved_paths
        .into_iter()
        .map(|(krate, path, at)| {
            Ok(UnresolvedPath {
                krate,
                path,
                span: span(at)?,
            })
        })
        .collect::<Result<_, String>>()?;
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
              pub fn run(a: &A) -> u32 { #[cfg(unix)] helper(); a.hi() + twice() }\n\
              fn helper() -> u32 { 2 }\n\
              fn twice() -> u32 { 4 }\n"
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
        assert_eq!(g.edges.iter().filter(|e| e.cfg.is_some()).count(), 1);
        let back = from_slice(&to_vec(&g).unwrap()).unwrap();
        assert_eq!(
            serde_json::to_value(&back.nodes).unwrap(),
            serde_json::to_value(&g.nodes).unwrap()
        );
        assert_eq!(back.edges, g.edges);
        assert_eq!(back.exceptions.len(), g.exceptions.len());
    }

    /// The sections of `body` as JSON values.
    fn split(body: &[u8]) -> Vec<serde_json::Value> {
        sections(body)
            .unwrap()
            .0
            .iter()
            .map(|s| serde_json::from_slice(s).unwrap())
            .collect()
    }

    /// A body made of `sections`.
    fn join(sections: &[serde_json::Value]) -> Vec<u8> {
        let bytes: Vec<Vec<u8>> = sections
            .iter()
            .map(|s| serde_json::to_vec(s).unwrap())
            .collect();
        let mut lengths: Vec<usize> = bytes.iter().map(Vec::len).collect();
        lengths.push(sections[3].as_array().map_or(0, Vec::len) / EDGE_ROW_WIDTH);
        let mut out = serde_json::to_vec(&lengths).unwrap();
        out.push(b'\n');
        for b in bytes {
            out.extend(b);
            out.push(b'\n');
        }
        out
    }

    #[test]
    fn rows_pointing_nowhere_are_errors_not_panics() {
        let g = linked();
        let body = split(&to_vec(&g).unwrap());
        assert_eq!(from_slice(&join(&body)).unwrap().nodes.len(), g.nodes.len());
        let forge = |section: usize, row: usize, field: usize, value| {
            let mut b = body.clone();
            if section == EDGES {
                b[section][row * EDGE_ROW_WIDTH + field] = serde_json::json!(value);
            } else {
                b[section][row][field] = serde_json::json!(value);
            }
            from_slice(&join(&b))
        };
        const NODES: usize = 2;
        const EDGES: usize = 3;
        assert!(forge(EDGES, 0, 2, 99).unwrap_err().contains("kind code"));
        assert!(
            forge(EDGES, 0, 1, 99_999)
                .unwrap_err()
                .contains("node table")
        );
        assert!(
            forge(EDGES, 1, 3, 99_999)
                .unwrap_err()
                .contains("file table")
        );
        assert!(forge(NODES, 1, 9, 99_999).unwrap_err().contains("parent"));
        // An edge array whose last row is cut short.
        let mut b = body.clone();
        b[EDGES].as_array_mut().unwrap().pop();
        assert!(from_slice(&join(&b)).unwrap_err().contains("cut short"));
        let mut b = body.clone();
        b[0]["span_files"] = serde_json::json!([]);
        assert!(from_slice(&join(&b)).is_err());
        let mut b = body.clone();
        b[1].as_array_mut().unwrap().pop();
        assert!(from_slice(&join(&b)).unwrap_err().contains("in number"));
    }

    #[test]
    fn sections_that_do_not_match_their_lengths_are_errors_not_panics() {
        let body = to_vec(&linked()).unwrap();
        let newline = body.iter().position(|&b| b == b'\n').unwrap();
        for cut in [0, 1, newline, newline + 1, body.len() / 2, body.len() - 1] {
            assert!(from_slice(&body[..cut]).is_err(), "cut at {cut}");
        }
        let mut longer = body.clone();
        longer.extend_from_slice(b"{}\n");
        assert!(from_slice(&longer).unwrap_err().contains("follow"));
        let mut table = b"[1,2,3,4,99999999999,0]".to_vec();
        table.extend_from_slice(&body[newline..]);
        assert!(from_slice(&table).is_err());
        assert!(from_slice(b"[1,1,1,1,1,1]\n").is_err());
        // A forged row count reserves no more than the rows' bytes could hold.
        let mut forged = split(&body);
        forged[3] = serde_json::json!([]);
        // The cfg of an edge row that is not there is an error, then left out.
        assert!(
            from_slice(&join(&forged))
                .unwrap_err()
                .contains("edge's cfg")
        );
        forged[0]["edge_cfgs"] = serde_json::json!([]);
        let mut bytes = join(&forged);
        let newline = bytes.iter().position(|&b| b == b'\n').unwrap();
        let table: Vec<usize> = serde_json::from_slice(&bytes[..newline]).unwrap();
        let mut table_text = serde_json::to_vec(&table[..SECTIONS]).unwrap();
        table_text.pop();
        table_text.extend_from_slice(b",18446744073709551615]");
        bytes.splice(..newline, table_text);
        assert_eq!(from_slice(&bytes).unwrap().edges.len(), 0);
    }
}
