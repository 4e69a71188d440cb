//! Queries over the graph. Each query is a function from the graph and its arguments to a
//! plain result struct (serialisable, public fields); printing is the CLI's job.

pub mod blast_radius;
pub mod context;
pub mod coverage;
pub mod cycles;
pub mod exceptions;
pub mod impact;
pub mod implements;
pub mod neighbourhood;
pub mod resolve;
pub mod search;
pub mod stats;

use crate::error::{Error, Result};
use crate::graph::{Confidence, Graph, Node, NodeKind};
use serde::Serialize;

/// How many edges of each resolver confidence an answer relied on: an answer built on
/// `low` edges (name-only guesses) deserves a second look.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ConfidenceCounts {
    /// Edges resolved exactly through module scopes.
    pub high: usize,
    /// Edges resolved through a glob, the prelude or a trait impl lookup.
    pub medium: usize,
    /// Name-only guesses.
    pub low: usize,
}

impl ConfidenceCounts {
    /// Counts `confidences`.
    pub fn of(confidences: impl IntoIterator<Item = Confidence>) -> ConfidenceCounts {
        let mut c = ConfidenceCounts::default();
        for x in confidences {
            match x {
                Confidence::High => c.high += 1,
                Confidence::Medium => c.medium += 1,
                Confidence::Low => c.low += 1,
            }
        }
        c
    }

    /// All edges counted.
    pub fn total(&self) -> usize {
        self.high + self.medium + self.low
    }
}

impl std::fmt::Display for ConfidenceCounts {
    /// `relied on 12 edges: 10 high, 2 medium, 0 low`
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "relied on {} edge{}: {} high, {} medium, {} low",
            self.total(),
            if self.total() == 1 { "" } else { "s" },
            self.high,
            self.medium,
            self.low
        )
    }
}

/// A node as shown in results.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeRef {
    /// Fully qualified path.
    pub path: String,
    /// Node kind (snake_case).
    pub kind: NodeKind,
    /// File relative to the workspace root; `None` for external nodes.
    pub file: Option<String>,
    /// 1-based line; `None` for external nodes.
    pub line: Option<u32>,
    /// Package of the crate the node belongs to.
    pub package: Option<String>,
    /// Target kind of that crate (`lib`, `bin`, `test`, …).
    pub target: Option<String>,
    /// When the item is declared several times under different `#[cfg]`s (one per
    /// platform, say), the distinct conditions of the declarations, in source order (`unix`,
    /// `windows`); the row stands for all of them. Empty for an item declared once, or
    /// whose copies differ only in their modules' cfgs (a module declared once per cfg).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cfg_variants: Vec<String>,
}

impl NodeRef {
    /// Describes `node` of `graph`.
    pub fn new(graph: &Graph, node: &Node) -> NodeRef {
        let krate = graph.crate_of(node);
        NodeRef {
            path: node.path.clone(),
            kind: node.kind,
            file: node.span.as_ref().map(|s| s.file.to_string()),
            line: node.span.as_ref().map(|s| s.line),
            package: krate.map(|c| c.package.clone()),
            target: krate.map(|c| c.target_kind.clone()),
            cfg_variants: Vec::new(),
        }
    }

    /// Describes the item whose cfg variants are the nodes `variants` (indexes into
    /// `graph.nodes`, the first shown): its location is the first's, and
    /// [`NodeRef::cfg_variants`] lists each one's condition when there are several.
    ///
    /// # Panics
    /// When `variants` is empty.
    pub fn of_variants(graph: &Graph, variants: &[usize]) -> NodeRef {
        let mut r = NodeRef::new(graph, &graph.nodes[variants[0]]);
        if variants.len() > 1 {
            // Each declaration's own cfg; copies that differ only in their modules' cfgs (a
            // module declared once per cfg) add no condition of their own.
            let mut conditions: Vec<String> = Vec::new();
            for &i in variants {
                let c = graph.nodes[i]
                    .cfg
                    .clone()
                    .unwrap_or_else(|| "always".to_string());
                if !conditions.contains(&c) {
                    conditions.push(c);
                }
            }
            if conditions.len() > 1 {
                r.cfg_variants = conditions;
            }
        }
        r
    }

    /// ` cfg: unix | windows` for an item with several cfg variants, empty otherwise.
    pub fn variants_note(&self) -> String {
        if self.cfg_variants.is_empty() {
            String::new()
        } else {
            format!("  cfg: {}", self.cfg_variants.join(" | "))
        }
    }

