//! The blast radius of a change set in every format it has: text for people, Markdown for a
//! pull-request comment, SARIF 2.1.0 for code scanning, and GitHub Actions annotations.

use super::diagram::Diagram;
use super::output::Output;
use crate::changes::{ChangeKind, ChangedEntity};
use crate::query::NodeRef;
use crate::query::impact::Impact;
use serde_json::json;
use std::fmt::Write;

/// Largest radius drawn as a Mermaid diagram in the Markdown report.
const MARKDOWN_DIAGRAM_NODES: usize = 25;

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn changed_location(c: &ChangedEntity) -> String {
    format!("{}:{}", c.file, c.line)
}

fn gate_line(r: &Impact) -> Option<String> {
    if r.gate.max.is_none() && r.gate.max_crates.is_none() {
        return None;
    }
    Some(if r.gate.tripped.is_empty() {
        let mut limits = Vec::new();
        if let Some(m) = r.gate.max {
            limits.push(format!("{} ≤ --max {m}", r.affected.len()));
        }
        if let Some(m) = r.gate.max_crates {
            limits.push(format!("{} ≤ --max-crates {m}", r.packages.len()));
        }
        format!("gate passed ({})", limits.join(", "))
    } else {
        format!("gate tripped: {}", r.gate.tripped.join("; "))
    })
}

/// Text for people.
pub fn human(out: &Output, r: &Impact) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "{}", out.dim(&format!("compared {}", r.compared)));
    let _ = writeln!(
        s,
        "{} in {}",
        out.bold(&format!(
            "{} changed",
            plural(r.changed.len(), "entity", "entities")
        )),
        plural(r.files.len(), "file", "files")
    );
    for c in &r.changed {
        let _ = writeln!(
            s,
            "  {:<9} {}{} ({}, {})",
            c.change.as_str(),
            c.path,
            renamed_note(c),
            c.kind,
            changed_location(c)
        );
    }
    for f in &r.unparsed {
        let _ = writeln!(
            s,
            "  note: {f} does not parse on one side; its entities are not classified"
        );
    }
    let _ = writeln!(
        s,
        "{} in {}",
        out.bold(&format!(
            "{} affected",
            plural(r.affected.len(), "entity", "entities")
        )),
        plural(r.packages.len(), "package", "packages")
    );
    let mut marks = std::collections::BTreeSet::new();
    for a in &r.affected {
        let why = format!("{} {}", a.via.kind.as_str(), a.via.to);
        let mark = if a.behavioural { " [behavioural]" } else { "" };
        marks.insert(a.confidence);
        let _ = writeln!(
            s,
            "  depth {}  {} ({}, {}){mark}  {}{}{}",
            a.depth,
            a.node.path,
            a.node.kind.as_str(),
            a.node.location(),
            out.dim(&why),
            out.confidence_mark(a.confidence),
            out.dim(&a.node.variants_note()),
        );
    }
    if let Some(legend) = super::render::confidence_legend(&marks) {
        let _ = writeln!(s, "{}", out.dim(&legend));
    }
    if let Some(line) = super::render::below_min_line(r.below_min_confidence, r.min_confidence) {
        let _ = writeln!(s, "{line}");
    }
    if !r.tests.is_empty() {
        let _ = writeln!(
            s,
            "{}",
            out.bold(&format!(
                "{} in the radius",
                plural(r.tests.len(), "test", "tests")
            ))
        );
        for t in &r.tests {
            let _ = writeln!(s, "  {} ({})", t.name, t.binary_id);
        }
        if let Some(f) = &r.nextest_filter {
            let _ = writeln!(s, "  cargo nextest run --workspace -E '{f}'");
        }
        for c in &r.cargo_test {
            let _ = writeln!(s, "  {c}");
        }
    }
    if let Some(g) = gate_line(r) {
        let _ = writeln!(s, "{}", out.bold(&g));
    }
    let _ = writeln!(s, "{}", out.dim(&r.edges.to_string()));
    s
}

/// The changed entities that are in the graph, as nodes for diagrams.
pub fn changed_nodes(r: &Impact, graph: &crate::graph::Graph) -> Vec<NodeRef> {
    r.changed
        .iter()
        .filter_map(|c| c.node)
        .map(|n| NodeRef::new(graph, &graph.nodes[n]))
        .collect()
}

