//! The Interface Signature Graph (ISG): items as nodes, typed and weighted edges between them.
//!
//! The graph is plain data: building it is [`build`]'s job, storing it the
//! [`cache`](crate::cache)'s, and answering questions the [`query`](crate::query) modules'.
//! Node and edge order is deterministic for a given workspace (files in path order, items in
//! source order), so two builds of the same tree serialise to the same bytes.

pub mod build;
mod detect_input;
pub(crate) mod externals;
mod id;
mod method;
pub mod resolve;

pub use id::NodeId;

use crate::diagnostics::Diagnostic;
use crate::exceptions::ExceptionStore;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::sync::Arc;

/// What kind of item a node stands for.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum NodeKind {
    /// A module: a crate root, `mod x;` or `mod x { … }`.
    Module,
    /// A free function.
    Fn,
    /// A struct.
    Struct,
    /// An enum.
    Enum,
    /// A union.
    Union,
    /// A trait.
    Trait,
    /// An impl block, inherent or of a trait (a `#[derive]` yields a derived impl node).
    Impl,
    /// A type alias `type X = …;`.
    TypeAlias,
    /// A `const` item.
    Const,
    /// A `static` item.
    Static,
    /// A `macro_rules!` definition.
    Macro,
    /// An associated function or method of an impl or a trait.
    Method,
    /// An associated const of an impl or a trait.
    AssocConst,
    /// An associated type of an impl or a trait.
    AssocType,
    /// An item outside the workspace (std, a dependency) known only by its path.
    External,
}

impl NodeKind {
    /// The snake_case name used in ids, JSON and human output.
    pub fn as_str(self) -> &'static str {
        match self {
            NodeKind::Module => "module",
            NodeKind::Fn => "fn",
            NodeKind::Struct => "struct",
            NodeKind::Enum => "enum",
            NodeKind::Union => "union",
            NodeKind::Trait => "trait",
            NodeKind::Impl => "impl",
            NodeKind::TypeAlias => "type_alias",
            NodeKind::Const => "const",
            NodeKind::Static => "static",
            NodeKind::Macro => "macro",
            NodeKind::Method => "method",
            NodeKind::AssocConst => "assoc_const",
            NodeKind::AssocType => "assoc_type",
            NodeKind::External => "external",
        }
    }

    /// True for kinds that name a type (struct, enum, union, type alias, trait).
    pub fn is_type(self) -> bool {
        matches!(
            self,
            NodeKind::Struct
                | NodeKind::Enum
                | NodeKind::Union
                | NodeKind::TypeAlias
                | NodeKind::Trait
        )
    }
}

/// Declared visibility of an item, as written. The default is [`Visibility::Private`]
/// (what no modifier means), which the facts cache leaves out.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Visibility {
    /// `pub`
    Public,
    /// `pub(crate)`
    Crate,
    /// `pub(super)`
    Super,
    /// `pub(in path)`; the string is the path as written.
    InPath(String),
    /// No modifier (or `pub(self)`): private to the enclosing module.
    #[default]
    Private,
}

impl Visibility {
    /// Whether this is [`Visibility::Private`].
    pub fn is_private(&self) -> bool {
        matches!(self, Visibility::Private)
    }
}

impl Visibility {
    /// Rendered as Rust source (`pub(crate)`), empty for private.
    pub fn render(&self) -> String {
        match self {
            Visibility::Public => "pub".into(),
            Visibility::Crate => "pub(crate)".into(),
            Visibility::Super => "pub(super)".into(),
            Visibility::InPath(p) => format!("pub(in {p})"),
            Visibility::Private => String::new(),
        }
    }
}

/// A source location. `file` is relative to the workspace root with `/` separators (shared:
/// the spans of one file hold one allocation); `line`
/// and `end_line` are 1-based, `column` is 1-based in characters (syn reports 0-based columns,
/// we add one, as rustc's diagnostics do).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Span {
    /// Path relative to the workspace root.
    pub file: std::sync::Arc<str>,
    /// 1-based first line.
    pub line: u32,
    /// 1-based column of the first character.
    pub column: u32,
    /// 1-based last line (equal to `line` for one-line spans).
    pub end_line: u32,
}

