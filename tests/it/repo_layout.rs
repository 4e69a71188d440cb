//! `fixtures/repo_layout`: a workspace laid out as multi-crate repositories are (members
//! wired by `[patch.crates-io]`, a module tree declared inside a macro, `cfg_attr(path)`
//! variants, a symlinked source directory, a renamed macro import, an external macro named
//! like a workspace one, an `include!`, an orphan file).

use crate::util::run;
use serde_json::Value;
use std::collections::BTreeSet;

crate::util::snapshot_tests! {
    "repo_layout";
    repo_layout_build: ["build", "--workspace"];
    repo_layout_serialize_impls: ["what-implements", "Serialize", "--workspace"];
    repo_layout_blast_radius_of_a_trait_method: ["blast-radius", "facade_core::ser::Serialize::serialize", "--workspace", "--depth", "1"];
    repo_layout_calls_inside_macro_calls: ["blast-radius", "facade_core::de::report", "--workspace"];
}

/// The `build` report as JSON.
fn build_json() -> Value {
    let out = run("repo_layout", &["build", "--workspace", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.json()
}

/// The coverage entry of `package` in a JSON answer.
fn coverage_of(answer: &Value, package: &str) -> Value {
    answer["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["package"] == package)
        .unwrap()
        .clone()
}

/// Every node of the exported graph.
fn nodes() -> Vec<Value> {
    let out = run("repo_layout", &["export", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.json()["nodes"].as_array().unwrap().clone()
}

/// The paths of the exported graph's nodes of `kind`.
fn paths_of(kind: &str) -> Vec<String> {
    nodes()
        .iter()
        .filter(|n| n["kind"] == kind)
        .map(|n| n["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn modules_declared_by_a_macro_are_walked() {
    let paths: BTreeSet<String> = paths_of("module").into_iter().collect();
    for module in [
        "facade_core::ser",
        "facade_core::ser::impls",
        "facade_core::de",
        "facade_core::de::value",
        "facade_core::rejection",
    ] {
        assert!(paths.contains(module), "{module} missing from {paths:?}");
    }
}

#[test]
fn a_path_attribute_on_an_inline_module_names_its_children_s_directory() {
    let paths: BTreeSet<String> = paths_of("module").into_iter().collect();
    assert!(
        paths.contains("facade_core::versioned::v2::traits"),
        "{paths:?}"
    );
    assert!(paths_of("trait").contains(&"facade_core::versioned::v2::traits::Versioned".into()));
    let report = build_json();
    let kinds = diagnostic_kinds(&report);
    assert!(!kinds.contains(&"missing_module"), "{kinds:?}");
}

#[test]
fn a_patched_member_is_the_member_not_an_external_crate() {
    let externals = paths_of("external");
    assert!(
        externals.iter().all(|p| !p.starts_with("facade_core")),
        "member items exist as external nodes: {externals:?}"
    );
    // The facade's impls of the core's trait attach to the member's trait.
    let out = run(
        "repo_layout",
        &[
            "what-implements",
            "facade_core::ser::Serialize",
            "--workspace",
            "--format",
            "json",
        ],
    );
    let impls: BTreeSet<String> = out.json()["impls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["self_type"].as_str().unwrap().to_string())
        .collect();
    for ty in ["Wrapper", "Other", "MissingBody", "bool", "str"] {
        assert!(impls.contains(ty), "{ty} missing from {impls:?}");
    }
}

/// `core_legacy = { package = "facade-core", version = "0.0.9" }`: another release of the
/// member's package, which the `[patch]` (0.1.0) does not reach, is an outside crate.
#[test]
fn a_renamed_older_release_of_a_patched_member_is_an_outside_crate() {
    let impls = |trait_path: &str| -> Vec<String> {
        let out = run(
            "repo_layout",
            &[
                "what-implements",
                trait_path,
                "--workspace",
                "--format",
                "json",
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.json()["impls"]
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["self_type"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(
        impls("core_legacy::versioned::v2::traits::Versioned"),
        ["Legacy"]
    );
    assert!(impls("facade_core::versioned::v2::traits::Versioned").is_empty());
}

#[test]
fn cfg_attr_path_variants_and_symlinked_sources_are_indexed() {
    let names: Vec<Value> = nodes()
        .into_iter()
        .filter(|n| n["path"] == "facade_internals::shared::Name")
        .collect();
    assert!(
        !names.is_empty(),
        "the cfg_attr(path) module was not followed"
    );
    // Both variants are written; neither is a missing module.
    let report = build_json();
    let kinds = diagnostic_kinds(&report);
    assert!(!kinds.contains(&"missing_module"), "{kinds:?}");
}

/// The `kind` of each diagnostic a JSON report lists.
fn diagnostic_kinds(report: &Value) -> Vec<&str> {
    report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect()
}

#[test]
fn coverage_names_unreached_files_and_unfollowed_includes() {
    let report = build_json();
    let core = coverage_of(&report, "facade-core");
    // `include!("generated.rs")` is followed; `include!(concat!(env!("OUT_DIR"), …))` is not.
    // The three files `cfg_if!` picks between in `sys/mod.rs` are all reached.
    assert_eq!(
        core["unreached_files"],
        serde_json::json!(["core/src/orphan.rs"])
    );
    assert_eq!(
        core["unexpanded_macros"],
        serde_json::json!({"include! is not followed": 1})
    );
    // `mod clock;` has a file for each `cfg_attr(path)` variant and none where no variant
    // applies: counted here, not listed among the problems.
    assert_eq!(core["module_variants_without_file"], 1);
    let kinds = diagnostic_kinds(&report);
    assert!(!kinds.contains(&"module_variant_missing"), "{kinds:?}");
    assert_eq!(report["partial"], false);
    // Files of a deeper `tests/` directory (a crate whose manifest is not there) are listed,
    // but outnumbering the package's own files they are no sign of a missed construct.
    let internals = coverage_of(&report, "facade-internals");
    assert_eq!(
        internals["unreached_files"],
        serde_json::json!([
            "internals/test-support/tests/one.rs",
            "internals/test-support/tests/two.rs"
        ])
    );
    assert_eq!(internals["files_indexed"], 1);
    assert!(internals.get("warning").is_none(), "{internals}");
}

#[test]
fn paths_that_resolve_to_nothing_are_listed_where_they_are_written() {
    // `crate::bindings` is in the build script's output, which is not followed.
    let human = run("repo_layout", &["build", "--workspace", "--unresolved"]);
    assert_eq!(human.code, 0, "{}", human.stderr);
    assert!(
        human.stdout.contains(
            "unresolved paths: 1\n  facade-core: core/src/lib.rs:19:5 crate::bindings::VERSION\n"
        ),
        "{}",
        human.stdout
    );
    let json = run(
        "repo_layout",
        &["build", "--workspace", "--unresolved", "--format", "json"],
    )
    .json();
    assert_eq!(
        json["unresolved"],
        serde_json::json!([{
            "package": "facade-core",
            "file": "core/src/lib.rs",
            "line": 19,
            "column": 5,
            "path": "crate::bindings::VERSION",
        }])
    );
    let core = coverage_of(&json, "facade-core");
    assert_eq!(core["unresolved_paths"], 1);
    // Without the flag the list is left out; the count stays in the coverage.
    assert!(build_json().get("unresolved").is_none());
}

#[test]
fn an_imported_external_macro_is_not_bound_to_a_workspace_macro() {
    // `use mockall::mock;` then `mock! { … }` in the facade: the core's `mock!` would not
    // match that input, so binding it would report a failed expansion.
    let report = build_json();
    let failures: Vec<String> = report["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "macro_expansion")
        .map(|d| d["message"].as_str().unwrap().to_string())
        .collect();
    assert!(failures.iter().all(|m| !m.contains("mock")), "{failures:?}");
}

#[test]
fn entities_are_named_as_users_write_them() {
    // A public re-export in another crate, and std's path of a core trait.
    let through_reexport = run(
        "repo_layout",
        &[
            "what-implements",
            "facade::Deserialize",
            "--workspace",
            "--format",
            "json",
        ],
    );
    assert_eq!(through_reexport.code, 0, "{}", through_reexport.stderr);
    assert_eq!(
        through_reexport.json()["trait"]["path"],
        "facade_core::de::Deserialize"
    );
    let std_path = run(
        "workspace",
        &[
            "what-implements",
            "std::fmt::Display",
            "--workspace",
            "--format",
            "json",
        ],
    );
    assert_eq!(std_path.code, 0, "{}", std_path.stderr);
    assert_eq!(std_path.json()["trait"]["path"], "core::fmt::Display");
}

#[test]
fn every_json_answer_carries_the_coverage() {
    let out = run(
        "repo_layout",
        &["search", "MissingBody", "--workspace", "--format", "json"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let core = coverage_of(&out.json(), "facade-core");
    assert_eq!(core["unreached_files"].as_array().unwrap().len(), 1);
}

#[test]
fn defaults_a_configuration_leaves_out_are_not_listed() {
    let out = run(
        "repo_layout",
        &["exceptions", "--all", "--format", "json", "--cfg", "doc"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let v = out.json();
    let impls = v["impls"].as_array().unwrap();
    assert!(!impls.is_empty());
    for i in impls {
        let names: Vec<&str> = i["inherited"]
            .as_array()
            .unwrap()
            .iter()
            .chain(i["overridden"].as_array().unwrap())
            .map(|n| n.as_str().unwrap())
            .collect();
        assert!(!names.contains(&""), "{i}");
        assert!(!names.contains(&"to_owned_string"), "{i}");
    }
}

#[test]
fn an_override_a_configuration_leaves_out_leaves_the_default_inherited() {
    let wrapper = |extra: &[&str]| {
        let mut args = vec!["exceptions", "--all", "--format", "json"];
        args.extend_from_slice(extra);
        let out = run("repo_layout", &args);
        assert_eq!(out.code, 0, "{}", out.stderr);
        let v = out.json();
        let record = v["impls"]
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["impl"]["path"] == "facade::impl Serialize for Wrapper")
            .cloned()
            .unwrap();
        (record["overridden"].clone(), record["inherited"].clone())
    };
    // Every cfg variant: the override is written.
    assert_eq!(wrapper(&[]).0, serde_json::json!(["describe"]));
    // In a configuration without `verbose`: the default is inherited.
    let (overridden, inherited) = wrapper(&["--cfg", "doc"]);
    assert_eq!(overridden, serde_json::json!([]));
    assert_eq!(inherited, serde_json::json!(["describe"]));
}

#[test]
fn context_source_with_a_fenced_doc_example_keeps_its_fence() {
    let out = run(
        "repo_layout",
        &[
            "context",
            "facade_core::de::report",
            "--with-source",
            "--workspace",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    // The source holds ``` lines: the fence around it is longer.
    assert!(
        out.stdout.contains("Source:\n\n````rust\n"),
        "{}",
        out.stdout
    );
    let source = out.stdout.split("````rust\n").nth(1).unwrap();
    assert!(source.contains("pub fn report"), "{}", out.stdout);
}

#[cfg(unix)]
#[test]
fn output_keeps_modes_and_writes_non_regular_files_in_place() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let context = |output: &std::path::Path| {
        let out = run(
            "repo_layout",
            &[
                "context",
                "facade::twice",
                "--workspace",
                "--output",
                output.to_str().unwrap(),
            ],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
    };
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // A new file gets the mode `File::create` gives (the umask's), not 0600.
    let probe = dir.path().join("probe");
    std::fs::File::create(&probe).unwrap();
    let fresh = dir.path().join("fresh.md");
    context(&fresh);
    assert_eq!(mode(&fresh), mode(&probe));
    // An existing file keeps its mode.
    let kept = dir.path().join("kept.md");
    std::fs::write(&kept, "old").unwrap();
    std::fs::set_permissions(&kept, std::fs::Permissions::from_mode(0o640)).unwrap();
    context(&kept);
    assert_eq!(mode(&kept), 0o640);
    assert!(
        std::fs::read_to_string(&kept)
            .unwrap()
            .contains("facade::twice")
    );
    // A symbolic link stays a link; its target is written.
    let target = dir.path().join("target.md");
    std::fs::write(&target, "").unwrap();
    let link = dir.path().join("link.md");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    context(&link);
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert!(
        std::fs::read_to_string(&target)
            .unwrap()
            .contains("facade::twice")
    );
}

#[test]
fn a_member_patched_in_cargo_config_is_the_member() {
    // The same workspace with its `[patch]` moved from the root manifest into
    // `.cargo/config.toml`, as some repositories keep it.
    let dir = crate::util::copy_fixture("repo_layout");
    let manifest = dir.path().join("Cargo.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let (kept, patch) = text.split_once("[patch.crates-io]").unwrap();
    std::fs::write(&manifest, kept).unwrap();
    std::fs::create_dir_all(dir.path().join(".cargo")).unwrap();
    std::fs::write(
        dir.path().join(".cargo/config.toml"),
        format!("[patch.crates-io]{patch}"),
    )
    .unwrap();
    let target = tempfile::tempdir().unwrap();
    let out = crate::util::run_in(dir.path(), target.path(), &["export", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let twins: Vec<String> = out.json()["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "external")
        .map(|n| n["path"].as_str().unwrap().to_string())
        .filter(|p| p.starts_with("facade_core"))
        .collect();
    assert!(
        twins.is_empty(),
        "member items exist as external nodes: {twins:?}"
    );
}

#[test]
fn an_included_file_s_items_are_the_including_module_s() {
    let nodes = nodes();
    let generated: Vec<(&str, &str)> = nodes
        .iter()
        .filter(|n| n["span"]["file"] == "core/src/generated.rs")
        .map(|n| (n["path"].as_str().unwrap(), n["kind"].as_str().unwrap()))
        .collect();
    for item in [
        ("facade_core::Generated", "struct"),
        ("facade_core::generated_name", "fn"),
        ("facade_core::generated", "fn"),
        ("facade_core::Generated::serialize", "method"),
    ] {
        assert!(
            generated.contains(&item),
            "{item:?} missing from {generated:?}"
        );
    }
    // Names in the included file resolve in the crate root (`ser` is declared there by a
    // macro), and the crate root's items are reached through it.
    let out = run(
        "repo_layout",
        &[
            "what-implements",
            "facade_core::ser::Serialize",
            "--format",
            "json",
        ],
    );
    let impls = out.json()["impls"].as_array().unwrap().clone();
    assert!(
        impls
            .iter()
            .any(|i| i["self_type"] == "Generated" && i["file"] == "core/src/generated.rs"),
        "{impls:?}"
    );
    let out = run(
        "repo_layout",
        &[
            "blast-radius",
            "facade_core::generated_name",
            "--format",
            "json",
        ],
    );
    assert!(
        out.stdout.contains("facade_core::Generated::serialize"),
        "{}",
        out.stdout
    );
}

#[test]
fn a_reference_compiled_into_two_targets_counts_once_as_it_is_listed() {
    // `src/common.rs` is the lib's `common` module and the `tool` binary's (`#[path]`).
    let json = run(
        "shared_module",
        &["build", "--unresolved", "--format", "json"],
    )
    .json();
    assert_eq!(
        json["unresolved"],
        serde_json::json!([{
            "package": "shared-module",
            "file": "src/common.rs",
            "line": 5,
            "column": 5,
            "path": "crate::bindings::VERSION",
        }])
    );
    assert_eq!(coverage_of(&json, "shared-module")["unresolved_paths"], 1);
}

/// `fixtures/std_facade`: hashbrown's `core = { package = "rustc-std-workspace-core",
/// optional = true }` is enabled only when std itself is built, so `core::…` paths are the
/// sysroot's: the `Debug` impl implements `core::fmt::Debug`, and a method call through the
/// `Deref` impl (`impl Deref for Wrapper`, `use core::ops::Deref`) reaches the target's
/// method.
#[test]
fn an_optional_dependency_named_core_is_not_the_crate_core_paths_name() {
    let out = run("std_facade", &["export", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let graph = out.json();
    let nodes = graph["nodes"].as_array().unwrap();
    let path_of = |id: &Value| {
        nodes
            .iter()
            .find(|n| &n["id"] == id)
            .map(|n| n["path"].as_str().unwrap().to_string())
            .unwrap()
    };
    assert!(
        !nodes.iter().any(|n| n["path"]
            .as_str()
            .unwrap()
            .starts_with("rustc_std_workspace_core")),
        "{nodes:?}"
    );
    let edges: BTreeSet<(String, String, String)> = graph["edges"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                path_of(&e["from"]),
                path_of(&e["to"]),
            )
        })
        .collect();
    assert!(edges.contains(&(
        "implements".into(),
        "std_facade::impl fmt::Debug for Wrapper".into(),
        "core::fmt::Debug".into()
    )));
    assert!(edges.contains(&(
        "calls".into(),
        "std_facade::size".into(),
        "std_facade::Inner::len".into()
    )));
    assert!(!edges.contains(&(
        "calls".into(),
        "std_facade::size".into(),
        "std_facade::Other::len".into()
    )));
}
