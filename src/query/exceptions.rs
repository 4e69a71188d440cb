//! exceptions: the exception store filtered and described with the graph's paths, spans and
//! signatures; the impl records as overridden/inherited lists; override statistics.

use super::{NodeRef, Scope, find_entity, qualified_path};
use crate::error::{Error, Result};
use crate::exceptions::{
    Entry, Exception, ExceptionKind, ImplRecord, LevelOrigin, Source, StoreStats, Value,
};
use crate::graph::{Graph, Node, NodeId, NodeKind};
use crate::lint::LintLevel;
use serde::{Deserialize, Serialize};
use std::collections::HashSet;

/// Which exceptions to show.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    /// Only properties of this trait (path or unambiguous suffix).
    pub trait_name: Option<String>,
    /// Only this item or lint name (`describe`, `dead_code`).
    pub item: Option<String>,
    /// Only exceptions on this type, its impls and their items.
    pub type_name: Option<String>,
    /// Only this source.
    pub source: Option<Source>,
    /// Only this kind.
    pub kind: Option<ExceptionKind>,
    /// Only exceptions at least this sure (0.0–1.0).
    pub min_confidence: f32,
    /// List routine overridden defaults and every trait impl's defaults too (`--all`);
    /// otherwise they are listed only when `kind` is `overridden_default` or when
    /// `trait_name`, `type_name` or `item` narrows the answer.
    pub all: bool,
}

impl Filter {
    /// Whether routine entries (overridden defaults, impl records) are listed.
    fn lists_routine(&self) -> bool {
        self.all
            || self.kind == Some(ExceptionKind::OverriddenDefault)
            || self.trait_name.is_some()
            || self.type_name.is_some()
            || self.item.is_some()
    }
}

/// One side of an exception, described.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ValueView {
    /// Path of the item (for item values) or of the node whose attribute set the level.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub path: Option<String>,
    /// The item as Rust names it (`<shapes::Square as shapes::Shape>::area` for items of
    /// trait impls; the path otherwise).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub qualified: Option<String>,
    /// The item's signature.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub signature: Option<String>,
    /// File of the item or attribute owner, relative to the workspace root.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// 1-based line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
    /// Token fingerprint of the item's body, 16 hex digits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body_fingerprint: Option<String>,
    /// For lint values: the level (`"default"` for rustc's built-in level is `None` here
    /// with `set_by = "default"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<LintLevel>,
    /// For lint values: where the level is set (`attribute`, `Cargo.toml [lints]`,
    /// `Cargo.toml [workspace.lints]`, `default`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub set_by: Option<String>,
}

/// One exception, described.
#[derive(Clone, Debug, Serialize)]
pub struct ExceptionRow {
    /// How it was recorded.
    pub source: Source,
    /// What was overridden.
    pub kind: ExceptionKind,
    /// `Trait::item`, the lint, or `A::m & B::m`.
    pub property: String,
    /// Path of the node holding the exception.
    pub node: String,
    /// Kind of that node.
    pub node_kind: NodeKind,
    /// Its file, relative to the workspace root.
    pub file: Option<String>,
    /// Its 1-based line.
    pub line: Option<u32>,
    /// Its package.
    pub package: Option<String>,
    /// What it would have without the local override.
    pub inherited: ValueView,
    /// What it has.
    pub actual: ValueView,
    /// Why this is an exception (for lints, the attribute's `reason = "…"` when given).
    pub reason: String,
    /// 0.0–1.0.
    pub confidence: f32,
    /// Seconds since the Unix epoch when recorded.
    pub recorded_at: u64,
}

/// A trait impl with the trait's provided items split by what the impl does with them.
#[derive(Clone, Debug, Serialize)]
pub struct ImplDefaults {
    /// The impl.
    #[serde(rename = "impl")]
    pub impl_ref: NodeRef,
    /// Path of the trait.
    #[serde(rename = "trait")]
    pub trait_path: String,
    /// 0.0–1.0: how sure the resolver is of the trait.
    pub confidence: f32,
    /// Provided items the impl defines itself (names).
    pub overridden: Vec<String>,
    /// Provided items the impl keeps (names).
    pub inherited: Vec<String>,
    /// Names (from the two lists) whose answer depends on a cfg: the impl's item or the
    /// trait's default carries `#[cfg(…)]`, so another configuration may flip it.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub under_cfg: Vec<String>,
}

