//! Changed entities: the items a diff touches, each classified as an interface change
//! (signature, fields, variants, visibility, an impl or trait header, an associated type),
//! a body-only change, an added item or a removed one.
//!
//! The diff comes from the git CLI ([`git`]): `--since REV` compares the work tree (staged or
//! not, untracked files included) with the merge base of `REV` and `HEAD`; `--staged`
//! compares the index with `HEAD`; `--files` compares the named files with `HEAD` (or counts
//! every item of a file git does not track). Both versions of each changed Rust file are
//! parsed into [`shape::Shape`]s and compared token by token, so a change limited to
//! comments, doc comments or formatting changes no entity. The innermost item is reported:
//! a method, not its impl.

pub mod base;
pub mod git;
pub mod shape;

use crate::error::{Error, Result};
use crate::graph::{Confidence, Graph, Node};
use crate::query::blast_radius::Via;
use crate::workspace::Workspace;
use git::{ChangedFile, FileStatus, Repo};
use serde::Serialize;
use shape::Shape;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Which changes to look at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selection {
    /// The work tree against the merge base of this revision and `HEAD`.
    Since(String),
    /// The index against `HEAD`.
    Staged,
    /// These files (absolute or relative to the current directory) against `HEAD`.
    Files(Vec<PathBuf>),
}

/// How an entity changed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// Signature, fields, variants, visibility, non-doc attributes, an impl or trait header.
    Interface,
    /// Only the body (a function's block, a const's value, a default's body).
    Body,
    /// New on the new side.
    Added,
    /// Gone on the new side.
    Removed,
    /// The same item under another name (same kind and file, the same body and, but for
    /// the name, the same interface): its uses under the old name no longer compile.
    Renamed,
}

impl ChangeKind {
    /// Whether dependents see the change through the item's interface (everything but a
    /// body-only change).
    pub fn is_interface(self) -> bool {
        self != ChangeKind::Body
    }

    /// `interface`, `body`, `added`, `removed`.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Interface => "interface",
            ChangeKind::Body => "body",
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Renamed => "renamed",
        }
    }
}

/// One changed entity.
#[derive(Clone, Debug, Serialize)]
pub struct ChangedEntity {
    /// Graph path (`demo::net::Config::new`) when the entity is in the graph; for removed
    /// items, the shape key in the old file (`impl:impl Config/method:new`).
    pub path: String,
    /// Kind (`fn`, `method`, `struct`, …).
    pub kind: String,
    /// File relative to the workspace root, `/`-separated (the old path for removed items).
    pub file: String,
    /// 1-based line of the item on its side of the diff: for an item in the graph, the
    /// line every command gives it (after its doc comment and attributes); for a removed
    /// item, the first line of its old text, attributes included.
    pub line: u32,
    /// How it changed.
    pub change: ChangeKind,
    /// Index of the graph node (not serialised); `None` for removed items and for items the
    /// graph does not hold (a file outside every module tree).
    #[serde(skip)]
    pub node: Option<usize>,
    /// For a renamed item: its old name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub renamed_from: Option<String>,
    /// For a removed or renamed item: the items whose references named it on the old side
    /// (indexes into the new graph, with the old side's edge); they no longer compile.
    #[serde(skip)]
    pub old_dependents: Vec<(usize, Via)>,
    /// The file (workspace-relative) and 1-based first and last lines of the item on the
    /// old side (the new side's for an added item).
    #[serde(skip)]
    pub old_at: (String, u32, u32),
}

/// A changed file as reported (paths relative to the workspace root).
#[derive(Clone, Debug, Serialize)]
pub struct FileChange {
    /// Path on the new side (old side for deleted files).
    pub path: String,
    /// `added`, `deleted`, `modified` or `renamed`.
    pub status: &'static str,
    /// The old path of a renamed file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
}

/// The changes found.
#[derive(Clone, Debug, Serialize)]
pub struct ChangeSet {
    /// What was compared (`work tree vs origin/main (merge base 1a2b3c4d)`).
    pub compared: String,
    /// Rust files that changed, in path order.
    pub files: Vec<FileChange>,
    /// Changed entities, by file and line.
    pub entities: Vec<ChangedEntity>,
    /// Files one side of which does not parse: their entities are not classified.
    pub unparsed: Vec<String>,
    /// The workspace root relative to the repository's top, `/`-separated; empty when they
    /// are the same directory (or outside git). Prefixed to workspace-relative paths for
    /// tools that want repository paths (SARIF, GitHub annotations).
    pub workspace_dir: String,
    /// The old side of each changed Rust file, by workspace-relative path (`None`: absent
    /// on the old side), for the old graph of removed and renamed items.
    #[serde(skip)]
    pub old_texts: HashMap<String, Option<String>>,
}