    /// `file:line`, or `external` for nodes outside the workspace.
    pub fn location(&self) -> String {
        match (&self.file, self.line) {
            (Some(f), Some(l)) => format!("{f}:{l}"),
            _ => "external".to_string(),
        }
    }
}

/// How Rust names `node`: `<shapes::Square as shapes::Shape>::area` for an associated item
/// of a trait impl (whose graph path, `shapes::Square::area`, it shares with an inherent
/// method of the same name), the graph path otherwise.
pub fn qualified_path(graph: &Graph, node: &Node) -> String {
    let trait_path = node
        .parent
        .and_then(|p| graph.node(p))
        .filter(|p| p.kind == NodeKind::Impl)
        .and_then(|imp| {
            let i = graph.index_of(imp.id)?;
            graph.outgoing(i).iter().find_map(|&e| {
                let edge = &graph.edges[e];
                (edge.kind == crate::graph::EdgeKind::Implements)
                    .then(|| graph.node(edge.to))
                    .flatten()
                    .map(|t| t.path.clone())
            })
        });
    match (trait_path, node.path.rsplit_once("::")) {
        (Some(t), Some((self_path, name))) => format!("<{self_path} as {t}>::{name}"),
        _ => node.path.clone(),
    }
}

/// The key under which nodes are declarations of one item: path, kind, crate and, for an
/// associated item of an impl, the impl's path (its header). Two nodes share it when an item
/// is declared once per cfg (`#[cfg(unix)] fn f` and `#[cfg(windows)] fn f`, or the items of
/// one impl written once per cfg); the items of two trait impls for one type that share a
/// path (`NotNan::abs` of `impl Signed for NotNan` and of `impl Float for NotNan`) do not,
/// nor do two impls without a cfg that one module writes with one header (itertools'
/// `impl<I> LazyBuffer<I>` twice, with different bounds): such an impl is told apart by
/// `ordinal`, its entry in [`impl_ordinals`], which also pairs it with its copy in a cfg
/// variant of the module.
pub(crate) fn item_key<'g>(
    graph: &'g Graph,
    node: &'g Node,
    ordinal: Option<u32>,
) -> (&'g str, NodeKind, Option<u32>, Option<&'g str>, Option<u32>) {
    let impl_path = node
        .parent
        .and_then(|p| graph.node(p))
        .filter(|p| p.kind == NodeKind::Impl)
        .map(|p| p.path.as_str());
    (
        node.path.as_str(),
        node.kind,
        node.krate,
        impl_path,
        ordinal,
    )
}

/// Per node index: for a workspace impl without a cfg of its own, how many impls without a
/// cfg, of its path, its parent holds before it (node order, which is source order);
/// `None` for other nodes. An impl under a cfg may be a cfg variant of another
/// (`#[cfg(unix)] impl C for N` beside `#[cfg(windows)] impl C for N`); an impl without
/// one cannot be a variant of another in its module.
pub(crate) fn impl_ordinals(graph: &Graph) -> Vec<Option<u32>> {
    let mut before: std::collections::HashMap<(Option<crate::graph::NodeId>, &str), u32> =
        std::collections::HashMap::new();
    graph
        .nodes
        .iter()
        .map(|n| {
            (n.kind == NodeKind::Impl && n.cfg.is_none() && n.krate.is_some()).then(|| {
                let count = before.entry((n.parent, n.path.as_str())).or_insert(0);
                *count += 1;
                *count - 1
            })
        })
        .collect()
}

/// The cfg variants of the item at node index `i`: every workspace node with its path, kind
/// and crate, itself included, in node (source) order. An item declared once has one;
/// an external node is its own only variant.
pub fn variants_of(graph: &Graph, i: usize) -> Vec<usize> {
    let node = &graph.nodes[i];
    if node.krate.is_none() {
        return vec![i];
    }
    let ordinals = impl_ordinals(graph);
    let key = item_key(graph, node, ordinals[i]);
    (0..graph.nodes.len())
        .filter(|&j| item_key(graph, &graph.nodes[j], ordinals[j]) == key)
        .collect()
}