/// Per provided trait item: implementors overriding vs inheriting it.
#[derive(Clone, Debug, Serialize)]
pub struct OverrideRow {
    /// The trait item.
    pub item: String,
    /// Impls defining it.
    pub overridden: usize,
    /// Impls keeping the default.
    pub inherited: usize,
    /// Laplace estimate that a new implementor overrides it.
    pub override_likelihood: f64,
}

/// Store-wide figures (`--stats`).
#[derive(Clone, Debug, Serialize)]
pub struct Stats {
    /// Counts by source and kind over the whole store.
    pub store: StoreStats,
    /// Override statistics per provided trait item, sorted by path.
    pub overrides: Vec<OverrideRow>,
}

/// How many matching exceptions of one kind there are.
#[derive(Clone, Debug, Serialize)]
pub struct KindCount {
    /// The kind.
    pub kind: ExceptionKind,
    /// Matching exceptions of that kind (listed or not).
    pub count: usize,
    /// Whether a person would act on them (see [`ExceptionKind::is_finding`]).
    pub finding: bool,
    /// Whether they are in [`ExceptionsReport::exceptions`].
    pub listed: bool,
}

/// The answer to `exceptions`.
#[derive(Clone, Debug, Serialize)]
pub struct ExceptionsReport {
    /// Matching exceptions per kind, findings first (the order of
    /// [`ExceptionKind::listing_rank`]); kinds with none are left out.
    pub summary: Vec<KindCount>,
    /// Matching exceptions, findings first: by kind (as in `summary`), then file, line and
    /// property. Routine overridden defaults only when [`Filter::all`] or a narrowing
    /// filter asks for them.
    pub exceptions: Vec<ExceptionRow>,
    /// Matching trait impls whose trait provides items, by file and line; listed under the
    /// same rule as overridden defaults.
    pub impls: Vec<ImplDefaults>,
    /// Matching trait impls with defaults that are not listed (0 when listed).
    pub impls_not_listed: usize,
    /// With `--stats`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stats: Option<Stats>,
}