/// Where a file version comes from.
enum Side {
    Rev(String),
    Index,
    WorkTree,
}

/// Finds the entities `selection` changed in workspace `ws`, mapped onto `graph` (built from
/// its work tree). Removed and renamed items get their dependents on the old side
/// ([`ChangedEntity::old_dependents`], from [`base::old_graph`]).
///
/// # Errors
/// Usage error when git is needed but missing, the directory is not a repository, or the
/// revision is unknown (with a fetch hint in a shallow clone).
pub fn changed_entities(graph: &Graph, ws: &Workspace, selection: &Selection) -> Result<ChangeSet> {
    let mut set = changed_in(graph, &ws.root, selection)?;
    old_dependents(&mut set, graph, ws);
    Ok(set)
}

/// The dependents on the old side of every removed or renamed entity of `set`.
fn old_dependents(set: &mut ChangeSet, graph: &Graph, ws: &Workspace) {
    let gone = |c: &ChangedEntity| matches!(c.change, ChangeKind::Removed | ChangeKind::Renamed);
    if !set.entities.iter().any(gone) {
        return;
    }
    let old = base::old_graph(ws, &set.old_texts);
    let places = Places::of(graph);
    for entity in set.entities.iter_mut().filter(|c| gone(c)) {
        let Some(old_node) = old_node_of(&old, entity) else {
            continue;
        };
        let mut seen = std::collections::HashSet::new();
        // The item's cfg variants are the item: a path the linker bound to another variant
        // (`#[cfg_attr(…, path = "wide.rs")]`) named it too.
        let variants = crate::query::variants_of(&old, old_node);
        let incoming = variants
            .iter()
            .flat_map(|&v| old.incoming(v).iter().map(move |&e| (v, e)));
        for (variant, e) in incoming {
            let edge = &old.edges[e];
            let Some(from) = old.index_of(edge.from) else {
                continue;
            };
            if !crate::query::blast_radius::depends(&old, edge, from, variant, Confidence::Low) {
                continue;
            }
            // The dependent as it is now: the item of its kind and name at its place, else
            // the same id (an edit above it moved it), or for an item inside a renamed one
            // (a trait's own provided methods), the same item under the new name; unless it
            // went too. The place comes first: an id names the n-th item of a path, and the
            // change can give other items that path (bytes' two `BytesMut::from` swap ids
            // when `BytesMut` is renamed).
            let (place, only) = places.of_old(graph, &old.nodes[from]);
            let now = place
                .or_else(|| graph.index_of(edge.from))
                .or_else(|| {
                    let inside = old.nodes[from]
                        .path
                        .strip_prefix(&old.nodes[old_node].path)?
                        .strip_prefix("::")?;
                    let renamed = format!("{}::{inside}", entity.path);
                    (0..graph.nodes.len()).find(|&i| {
                        graph.nodes[i].path == renamed
                            && graph.nodes[i].kind == old.nodes[from].kind
                    })
                })
                .or(only);
            if let Some(now) = now
                && seen.insert(now)
            {
                entity.old_dependents.push((now, Via::of(&old, edge)));
            }
        }
    }
}

/// The workspace items of a graph by file, kind and name, to find where an item of the old
/// graph is now ([`Places::of_old`]).
struct Places<'g>(HashMap<(&'g str, crate::graph::NodeKind, &'g str), Vec<usize>>);

impl<'g> Places<'g> {
    fn of(graph: &'g Graph) -> Self {
        let mut by = HashMap::new();
        for (i, n) in graph.nodes.iter().enumerate() {
            if let Some(s) = &n.span {
                by.entry((&*s.file, n.kind, n.name.as_str()))
                    .or_insert_with(Vec::new)
                    .push(i);
            }
        }
        Places(by)
    }

