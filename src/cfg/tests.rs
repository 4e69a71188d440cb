#[test]
fn predicates_no_build_sets_by_default_are_off() {
    let off = |p: &str| CfgExpr::parse(p).unwrap().off_by_default();
    assert!(off("test_node_semver"));
    assert!(off("all(unix, docsrs)"));
    assert!(off("miri"));
    assert!(!off("not(test_node_semver)"));
    assert!(!off("unix"));
    assert!(!off("feature = \"std\""));
    assert!(!off("all(target_feature = \"sse2\", not(miri))"));
    assert!(!off("any(windows, loom)"));
}
use super::*;

#[test]
fn an_edge_to_a_dropped_cfg_variant_goes_to_the_kept_one() {
    // crossbeam-utils: `#[cfg_attr(target_pointer_width = "16", path = "wide.rs")]`.
    let dump = "FILE: src/lib.rs\n\
         #[cfg_attr(target_pointer_width = \"16\", path = \"wide.rs\")]\n\
         mod lock;\n\
         pub fn user() { lock::write(); }\n\
         FILE: src/lock.rs\n\
         pub fn write() {}\n\
         FILE: src/wide.rs\n\
         pub fn write() {}\n";
    let graph = crate::ingest::ingest(dump, "demo").graph;
    let config = Configuration::new(
        "target_pointer_width=\"64\"",
        &[],
        &BTreeMap::new(),
        &FeatureRequest::default(),
    )
    .unwrap();
    let (restricted, _) = restrict(&graph, &config);
    let write = restricted
        .nodes
        .iter()
        .find(|n| n.path == "demo::lock::write")
        .unwrap();
    assert_eq!(&*write.span.as_ref().unwrap().file, "src/lock.rs");
    let callers: Vec<&str> = restricted
        .edges
        .iter()
        .filter(|e| e.to == write.id && e.kind == crate::graph::EdgeKind::Calls)
        .filter_map(|e| restricted.node(e.from))
        .map(|n| n.path.as_str())
        .collect();
    assert_eq!(callers, ["demo::user"]);
}

#[test]
fn a_module_file_s_inner_cfg_is_the_module_s() {
    // num-bigint's `bigint/serde.rs` opens with `#![cfg(feature = "serde")]`: without the
    // feature, its impls and their calls are not compiled.
    let dump = "FILE: src/lib.rs\n\
         mod serde;\n\
         mod plain { #![cfg(feature = \"extra\")] pub fn helper() {} }\n\
         pub fn make() {}\n\
         FILE: src/serde.rs\n\
         #![cfg(feature = \"serde\")]\n\
         #![allow(unused)]\n\
         pub fn deserialize() { crate::make(); }\n";
    let graph = crate::ingest::ingest(dump, "demo").graph;
    let module = |g: &crate::graph::Graph, path: &str| {
        g.nodes
            .iter()
            .find(|n| n.path == path)
            .map(|n| n.cfg.clone())
    };
    assert_eq!(
        module(&graph, "demo::serde"),
        Some(Some("feature = \"serde\"".to_string()))
    );
    assert_eq!(
        module(&graph, "demo::plain"),
        Some(Some("feature = \"extra\"".to_string()))
    );
    let config =
        Configuration::new("unix", &[], &BTreeMap::new(), &FeatureRequest::default()).unwrap();
    let (restricted, _) = restrict(&graph, &config);
    assert_eq!(module(&restricted, "demo::serde::deserialize"), None);
    assert_eq!(module(&restricted, "demo::plain::helper"), None);
    assert!(module(&restricted, "demo::make").is_some());
    assert!(
        restricted
            .edges
            .iter()
            .all(|e| e.kind == crate::graph::EdgeKind::Contains),
        "the call from the dropped module went with it"
    );
}

#[test]
fn a_reference_under_a_cfg_in_a_body_is_an_edge_only_where_it_holds() {
    // mio's `Interest::fmt`: `#[cfg(any(target_os = "freebsd", …))] { if self.is_aio() … }`.
    let dump = "FILE: src/lib.rs\n\
         pub fn aio() {}\n\
         pub fn lio() {}\n\
         pub fn both() {}\n\
         pub fn kind(x: u8) {}\n\
         pub fn fmt(x: u8) {\n\
             #[cfg(target_os = \"freebsd\")]\n\
             { aio(); both(); }\n\
             #[cfg(unix)]\n\
             both();\n\
             match x {\n\
                 #[cfg(windows)]\n\
                 0 => lio(),\n\
                 _ => kind(x),\n\
             }\n\
         }\n";
    let graph = crate::ingest::ingest(dump, "demo").graph;
    let callees = |g: &Graph| -> Vec<String> {
        let mut out: Vec<String> = g
            .edges
            .iter()
            .filter(|e| e.kind == crate::graph::EdgeKind::Calls)
            .filter(|e| g.node(e.from).is_some_and(|n| n.path == "demo::fmt"))
            .filter_map(|e| g.node(e.to))
            .map(|n| n.path.clone())
            .collect();
        out.sort();
        out
    };
    // Unconfigured, every edge is there, each under its reference's cfg.
    assert_eq!(
        callees(&graph),
        ["demo::aio", "demo::both", "demo::kind", "demo::lio"]
    );
    let cfg_of = |name: &str| {
        graph
            .edges
            .iter()
            .find(|e| {
                e.kind == crate::graph::EdgeKind::Calls
                    && graph.node(e.to).is_some_and(|n| n.name == name)
            })
            .and_then(|e| e.cfg.as_deref().map(str::to_string))
    };
    assert_eq!(cfg_of("aio").as_deref(), Some("target_os = \"freebsd\""));
    assert_eq!(
        cfg_of("both").as_deref(),
        Some("any(target_os = \"freebsd\", unix)")
    );
    assert_eq!(cfg_of("kind"), None);
    let linux = Configuration::new(
        "unix\ntarget_os=\"linux\"",
        &[],
        &BTreeMap::new(),
        &FeatureRequest::default(),
    )
    .unwrap();
    let (restricted, _) = restrict(&graph, &linux);
    assert_eq!(callees(&restricted), ["demo::both", "demo::kind"]);
}

