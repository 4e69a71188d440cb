//! blast-radius of a change set (`--since`, `--staged`, `--files`): the union of the radii
//! of the changed entities, the packages and tests inside it, and the CI gate.
//!
//! An interface change (or an added item) reaches every dependent that names the item or
//! overrides it ([`super::blast_radius::breaks`]); a removed or renamed item, every item
//! that named it on the old side, and their dependents. A body-only change reaches only callers, transitively, and
//! the impls that inherit a changed trait default (their `inherits` edge; impls overriding
//! the default stay out): those entities are marked *behavioural* — their code still
//! compiles, their behaviour may differ.

use super::blast_radius::{Via, behaves, breaks, reverse_walk};
use super::{ConfidenceCounts, NodeRef, group_variants};
use crate::changes::{ChangeKind, ChangeSet, ChangedEntity, FileChange};
use crate::graph::{Confidence, Graph};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One entity inside the radius.
#[derive(Clone, Debug, Serialize)]
pub struct Affected {
    /// The entity.
    pub node: NodeRef,
    /// Distance from the nearest changed entity (1 = direct).
    pub depth: usize,
    /// Reached only through body-only changes (callers, inheriting impls).
    pub behavioural: bool,
    /// The edge that brought it in.
    pub via: Via,
    /// How sure the row is: the weakest edge on the surest path from a changed entity.
    pub confidence: Confidence,
}

/// A test function inside the radius (or changed itself).
#[derive(Clone, Debug, Serialize)]
pub struct AffectedTest {
    /// The test function.
    pub node: NodeRef,
    /// Its name as libtest and nextest print it: the path inside its crate
    /// (`net::tests::parses`).
    pub name: String,
    /// nextest's binary id: `pkg` (lib), `pkg::name` (integration test), `pkg::bin/name`.
    pub binary_id: String,
    /// The `cargo test` target selection (`--lib`, `--test name`, `--bin name`).
    pub target_flag: String,
}

/// The CI gate: the limits asked for and which were exceeded.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Gate {
    /// `--max`: most entities the radius may hold (changed entities not counted).
    pub max: Option<usize>,
    /// `--max-crates`: most packages the change may touch (changed or affected).
    pub max_crates: Option<usize>,
    /// One line per exceeded limit; empty when the gate holds.
    pub tripped: Vec<String>,
}

/// The answer to `blast-radius --since/--staged/--files`.
#[derive(Clone, Debug, Serialize)]
pub struct Impact {
    /// What was compared.
    pub compared: String,
    /// Changed Rust files.
    pub files: Vec<FileChange>,
    /// Changed entities.
    pub changed: Vec<ChangedEntity>,
    /// Files one side of which does not parse (their entities are unclassified).
    pub unparsed: Vec<String>,
    /// The workspace root relative to the repository's top (empty when the same).
    pub workspace_dir: String,
    /// Entities inside the radius, by depth then path.
    pub affected: Vec<Affected>,
    /// Packages holding a changed or affected entity.
    pub packages: Vec<String>,
    /// Test functions changed or inside the radius, by binary and name.
    pub tests: Vec<AffectedTest>,
    /// `cargo nextest run` filter expression selecting those tests (`None` without tests).
    pub nextest_filter: Option<String>,
    /// Equivalent `cargo test` command lines, one per package and target.
    pub cargo_test: Vec<String>,
    /// The gate.
    pub gate: Gate,
    /// The confidences of the edges that brought in each affected entity.
    pub edges: ConfidenceCounts,
    /// The edge confidence the walk followed down to (`--min-confidence`).
    pub min_confidence: Confidence,
    /// How many more entities edges below `min_confidence` would add (the gate does not
    /// count them); 0 when the walk followed every edge.
    pub below_min_confidence: usize,
}

