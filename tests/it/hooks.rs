//! The pre-commit hooks, run by `git commit` in a scratch repository of `fixtures/gate`:
//! the hooks of `.pre-commit-hooks.yaml` through the pre-commit framework, and the plain git
//! hook README.md shows. Both write the staged change's context and gate its blast radius.

use crate::git_repo::{edit, git, git_output, repo, with_identity};
use std::path::{Path, PathBuf};
use std::process::Output;

/// `PATH` with the built binary's directory first, so `cargo parseltongue` runs it.
fn path_with_binary() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_cargo-parseltongue"))
        .parent()
        .unwrap()
        .to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&rest))).unwrap()
}

/// Runs `program ARGS` in `dir` as a developer's shell would for `git commit`: the built
/// binary on `PATH`, the snapshot under `dir/target`, pre-commit's cache in `home`.
fn command(dir: &Path, home: &Path, program: &str, args: &[&str]) -> Output {
    with_identity(
        std::process::Command::new(program)
            .args(args)
            .current_dir(dir),
    )
    .env("PATH", path_with_binary())
    .env("CARGO_TARGET_DIR", dir.join("target"))
    .env("PRE_COMMIT_HOME", home)
    .env("CARGO_TERM_COLOR", "never")
    .env_remove("CI")
    .env_remove("GITHUB_ACTIONS")
    .output()
    .unwrap_or_else(|e| panic!("{program} runs: {e}"))
}

fn text(out: &Output) -> String {
    format!(
        "exit {:?}\n{}{}",
        out.status.code(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    )
}

fn head(dir: &Path) -> String {
    String::from_utf8(git_output(dir, &["rev-parse", "HEAD"]).stdout).unwrap()
}

/// A signature change reaching three entities commits under a gate of 3 and leaves its
/// context; a body-only change reaching four is refused and leaves HEAD where it was.
fn commit_twice(dir: &Path, home: &Path, context_file: &Path) {
    edit(
        dir,
        "crates/core/src/lib.rs",
        "pub fn helper() -> usize {",
        "pub fn helper() -> u64 {",
    );
    git(dir, &["add", "crates/core/src/lib.rs"]);
    let out = command(dir, home, "git", &["commit", "-q", "-m", "wider helper"]);
    assert!(out.status.success(), "{}", text(&out));
    let context = std::fs::read_to_string(context_file).unwrap();
    assert!(
        context.contains(
            "## `gate_core::helper` (fn)\n\n`crates/core/src/lib.rs:12` · changed: interface"
        ),
        "{context}"
    );
    assert!(context.contains("`gate_app::run` (fn"), "{context}");

    let before = head(dir);
    edit(
        dir,
        "crates/core/src/lib.rs",
        "input.len()",
        "input.chars().count()",
    );
    git(dir, &["add", "crates/core/src/lib.rs"]);
    let out = command(dir, home, "git", &["commit", "-q", "-m", "count chars"]);
    assert!(!out.status.success(), "{}", text(&out));
    assert!(
        text(&out).contains("blast-radius gate tripped: 4 entities affected, more than --max 3"),
        "{}",
        text(&out)
    );
    assert_eq!(head(dir), before);
    let context = std::fs::read_to_string(context_file).unwrap();
    assert!(
        context.contains("`crates/core/src/lib.rs:7` · changed: body"),
        "{context}"
    );
}

#[test]
fn pre_commit_framework_runs_both_hooks_on_git_commit() {
    // The hooks repository: this repository's .pre-commit-hooks.yaml, committed.
    let hooks = tempfile::tempdir().unwrap();
    let manifest = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    std::fs::copy(
        manifest.join(".pre-commit-hooks.yaml"),
        hooks.path().join(".pre-commit-hooks.yaml"),
    )
    .unwrap();
    git(hooks.path(), &["init", "-q", "-b", "main"]);
    git(hooks.path(), &["add", "."]);
    git(hooks.path(), &["commit", "-q", "-m", "hooks"]);
    let rev = head(hooks.path());

    let dir = repo("gate");
    let config = format!(
        "repos:\n  - repo: {}\n    rev: {}\n    hooks:\n      - id: parseltongue-context\n      \
         - id: parseltongue-blast-radius\n        args: [--max, \"3\"]\n",
        hooks.path().display(),
        rev.trim()
    );
    std::fs::write(dir.path().join(".pre-commit-config.yaml"), config).unwrap();
    std::fs::write(dir.path().join(".gitignore"), "/target\n/.parseltongue\n").unwrap();
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "pre-commit config"]);
    let home = tempfile::tempdir().unwrap();
    // .ci/setup installs pre-commit into target/ci-venv; a pre-commit on the system's
    // Python does as well.
    let venv = concat!(env!("CARGO_MANIFEST_DIR"), "/target/ci-venv/bin/python3");
    let python = if std::path::Path::new(venv).exists() {
        venv
    } else {
        "python3"
    };
    let out = command(
        dir.path(),
        home.path(),
        python,
        &["-m", "pre_commit", "install"],
    );
    assert!(out.status.success(), "{}", text(&out));
    commit_twice(
        dir.path(),
        home.path(),
        &dir.path().join(".parseltongue/context.md"),
    );
}

#[test]
fn the_plain_git_hook_in_the_readme_runs_on_git_commit() {
    let readme =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = readme
        .split_once("### Plain git hook")
        .expect("README has a plain git hook section")
        .1;
    let script = section
        .split_once("```sh\n")
        .and_then(|(_, rest)| rest.split_once("```"))
        .expect("the section has a sh block")
        .0;
    assert!(script.starts_with("#!/bin/sh\n"), "{script}");
    assert!(script.contains("--max 50"), "{script}");
    let script = script.replace("--max 50", "--max 3");

    let dir = repo("gate");
    std::fs::write(dir.path().join(".gitignore"), "/target\n/.parseltongue\n").unwrap();
    git(dir.path(), &["add", ".gitignore"]);
    git(dir.path(), &["commit", "-q", "-m", "ignore"]);
    let hook = dir.path().join(".git/hooks/pre-commit");
    std::fs::write(&hook, script).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let home = tempfile::tempdir().unwrap();
    commit_twice(
        dir.path(),
        home.path(),
        &dir.path().join(".parseltongue/context.md"),
    );
}
