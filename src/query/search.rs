//! search: entities whose path matches a pattern, best matches first.

use super::{NodeRef, Scope, glob_match, group_variants};
use crate::graph::{Graph, Node, NodeKind};
use serde::Serialize;

/// The answer to search.
#[derive(Clone, Debug, Serialize)]
pub struct SearchResults {
    /// The pattern as given.
    pub pattern: String,
    /// Matches, best first (see [`search`]), one per item (cfg variants are one match), at
    /// most `limit`.
    pub matches: Vec<NodeRef>,
    /// Matches left out by the limit.
    pub truncated: usize,
}

/// How well a node matches: lower is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Rank {
    /// The item's own name is the pattern, case included (`Searcher`).
    Name,
    /// The item's name is the pattern but for case (`searcher` for `Searcher`).
    NameCaseless,
    /// The path ends with the pattern at a `::` boundary (`Searcher::search_slice`).
    Suffix,
    /// The item's name contains the pattern.
    InName,
    /// Somewhere else in the path (a module or crate name).
    InPath,
}

/// How `node` matches `pattern`, if it does. A pattern with `*` or `?` is a glob that must
/// match the whole path or any `::`-suffix of it, as entity names do (`Searcher::search_*`);
/// other patterns match case-insensitively, anywhere in the path.
fn rank(node: &Node, pattern: &str, lower: &str, wild: bool) -> Option<Rank> {
    let path = node.path.as_str();
    let suffixes =
        || std::iter::once(path).chain(path.match_indices("::").map(move |(i, _)| &path[i + 2..]));
    if wild {
        if glob_match(pattern, &node.name) {
            return Some(Rank::Name);
        }
        return suffixes()
            .any(|s| glob_match(pattern, s))
            .then_some(Rank::Suffix);
    }
    let path_lower = path.to_lowercase();
    if node.name == pattern {
        Some(Rank::Name)
    } else if node.name.to_lowercase() == lower {
        Some(Rank::NameCaseless)
    } else if suffixes().any(|s| s.to_lowercase() == lower) {
        Some(Rank::Suffix)
    } else if node.name.to_lowercase().contains(lower) {
        Some(Rank::InName)
    } else if path_lower.contains(lower) {
        Some(Rank::InPath)
    } else {
        None
    }
}

/// Nodes whose path matches `pattern`, best first: items named exactly `pattern` (case
/// included, then ignoring case), then paths ending with it at a `::` boundary, then names containing it, then any path
/// containing it; by path within each rank. A glob (`*`, `?`) matches the item's name, the
/// whole path or any `::`-suffix of it; other patterns are case-insensitive. External nodes
/// are included only with `include_external`; `kind` narrows by node kind.
pub fn search(
    graph: &Graph,
    pattern: &str,
    kind: Option<NodeKind>,
    include_external: bool,
    scope: &Scope,
    limit: usize,
) -> SearchResults {
    let pattern = pattern.trim().trim_start_matches("::");
    let lower = pattern.to_lowercase();
    let wild = pattern.contains(['*', '?']);
    let mut hits: Vec<(Rank, usize)> = graph
        .nodes
        .iter()
        .enumerate()
        .filter(|(_, n)| kind.is_none_or(|k| n.kind == k))
        .filter(|(_, n)| {
            scope.contains(graph, n) || (include_external && n.kind == NodeKind::External)
        })
        .filter_map(|(i, n)| rank(n, pattern, &lower, wild).map(|r| (r, i)))
        .collect();
    hits.sort_by(|a, b| {
        let (x, y) = (&graph.nodes[a.1], &graph.nodes[b.1]);
        (a.0, &x.path, &x.span).cmp(&(b.0, &y.path, &y.span))
    });
    let matches: Vec<NodeRef> = group_variants(graph, hits.iter().map(|h| h.1))
        .iter()
        .map(|variants| NodeRef::of_variants(graph, variants))
        .collect();
    let truncated = matches.len().saturating_sub(limit);
    SearchResults {
        pattern: pattern.to_string(),
        matches: matches.into_iter().take(limit).collect(),
        truncated,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(path: &str) -> Node {
        Node::test_fn(path, Some(0))
    }

    #[test]
    fn exact_names_rank_before_suffixes_and_substrings() {
        let r = |path: &str, pattern: &str| {
            let wild = pattern.contains(['*', '?']);
            rank(&node(path), pattern, &pattern.to_lowercase(), wild)
        };
        assert_eq!(r("grep_searcher::Searcher", "Searcher"), Some(Rank::Name));
        assert_eq!(
            r("grep_searcher::searcher", "Searcher"),
            Some(Rank::NameCaseless)
        );
        assert_eq!(
            r(
                "grep_searcher::Searcher::search_slice",
                "Searcher::search_slice"
            ),
            Some(Rank::Suffix)
        );
        assert_eq!(
            r("grep_searcher::SearcherBuilder", "Searcher"),
            Some(Rank::InName)
        );
        assert_eq!(
            r("grep_searcher::sink::Sink", "Searcher"),
            Some(Rank::InPath)
        );
        assert_eq!(r("grep_searcher::sink::Sink", "Matcher"), None);
        // A glob matches any `::` suffix, not only the whole path.
        assert_eq!(
            r(
                "grep_searcher::Searcher::search_slice",
                "Searcher::search_*"
            ),
            Some(Rank::Suffix)
        );
        assert_eq!(
            r("grep_searcher::Searcher::search_slice", "search_*"),
            Some(Rank::Name)
        );
        assert_eq!(r("grep_searcher::Searcher::search_slice", "Sink::*"), None);
    }
}
