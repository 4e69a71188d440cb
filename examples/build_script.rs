//! A build script on cargo-parseltongue: copy it to your package's `build.rs` and add
//! `cargo-parseltongue` to `[build-dependencies]`.
//!
//! On every build it loads the workspace holding the package, refreshes the snapshot under
//! `target/parseltongue` (only changed files are parsed), and then:
//! - prints a `cargo:warning=` line for every exception (an overridden trait default,
//!   shadowing, a local lint level) and every module cycle that the previous build did not
//!   have (the previous set is kept in `OUT_DIR`; the first build only records it);
//! - fails the build when the uncommitted change (work tree against `HEAD`) reaches more
//!   entities than `PARSELTONGUE_MAX_AFFECTED` (default 50), the same gate as
//!   `cargo parseltongue blast-radius --since HEAD --max N`.
//!
//! It asks cargo to run it again when any Rust file of the workspace changes.
#![allow(clippy::print_stdout, clippy::print_stderr)] // a build script talks to cargo on stdout

use cargo_parseltongue::Session;
use cargo_parseltongue::changes::Selection;
use cargo_parseltongue::graph::Confidence;
use cargo_parseltongue::query::cycles::Level;
use cargo_parseltongue::query::exceptions::Filter;
use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// What one check found: the lines to print for cargo, and whether the gate tripped.
pub struct Outcome {
    /// `cargo:warning=…` and `cargo:rerun-if-changed=…` lines.
    pub lines: Vec<String>,
    /// The gate's reasons, empty when it holds.
    pub tripped: Vec<String>,
}

/// The exceptions and module cycles of the workspace: a key that survives edits elsewhere
/// in the file (no line numbers) → where it is.
fn findings(session: &Session) -> Result<BTreeMap<String, String>, Box<dyn std::error::Error>> {
    let mut found = BTreeMap::new();
    for e in session
        .exceptions(
            &Filter {
                all: true,
                ..Filter::default()
            },
            false,
        )?
        .exceptions
    {
        let key = format!(
            "exception: {} {} on {}",
            e.kind.as_str(),
            e.property,
            e.node
        );
        let at = match (e.file, e.line) {
            (Some(file), Some(line)) => format!(" at {file}:{line}"),
            _ => String::new(),
        };
        found.insert(key, at);
    }
    for cycle in session
        .find_cycles(Level::Module, Confidence::Medium)
        .cycles
    {
        let members: Vec<&str> = cycle.members.iter().map(|m| m.path.as_str()).collect();
        found.insert(
            format!("module cycle: {}", members.join(" -> ")),
            String::new(),
        );
    }
    Ok(found)
}

/// Checks the workspace of `manifest_dir`, comparing with the findings recorded in
/// `out_dir` by the previous run, and gates the uncommitted change at `max_affected`.
///
/// # Errors
/// When cargo cannot describe the workspace or `out_dir` cannot be written.
pub fn check(
    manifest_dir: &Path,
    out_dir: &Path,
    max_affected: usize,
) -> Result<Outcome, Box<dyn std::error::Error>> {
    let session = Session::open(manifest_dir)?;
    let mut lines: Vec<String> = session
        .graph
        .files
        .iter()
        .map(|f| {
            let path = session.workspace.root.join(&f.path);
            format!("cargo:rerun-if-changed={}", path.display())
        })
        .collect();
    for d in &session.graph.diagnostics {
        lines.push(format!("cargo:warning=parseltongue: {d}"));
    }

    let now = findings(&session)?;
    // One key per line.
    let baseline: PathBuf = out_dir.join("parseltongue-findings.txt");
    if let Ok(text) = std::fs::read_to_string(&baseline) {
        let before: BTreeSet<&str> = text.lines().collect();
        for (key, at) in now.iter().filter(|(key, _)| !before.contains(key.as_str())) {
            lines.push(format!("cargo:warning=parseltongue: new {key}{at}"));
        }
    }
    let keys: Vec<&str> = now.keys().map(String::as_str).collect();
    std::fs::write(&baseline, keys.join("\n") + "\n")?;

    let mut tripped = Vec::new();
    let gate = session.impact(
        &Selection::Since("HEAD".to_string()),
        Confidence::Medium,
        Some(max_affected),
        None,
    );
    match gate {
        Ok(impact) => {
            for reason in &impact.gate.tripped {
                lines.push(format!(
                    "cargo:warning=parseltongue: gate tripped: {reason}"
                ));
            }
            tripped = impact.gate.tripped;
        }
        // Outside git (a published crate being built) there is no change to gate.
        Err(e) => lines.push(format!("cargo:warning=parseltongue: no gate: {e}")),
    }
    Ok(Outcome { lines, tripped })
}

#[allow(dead_code)] // the tests include this file for `check` only
fn main() {
    let var = |name: &str| std::env::var_os(name).map(PathBuf::from);
    let manifest_dir = var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR");
    let out_dir = var("OUT_DIR").expect("cargo sets OUT_DIR");
    let max = std::env::var("PARSELTONGUE_MAX_AFFECTED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(50);
    println!("cargo:rerun-if-env-changed=PARSELTONGUE_MAX_AFFECTED");
    match check(&manifest_dir, &out_dir, max) {
        Ok(outcome) => {
            for line in &outcome.lines {
                println!("{line}");
            }
            if !outcome.tripped.is_empty() {
                eprintln!(
                    "error: the uncommitted change reaches too much of the workspace: {}",
                    outcome.tripped.join("; ")
                );
                std::process::exit(1);
            }
        }
        Err(e) => println!("cargo:warning=parseltongue could not check the workspace: {e}"),
    }
}
