//! context: what an LLM needs to edit entities safely, ranked and cut to a token budget.
//!
//! For each target entity (named, or changed by `--staged` / `--since`): its signature, doc
//! line and location (and with `with_source` its source text). Around it, as candidates:
//! the signatures of what it uses; its callers and users with where they refer to it (one
//! and two steps away); for a trait, its items and its implementors with the defaults each
//! overrides or inherits (from the exception store's impl records); for a type, the traits
//! it implements and its methods; for a module, its items. A summary of the blast radius
//! (dependents, packages, tests inside) is always included.
//!
//! Candidates are ranked by relevance, `weight × (1 + centrality) / (1 + distance)`, where
//! distance counts edges from the nearest target, centrality is the node's PageRank
//! percentile ([`rank`]) and the weight is 1.5 for a target's members and impls, 1 for uses
//! and users, 0.5 for external items. The Markdown rendering ([`markdown`]) is then cut
//! to the budget, counted with a real BPE tokenizer ([`tokens`]): targets first, then their
//! sources, then candidates by rank; what did not fit is named in a closing note.

mod budget;
pub mod markdown;
pub mod rank;
pub mod tokens;

use super::NodeRef;
use super::blast_radius::depends;
use super::impact::impact;
use crate::changes::{ChangeKind, ChangeSet, ChangedEntity};
use crate::error::Result;
use crate::graph::{Confidence, EdgeKind, Graph, NodeKind};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::PathBuf;
pub use tokens::Tokenizer;

/// What the context is about.
#[derive(Clone, Debug)]
pub enum Subject {
    /// These nodes (indexes into [`Graph::nodes`]), in the order asked for.
    Entities(Vec<usize>),
    /// The entities a change set touches (see [`crate::changes::changed_entities`]).
    Changes(ChangeSet),
}

impl Subject {
    /// The items named in `names` (full paths or unambiguous suffixes), in that order.
    ///
    /// # Errors
    /// Usage error when a name is unknown or ambiguous.
    pub fn named(graph: &Graph, names: &[impl AsRef<str>]) -> Result<Subject> {
        names
            .iter()
            .map(|name| super::find_entity(graph, name.as_ref(), "item", |_| true))
            .collect::<Result<Vec<usize>>>()
            .map(Subject::Entities)
    }
}

/// How to build the context.
#[derive(Clone, Debug)]
pub struct Options {
    /// Most tokens the Markdown rendering may take, as `tokenizer` counts them.
    pub budget: usize,
    /// The vocabulary tokens are counted with.
    pub tokenizer: Tokenizer,
    /// Include the source text of the targets (read from `root`); modules are left out,
    /// their items stand for them.
    pub with_source: bool,
    /// Ignore edges below this confidence.
    pub min_confidence: Confidence,
    /// The workspace root that node spans are relative to.
    pub root: PathBuf,
}

/// A part of the context around the targets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Section {
    /// A module's items.
    Items,
    /// A trait's items (required and provided).
    TraitItems,
    /// A type's inherent methods and associated items.
    Methods,
    /// The trait impls of a type.
    Traits,
    /// The impls of a trait, with the defaults each overrides or inherits.
    Implementors,
    /// What the targets call, name or implement.
    Uses,
    /// What calls or names the targets, one or two steps away.
    Users,
}

impl Section {
    /// The heading the Markdown rendering gives the section.
    pub fn title(self) -> &'static str {
        match self {
            Section::Items => "Items",
            Section::TraitItems => "Trait items",
            Section::Methods => "Methods",
            Section::Traits => "Traits implemented",
            Section::Implementors => "Implementors",
            Section::Uses => "Uses",
            Section::Users => "Callers and users",
        }
    }

    /// The factor on an entry's relevance: a target's own members and impls (1.5) come
    /// before its uses and users (1.0) at the same distance.
    pub fn weight(self) -> f64 {
        match self {
            Section::Uses | Section::Users => 1.0,
            _ => 1.5,
        }
    }

    /// Whether the section is a code block of signatures (else a list of locations).
    pub fn is_code(self) -> bool {
        matches!(
            self,
            Section::Items | Section::TraitItems | Section::Methods | Section::Uses
        )
    }
}