    /// Where `old` (a node of the old graph) is now: the item of `graph` of its kind and
    /// name in its file at its line, and the file's only item of that kind and name
    /// (wherever it is now). An item can be named after a self type the change made
    /// unresolved (bytes' `from` of `impl From<Bytes> for BytesMut` is
    /// `bytes_mut::BytesMut::from` while `BytesMut` resolves, `bytes::BytesMut::from` once
    /// it is renamed), so neither its path nor its id finds it.
    fn of_old(&self, graph: &Graph, old: &Node) -> (Option<usize>, Option<usize>) {
        let Some(at) = old.span.as_ref() else {
            return (None, None);
        };
        let Some(candidates) = self.0.get(&(&*at.file, old.kind, old.name.as_str())) else {
            return (None, None);
        };
        let same_line = candidates.iter().copied().find(|&i| {
            graph.nodes[i]
                .span
                .as_ref()
                .is_some_and(|s| s.line == at.line)
        });
        (same_line, (candidates.len() == 1).then(|| candidates[0]))
    }
}

/// The old graph's node of a removed or renamed entity: same file (old path), kind, name
/// and first line inside the item.
fn old_node_of(old: &Graph, entity: &ChangedEntity) -> Option<usize> {
    // The last segment of the path, without the repeat number of a second item of its key
    // (`impl:impl SmallVecData/method:empty#2`, smallvec's variant under another cfg).
    let name = without_repeat(entity.renamed_from.as_deref().unwrap_or_else(|| {
        entity
            .path
            .rsplit(['/', ':'])
            .next()
            .unwrap_or(&entity.path)
    }));
    (0..old.nodes.len()).find(|&i| {
        let n = &old.nodes[i];
        n.kind.as_str() == entity.kind
            && n.generated_by.is_none()
            && n.span.as_ref().is_some_and(|s| {
                let (file, first, last) = &entity.old_at;
                *s.file == **file && s.line >= *first && s.line <= *last
            })
            && (entity.kind == "impl" || n.name == name)
    })
}