/// `nodes` (indexes into `graph.nodes`) grouped into items: the cfg variants of one item
/// form one group, groups in the order of their first member, members in the given order.
pub fn group_variants(graph: &Graph, nodes: impl IntoIterator<Item = usize>) -> Vec<Vec<usize>> {
    let ordinals = impl_ordinals(graph);
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut at: std::collections::HashMap<_, usize> = std::collections::HashMap::new();
    for i in nodes {
        let node = &graph.nodes[i];
        if node.krate.is_none() {
            groups.push(vec![i]);
            continue;
        }
        match at.entry(item_key(graph, node, ordinals[i])) {
            std::collections::hash_map::Entry::Occupied(g) => groups[*g.get()].push(i),
            std::collections::hash_map::Entry::Vacant(v) => {
                v.insert(groups.len());
                groups.push(vec![i]);
            }
        }
    }
    groups
}

/// Whether `path` is `name` or ends with `::name`.
fn path_matches(path: &str, name: &str) -> bool {
    path == name
        || (path.len() > name.len()
            && path.ends_with(name)
            && path[..path.len() - name.len()].ends_with("::"))
}

/// Finds the node named `name`: by full path, or by any unambiguous `::`-suffix
/// (`Config::new`). `accept` narrows the candidates (e.g. traits only).
///
/// # Errors
/// [`Error::Usage`] listing the candidates when the name is ambiguous, or near matches
/// when it is unknown.
pub fn find_entity(
    graph: &Graph,
    name: &str,
    what: &str,
    accept: impl Fn(&Node) -> bool,
) -> Result<usize> {
    let name = name.trim().trim_start_matches("::");
    let accepted: Vec<usize> = (0..graph.nodes.len())
        .filter(|&i| accept(&graph.nodes[i]))
        .collect();
    let exact: Vec<usize> = accepted
        .iter()
        .copied()
        .filter(|&i| graph.nodes[i].path == name)
        .collect();
    let mut candidates: Vec<usize> = if exact.is_empty() {
        accepted
            .iter()
            .copied()
            .filter(|&i| path_matches(&graph.nodes[i].path, name))
            .collect()
    } else {
        exact
    };
    // No item has that path: read it as users write it, std's name of a core or alloc item
    // (`std::fmt::Display`), or a path through public re-exports
    // (`tokio::runtime::Runtime` for `tokio::runtime::runtime::Runtime`).
    if candidates.is_empty() {
        let written = [
            Some(crate::graph::externals::canonical(name)),
            through_reexports(graph, name),
        ];
        for path in written.into_iter().flatten() {
            candidates = accepted
                .iter()
                .copied()
                .filter(|&i| graph.nodes[i].path == path)
                .collect();
            if !candidates.is_empty() {
                break;
            }
        }
    }
    // A workspace definition wins over an external node of the same name, and a name the
    // code uses without a path this tool resolved (a one-segment external stub) never wins.
    if candidates.iter().any(|&i| graph.nodes[i].krate.is_some()) {
        candidates.retain(|&i| graph.nodes[i].krate.is_some());
    }
    let stub = |i: &usize| graph.nodes[*i].krate.is_none() && !graph.nodes[*i].path.contains("::");
    if candidates.len() > 1 {
        candidates.retain(|i| !stub(i));
    }
    // The cfg variants of one item are one candidate (the first stands for them; queries
    // that walk from it take all of them through `variants_of`).
    if candidates.len() > 1 {
        candidates = group_variants(graph, candidates)
            .into_iter()
            .map(|g| g[0])
            .collect();
    }
    // The same item compiled into several targets (lib and bin): prefer the lib's.
    if candidates.len() > 1 {
        let first = &graph.nodes[candidates[0]];
        let same = candidates
            .iter()
            .all(|&i| graph.nodes[i].path == first.path && graph.nodes[i].kind == first.kind);
        if same
            && let Some(&lib) = candidates.iter().find(|&&i| {
                graph
                    .crate_of(&graph.nodes[i])
                    .is_some_and(|c| c.target_kind == "lib")
            })
        {
            candidates = vec![lib];
        }
    }
    match candidates.len() {
        1 => Ok(candidates[0]),
        0 => {
            let suggestions = near_matches(graph, name, &accepted);
            let hint = if suggestions.is_empty() {
                "; try `cargo parseltongue search` to browse".to_string()
            } else {
                format!("; did you mean: {}", suggestions.join(", "))
            };
            Err(Error::Usage(format!("no {what} named `{name}`{hint}")))
        }
        _ => {
            let mut lines: Vec<String> = candidates
                .iter()
                .map(|&i| {
                    let r = NodeRef::new(graph, &graph.nodes[i]);
                    format!("  {} ({}, {})", r.path, r.kind.as_str(), r.location())
                })
                .collect();
            lines.sort();
            lines.dedup();
            Err(Error::Usage(format!(
                "`{name}` is ambiguous; it matches {} {what}s, name one by a longer path:\n{}",
                candidates.len(),
                lines.join("\n")
            )))
        }
    }
}

