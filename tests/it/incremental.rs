//! The adversarial tests T1–T42 of the incremental cache's test plan
//! (`../shared/guides/incremental-cache.md` §4.1). Every run is compared with a cold build
//! of the same tree; timestamps are set explicitly, never slept for.

use crate::harness::{DiskTree, EPOCH, Harness, ModelFs, SEC, canonical, explained};
use cargo_parseltongue::cache::{self, FileEntry, Index, framing};
use cargo_parseltongue::engine::Options;
use cargo_parseltongue::engine::explain::{Action, Reason};
use cargo_parseltongue::source::{DiskSource, FileStat};
use std::time::Duration;

const LIB: &str = "pub mod a;\npub mod b;\npub trait Shape { fn area(&self) -> f64; fn name(&self) -> &str { \"shape\" } }\n";
const A: &str =
    "pub struct Alpha;\nimpl crate::Shape for Alpha { fn area(&self) -> f64 { 1.0 } }\n";
/// Same length as [`A`], different item.
const A2: &str =
    "pub struct Omega;\nimpl crate::Shape for Omega { fn area(&self) -> f64 { 1.0 } }\n";
const B: &str =
    "pub struct Bravo;\nimpl crate::Shape for Bravo { fn area(&self) -> f64 { 2.0 } }\n";

fn files() -> [(&'static str, &'static str); 3] {
    [("src/lib.rs", LIB), ("src/a.rs", A), ("src/b.rs", B)]
}

fn model() -> Harness<ModelFs> {
    Harness::model(&files())
}

fn disk() -> (Harness<DiskSource>, DiskTree) {
    Harness::disk(&files())
}

fn reason(r: &cargo_parseltongue::engine::Refresh, path: &str) -> Reason {
    explained(r, path)
        .unwrap_or_else(|| panic!("{path} not explained"))
        .1
}

fn has_item(graph: &cargo_parseltongue::graph::Graph, name: &str) -> bool {
    graph.nodes.iter().any(|n| n.name == name)
}

// ---- timestamps and stat ----

/// T1–T3 and T11 for a given timestamp granularity.
fn same_tick_edits(granularity: u128) {
    // T1 same-tick edit: the file's mtime is the scan time; same length, same mtime.
    let h = model();
    h.source.with(|s| s.granularity = granularity);
    h.source.write("src/a.rs", A);
    let t = h.source.mtime("src/a.rs");
    h.run_checked();
    h.source.write_keep_mtime("src/a.rs", A2);
    h.source.set_mtime("src/a.rs", t);
    let r = h.run_checked();
    assert_eq!(reason(&r, "src/a.rs"), Reason::ContentChanged);

    // T2/T3: racy at scan time, an unrelated edit and 10 s pass before the next run.
    h.source.write("src/a.rs", A);
    h.run_checked();
    h.source.write_keep_mtime("src/a.rs", A2);
    h.source.advance(10 * SEC as i128);
    h.source.write("src/b.rs", &B.replace("2.0", "3.0"));
    let (g, _) = h.run();
    assert!(has_item(&g, "Omega"), "racy entry re-checked");
    assert_eq!(canonical(&g), h.cold());

    // T7 touch only: no parse, STAT_CHANGED, then a pure stat fast path once not racy.
    h.source.advance(10 * SEC as i128);
    h.run_checked();
    h.source.advance(10 * SEC as i128);
    h.source.touch("src/b.rs");
    let r = h.run_checked();
    assert_eq!(r.parses, 0);
    assert!(matches!(
        reason(&r, "src/b.rs"),
        Reason::StatChanged | Reason::RacyRecheck
    ));
    h.source.advance(10 * SEC as i128);
    let r = h.run_checked();
    assert_eq!(r.parses, 0);
    assert_eq!(
        explained(&r, "src/b.rs"),
        Some((Action::Rehashed, Reason::RacyRecheck))
    );
    let r = h.run_checked();
    assert!(
        r.explain.iter().all(|e| e.action == Action::Reused),
        "{:?}",
        r.explain
    );

    // T11 future mtime: re-checked on every run; a same-size edit is seen.
    h.source.set_mtime("src/a.rs", EPOCH + 3600 * SEC * 24);
    h.run_checked();
    let r = h.run_checked();
    assert_eq!(reason(&r, "src/a.rs"), Reason::RacyRecheck);
    let future = h.source.mtime("src/a.rs");
    h.source.write_keep_mtime("src/a.rs", A);
    h.source.set_mtime("src/a.rs", future);
    let (g, _) = h.run();
    assert!(has_item(&g, "Alpha"));
}

#[test]
fn t01_t02_t03_t07_t11_same_tick_racy_touch_and_future_mtimes() {
    same_tick_edits(1);
}

#[test]
fn t10_one_and_two_second_file_systems() {
    same_tick_edits(SEC);
    same_tick_edits(2 * SEC);
}

#[test]
fn t04_backdated_replacement_is_detected() {
    let (h, tree) = disk();
    h.run_checked();
    tree.write("prepared.rs", A2);
    tree.age("prepared.rs", 3600);
    std::fs::rename(tree.path("prepared.rs"), tree.path("src/a.rs")).unwrap();
    let (g, _) = h.run();
    assert!(has_item(&g, "Omega"));
    assert_eq!(canonical(&g), h.cold());
}