/// An entity the context is about.
#[derive(Clone, Debug, Serialize)]
pub struct Target {
    /// The entity.
    pub node: NodeRef,
    /// Its signature (prettyplease-rendered, attributes and body left out).
    pub signature: String,
    /// The first line of its doc comment.
    pub doc: Option<String>,
    /// How it changed, for change sets.
    pub change: Option<ChangeKind>,
    /// Its source text (lines of its span), when asked for and within the budget.
    pub source: Option<String>,
    #[serde(skip)]
    index: usize,
}

/// One ranked piece of context around the targets.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    /// Where it goes.
    pub section: Section,
    /// The entity.
    pub node: NodeRef,
    /// Its signature; `None` for external items.
    pub signature: Option<String>,
    /// How it relates to `of`: the edge kind, from the user to what it uses (`calls`,
    /// `uses`, `implements`, `inherits`); `contains` for items, methods and impls.
    pub relation: EdgeKind,
    /// The path of the entity at the other end of `relation` (a target, or for users two
    /// steps away the user in between).
    pub of: String,
    /// 1-based line where the reference is written (in the user's file).
    pub at: Option<u32>,
    /// For trait items `provided`; for impls the defaults overridden and inherited
    /// (implementors) or the trait's path (traits implemented).
    pub detail: Option<String>,
    /// Edges from the nearest target.
    pub distance: usize,
    /// How sure the relation is: the weakest edge between the entry and the target
    /// (`high` for members).
    pub confidence: Confidence,
    /// PageRank percentile over the whole graph, 0.0–1.0.
    pub centrality: f64,
    /// `weight × (1 + centrality) / (1 + distance)`, see [`Section::weight`]; external
    /// items weigh 0.5.
    pub score: f64,
    /// Tokens of the entry's Markdown rendering.
    pub tokens: usize,
    #[serde(skip)]
    index: usize,
}

impl Entry {
    /// Node `n` as an entry of `section`, related to `of` by `relation`, `distance` edges
    /// from the nearest target, scored from `centrality` (see [`Entry::score`]).
    fn new(
        graph: &Graph,
        centrality: &[f64],
        section: Section,
        n: usize,
        relation: EdgeKind,
        of: usize,
        distance: usize,
    ) -> Entry {
        let node = &graph.nodes[n];
        let external = node.kind == NodeKind::External;
        let weight = if external { 0.5 } else { section.weight() };
        Entry {
            section,
            node: NodeRef::new(graph, node),
            signature: (!external).then(|| node.signature.clone()),
            relation,
            of: graph.nodes[of].path.clone(),
            at: None,
            detail: None,
            distance,
            confidence: Confidence::High,
            centrality: centrality[n],
            score: weight * (1.0 + centrality[n]) / (1.0 + distance as f64),
            tokens: 0,
            index: n,
        }
    }
}

/// The blast radius of the targets, summarised.
#[derive(Clone, Debug, Default, Serialize)]
pub struct RadiusSummary {
    /// Entities inside the radius (targets not counted).
    pub dependents: usize,
    /// Of those, direct dependents.
    pub direct: usize,
    /// Of those, reached only through body-only changes (change sets).
    pub behavioural: usize,
    /// Packages holding a target or a dependent.
    pub packages: Vec<String>,
    /// Test functions inside the radius (graph paths: crate name first).
    pub tests: Vec<String>,
    /// `cargo nextest run -E` filter for those tests.
    pub nextest_filter: Option<String>,
}

/// What the budget left out.
#[derive(Clone, Debug, Default, Serialize)]
pub struct LeftOut {
    /// Targets that did not fit (paths).
    pub targets: Vec<String>,
    /// Targets whose source did not fit (paths).
    pub sources: Vec<String>,
    /// Entries left out, per section.
    pub entries: BTreeMap<Section, usize>,
    /// The highest-ranked entries left out (paths, at most five).
    pub next: Vec<String>,
}

impl LeftOut {
    /// Whether nothing was left out.
    pub fn is_empty(&self) -> bool {
        self.targets.is_empty() && self.sources.is_empty() && self.entries.is_empty()
    }
}

/// The budget and what was spent.
#[derive(Clone, Debug, Serialize)]
pub struct Budget {
    /// The vocabulary.
    pub tokenizer: &'static str,
    /// Most tokens allowed.
    pub limit: usize,
    /// Tokens of the Markdown rendering.
    pub used: usize,
}

