//! The master property of the incremental cache, as proptest state machines: after any
//! sequence of writes, appended comments (new contents with the same facts), same-length
//! same-mtime writes, touches, mtime changes, deletes,
//! renames, directory replacements, snapshot corruption, clock moves and runs, the
//! incremental answer equals a cold build of the same tree, the snapshot validates, and no
//! more files are parsed than have new content.
//!
//! Two harnesses: an in-memory file system with an injected clock and 1 ns / 1 s / 2 s
//! timestamps (many cases), and a real temporary directory with `filetime` (fewer cases).

use crate::harness::{DiskTree, Harness, ModelFs, SEC, canonical};
use cargo_parseltongue::cache;
use cargo_parseltongue::source::{DiskSource, SourceTree};
use proptest::prelude::*;
use proptest::test_runner::Config;
use proptest_state_machine::{ReferenceStateMachine, StateMachineTest, prop_state_machine};
use std::collections::BTreeMap;

const PATHS: [&str; 4] = ["src/lib.rs", "src/a.rs", "src/b.rs", "src/c.rs"];

/// Contents for the crate root: module declarations, a trait, a macro used in other files.
const ROOTS: [&str; 4] = [
    "pub mod a;\npub mod b;\npub trait Shape { fn area(&self) -> f64; fn name(&self) -> &str { \"s\" } }\n",
    "macro_rules! area { ($v:expr) => { fn area(&self) -> f64 { $v } }; }\npub mod a;\npub mod b;\nmod c;\npub trait Shape { fn area(&self) -> f64; }\n",
    "pub mod a;\nmod c;\npub use a::Alpha as Renamed;\npub trait Shape { fn area(&self) -> f64; }\n",
    "pub mod a;\npub mod b;\npub trait Shape { fn area(&self) -> f64; ",
];

/// Contents for the other files: impls, calls across files, macro calls, a syntax error.
const LEAVES: [&str; 6] = [
    "pub struct Alpha;\nimpl crate::Shape for Alpha { fn area(&self) -> f64 { 1.0 } }\n",
    "pub struct Bravo;\nimpl crate::Shape for Bravo { area!(2.0); }\npub fn make() -> Bravo { Bravo }\n",
    "use crate::b::make;\npub fn call() { let _ = make(); }\n",
    "pub struct Omega;\nimpl Omega { pub fn name(&self) -> &str { \"o\" } }\n",
    "pub fn broken( {\n",
    "",
];

#[derive(Clone, Debug)]
enum Op {
    Write(usize, usize),
    /// A comment appended: a new content with the same facts (the graph is kept).
    AppendComment(usize),
    WriteSameLenKeepMtime(usize),
    Touch(usize),
    SetMtime(usize, MtimeKind),
    Delete(usize),
    Rename(usize, usize),
    ReplaceWithDir(usize),
    Corrupt(usize, CorruptKind),
    DeleteSnapshot,
    AdvanceClock(i64),
    Run,
}

#[derive(Clone, Copy, Debug)]
enum MtimeKind {
    Past,
    Future,
    TruncateNs,
    EqualTo(usize),
}

#[derive(Clone, Copy, Debug)]
enum CorruptKind {
    Truncate,
    FlipByte,
    Empty,
    OldSchema,
}

fn op_strategy() -> BoxedStrategy<Op> {
    let path = 0..PATHS.len();
    prop_oneof![
        4 => (path.clone(), 0..LEAVES.len()).prop_map(|(p, t)| Op::Write(p, t)),
        2 => path.clone().prop_map(Op::AppendComment),
        2 => path.clone().prop_map(Op::WriteSameLenKeepMtime),
        1 => path.clone().prop_map(Op::Touch),
        2 => (path.clone(), prop_oneof![
            Just(MtimeKind::Past),
            Just(MtimeKind::Future),
            Just(MtimeKind::TruncateNs),
            (0..PATHS.len()).prop_map(MtimeKind::EqualTo),
        ]).prop_map(|(p, k)| Op::SetMtime(p, k)),
        1 => path.clone().prop_map(Op::Delete),
        1 => (path.clone(), path.clone()).prop_map(|(a, b)| Op::Rename(a, b)),
        1 => path.clone().prop_map(Op::ReplaceWithDir),
        1 => (0..3usize, prop_oneof![
            Just(CorruptKind::Truncate),
            Just(CorruptKind::FlipByte),
            Just(CorruptKind::Empty),
            Just(CorruptKind::OldSchema),
        ]).prop_map(|(f, k)| Op::Corrupt(f, k)),
        1 => Just(Op::DeleteSnapshot),
        // Forward only: a clock that goes back and forth can recreate a stat exactly, which
        // no stat-based cache can see (T12 covers a clock that goes back).
        2 => (0i64..20).prop_map(Op::AdvanceClock),
        5 => Just(Op::Run),
    ]
    .boxed()
}