fn changed_in(graph: &Graph, ws_root: &Path, selection: &Selection) -> Result<ChangeSet> {
    let ws_root = ws_root
        .canonicalize()
        .unwrap_or_else(|_| ws_root.to_path_buf());
    let discovered = Repo::discover(&ws_root);
    // Paths git reports are relative to the repository's top (the workspace root outside git).
    let top = discovered
        .as_ref()
        .map_or_else(|_| ws_root.clone(), |r| r.root.clone());
    let (repo, compared, files, old_side, new_side) = match selection {
        Selection::Since(rev) => {
            let repo = discovered?;
            let commit = repo.commit(rev)?;
            let base = repo.merge_base(&commit);
            let compared = format!("work tree vs {rev} (merge base {})", short(&base));
            let files = repo.changed_since(&base)?;
            (Some(repo), compared, files, Side::Rev(base), Side::WorkTree)
        }
        Selection::Staged => {
            let repo = discovered?;
            let files = repo.changed_staged()?;
            (
                Some(repo),
                "index vs HEAD".to_string(),
                files,
                Side::Rev("HEAD".into()),
                Side::Index,
            )
        }
        Selection::Files(paths) => {
            let repo = discovered.ok();
            let mut files = Vec::new();
            for p in paths {
                let abs = std::env::current_dir()
                    .map(|d| d.join(p))
                    .unwrap_or(p.clone());
                let abs = abs.canonicalize().unwrap_or(abs);
                if !abs.starts_with(&top) {
                    return Err(Error::Usage(format!(
                        "{} is outside the workspace at {}; name files inside it",
                        p.display(),
                        ws_root.display()
                    )));
                }
                let rel = crate::parse::relative(&top, &abs);
                let tracked = repo.as_ref().is_some_and(|r| r.tracked_at_head(&rel));
                let status = match (tracked, abs.exists()) {
                    (_, false) if !tracked => {
                        return Err(Error::Usage(format!("{}: no such file", p.display())));
                    }
                    (true, false) => FileStatus::Deleted,
                    (true, true) => FileStatus::Modified,
                    (false, _) => FileStatus::Added,
                };
                files.push(ChangedFile { path: rel, status });
            }
            (
                repo,
                "named files vs HEAD".to_string(),
                files,
                Side::Rev("HEAD".into()),
                Side::WorkTree,
            )
        }
    };
    // The graph's paths are relative to the workspace root.
    let prefix = crate::parse::relative(&top, &ws_root);
    let to_ws = |p: &str| -> Option<String> {
        if prefix.is_empty() {
            Some(p.to_string())
        } else {
            p.strip_prefix(&format!("{prefix}/")).map(str::to_string)
        }
    };
    let read = |side: &Side, path: &str| -> Option<String> {
        match side {
            Side::WorkTree => std::fs::read_to_string(top.join(path)).ok(),
            Side::Index => repo.as_ref()?.show("", path),
            Side::Rev(rev) => repo.as_ref()?.show(rev, path),
        }
    };
    let mut set = ChangeSet {
        compared,
        files: Vec::new(),
        entities: Vec::new(),
        unparsed: Vec::new(),
        workspace_dir: prefix.clone(),
        old_texts: HashMap::new(),
    };
    for f in files.iter().filter(|f| f.path.ends_with(".rs")) {
        let Some(rel) = to_ws(&f.path) else { continue };
        let (old_path, status, from) = match &f.status {
            FileStatus::Added => (None, "added", None),
            FileStatus::Deleted => (Some(f.path.as_str()), "deleted", None),
            FileStatus::Modified => (Some(f.path.as_str()), "modified", None),
            FileStatus::Renamed { from } => (Some(from.as_str()), "renamed", to_ws(from)),
        };
        set.files.push(FileChange {
            path: rel.clone(),
            status,
            from: from.clone(),
        });
        let old_text = old_path.and_then(|p| read(&old_side, p));
        let new_text = match f.status {
            FileStatus::Deleted => None,
            _ => read(&new_side, &f.path),
        };
        // The old graph sees the old side: a renamed file at its old path only.
        let old_rel = from.clone().unwrap_or_else(|| rel.clone());
        if from.is_some() {
            set.old_texts.insert(rel.clone(), None);
        }
        set.old_texts.insert(old_rel, old_text.clone());
        let parse = |t: &Option<String>| match t {
            Some(t) => shape::shapes(t).ok_or(()),
            None => Ok(Vec::new()),
        };
        let (Ok(old), Ok(new)) = (parse(&old_text), parse(&new_text)) else {
            set.unparsed.push(rel);
            continue;
        };
        let old_file = from.unwrap_or_else(|| rel.clone());
        // The graph's nodes written in this file, gathered once for all its shapes.
        let in_file: Vec<usize> = (0..graph.nodes.len())
            .filter(|&n| {
                graph.nodes[n]
                    .span
                    .as_ref()
                    .is_some_and(|s| *s.file == *rel)
            })
            .collect();
        for (shape, change, was) in compare(&old, &new) {
            let (file, node) = match change {
                ChangeKind::Removed => (old_file.clone(), None),
                _ => (rel.clone(), node_of(graph, &in_file, shape)),
            };
            // Where the item was on the old side (for the old graph).
            let old_lines = was.map_or(shape.lines, |w| w.lines);
            set.entities.push(ChangedEntity {
                path: node.map_or_else(|| shape.key.clone(), |n| graph.nodes[n].path.clone()),
                kind: shape.kind.to_string(),
                file,
                // The line every other command gives the item (its graph span's), not the
                // first line of its doc comment; the shape's own when it is not in the graph.
                line: node
                    .and_then(|n| graph.nodes[n].span.as_ref())
                    .map_or(shape.lines.0, |s| s.line),
                change,
                node,
                renamed_from: was
                    .filter(|_| change == ChangeKind::Renamed)
                    .map(|w| w.name.clone()),
                old_dependents: Vec::new(),
                old_at: (old_file.clone(), old_lines.0, old_lines.1),
            });
        }
    }
    set.files.sort_by(|a, b| a.path.cmp(&b.path));
    set.entities
        .sort_by(|a, b| (&a.file, a.line, &a.path).cmp(&(&b.file, b.line, &b.path)));
    Ok(set)
}

/// The items that differ between two versions of one file's text, as a change set lists
/// them: `(key, kind of change)`, where the key is the item's identity within the file
/// ([`shape::Shape::key`]). `None` when either version does not parse.
pub fn changed_items(old: &str, new: &str) -> Option<Vec<(String, ChangeKind)>> {
    let old = shape::shapes(old)?;
    let new = shape::shapes(new)?;
    Some(
        compare(&old, &new)
            .into_iter()
            .map(|(s, change, _)| (s.key.clone(), change))
            .collect(),
    )
}

