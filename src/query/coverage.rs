//! Coverage: what the graph holds of each package, and what it does not follow. A construct the
//! tool does not follow is reported here, per package, never silently dropped: `.rs` files
//! under a package's directory that no module tree reaches, macro calls left unexpanded (by
//! cause), and the share of reference edges at each confidence.

use crate::diagnostics::DiagnosticKind;
use crate::graph::{Confidence, EdgeKind, Graph};
use crate::workspace::Workspace;
use serde::Serialize;
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// How much of a package's source the graph holds.
#[derive(Clone, Debug, Serialize)]
pub struct PackageCoverage {
    /// Package name.
    pub package: String,
    /// Files of the package's targets in the graph (a file shared by several targets once).
    pub files_indexed: usize,
    /// `.rs` files under the package's directory that no target's module tree reaches,
    /// relative to the workspace root, sorted. Left out of the search: `target/` and hidden
    /// directories, directories holding another `Cargo.toml` (other packages), the top-level
    /// `tests/`, `benches/` and `examples/` directories (their files are targets of their own
    /// or helpers those targets reach), and files another package's targets reach.
    pub unreached_files: Vec<String>,
    /// Macro calls in the package's files that were not expanded, by cause (`no rule
    /// matched`, `recursion limit reached`, …).
    pub unexpanded_macros: BTreeMap<String, usize>,
    /// Reference edges (every kind but `contains`) leaving the package's items, by
    /// confidence (`high`, `medium`, `low`).
    pub edges_by_confidence: BTreeMap<String, usize>,
    /// A sentence naming the likely cause when most of the package's `.rs` files are
    /// unreached; `None` otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<String>,
}

/// Directories below a package searched for unreached files, at most this deep.
const MAX_SEARCH_DEPTH: usize = 32;
/// Files listed per package at the most while searching (the count stays exact up to it).
const MAX_LISTED: usize = 10_000;

/// Coverage of every member of `ws` in `graph`, in member order. Reads directory listings
/// under the members' directories (no file contents); unreadable directories are skipped.
pub fn coverage(graph: &Graph, ws: &Workspace) -> Vec<PackageCoverage> {
    let reached: HashSet<PathBuf> = graph
        .files
        .iter()
        .flat_map(|f| {
            let path = ws.root.join(&f.path);
            let canonical = std::fs::canonicalize(&path).ok();
            [Some(path), canonical].into_iter().flatten()
        })
        .collect();
    let package_of_crate: Vec<&str> = graph.crates.iter().map(|c| c.package.as_str()).collect();
    let mut edges: BTreeMap<&str, BTreeMap<String, usize>> = BTreeMap::new();
    for e in graph.edges.iter().filter(|e| e.kind != EdgeKind::Contains) {
        let Some(krate) = graph.node(e.from).and_then(|n| n.krate) else {
            continue;
        };
        let Some(package) = package_of_crate.get(krate as usize) else {
            continue;
        };
        *edges
            .entry(package)
            .or_default()
            .entry(confidence_name(e.confidence).to_string())
            .or_insert(0) += 1;
    }
    ws.packages
        .iter()
        .map(|package| {
            let dir = package
                .manifest_path
                .parent()
                .map(Path::to_path_buf)
                .unwrap_or_default();
            let files_indexed: HashSet<&str> = graph
                .files
                .iter()
                .filter(|f| ws.root.join(&f.path).starts_with(&dir))
                .map(|f| f.path.as_str())
                .collect();
            let mut unreached = Vec::new();
            let mut seen_dirs = HashSet::new();
            search(&dir, &dir, 0, &ws.target_dir, &mut seen_dirs, &mut |file| {
                let canonical = std::fs::canonicalize(file).ok();
                if !reached.contains(file) && canonical.is_none_or(|c| !reached.contains(&c)) {
                    unreached.push(crate::parse::relative(&ws.root, file));
                }
            });
            unreached.sort();
            let mut unexpanded_macros = BTreeMap::new();
            for d in graph.diagnostics.iter() {
                if d.kind == DiagnosticKind::MacroExpansion
                    && ws.root.join(&d.file).starts_with(&dir)
                {
                    *unexpanded_macros.entry(cause(&d.message)).or_insert(0) += 1;
                }
            }
            let warning = (unreached.len() > files_indexed.len()).then(|| {
                format!(
                    "package `{}`: {} of {} `.rs` files under its directory are not reached by any module tree (first: {}); they may be declared by a macro this tool cannot expand, pulled in by `include!`, or chosen by a `#[cfg_attr(…, path = …)]` whose file is missing",
                    package.name,
                    unreached.len(),
                    unreached.len() + files_indexed.len(),
                    unreached[0]
                )
            });
            PackageCoverage {
                package: package.name.clone(),
                files_indexed: files_indexed.len(),
                unreached_files: unreached,
                unexpanded_macros,
                edges_by_confidence: edges.remove(package.name.as_str()).unwrap_or_default(),
                warning,
            }
        })
        .collect()
}

fn confidence_name(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

/// The cause of a `macro_expansion` diagnostic: its reason up to the first detail
/// (`` `m!` not expanded: no rule matched `` → `no rule matched`).
fn cause(message: &str) -> String {
    let reason = message
        .split_once("not expanded: ")
        .map_or(message, |(_, r)| r);
    let end = reason.find([':', '(']).unwrap_or(reason.len());
    reason[..end].trim().to_string()
}

/// Calls `found` for every `.rs` file below `dir` (see [`PackageCoverage::unreached_files`]
/// for what is left out). Symlinked directories are followed once (by canonical path).
fn search(
    package_dir: &Path,
    dir: &Path,
    depth: usize,
    target_dir: &Path,
    seen: &mut HashSet<PathBuf>,
    found: &mut dyn FnMut(&Path),
) {
    if depth > MAX_SEARCH_DEPTH || seen.len() > MAX_LISTED {
        return;
    }
    let canonical = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if !seen.insert(canonical) {
        return;
    }
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<_> = entries.flatten().map(|e| e.path()).collect();
    entries.sort();
    for path in entries {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        let Ok(meta) = std::fs::metadata(&path) else {
            continue;
        };
        if meta.is_dir() {
            let top_level = dir == package_dir;
            let skipped = name.starts_with('.')
                || name == "target"
                || path == target_dir
                || (top_level && matches!(name, "tests" | "benches" | "examples"))
                || path.join("Cargo.toml").is_file();
            if !skipped {
                search(package_dir, &path, depth + 1, target_dir, seen, found);
            }
        } else if meta.is_file() && name.ends_with(".rs") {
            found(&path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cause;

    #[test]
    fn causes_drop_details() {
        assert_eq!(
            cause("`m!` not expanded: no rule matched"),
            "no rule matched"
        );
        assert_eq!(
            cause("`m!` not expanded: recursion limit reached (64 nested expansions)"),
            "recursion limit reached"
        );
        assert_eq!(
            cause("`m!` not expanded: expansion does not parse as items: expected `;`"),
            "expansion does not parse as items"
        );
    }
}