/// The answer to context.
#[derive(Clone, Debug, Serialize)]
pub struct Context {
    /// What the context is about (`gate_core::parse`, `the staged change`, …).
    pub title: String,
    /// For change sets: what was compared.
    pub compared: Option<String>,
    /// The targets that fit, by priority.
    pub targets: Vec<Target>,
    /// For change sets: removed entities (no longer in the graph).
    pub removed: Vec<ChangedEntity>,
    /// For change sets: files one side of which does not parse.
    pub unparsed: Vec<String>,
    /// The blast radius of the targets.
    pub radius: RadiusSummary,
    /// The entries that fit, by section, then by score (highest first).
    pub entries: Vec<Entry>,
    /// What the budget left out.
    pub left_out: LeftOut,
    /// The budget.
    pub budget: Budget,
}

/// Builds the context of `subject` over `graph` and cuts it to `opts.budget` tokens.
///
/// # Errors
/// Usage error when the budget cannot hold the first target's heading and signature.
pub fn context(graph: &Graph, subject: Subject, opts: &Options) -> Result<Context> {
    let centrality = rank::percentiles(&rank::pagerank(graph));
    let (title, changes) = match subject {
        Subject::Entities(nodes) => {
            let title = nodes
                .iter()
                .map(|&n| format!("`{}`", graph.nodes[n].path))
                .collect::<Vec<_>>()
                .join(", ");
            (title, entities_as_changes(graph, &nodes))
        }
        Subject::Changes(changes) => (format!("the change ({})", changes.compared), changes),
    };
    let compared = (!changes.compared.is_empty()).then(|| changes.compared.clone());
    let mut targets: Vec<Target> = Vec::new();
    for c in &changes.entities {
        let Some(n) = c.node else { continue };
        // One target per item (its cfg variants, and an item both changes name, are one).
        let same = |t: &Target| {
            t.index == n
                || (t.node.path == graph.nodes[n].path
                    && t.node.kind == graph.nodes[n].kind
                    && graph.nodes[t.index].krate == graph.nodes[n].krate)
        };
        if targets.iter().any(same) {
            continue;
        }
        let node = &graph.nodes[n];
        targets.push(Target {
            node: NodeRef::new(graph, node),
            signature: node.signature.clone(),
            doc: node.doc.clone(),
            change: compared.is_some().then_some(c.change),
            source: None,
            index: n,
        });
    }
    if compared.is_some() {
        // Interface changes first, then the most central.
        targets.sort_by(|a, b| {
            let body_only = |t: &Target| t.change.is_some_and(|c| !c.is_interface());
            body_only(a)
                .cmp(&body_only(b))
                .then_with(|| centrality[b.index].total_cmp(&centrality[a.index]))
        });
    }
    let removed: Vec<ChangedEntity> = changes
        .entities
        .iter()
        .filter(|c| c.node.is_none() && c.change == ChangeKind::Removed)
        .cloned()
        .collect();
    let unparsed = changes.unparsed.clone();
    let radius = summarise(&impact(graph, changes, opts.min_confidence, None, None));
    let target_nodes: Vec<usize> = targets.iter().map(|t| t.index).collect();
    let candidates = candidates(graph, &target_nodes, &centrality, opts.min_confidence);
    // Each file read once however many targets it holds.
    let mut files: HashMap<&str, Option<String>> = HashMap::new();
    let sources: Vec<Option<String>> = targets
        .iter()
        .map(|t| {
            // A module's source is its file: its items stand for it.
            if !opts.with_source || t.node.kind == NodeKind::Module {
                return None;
            }
            let span = graph.nodes[t.index].span.as_ref()?;
            // Only an indexed file (a validated snapshot names no other), and no more of it
            // than the parser would read.
            let text = files.entry(&*span.file).or_insert_with(|| {
                if !graph.files.iter().any(|f| *f.path == *span.file) {
                    return None;
                }
                read_capped(&opts.root.join(&*span.file))
            });
            span_lines(text.as_deref()?, span)
        })
        .collect();
    let mut context = Context {
        title,
        compared,
        targets,
        removed,
        unparsed,
        radius,
        entries: Vec::new(),
        left_out: LeftOut::default(),
        budget: Budget {
            tokenizer: opts.tokenizer.as_str(),
            limit: opts.budget,
            used: 0,
        },
    };
    budget::fit(&mut context, candidates, sources, opts.tokenizer)?;
    Ok(context)
}

