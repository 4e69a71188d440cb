//! exceptions, resolve and blast radius over trait defaults, on `fixtures/exceptions`.

use crate::util::{fixture, run, run_in};
use std::collections::BTreeSet;

crate::util::snapshot_tests! {
    "exceptions";
    exceptions_human: ["exceptions"];
    exceptions_all: ["exceptions", "--all"];
    exceptions_json: ["exceptions", "--workspace", "--format", "json"];
    exceptions_of_a_trait_item: ["exceptions", "--workspace", "--trait", "Shape", "--item", "describe"];
    exceptions_of_a_type: ["exceptions", "--workspace", "--type", "Square"];
    exceptions_stats: ["exceptions", "--workspace", "--stats"];
    exceptions_stats_json: ["exceptions", "--workspace", "--stats", "--format", "json"];
    resolve_inherent_shadows_trait: ["resolve", "Square", "area"];
    resolve_override_replaces_default: ["resolve", "Square", "describe"];
    resolve_trait_default: ["resolve", "Triangle", "name"];
    resolve_ambiguous: ["resolve", "Circle", "name"];
    resolve_through_deref: ["resolve", "wrap::Named", "max"];
    resolve_json: ["resolve", "Dot", "describe", "--format", "json"];
    resolve_unknown_method: ["resolve", "Circle", "perimeter"];
    blast_radius_of_a_default: ["blast-radius", "Shape::name", "--workspace", "--depth", "1"];
}

fn properties(json: &serde_json::Value) -> BTreeSet<(String, String, String)> {
    json["exceptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["kind"].as_str().unwrap().to_string(),
                e["node"].as_str().unwrap().to_string(),
                e["property"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn every_exception_has_the_documented_fields() {
    let out = run("exceptions", &["exceptions", "--all", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.json();
    for e in json["exceptions"].as_array().unwrap() {
        for field in [
            "source",
            "kind",
            "property",
            "node",
            "file",
            "line",
            "inherited",
            "actual",
            "reason",
            "confidence",
        ] {
            assert!(!e[field].is_null(), "{field} missing in {e}");
        }
        let c = e["confidence"].as_f64().unwrap();
        assert!((0.0..=1.0).contains(&c));
    }
    let circle = json["impls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["impl"]["path"] == "shapes::impl Shape for Circle")
        .unwrap();
    assert_eq!(circle["overridden"], serde_json::json!(["name", "SIDES"]));
    assert_eq!(circle["inherited"], serde_json::json!(["describe"]));
}

#[test]
fn filters_narrow_by_source_kind_and_confidence() {
    let all = run("exceptions", &["exceptions", "--all", "--format", "json"]).json();
    let sure = run(
        "exceptions",
        &[
            "exceptions",
            "--all",
            "--min-confidence",
            "0.9",
            "--format",
            "json",
        ],
    )
    .json();
    let promoted = run(
        "exceptions",
        &[
            "exceptions",
            "--workspace",
            "--source",
            "promoted",
            "--format",
            "json",
        ],
    )
    .json();
    let lints = run(
        "exceptions",
        &[
            "exceptions",
            "--workspace",
            "--kind",
            "lint_level",
            "--format",
            "json",
        ],
    )
    .json();
    let all = properties(&all);
    let dropped: Vec<_> = all.difference(&properties(&sure)).cloned().collect();
    assert_eq!(
        dropped,
        vec![(
            "deref_shadowing".into(),
            "shapes::wrap::Named::count".into(),
            "shapes::wrap::Numbers::count".into()
        )]
    );
    assert!(
        properties(&promoted)
            .iter()
            .all(|p| p.0 == "redundant_override")
    );
    assert_eq!(properties(&promoted).len(), 2);
    assert_eq!(properties(&lints).len(), 5);
    let bad = run("exceptions", &["exceptions", "--min-confidence", "2"]);
    assert_eq!(bad.code, 2);
}

/// Direct dependents of `Shape::name` under `--change CHANGE`, with their effect.
fn default_dependents(change: &str) -> BTreeSet<(String, String)> {
    let out = run(
        "exceptions",
        &[
            "blast-radius",
            "Shape::name",
            "--workspace",
            "--depth",
            "1",
            "--change",
            change,
            "--format",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    out.json()["levels"][0]["dependents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| {
            (
                d["node"]["path"].as_str().unwrap().to_string(),
                d["effect"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn a_defaults_body_reaches_its_inheritors_its_interface_breaks_its_overriders() {
    let body = default_dependents("body");
    let paths: BTreeSet<&str> = body.iter().map(|(p, _)| p.as_str()).collect();
    for inheritor in [
        "shapes::impl Shape for Square",
        "shapes::impl Shape for Triangle",
        "render::impl Shape for Dot",
    ] {
        assert!(paths.contains(inheritor), "{inheritor} missing: {body:?}");
    }
    assert!(!paths.contains("shapes::Circle::name"), "{body:?}");
    assert!(!paths.contains("shapes::impl Shape for Circle"), "{body:?}");
    assert!(body.iter().all(|(_, e)| e == "behaviour"), "{body:?}");
    let interface = default_dependents("interface");
    let paths: BTreeSet<&str> = interface.iter().map(|(p, _)| p.as_str()).collect();
    assert!(paths.contains("shapes::Circle::name"), "{interface:?}");
    assert!(paths.contains("shapes::Shape::describe"), "{interface:?}");
    assert!(
        !paths.contains("shapes::impl Shape for Square"),
        "{interface:?}"
    );
    assert!(
        interface.iter().all(|(_, e)| e == "breaks"),
        "{interface:?}"
    );
}

#[test]
fn exceptions_from_another_tools_file_are_imported_with_their_kind() {
    let target = tempfile::tempdir().unwrap();
    let file = target.path().join("theirs.json");
    std::fs::write(
        &file,
        r#"{"exceptions": [
            {"kind": "overridden_default", "property": "shapes::Shape::area",
             "node": "shapes::impl Shape for Triangle", "confidence": 0.5,
             "reason": "flagged by review"},
            {"kind": "lint_level", "property": "dead_code", "node": "no::such::item"}
        ]}"#,
    )
    .unwrap();
    let out = run_in(
        &fixture("exceptions"),
        target.path(),
        &[
            "exceptions",
            "--all",
            "--source",
            "imported",
            "--import",
            file.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stderr
            .contains("skipped dead_code: no item `no::such::item`"),
        "{}",
        out.stderr
    );
    let json = out.json();
    let rows = json["exceptions"].as_array().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0]["kind"], "overridden_default");
    assert_eq!(rows[0]["source"], "imported");
    assert_eq!(rows[0]["reason"], "flagged by review");
}