/// The graph path of `name` read through re-exports: from the longest prefix that is a
/// module, each next segment is an item the module contains or re-exports (a `uses` edge
/// from the module, as `pub use` declarations make), then the rest as written.
fn through_reexports(graph: &Graph, name: &str) -> Option<String> {
    let segments: Vec<&str> = name.split("::").collect();
    for split in (1..segments.len()).rev() {
        let prefix = segments[..split].join("::");
        let Some(mut at) = (0..graph.nodes.len())
            .find(|&i| graph.nodes[i].kind == NodeKind::Module && graph.nodes[i].path == prefix)
        else {
            continue;
        };
        let mut resolved = true;
        for (k, segment) in segments[split..].iter().enumerate() {
            let next = graph.outgoing(at).iter().find_map(|&e| {
                let edge = &graph.edges[e];
                let to = graph.index_of(edge.to)?;
                let kind_ok = matches!(
                    edge.kind,
                    crate::graph::EdgeKind::Contains | crate::graph::EdgeKind::Uses
                );
                (kind_ok && graph.nodes[to].name == *segment && graph.nodes[to].krate.is_some())
                    .then_some(to)
            });
            match next {
                Some(n) => at = n,
                None if k > 0 => {
                    // Past the first re-exported item, the rest is its own path.
                    let rest = segments[split + k..].join("::");
                    return Some(format!("{}::{rest}", graph.nodes[at].path));
                }
                None => {
                    resolved = false;
                    break;
                }
            }
        }
        if resolved {
            return Some(graph.nodes[at].path.clone());
        }
    }
    None
}

fn near_matches(graph: &Graph, name: &str, pool: &[usize]) -> Vec<String> {
    let last = name.rsplit("::").next().unwrap_or(name).to_lowercase();
    let mut scored: Vec<(usize, &str)> = pool
        .iter()
        .filter_map(|&i| {
            let n = &graph.nodes[i];
            let cand = n.name.to_lowercase();
            let d = edit_distance(&last, &cand);
            let close = d <= 2.max(last.len() / 4) || (last.len() >= 3 && cand.contains(&last));
            close.then_some((d, n.path.as_str()))
        })
        .collect();
    scored.sort();
    let mut out: Vec<String> = Vec::new();
    for (_, p) in scored {
        if !out.iter().any(|o| o == p) {
            out.push(p.to_string());
        }
        if out.len() == 5 {
            break;
        }
    }
    out
}

/// Levenshtein distance over chars.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            cur[j + 1] = (prev[j] + usize::from(ca != *cb))
                .min(prev[j + 1] + 1)
                .min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