impl std::fmt::Display for Span {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One item of the workspace, or an external item it refers to.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Node {
    /// Stable id, see [`NodeId`].
    pub id: NodeId,
    /// Item kind.
    pub kind: NodeKind,
    /// Fully qualified path: `my_crate::net::Config`, `my_crate::net::Config::new`,
    /// `my_crate::net::impl Display for Config`; external nodes use the canonical path
    /// (`core::clone::Clone`, `serde::Serialize`).
    pub path: String,
    /// The item's own name (`Config`, `new`; for impls the rendered header).
    pub name: String,
    /// Index into [`Graph::crates`]; `None` for external nodes.
    pub krate: Option<u32>,
    /// Pretty-printed signature (prettyplease), attributes and bodies removed.
    pub signature: String,
    /// Declared visibility.
    pub visibility: Visibility,
    /// First line of the doc comment, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub doc: Option<String>,
    /// The `#[cfg(…)]` predicate(s) on the item, joined with `all(…)` when several.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cfg: Option<String>,
    /// Where the item is defined; `None` for external nodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The impl or trait an associated item belongs to, the module of other items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<NodeId>,
    /// Flags: trait item with a default, derived impl, external trait.
    #[serde(default, skip_serializing_if = "NodeFlags::is_empty")]
    pub flags: NodeFlags,
    /// For items a `macro_rules!` call produced: the macro written at the call site
    /// (`all_the_tuples!`); `span` is then the call site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub generated_by: Option<String>,
}

/// Boolean facts about a node.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct NodeFlags {
    /// A trait item that provides a default (method body, const value or type).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub has_default: bool,
    /// An impl produced by `#[derive(…)]`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub derived: bool,
    /// An external node used as a trait (implemented, derived, bound or supertrait).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_trait: bool,
    /// A test function ([`ItemFacts::is_test`](crate::parse::facts::ItemFacts::is_test)).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub is_test: bool,
}

impl NodeFlags {
    fn is_empty(&self) -> bool {
        *self == NodeFlags::default()
    }
}

/// Edge kinds of the ISG.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// Module → item, impl/trait → associated item.
    Contains,
    /// Impl → trait it implements.
    Implements,
    /// Trait → supertrait; impl → a default item of its trait that it does not override.
    Inherits,
    /// Function or method → function or method it calls.
    Calls,
    /// Item → type, const, static or other item it names (signature, fields, body, bounds,
    /// `use` declarations of a module).
    Uses,
}

impl EdgeKind {
    /// The snake_case name used in JSON and human output.
    pub fn as_str(self) -> &'static str {
        match self {
            EdgeKind::Contains => "contains",
            EdgeKind::Implements => "implements",
            EdgeKind::Inherits => "inherits",
            EdgeKind::Calls => "calls",
            EdgeKind::Uses => "uses",
        }
    }
}

/// How sure the resolver is that an edge points at the right target.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
pub enum Confidence {
    /// A name-only guess (method call on a receiver of unknown type).
    Low,
    /// Resolved through a glob import, the prelude or a trait impl lookup; or a method call
    /// on a receiver of unknown type whose name only one workspace method the calling crate
    /// can reach has, no std method has, and no outside trait declares.
    Medium,
    /// Resolved exactly through the module scopes.
    High,
}

/// A directed, typed edge.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Edge {
    /// Source node.
    pub from: NodeId,
    /// Target node.
    pub to: NodeId,
    /// Edge kind.
    pub kind: EdgeKind,
    /// Resolver confidence.
    pub confidence: Confidence,
    /// Where the reference is written (for `Contains`, the child's span).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
    /// The cfg predicate the reference is written under inside its item's body (a `calls`
    /// or `uses` edge from `#[cfg(target_os = "freebsd")] { … }`): a configuration where it
    /// does not hold drops the edge ([`crate::cfg::restrict`]). `None`: as the item.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cfg: Option<Arc<str>>,
}

/// A reference whose path resolved to nothing: an item this tool does not see (a dependency's
/// item through a path it cannot follow, an item a proc macro or a build script generates).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnresolvedPath {
    /// Index into [`Graph::crates`] of the crate the reference is written in.
    pub krate: u32,
    /// The path as written, segments joined by `::` (`crate::__private::de`).
    pub path: String,
    /// Where it is written (1-based line and column).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub span: Option<Span>,
}

