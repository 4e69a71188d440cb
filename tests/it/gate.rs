//! blast-radius of a change set on `fixtures/gate`, committed to a fresh git repository:
//! body-only, signature, trait-default, renamed-file and comment-only changes, the gate's
//! exit code, and the Markdown, SARIF and diagram outputs.

use crate::git_repo::{self, edit, git};
use crate::util::{Run, run_in, settings};
use std::path::Path;
use std::process::Command;

/// The gate fixture committed to a new repository.
fn repo() -> tempfile::TempDir {
    git_repo::repo("gate")
}

/// `gate_core::helper` returns `u64` instead of `usize`: an interface change.
fn change_helper_signature(dir: &Path) {
    edit(
        dir,
        "crates/core/src/lib.rs",
        "pub fn helper() -> usize {",
        "pub fn helper() -> u64 {",
    );
}

/// `gate_core::parse` counts chars instead of bytes: a body-only change.
fn change_parse_body(dir: &Path) {
    edit(
        dir,
        "crates/core/src/lib.rs",
        "input.len()",
        "input.chars().count()",
    );
}

fn radius(dir: &Path, extra: &[&str]) -> Run {
    let target = dir.join("target");
    let mut args = vec!["blast-radius", "--since", "main", "--workspace"];
    args.extend_from_slice(extra);
    run_in(dir, &target, &args)
}

/// `(change, path)` of the changed entities, `(path, behavioural)` of the affected ones and
/// the tests' names, from the JSON answer.
type Summary = (Vec<(String, String)>, Vec<(String, bool)>, Vec<String>);

fn summary(run: &Run) -> Summary {
    let v = run.json();
    let changed = v["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["change"].as_str().unwrap().to_string(),
                c["path"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let affected = v["affected"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["node"]["path"].as_str().unwrap().to_string(),
                a["behavioural"].as_bool().unwrap(),
            )
        })
        .collect();
    let tests = v["tests"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            format!(
                "{} {}",
                t["binary_id"].as_str().unwrap(),
                t["name"].as_str().unwrap()
            )
        })
        .collect();
    (changed, affected, tests)
}

/// The JSON radius of the work tree against `main`, which must succeed, and its summary.
fn passing_radius(dir: &Path) -> (Run, Summary) {
    let run = radius(dir, &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let summary = summary(&run);
    (run, summary)
}

/// The paths of the affected entities, in order.
fn paths(affected: &[(String, bool)]) -> Vec<&str> {
    affected.iter().map(|(p, _)| p.as_str()).collect()
}

fn owned<B: Clone>(items: &[(&str, B)]) -> Vec<(String, B)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.clone()))
        .collect()
}

fn changes(items: &[(&str, &str)]) -> Vec<(String, String)> {
    items
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect()
}