#[test]
fn boolean_literals_are_predicates() {
    let never = |_: &str, _: Option<&str>| false;
    assert!(CfgExpr::parse("true").unwrap().eval(&never));
    assert!(!CfgExpr::parse("false").unwrap().eval(&never));
    assert!(
        CfgExpr::parse("all(true, not(false))")
            .unwrap()
            .eval(&never)
    );
    // A name that merely starts like one is a name.
    assert!(!CfgExpr::parse("trueish").unwrap().eval(&never));
}

fn config(extra: &[&str], features: &[&str]) -> Configuration {
    let mut packages = BTreeMap::new();
    let table: BTreeMap<String, Vec<String>> = [
        ("default", vec!["rt"]),
        ("rt", vec![]),
        ("full", vec!["rt", "net", "dep:mio"]),
        ("net", vec!["mio/os-poll", "libc?/extra"]),
        ("mio", vec!["dep:mio"]),
        ("libc", vec!["dep:libc"]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.into_iter().map(String::from).collect()))
    .collect();
    packages.insert("tokio".to_string(), table);
    let request = FeatureRequest {
        features: features.iter().map(|s| s.to_string()).collect(),
        ..FeatureRequest::default()
    };
    let extra: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    Configuration::new(
        "unix\ntarget_os=\"linux\"\ndebug_assertions\n",
        &extra,
        &packages,
        &request,
    )
    .unwrap()
}

/// Whether `feature` of `package` is on in `c`.
fn feature_on(c: &Configuration, package: &str, feature: &str) -> bool {
    c.holds(
        Some(package),
        &CfgExpr::parse(&format!("feature = \"{feature}\"")).unwrap(),
    )
}

fn holds(c: &Configuration, pred: &str) -> bool {
    c.holds(Some("tokio"), &CfgExpr::parse(pred).expect(pred))
}

#[test]
fn predicates_follow_rustc() {
    let c = config(&["tokio_unstable"], &[]);
    assert!(holds(&c, "unix"));
    assert!(!holds(&c, "windows"));
    assert!(holds(&c, "target_os = \"linux\""));
    assert!(!holds(&c, "target_os = \"macos\""));
    assert!(holds(
        &c,
        "all(unix, not(test), any(windows, tokio_unstable))"
    ));
    assert!(holds(&c, "all()"));
    assert!(!holds(&c, "any()"));
    assert!(!holds(&c, "test"));
    assert_eq!(CfgExpr::parse("not(a, b)"), None);
    assert_eq!(CfgExpr::parse("feature = rt"), None);
}

#[test]
fn features_follow_the_features_table() {
    let c = config(&[], &[]);
    assert!(holds(&c, "feature = \"rt\""), "default is on");
    assert!(!holds(&c, "feature = \"net\""));
    let c = config(&[], &["full"]);
    for f in ["rt", "net", "full", "mio"] {
        assert!(holds(&c, &format!("feature = \"{f}\"")), "{f}");
    }
    assert!(
        !holds(&c, "feature = \"libc\""),
        "`libc?/extra` does not enable libc"
    );
    assert!(!holds(&c, "feature = \"nope\""));
    let c = config(&[], &["other/net"]);
    assert!(!holds(&c, "feature = \"net\""), "another package's feature");
    let c = config(&[], &["tokio/net,rt"]);
    assert!(holds(&c, "feature = \"net\""));
}