/// Named entities as a change set of interface changes: their radius is every dependent.
fn entities_as_changes(graph: &Graph, nodes: &[usize]) -> ChangeSet {
    // The radius of a named item is blast-radius's: what an interface change breaks and
    // what a body change reaches, from each of its cfg variants.
    let entities = nodes
        .iter()
        .flat_map(|&n| crate::query::variants_of(graph, n))
        .flat_map(|n| [ChangeKind::Interface, ChangeKind::Body].map(|change| (n, change)))
        .map(|(n, change)| {
            let node = &graph.nodes[n];
            ChangedEntity {
                path: node.path.clone(),
                kind: node.kind.as_str().to_string(),
                file: node
                    .span
                    .as_ref()
                    .map(|s| s.file.to_string())
                    .unwrap_or_default(),
                line: node.span.as_ref().map_or(0, |s| s.line),
                change,
                node: Some(n),
                renamed_from: None,
                old_dependents: Vec::new(),
                old_at: Default::default(),
            }
        })
        .collect();
    ChangeSet {
        compared: String::new(),
        files: Vec::new(),
        entities,
        unparsed: Vec::new(),
        workspace_dir: String::new(),
        old_texts: Default::default(),
    }
}

/// The summary of a change-set radius.
fn summarise(r: &super::impact::Impact) -> RadiusSummary {
    RadiusSummary {
        dependents: r.affected.len(),
        direct: r.affected.iter().filter(|a| a.depth == 1).count(),
        behavioural: r.affected.iter().filter(|a| a.behavioural).count(),
        packages: r.packages.clone(),
        tests: r.tests.iter().map(|t| t.node.path.clone()).collect(),
        nextest_filter: r.nextest_filter.clone(),
    }
}

/// The file at `path` as text, if it is no longer than the parser's size cap
/// ([`crate::parse::MAX_FILE_LEN`]) and is UTF-8.
fn read_capped(path: &std::path::Path) -> Option<String> {
    use std::io::Read;
    let cap = crate::parse::MAX_FILE_LEN as u64;
    let mut bytes = Vec::new();
    std::fs::File::open(path)
        .ok()?
        .take(cap + 1)
        .read_to_end(&mut bytes)
        .ok()?;
    if bytes.len() as u64 > cap {
        return None;
    }
    String::from_utf8(bytes).ok()
}

/// The lines of `span` in `text` (the file it points into).
fn span_lines(text: &str, span: &crate::graph::Span) -> Option<String> {
    let lines: Vec<&str> = text
        .lines()
        .skip(span.line.saturating_sub(1) as usize)
        .take((span.end_line + 1).saturating_sub(span.line) as usize)
        .collect();
    (!lines.is_empty()).then(|| lines.join("\n"))
}

