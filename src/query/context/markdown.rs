//! The Markdown rendering of a [`Context`]: headings, code fences of signatures, lists of
//! locations. The budget is counted on this text, so each piece the budget weighs
//! ([`fixed`], [`target`], [`entry`], [`section`]) is rendered here and nowhere else.

use super::{Context, Entry, LeftOut, Section, Target};
use crate::graph::EdgeKind;
use std::fmt::Write;

/// Tests named in the radius summary before "and N more".
const TESTS_SHOWN: usize = 5;

/// The whole document: title, targets, removed entities, the radius summary, the sections
/// of entries and the note of what was left out.
pub fn render(ctx: &Context) -> String {
    let mut out = title(ctx);
    if ctx.targets.is_empty() && ctx.removed.is_empty() && ctx.left_out.targets.is_empty() {
        out.push_str("No entity changed.\n");
        return out;
    }
    for t in &ctx.targets {
        out.push_str(&target(t));
    }
    out.push_str(&summary(ctx));
    let mut current: Option<Section> = None;
    let mut body = String::new();
    for e in &ctx.entries {
        if current != Some(e.section) {
            if let Some(s) = current {
                out.push_str(&section(s, &body));
            }
            current = Some(e.section);
            body.clear();
        }
        body.push_str(&entry(e));
    }
    if let Some(s) = current {
        out.push_str(&section(s, &body));
    }
    out.push_str(&left_out(
        &ctx.left_out,
        ctx.budget.limit,
        ctx.budget.tokenizer,
    ));
    out
}

/// The parts every context has whatever the budget keeps: the title and the summary
/// (removed entities, unclassified files, the blast radius).
pub fn fixed(ctx: &Context) -> String {
    title(ctx) + &summary(ctx)
}

fn title(ctx: &Context) -> String {
    format!("# Context: {}\n\n", ctx.title)
}

/// Removed entities, unclassified files and the radius summary.
fn summary(ctx: &Context) -> String {
    let mut out = String::new();
    if !ctx.removed.is_empty() {
        out.push_str("## Removed\n\n");
        for r in &ctx.removed {
            let _ = writeln!(
                out,
                "- `{}` ({}), was at `{}:{}`",
                r.path, r.kind, r.file, r.line
            );
        }
        out.push('\n');
    }
    if !ctx.unparsed.is_empty() {
        let _ = writeln!(
            out,
            "_Not classified (one side does not parse): {}_\n",
            quoted(&ctx.unparsed)
        );
    }
    out.push_str(&radius(ctx));
    out
}

/// One target: heading, location, change, doc line, signature and (when present) source.
pub fn target(t: &Target) -> String {
    let mut out = format!(
        "## `{}` ({})\n\n`{}`",
        t.node.path,
        t.node.kind.as_str(),
        t.node.location()
    );
    if let Some(c) = t.change {
        let _ = write!(out, " · changed: {}", c.as_str());
    }
    out.push_str("\n\n");
    if let Some(doc) = &t.doc {
        let _ = writeln!(out, "> {doc}\n");
    }
    if t.signature.trim().is_empty() {
        out.push_str("Outside the workspace: only its path is known.\n\n");
    } else {
        let sig = t.signature.trim_end();
        let f = fence(sig);
        let _ = writeln!(out, "{f}rust\n{sig}\n{f}\n");
    }
    if let Some(src) = &t.source {
        let src = src.trim_end();
        let f = fence(src);
        let _ = writeln!(out, "Source:\n\n{f}rust\n{src}\n{f}\n");
    }
    out
}

/// A code fence longer than any run of backticks in `text` (at least three), so a line of
/// the source starting with backticks cannot close it.
pub fn fence(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    "`".repeat((longest + 1).max(3))
}

/// A section around `body` (the concatenated [`entry`] renderings): a heading, and a code
/// fence for signature sections.
pub fn section(s: Section, body: &str) -> String {
    if s.is_code() {
        let f = fence(body);
        format!("## {}\n\n{f}rust\n{body}{f}\n\n", s.title())
    } else {
        format!("## {}\n\n{body}\n", s.title())
    }
}