#[test]
fn body_only_change_reaches_callers_as_behavioural_and_their_tests() {
    let dir = repo();
    change_parse_body(dir.path());
    let run = radius(dir.path(), &["--format", "json", "--max", "10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let (changed, affected, tests) = summary(&run);
    assert_eq!(changed, changes(&[("body", "gate_core::parse")]));
    assert_eq!(
        affected,
        owned(&[
            ("gate_app::run", true),
            ("gate_core::tests::parses", true),
            ("gate_app::main", true),
            ("gate_app::runs", true),
        ])
    );
    assert_eq!(
        tests,
        ["gate-app::bin/gate-app runs", "gate-core tests::parses"]
    );
    let v = run.json();
    assert_eq!(
        v["nextest_filter"],
        "(binary_id(=gate-app::bin/gate-app) & test(=runs)) | (binary_id(=gate-core) & test(=tests::parses))"
    );
    assert_eq!(
        v["cargo_test"],
        serde_json::json!([
            "cargo test -p gate-app --bin gate-app -- --exact runs",
            "cargo test -p gate-core --lib -- --exact tests::parses"
        ])
    );
}

#[test]
fn signature_change_reaches_dependents_and_trips_the_gate() {
    let dir = repo();
    change_helper_signature(dir.path());
    let run = radius(dir.path(), &["--format", "json", "--max", "1"]);
    assert_eq!(run.code, 100, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("gate tripped: 3 entities affected, more than --max 1"),
        "{}",
        run.stderr
    );
    let (changed, affected, tests) = summary(&run);
    assert_eq!(changed, changes(&[("interface", "gate_core::helper")]));
    assert_eq!(
        affected,
        owned(&[
            ("gate_app::run", false),
            ("gate_app::main", false),
            ("gate_app::runs", false)
        ])
    );
    assert_eq!(tests, ["gate-app::bin/gate-app runs"]);
    // The same change under a wider gate passes.
    let run = radius(dir.path(), &["--max", "3", "--max-crates", "2"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout
            .contains("gate passed (3 ≤ --max 3, 2 ≤ --max-crates 2)"),
        "{}",
        run.stdout
    );
}

#[test]
fn trait_default_change_reaches_inheriting_impls_not_overriding_ones() {
    let dir = repo();
    edit(
        dir.path(),
        "crates/core/src/shapes.rs",
        "\"shape\".to_string()",
        "String::from(\"a shape\")",
    );
    let (_, (changed, affected, _)) = passing_radius(dir.path());
    assert_eq!(
        changed,
        changes(&[("body", "gate_core::shapes::Shape::name")])
    );
    let paths = paths(&affected);
    assert!(
        paths.contains(&"gate_core::shapes::impl Shape for Square"),
        "{paths:?}"
    );
    assert!(paths.contains(&"gate_core::shapes::describe"), "{paths:?}");
    assert!(
        !paths.iter().any(|p| p.contains("Circle")),
        "the overriding impl stays out: {paths:?}"
    );
}

#[test]
fn renamed_file_is_reported_as_a_rename_without_spurious_items() {
    let dir = repo();
    git(
        dir.path(),
        &["mv", "crates/core/src/text.rs", "crates/core/src/words.rs"],
    );
    edit(
        dir.path(),
        "crates/core/src/lib.rs",
        "pub mod text;",
        "pub mod words;",
    );
    let run = radius(dir.path(), &["--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run.json();
    let files: Vec<(String, String, String)> = v["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["status"].as_str().unwrap().to_string(),
                f["from"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect();
    assert_eq!(
        files,
        [
            (
                "crates/core/src/lib.rs".into(),
                "modified".into(),
                String::new()
            ),
            (
                "crates/core/src/words.rs".into(),
                "renamed".into(),
                "crates/core/src/text.rs".into()
            ),
        ]
    );
    // The module declaration is renamed too: one renamed entity.
    let (changed, _, _) = summary(&run);
    assert_eq!(changed, changes(&[("renamed", "gate_core::words")]));
    assert_eq!(v["changed"][0]["renamed_from"], "text");
}

#[test]
fn comment_only_change_changes_nothing() {
    let dir = repo();
    edit(
        dir.path(),
        "crates/core/src/lib.rs",
        "/// Counts the bytes of `input`.\npub fn parse(input: &str) -> usize {\n",
        "/// Counts the bytes of `input` (UTF-8).\npub fn parse(input: &str) -> usize {\n    // bytes, not chars\n",
    );
    let run = radius(dir.path(), &["--max", "0"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    gate_settings().bind(|| insta::assert_snapshot!("gate_comment_only", run.transcript()));
}

#[test]
fn unknown_revision_is_a_usage_error() {
    let dir = repo();
    let target = dir.path().join("target");
    let run = run_in(
        dir.path(),
        &target,
        &["blast-radius", "--since", "no-such-branch"],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown revision `no-such-branch`"),
        "{}",
        run.stderr
    );
}

#[test]
fn markdown_report_for_a_pull_request_comment() {
    let dir = repo();
    change_helper_signature(dir.path());
    let run = radius(dir.path(), &["--format", "markdown", "--max", "10"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    gate_settings().bind(|| insta::assert_snapshot!("gate_markdown", run.stdout));
}

#[test]
fn github_annotations_when_running_in_actions() {
    let dir = repo();
    change_helper_signature(dir.path());
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-parseltongue"))
        .args([
            "blast-radius",
            "--since",
            "main",
            "--workspace",
            "--max",
            "1",
        ])
        .current_dir(dir.path())
        .env("CARGO_TARGET_DIR", dir.path().join("target"))
        .env("GITHUB_ACTIONS", "true")
        .env("CARGO_TERM_COLOR", "never")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(100));
    assert!(
        stdout.contains("::warning file=crates/core/src/lib.rs,line=12,title=parseltongue interface change::gate_core::helper (fn) changed; the radius holds 3 entities"),
        "{stdout}"
    );
    assert!(
        stdout.contains(
            "::error title=parseltongue blast-radius gate::3 entities affected, more than --max 1"
        ),
        "{stdout}"
    );
}

#[test]
fn annotations_and_sarif_name_files_from_the_repository_top() {
    // The workspace lives in `ws/` of the repository.
    let top = tempfile::tempdir().unwrap();
    let ws = top.path().join("ws");
    crate::util::copy_dir(&crate::util::fixture("gate"), &ws);
    git(top.path(), &["init", "-q", "-b", "main"]);
    git(top.path(), &["add", "."]);
    git(top.path(), &["commit", "-q", "-m", "base"]);
    change_helper_signature(&ws);
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-parseltongue"))
        .args(["blast-radius", "--since", "main", "--workspace"])
        .current_dir(&ws)
        .env("CARGO_TARGET_DIR", ws.join("target"))
        .env("GITHUB_ACTIONS", "true")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("::warning file=ws/crates/core/src/lib.rs,line=12,"),
        "{stdout}"
    );
    let sarif = radius(&ws, &["--format", "sarif"]);
    let v: serde_json::Value = serde_json::from_str(&sarif.stdout).unwrap();
    assert_eq!(
        v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "ws/crates/core/src/lib.rs"
    );
}

fn fix_language_patterns(v: &mut serde_json::Value) {
    match v {
        serde_json::Value::String(s) if s == "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$" => {
            *s = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$".to_string();
        }
        serde_json::Value::Array(items) => items.iter_mut().for_each(fix_language_patterns),
        serde_json::Value::Object(map) => map.values_mut().for_each(fix_language_patterns),
        _ => {}
    }
}

/// Snapshot settings with the merge base's commit id masked.
fn gate_settings() -> insta::Settings {
    let mut s = settings();
    s.add_filter(r"merge base [0-9a-f]{10}", "merge base [commit]");
    s
}

#[test]
fn sarif_output_validates_against_the_sarif_2_1_0_schema() {
    let dir = repo();
    change_helper_signature(dir.path());
    change_parse_body(dir.path());
    let run = radius(dir.path(), &["--format", "sarif", "--max", "1"]);
    assert_eq!(run.code, 100, "{}", run.stderr);
    let doc: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let mut schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/sarif-schema-2.1.0.json"),
        )
        .unwrap(),
    )
    .unwrap();
    // The published schema's `language` patterns have a stray `]` that its meta-schema's
    // `format: regex` check rejects; their intent (a language tag) is restored here.
    fix_language_patterns(&mut schema);
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{errors:#?}\n{}", run.stdout);
    let rules: Vec<&str> = doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(
        rules,
        [
            "behavioural-change",
            "interface-change",
            "blast-radius-gate"
        ]
    );
}

#[test]
fn a_removed_item_breaks_what_named_it_and_trips_the_gate() {
    let dir = repo();
    edit(
        dir.path(),
        "crates/core/src/lib.rs",
        "/// A constant offset.\npub fn helper() -> usize {\n    1\n}\n",
        "",
    );
    let run = radius(dir.path(), &["--format", "json", "--max", "0"]);
    assert_eq!(run.code, 100, "{}", run.stderr);
    let (changed, affected, tests) = summary(&run);
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].0, "removed");
    // `run` named `helper`: it no longer compiles; `main` and the test call `run`.
    assert_eq!(
        affected,
        owned(&[
            ("gate_app::run", false),
            ("gate_app::main", false),
            ("gate_app::runs", false)
        ])
    );
    assert_eq!(tests, ["gate-app::bin/gate-app runs"]);
    let v = run.json();
    assert_eq!(v["affected"][0]["depth"], 1);
    assert_eq!(v["affected"][0]["via"]["to"], "gate_core::helper");
}

#[test]
fn a_renamed_item_is_one_renamed_entity_whose_old_users_break() {
    let dir = repo();
    edit(
        dir.path(),
        "crates/core/src/lib.rs",
        "pub fn helper() -> usize {",
        "pub fn offset() -> usize {",
    );
    let (run, (changed, affected, _)) = passing_radius(dir.path());
    assert_eq!(changed, changes(&[("renamed", "gate_core::offset")]));
    assert_eq!(run.json()["changed"][0]["renamed_from"], "helper");
    let paths = paths(&affected);
    assert_eq!(paths, ["gate_app::run", "gate_app::main", "gate_app::runs"]);
}

#[test]
fn a_renamed_trait_breaks_its_impls_and_its_own_defaults_users() {
    let dir = repo();
    edit(
        dir.path(),
        "crates/core/src/shapes.rs",
        "pub trait Shape {",
        "pub trait Figure {",
    );
    let (_, (changed, affected, _)) = passing_radius(dir.path());
    assert_eq!(
        changed,
        changes(&[("renamed", "gate_core::shapes::Figure")])
    );
    let paths = paths(&affected);
    for broken in [
        "gate_core::shapes::impl Shape for Square",
        "gate_core::shapes::impl Shape for Circle",
        "gate_core::shapes::describe",
    ] {
        assert!(paths.contains(&broken), "{broken} missing: {paths:?}");
    }
}

/// Renaming an item in one cfg variant of a module (`#[cfg_attr(…, path = "lock_wide.rs")]`)
/// reaches what named the item, whichever variant the linker bound the name to.
#[test]
fn renaming_an_item_in_one_cfg_variant_reaches_its_users() {
    let repo = git_repo::repo("cfg_variants");
    let dir = repo.path();
    edit(dir, "src/lock.rs", "pub fn write()", "pub fn write_all()");
    let run = radius(dir, &["--format", "json"]);
    let (changed, affected, _) = summary(&run);
    assert_eq!(
        changed,
        [(
            "renamed".to_string(),
            "variants::lock::write_all".to_string()
        )],
        "{}",
        run.stdout
    );
    assert!(
        affected.iter().any(|(path, _)| path == "variants::user"),
        "{affected:?}"
    );
}

/// Renaming a type breaks the items of an impl for it in another module, which are named
/// after their self type: `grid::Cell::from` while `Cell` resolves, `conv::Cell::from` once
/// it does not. They are still found, under the name they have now.
#[test]
fn renaming_a_type_reaches_the_items_of_its_impls_elsewhere() {
    let repo = git_repo::repo("cfg_variants");
    let dir = repo.path();
    std::fs::write(dir.join("src/grid.rs"), "pub struct Cell(pub u8);\n").unwrap();
    std::fs::write(
        dir.join("src/conv.rs"),
        "use crate::grid::Cell;\n\n\
         impl From<u8> for Cell {\n    fn from(x: u8) -> Cell {\n        Cell(x)\n    }\n}\n",
    )
    .unwrap();
    let lib = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap();
    std::fs::write(
        dir.join("src/lib.rs"),
        lib + "pub mod conv;\npub mod grid;\n",
    )
    .unwrap();
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "cells"]);
    edit(dir, "src/grid.rs", "pub struct Cell(", "pub struct Tile(");
    let run = radius(dir, &["--format", "json"]);
    let v = run.json();
    assert_eq!(v["changed"][0]["change"], "renamed", "{}", run.stdout);
    let direct: Vec<(&str, &str, u64)> = v["affected"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|a| a["depth"] == 1)
        .map(|a| {
            let n = &a["node"];
            (
                n["kind"].as_str().unwrap(),
                n["file"].as_str().unwrap(),
                n["line"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(direct.contains(&("impl", "src/conv.rs", 3)), "{direct:?}");
    assert!(direct.contains(&("method", "src/conv.rs", 4)), "{direct:?}");
}

/// Removing the second of two cfg variants of a method in one file (smallvec's
/// `SmallVecData::empty`, once for the `union` feature and once without it) breaks its
/// callers, though they resolved to the first: the shape key of the second carries a repeat
/// number (`method:empty#2`), which is no part of the method's name.
#[test]
fn removing_one_cfg_variant_of_a_method_breaks_its_callers_and_trips_the_gate() {
    let repo = git_repo::repo("cfg_variants");
    let dir = repo.path();
    std::fs::write(
        dir.join("src/data.rs"),
        "pub struct Data;\n\n\
         #[cfg(feature = \"union\")]\nimpl Data {\n    pub fn empty() -> Data {\n        Data\n    }\n}\n\n\
         #[cfg(not(feature = \"union\"))]\nimpl Data {\n    pub fn empty() -> Data {\n        Data\n    }\n}\n\n\
         pub fn fresh() -> Data {\n    Data::empty()\n}\n",
    )
    .unwrap();
    let lib = std::fs::read_to_string(dir.join("src/lib.rs")).unwrap();
    std::fs::write(dir.join("src/lib.rs"), lib + "pub mod data;\n").unwrap();
    git(dir, &["add", "."]);
    git(dir, &["commit", "-q", "-m", "data"]);
    edit(
        dir,
        "src/data.rs",
        "#[cfg(not(feature = \"union\"))]\nimpl Data {\n    pub fn empty() -> Data {\n        Data\n    }\n}\n",
        "#[cfg(not(feature = \"union\"))]\nimpl Data {}\n",
    );
    let run = radius(dir, &["--format", "json", "--max", "0"]);
    assert_eq!(run.code, 100, "{}\n{}", run.stdout, run.stderr);
    let (changed, affected, _) = summary(&run);
    assert_eq!(changed.len(), 1, "{changed:?}");
    assert_eq!(changed[0].0, "removed");
    assert_eq!(paths(&affected), ["variants::data::fresh"]);
}