/// The reference model: no state beyond the granularity; the SUT's own tree is the truth
/// the cold build reads, so the model only generates operations.
struct Model;

impl ReferenceStateMachine for Model {
    type State = u128;
    type Transition = Op;

    fn init_state() -> BoxedStrategy<u128> {
        prop_oneof![Just(1u128), Just(SEC), Just(2 * SEC)].boxed()
    }

    fn transitions(_: &u128) -> BoxedStrategy<Op> {
        op_strategy()
    }

    fn apply(state: u128, _: &Op) -> u128 {
        state
    }
}

/// File operations both harnesses support.
trait Tree: SourceTree {
    fn put(&self, rel: &str, text: &[u8]);
    fn put_keep_mtime(&self, rel: &str, text: &[u8]);
    fn touch(&self, rel: &str);
    fn set_mtime(&self, rel: &str, kind: MtimeKind);
    fn remove(&self, rel: &str);
    fn rename(&self, from: &str, to: &str);
    fn make_dir(&self, rel: &str);
    fn advance(&self, secs: i64);
    /// Every regular file: path → bytes.
    fn contents(&self) -> BTreeMap<String, Vec<u8>>;
}

impl Tree for ModelFs {
    fn put(&self, rel: &str, text: &[u8]) {
        self.with(|s| s.write(rel, text));
    }
    fn put_keep_mtime(&self, rel: &str, text: &[u8]) {
        self.with(|s| {
            let mtime = s.files[rel].mtime;
            s.write(rel, text);
            s.files.get_mut(rel).unwrap().mtime = mtime;
        });
    }
    fn touch(&self, rel: &str) {
        ModelFs::touch(self, rel);
    }
    fn set_mtime(&self, rel: &str, kind: MtimeKind) {
        let now = self.now_ns();
        let m = self.mtime(rel);
        let t = match kind {
            MtimeKind::Past => now.saturating_sub(3600 * SEC),
            MtimeKind::Future => now + 3600 * SEC,
            MtimeKind::TruncateNs => m - m % SEC,
            MtimeKind::EqualTo(i) => self.with(|s| s.files.get(PATHS[i]).map_or(m, |f| f.mtime)),
        };
        ModelFs::set_mtime(self, rel, t);
    }
    fn remove(&self, rel: &str) {
        self.delete(rel);
        self.with(|s| s.dirs.retain(|d| d != rel));
    }
    fn rename(&self, from: &str, to: &str) {
        ModelFs::rename(self, from, to);
    }
    fn make_dir(&self, rel: &str) {
        self.with(|s| {
            s.files.remove(rel);
            s.dirs.push(rel.to_string());
        });
    }
    fn advance(&self, secs: i64) {
        ModelFs::advance(self, secs as i128 * SEC as i128);
    }
    fn contents(&self) -> BTreeMap<String, Vec<u8>> {
        self.with(|s| {
            s.files
                .iter()
                .map(|(k, f)| (k.clone(), f.bytes.clone()))
                .collect()
        })
    }
}

/// A real directory; the clock cannot be moved, so `advance` shifts nothing.
struct Disk {
    tree: DiskTree,
}

impl SourceTree for Disk {
    fn read(&self, path: &std::path::Path) -> std::io::Result<Vec<u8>> {
        DiskSource.read(path)
    }
    fn stat(&self, path: &std::path::Path) -> Option<cargo_parseltongue::source::FileStat> {
        DiskSource.stat(path)
    }
    fn canonical(&self, path: &std::path::Path) -> std::path::PathBuf {
        DiskSource.canonical(path)
    }
}

