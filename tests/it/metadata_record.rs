//! `cargo metadata` is skipped when nothing it reads changed, and run again as soon as
//! something did: a new member, a new target, a manifest edit, `--verify`/`CI=true`.

use crate::util::{copy_fixture, run_in};
use std::path::Path;

/// Moves the mtime of everything under `dir` (files and directories) an hour back, so
/// that nothing is racy for the record.
fn age(dir: &Path) {
    let old =
        filetime::FileTime::from_unix_time(filetime::FileTime::now().unix_seconds() - 3600, 0);
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        if entry.file_type().unwrap().is_dir() {
            age(&entry.path());
        }
        filetime::set_file_mtime(entry.path(), old).unwrap();
    }
    filetime::set_file_mtime(dir, old).unwrap();
}

/// Whether a `--timings` run read the recorded metadata instead of running cargo.
fn recorded(dir: &Path, target: &Path, extra: &[&str]) -> (bool, String) {
    let mut args = vec!["build", "--timings"];
    args.extend_from_slice(extra);
    let run = run_in(dir, target, &args);
    assert_eq!(run.code, 0, "{}", run.transcript());
    let line = run
        .stderr
        .lines()
        .find(|l| l.contains("Timings"))
        .unwrap_or_else(|| panic!("no timings line:\n{}", run.stderr))
        .to_string();
    (line.contains("(recorded)"), run.stdout)
}

/// After a change: once the changed paths are no longer racy, one call runs cargo and
/// records, the next reads the record.
fn settle(root: &Path, target: &Path) {
    age(root);
    recorded(root, target, &[]);
    assert!(recorded(root, target, &[]).0, "recorded again once settled");
}

#[test]
fn metadata_is_recorded_and_rerun_when_members_targets_or_manifests_change() {
    let dir = copy_fixture("workspace");
    let target = tempfile::tempdir().unwrap();
    let root = dir.path();
    // The root manifest names its members with a glob, as real repositories do.
    std::fs::write(
        root.join("Cargo.toml"),
        "[workspace]\nmembers = [\"crates/*\"]\nresolver = \"2\"\n",
    )
    .unwrap();
    age(root);
    assert!(
        !recorded(root, target.path(), &[]).0,
        "first call runs cargo"
    );
    let (reused, _) = recorded(root, target.path(), &[]);
    assert!(reused, "nothing changed: the record answers");

    // Editing a crate root's body does not cost a cargo metadata.
    let lib = root.join("crates/app/src/lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(&lib, format!("{text}\npub fn added() {{}}\n")).unwrap();
    assert!(
        recorded(root, target.path(), &[]).0,
        "an edit of lib.rs keeps it"
    );

    // A new member under the glob is seen at once.
    let new = root.join("crates/extra");
    std::fs::create_dir_all(new.join("src")).unwrap();
    std::fs::write(
        new.join("Cargo.toml"),
        "[package]\nname = \"demo-extra\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(new.join("src/lib.rs"), "pub fn extra() {}\n").unwrap();
    let (reused, out) = recorded(root, target.path(), &[]);
    assert!(!reused, "a new member reruns cargo");
    assert!(out.contains("demo-extra"), "{out}");
    settle(root, target.path());

    // A new test target in an existing member.
    std::fs::create_dir_all(root.join("crates/core/tests")).unwrap();
    std::fs::write(
        root.join("crates/core/tests/smoke.rs"),
        "#[test]\nfn smoke() {}\n",
    )
    .unwrap();
    assert!(
        !recorded(root, target.path(), &[]).0,
        "a new target reruns cargo"
    );
    settle(root, target.path());

    // A manifest edit.
    let manifest = root.join("crates/extra/Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(&manifest, format!("{text}\n[features]\nfast = []\n")).unwrap();
    assert!(
        !recorded(root, target.path(), &[]).0,
        "a manifest edit reruns cargo"
    );
    settle(root, target.path());

    // --verify (and CI=true) always asks cargo.
    assert!(!recorded(root, target.path(), &["--verify"]).0);
    // A config file appearing in an ancestor of the working directory.
    std::fs::create_dir_all(root.join(".cargo")).unwrap();
    std::fs::write(root.join(".cargo/config.toml"), "[net]\noffline = true\n").unwrap();
    assert!(
        !recorded(root, target.path(), &[]).0,
        "a new config reruns cargo"
    );
}

#[test]
fn metadata_record_in_the_default_target_directory() {
    // No CARGO_TARGET_DIR: the record is found under <root>/target from a member directory.
    let dir = copy_fixture("workspace");
    let root = dir.path();
    age(root);
    let run = |cwd: &Path| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-parseltongue"))
            .args(["build", "--timings"])
            .current_dir(cwd)
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("CARGO_BUILD_TARGET_DIR")
            .env_remove("CI")
            .output()
            .unwrap();
        assert!(out.status.success());
        String::from_utf8_lossy(&out.stderr).contains("(recorded)")
    };
    assert!(!run(root));
    // Creating target/ changed the root directory's mtime: racy, so not recorded yet.
    age(root);
    run(root);
    assert!(run(root));
    assert!(
        run(&root.join("crates/app/src")),
        "same question from a member directory"
    );
    assert!(root.join("target/parseltongue/workspace-v1.json").is_file());
}
