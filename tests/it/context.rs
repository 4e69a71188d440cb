//! `context` on real code (`fixtures/semver`, the semver crate vendored unchanged) and on a
//! change set (`fixtures/gate` in a scratch repository): within the token budget as the
//! tokenizer counts it, ranked, with a note of what was left out.

use crate::git_repo::{edit, git, repo};
use crate::util::{Run, run, run_in, settings};
use cargo_parseltongue::query::context::Tokenizer;

fn context(args: &[&str]) -> Run {
    let mut all = vec!["context"];
    all.extend_from_slice(args);
    run("semver", &all)
}

#[test]
fn markdown_of_a_real_type_stays_within_its_budget() {
    let run = context(&["Version", "--budget", "1500"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let tokens = Tokenizer::Cl100k.count(&run.stdout);
    assert!(tokens <= 1500, "{tokens} tokens:\n{}", run.stdout);
    // The budget was nearly used, and the note says what did not fit.
    assert!(tokens > 1300, "{tokens} tokens:\n{}", run.stdout);
    assert!(
        run.stdout
            .contains("_Left out to stay within 1500 tokens (cl100k_base): ")
    );
    settings().bind(|| insta::assert_snapshot!("context_semver_version", run.stdout));
}

#[test]
fn every_budget_and_tokenizer_is_kept() {
    for entity in [
        "Version",
        "semver::VersionReq",
        "semver::Comparator::matches",
        "Prerelease",
    ] {
        for budget in ["400", "900", "3000"] {
            for (name, tokenizer) in [("cl100k", Tokenizer::Cl100k), ("o200k", Tokenizer::O200k)] {
                let args = [
                    entity,
                    "--budget",
                    budget,
                    "--tokenizer",
                    name,
                    "--with-source",
                ];
                let run = context(&args);
                assert_eq!(run.code, 0, "{args:?}: {}", run.stderr);
                let tokens = tokenizer.count(&run.stdout);
                assert!(
                    tokens <= budget.parse().unwrap(),
                    "{args:?}: {tokens} tokens"
                );
            }
        }
    }
}

#[test]
fn json_carries_the_same_selection_and_the_count() {
    let run = context(&["Version", "--budget", "1000", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let v = run.json();
    let markdown = context(&["Version", "--budget", "1000"]).stdout;
    assert_eq!(v["budget"]["used"], Tokenizer::Cl100k.count(&markdown));
    assert_eq!(v["budget"]["tokenizer"], "cl100k_base");
    assert_eq!(v["targets"][0]["node"]["path"], "semver::Version");
    let entries = v["entries"].as_array().unwrap();
    assert!(!entries.is_empty());
    for e in entries {
        let at = format!(
            "{}:{}",
            e["node"]["file"].as_str().unwrap(),
            e["node"]["line"]
        );
        assert!(markdown.contains(&at), "{e}");
        assert!(e["tokens"].as_u64().unwrap() > 0);
    }
    let left: u64 = v["left_out"]["entries"]
        .as_object()
        .unwrap()
        .values()
        .map(|n| n.as_u64().unwrap())
        .sum();
    assert!(left > 0);
}

#[test]
fn with_source_includes_the_body() {
    let run = context(&["Version::parse", "--with-source", "--budget", "4000"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains("Source:\n\n```rust\n"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains("Version::from_str(text)"),
        "{}",
        run.stdout
    );
    // Without the flag, only the signature.
    let run = context(&["Version::parse", "--budget", "4000"]);
    assert!(
        !run.stdout.contains("Version::from_str(text)"),
        "{}",
        run.stdout
    );
}

#[test]
fn a_trait_lists_implementors_with_overridden_and_inherited_defaults() {
    let run = run("gate", &["context", "Shape", "--workspace"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(
        run.stdout.contains(
            "- `impl Shape for Circle` (`crates/core/src/shapes.rs:20`): overrides `name`\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "- `impl Shape for Square` (`crates/core/src/shapes.rs:14`): inherits `name`\n"
        ),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout.contains(
            "// gate_core::shapes::Shape::name (crates/core/src/shapes.rs:5) (provided)\n"
        )
    );
}

#[test]
fn a_budget_too_small_for_the_target_is_a_usage_error() {
    let run = context(&["Version", "--budget", "20"]);
    assert_eq!(run.code, 2, "{}", run.stdout);
    assert!(
        run.stderr.contains("--budget 20 is too small"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
    let run = context(&["Version", "--format", "sarif"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("--format sarif is for"),
        "{}",
        run.stderr
    );
}

#[test]
fn staged_change_context_is_written_to_a_file() {
    let dir = repo("gate");
    edit(
        dir.path(),
        "crates/core/src/lib.rs",
        "pub fn helper() -> usize {",
        "pub fn helper() -> u64 {",
    );
    edit(
        dir.path(),
        "crates/core/src/lib.rs",
        "input.len()",
        "input.chars().count()",
    );
    git(dir.path(), &["add", "crates/core/src/lib.rs"]);
    let out = dir.path().join(".parseltongue/context.md");
    let target = dir.path().join("target");
    let run = run_in(
        dir.path(),
        &target,
        &[
            "context",
            "--staged",
            "--workspace",
            "--output",
            ".parseltongue/context.md",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.is_empty(), "{}", run.stdout);
    assert!(
        run.stderr.contains("Wrote .parseltongue/context.md ("),
        "{}",
        run.stderr
    );
    let text = std::fs::read_to_string(out).unwrap();
    settings().bind(|| insta::assert_snapshot!("context_gate_staged", text));
    // Nothing staged: the context says so rather than failing.
    git(dir.path(), &["commit", "-q", "-m", "change"]);
    let run = run_in(dir.path(), &target, &["context", "--staged", "--workspace"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.stdout.contains("No entity changed."), "{}", run.stdout);
}
