//! search: entities whose path matches a pattern.

use super::{NodeRef, Scope, glob_match};
use crate::graph::{Graph, NodeKind};
use serde::Serialize;

/// The answer to search.
#[derive(Clone, Debug, Serialize)]
pub struct SearchResults {
    /// The pattern as given.
    pub pattern: String,
    /// Matches sorted by path, at most `limit`.
    pub matches: Vec<NodeRef>,
    /// Matches left out by the limit.
    pub truncated: usize,
}

/// Nodes whose path matches `pattern`: a glob (`*`, `?`) against the whole path when it has
/// wildcards, else a case-insensitive substring. External nodes are included only with
/// `include_external`; `kind` narrows by node kind.
pub fn search(
    graph: &Graph,
    pattern: &str,
    kind: Option<NodeKind>,
    include_external: bool,
    scope: &Scope,
    limit: usize,
) -> SearchResults {
    let lower = pattern.to_lowercase();
    let wild = pattern.contains(['*', '?']);
    let mut matches: Vec<NodeRef> = graph
        .nodes
        .iter()
        .filter(|n| kind.is_none_or(|k| n.kind == k))
        .filter(|n| scope.contains(graph, n) || (include_external && n.kind == NodeKind::External))
        .filter(|n| {
            if wild {
                glob_match(pattern, &n.path)
            } else {
                n.path.to_lowercase().contains(&lower)
            }
        })
        .map(|n| NodeRef::new(graph, n))
        .collect();
    matches.sort_by(|a, b| (&a.path, &a.file, a.line).cmp(&(&b.path, &b.file, b.line)));
    let truncated = matches.len().saturating_sub(limit);
    matches.truncate(limit);
    SearchResults {
        pattern: pattern.to_string(),
        matches,
        truncated,
    }
}