impl Tree for Disk {
    fn put(&self, rel: &str, text: &[u8]) {
        let p = self.tree.path(rel);
        if p.is_dir() {
            std::fs::remove_dir_all(&p).unwrap();
        }
        std::fs::write(p, text).unwrap();
    }
    fn put_keep_mtime(&self, rel: &str, text: &[u8]) {
        let m = self.tree.mtime(rel);
        self.put(rel, text);
        self.tree.set_mtime(rel, m);
    }
    fn touch(&self, rel: &str) {
        self.tree.set_mtime(rel, filetime::FileTime::now());
    }
    fn set_mtime(&self, rel: &str, kind: MtimeKind) {
        let now = filetime::FileTime::now();
        let m = self.tree.mtime(rel);
        let t = match kind {
            MtimeKind::Past => filetime::FileTime::from_unix_time(now.unix_seconds() - 3600, 0),
            MtimeKind::Future => filetime::FileTime::from_unix_time(now.unix_seconds() + 3600, 0),
            MtimeKind::TruncateNs => filetime::FileTime::from_unix_time(m.unix_seconds(), 0),
            MtimeKind::EqualTo(i) => {
                if self.tree.path(PATHS[i]).is_file() {
                    self.tree.mtime(PATHS[i])
                } else {
                    m
                }
            }
        };
        self.tree.set_mtime(rel, t);
    }
    fn remove(&self, rel: &str) {
        let p = self.tree.path(rel);
        let _ = std::fs::remove_file(&p).or_else(|_| std::fs::remove_dir_all(&p));
    }
    fn rename(&self, from: &str, to: &str) {
        let _ = std::fs::rename(self.tree.path(from), self.tree.path(to));
    }
    fn make_dir(&self, rel: &str) {
        self.remove(rel);
        std::fs::create_dir(self.tree.path(rel)).unwrap();
    }
    fn advance(&self, _: i64) {}
    fn contents(&self) -> BTreeMap<String, Vec<u8>> {
        PATHS
            .iter()
            .filter_map(|p| Some((p.to_string(), std::fs::read(self.tree.path(p)).ok()?)))
            .collect()
    }
}

struct System<T: Tree> {
    harness: Harness<T>,
    /// Contents of the files the last run indexed.
    last_run: BTreeMap<String, Vec<u8>>,
    /// The facts cache was damaged since the last run (the parse bound does not hold).
    facts_lost: bool,
}

impl<T: Tree> System<T> {
    fn is_file(&self, i: usize) -> bool {
        self.harness
            .source
            .is_file(&self.harness.root.join(PATHS[i]))
    }

    fn apply(mut self, op: Op) -> Self {
        let t = &self.harness.source;
        match op {
            Op::Write(p, c) => {
                let text = if p == 0 {
                    ROOTS[c % ROOTS.len()]
                } else {
                    LEAVES[c]
                };
                t.put(PATHS[p], text.as_bytes());
            }
            Op::AppendComment(p) if self.is_file(p) => {
                let mut bytes = t.contents()[PATHS[p]].clone();
                bytes.extend_from_slice(b"\n// a note\n");
                t.put(PATHS[p], &bytes);
            }
            Op::WriteSameLenKeepMtime(p) if self.is_file(p) => {
                let mut bytes = t.contents()[PATHS[p]].clone();
                if let Some(b) = bytes.iter_mut().find(|b| b.is_ascii_digit()) {
                    *b = if *b == b'9' { b'1' } else { *b + 1 };
                } else if let Some(b) = bytes.iter_mut().find(|b| b.is_ascii_lowercase()) {
                    *b = b.to_ascii_uppercase();
                }
                t.put_keep_mtime(PATHS[p], &bytes);
            }
            Op::Touch(p) if self.is_file(p) => t.touch(PATHS[p]),
            Op::SetMtime(p, k) if self.is_file(p) => t.set_mtime(PATHS[p], k),
            Op::Delete(p) => t.remove(PATHS[p]),
            Op::Rename(a, b) if a != b && self.is_file(a) => {
                t.remove(PATHS[b]);
                t.rename(PATHS[a], PATHS[b]);
            }
            Op::ReplaceWithDir(p) if p != 0 => t.make_dir(PATHS[p]),
            Op::Corrupt(f, kind) => {
                let name = ["snapshot", "graph", "facts"][f];
                let path = self.harness.cache_file(name);
                if let Ok(mut bytes) = std::fs::read(&path) {
                    match kind {
                        CorruptKind::Truncate => bytes.truncate(bytes.len() / 2),
                        CorruptKind::FlipByte if !bytes.is_empty() => {
                            let at = bytes.len() * 2 / 3;
                            bytes[at] ^= 0x04;
                        }
                        CorruptKind::Empty | CorruptKind::FlipByte => bytes.clear(),
                        CorruptKind::OldSchema => {
                            let v = format!("\"schema\":{}", cache::SCHEMA_VERSION);
                            let text =
                                String::from_utf8_lossy(&bytes).replacen(&v, "\"schema\":2", 1);
                            bytes = text.into_bytes();
                        }
                    }
                    std::fs::write(&path, bytes).unwrap();
                    self.facts_lost |= f == 2;
                }
            }
            Op::DeleteSnapshot => {
                for name in ["snapshot", "graph", "facts"] {
                    let _ = std::fs::remove_file(self.harness.cache_file(name));
                }
                self.facts_lost = true;
            }
            Op::AdvanceClock(secs) => t.advance(secs),
            Op::Run => self.run(),
            _ => {}
        }
        self
    }