/// One compilation unit: a target of a workspace package.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CrateInfo {
    /// Crate name as used in paths (`regex_syntax`).
    pub name: String,
    /// Package name (`regex-syntax`).
    pub package: String,
    /// Target kind: `lib`, `bin`, `test`, `bench`, `example` or `build-script`.
    pub target_kind: String,
    /// Target name as cargo reports it.
    pub target_name: String,
    /// Root file, relative to the workspace root.
    pub root_file: String,
}

impl CrateInfo {
    /// The key hashed into node ids: `package:target_kind:target_name`.
    pub fn key(&self) -> String {
        format!("{}:{}:{}", self.package, self.target_kind, self.target_name)
    }
}

/// A source file read during the build. Nothing here depends on the file's bytes beyond its
/// facts (its length and hash live in the cache index), so an edit that leaves a file's
/// facts as they were leaves the graph as it was.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRecord {
    /// Path relative to the workspace root.
    pub path: String,
    /// Whether the file parsed; a failed file contributes no items unless `stale`.
    pub parsed: bool,
    /// The file does not parse now and its items are its last good facts (an earlier
    /// content that parsed): answers using them may be out of date.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub stale: bool,
}

/// The whole graph with its indexes. Indexes are rebuilt by [`Graph::index`] after loading.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Graph {
    /// Crates (targets) in the workspace.
    pub crates: Vec<CrateInfo>,
    /// Source files read, in path order.
    pub files: Vec<FileRecord>,
    /// Nodes: workspace items in file and source order, then external nodes by path.
    pub nodes: Vec<Node>,
    /// Edges, sorted by (from, kind, to).
    pub edges: Vec<Edge>,
    /// Non-fatal problems met while building.
    pub diagnostics: Vec<Diagnostic>,
    /// Where the workspace overrides what it inherits (trait defaults, shadowing, lint
    /// levels), detected during the build.
    #[serde(default)]
    pub exceptions: ExceptionStore,
    /// References (calls and uses) whose path resolved to nothing, in module order; those
    /// starting at a generic parameter, `Self` or a primitive type are left out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unresolved_paths: Vec<UnresolvedPath>,
    #[serde(skip)]
    by_id: HashMap<NodeId, usize, id::BuildIdHasher>,
    /// Edges whose `from` or `to` is not a node of the graph (found by [`Graph::index`]).
    #[serde(skip)]
    edges_joining_missing_nodes: usize,
    /// Edges leaving each node, by node index (see [`Adjacency`]).
    #[serde(skip)]
    outgoing: Adjacency,
    /// Edges entering each node, by node index.
    #[serde(skip)]
    incoming: Adjacency,
}

impl Graph {
    /// Builds a graph from its parts and indexes it.
    pub fn new(
        crates: Vec<CrateInfo>,
        files: Vec<FileRecord>,
        nodes: Vec<Node>,
        edges: Vec<Edge>,
        diagnostics: Vec<Diagnostic>,
    ) -> Graph {
        Graph::with_edge_ends(crates, files, nodes, edges, diagnostics, &[])
    }

    /// (Re)builds the id map and adjacency lists. Call after deserialising.
    pub fn index(&mut self) {
        self.index_with_ends(&[]);
    }

    /// Builds a graph from its parts and indexes it, where `known_ends[e]` gives the node
    /// indexes (from, to) of edge `e` for the first `known_ends.len()` edges (a graph file's
    /// rows name their endpoints by index), so those edges are not looked up by id.
    ///
    /// # Panics
    /// Never: an end past the node table counts as a missing node, which
    /// [`Graph::validate`] reports.
    pub(crate) fn with_edge_ends(
        crates: Vec<CrateInfo>,
        files: Vec<FileRecord>,
        nodes: Vec<Node>,
        edges: Vec<Edge>,
        diagnostics: Vec<Diagnostic>,
        known_ends: &[(u32, u32)],
    ) -> Graph {
        let mut graph = Graph {
            crates,
            files,
            nodes,
            edges,
            diagnostics,
            ..Graph::default()
        };
        graph.index_with_ends(known_ends);
        graph
    }

