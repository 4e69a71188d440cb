//! Human renderings of query results. Pure functions from results to text.

use super::output::Output;
use crate::engine::Refresh;
use crate::engine::explain::Action;
use crate::graph::Graph;
use crate::query::blast_radius::BlastRadius;
use crate::query::cycles::{Cycles, Level};
use crate::query::exceptions::{ExceptionsReport, ValueView};
use crate::query::implements::Implementations;
use crate::query::resolve::{Definition, Outcome, Resolution};
use crate::query::search::SearchResults;
use crate::query::stats::{BuildReport, PhaseTimes};
use std::fmt::Write;

fn counts(map: &std::collections::BTreeMap<String, usize>) -> String {
    map.iter()
        .map(|(k, v)| format!("{k} {v}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `build`.
pub fn build(out: &Output, r: &BuildReport) -> String {
    let mut s = String::new();
    let state = match &r.rebuilt_because {
        _ if !r.persisted => {
            "none written (ingest prints the dump's graph; `--format json` prints it whole)"
                .to_string()
        }
        Some(why) => format!("rebuilt ({why})"),
        None => "up to date".to_string(),
    };
    let _ = writeln!(s, "{} {state}", out.bold("snapshot:"));
    if !r.members.is_empty() {
        let here = r
            .current_package
            .as_ref()
            .map(|p| format!(" (you are in {p}; answers cover every member, -p narrows)"))
            .unwrap_or_default();
        let _ = writeln!(s, "{} {}{here}", out.bold("members:"), r.members.join(", "));
    }
    let _ = writeln!(
        s,
        "{} {} crates, {} files, {} nodes, {} edges",
        out.bold("graph:"),
        r.crates,
        r.files,
        r.nodes,
        r.edges
    );
    let _ = writeln!(s, "{} {}", out.bold("nodes:"), counts(&r.nodes_by_kind));
    let _ = writeln!(s, "{} {}", out.bold("edges:"), counts(&r.edges_by_kind));
    let _ = writeln!(s, "{} {}", out.bold("problems:"), r.diagnostics.len());
    for d in &r.diagnostics {
        let _ = writeln!(s, "  {d}");
    }
    if !r.coverage.is_empty() {
        let _ = writeln!(s, "{}", out.bold("coverage:"));
    }
    for p in &r.coverage {
        let _ = writeln!(s, "  {}", coverage_line(p));
        for f in p.unreached_files.iter().take(5) {
            let _ = writeln!(s, "    unreached: {f}");
        }
        if p.unreached_files.len() > 5 {
            let _ = writeln!(
                s,
                "    … {} more unreached (`--format json` lists them)",
                p.unreached_files.len() - 5
            );
        }
    }
    let c = &r.file_counts;
    let _ = writeln!(
        s,
        "{} {} reused, {} re-hashed, {} parsed, {} re-extracted",
        out.bold("files:"),
        c.reused,
        c.rehashed,
        c.parsed,
        c.reextracted
    );
    let _ = writeln!(s, "{} {}", out.bold("time:"), phase_line(&r.timings_ms));
    if let Some(unresolved) = &r.unresolved {
        let _ = writeln!(s, "{} {}", out.bold("unresolved paths:"), unresolved.len());
        for u in unresolved {
            let _ = writeln!(
                s,
                "  {}: {}:{}:{} {}",
                u.package, u.file, u.line, u.column, u.path
            );
        }
    }
    if let Some(explain) = &r.explain {
        let _ = writeln!(s, "{}", out.bold("explain:"));
        for e in explain {
            let action = match e.action {
                Action::Reused => "reused",
                Action::Rehashed => "re-hashed",
                Action::Reparsed => "re-parsed",
                Action::Dropped => "dropped",
            };
            let broken = if e.broken { " (does not parse)" } else { "" };
            let _ = writeln!(s, "  {:<9} {} {}{broken}", action, e.path, e.reason);
        }
    }
    s
}

/// `serde_core: 26 files, 0 unreached; edges 91% high, 7% medium, 2% low; macro calls not
/// expanded: no rule matched 4`.
fn coverage_line(p: &crate::query::coverage::PackageCoverage) -> String {
    let total: usize = p.edges_by_confidence.values().sum();
    let share = |level: &str| {
        let n = p.edges_by_confidence.get(level).copied().unwrap_or(0);
        (n * 100 + total / 2).checked_div(total).unwrap_or(0)
    };
    let mut line = format!(
        "{}: {} file{}, {} unreached; edges {}% high, {}% medium, {}% low",
        p.package,
        p.files_indexed,
        if p.files_indexed == 1 { "" } else { "s" },
        p.unreached_files.len(),
        share("high"),
        share("medium"),
        share("low")
    );
    if p.unresolved_paths > 0 {
        let plural = if p.unresolved_paths == 1 { "" } else { "s" };
        line.push_str(&format!(
            "; {} unresolved path{plural} (`build --unresolved` lists them)",
            p.unresolved_paths
        ));
    }
    if !p.unexpanded_macros.is_empty() {
        line.push_str("; macro calls not expanded: ");
        line.push_str(&counts(&p.unexpanded_macros));
    }
    if p.items_in_bodies_not_indexed > 0 {
        let n = p.items_in_bodies_not_indexed;
        line.push_str(&format!(
            "; {n} item{} declared in expressions outside bodies and initializers not indexed",
            if n == 1 { "" } else { "s" }
        ));
    }
    if p.module_variants_without_file > 0 {
        let n = p.module_variants_without_file;
        line.push_str(&format!(
            "; {n} `cfg_attr(path)` module{} without a file where no variant applies",
            if n == 1 { "" } else { "s" }
        ));
    }
    line
}

fn phase_line(t: &PhaseTimes) -> String {
    format!(
        "metadata {:.1} ms, lock {:.1} ms, stat {:.1} ms, hash {:.1} ms, load {:.1} ms, read {:.1} ms, parse {:.1} ms, link {:.1} ms, write {:.1} ms",
        t.metadata, t.lock, t.stat, t.hash, t.load, t.read, t.parse, t.resolve, t.write
    )
}

/// The `--timings` status line; `metadata_reused` says the metadata phase read an earlier
/// call's record instead of running cargo.
pub fn timings(refresh: &Refresh, metadata: std::time::Duration, metadata_reused: bool) -> String {
    let line = phase_line(&crate::query::stats::phase_times(refresh, metadata));
    if metadata_reused {
        line.replacen(" ms,", " ms (recorded),", 1)
    } else {
        line
    }
}

/// Longest self type shown in a what-implements column; longer ones are cut with `…`
/// (JSON keeps them whole).
const SELF_TYPE_COLUMN: usize = 48;
/// Longest trait (with its generic arguments) shown in a what-implements column.
const TRAIT_COLUMN: usize = 40;

/// `text` cut to `width` characters, the last one `…` when anything was cut.
fn ellipsis(text: &str, width: usize) -> String {
    if text.chars().count() <= width {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(width.saturating_sub(1)).collect();
    cut.push('…');
    cut
}

/// `what-implements`.
pub fn implementations(out: &Output, r: &Implementations) -> String {
    let mut s = String::new();
    let n = r.impls.len();
    let _ = writeln!(
        s,
        "{}: {n} impl{}",
        out.bold(&r.trait_ref.path),
        if n == 1 { "" } else { "s" }
    );
    let shown: Vec<String> = r
        .impls
        .iter()
        .map(|i| ellipsis(&i.self_type, SELF_TYPE_COLUMN))
        .collect();
    let width = shown.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    // The trait as each impl writes it, when its generic arguments tell impls apart.
    let written: Vec<String> = r
        .impls
        .iter()
        .map(|i| {
            if i.trait_written.contains('<') {
                format!("as {}  ", ellipsis(&i.trait_written, TRAIT_COLUMN))
            } else {
                String::new()
            }
        })
        .collect();
    let written_width = written.iter().map(|t| t.chars().count()).max().unwrap_or(0);
    let mut guessed = false;
    for ((i, self_type), as_trait) in r.impls.iter().zip(&shown).zip(&written) {
        let how = match (&i.generated_by, i.derived) {
            (Some(m), _) => format!("generated by {m}"),
            (None, true) => "derived".to_string(),
            (None, false) => "written".to_string(),
        };
        let loc = format!("{}:{}", i.file, i.line);
        guessed |= i.confidence < crate::graph::Confidence::High;
        let pad = width - self_type.chars().count();
        let pad_trait = written_width - as_trait.chars().count();
        let _ = writeln!(
            s,
            "  {self_type}{:pad$}  {as_trait}{:pad_trait$}{}  {how}{}",
            "",
            "",
            out.dim(&loc),
            out.confidence_mark(i.confidence)
        );
    }
    if guessed {
        let _ = writeln!(
            s,
            "{}",
            out.dim("[medium]: the trait was named through a glob import or the prelude; [low]: by its last segment only")
        );
    }
    let _ = writeln!(s, "{}", out.dim(&r.edges.to_string()));
    s
}

/// `blast-radius`.
pub fn blast_radius(out: &Output, r: &BlastRadius) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{} ({}, {}{}): {} dependent{} in {} package{}",
        out.bold(&r.entity.path),
        r.entity.kind.as_str(),
        r.entity.location(),
        r.entity.variants_note().replace("  cfg", "; cfg"),
        r.total,
        if r.total == 1 { "" } else { "s" },
        r.packages.len(),
        if r.packages.len() == 1 { "" } else { "s" }
    );
    let mut marks = std::collections::BTreeSet::new();
    for level in &r.levels {
        let _ = writeln!(s, "{}", out.bold(&format!("depth {}", level.depth)));
        for d in &level.dependents {
            let at = d
                .via
                .span
                .as_ref()
                .map(|sp| format!(" at {sp}"))
                .unwrap_or_default();
            let why = format!("{} {}{at}", d.via.kind.as_str(), d.via.to);
            // What breaks is the rule; what only a body change reaches is marked.
            let effect = match d.effect {
                crate::query::blast_radius::Effect::Breaks => "",
                crate::query::blast_radius::Effect::Behaviour => "  [behaviour]",
            };
            marks.insert(d.confidence);
            let _ = writeln!(
                s,
                "  {} ({}, {})  {}{effect}{}{}",
                d.node.path,
                d.node.kind.as_str(),
                d.node.location(),
                out.dim(&why),
                out.confidence_mark(d.confidence),
                out.dim(&d.node.variants_note()),
            );
        }
    }
    if r.truncated > 0 {
        let _ = writeln!(
            s,
            "note: {} more dependents not shown; raise --limit to see them",
            r.truncated
        );
    }
    if r.depth_limited {
        let _ = writeln!(s, "note: stopped at --depth; deeper dependents exist");
    }
    if let Some(legend) = confidence_legend(&marks) {
        let _ = writeln!(s, "{}", out.dim(&legend));
    }
    if let Some(line) = below_min_line(r.below_min_confidence, r.min_confidence) {
        let _ = writeln!(s, "{line}");
    }
    let _ = writeln!(s, "{}", out.dim(&r.edges.to_string()));
    s
}

/// What the `[medium]` and `[low]` marks among `shown` mean; `None` when no row is marked.
pub(super) fn confidence_legend(
    shown: &std::collections::BTreeSet<crate::graph::Confidence>,
) -> Option<String> {
    use crate::graph::Confidence;
    let mut parts = Vec::new();
    if shown.contains(&Confidence::Medium) {
        parts.push("[medium]: reached only through a glob import, the prelude or a trait lookup");
    }
    if shown.contains(&Confidence::Low) {
        parts.push("[low]: only through a name-only match");
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// `+ 916 more through name-only matches: --min-confidence low`, when edges below the
/// walk's confidence would add dependents.
pub(super) fn below_min_line(count: usize, min: crate::graph::Confidence) -> Option<String> {
    use crate::graph::Confidence;
    (count > 0).then(|| {
        let through = match min {
            Confidence::Medium => "name-only matches",
            _ => "medium- or low-confidence edges",
        };
        format!("+ {count} more through {through}: --min-confidence low")
    })
}

/// `graph`: the members by depth, then the edges among them.
pub fn neighbourhood(out: &Output, r: &crate::query::neighbourhood::Neighbourhood) -> String {
    let mut s = String::new();
    let what = if r.reverse {
        "dependents"
    } else {
        "dependencies"
    };
    let _ = writeln!(
        s,
        "{} ({}, {}) and its {what}: {} nodes, {} edges",
        out.bold(&r.entity.path),
        r.entity.kind.as_str(),
        r.entity.location(),
        r.members.len(),
        r.links.len()
    );
    for m in r.members.iter().skip(1) {
        let _ = writeln!(
            s,
            "  depth {}  {} ({}, {})",
            m.depth,
            m.node.path,
            m.node.kind.as_str(),
            m.node.location()
        );
    }
    for l in &r.links {
        let _ = writeln!(
            s,
            "  {}",
            out.dim(&format!("{} {} {}", l.from, l.kind.as_str(), l.to))
        );
    }
    if r.trimmed > 0 {
        let _ = writeln!(
            s,
            "note: {} more nodes not shown; raise --limit to see them",
            r.trimmed
        );
    }
    s
}

/// `find-cycles`.
pub fn cycles(out: &Output, r: &Cycles) -> String {
    let mut s = String::new();
    let level = match r.level {
        Level::Module => "module",
        Level::Item => "item",
    };
    let n = r.cycles.len();
    let _ = writeln!(
        s,
        "{n} cycle{} at {level} level",
        if n == 1 { "" } else { "s" }
    );
    for (i, c) in r.cycles.iter().enumerate() {
        let _ = writeln!(
            s,
            "{} ({} members)",
            out.bold(&format!("cycle {}", i + 1)),
            c.members.len()
        );
        for m in &c.members {
            let _ = writeln!(s, "  {} ({})", m.path, m.location());
        }
        let _ = writeln!(s, "  chain:");
        for step in &c.chain {
            let at = step
                .span
                .as_ref()
                .map(|sp| format!(" at {sp}"))
                .unwrap_or_default();
            let _ = writeln!(
                s,
                "    {} -> {}  {}",
                step.from,
                step.to,
                out.dim(&format!("{}{at}", step.kind.as_str()))
            );
        }
    }
    if !r.cycles.is_empty() {
        let _ = writeln!(s, "{}", out.dim(&r.edges.to_string()));
    }
    s
}

/// `search`.
pub fn search(out: &Output, r: &SearchResults) -> String {
    let mut s = String::new();
    let width = r
        .matches
        .iter()
        .map(|m| m.kind.as_str().len())
        .max()
        .unwrap_or(0);
    for m in &r.matches {
        let _ = writeln!(
            s,
            "{:<width$}  {}  {}{}",
            m.kind.as_str(),
            m.path,
            out.dim(&m.location()),
            out.dim(&m.variants_note())
        );
    }
    if r.matches.is_empty() {
        let _ = writeln!(s, "no entity matches `{}`", r.pattern);
    }
    if r.truncated > 0 {
        let _ = writeln!(
            s,
            "note: {} more matches not shown; raise --limit to see them",
            r.truncated
        );
    }
    s
}

/// `export` for people: one line per node, then one per edge.
pub fn export(graph: &Graph) -> String {
    let mut s = String::new();
    for n in &graph.nodes {
        let loc = n
            .span
            .as_ref()
            .map(|sp| sp.to_string())
            .unwrap_or_else(|| "external".into());
        let _ = writeln!(s, "node {} {} {} {loc}", n.id, n.kind.as_str(), n.path);
    }
    for e in &graph.edges {
        let _ = writeln!(
            s,
            "edge {} {} {} {:?}",
            e.from,
            e.kind.as_str(),
            e.to,
            e.confidence
        );
    }
    s
}

fn located(path: &Option<String>, file: &Option<String>, line: Option<u32>) -> String {
    match (path, file, line) {
        (Some(p), Some(f), Some(l)) => format!("{p} ({f}:{l})"),
        (Some(p), _, _) => p.clone(),
        _ => String::new(),
    }
}

fn value_text(v: &ValueView) -> String {
    match (&v.level, &v.set_by) {
        (Some(level), Some(by)) if by == "attribute" => {
            format!("{level} on {}", located(&v.path, &v.file, v.line))
        }
        (Some(level), Some(by)) => format!("{level} in {by}"),
        (None, Some(by)) if by == "default" => "rustc's default level".to_string(),
        _ => located(
            &v.qualified.clone().or_else(|| v.path.clone()),
            &v.file,
            v.line,
        ),
    }
}

/// `exceptions`.
pub fn exceptions(out: &Output, r: &ExceptionsReport) -> String {
    let mut s = String::new();
    if let Some(stats) = &r.stats {
        let st = &stats.store;
        let by = |m: Vec<(&str, usize)>| {
            m.iter()
                .map(|(k, v)| format!("{k} {v}"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = writeln!(
            s,
            "{} {} ({})",
            out.bold("exceptions:"),
            st.exceptions,
            by(st.by_kind.iter().map(|(k, v)| (k.as_str(), *v)).collect())
        );
        let _ = writeln!(
            s,
            "{} {}",
            out.bold("sources:"),
            by(st.by_source.iter().map(|(k, v)| (k.as_str(), *v)).collect())
        );
        let _ = writeln!(s, "{} {}", out.bold("impl records:"), st.impls);
        let _ = writeln!(s, "{}", out.bold("trait defaults:"));
        let width = stats
            .overrides
            .iter()
            .map(|o| o.item.len())
            .max()
            .unwrap_or(0);
        for o in &stats.overrides {
            let _ = writeln!(
                s,
                "  {:<width$}  overridden {:>3}  inherited {:>3}  next implementor overrides: {:.0}%",
                o.item,
                o.overridden,
                o.inherited,
                o.override_likelihood * 100.0
            );
        }
        return s;
    }
    if !r.summary.is_empty() {
        let parts: Vec<String> = r
            .summary
            .iter()
            .map(|k| {
                let note = if k.listed {
                    ""
                } else {
                    " (routine; --all lists them)"
                };
                format!("{} {}{note}", k.count, k.kind.as_str())
            })
            .collect();
        let _ = writeln!(s, "{} {}", out.bold("found:"), parts.join(", "));
        let _ = writeln!(s);
    }
    for e in &r.exceptions {
        let loc = match (&e.file, e.line) {
            (Some(f), Some(l)) => format!("{f}:{l}"),
            _ => "external".into(),
        };
        let _ = writeln!(
            s,
            "{} {}  {}",
            out.bold(e.kind.as_str()),
            e.property,
            out.dim(&format!("{} {:.2}", e.source.as_str(), e.confidence))
        );
        let _ = writeln!(
            s,
            "  at        {} ({}, {loc})",
            e.node,
            e.node_kind.as_str()
        );
        let _ = writeln!(s, "  inherited {}", value_text(&e.inherited));
        let _ = writeln!(s, "  actual    {}", value_text(&e.actual));
        let _ = writeln!(s, "  reason    {}", e.reason);
    }
    if !r.impls.is_empty() {
        if !r.exceptions.is_empty() {
            let _ = writeln!(s);
        }
        let _ = writeln!(s, "{}", out.bold("trait impls and the defaults they keep:"));
        for i in &r.impls {
            let list = |v: &[String]| {
                if v.is_empty() {
                    "-".to_string()
                } else {
                    v.join(", ")
                }
            };
            let _ = writeln!(
                s,
                "  {} {}\n    overrides {}; inherits {}",
                i.impl_ref.path,
                out.dim(&i.impl_ref.location()),
                list(&i.overridden),
                list(&i.inherited)
            );
        }
    }
    let n = r.exceptions.len();
    let findings = r.exceptions.iter().filter(|e| e.kind.is_finding()).count();
    let impls = r.impls.len() + r.impls_not_listed;
    let _ = writeln!(
        s,
        "{n} exception{} listed ({findings} finding{}), {impls} trait impl{} with defaults{}",
        if n == 1 { "" } else { "s" },
        if findings == 1 { "" } else { "s" },
        if impls == 1 { "" } else { "s" },
        if r.impls_not_listed > 0 {
            " (--all lists them)"
        } else {
            ""
        }
    );
    s
}

/// `resolve`.
pub fn resolution(out: &Output, r: &Resolution) -> String {
    let mut s = String::new();
    let def = |d: &Definition| {
        format!(
            "{} ({})  {}",
            d.qualified,
            d.item.location(),
            one_line(&d.signature)
        )
    };
    let outcome = match r.outcome {
        Outcome::Inherent => "inherent method",
        Outcome::ImplItem => "impl's own item",
        Outcome::TraitDefault => "trait default",
        Outcome::Ambiguous => "ambiguous",
    };
    let _ = writeln!(
        s,
        "{}.{}(): {}",
        out.bold(&r.type_ref.path),
        r.method,
        out.bold(outcome)
    );
    if let Some(d) = &r.effective {
        let _ = writeln!(s, "  runs      {}", def(d));
    }
    if let Some(d) = &r.replaces {
        let _ = writeln!(s, "  replaces  {}", def(d));
    }
    for d in &r.shadowed {
        let _ = writeln!(s, "  shadows   {}", def(d));
    }
    for d in &r.candidates {
        let label = if r.outcome == Outcome::Ambiguous {
            "candidate"
        } else {
            "also     "
        };
        let _ = writeln!(s, "  {label} {}", def(d));
    }
    let _ = writeln!(s, "  why       {}", r.explanation);
    s
}

/// A multi-line signature on one line: `fn f(\n    a: u8,\n) -> u8` → `fn f(a: u8) -> u8`.
fn one_line(signature: &str) -> String {
    signature
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
        .replace("( ", "(")
        .replace(", )", ")")
        .replace(",)", ")")
        .replace(" )", ")")
}