/// Computes the radius of `changes` over `graph`, ignoring edges below `min_confidence`, and
/// checks the limits.
pub fn impact(
    graph: &Graph,
    changes: ChangeSet,
    min_confidence: Confidence,
    max: Option<usize>,
    max_crates: Option<usize>,
) -> Impact {
    let reached = reach(graph, &changes, min_confidence);
    let changed: BTreeSet<usize> = changes.entities.iter().filter_map(|c| c.node).collect();
    // A row's confidence: the highest level whose edges alone still reach it.
    let mut sure: BTreeMap<usize, Confidence> = BTreeMap::new();
    for tier in [Confidence::High, Confidence::Medium] {
        if tier > min_confidence {
            for &n in reach(graph, &changes, tier).keys() {
                sure.entry(n).or_insert(tier);
            }
        }
    }
    let below_min_confidence = if min_confidence > Confidence::Low {
        let all = reach(graph, &changes, Confidence::Low);
        group_variants(
            graph,
            all.keys().copied().filter(|n| !reached.contains_key(n)),
        )
        .len()
    } else {
        0
    };
    // One row per item: the cfg variants of an entity are one row, at the nearest.
    let mut order: Vec<usize> = reached.keys().copied().collect();
    order.sort_by_key(|n| (reached[n].0, &graph.nodes[*n].path));
    let mut affected: Vec<Affected> = group_variants(graph, order)
        .into_iter()
        .map(|variants| {
            let (depth, via, behavioural) = &reached[&variants[0]];
            let confidence = variants
                .iter()
                .map(|v| sure.get(v).copied().unwrap_or(min_confidence))
                .max()
                .unwrap_or(min_confidence);
            Affected {
                node: NodeRef::of_variants(graph, &variants),
                depth: *depth,
                behavioural: *behavioural,
                via: via.clone(),
                confidence,
            }
        })
        .collect();
    affected.sort_by(|a, b| (a.depth, &a.node.path).cmp(&(b.depth, &b.node.path)));
    let edges = ConfidenceCounts::of(affected.iter().map(|a| a.via.confidence));
    let inside: Vec<usize> = changed.iter().chain(reached.keys()).copied().collect();
    let packages: BTreeSet<String> = inside
        .iter()
        .filter_map(|&n| graph.crate_of(&graph.nodes[n]).map(|c| c.package.clone()))
        .collect();
    let tests = tests_in(graph, &inside);
    let mut gate = Gate {
        max,
        max_crates,
        tripped: Vec::new(),
    };
    if let Some(m) = max
        && affected.len() > m
    {
        gate.tripped.push(format!(
            "{} entities affected, more than --max {m}",
            affected.len()
        ));
    }
    if let Some(m) = max_crates
        && packages.len() > m
    {
        gate.tripped.push(format!(
            "{} packages touched, more than --max-crates {m}",
            packages.len()
        ));
    }
    Impact {
        compared: changes.compared,
        files: changes.files,
        changed: changes.entities,
        unparsed: changes.unparsed,
        workspace_dir: changes.workspace_dir,
        affected,
        packages: packages.into_iter().collect(),
        nextest_filter: nextest_filter(&tests),
        cargo_test: cargo_test_commands(&tests),
        tests,
        gate,
        edges,
        min_confidence,
        below_min_confidence,
    }
}