#[test]
fn members_enable_features_on_each_other() {
    let table = |pairs: &[(&str, &[&str])]| -> BTreeMap<String, Vec<String>> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.iter().map(|s| s.to_string()).collect()))
            .collect()
    };
    let tables: BTreeMap<String, BTreeMap<String, Vec<String>>> = [
        (
            "core".to_string(),
            table(&[
                ("default", &["rt"]),
                ("rt", &[]),
                ("net", &[]),
                ("tls", &["net"]),
                ("wire", &[]),
            ]),
        ),
        (
            "app".to_string(),
            table(&[("wired", &["core/wire"]), ("extra", &["dep:helper"])]),
        ),
        ("helper".to_string(), table(&[("fast", &[])])),
    ]
    .into_iter()
    .collect();
    let dep = |package: &str, features: &[&str], default_features: bool, optional: bool| {
        crate::workspace::MemberDependency {
            package: package.to_string(),
            key: package.to_string(),
            features: features.iter().map(|s| s.to_string()).collect(),
            default_features,
            optional,
            dev: false,
        }
    };
    let deps: BTreeMap<String, Vec<crate::workspace::MemberDependency>> = [(
        "app".to_string(),
        vec![
            dep("core", &["tls"], false, false),
            dep("helper", &["fast"], true, true),
        ],
    )]
    .into_iter()
    .collect();
    let unified = |features: &[&str]| {
        let request = FeatureRequest {
            features: features.iter().map(|s| s.to_string()).collect(),
            no_default: true,
            ..FeatureRequest::default()
        };
        let mut c = Configuration::new("unix\n", &[], &tables, &request).unwrap();
        c.unify_member_features(&tables, &deps);
        c
    };
    let on = feature_on;
    let c = unified(&[]);
    assert!(
        on(&c, "core", "tls") && on(&c, "core", "net"),
        "tls and what it enables"
    );
    assert!(!on(&c, "core", "rt"), "default-features = false");
    assert!(!on(&c, "core", "wire"));
    assert!(
        !on(&c, "helper", "fast"),
        "an optional dependency nothing enables"
    );
    let c = unified(&["app/wired", "app/extra"]);
    assert!(on(&c, "core", "wire"), "core/wire in an enabled feature");
    assert!(
        on(&c, "helper", "fast"),
        "dep:helper enables the optional dependency"
    );
}

#[test]
fn bad_cfg_flags_are_reported() {
    let err = Configuration::new(
        "",
        &["all(".to_string()],
        &BTreeMap::new(),
        &FeatureRequest::default(),
    )
    .unwrap_err();
    assert!(err.contains("--cfg all("), "{err}");
}

#[test]
fn features_unify_over_the_selected_packages_as_cargo_builds_them() {
    // tracing's layout: `attrs` dev-depends on `subscriber` with `env-filter`; `util`
    // depends on it with `fmt`; `app` depends on `util`.
    let tables: BTreeMap<String, BTreeMap<String, Vec<String>>> =
        ["subscriber", "attrs", "util", "app"]
            .into_iter()
            .map(|p| {
                let table: BTreeMap<String, Vec<String>> = if p == "subscriber" {
                    [("env-filter", vec![]), ("fmt", vec![]), ("extra", vec![])]
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect()
                } else {
                    [("extra".to_string(), Vec::new())].into_iter().collect()
                };
                (p.to_string(), table)
            })
            .collect();
    let dep = |package: &str, feature: &str, dev: bool| crate::workspace::MemberDependency {
        package: package.to_string(),
        key: package.to_string(),
        features: vec![feature.to_string()],
        default_features: true,
        optional: false,
        dev,
    };
    let deps: BTreeMap<String, Vec<crate::workspace::MemberDependency>> = [
        ("subscriber", vec![]),
        ("attrs", vec![dep("subscriber", "env-filter", true)]),
        ("util", vec![dep("subscriber", "fmt", false)]),
        ("app", vec![dep("util", "extra", false)]),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v))
    .collect();
    let unified = |selected: &[&str], features: &[&str]| {
        let request = FeatureRequest {
            features: features.iter().map(|s| s.to_string()).collect(),
            selected: selected.iter().map(|s| s.to_string()).collect(),
            ..FeatureRequest::default()
        };
        let mut c = Configuration::new("unix\n", &[], &tables, &request).unwrap();
        c.unify_member_features(&tables, &deps);
        c
    };
    let on = feature_on;
    let all = unified(&[], &[]);
    assert!(
        on(&all, "subscriber", "env-filter"),
        "every member's tests are built"
    );
    assert!(on(&all, "subscriber", "fmt"));
    let alone = unified(&["subscriber"], &[]);
    assert!(
        !on(&alone, "subscriber", "env-filter") && !on(&alone, "subscriber", "fmt"),
        "`-p subscriber` builds it without the other members"
    );
    let app = unified(&["app"], &[]);
    assert!(on(&app, "util", "extra"), "a selected package's dependency");
    assert!(
        on(&app, "subscriber", "fmt"),
        "and what that one depends on"
    );
    assert!(
        !on(&app, "subscriber", "env-filter"),
        "an unselected member's dev-dependency"
    );
    let attrs = unified(&["attrs"], &[]);
    assert!(
        on(&attrs, "subscriber", "env-filter"),
        "a selected package's dev-dependency"
    );
    let extra = unified(&["app"], &["extra"]);
    assert!(
        on(&extra, "app", "extra"),
        "`--features` applies to the selected package"
    );
    assert!(!on(&extra, "subscriber", "extra"), "and not to the others");
}