/// The changed shapes of two versions of a file, with the old side of each where there is
/// one: new-side shapes that are added or differ (an added container's members are not
/// listed again), then old-side shapes removed. A removed and an added shape that are the
/// only ones of their kind in their scope to go and come, with the same body and the same
/// interface but for the name, are one renamed shape.
fn compare<'s>(
    old: &'s [Shape],
    new: &'s [Shape],
) -> Vec<(&'s Shape, ChangeKind, Option<&'s Shape>)> {
    let mut out = compare_keys(old, new);
    let scope =
        |s: &Shape| s.key[..s.key.len() - s.key.rsplit('/').next().map_or(0, str::len)].to_string();
    let candidates = |change: ChangeKind, s: &Shape| {
        out.iter()
            .filter(|(o, c, _)| *c == change && o.kind == s.kind && scope(o) == scope(s))
            .count()
    };
    let mut renamed: Vec<(usize, usize)> = Vec::new();
    for (i, (added, change, _)) in out.iter().enumerate() {
        if *change != ChangeKind::Added {
            continue;
        }
        let Some(j) = out.iter().position(|(removed, c, _)| {
            *c == ChangeKind::Removed
                && removed.kind == added.kind
                && scope(removed) == scope(added)
                && removed.unnamed == added.unnamed
                && removed.body == added.body
        }) else {
            continue;
        };
        if candidates(ChangeKind::Added, added) == 1
            && candidates(ChangeKind::Removed, out[j].0) == 1
        {
            renamed.push((i, j));
        }
    }
    for &(i, j) in &renamed {
        let was = out[j].0;
        out[i].1 = ChangeKind::Renamed;
        out[i].2 = Some(was);
    }
    let gone: Vec<usize> = renamed.iter().map(|&(_, j)| j).collect();
    let mut k = 0;
    out.retain(|_| {
        k += 1;
        !gone.contains(&(k - 1))
    });
    out
}

/// [`compare`] by key alone: added, changed and removed shapes (a removed shape is its own
/// old side; the others carry theirs where it exists). Repeats of one key (`#n`: the cfg
/// variants of one method, bytes' `#[cfg(not(all(loom, test)))] const fn new` beside
/// `#[cfg(all(loom, test))] fn new`) pair unchanged ones first, then the rest in order, so
/// renaming or removing one variant leaves the others unchanged.
fn compare_keys<'s>(
    old: &'s [Shape],
    new: &'s [Shape],
) -> Vec<(&'s Shape, ChangeKind, Option<&'s Shape>)> {
    let pairs = pair_repeats(old, new);
    let old_of: HashMap<usize, usize> = pairs.iter().map(|&(o, n)| (n, o)).collect();
    let paired_old: std::collections::HashSet<usize> = pairs.iter().map(|&(o, _)| o).collect();
    let inside_listed =
        |key: &str, listed: &[&str]| listed.iter().any(|k| key.starts_with(&format!("{k}/")));
    let mut out = Vec::new();
    let mut added: Vec<&str> = Vec::new();
    for (k, s) in new.iter().enumerate() {
        match old_of.get(&k).map(|&o| &old[o]) {
            None => {
                if !inside_listed(&s.key, &added) {
                    out.push((s, ChangeKind::Added, None));
                }
                added.push(&s.key);
            }
            Some(o) if o.interface != s.interface => out.push((s, ChangeKind::Interface, Some(o))),
            Some(o) if o.body != s.body => out.push((s, ChangeKind::Body, Some(o))),
            Some(_) => {}
        }
    }
    let mut removed: Vec<&str> = Vec::new();
    for (k, s) in old.iter().enumerate() {
        if !paired_old.contains(&k) {
            if !inside_listed(&s.key, &removed) {
                out.push((s, ChangeKind::Removed, Some(s)));
            }
            removed.push(&s.key);
        }
    }
    out
}