#[test]
fn t05_restored_old_mtime_gives_the_new_content() {
    let (h, tree) = disk();
    h.run_checked();
    let old = tree.mtime("src/a.rs");
    tree.write("src/a.rs", A2);
    tree.set_mtime("src/a.rs", old);
    let (g, _) = h.run();
    assert!(has_item(&g, "Omega") && !has_item(&g, "Alpha"));
}

#[test]
fn t06_same_size_same_mtime_swap_is_detected() {
    let (h, tree) = disk();
    tree.write("v1.rs", A);
    tree.write("v2.rs", A2);
    let fixed = filetime::FileTime::from_unix_time(1_600_000_000, 0);
    for f in ["v1.rs", "v2.rs", "src/a.rs"] {
        tree.set_mtime(f, fixed);
    }
    h.run_checked();
    std::fs::rename(tree.path("v2.rs"), tree.path("src/a.rs")).unwrap();
    let (g, _) = h.run();
    assert!(has_item(&g, "Omega"));
    assert_eq!(canonical(&g), h.cold());
}

/// Copies the files under `from` (the cache: files and the facts shard directory) to `to`.
fn copy_tree(from: &std::path::Path, to: &std::path::Path) {
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.file_type().unwrap().is_dir() {
            std::fs::create_dir_all(to.join(e.file_name())).unwrap();
            copy_tree(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

#[test]
fn t08_relocated_checkout_parses_nothing() {
    let (h, tree) = disk();
    h.run_checked();
    let moved = tempfile::tempdir().unwrap();
    for (p, t) in files() {
        let to = moved.path().join(p);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::write(to, t).unwrap();
    }
    let cache = tempfile::tempdir().unwrap();
    copy_tree(h.cache.path(), cache.path());
    let mut relocated = Harness::with_source(DiskSource, moved.path().to_path_buf());
    relocated.cache = cache;
    let r = relocated.run_checked();
    assert_eq!(r.parses, 0);
    assert_eq!(canonical(&relocated.run().0), canonical(&h.run().0));
    drop(tree);
}

#[test]
fn t09_truncated_nanoseconds_parse_nothing() {
    let (h, tree) = disk();
    h.run_checked();
    for (p, _) in files() {
        let m = tree.mtime(p);
        tree.set_mtime(p, filetime::FileTime::from_unix_time(m.unix_seconds(), 0));
    }
    let r = h.run_checked();
    assert_eq!(r.parses, 0);
}

#[test]
fn t12_clock_moving_backwards() {
    let h = model();
    h.run_checked();
    h.source.advance(-3600 * SEC as i128);
    h.source.write("src/a.rs", A2);
    let (g, _) = h.run();
    assert!(has_item(&g, "Omega"));
    assert_eq!(canonical(&g), h.cold());
    h.source.write_keep_mtime("src/a.rs", A);
    assert!(has_item(&h.run().0, "Alpha"));
}

#[test]
fn t13_missing_mtime_always_hashes() {
    let h = model();
    h.source.set_mtime("src/a.rs", 0);
    h.run_checked();
    let r = h.run_checked();
    assert_eq!(explained(&r, "src/a.rs").unwrap().0, Action::Rehashed);
    h.source.write_keep_mtime("src/a.rs", A2);
    h.source.set_mtime("src/a.rs", 0);
    assert!(has_item(&h.run().0, "Omega"));
}

#[test]
fn t14_edit_during_the_scan() {
    let h = model();
    h.run_checked();
    h.source.advance(10 * SEC as i128);
    h.source.write("src/b.rs", &B.replace("2.0", "5.0"));
    // Between the loader's stat and its read of a.rs (the second read: the first is the
    // freshness check's), a.rs is rewritten.
    let mut reads = 0;
    h.source.with(|s| {
        s.hook = Some(Box::new(move |s, rel| {
            if rel == "src/a.rs" {
                reads += 1;
                if reads == 2 {
                    s.write("src/a.rs", A2.as_bytes());
                }
            }
        }))
    });
    h.source.write_keep_mtime("src/a.rs", A); // stat changes, so a.rs is read
    let (g, r) = h.run();
    h.source.with(|s| s.hook = None);
    // This run used one consistent content (the one it read) ...
    assert!(has_item(&g, "Omega"));
    assert_eq!(reason(&r, "src/a.rs"), Reason::UnstableRead);
    // ... and recorded a stat that never vouches, so the next run re-checks it.
    let r = h.run_checked();
    assert_eq!(explained(&r, "src/a.rs").unwrap().0, Action::Rehashed);
}

#[test]
fn t15_edit_between_read_and_second_stat() {
    let h = model();
    h.run_checked();
    h.source.advance(10 * SEC as i128);
    h.source.write("src/a.rs", A2);
    let mut reads = 0;
    h.source.with(|s| {
        s.after_read = Some(Box::new(move |s, rel| {
            if rel == "src/a.rs" {
                reads += 1;
                if reads == 2 {
                    s.clock += 1;
                    s.write("src/a.rs", A.as_bytes());
                }
            }
        }))
    });
    let (g, r) = h.run();
    h.source.with(|s| s.after_read = None);
    assert!(has_item(&g, "Omega"), "the content read is used");
    assert_eq!(reason(&r, "src/a.rs"), Reason::UnstableRead);
    let (g, _) = h.run();
    assert!(has_item(&g, "Alpha"), "the next run sees the later edit");
    assert_eq!(canonical(&g), h.cold());
}

// ---- structure ----

#[test]
fn t16_deleted_file() {
    let h = model();
    h.run_checked();
    h.source.delete("src/b.rs");
    let (g, r) = h.run();
    assert_eq!(canonical(&g), h.cold());
    assert!(!has_item(&g, "Bravo"));
    assert_eq!(
        explained(&r, "src/b.rs"),
        Some((Action::Dropped, Reason::Deleted))
    );
    h.source
        .write("src/lib.rs", &LIB.replace("pub mod b;\n", ""));
    h.run_checked();
}

#[test]
fn t17_created_file_satisfies_an_unchanged_mod() {
    let h = Harness::model(&[
        ("src/lib.rs", &format!("{LIB}mod c;\n")),
        ("src/a.rs", A),
        ("src/b.rs", B),
    ]);
    let (g, _) = h.run();
    assert!(!g.diagnostics.is_empty());
    h.source.write("src/c.rs", "pub struct Charlie;\n");
    let (g, r) = h.run();
    assert!(has_item(&g, "Charlie"));
    assert_eq!(canonical(&g), h.cold());
    assert_eq!(r.parses, 1);
}

#[test]
fn t18_rename_with_and_without_updating_mod() {
    let h = model();
    h.run_checked();
    h.source.rename("src/a.rs", "src/c.rs");
    let r = h.run_checked(); // `mod a;` now unresolved
    assert_eq!(r.parses, 0);
    h.source
        .write("src/lib.rs", &LIB.replace("mod a;", "mod c;"));
    let r = h.run_checked();
    assert_eq!(r.parses, 1, "only lib.rs; c.rs's content is known");
}

#[test]
fn t19_case_only_rename() {
    // No case-insensitive file system in CI: the model is case-sensitive, so the renamed
    // file no longer satisfies `mod a;`, exactly as rustc would see it.
    let h = model();
    h.run_checked();
    h.source.rename("src/a.rs", "src/A.rs");
    let (g, _) = h.run();
    assert!(!has_item(&g, "Alpha"));
    assert_eq!(canonical(&g), h.cold());
}

#[cfg(unix)]
#[test]
fn t20_weird_file_kinds() {
    let (h, tree) = disk();
    h.run_checked();
    // A directory where a module file was.
    std::fs::remove_file(tree.path("src/a.rs")).unwrap();
    std::fs::create_dir(tree.path("src/a.rs")).unwrap();
    h.run_checked();
    // A dangling symlink.
    std::fs::remove_dir(tree.path("src/a.rs")).unwrap();
    std::os::unix::fs::symlink(tree.path("nowhere.rs"), tree.path("src/a.rs")).unwrap();
    h.run_checked();
    // A FIFO: never opened, so no hang.
    std::fs::remove_file(tree.path("src/a.rs")).unwrap();
    let made = std::process::Command::new("mkfifo")
        .arg(tree.path("src/a.rs"))
        .status()
        .unwrap();
    assert!(made.success());
    let (g, _) = h.run();
    assert!(has_item(&g, "Bravo"), "the other files are processed");
    assert_eq!(canonical(&g), h.cold());
}

#[test]
fn t21_encodings_do_not_stay_dirty() {
    let h = Harness::model(&[
        (
            "src/lib.rs",
            "\u{feff}pub mod a;\r\npub mod b;\r\npub mod c;\r\n",
        ),
        (
            "src/a.rs",
            "#!/usr/bin/env run-cargo-script\npub struct Alpha;\n",
        ),
        ("src/b.rs", "pub struct Bravo;\r\n"),
    ]);
    h.source
        .with(|s| s.write("src/c.rs", b"pub struct C; // \xff\xfe\n"));
    h.source.advance(10 * SEC as i128);
    let first = h.run_checked();
    assert_eq!(first.parses, 4);
    let r = h.run_checked();
    assert_eq!(r.parses, 0);
    assert!(r.explain.iter().all(|e| e.action == Action::Reused));
}

// ---- parser ----

#[test]
fn t22_t23_t24_syntax_error_stale_facts_and_fix() {
    let h = model();
    h.run_checked();
    h.source.advance(10 * SEC as i128);
    h.source.write(
        "src/a.rs",
        "pub struct Alpha;\nimpl crate::Shape for Alpha {\n",
    );
    // Canonical layer: equal to cold, the broken file contributes nothing.
    let (g, r) = h.run();
    assert_eq!(canonical(&g), h.cold());
    assert!(g.is_partial());
    assert!(explained(&r, "src/a.rs").is_some());
    // Stale layer: the last good facts, marked stale.
    let stale = Options {
        stale_facts: true,
        ..h.options.clone()
    };
    let (g, _) = h.run_with(stale.clone());
    assert!(has_item(&g, "Alpha") && g.is_partial());
    assert_eq!(g.stale_files(), ["src/a.rs"]);
    // T24: the broken file is not parsed again while unchanged.
    h.source.advance(10 * SEC as i128);
    h.source.write("src/b.rs", &B.replace("2.0", "4.0"));
    let (_, r) = h.run_with(stale.clone());
    assert_eq!(r.parses, 1, "only b.rs");
    // T23: fixing it clears the mark.
    h.source.write("src/a.rs", A2);
    let (g, _) = h.run_with(stale.clone());
    assert!(g.stale_files().is_empty() && !g.is_partial());
    assert!(has_item(&g, "Omega"));
}

#[test]
fn t25_truncated_mid_save() {
    let h = model();
    h.run_checked();
    h.source.write("src/b.rs", &B[..B.len() / 2]);
    h.run_checked();
}

#[test]
fn t26_deep_nesting_is_skipped_not_aborted() {
    let h = model();
    h.source
        .write("src/b.rs", &format!("fn f() {{ {} }}", "(".repeat(100_000)));
    let (g, _) = h.run();
    assert!(has_item(&g, "Alpha"));
    assert!(g.diagnostics.iter().any(|d| d.file == "src/b.rs"));
    assert_eq!(canonical(&g), h.cold());
}

#[test]
fn t27_huge_file_is_bounded() {
    let h = model();
    let huge = format!(
        "pub struct Bravo;\n{}",
        "// padding padding padding\n".repeat(800_000)
    );
    h.source.write("src/b.rs", &huge);
    let (g, _) = h.run();
    let d = g.diagnostics.iter().find(|d| d.file == "src/b.rs").unwrap();
    assert_eq!(
        d.kind,
        cargo_parseltongue::diagnostics::DiagnosticKind::TooLarge
    );
    assert!(has_item(&g, "Alpha"));
}

#[test]
fn t28_edge_files() {
    let h = Harness::model(&[
        (
            "src/lib.rs",
            "pub mod a;\npub mod b;\npub mod c;\n#[path = \"other/d.rs\"]\npub mod d;\n",
        ),
        ("src/a.rs", ""),
        ("src/b.rs", "// only a comment\n/* and a block */\n"),
        ("src/c.rs", "#![allow(dead_code)]\n"),
        ("src/other/d.rs", "pub struct Delta;\n"),
    ]);
    let (g, _) = h.run();
    assert!(has_item(&g, "Delta"));
    assert_eq!(canonical(&g), h.cold());
    assert_eq!(h.run_checked().parses, 0);
}

// ---- snapshot ----

fn warned(r: &cargo_parseltongue::engine::Refresh) -> bool {
    r.warnings.iter().any(|w| w.contains("ignoring snapshot"))
}

fn index_valid(h: &Harness<ModelFs>) -> bool {
    cache::load_index(
        &cache::Paths::new(h.cache.path()),
        &cache::tool_version(),
        "test-config",
    )
    .is_ok()
}

#[test]
fn t29_zero_length_snapshot() {
    let h = model();
    h.run_checked();
    std::fs::write(h.cache_file("snapshot"), "").unwrap();
    let r = h.run_checked();
    assert!(warned(&r));
    assert!(index_valid(&h));
}

#[test]
fn t30_t31_truncations_and_byte_flips() {
    let h = model();
    h.run_checked();
    for name in ["snapshot", "graph", "facts"] {
        let path = h.cache_file(name);
        let good = std::fs::read(&path).unwrap();
        let n = good.len();
        let positions: Vec<usize> = (0..40).map(|i| (i * 7919 + 13) % n).collect();
        for &cut in &positions {
            std::fs::write(&path, &good[..cut]).unwrap();
            h.run_checked();
        }
        for &at in &positions {
            let mut bad = good.clone();
            bad[at] ^= 0x01;
            std::fs::write(&path, &bad).unwrap();
            h.run_checked();
        }
        assert!(index_valid(&h));
    }
}

#[test]
fn t32_foreign_and_other_version_snapshots() {
    let h = model();
    h.run_checked();
    let path = h.cache_file("snapshot");
    let good = std::fs::read_to_string(&path).unwrap();
    let (head, body) = good.split_once('\n').unwrap();
    let header: framing::Header = serde_json::from_str(head).unwrap();
    let variants = [
        framing::Header {
            magic: "something-else".into(),
            ..header.clone()
        },
        framing::Header {
            schema: header.schema - 1,
            ..header.clone()
        },
        framing::Header {
            schema: header.schema + 1,
            ..header.clone()
        },
        framing::Header {
            tool: "0.0.1+foreign".into(),
            ..header.clone()
        },
    ];
    let reasons = ["bad magic", "schema", "schema", "another build"];
    for (v, why) in variants.iter().zip(reasons) {
        std::fs::write(
            &path,
            format!("{}\n{body}", serde_json::to_string(v).unwrap()),
        )
        .unwrap();
        let r = h.run_checked();
        assert!(
            r.warnings.iter().any(|w| w.contains(why)),
            "{:?}",
            r.warnings
        );
    }
    // A snapshot of another schema version in its own file is left alone.
    let other = h.cache.path().join("snapshot-v2.json");
    std::fs::write(&other, "older tool's file").unwrap();
    h.run_checked();
    assert_eq!(std::fs::read_to_string(other).unwrap(), "older tool's file");
}

#[test]
fn t33_configuration_change_discards_the_snapshot() {
    let h = model();
    h.run_checked();
    let inputs = cargo_parseltongue::engine::Inputs {
        root: &h.root,
        crates: &h.crates,
        config: "another-config",
        cache_dir: h.cache.path(),
    };
    let (_, r) = cargo_parseltongue::engine::refresh_inputs(
        &inputs,
        &h.source,
        h.options.clone(),
        &mut || {},
    )
    .unwrap();
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("configuration changed"))
    );
    assert_eq!(
        r.parses, 0,
        "facts are content-keyed and survive a config change"
    );
}

#[test]
fn t34_hostile_bodies_are_rejected() {
    let h = model();
    h.run_checked();
    let paths = cache::Paths::new(h.cache.path());
    let tool = cache::tool_version();
    let good = cache::load_index(&paths, &tool, "test-config").unwrap();
    let entry = |path: &str| FileEntry {
        path: path.into(),
        ..good.files[0].clone()
    };
    let hostile: Vec<Index> = vec![
        Index {
            files: vec![entry("/etc/passwd")],
            ..good.clone()
        },
        Index {
            files: vec![entry("src/../../x.rs")],
            ..good.clone()
        },
        Index {
            files: vec![entry("src/a.rs"), entry("src/a.rs")],
            ..good.clone()
        },
        Index {
            files: vec![FileEntry {
                hash: "zz".into(),
                ..good.files[0].clone()
            }],
            ..good.clone()
        },
    ];
    for index in hostile {
        let bytes = framing::encode("index", &tool, "test-config", &index).unwrap();
        std::fs::write(paths.index(), bytes).unwrap();
        assert!(cache::load_index(&paths, &tool, "test-config").is_err());
        assert!(warned(&h.run_checked()));
    }
    // A hash missing from the facts cache and gigantic stat numbers: parsed again.
    let mut odd = good.clone();
    odd.files[0].hash = "ffffffffffffffffffffffffffffffff".into();
    odd.files[1].stat = FileStat {
        len: u64::MAX,
        mtime_ns: u128::MAX,
        ctime_ns: u128::MAX,
        ino: u64::MAX,
    };
    std::fs::write(
        paths.index(),
        framing::encode("index", &tool, "test-config", &odd).unwrap(),
    )
    .unwrap();
    h.run_checked();
    // A header claiming a gigantic body.
    let text = std::fs::read_to_string(paths.index()).unwrap();
    let (head, body) = text.split_once('\n').unwrap();
    let mut header: framing::Header = serde_json::from_str(head).unwrap();
    header.body_len = u64::MAX;
    std::fs::write(
        paths.index(),
        format!("{}\n{body}", serde_json::to_string(&header).unwrap()),
    )
    .unwrap();
    assert!(warned(&h.run_checked()));
}

#[test]
fn t35_unwritable_cache_still_answers() {
    let h = model();
    let blocked = tempfile::tempdir().unwrap();
    let file = blocked.path().join("parseltongue");
    std::fs::write(&file, "a file where the cache directory should be").unwrap();
    let inputs = cargo_parseltongue::engine::Inputs {
        root: &h.root,
        crates: &h.crates,
        config: "test-config",
        cache_dir: &file,
    };
    let (g, r) = cargo_parseltongue::engine::refresh_inputs(
        &inputs,
        &h.source,
        h.options.clone(),
        &mut || {},
    )
    .unwrap();
    assert_eq!(canonical(&g), h.cold());
    assert!(
        r.warnings
            .iter()
            .any(|w| w.contains("could not write the snapshot"))
    );
    assert!(!r.wrote);
}

#[test]
fn t36_crash_between_writes_and_leftover_temp_files() {
    let h = model();
    h.run_checked();
    let old_index = std::fs::read(h.cache_file("snapshot")).unwrap();
    h.source.write("src/a.rs", A2);
    h.run_checked();
    // A crash after the graph was renamed into place but before the index was.
    std::fs::write(h.cache_file("snapshot"), &old_index).unwrap();
    let r = h.run_checked();
    assert!(warned(&r) || r.rebuilt_because.is_some());
    // A temp file left by a killed writer is removed once it is old.
    let leftover = h.cache.path().join(".snapshot-crashed");
    std::fs::write(&leftover, "half a snapshot").unwrap();
    filetime::set_file_mtime(
        &leftover,
        filetime::FileTime::from_unix_time(1_000_000_000, 0),
    )
    .unwrap();
    h.run_checked();
    assert!(!leftover.exists());
}

// ---- concurrency ----

#[test]
fn t37_two_runs_at_once() {
    use std::sync::{Arc, Barrier};
    let h = Arc::new(model());
    h.source.advance(10 * SEC as i128);
    h.source.write("src/b.rs", &B.replace("2.0", "6.0"));
    // The first run pauses in its first read until the second is blocked on the lock.
    let gate = Arc::new(Barrier::new(2));
    let g2 = gate.clone();
    let mut once = true;
    h.source.with(|s| {
        s.hook = Some(Box::new(move |_, _| {
            if once {
                once = false;
                g2.wait();
            }
        }))
    });
    let first = {
        let h = h.clone();
        std::thread::spawn(move || h.run())
    };
    let mut waited = false;
    let mut announce = || {
        if !waited {
            waited = true;
            gate.wait();
        }
    };
    let inputs = cargo_parseltongue::engine::Inputs {
        root: &h.root,
        crates: &h.crates,
        config: "test-config",
        cache_dir: h.cache.path(),
    };
    // Wait for the first run to hold the lock (it is blocked in the hook).
    while !h.cache.path().join(".lock").exists() {
        std::thread::yield_now();
    }
    std::thread::sleep(Duration::from_millis(50));
    let (second, _) = cargo_parseltongue::engine::refresh_inputs(
        &inputs,
        &h.source,
        h.options.clone(),
        &mut announce,
    )
    .unwrap();
    let (first, _) = first.join().unwrap();
    assert!(waited, "the second run waited for the lock");
    let cold = h.cold();
    assert_eq!(canonical(&first), cold);
    assert_eq!(canonical(&second), cold);
    assert!(index_valid(&h));
}

#[test]
fn t38_lock_holder_stopped_times_out_without_writing() {
    let h = model();
    h.run_checked();
    let held = cache::lock::acquire(h.cache.path(), Duration::ZERO, &mut || {});
    assert!(matches!(held, cache::lock::Locked::Held(_)));
    h.source.write("src/a.rs", A2);
    let before = std::fs::read(h.cache_file("snapshot")).unwrap();
    let quick = Options {
        lock_timeout: Duration::from_millis(200),
        ..h.options.clone()
    };
    let (g, r) = h.run_with(quick);
    assert_eq!(canonical(&g), h.cold());
    assert!(!r.wrote);
    assert_eq!(std::fs::read(h.cache_file("snapshot")).unwrap(), before);
    drop(held);
}

#[cfg(target_os = "linux")]
#[test]
fn t39_lock_holder_killed_releases_the_lock() {
    let h = model();
    h.run_checked();
    // `-o`: the lock is held by flock itself, not inherited by `sleep`.
    let mut holder = std::process::Command::new("flock")
        .arg("-o")
        .arg(h.cache.path().join(".lock"))
        .args(["sleep", "60"])
        .spawn()
        .expect("flock(1) from util-linux");
    // Wait until the child holds it.
    loop {
        match cache::lock::acquire(h.cache.path(), Duration::ZERO, &mut || {}) {
            cache::lock::Locked::TimedOut => break,
            _ => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    holder.kill().unwrap();
    holder.wait().unwrap();
    let got = cache::lock::acquire(h.cache.path(), Duration::from_secs(5), &mut || {});
    assert!(matches!(got, cache::lock::Locked::Held(_)));
}

#[test]
fn t40_no_lock_possible_still_answers() {
    // The lock file cannot be created (its directory is a file): no lock, same answer.
    t35_unwritable_cache_still_answers();
}

#[test]
fn t42_stress_concurrent_runs_and_a_mutator() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let (h, tree) = disk();
    let h = Arc::new(h);
    let stop = Arc::new(AtomicBool::new(false));
    let root = tree.dir.path().to_path_buf();
    let mutator = {
        let stop = stop.clone();
        std::thread::spawn(move || {
            let mut i = 0u32;
            while !stop.load(Ordering::Relaxed) {
                let text = if i.is_multiple_of(2) { A2 } else { A };
                std::fs::write(root.join("src/a.rs"), text).unwrap();
                std::fs::write(root.join("src/b.rs"), B.replace("2.0", &format!("{i}.0"))).unwrap();
                i += 1;
                std::thread::sleep(Duration::from_millis(3));
            }
        })
    };
    let runners: Vec<_> = (0..4)
        .map(|_| {
            let h = h.clone();
            std::thread::spawn(move || {
                for _ in 0..5 {
                    h.run();
                    let paths = cache::Paths::new(h.cache.path());
                    if paths.index().exists() {
                        // Every snapshot observed on disk validates (atomic renames).
                        let bytes = std::fs::read(paths.index()).unwrap();
                        let expect = framing::Expect {
                            kind: "index",
                            tool: &cache::tool_version(),
                            config: "test-config",
                        };
                        framing::check(&bytes, expect).unwrap();
                    }
                }
            })
        })
        .collect();
    for r in runners {
        r.join().unwrap();
    }
    stop.store(true, Ordering::Relaxed);
    mutator.join().unwrap();
    h.run_checked();
}

/// The facts shards of `h`'s cache, by file name.
fn shards<S: cargo_parseltongue::source::SourceTree>(h: &Harness<S>) -> Vec<std::path::PathBuf> {
    let dir = cache::Paths::new(h.cache.path()).facts_shards();
    let mut out: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect();
    out.sort();
    out
}

/// Ten seconds later (nothing racy), `rel` holds `text`.
fn later_write(h: &Harness<ModelFs>, rel: &str, text: &str) {
    h.source.advance(10 * SEC as i128);
    h.source.write(rel, text);
}

#[test]
fn t43_facts_shards_damaged_or_misnamed_are_reparsed_and_an_edit_writes_one() {
    let h = model();
    h.run_checked();
    let before = shards(&h);
    assert_eq!(before.len(), 3, "one shard per file: {before:?}");
    let stamps: Vec<_> = before
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().modified().unwrap())
        .collect();

    // A body edit adds one shard and rewrites none of the others.
    later_write(&h, "src/b.rs", &B.replace("2.0", "4.0"));
    let r = h.run_checked();
    assert_eq!(r.parses, 1);
    let after = shards(&h);
    assert_eq!(after.len(), 4, "the old content's shard is kept a while");
    for (p, t) in before.iter().zip(&stamps) {
        assert_eq!(
            std::fs::metadata(p).unwrap().modified().unwrap(),
            *t,
            "{p:?}"
        );
    }

    // A torn shard, a flipped byte and a shard copied under another content's name are
    // misses: that file is parsed again and the answer equals a cold build.
    later_write(&h, "src/b.rs", B);
    let key = |text: &str| cache::facts_store::key(xxhash_rust::xxh3::xxh3_128(text.as_bytes()));
    let dir = cache::Paths::new(h.cache.path()).facts_shards();
    let shard = |k: String| dir.join(format!("{k}.json"));
    let b = shard(key(B));
    let good = std::fs::read(&b).unwrap();
    std::fs::write(&b, &good[..good.len() / 2]).unwrap();
    let r = h.run_checked();
    assert_eq!(r.parses, 1, "torn shard re-derived");

    later_write(&h, "src/a.rs", A2);
    h.run_checked();
    let a2 = shard(key(A2));
    let mut bad = std::fs::read(&a2).unwrap();
    let at = bad.len() * 2 / 3;
    bad[at] ^= 0x04;
    std::fs::write(&a2, &bad).unwrap();
    later_write(&h, "src/a.rs", A);
    h.run_checked();
    later_write(&h, "src/a.rs", A2);
    let r = h.run_checked();
    assert_eq!(r.parses, 1, "flipped shard re-derived");

    // The shard of A copied over the shard of A2: A2's content must not get A's facts.
    let a = shard(key(A));
    std::fs::copy(&a, &a2).unwrap();
    later_write(&h, "src/a.rs", A);
    h.run_checked();
    later_write(&h, "src/a.rs", A2);
    let (g, r) = h.run();
    assert_eq!(r.parses, 1, "misnamed shard rejected");
    assert!(has_item(&g, "Omega"));
    assert_eq!(canonical(&g), h.cold());
}

#[test]
fn t44_long_chains_and_deep_types_have_linear_facts_that_decode() {
    // A 4,000-link method chain: the facts grow with the source, not with its square.
    let chain = format!(
        "pub fn f(x: String) -> String {{ x{} }}\n",
        ".clone()".repeat(4000)
    );
    // A builder of 60 `.arg()` calls, and a type nested 100 deep: both decode from the facts
    // cache, so editing another file parses that file only.
    let builder = format!(
        "pub struct B;\nimpl B {{ pub fn arg(self, _: u8) -> B {{ self }} }}\npub fn build() -> B {{ B{} }}\n",
        ".arg(1)".repeat(60)
    );
    let deep = format!(
        "pub fn g(_: {}u8{}) {{}}\n",
        "Vec<".repeat(100),
        ">".repeat(100)
    );
    let lib = "pub mod a;\npub mod b;\npub mod chain;\npub mod builder;\npub mod deep;\n";
    let h = Harness::model(&[
        ("src/lib.rs", lib),
        ("src/a.rs", A),
        ("src/b.rs", B),
        ("src/chain.rs", &chain),
        ("src/builder.rs", &builder),
        ("src/deep.rs", &deep),
    ]);
    h.run_checked();
    let biggest = shards(&h)
        .iter()
        .map(|p| std::fs::metadata(p).unwrap().len())
        .max()
        .unwrap();
    assert!(
        biggest < 40 * chain.len() as u64,
        "facts of a {}-byte chain take {biggest} bytes",
        chain.len()
    );
    h.source.advance(10 * SEC as i128);
    h.source.write("src/b.rs", &B.replace("2.0", "5.0"));
    let r = h.run_checked();
    assert_eq!(r.parses, 1, "{:?}", r.explain);
}

#[test]
fn t45_an_edit_that_leaves_the_facts_as_they_were_keeps_the_graph() {
    let h = model();
    let seven = format!("{B}pub fn seven() -> u8 {{ 7 }}\n");
    h.source.write("src/b.rs", &seven);
    h.run_checked();
    let graph_file = h.cache_file("graph");
    let written = std::fs::metadata(&graph_file).unwrap().modified().unwrap();

    // A literal in a function's body and a comment at the end: the facts are the same, so
    // the graph is kept (not linked again, not rewritten) and the file is parsed once.
    later_write(
        &h,
        "src/b.rs",
        &format!("{}// a note\n", seven.replace('7', "8")),
    );
    let r = h.run_checked();
    assert_eq!(r.rebuilt_because, None, "{:?}", r.explain);
    assert_eq!(reason(&r, "src/b.rs"), Reason::FactsUnchanged);
    assert_eq!(r.parses, 1);
    assert_eq!(
        std::fs::metadata(&graph_file).unwrap().modified().unwrap(),
        written,
        "graph file rewritten"
    );
    // The index records the new content: the next run parses nothing.
    h.source.advance(10 * SEC as i128);
    let r = h.run_checked();
    assert_eq!((r.parses, r.rebuilt_because), (0, None));

    // An edit that changes the facts is linked again, the file still parsed once.
    later_write(&h, "src/b.rs", &B.replace("Bravo", "Charlie"));
    let (g, r) = h.run();
    assert_eq!(r.rebuilt_because.as_deref(), Some("src/b.rs changed"));
    assert_eq!(r.parses, 1, "{:?}", r.explain);
    assert!(has_item(&g, "Charlie"));
    assert_eq!(canonical(&g), h.cold());
}

#[test]
fn t46_a_file_calling_another_file_s_macro_is_compared_as_extracted_with_it() {
    // `c.rs` calls a macro `m.rs` defines: its facts as a file alone do not say what the call
    // expands to (`make!(alpha)` and `make!(beta)` read the same before expansion), so its
    // edits are compared as extracted again with the macros the last link gave it.
    let lib = "#[macro_use]\nmod m;\npub mod c;\n";
    let m = "macro_rules! make { ($f:ident) => { pub fn $f() {} }; }\n";
    let h = Harness::model(&[
        ("src/lib.rs", lib),
        ("src/m.rs", m),
        ("src/c.rs", "make!(alpha);\n"),
    ]);
    let (g, _) = h.run();
    assert!(has_item(&g, "alpha"));
    later_write(&h, "src/c.rs", "make!(beta);\n");
    let (g, r) = h.run();
    assert_eq!(r.rebuilt_because.as_deref(), Some("src/c.rs changed"));
    assert!(has_item(&g, "beta") && !has_item(&g, "alpha"));
    assert_eq!(canonical(&g), h.cold());

    // A comment: the same facts extracted alone and with the macros, so the graph is kept.
    later_write(&h, "src/c.rs", "make!(beta); // made\n");
    let r = h.run_checked();
    assert_eq!(r.rebuilt_because, None, "{:?}", r.explain);
    assert_eq!(reason(&r, "src/c.rs"), Reason::FactsUnchanged);
    assert_eq!((r.parses, r.reextractions), (1, 1));
    // A forged macro views file (a view index past the views) is a miss: linked again.
    let paths = cache::Paths::new(h.cache.path());
    let tool = cache::tool_version();
    let index = cache::load_index(&paths, &tool, "test-config").unwrap();
    let mut forged = cache::MacroViewsFile {
        graph_digest: index.graph_digest.clone(),
        ..Default::default()
    };
    forged.views.of_file.insert("src/c.rs".into(), 7);
    let bytes = framing::encode("macros", &tool, "test-config", &forged).unwrap();
    std::fs::write(paths.macro_views(), bytes).unwrap();
    later_write(&h, "src/c.rs", "make!(beta); // made, twice\n");
    let r = h.run_checked();
    assert_eq!(r.rebuilt_because.as_deref(), Some("src/c.rs changed"));

    // Then the macro's input again: linked again, from the cached extractions.
    later_write(&h, "src/c.rs", "make!(gamma); // made\n");
    let (g, r) = h.run();
    assert_eq!(r.rebuilt_because.as_deref(), Some("src/c.rs changed"));
    assert!(has_item(&g, "gamma") && !has_item(&g, "beta"));
    assert_eq!(canonical(&g), h.cold());
}

#[test]
fn t47_a_macro_another_macro_calls_is_part_of_what_a_caller_saw() {
    // `c.rs` calls `outer!`, which calls `inner!`: editing only `inner!` must change what
    // `c.rs`'s call expands to.
    let lib = "#[macro_use]\nmod m;\npub mod c;\n";
    let m = |name: &str| {
        format!(
            "macro_rules! inner {{ () => {{ pub fn {name}() {{}} }}; }}\nmacro_rules! outer {{ () => {{ inner!(); }}; }}\n"
        )
    };
    let h = Harness::model(&[
        ("src/lib.rs", lib),
        ("src/m.rs", &m("alpha")),
        ("src/c.rs", "outer!();\n"),
    ]);
    let (g, _) = h.run();
    assert!(has_item(&g, "alpha"));
    later_write(&h, "src/m.rs", &m("beta"));
    let (g, _) = h.run();
    assert!(has_item(&g, "beta") && !has_item(&g, "alpha"));
    assert_eq!(canonical(&g), h.cold());
}

#[test]
fn t48_many_edited_files_are_linked_again_without_comparing_their_facts() {
    use cargo_parseltongue::engine::MAX_COMPARED_EDITS;
    let n = MAX_COMPARED_EDITS + 1;
    let lib: String = (0..n).map(|i| format!("pub mod m{i};\n")).collect();
    let texts: Vec<(String, String)> = (0..n)
        .map(|i| (format!("src/m{i}.rs"), format!("pub struct S{i};\n")))
        .collect();
    let mut files = vec![("src/lib.rs", lib.as_str())];
    files.extend(texts.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let h = Harness::model(&files);
    h.run_checked();
    // As many as are compared: comments keep the graph.
    h.source.advance(10 * SEC as i128);
    for (p, t) in &texts[..MAX_COMPARED_EDITS] {
        h.source.write(p, &format!("{t}// a note\n"));
    }
    let r = h.run_checked();
    assert_eq!(r.rebuilt_because, None);
    // One more: linked again, each file parsed once.
    h.source.advance(10 * SEC as i128);
    for (p, t) in &texts {
        h.source.write(p, &format!("{t}// another note\n"));
    }
    let r = h.run_checked();
    assert!(r.rebuilt_because.is_some());
    assert_eq!(r.parses, n);
}
