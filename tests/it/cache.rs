//! The snapshot: where it lives, when it is reused, and that answers are never stale.

use crate::util::{copy_fixture, run_in};
use std::time::{Duration, SystemTime};

#[test]
fn snapshot_lives_under_the_target_directory_and_is_reused() {
    let dir = copy_fixture("workspace");
    let target = tempfile::tempdir().unwrap();
    let first = run_in(dir.path(), target.path(), &["build"]);
    assert!(
        first.stdout.contains("rebuilt (no snapshot yet)"),
        "{}",
        first.stdout
    );
    let v = cargo_parseltongue::cache::SCHEMA_VERSION;
    let snapshot = target
        .path()
        .join("parseltongue")
        .join(format!("snapshot-v{v}.json"));
    let text = std::fs::read_to_string(&snapshot).unwrap();
    let (header, _) = text.split_once('\n').unwrap();
    let json: serde_json::Value = serde_json::from_str(header).unwrap();
    assert_eq!(json["magic"], "parseltongue-snapshot");
    assert_eq!(json["schema"], v);
    assert!(
        !dir.path().join("target").exists(),
        "nothing written into the workspace"
    );
    let second = run_in(dir.path(), target.path(), &["build"]);
    assert!(
        second.stdout.contains("snapshot: up to date"),
        "{}",
        second.stdout
    );
}

#[test]
fn an_edited_file_is_seen_by_the_next_query() {
    let dir = copy_fixture("workspace");
    let target = tempfile::tempdir().unwrap();
    let before = run_in(
        dir.path(),
        target.path(),
        &["what-implements", "Shape", "-q"],
    );
    assert!(!before.stdout.contains("Triangle"));
    let file = dir.path().join("crates/core/src/shapes/mod.rs");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str(
        "\npub struct Triangle;\nimpl Shape for Triangle { fn area(&self) -> f64 { 0.0 } }\n",
    );
    std::fs::write(&file, text).unwrap();
    // Make sure the mtime moves even on coarse-grained file systems.
    let later = SystemTime::now() + Duration::from_secs(2);
    std::fs::File::options()
        .write(true)
        .open(&file)
        .unwrap()
        .set_modified(later)
        .unwrap();
    let after = run_in(
        dir.path(),
        target.path(),
        &["what-implements", "Shape", "-q"],
    );
    assert!(after.stdout.contains("Triangle"), "{}", after.stdout);
}

#[test]
fn a_created_module_file_is_picked_up() {
    let dir = copy_fixture("broken");
    let target = tempfile::tempdir().unwrap();
    let before = run_in(
        dir.path(),
        target.path(),
        &["what-implements", "Check", "-q"],
    );
    assert!(!before.stdout.contains("Missing"));
    std::fs::write(dir.path().join("src/missing.rs"), "pub struct Missing;\nimpl crate::Check for Missing { fn check(&self) -> bool { false } }\n").unwrap();
    let after = run_in(
        dir.path(),
        target.path(),
        &["what-implements", "Check", "-q"],
    );
    assert!(after.stdout.contains("Missing"), "{}", after.stdout);
}