/// Lists exceptions and impl records matching `filter` whose node is in `scope`.
///
/// # Errors
/// Usage error when `--trait` or `--type` names no (or more than one) entity.
pub fn exceptions(
    graph: &Graph,
    filter: &Filter,
    scope: &Scope,
    with_stats: bool,
) -> Result<ExceptionsReport> {
    let trait_id = match &filter.trait_name {
        Some(t) => Some(
            graph.nodes[find_entity(graph, t, "trait", |n| {
                n.kind == NodeKind::Trait || n.flags.is_trait
            })?]
            .id,
        ),
        None => None,
    };
    let trait_path = trait_id.and_then(|t| graph.node(t)).map(|n| n.path.clone());
    let records = graph.exceptions.impls();
    let type_nodes: Option<HashSet<NodeId>> = match &filter.type_name {
        Some(t) => {
            let ty = graph.nodes[find_entity(graph, t, "type", |n| {
                n.kind.is_type() && n.kind != NodeKind::Trait
            })?]
            .id;
            Some(nodes_of_type(graph, ty, &records))
        }
        None => None,
    };
    let item_matches = |property: &str| match &filter.item {
        None => true,
        Some(i) => property
            .split(" & ")
            .any(|p| p == i || p.ends_with(&format!("::{i}"))),
    };
    let entries = graph.exceptions.filter(|node, property, e| {
        filter.source.is_none_or(|s| e.source == s)
            && filter.kind.is_none_or(|k| e.kind == k)
            && e.confidence >= filter.min_confidence
            && item_matches(property)
            && trait_path.as_ref().is_none_or(|t| {
                property.split(" & ").any(|p| {
                    p.strip_prefix(t.as_str())
                        .is_some_and(|r| r.starts_with("::"))
                })
            })
            && type_nodes.as_ref().is_none_or(|s| s.contains(&node))
    });
    let mut rows: Vec<ExceptionRow> = entries
        .iter()
        .filter_map(|e| {
            let node = graph.node(e.node)?;
            scope.contains(graph, node).then(|| row(graph, node, e))
        })
        .collect();
    rows.sort_by(|a, b| {
        (a.kind.listing_rank(), &a.file, a.line, &a.property).cmp(&(
            b.kind.listing_rank(),
            &b.file,
            b.line,
            &b.property,
        ))
    });
    let name_of = |id: &NodeId| graph.node(*id).map_or_else(String::new, |n| n.name.clone());
    let present = |id: &NodeId| graph.node(*id).map(|n| n.name.clone());
    let mut impls: Vec<ImplDefaults> = records
        .iter()
        .filter(|r| !r.overridden.is_empty() || !r.inherited.is_empty())
        .filter(|r| trait_id.is_none_or(|t| r.trait_node == Some(t)))
        .filter(|r| type_nodes.as_ref().is_none_or(|s| s.contains(&r.node)))
        .filter(|r| {
            filter.item.as_ref().is_none_or(|i| {
                r.overridden
                    .iter()
                    .chain(&r.inherited)
                    .any(|x| &name_of(x) == i)
            })
        })
        .filter(|r| filter.min_confidence <= r.confidence)
        .filter_map(|r| {
            let node = graph.node(r.node)?;
            let own = graph.associated_items(r.node);
            let gated = |item: &NodeId| {
                let Some(default) = graph.node(*item) else {
                    return false;
                };
                default.cfg.is_some()
                    || own.iter().any(|&c| {
                        graph.nodes[c].name == default.name && graph.nodes[c].cfg.is_some()
                    })
            };
            let has_own = |name: &String| own.iter().any(|&c| graph.nodes[c].name == *name);
            let under_cfg: Vec<String> = r
                .overridden
                .iter()
                .chain(&r.inherited)
                .filter(|i| gated(i))
                .filter_map(present)
                .collect();
            scope.contains(graph, node).then(|| ImplDefaults {
                under_cfg,
                impl_ref: NodeRef::new(graph, node),
                trait_path: r
                    .trait_node
                    .and_then(|t| graph.node(t))
                    .map_or_else(String::new, |t| t.path.clone()),
                confidence: r.confidence,
                // Items a configuration leaves out are not in the graph: not listed; a
                // default whose override it leaves out is inherited in it.
                overridden: r
                    .overridden
                    .iter()
                    .filter_map(present)
                    .filter(|name| has_own(name))
                    .collect(),
                inherited: r
                    .inherited
                    .iter()
                    .filter_map(present)
                    .chain(
                        r.overridden
                            .iter()
                            .filter_map(present)
                            .filter(|name| !has_own(name)),
                    )
                    .collect(),
            })
        })
        .collect();
    impls.sort_by(|a, b| {
        (&a.impl_ref.file, a.impl_ref.line, &a.impl_ref.path).cmp(&(
            &b.impl_ref.file,
            b.impl_ref.line,
            &b.impl_ref.path,
        ))
    });
    // `--stats` counts what the answer holds: the matching exceptions and impls in scope.
    let stats = with_stats.then(|| {
        let mut store = crate::exceptions::StoreStats {
            exceptions: rows.len(),
            impls: impls.len(),
            ..Default::default()
        };
        for r in &rows {
            *store.by_kind.entry(r.kind).or_insert(0) += 1;
            *store.by_source.entry(r.source).or_insert(0) += 1;
        }
        let mut counts: std::collections::BTreeMap<String, (usize, usize)> =
            std::collections::BTreeMap::new();
        for i in &impls {
            for name in &i.overridden {
                counts
                    .entry(format!("{}::{name}", i.trait_path))
                    .or_default()
                    .0 += 1;
            }
            for name in &i.inherited {
                counts
                    .entry(format!("{}::{name}", i.trait_path))
                    .or_default()
                    .1 += 1;
            }
        }
        let overrides: Vec<OverrideRow> = counts
            .into_iter()
            .filter(|(item, _)| {
                filter
                    .item
                    .as_ref()
                    .is_none_or(|i| item.rsplit("::").next() == Some(i.as_str()))
            })
            .map(|(item, (o, i))| OverrideRow {
                item,
                overridden: o,
                inherited: i,
                override_likelihood: (o as f64 + 1.0) / ((o + i) as f64 + 2.0),
            })
            .collect();
        Stats { store, overrides }
    });
    let mut summary: Vec<KindCount> = Vec::new();
    for r in &rows {
        match summary.iter_mut().find(|k| k.kind == r.kind) {
            Some(k) => k.count += 1,
            None => summary.push(KindCount {
                kind: r.kind,
                count: 1,
                finding: r.kind.is_finding(),
                listed: r.kind.is_finding() || filter.lists_routine(),
            }),
        }
    }
    let routine = filter.lists_routine();
    if !routine {
        rows.retain(|r| r.kind.is_finding());
    }
    let impls_not_listed = if routine { 0 } else { impls.len() };
    if !routine {
        impls.clear();
    }
    Ok(ExceptionsReport {
        summary,
        exceptions: rows,
        impls,
        impls_not_listed,
        stats,
    })
}