/// What `changes` reach over edges of at least `min`: node → (depth, the edge that brought
/// it in, whether only body-only changes reach it). Changed entities are not included.
fn reach(
    graph: &Graph,
    changes: &ChangeSet,
    min_confidence: Confidence,
) -> BTreeMap<usize, (usize, Via, bool)> {
    // A renamed item's radius is what named it before (below); what names it now compiles.
    let starts = |interface: bool| -> Vec<usize> {
        changes
            .entities
            .iter()
            .filter(|c| c.change.is_interface() == interface && c.change != ChangeKind::Renamed)
            .filter_map(|c| c.node)
            // A changed item's cfg variants are the item.
            .flat_map(|n| super::variants_of(graph, n))
            .collect()
    };
    let structural = reverse_walk(graph, &starts(true), None, |edge, from, to| {
        breaks(graph, edge, from, to, min_confidence)
    });
    let behavioural = reverse_walk(graph, &starts(false), None, |edge, from, to| {
        behaves(graph, edge, from, to, min_confidence)
    });
    // A removed or renamed item's dependents on the old side no longer compile: they are
    // reached at depth 1, and their own dependents from there.
    let gone: Vec<&(usize, Via)> = changes
        .entities
        .iter()
        .flat_map(|c| &c.old_dependents)
        .filter(|(_, via)| via.confidence >= min_confidence)
        .collect();
    let gone_starts: Vec<usize> = gone.iter().map(|(n, _)| *n).collect();
    let beyond_gone = reverse_walk(graph, &gone_starts, None, |edge, from, to| {
        breaks(graph, edge, from, to, min_confidence)
    });
    let changed: BTreeSet<usize> = changes.entities.iter().filter_map(|c| c.node).collect();
    // node → (depth, edge, behavioural); a nearer structural reach wins.
    let mut reached: BTreeMap<usize, (usize, Via, bool)> = BTreeMap::new();
    let mut reach = |node: usize, depth: usize, via: Via, is_behavioural: bool| {
        if changed.contains(&node) {
            return;
        }
        let entry = reached
            .entry(node)
            .or_insert((depth, via.clone(), is_behavioural));
        if (!is_behavioural && entry.2) || (entry.2 == is_behavioural && depth < entry.0) {
            *entry = (depth, via, is_behavioural);
        }
    };
    for (n, via) in &gone {
        reach(*n, 1, via.clone(), false);
    }
    for &(depth, node, edge) in &beyond_gone.found {
        reach(node, depth + 1, Via::of(graph, &graph.edges[edge]), false);
    }
    for (walk, is_behavioural) in [(&structural, false), (&behavioural, true)] {
        for &(depth, node, edge) in &walk.found {
            reach(
                node,
                depth,
                Via::of(graph, &graph.edges[edge]),
                is_behavioural,
            );
        }
    }
    reached
}

/// The test functions among `nodes`, sorted by binary and name.
fn tests_in(graph: &Graph, nodes: &[usize]) -> Vec<AffectedTest> {
    let mut tests: Vec<AffectedTest> = nodes
        .iter()
        .map(|&n| &graph.nodes[n])
        .filter(|n| n.flags.is_test)
        .filter_map(|n| {
            let krate = graph.crate_of(n)?;
            let name = n
                .path
                .strip_prefix(&format!("{}::", krate.name))
                .unwrap_or(&n.path)
                .to_string();
            let (binary_id, target_flag) = match krate.target_kind.as_str() {
                "lib" | "proc-macro" => (krate.package.clone(), "--lib".to_string()),
                "test" => (
                    format!("{}::{}", krate.package, krate.target_name),
                    format!("--test {}", krate.target_name),
                ),
                kind => (
                    format!("{}::{kind}/{}", krate.package, krate.target_name),
                    format!("--{kind} {}", krate.target_name),
                ),
            };
            Some(AffectedTest {
                node: NodeRef::new(graph, n),
                name,
                binary_id,
                target_flag,
            })
        })
        .collect();
    tests.sort_by(|a, b| (&a.binary_id, &a.name).cmp(&(&b.binary_id, &b.name)));
    // A test declared once per cfg is one test.
    tests.dedup_by(|a, b| a.binary_id == b.binary_id && a.name == b.name);
    tests
}

/// `(binary_id(=pkg) & test(=a::b)) | …`
fn nextest_filter(tests: &[AffectedTest]) -> Option<String> {
    (!tests.is_empty()).then(|| {
        tests
            .iter()
            .map(|t| format!("(binary_id(={}) & test(={}))", t.binary_id, t.name))
            .collect::<Vec<_>>()
            .join(" | ")
    })
}

/// `cargo test -p pkg --lib -- --exact a::b c::d`, one per package and target.
fn cargo_test_commands(tests: &[AffectedTest]) -> Vec<String> {
    let mut groups: BTreeMap<(String, String), Vec<&str>> = BTreeMap::new();
    for t in tests {
        let package = t.node.package.clone().unwrap_or_default();
        groups
            .entry((package, t.target_flag.clone()))
            .or_default()
            .push(&t.name);
    }
    groups
        .into_iter()
        .map(|((package, target), names)| {
            format!(
                "cargo test -p {package} {target} -- --exact {}",
                names.join(" ")
            )
        })
        .collect()
}