/// One entry: a commented signature in code sections, a list item elsewhere.
pub fn entry(e: &Entry) -> String {
    let of = e.of.rsplit("::").next().unwrap_or(&e.of);
    let at = e.at.map(|l| format!(" at line {l}")).unwrap_or_default();
    // A relation that rests on a guess says so.
    let at = match e.confidence {
        crate::graph::Confidence::High => at,
        crate::graph::Confidence::Medium => format!("{at} (medium confidence)"),
        crate::graph::Confidence::Low => format!("{at} (low confidence: a name-only match)"),
    };
    let detail = e
        .detail
        .as_deref()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    match e.section {
        Section::Uses => {
            let verb = verb(e.relation);
            match &e.signature {
                Some(sig) => format!(
                    "// {} ({}): `{of}` {verb} it{at}\n{}\n",
                    e.node.path,
                    e.node.location(),
                    sig.trim_end()
                ),
                None => format!("// {} (external): `{of}` {verb} it{at}\n", e.node.path),
            }
        }
        Section::Items | Section::TraitItems | Section::Methods => format!(
            "// {} ({}){detail}\n{}\n",
            e.node.path,
            e.node.location(),
            e.signature.as_deref().unwrap_or("").trim_end()
        ),
        Section::Users => {
            let steps = if e.distance > 1 {
                format!(" ({} steps away)", e.distance)
            } else {
                String::new()
            };
            format!(
                "- `{}` ({}, `{}`): {} `{}`{at}{steps}\n",
                e.node.path,
                e.node.kind.as_str(),
                e.node.location(),
                verb(e.relation),
                e.of
            )
        }
        Section::Implementors => format!(
            "- `{}` (`{}`){}\n",
            header(e),
            e.node.location(),
            e.detail
                .as_deref()
                .map(|d| format!(": {d}"))
                .unwrap_or_default()
        ),
        Section::Traits => format!(
            "- `{}`: `{}` (`{}`)\n",
            e.detail.as_deref().unwrap_or_default(),
            header(e),
            e.node.location()
        ),
    }
}

/// An impl's header on one line: `impl Display for Version`, or for a derived impl its
/// `#[derive(Clone)]`.
fn header(e: &Entry) -> &str {
    let sig = e.signature.as_deref().unwrap_or(&e.node.path).trim();
    let mut lines = sig.lines();
    let first = lines.next().unwrap_or(sig);
    if first.starts_with("#[derive") {
        first
    } else {
        lines.last().unwrap_or(first)
    }
}

/// The verb of a dependency edge, from the user's side.
fn verb(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::Calls => "calls",
        EdgeKind::Uses => "uses",
        EdgeKind::Implements => "implements",
        EdgeKind::Inherits => "inherits",
        EdgeKind::Contains => "contains",
    }
}

/// The blast-radius summary.
fn radius(ctx: &Context) -> String {
    let r = &ctx.radius;
    let mut out = String::from("## Blast radius\n\n");
    if r.dependents == 0 {
        out.push_str("Nothing in the workspace depends on it.\n\n");
        return out;
    }
    let behavioural = if r.behavioural > 0 {
        format!(", {} behavioural", r.behavioural)
    } else {
        String::new()
    };
    let _ = writeln!(
        out,
        "{} dependent{} ({} direct{behavioural}) in {} package{}: {}.",
        r.dependents,
        plural(r.dependents),
        r.direct,
        r.packages.len(),
        plural(r.packages.len()),
        quoted(&r.packages)
    );
    if !r.tests.is_empty() {
        let shown = &r.tests[..r.tests.len().min(TESTS_SHOWN)];
        let more = r.tests.len() - shown.len();
        let _ = write!(out, "Tests inside ({}): {}", r.tests.len(), quoted(shown));
        if more > 0 {
            let _ = write!(out, " and {more} more");
        }
        out.push_str(".\n");
    }
    out.push('\n');
    out
}

/// The note naming what the budget left out (empty when nothing was).
fn left_out(l: &LeftOut, limit: usize, tokenizer: &str) -> String {
    if l.is_empty() {
        return String::new();
    }
    let mut parts: Vec<String> = l
        .entries
        .iter()
        .map(|(s, n)| format!("{n} of {}", s.title().to_lowercase()))
        .collect();
    if !l.sources.is_empty() {
        parts.push(format!("the source of {}", quoted(&l.sources)));
    }
    if !l.targets.is_empty() {
        parts.push(format!(
            "target{} {}",
            plural(l.targets.len()),
            quoted(&l.targets)
        ));
    }
    let mut out = format!(
        "---\n\n_Left out to stay within {limit} tokens ({tokenizer}): {}._",
        parts.join("; ")
    );
    if !l.next.is_empty() {
        let _ = write!(out, " _Next in rank: {}._", quoted(&l.next));
    }
    out.push('\n');
    out
}

fn quoted(items: &[String]) -> String {
    items
        .iter()
        .map(|s| format!("`{s}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

#[cfg(test)]
mod tests {
    use super::fence;

    #[test]
    fn fences_outrun_backticks_inside() {
        assert_eq!(fence("fn f() {}"), "```");
        assert_eq!(fence("/// ```\n/// x\n/// ```"), "````");
        assert_eq!(fence("let s = \"`````\";"), "``````");
    }
}