/// A shape key without its repeat number (`method:empty#2` → `method:empty`: the second
/// item of that key in its file, a cfg variant say).
fn without_repeat(key: &str) -> &str {
    match key.rsplit_once('#') {
        Some((head, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => key,
    }
}

/// `(old index, new index)` of the shapes that are one item in both versions: same key
/// without its repeat number; among repeats, identical shapes (interface and body) first,
/// in order, then the others in order.
fn pair_repeats(old: &[Shape], new: &[Shape]) -> Vec<(usize, usize)> {
    let base = without_repeat;
    let mut groups: HashMap<&str, (Vec<usize>, Vec<usize>)> = HashMap::new();
    for (k, s) in old.iter().enumerate() {
        groups.entry(base(&s.key)).or_default().0.push(k);
    }
    for (k, s) in new.iter().enumerate() {
        groups.entry(base(&s.key)).or_default().1.push(k);
    }
    let mut pairs = Vec::new();
    for (olds, news) in groups.into_values() {
        let mut old_left: Vec<Option<usize>> = olds.into_iter().map(Some).collect();
        let mut new_left = Vec::new();
        for n in news {
            let same = old_left.iter_mut().find(|o| {
                o.is_some_and(|o| {
                    old[o].interface == new[n].interface && old[o].body == new[n].body
                })
            });
            match same.and_then(Option::take) {
                Some(o) => pairs.push((o, n)),
                None => new_left.push(n),
            }
        }
        pairs.extend(old_left.into_iter().flatten().zip(new_left));
    }
    pairs
}

/// The graph node of a new-side shape among `in_file` (the nodes of its file): same kind,
/// its line inside the shape (the graph's span starts after attributes), the same name
/// (impls by line only).
fn node_of(graph: &Graph, in_file: &[usize], shape: &Shape) -> Option<usize> {
    in_file.iter().copied().find(|&i| {
        let n = &graph.nodes[i];
        n.kind.as_str() == shape.kind
            && n.generated_by.is_none()
            && n.span
                .as_ref()
                .is_some_and(|s| s.line >= shape.lines.0 && s.line <= shape.lines.1)
            && (shape.kind == "impl" || n.name == shape.name)
    })
}

fn short(commit: &str) -> &str {
    &commit[..commit.len().min(10)]
}

#[cfg(test)]
mod tests {
    use super::{ChangeKind, changed_items};

    #[test]
    fn renaming_one_cfg_variant_of_a_method_is_one_rename_and_the_other_is_unchanged() {
        // bytes' `Bytes::new`: `const fn` under one cfg, `fn` under the other.
        let old = "impl Bytes {\n\
                   #[cfg(not(all(loom, test)))] pub const fn new() -> Self { Bytes }\n\
                   #[cfg(all(loom, test))] pub fn new() -> Self { Bytes }\n\
                   }\n";
        let renamed = old.replacen("const fn new(", "const fn empty(", 1);
        assert_eq!(
            changed_items(old, &renamed).unwrap(),
            [(
                "impl:impl Bytes/method:empty".to_string(),
                ChangeKind::Renamed
            )]
        );
        // nix's `fn sigevent(&self) -> libc::sigevent` under two cfgs: the return type's
        // `sigevent` is not the name.
        let nix = "impl SigEvent {\n\
                   #[cfg(a)] pub fn sigevent(&self) -> libc::sigevent { self.sigevent }\n\
                   #[cfg(not(a))] pub fn sigevent(&self) -> libc::sigevent { self.sigevent }\n\
                   }\n";
        let renamed = nix.replacen("pub fn sigevent(", "pub fn inner(", 1);
        assert_eq!(
            changed_items(nix, &renamed).unwrap(),
            [(
                "impl:impl SigEvent/method:inner".to_string(),
                ChangeKind::Renamed
            )]
        );
        // nix's `cfsetspeed`, written in one branch of a `cfg_if!`.
        let chain = "cfg_if! {\n\
                     if #[cfg(bsd)] { pub fn cfsetspeed(x: u32) -> u32 { x } }\n\
                     else { pub fn cfsetspeed(x: u32) -> u32 { x + 1 } }\n\
                     }\n";
        let renamed = chain.replacen("fn cfsetspeed(", "fn set_speed(", 1);
        assert_eq!(
            changed_items(chain, &renamed).unwrap(),
            [("fn:set_speed".to_string(), ChangeKind::Renamed)]
        );
        let predicate = chain.replacen("cfg(bsd)", "cfg(apple)", 1);
        assert_eq!(
            changed_items(chain, &predicate).unwrap(),
            [
                ("fn:cfsetspeed".to_string(), ChangeKind::Interface),
                ("fn:cfsetspeed#2".to_string(), ChangeKind::Interface)
            ]
        );
        // Removing the first variant removes it alone.
        let removed = old.replacen(
            "#[cfg(not(all(loom, test)))] pub const fn new() -> Self { Bytes }\n",
            "",
            1,
        );
        assert_eq!(
            changed_items(old, &removed).unwrap(),
            [(
                "impl:impl Bytes/method:new".to_string(),
                ChangeKind::Removed
            )]
        );
    }
}