    /// [`Graph::index`], taking the ends of the first `known_ends.len()` edges as given.
    fn index_with_ends(&mut self, known_ends: &[(u32, u32)]) {
        self.by_id = self
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.id, i))
            .collect();
        let n = self.nodes.len();
        let ends: Vec<Option<(usize, usize)>> = self
            .edges
            .iter()
            .enumerate()
            .map(|(i, e)| match known_ends.get(i) {
                Some(&(from, to)) => {
                    Some((from as usize, to as usize)).filter(|&(f, t)| f < n && t < n)
                }
                None => Some((*self.by_id.get(&e.from)?, *self.by_id.get(&e.to)?)),
            })
            .collect();
        self.edges_joining_missing_nodes = ends.iter().filter(|e| e.is_none()).count();
        self.outgoing = Adjacency::new(n, ends.iter().map(|e| e.map(|(f, _)| f)));
        self.incoming = Adjacency::new(n, ends.iter().map(|e| e.map(|(_, t)| t)));
    }

    /// Checks a graph read from a snapshot (someone else's bytes when a CI cache is
    /// restored: the checksum detects damage, not forgery): file paths relative, without
    /// `..`, and unique; every node's crate index in range, its span in an indexed file, its
    /// parent present; no duplicate node ids; every edge between present nodes; the
    /// per-crate tables as long as the crate list. Call after [`Graph::index`].
    ///
    /// # Errors
    /// The first violation, for a warning before the graph is rebuilt.
    pub fn validate(&self) -> Result<(), String> {
        self.validate_with(&[])
    }

    /// [`Graph::validate`], accepting file paths under `outside` (the directories of crate
    /// roots cargo placed outside the workspace root; see [`crate::cache::is_indexable`]).
    ///
    /// # Errors
    /// The first violation.
    pub fn validate_with(&self, outside: &[String]) -> Result<(), String> {
        let mut files = std::collections::HashSet::new();
        for f in &self.files {
            if !crate::cache::is_indexable(&f.path, outside) {
                return Err(format!("bad file path {:?}", f.path));
            }
            if !files.insert(f.path.as_str()) {
                return Err(format!("duplicate file {:?}", f.path));
            }
        }
        if self.by_id.len() != self.nodes.len() {
            return Err("duplicate node ids".into());
        }
        // Nodes of one file share its name: checked once per run of nodes.
        let mut last_file_checked: Option<&Arc<str>> = None;
        for n in &self.nodes {
            if n.krate.is_some_and(|k| k as usize >= self.crates.len()) {
                return Err(format!("node {} names a crate out of range", n.path));
            }
            if let Some(span) = &n.span
                && !last_file_checked.is_some_and(|f| Arc::ptr_eq(f, &span.file))
            {
                if !files.contains(&*span.file) {
                    return Err(format!(
                        "node {} is in a file not indexed: {:?}",
                        n.path, span.file
                    ));
                }
                last_file_checked = Some(&span.file);
            }
            if n.parent.is_some_and(|p| !self.by_id.contains_key(&p)) {
                return Err(format!("node {} has a missing parent", n.path));
            }
        }
        // Found while indexing: an edge whose end is not a node of the graph.
        if self.edges_joining_missing_nodes > 0 {
            return Err(format!(
                "{} edge(s) join a missing node",
                self.edges_joining_missing_nodes
            ));
        }
        for u in &self.unresolved_paths {
            if u.krate as usize >= self.crates.len() {
                return Err(format!(
                    "unresolved path {} names a crate out of range",
                    u.path
                ));
            }
            if let Some(span) = &u.span
                && !files.contains(&*span.file)
            {
                return Err(format!(
                    "unresolved path {} is in a file not indexed: {:?}",
                    u.path, span.file
                ));
            }
        }
        Ok(())
    }

    /// Index of the node with this id.
    pub fn index_of(&self, id: NodeId) -> Option<usize> {
        self.by_id.get(&id).copied()
    }

    /// The node with this id.
    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.index_of(id).map(|i| &self.nodes[i])
    }

    /// Indexes into [`Graph::edges`] of the edges leaving node `index`.
    pub fn outgoing(&self, index: usize) -> &[usize] {
        self.outgoing.of(index)
    }

    /// Indexes into [`Graph::edges`] of the edges entering node `index`.
    pub fn incoming(&self, index: usize) -> &[usize] {
        self.incoming.of(index)
    }

    /// Indexes of the associated items of the impl or trait `id` (its `contains` children),
    /// in source order.
    pub fn associated_items(&self, id: NodeId) -> Vec<usize> {
        let Some(i) = self.index_of(id) else {
            return Vec::new();
        };
        self.outgoing(i)
            .iter()
            .map(|&e| &self.edges[e])
            .filter(|e| e.kind == EdgeKind::Contains)
            .filter_map(|e| self.index_of(e.to))
            .filter(|&c| self.nodes[c].parent == Some(id))
            .collect()
    }

    /// The crate a node belongs to.
    pub fn crate_of(&self, node: &Node) -> Option<&CrateInfo> {
        node.krate.map(|k| &self.crates[k as usize])
    }

    /// Paths of the files whose items are stale (last good facts of a file that does not
    /// parse now), in path order.
    pub fn stale_files(&self) -> Vec<&str> {
        self.files
            .iter()
            .filter(|f| f.stale)
            .map(|f| f.path.as_str())
            .collect()
    }

    /// True when some file failed to parse or read, so answers may be incomplete.
    pub fn is_partial(&self) -> bool {
        self.diagnostics.iter().any(|d| d.kind.makes_partial())
    }

    /// Adds edges (e.g. impl → inherited default item), keeping [`Graph::edges`] sorted by
    /// (from, kind, to) with one edge per triple, and re-indexes.
    pub fn add_edges(&mut self, edges: impl IntoIterator<Item = Edge>) {
        self.edges.extend(edges);
        sort_dedup_edges(&mut self.edges);
        self.index();
    }
}

