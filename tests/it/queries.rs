//! Every query, human and JSON, on the fixture workspaces.

use crate::util::{run, settings};
use insta::assert_snapshot;

pub fn check(name: &str, fixture: &str, args: &[&str]) {
    let out = run(fixture, args);
    settings().bind(|| assert_snapshot!(name, out.transcript()));
}

crate::util::snapshot_tests! {
    build_human: "workspace", ["build", "--workspace"];
    build_json: "workspace", ["build", "--workspace", "--format", "json"];
    what_implements_workspace_trait: "workspace", ["what-implements", "Named", "--workspace"];
    what_implements_through_glob_reexport: "workspace", ["what-implements", "demo_core::Shape", "--workspace"];
    what_implements_derived_std_trait: "workspace", ["what-implements", "Clone", "--workspace"];
    what_implements_json: "workspace", ["what-implements", "Display", "--workspace", "--format", "json"];
    what_implements_package_filter: "workspace", ["what-implements", "Named", "-p", "demo-core"];
    blast_radius_human: "workspace", ["blast-radius", "Config::new", "--workspace"];
    blast_radius_trait_method: "workspace", ["blast-radius", "Named::greet", "--workspace"];
    blast_radius_json: "workspace", ["blast-radius", "Config", "--workspace", "--depth", "1", "--format", "json"];
    blast_radius_truncated: "workspace", ["blast-radius", "Config", "--workspace", "--limit", "2"];
    find_cycles_module: "workspace", ["find-cycles", "--workspace"];
    find_cycles_item_human: "workspace", ["find-cycles", "--level", "item", "--workspace"];
    find_cycles_item_json: "workspace", ["find-cycles", "--level", "item", "--workspace", "--format", "json"];
    find_cycles_module_json: "workspace", ["find-cycles", "--workspace", "--format", "json"];
    search_human: "workspace", ["search", "Config", "--workspace"];
    search_glob_kind_json: "workspace", ["search", "*::tcp::*", "--kind", "fn", "--workspace", "--format", "json"];
    export_json: "workspace", ["export", "--format", "json"];
    export_human: "broken", ["export", "--format", "human"];
    broken_build: "broken", ["build"];
    broken_what_implements: "broken", ["what-implements", "Check", "--format", "json"];
}

#[test]
fn what_implements_json_has_the_documented_fields() {
    let out = run(
        "workspace",
        &[
            "what-implements",
            "Clone",
            "--workspace",
            "--format",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.json();
    let impls = json["impls"].as_array().unwrap();
    assert_eq!(impls.len(), 4);
    for i in impls {
        assert_eq!(i["trait"], "core::clone::Clone");
        assert!(i["self_type"].is_string());
        assert!(i["file"].as_str().unwrap().starts_with("crates/"));
        assert!(i["line"].as_u64().unwrap() >= 1);
        assert_eq!(i["derived"], true);
    }
}

#[test]
fn the_renamed_dependency_resolves_to_the_workspace_crate() {
    // app names the core crate `dcore`; its impls must attach to demo_core's traits.
    let out = run(
        "workspace",
        &[
            "what-implements",
            "Identified",
            "--workspace",
            "--format",
            "json",
        ],
    );
    let json = out.json();
    assert_eq!(json["trait"]["path"], "demo_core::Identified");
    assert_eq!(json["impls"][0]["self_type"], "User");
}

#[test]
fn items_behind_path_attributes_and_cfg_macros_are_indexed() {
    let out = run(
        "workspace",
        &["search", "demo_core::", "--workspace", "--format", "json"],
    );
    let paths: Vec<String> = out.json()["matches"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["path"].as_str().unwrap().to_string())
        .collect();
    assert!(
        paths.contains(&"demo_core::special::limit".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"demo_core::runtime::Runtime::start".to_string()),
        "{paths:?}"
    );
    assert!(
        paths.contains(&"demo_core::net::tcp::open".to_string()),
        "{paths:?}"
    );
}

#[test]
fn export_prints_json_unless_asked_for_text() {
    let out = run("workspace", &["export"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.json();
    assert_eq!(json["command"], "export");
    assert!(json["nodes"].as_array().is_some_and(|n| !n.is_empty()));
}
