//! Macro-generated items, same-named traits and cfg configurations, on `fixtures/macros`.

use crate::util::{copy_fixture, run, run_in};
use std::collections::BTreeSet;

crate::util::snapshot_tests! {
    "macros";
    macros_build_reports_skipped_calls: ["build", "--workspace"];
    macros_generated_impls: ["what-implements", "numbers::traits::Zero", "--workspace"];
    macros_generated_impls_json: ["what-implements", "numbers::traits::Named", "--workspace", "--format", "json"];
    macros_windows_target: ["what-implements", "numbers::traits::Named", "--workspace", "--target", "x86_64-pc-windows-gnu"];
}

/// `what-implements TRAIT --workspace --format json EXTRA…`
fn implements_args<'a>(trait_path: &'a str, extra: &[&'a str]) -> Vec<&'a str> {
    let mut args = vec![
        "what-implements",
        trait_path,
        "--workspace",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    args
}

/// (self type, file, line) of every impl `what-implements` lists.
fn impls(run: &crate::util::Run) -> BTreeSet<(String, String, u64)> {
    run.json()["impls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            (
                i["self_type"].as_str().unwrap().to_string(),
                i["file"].as_str().unwrap().to_string(),
                i["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn self_types(run: &crate::util::Run) -> BTreeSet<String> {
    impls(run).into_iter().map(|(t, _, _)| t).collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn same_named_traits_are_not_confused() {
    // `$crate` in `numbers::impl_zero!` names `numbers` even when `other` calls it, so the
    // generated impls implement `numbers::traits::Zero`, never `other::Zero`; so it does
    // when the call reaches the macro through the crate renamed (`i128`) or through a glob
    // of the crate (`isize`).
    let numbers = run("macros", &implements_args("numbers::traits::Zero", &[]));
    assert_eq!(
        self_types(&numbers),
        set(&[
            "Extra", "f64", "i128", "i16", "i64", "i8", "isize", "u16", "u32", "u8"
        ])
    );
    let other = run("macros", &implements_args("other::Zero", &[]));
    assert_eq!(
        self_types(&other),
        set(&["Circle", "Dot", "Feet", "Meters", "Square"])
    );
}

#[test]
fn dollar_crate_of_another_crate_s_macro_called_by_its_bare_name_names_that_crate() {
    // As nix's tests: `#[macro_use] extern crate numbers;` in a test target, then
    // `zero_of!(u8)`, whose `$crate::traits::Zero` is `numbers`' trait, not a path of the test
    // crate that resolves to nothing.
    let out = run(
        "macros",
        &[
            "blast-radius",
            "numbers::traits::Zero::zero",
            "--workspace",
            "--format",
            "json",
        ],
    );
    assert!(
        out.stdout.contains("zeros::zero_of_u8"),
        "the test's call is missing: {}",
        out.stdout
    );
    let unresolved = run("macros", &["build", "--workspace", "--unresolved"]);
    assert!(
        unresolved.stdout.contains("unresolved paths: 0"),
        "{}",
        unresolved.stdout
    );
}

#[test]
fn a_bare_macro_call_means_its_own_crate_s_macro() {
    // `other` and `numbers` both define `cfg_extra!` (as tokio and tokio-util both define
    // `cfg_rt!`); `numbers`' comes first by path, but `other`'s `units.rs` means its own.
    let other = run("macros", &implements_args("other::Zero", &[]));
    let feet = other.json()["impls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["self_type"] == "Feet")
        .cloned()
        .unwrap();
    assert_eq!(feet["cfg"], "feature = \"metric\"", "{feet}");
    assert_eq!(feet["file"], "crates/other/src/units.rs");
}

#[test]
fn a_bare_macro_call_means_the_definition_in_its_textual_scope() {
    // `shapes/mod.rs` defines `zero_for!` before `mod square;`, whose call means it, while
    // `shapes/annulus.rs` (first by path) defines its own for itself; the `zero_for!` of
    // the inline `mod checks` ends with that module, so `zero_for!(Circle)` after it means
    // the file's. `shapes/dot.rs` calls the `unit_zero!` its `use` names by path, not the
    // one `annulus.rs` defines for itself.
    let other = run("macros", &implements_args("other::Zero", &[]));
    let found: BTreeSet<(String, String)> = impls(&other)
        .into_iter()
        .map(|(t, file, _)| (t, file))
        .collect();
    let expected: BTreeSet<(String, String)> = [
        ("Meters", "crates/other/src/lib.rs"),
        ("Feet", "crates/other/src/units.rs"),
        ("Circle", "crates/other/src/shapes/mod.rs"),
        ("Square", "crates/other/src/shapes/square.rs"),
        ("Dot", "crates/other/src/shapes/dot.rs"),
    ]
    .iter()
    .map(|(t, f)| (t.to_string(), f.to_string()))
    .collect();
    assert_eq!(found, expected);
}

#[test]
fn generated_items_sit_at_their_call_site() {
    let r = run("macros", &implements_args("numbers::traits::Zero", &[]));
    let json = r.json();
    let u8_impl = json["impls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["self_type"] == "u8")
        .unwrap();
    assert_eq!(u8_impl["file"], "crates/numbers/src/imp.rs");
    assert_eq!(u8_impl["line"], 3);
    assert_eq!(u8_impl["generated_by"], "impl_zero!");
    // An item written inside a pass-through macro (`cfg_extra! { pub mod extra; }`) keeps
    // its own place and is not called generated.
    let extra = json["impls"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["self_type"] == "Extra")
        .unwrap();
    assert_eq!(extra["generated_by"], serde_json::Value::Null);
    assert_eq!(extra["cfg"], "feature = \"extra\"");
}

#[test]
fn features_select_cfg_variants() {
    let zero = |extra: &[&str]| {
        self_types(&run(
            "macros",
            &implements_args("numbers::traits::Zero", extra),
        ))
    };
    let all = zero(&[]);
    assert!(
        all.contains("Extra"),
        "every variant without a configuration"
    );
    assert!(!zero(&["--features", "std"]).contains("Extra"));
    assert!(
        zero(&["--features", "numbers/full"]).contains("Extra"),
        "full enables extra"
    );
    assert!(zero(&["--all-features"]).contains("Extra"));
    assert!(!zero(&["--all-features", "--features", "other/x"]).is_empty());
    let named = |extra: &[&str]| {
        impls(&run(
            "macros",
            &implements_args("numbers::traits::Named", extra),
        ))
        .into_iter()
        .filter(|(t, _, _)| t == "Separator")
        .map(|(_, _, line)| line)
        .collect::<Vec<_>>()
    };
    assert_eq!(named(&[]), vec![7, 12], "both platform impls are kept");
    assert_eq!(named(&["--cfg", "unix"]), vec![7]);
}

#[test]
fn a_bad_cfg_flag_is_a_usage_error() {
    let r = run(
        "macros",
        &["what-implements", "Named", "--workspace", "--cfg", "all("],
    );
    assert_eq!(r.code, 2, "{}", r.transcript());
    assert!(r.stderr.contains("--cfg all("), "{}", r.stderr);
}

#[test]
fn editing_a_macro_in_another_file_updates_what_it_generates() {
    let dir = copy_fixture("macros");
    let target = tempfile::tempdir().unwrap();
    let ask = |extra: &[&str]| {
        run_in(
            dir.path(),
            target.path(),
            &implements_args("numbers::traits::Zero", extra),
        )
    };
    assert!(self_types(&ask(&[])).contains("u8"));
    let macros = dir.path().join("crates/numbers/src/macros.rs");
    let text = std::fs::read_to_string(&macros).unwrap();
    std::fs::write(
        &macros,
        text.replace("Zero for $t {", "Zero for Option<$t> {"),
    )
    .unwrap();
    let warm = ask(&[]);
    assert!(self_types(&warm).contains("Option<u8>"), "{}", warm.stdout);
    assert!(self_types(&warm).contains("Option<i64>"), "{}", warm.stdout);
    assert!(!self_types(&warm).contains("u8"));
    let cold = ask(&["--rebuild"]);
    assert_eq!(impls(&warm), impls(&cold));
}

/// Names of the `feat-core` functions a configuration keeps.
fn core_fns(extra: &[&str], env: &[(&str, &str)]) -> Vec<String> {
    let target = tempfile::tempdir().unwrap();
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-parseltongue"));
    cmd.args(["search", "feat_core::*", "--format", "json"])
        .args(extra)
        .current_dir(crate::util::fixture("features"))
        .env("CARGO_TARGET_DIR", target.path())
        .env_remove("RUSTFLAGS")
        .env_remove("CARGO_ENCODED_RUSTFLAGS")
        .env_remove("CI");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().unwrap();
    let json: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stderr)));
    let mut names: Vec<String> = json["matches"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["kind"] == "fn")
        .map(|m| {
            m["path"]
                .as_str()
                .unwrap()
                .trim_start_matches("feat_core::")
                .to_string()
        })
        .collect();
    names.sort();
    names
}

#[test]
fn features_members_enable_on_each_other_and_rustflags_cfgs_count() {
    // No configuration: every variant.
    assert_eq!(
        core_fns(&[], &[]),
        ["always", "connect", "handshake", "unstable", "wire"]
    );
    // Any configuration: feat-app's dependency enables tls (and net through it), and
    // `.cargo/config.toml` sets `--cfg tokio_unstable`.
    assert_eq!(
        core_fns(&["--cfg", "unix"], &[]),
        ["always", "connect", "handshake", "unstable"]
    );
    // A feature of feat-app that enables one of feat-core's.
    assert_eq!(
        core_fns(&["--features", "feat-app/wired"], &[]),
        ["always", "connect", "handshake", "unstable", "wire"]
    );
    // `-p feat-core` (or `--exclude feat-app`) builds feat-core alone, as cargo does: no
    // member enables its features then.
    for select in [["-p", "feat-core"], ["--exclude", "feat-app"]] {
        let mut args = vec!["--cfg", "unix"];
        args.extend(select);
        assert_eq!(core_fns(&args, &[]), ["always", "unstable"], "{select:?}");
    }
    // RUSTFLAGS replaces build.rustflags, as in cargo.
    assert_eq!(
        core_fns(&["--cfg", "unix"], &[("RUSTFLAGS", "--cfg other")]),
        ["always", "connect", "handshake"]
    );
}