/// Markdown for a pull-request comment: a summary line, collapsible tables, the tests to
/// run, and a Mermaid diagram when the radius is small.
pub fn markdown(r: &Impact, diagram: &Diagram) -> String {
    let mut s = String::new();
    let _ = writeln!(s, "### cargo parseltongue: blast radius\n");
    let gate = match gate_line(r) {
        Some(g) if r.gate.tripped.is_empty() => format!(" — ✅ {g}"),
        Some(g) => format!(" — ❌ {g}"),
        None => String::new(),
    };
    let _ = writeln!(
        s,
        "**{}** changed, **{}** affected in **{}**, **{}** in the radius{gate}\n",
        plural(r.changed.len(), "entity", "entities"),
        plural(r.affected.len(), "entity", "entities"),
        plural(r.packages.len(), "package", "packages"),
        plural(r.tests.len(), "test", "tests"),
    );
    let _ = writeln!(s, "<sub>compared {}; {}</sub>\n", r.compared, r.edges);
    let _ = writeln!(
        s,
        "<details><summary>Changed entities ({})</summary>\n",
        r.changed.len()
    );
    let _ = writeln!(
        s,
        "| change | entity | kind | location |\n| --- | --- | --- | --- |"
    );
    for c in &r.changed {
        let _ = writeln!(
            s,
            "| {} | `{}`{} | {} | `{}` |",
            c.change.as_str(),
            c.path,
            renamed_note(c),
            c.kind,
            changed_location(c)
        );
    }
    let _ = writeln!(s, "\n</details>\n");
    let _ = writeln!(
        s,
        "<details><summary>Affected entities ({})</summary>\n",
        r.affected.len()
    );
    let _ = writeln!(
        s,
        "| depth | entity | location | via |\n| --- | --- | --- | --- |"
    );
    for a in &r.affected {
        let mark = if a.behavioural { " (behavioural)" } else { "" };
        let sure = match a.confidence {
            crate::graph::Confidence::High => "",
            crate::graph::Confidence::Medium => " (medium confidence)",
            crate::graph::Confidence::Low => " (low confidence: a name-only match)",
        };
        let _ = writeln!(
            s,
            "| {} | `{}`{mark} | `{}` | {} `{}`{sure} |",
            a.depth,
            a.node.path,
            a.node.location(),
            a.via.kind.as_str(),
            a.via.to
        );
    }
    if let Some(line) = super::render::below_min_line(r.below_min_confidence, r.min_confidence) {
        let _ = writeln!(s, "\n{line}");
    }
    let _ = writeln!(s, "\n</details>\n");
    if !r.tests.is_empty() {
        let _ = writeln!(
            s,
            "<details><summary>Tests in the radius ({})</summary>\n",
            r.tests.len()
        );
        let _ = writeln!(s, "```sh");
        if let Some(f) = &r.nextest_filter {
            let _ = writeln!(s, "cargo nextest run --workspace -E '{f}'");
        }
        for c in &r.cargo_test {
            let _ = writeln!(s, "{c}");
        }
        let _ = writeln!(s, "```\n\n</details>\n");
    }
    if diagram.len() > 1 && diagram.len() <= MARKDOWN_DIAGRAM_NODES {
        let _ = writeln!(s, "```mermaid\n{}```", diagram.mermaid());
    }
    s
}

/// ` (was helper)` after a renamed entity; empty otherwise.
fn renamed_note(c: &crate::changes::ChangedEntity) -> String {
    c.renamed_from
        .as_ref()
        .map_or_else(String::new, |old| format!(" (was {old})"))
}