    fn run(&mut self) {
        let now = self.harness.source.contents();
        let (graph, refresh) = self.harness.run();
        // 1. Equal to a cold build of the same tree.
        assert_eq!(
            canonical(&graph),
            self.harness.cold(),
            "incremental != cold"
        );
        // 2. The snapshot on disk validates.
        let paths = cache::Paths::new(self.harness.cache.path());
        let tool = cache::tool_version();
        let index = cache::load_index(&paths, &tool, "test-config").expect("index validates");
        cache::load_graph(&paths, &index, &tool, "test-config").expect("graph validates");
        // 3. No more parses than files with new content or new to the index.
        if !self.facts_lost {
            let changed = now
                .iter()
                .filter(|(p, bytes)| self.last_run.get(*p) != Some(bytes))
                .count();
            assert!(
                refresh.parses <= changed,
                "{} parses for {changed} changed files: {:?}",
                refresh.parses,
                refresh.explain
            );
        }
        let indexed: std::collections::HashSet<&str> =
            index.files.iter().map(|f| f.path.as_str()).collect();
        self.last_run = now
            .into_iter()
            .filter(|(p, _)| indexed.contains(p.as_str()))
            .collect();
        // A damaged facts file stays damaged until a run that has to link rewrites it.
        self.facts_lost = cache::load_facts(&paths, &tool).is_err();
    }
}

fn initial<T: Tree>(tree: &T) {
    tree.put(PATHS[0], ROOTS[1].as_bytes());
    tree.put(PATHS[1], LEAVES[0].as_bytes());
    tree.put(PATHS[2], LEAVES[1].as_bytes());
    tree.put(PATHS[3], LEAVES[2].as_bytes());
}

struct InMemory;

impl StateMachineTest for InMemory {
    type SystemUnderTest = System<ModelFs>;
    type Reference = Model;

    fn init_test(granularity: &u128) -> System<ModelFs> {
        let fs = ModelFs::new();
        fs.with(|s| s.granularity = *granularity);
        initial(&fs);
        System {
            harness: Harness::with_source(fs, crate::harness::ROOT.into()),
            last_run: BTreeMap::new(),
            facts_lost: true,
        }
    }

    fn apply(state: System<ModelFs>, _: &u128, op: Op) -> System<ModelFs> {
        state.apply(op)
    }

    fn teardown(mut state: System<ModelFs>, _: u128) {
        state.run();
    }
}

struct RealFs;

impl StateMachineTest for RealFs {
    type SystemUnderTest = System<Disk>;
    type Reference = Model;

    fn init_test(_: &u128) -> System<Disk> {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("src")).unwrap();
        let root = dir.path().to_path_buf();
        let disk = Disk {
            tree: DiskTree { dir },
        };
        initial(&disk);
        System {
            harness: Harness::with_source(disk, root),
            last_run: BTreeMap::new(),
            facts_lost: true,
        }
    }

    fn apply(state: System<Disk>, _: &u128, op: Op) -> System<Disk> {
        state.apply(op)
    }

    fn teardown(mut state: System<Disk>, _: u128) {
        state.run();
    }
}

prop_state_machine! {
    #![proptest_config(Config {
        cases: 1000,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("regressions"),
        )),
        ..Config::default()
    })]
    #[test]
    fn incremental_equals_cold_in_memory(sequential 1..40 => InMemory);
}

prop_state_machine! {
    #![proptest_config(Config {
        cases: 32,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("regressions"),
        )),
        ..Config::default()
    })]
    #[test]
    fn incremental_equals_cold_on_disk(sequential 1..30 => RealFs);
}