/// Edge indexes grouped by node in one table (compressed rows): the edges of node `i` are
/// `edges[offsets[i]..offsets[i + 1]]`, in edge order. Two allocations for the whole graph
/// instead of two per node.
#[derive(Clone, Debug, Default)]
struct Adjacency {
    offsets: Vec<usize>,
    edges: Vec<usize>,
}

impl Adjacency {
    /// `ends[e]`: the node edge `e` is grouped under (`None`: under none).
    fn new(nodes: usize, ends: impl Iterator<Item = Option<usize>> + Clone) -> Adjacency {
        let mut offsets = vec![0usize; nodes + 1];
        for node in ends.clone().flatten() {
            offsets[node + 1] += 1;
        }
        for i in 0..nodes {
            offsets[i + 1] += offsets[i];
        }
        let mut next = offsets.clone();
        let mut edges = vec![0usize; offsets[nodes]];
        for (e, node) in ends.enumerate() {
            if let Some(node) = node {
                edges[next[node]] = e;
                next[node] += 1;
            }
        }
        Adjacency { offsets, edges }
    }

    /// The edges of node `index` (none past the table).
    fn of(&self, index: usize) -> &[usize] {
        match (self.offsets.get(index), self.offsets.get(index + 1)) {
            (Some(&a), Some(&b)) => &self.edges[a..b],
            _ => &[],
        }
    }
}

/// Sorts edges by (from, kind, to) and keeps one edge per triple: the most confident, then
/// the one written first.
pub(crate) fn sort_dedup_edges(edges: &mut Vec<Edge>) {
    use rayon::slice::ParallelSliceMut;
    // Stable like `sort_by`, so the order (and the kept duplicate) is the same.
    edges.par_sort_by(|a, b| {
        (
            a.from,
            a.kind,
            a.to,
            std::cmp::Reverse(a.confidence),
            &a.span,
        )
            .cmp(&(
                b.from,
                b.kind,
                b.to,
                std::cmp::Reverse(b.confidence),
                &b.span,
            ))
    });
    // The kept edge is under a cfg only when every duplicate is (then under any of theirs).
    edges.dedup_by(|later, kept| {
        let same = later.from == kept.from && later.kind == kept.kind && later.to == kept.to;
        if same {
            kept.cfg = match (kept.cfg.take(), later.cfg.take()) {
                (Some(a), Some(b)) if a == b => Some(a),
                (Some(a), Some(b)) => Some(Arc::from(format!("any({a}, {b})"))),
                _ => None,
            };
        }
        same
    });
}

#[cfg(test)]
impl Node {
    /// A public free function at `path` in crate `krate`, without span or doc, for tests.
    pub(crate) fn test_fn(path: &str, krate: Option<u32>) -> Node {
        Node {
            id: NodeId::new("test", path, "fn"),
            kind: NodeKind::Fn,
            path: path.to_string(),
            name: path.rsplit("::").next().unwrap_or(path).to_string(),
            krate,
            signature: String::new(),
            visibility: Visibility::Public,
            doc: None,
            cfg: None,
            span: None,
            parent: None,
            flags: NodeFlags::default(),
            generated_by: None,
        }
    }
}

#[cfg(test)]
mod tests;