/// `ty`, its impls (from the impl records) and their associated items.
fn nodes_of_type(graph: &Graph, ty: NodeId, records: &[ImplRecord]) -> HashSet<NodeId> {
    let mut out = HashSet::from([ty]);
    for r in records.iter().filter(|r| r.self_type == Some(ty)) {
        out.insert(r.node);
        out.extend(
            graph
                .associated_items(r.node)
                .into_iter()
                .map(|i| graph.nodes[i].id),
        );
    }
    out
}

fn view(graph: &Graph, value: &Value) -> ValueView {
    let mut v = ValueView {
        path: None,
        qualified: None,
        signature: None,
        file: None,
        line: None,
        body_fingerprint: None,
        level: None,
        set_by: None,
    };
    let located = |v: &mut ValueView, id: NodeId| {
        if let Some(n) = graph.node(id) {
            v.path = Some(n.path.clone());
            v.file = n.span.as_ref().map(|s| s.file.to_string());
            v.line = n.span.as_ref().map(|s| s.line);
        }
    };
    match value {
        Value::Item { node, body } => {
            located(&mut v, *node);
            v.signature = graph.node(*node).map(|n| n.signature.clone());
            v.qualified = graph.node(*node).map(|n| qualified_path(graph, n));
            v.body_fingerprint = (*body != 0).then(|| format!("{body:016x}"));
        }
        Value::Level { level, origin } => {
            v.level = Some(*level);
            match origin {
                LevelOrigin::Attribute(id) => {
                    located(&mut v, *id);
                    v.set_by = Some("attribute".into());
                }
                LevelOrigin::Manifest(table) => v.set_by = Some(table.as_str().into()),
            }
        }
        Value::DefaultLevel => v.set_by = Some("default".into()),
    }
    v
}

fn path_of(graph: &Graph, value: &Value) -> String {
    match value {
        Value::Item { node, .. } => graph
            .node(*node)
            .map_or_else(|| "?".into(), |n| qualified_path(graph, n)),
        _ => String::new(),
    }
}

fn level_text(graph: &Graph, value: &Value) -> String {
    match value {
        Value::Level { level, origin } => match origin {
            LevelOrigin::Attribute(id) => format!(
                "`{level}` set on `{}`",
                graph.node(*id).map_or("?", |n| n.path.as_str())
            ),
            LevelOrigin::Manifest(t) => format!("`{level}` set in {}", t.as_str()),
        },
        _ => "rustc's default level".into(),
    }
}

/// The human reason for an exception.
fn reason(graph: &Graph, node: &Node, e: &Exception, property: &str, note: Option<&str>) -> String {
    let inherited = path_of(graph, &e.inherited);
    let actual = path_of(graph, &e.actual);
    let method = property.rsplit("::").next().unwrap_or(property);
    if let (Source::Imported, Some(n)) = (e.source, note) {
        return n.to_string();
    }
    match e.kind {
        ExceptionKind::OverriddenDefault => {
            format!("`{}` overrides the default `{inherited}`", node.name)
        }
        ExceptionKind::RedundantOverride => format!(
            "`{actual}` is token for token the default `{inherited}`; delete it to inherit the default"
        ),
        ExceptionKind::InherentShadowsTrait => format!(
            "inherent `{actual}` wins over `{inherited}` at `x.{method}()`; call the trait's as `Trait::{method}(&x)`"
        ),
        ExceptionKind::AmbiguousTraitMethods => format!(
            "`{}` gets `{method}` from `{inherited}` and `{actual}`; `x.{method}()` is ambiguous where both traits are in scope",
            node.path
        ),
        ExceptionKind::DerefShadowing => format!(
            "`{actual}` hides `{inherited}`, which `x.{method}()` would reach through `Deref`"
        ),
        ExceptionKind::LintLevel => match note {
            Some(n) => n.to_string(),
            None => format!(
                "`#[{}({property})]` replaces {}",
                match e.actual {
                    Value::Level { level, .. } => level.as_str(),
                    _ => "?",
                },
                level_text(graph, &e.inherited)
            ),
        },
    }
}