#[test]
fn a_corrupt_snapshot_is_rebuilt_with_a_warning() {
    let dir = copy_fixture("workspace");
    let target = tempfile::tempdir().unwrap();
    run_in(dir.path(), target.path(), &["build", "-q"]);
    let v = cargo_parseltongue::cache::SCHEMA_VERSION;
    let snapshot = target
        .path()
        .join("parseltongue")
        .join(format!("graph-v{v}.json"));
    let mut bytes = std::fs::read(&snapshot).unwrap();
    let last = bytes.len() - 2;
    bytes[last] ^= 1;
    std::fs::write(&snapshot, bytes).unwrap();
    let out = run_in(dir.path(), target.path(), &["what-implements", "Shape"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("warning: ignoring snapshot (checksum mismatch (corrupt)); rebuilding"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("Circle"));
}

#[test]
fn a_fixed_syntax_error_clears_the_partial_code() {
    let dir = copy_fixture("broken");
    let target = tempfile::tempdir().unwrap();
    assert_eq!(run_in(dir.path(), target.path(), &["build", "-q"]).code, 1);
    let bad = dir.path().join("src/bad.rs");
    std::fs::write(&bad, "pub struct Half;\n").unwrap();
    std::fs::write(
        dir.path().join("src/lib.rs"),
        "pub mod good;\npub mod bad;\npub trait Check { fn check(&self) -> bool; }\n",
    )
    .unwrap();
    let out = run_in(dir.path(), target.path(), &["build"]);
    assert_eq!(out.code, 0, "{}", out.stdout);
}

#[test]
fn an_unwritable_cache_directory_still_answers_with_a_warning() {
    let target = tempfile::tempdir().unwrap();
    // `<target>/parseltongue` is a file, so the snapshot cannot be written there.
    std::fs::write(target.path().join("parseltongue"), "not a directory").unwrap();
    let out = run_in(
        &crate::util::fixture("workspace"),
        target.path(),
        &["what-implements", "Shape"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr.contains("warning: could not write the snapshot"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("Circle"));
}

#[test]
fn explain_says_why_each_file_was_reused_or_parsed() {
    let dir = copy_fixture("workspace");
    let target = tempfile::tempdir().unwrap();
    run_in(dir.path(), target.path(), &["build", "-q"]);
    let file = dir.path().join("crates/core/src/net.rs");
    let mut text = std::fs::read_to_string(&file).unwrap();
    text.push_str("\npub fn added() {}\n");
    std::fs::write(&file, text).unwrap();
    let out = run_in(dir.path(), target.path(), &["build", "--explain"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout
            .contains("re-parsed crates/core/src/net.rs CONTENT_CHANGED"),
        "{}",
        out.stdout
    );
    // The other files were copied just now, so they are racy (re-hashed) or reused; none
    // is parsed.
    let json = run_in(dir.path(), target.path(), &["build", "--format", "json"]).json();
    assert_eq!(json["file_counts"]["parsed"], 0);
    assert_eq!(
        json["file_counts"]["reused"].as_u64().unwrap()
            + json["file_counts"]["rehashed"].as_u64().unwrap(),
        11
    );
    // Under CI every file is hashed; nothing is parsed again.
    let json = run_in(
        dir.path(),
        target.path(),
        &["build", "--verify", "--explain", "--format", "json"],
    )
    .json();
    assert_eq!(json["file_counts"]["rehashed"], 11);
    assert_eq!(json["file_counts"]["parsed"], 0);
    let explain = json["explain"].as_array().unwrap();
    assert!(
        explain.iter().all(|e| e["action"] == "rehashed"),
        "{explain:?}"
    );
}

#[test]
fn frozen_answers_from_the_snapshot_without_refreshing() {
    let dir = copy_fixture("workspace");
    let target = tempfile::tempdir().unwrap();
    let none = run_in(
        dir.path(),
        target.path(),
        &["what-implements", "Shape", "--frozen"],
    );
    assert_eq!(none.code, 2, "{}", none.stderr);
    assert!(
        none.stderr.contains("run once without --frozen"),
        "{}",
        none.stderr
    );
    run_in(dir.path(), target.path(), &["build", "-q"]);
    std::fs::remove_file(dir.path().join("crates/core/src/shapes/circle.rs")).unwrap();
    let frozen = run_in(
        dir.path(),
        target.path(),
        &["what-implements", "Shape", "--frozen", "-q"],
    );
    assert!(frozen.stdout.contains("Circle"), "{}", frozen.stdout);
    let fresh = run_in(
        dir.path(),
        target.path(),
        &["what-implements", "Shape", "-q"],
    );
    assert!(!fresh.stdout.contains("Circle"), "{}", fresh.stdout);
}

#[test]
fn a_broken_file_keeps_its_last_good_facts_marked_stale() {
    let dir = copy_fixture("workspace");
    let target = tempfile::tempdir().unwrap();
    run_in(dir.path(), target.path(), &["build", "-q"]);
    let file = dir.path().join("crates/core/src/shapes/circle.rs");
    let good = std::fs::read_to_string(&file).unwrap();
    std::fs::write(&file, format!("{good}\nfn broken( {{\n")).unwrap();
    let out = run_in(
        dir.path(),
        target.path(),
        &["what-implements", "Shape", "--format", "json"],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("answers use the last good facts of crates/core/src/shapes/circle.rs"),
        "{}",
        out.stderr
    );
    let json = out.json();
    assert_eq!(json["stale_files"][0], "crates/core/src/shapes/circle.rs");
    assert!(out.stdout.contains("Circle"));
    // Without the stale layer the broken file contributes nothing.
    let bare = run_in(
        dir.path(),
        target.path(),
        &["what-implements", "Shape", "--no-stale-facts", "-q"],
    );
    assert!(!bare.stdout.contains("Circle"), "{}", bare.stdout);
    std::fs::write(&file, good).unwrap();
    let fixed = run_in(
        dir.path(),
        target.path(),
        &["what-implements", "Shape", "--format", "json"],
    );
    assert_eq!(fixed.code, 0, "{}", fixed.stderr);
    assert!(fixed.json().get("stale_files").is_none());
}

#[cfg(target_os = "linux")]
#[test]
fn a_second_invocation_waits_for_the_lock_like_cargo() {
    let target = tempfile::tempdir().unwrap();
    let cache = target.path().join("parseltongue");
    std::fs::create_dir_all(&cache).unwrap();
    let mut holder = std::process::Command::new("flock")
        .arg("-o")
        .arg(cache.join(".lock"))
        .args(["sleep", "30"])
        .spawn()
        .expect("flock(1) from util-linux");
    while std::fs::File::open(cache.join(".lock"))
        .map(|f| f.try_lock().is_ok())
        .unwrap_or(false)
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    let out = run_in(
        &crate::util::fixture("workspace"),
        target.path(),
        &["what-implements", "Shape", "--lock-timeout", "0.3"],
    );
    holder.kill().unwrap();
    holder.wait().unwrap();
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("Blocking waiting for file lock on parseltongue snapshot"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("gave up waiting for the lock"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.contains("Circle"));
}

#[cfg(unix)]
#[test]
fn a_file_name_with_a_backslash_keeps_the_snapshot() {
    // Such a name is an ordinary character on Unix; the index used to reject it on every call
    // (a warning and a cold rebuild each time).
    let dir = copy_fixture("workspace");
    let core = dir.path().join("crates/core/src");
    std::fs::write(core.join("odd\\name.rs"), "pub fn odd() {}\n").unwrap();
    let lib = core.join("lib.rs");
    let text = std::fs::read_to_string(&lib).unwrap();
    std::fs::write(
        &lib,
        format!("{text}\n#[path = \"odd\\\\name.rs\"]\npub mod odd;\n"),
    )
    .unwrap();
    let target = tempfile::tempdir().unwrap();
    let first = run_in(dir.path(), target.path(), &["build", "--workspace"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let second = run_in(dir.path(), target.path(), &["build", "--workspace"]);
    assert!(
        second.stdout.contains("snapshot: up to date"),
        "{}{}",
        second.stdout,
        second.stderr
    );
    assert!(
        !second.stderr.contains("ignoring snapshot"),
        "{}",
        second.stderr
    );
}

#[test]
fn a_session_keeps_its_graph_while_the_snapshot_is_unchanged() {
    let dir = crate::util::copy_fixture("root_package");
    // The snapshot goes to the copy's own target directory.
    let mut session = cargo_parseltongue::Session::open(dir.path().join("Cargo.toml")).unwrap();
    let nodes = session.graph.nodes.len();
    assert!(session.refresh.graph_digest.is_some());
    session.refresh().unwrap();
    assert!(
        session.refresh.kept_held,
        "an unchanged snapshot is not read again"
    );
    assert_eq!(session.graph.nodes.len(), nodes);
    let lib = dir.path().join("crates/matcher/src/lib.rs");
    let mut source = std::fs::read_to_string(&lib).unwrap();
    source.push_str("\npub fn held_graph_probe() {}\n");
    std::fs::write(&lib, source).unwrap();
    session.refresh().unwrap();
    assert!(!session.refresh.kept_held);
    assert!(
        session
            .graph
            .nodes
            .iter()
            .any(|n| n.path == "finder_matcher::held_graph_probe")
    );
}

#[test]
fn a_forged_graph_cannot_make_context_read_outside_the_workspace() {
    use cargo_parseltongue::cache;
    let outside = tempfile::tempdir().unwrap();
    let secret = outside.path().join("secret.txt");
    std::fs::write(&secret, "TOP-SECRET-CONTENT\n").unwrap();
    for forged_file in [
        secret.display().to_string(),
        "../../../secret.txt".to_string(),
    ] {
        let dir = copy_fixture("root_package");
        let target = dir.path().join("target");
        let first = run_in(dir.path(), &target, &["build"]);
        assert_eq!(first.code, 0, "{}", first.stderr);
        // Someone else's bytes: the graph edited, its checksums recomputed.
        let ws =
            cargo_parseltongue::workspace::load(&cargo_parseltongue::workspace::MetadataOptions {
                manifest_path: Some(dir.path().join("Cargo.toml")),
                cargo_flags: Vec::new(),
                fresh: false,
            })
            .unwrap();
        let paths = cache::Paths::new(ws.cache_dir());
        // The CLI binary's identity, as its index's header records it.
        let index_bytes = std::fs::read(paths.index()).unwrap();
        let header_line = index_bytes.split(|b| *b == b'\n').next().unwrap();
        let header: serde_json::Value = serde_json::from_slice(header_line).unwrap();
        let tool = header["tool"].as_str().unwrap().to_string();
        let mut index = cache::load_index(&paths, &tool, &ws.fingerprint).unwrap();
        let mut graph = cache::load_graph(&paths, &index, &tool, &ws.fingerprint).unwrap();
        let node = graph
            .nodes
            .iter_mut()
            .find(|n| n.path == "finder_regex::RegexMatcher::new")
            .unwrap();
        let span = node.span.as_mut().unwrap();
        span.file = forged_file.as_str().into();
        span.line = 1;
        span.end_line = 1;
        index.graph_digest = cache::save_graph(&paths, &tool, &ws.fingerprint, &graph).unwrap();
        cache::save_index(&paths, &tool, &ws.fingerprint, &index).unwrap();
        let out = run_in(
            dir.path(),
            &target,
            &["context", "RegexMatcher::new", "--with-source"],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        assert!(
            !out.stdout.contains("TOP-SECRET"),
            "{forged_file}: {}",
            out.stdout
        );
        assert!(
            out.stderr.contains("graph fails validation"),
            "{forged_file}: {}",
            out.stderr
        );
        // The rebuilt graph answers as a cold build does.
        assert!(
            out.stdout.contains("crates/regex/src/lib.rs:26"),
            "{}",
            out.stdout
        );
    }
}

#[test]
fn a_target_outside_the_workspace_root_keeps_its_snapshot() {
    let top = tempfile::tempdir().unwrap();
    let ws = top.path().join("ws");
    let shared = top.path().join("shared");
    std::fs::create_dir_all(&ws).unwrap();
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::write(
        ws.join("Cargo.toml"),
        "[package]\nname = \"outer\"\nversion = \"0.1.0\"\nedition = \"2021\"\n\n[lib]\npath = \"../shared/lib.rs\"\n",
    )
    .unwrap();
    std::fs::write(
        shared.join("lib.rs"),
        "mod inner;\npub fn top() { inner::deep() }\n",
    )
    .unwrap();
    std::fs::write(shared.join("inner.rs"), "pub fn deep() {}\n").unwrap();
    let target = ws.join("target");
    let first = run_in(&ws, &target, &["build"]);
    assert_eq!(first.code, 0, "{}", first.stderr);
    let second = run_in(&ws, &target, &["build"]);
    assert_eq!(second.code, 0, "{}", second.stderr);
    assert!(
        !second.stderr.contains("ignoring snapshot"),
        "{}",
        second.stderr
    );
    assert!(
        second.stdout.contains("snapshot: up to date"),
        "{}",
        second.stdout
    );
    let radius = run_in(&ws, &target, &["blast-radius", "inner::deep", "-q"]);
    assert!(radius.stdout.contains("outer::top"), "{}", radius.stdout);
}