/// Every candidate entry around `targets`, deduplicated per section (the best-scored copy
/// kept), highest score first.
fn candidates(graph: &Graph, targets: &[usize], centrality: &[f64], min: Confidence) -> Vec<Entry> {
    let target_set: HashSet<usize> = targets.iter().copied().collect();
    let is_target = |n: usize| target_set.contains(&n);
    let mut found: HashMap<(Section, usize), Entry> = HashMap::new();
    let mut add = |section: Section,
                   n: usize,
                   relation: EdgeKind,
                   of: usize,
                   at: Option<u32>,
                   confidence: Confidence| {
        let distance = if section == Section::Users && !is_target(of) {
            2
        } else {
            1
        };
        let entry = Entry {
            at,
            confidence,
            detail: (section == Section::TraitItems && graph.nodes[n].flags.has_default)
                .then(|| "provided".to_string()),
            ..Entry::new(graph, centrality, section, n, relation, of, distance)
        };
        let score = entry.score;
        match found.get(&(section, n)) {
            Some(old) if old.score >= score => {}
            _ => {
                found.insert((section, n), entry);
            }
        }
    };
    let line = |e: &crate::graph::Edge| e.span.as_ref().map(|s| s.line);
    for &t in targets {
        let node = &graph.nodes[t];
        // What it uses.
        for &e in graph.outgoing(t) {
            let edge = &graph.edges[e];
            let Some(to) = graph.index_of(edge.to) else {
                continue;
            };
            if edge.kind != EdgeKind::Contains && edge.confidence >= min && !is_target(to) {
                add(Section::Uses, to, edge.kind, t, line(edge), edge.confidence);
            }
        }
        // Its users, and theirs.
        for &e in graph.incoming(t) {
            let edge = &graph.edges[e];
            let Some(user) = graph.index_of(edge.from) else {
                continue;
            };
            if is_target(user) || !depends(graph, edge, user, t, min) {
                continue;
            }
            add(
                Section::Users,
                user,
                edge.kind,
                t,
                line(edge),
                edge.confidence,
            );
            for &e2 in graph.incoming(user) {
                let edge2 = &graph.edges[e2];
                let Some(next) = graph.index_of(edge2.from) else {
                    continue;
                };
                if !is_target(next) && next != user && depends(graph, edge2, next, user, min) {
                    add(
                        Section::Users,
                        next,
                        edge2.kind,
                        user,
                        line(edge2),
                        edge.confidence.min(edge2.confidence),
                    );
                }
            }
        }
        // Its members.
        let members = match node.kind {
            NodeKind::Module => Some(Section::Items),
            NodeKind::Trait => Some(Section::TraitItems),
            NodeKind::Impl => Some(Section::Methods),
            _ => None,
        };
        if let Some(section) = members {
            for &e in graph.outgoing(t) {
                let edge = &graph.edges[e];
                if edge.kind == EdgeKind::Contains
                    && let Some(child) = graph.index_of(edge.to)
                {
                    add(
                        section,
                        child,
                        EdgeKind::Contains,
                        t,
                        None,
                        Confidence::High,
                    );
                }
            }
        }
    }
    let mut entries: Vec<Entry> = found.into_values().collect();
    let covered = impl_entries(graph, &target_set, centrality, &mut entries);
    // An impl or member listed in its own section (an inherent impl by its items) is not
    // repeated as a user or a use.
    let structural: HashSet<usize> = entries
        .iter()
        .filter(|e| !matches!(e.section, Section::Users | Section::Uses))
        .map(|e| e.index)
        .chain(covered)
        .collect();
    entries.retain(|e| {
        !matches!(e.section, Section::Users | Section::Uses) || !structural.contains(&e.index)
    });
    // Highest score first; path order among equals keeps the output stable.
    entries.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then_with(|| {
            (a.section, &a.node.path, a.index).cmp(&(b.section, &b.node.path, b.index))
        })
    });
    entries
}

/// Entries from the exception store's impl records: a trait target's implementors (with the
/// defaults each overrides or inherits); a type target's trait impls and inherent items.
/// Returns the inherent impls whose items were listed.
fn impl_entries(
    graph: &Graph,
    targets: &HashSet<usize>,
    centrality: &[f64],
    entries: &mut Vec<Entry>,
) -> Vec<usize> {
    let mut covered = Vec::new();
    let names = |ids: &[crate::graph::NodeId]| -> String {
        ids.iter()
            .filter_map(|&id| graph.node(id))
            .map(|n| format!("`{}`", n.name))
            .collect::<Vec<_>>()
            .join(", ")
    };
    for record in graph.exceptions.impls() {
        let Some(imp) = graph.index_of(record.node) else {
            continue;
        };
        let entry = |section, of: usize, detail: Option<String>| {
            let relation = if section == Section::Implementors {
                EdgeKind::Implements
            } else {
                EdgeKind::Contains
            };
            Entry {
                detail,
                ..Entry::new(graph, centrality, section, imp, relation, of, 1)
            }
        };
        let trait_target = record
            .trait_node
            .and_then(|t| graph.index_of(t))
            .filter(|t| targets.contains(t));
        if let Some(t) = trait_target {
            let mut parts = Vec::new();
            if !record.overridden.is_empty() {
                parts.push(format!("overrides {}", names(&record.overridden)));
            }
            if !record.inherited.is_empty() {
                parts.push(format!("inherits {}", names(&record.inherited)));
            }
            entries.push(entry(
                Section::Implementors,
                t,
                (!parts.is_empty()).then(|| parts.join("; ")),
            ));
        }
        let Some(ty) = record
            .self_type
            .and_then(|t| graph.index_of(t))
            .filter(|t| targets.contains(t))
        else {
            continue;
        };
        match record.trait_node.and_then(|t| graph.node(t)) {
            Some(tr) => {
                entries.push(entry(Section::Traits, ty, Some(tr.path.clone())));
            }
            None => {
                covered.push(imp);
                for item in graph.associated_items(record.node) {
                    if targets.contains(&item) {
                        continue;
                    }
                    entries.push(Entry::new(
                        graph,
                        centrality,
                        Section::Methods,
                        item,
                        EdgeKind::Contains,
                        ty,
                        1,
                    ));
                }
            }
        }
    }
    covered
}