fn row(graph: &Graph, node: &Node, e: &Entry) -> ExceptionRow {
    let r = NodeRef::new(graph, node);
    ExceptionRow {
        source: e.exception.source,
        kind: e.exception.kind,
        property: e.property.clone(),
        node: node.path.clone(),
        node_kind: node.kind,
        file: r.file,
        line: r.line,
        package: r.package,
        inherited: view(graph, &e.exception.inherited),
        actual: view(graph, &e.exception.actual),
        reason: reason(graph, node, &e.exception, &e.property, e.note.as_deref()),
        confidence: e.exception.confidence,
        recorded_at: e.exception.recorded_at,
    }
}

/// An exception as another tool (or an earlier `exceptions --format json`) writes it:
/// nodes by path.
#[derive(Clone, Debug, Deserialize)]
struct ImportedRow {
    kind: ExceptionKind,
    property: String,
    node: String,
    #[serde(default = "one")]
    confidence: f32,
    #[serde(default)]
    inherited: Option<ValueView>,
    #[serde(default)]
    actual: Option<ValueView>,
    #[serde(default)]
    reason: Option<String>,
}

fn one() -> f32 {
    1.0
}

/// Result of [`import`].
#[derive(Clone, Debug, Default)]
pub struct Imported {
    /// Exceptions added.
    pub added: usize,
    /// Rows skipped, with why.
    pub skipped: Vec<String>,
}

/// Adds the exceptions of a JSON document (an `exceptions --format json` answer, or an array
/// of its rows) to the graph's store, marked [`Source::Imported`] with their kind kept.
/// Nodes are matched by exact path; rows naming unknown nodes are skipped and listed.
///
/// # Errors
/// Usage error when the text is not such a document.
pub fn import(graph: &Graph, text: &str, origin: &str) -> Result<Imported> {
    let doc: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        Error::Usage(format!(
            "{origin}: not JSON ({e}); expected the output of `exceptions --format json`"
        ))
    })?;
    let rows = doc.get("exceptions").cloned().unwrap_or(doc);
    let rows: Vec<ImportedRow> = serde_json::from_value(rows).map_err(|e| {
        Error::Usage(format!(
            "{origin}: {e}; expected an `exceptions` array of rows with kind, property and node"
        ))
    })?;
    // One map, not a scan of every node per row (the first node of a path wins).
    let mut paths: std::collections::HashMap<&str, NodeId> = std::collections::HashMap::new();
    for n in &graph.nodes {
        paths.entry(n.path.as_str()).or_insert(n.id);
    }
    let by_path = |p: &str| paths.get(p).copied();
    let value = |v: &Option<ValueView>| -> Value {
        match v {
            Some(ValueView {
                level: Some(level),
                set_by,
                path,
                ..
            }) => {
                use crate::lint::ManifestTable;
                let origin = match set_by.as_deref() {
                    Some(t) if t == ManifestTable::Workspace.as_str() => {
                        LevelOrigin::Manifest(ManifestTable::Workspace)
                    }
                    Some(t) if t == ManifestTable::Package.as_str() => {
                        LevelOrigin::Manifest(ManifestTable::Package)
                    }
                    _ => match path.as_deref().and_then(by_path) {
                        Some(id) => LevelOrigin::Attribute(id),
                        None => return Value::DefaultLevel,
                    },
                };
                Value::Level {
                    level: *level,
                    origin,
                }
            }
            Some(ValueView { path: Some(p), .. }) => by_path(p)
                .map(|node| Value::Item { node, body: 0 })
                .unwrap_or(Value::DefaultLevel),
            _ => Value::DefaultLevel,
        }
    };
    let mut out = Imported::default();
    for r in rows {
        let Some(node) = by_path(&r.node) else {
            out.skipped.push(format!(
                "{}: no item `{}` in this workspace",
                r.property, r.node
            ));
            continue;
        };
        let e = Exception::new(
            r.kind,
            Source::Imported,
            r.confidence,
            value(&r.inherited),
            value(&r.actual),
        );
        graph
            .exceptions
            .add_with_note(node, &r.property, e, r.reason.as_deref());
        out.added += 1;
    }
    Ok(out)
}