/// Shell-style glob: `*` any run of characters, `?` one character; everything else literal.
pub fn glob_match(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let (mut star, mut mark) = (None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while pi < p.len() && p[pi] == '*' {
        pi += 1;
    }
    pi == p.len()
}

/// Which nodes a result may show: those of the selected packages (`None`: all), outside
/// the excluded paths.
#[derive(Clone, Debug, Default)]
pub struct Scope {
    /// Selected package names.
    pub packages: Option<Vec<String>>,
    /// Globs (`*`, `?`) over workspace-relative, `/`-separated file paths whose items are
    /// left out (`exclude-paths` of the repository's configuration).
    pub exclude_paths: Vec<String>,
}

impl Scope {
    /// Whether `node` belongs to a selected package (external nodes never do) and is not
    /// defined in an excluded file.
    pub fn contains(&self, graph: &Graph, node: &Node) -> bool {
        let selected = match (&self.packages, graph.crate_of(node)) {
            (_, None) => false,
            (None, Some(_)) => true,
            (Some(p), Some(c)) => p.contains(&c.package),
        };
        selected
            && (self.exclude_paths.is_empty()
                || node
                    .span
                    .as_ref()
                    .is_none_or(|s| !self.exclude_paths.iter().any(|g| glob_match(g, &s.file))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn glob_and_suffix_matching() {
        assert!(glob_match("regex-*", "regex-syntax"));
        assert!(glob_match("*Config*", "demo::net::Config::new"));
        assert!(!glob_match("Config", "demo::Config"));
        assert!(path_matches("demo::net::Config", "net::Config"));
        assert!(!path_matches("demo::net::MyConfig", "Config"));
        assert_eq!(edit_distance("Handlr", "Handler"), 1);
    }

    /// The node indexes of `g` with path `path`.
    fn at(g: &Graph, path: &str) -> Vec<usize> {
        (0..g.nodes.len())
            .filter(|&i| g.nodes[i].path == path)
            .collect()
    }

    /// The graph of crate `demo` whose `src/` holds `files` (name, text).
    fn demo(files: &[(&str, &str)]) -> Graph {
        let mut source = crate::source::MemorySource::default();
        for (name, text) in files {
            source
                .files
                .insert(format!("/w/src/{name}").into(), text.as_bytes().to_vec());
        }
        let root = std::path::Path::new("/w");
        let input = crate::graph::build::CrateInput::standalone(
            "demo",
            "demo",
            "lib",
            root,
            &root.join("src/lib.rs"),
        );
        crate::graph::build::build(&source, root, &[input]).graph
    }

    #[test]
    fn items_of_two_trait_impls_sharing_a_path_are_two_rows_and_cfg_variants_one() {
        // ordered-float's `NotNan::abs` of `impl Signed for NotNan` and of `impl Float for
        // NotNan`: two items; `impl C for N` written once per platform: one.
        let g = demo(&[(
            "lib.rs",
            "pub struct N;\n\
             pub trait A { fn abs(&self); }\n\
             pub trait B { fn abs(&self); }\n\
             pub trait C { fn c(&self); }\n\
             impl A for N { fn abs(&self) {} }\n\
             impl B for N { fn abs(&self) {} }\n\
             #[cfg(unix)] impl C for N { fn c(&self) {} }\n\
             #[cfg(windows)] impl C for N { fn c(&self) {} }\n",
        )]);
        let at = |path: &str| at(&g, path);
        let abs = at("demo::N::abs");
        assert_eq!(abs.len(), 2);
        assert_eq!(group_variants(&g, abs.clone()).len(), 2);
        assert_eq!(variants_of(&g, abs[0]), vec![abs[0]]);
        let c = at("demo::N::c");
        assert_eq!(c.len(), 2);
        assert_eq!(group_variants(&g, c.clone()).len(), 1);
        assert_eq!(variants_of(&g, c[0]), c);
    }

    #[test]
    fn two_impls_of_one_header_in_a_module_are_two_items_and_their_copies_in_a_module_twin_pair() {
        // itertools' `impl<I> LazyBuffer<I>` written twice with different bounds: two
        // items, each a dependent of `LazyBuffer` of its own. The same file reached as two
        // cfg variants of a module: each impl pairs with its copy.
        let g = demo(&[
            (
                "lib.rs",
                "pub struct L<I>(I);\n\
                 impl<I> L<I> { pub fn a(&self) {} }\n\
                 impl<I: Clone> L<I> { pub fn b(&self) {} }\n\
                 #[cfg(unix)] #[path = \"shared.rs\"] mod sys;\n\
                 #[cfg(not(unix))] #[path = \"shared.rs\"] mod sys;\n",
            ),
            (
                "shared.rs",
                "pub struct S;\nimpl S { pub fn c(&self) {} }\nimpl S { pub fn d(&self) {} }\n",
            ),
        ]);
        let at = |path: &str| at(&g, path);
        let l = at("demo::impl L<I>");
        assert_eq!(l.len(), 2);
        assert_eq!(group_variants(&g, l.clone()).len(), 2);
        assert_eq!(variants_of(&g, l[1]), vec![l[1]]);
        let s = at("demo::sys::impl S");
        assert_eq!(s.len(), 4, "{s:?}");
        let groups = group_variants(&g, s.clone());
        assert_eq!(groups.len(), 2, "{groups:?}");
        for group in groups {
            let lines: Vec<u32> = group
                .iter()
                .map(|&i| g.nodes[i].span.as_ref().unwrap().line)
                .collect();
            assert_eq!(group.len(), 2);
            assert_eq!(lines[0], lines[1], "an impl pairs with its copy");
        }
    }
}