/// SARIF 2.1.0: one result per changed entity (rule `interface-change`,
/// `behavioural-change`, `added-item`, `removed-item` or `renamed-item`) and one `blast-radius-gate` error
/// per exceeded limit; locations relative to the repository's top (`%SRCROOT%`), as code
/// scanning resolves them.
pub fn sarif(r: &Impact) -> String {
    let rules = [
        (
            "interface-change",
            "An item's signature, fields, variants or visibility changed; every dependent is in the radius.",
        ),
        (
            "behavioural-change",
            "Only an item's body changed; its callers (and impls inheriting a changed default) may behave differently.",
        ),
        ("added-item", "A new item."),
        (
            "removed-item",
            "An item was removed; code that names it no longer compiles.",
        ),
        (
            "renamed-item",
            "An item was renamed; code that names it by its old name no longer compiles.",
        ),
        (
            "blast-radius-gate",
            "The change's blast radius exceeds a limit set with --max or --max-crates.",
        ),
    ];
    let location = |file: &str, line: u32| {
        json!({
            "physicalLocation": {
                "artifactLocation": { "uri": uri_path(&repo_path(r, file)), "uriBaseId": "%SRCROOT%" },
                "region": { "startLine": line.max(1) }
            }
        })
    };
    let mut results: Vec<serde_json::Value> = r
        .changed
        .iter()
        .map(|c| {
            let (rule, level) = match c.change {
                ChangeKind::Interface => ("interface-change", "warning"),
                ChangeKind::Body => ("behavioural-change", "note"),
                ChangeKind::Added => ("added-item", "note"),
                ChangeKind::Removed => ("removed-item", "warning"),
                ChangeKind::Renamed => ("renamed-item", "warning"),
            };
            json!({
                "ruleId": rule,
                "level": level,
                "message": { "text": format!("{} change to {} ({}); the change's radius holds {}", c.change.as_str(), c.path, c.kind, plural(r.affected.len(), "entity", "entities")) },
                "locations": [location(&c.file, c.line)]
            })
        })
        .collect();
    for t in &r.gate.tripped {
        let mut result = json!({
            "ruleId": "blast-radius-gate",
            "level": "error",
            "message": { "text": t },
        });
        if let Some(c) = r.changed.first() {
            result["locations"] = json!([location(&c.file, c.line)]);
        }
        results.push(result);
    }
    let doc = json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "cargo-parseltongue",
                    "version": env!("CARGO_PKG_VERSION"),
                    "rules": rules.iter().map(|(id, text)| json!({
                        "id": id,
                        "shortDescription": { "text": text }
                    })).collect::<Vec<_>>()
                }
            },
            "results": results
        }]
    });
    let mut text = serde_json::to_string_pretty(&doc).expect("JSON values serialise");
    text.push('\n');
    text
}

/// `file` (relative to the workspace root) relative to the repository's top.
fn repo_path(r: &Impact, file: &str) -> String {
    if r.workspace_dir.is_empty() {
        file.to_string()
    } else {
        format!("{}/{file}", r.workspace_dir)
    }
}

/// A relative path as a URI reference (RFC 3986): every byte but the unreserved characters
/// and `/` percent-encoded, so a space, `%`, `#` or `?` in a file name stays part of the path.
fn uri_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// GitHub Actions workflow commands: a `::warning` per interface change or removal, a
/// `::notice` per body-only change or addition, an `::error` per exceeded limit; files
/// relative to the repository's top, as GitHub expects.
pub fn github_annotations(r: &Impact) -> String {
    let mut s = String::new();
    for c in &r.changed {
        let level = if matches!(
            c.change,
            ChangeKind::Interface | ChangeKind::Removed | ChangeKind::Renamed
        ) {
            "warning"
        } else {
            "notice"
        };
        let message = format!(
            "{} ({}) changed; the radius holds {}",
            c.path,
            c.kind,
            plural(r.affected.len(), "entity", "entities")
        );
        let _ = writeln!(
            s,
            "::{level} file={},line={},title=parseltongue {} change::{}",
            escape_property(&repo_path(r, &c.file)),
            c.line,
            c.change.as_str(),
            escape_data(&message)
        );
    }
    for t in &r.gate.tripped {
        let _ = writeln!(
            s,
            "::error title=parseltongue blast-radius gate::{}",
            escape_data(t)
        );
    }
    s
}

/// A workflow command's message: `%`, CR and LF escaped, so a file name or path with a line
/// break cannot start a command of its own.
fn escape_data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// A workflow command's property value: as [`escape_data`], and `:` and `,` too.
fn escape_property(text: &str) -> String {
    escape_data(text).replace(':', "%3A").replace(',', "%2C")
}

#[cfg(test)]
mod tests {
    use super::{escape_data, escape_property, uri_path};

    #[test]
    fn sarif_uris_are_percent_encoded() {
        assert_eq!(uri_path("src/a b#1%.rs"), "src/a%20b%231%25.rs");
        assert_eq!(uri_path("src/é.rs"), "src/%C3%A9.rs");
        assert_eq!(uri_path("crates/core/src/lib.rs"), "crates/core/src/lib.rs");
    }

    #[test]
    fn workflow_command_values_cannot_break_out() {
        assert_eq!(escape_data("a\n::error ::x 100%"), "a%0A::error ::x 100%25");
        assert_eq!(escape_property("src/a,b:c\r.rs"), "src/a%2Cb%3Ac%0D.rs");
    }
}
