//! Drives the incremental engine in-process: an in-memory file system with an injected
//! clock, timestamp granularity and a read hook ([`ModelFs`]), the same over a real
//! temporary directory ([`DiskTree`]), and the cold build every run is compared with.

use cargo_parseltongue::engine::explain::{Action, Reason};
use cargo_parseltongue::engine::{self, Options, Refresh};
use cargo_parseltongue::graph::Graph;
use cargo_parseltongue::graph::build::{self, CrateInput};
use cargo_parseltongue::source::{DiskSource, FileStat, SourceTree};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// One second in nanoseconds.
pub const SEC: u128 = 1_000_000_000;
/// Where the model clock starts (2023-11-14), in ns.
pub const EPOCH: u128 = 1_700_000_000 * SEC;

/// A file of [`ModelFs`].
#[derive(Clone, Debug)]
pub struct ModelFile {
    pub bytes: Vec<u8>,
    pub mtime: u128,
    pub ctime: u128,
    pub ino: u64,
}

/// Called with the file system state and the path before each read.
pub type ReadHook = Box<dyn FnMut(&mut ModelState, &str) + Send>;

/// The mutable state of a [`ModelFs`].
pub struct ModelState {
    pub files: BTreeMap<String, ModelFile>,
    /// Paths that are directories (a file replaced by a directory).
    pub dirs: Vec<String>,
    pub clock: u128,
    /// Timestamps are rounded down to this many ns (1 = full precision).
    pub granularity: u128,
    pub next_ino: u64,
    pub hook: Option<ReadHook>,
    /// Called after the bytes of a read were taken (an edit between read and second stat).
    pub after_read: Option<ReadHook>,
}

impl ModelState {
    fn tick(&self) -> u128 {
        self.clock - self.clock % self.granularity
    }

    /// Writes `bytes` at `rel` with mtime = ctime = now (new inode if the file is new).
    pub fn write(&mut self, rel: &str, bytes: &[u8]) {
        let now = self.tick();
        self.dirs.retain(|d| d != rel);
        let ino = match self.files.get(rel) {
            Some(f) => f.ino,
            None => {
                self.next_ino += 1;
                self.next_ino
            }
        };
        self.files.insert(
            rel.to_string(),
            ModelFile {
                bytes: bytes.to_vec(),
                mtime: now,
                ctime: now,
                ino,
            },
        );
    }
}

/// An in-memory file tree rooted at `/w` with a clock the test moves.
pub struct ModelFs {
    pub state: Mutex<ModelState>,
}

pub const ROOT: &str = "/w";

impl ModelFs {
    pub fn new() -> Self {
        ModelFs {
            state: Mutex::new(ModelState {
                files: BTreeMap::new(),
                dirs: Vec::new(),
                clock: EPOCH,
                granularity: 1,
                next_ino: 100,
                hook: None,
                after_read: None,
            }),
        }
    }

    pub fn with<R>(&self, f: impl FnOnce(&mut ModelState) -> R) -> R {
        f(&mut self.state.lock().unwrap())
    }

    pub fn write(&self, rel: &str, text: &str) {
        self.with(|s| s.write(rel, text.as_bytes()));
    }

    /// Overwrites content keeping mtime (ctime moves, as on a real file system).
    pub fn write_keep_mtime(&self, rel: &str, text: &str) {
        self.with(|s| {
            let mtime = s.files[rel].mtime;
            s.write(rel, text.as_bytes());
            s.files.get_mut(rel).unwrap().mtime = mtime;
        });
    }

    /// Sets mtime (ctime moves to now).
    pub fn set_mtime(&self, rel: &str, mtime: u128) {
        self.with(|s| {
            let now = s.tick();
            let f = s.files.get_mut(rel).unwrap();
            f.mtime = mtime;
            f.ctime = now;
        });
    }

    pub fn mtime(&self, rel: &str) -> u128 {
        self.with(|s| s.files[rel].mtime)
    }

    pub fn touch(&self, rel: &str) {
        self.with(|s| {
            let now = s.tick();
            let f = s.files.get_mut(rel).unwrap();
            f.mtime = now;
            f.ctime = now;
        });
    }

    pub fn delete(&self, rel: &str) {
        self.with(|s| {
            s.files.remove(rel);
        });
    }

    pub fn rename(&self, from: &str, to: &str) {
        self.with(|s| {
            if let Some(mut f) = s.files.remove(from) {
                f.ctime = s.tick();
                s.files.insert(to.to_string(), f);
            }
        });
    }

    pub fn advance(&self, ns: i128) {
        self.with(|s| s.clock = (s.clock as i128 + ns).max(0) as u128);
    }

    fn rel(path: &Path) -> Option<String> {
        path.strip_prefix(ROOT)
            .ok()
            .map(|p| p.to_string_lossy().replace('\\', "/"))
    }
}

impl SourceTree for ModelFs {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        let rel = Self::rel(path).ok_or_else(|| io::Error::other("outside"))?;
        let mut s = self.state.lock().unwrap();
        if let Some(mut hook) = s.hook.take() {
            hook(&mut s, &rel);
            s.hook = Some(hook);
        }
        if s.dirs.contains(&rel) {
            return Err(io::Error::other("is a directory"));
        }
        let bytes = s
            .files
            .get(&rel)
            .map(|f| f.bytes.clone())
            .ok_or_else(|| io::Error::from(io::ErrorKind::NotFound));
        if let Some(mut hook) = s.after_read.take() {
            hook(&mut s, &rel);
            s.after_read = Some(hook);
        }
        bytes
    }

    fn stat(&self, path: &Path) -> Option<FileStat> {
        let rel = Self::rel(path)?;
        self.with(|s| {
            s.files.get(&rel).map(|f| FileStat {
                len: f.bytes.len() as u64,
                mtime_ns: f.mtime,
                ctime_ns: f.ctime,
                ino: f.ino,
            })
        })
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }

    fn now_ns(&self) -> u128 {
        self.with(|s| s.clock)
    }
}

/// The one lib crate `demo` with its root at `<root>/src/lib.rs`.
pub fn demo_crate(root: &Path) -> Vec<CrateInput> {
    vec![CrateInput::standalone(
        "demo",
        "demo",
        "lib",
        root,
        &root.join("src/lib.rs"),
    )]
}

/// A graph as comparable text: its JSON without the wall-clock `recorded_at` fields.
pub fn canonical(graph: &Graph) -> String {
    fn strip(v: &mut serde_json::Value) {
        match v {
            serde_json::Value::Object(m) => {
                m.remove("recorded_at");
                m.values_mut().for_each(strip);
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(strip),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(graph).unwrap();
    strip(&mut v);
    serde_json::to_string_pretty(&v).unwrap()
}

/// The engine over a source tree and a cache directory of its own.
pub struct Harness<S: SourceTree> {
    pub source: S,
    pub root: PathBuf,
    pub cache: tempfile::TempDir,
    pub crates: Vec<CrateInput>,
    pub options: Options,
}

impl<S: SourceTree> Harness<S> {
    pub fn with_source(source: S, root: PathBuf) -> Self {
        Harness {
            crates: demo_crate(&root),
            source,
            root,
            cache: tempfile::tempdir().unwrap(),
            options: Options {
                stale_facts: false,
                lock_timeout: std::time::Duration::from_secs(5),
                ..Options::default()
            },
        }
    }

    /// One incremental run.
    pub fn run(&self) -> (Graph, Refresh) {
        self.run_with(self.options.clone())
    }

    pub fn run_with(&self, options: Options) -> (Graph, Refresh) {
        let inputs = engine::Inputs {
            root: &self.root,
            crates: &self.crates,
            config: "test-config",
            cache_dir: self.cache.path(),
        };
        engine::refresh_inputs(&inputs, &self.source, options, &mut || {}).unwrap()
    }

    /// A cold build of the same tree, as canonical text.
    pub fn cold(&self) -> String {
        canonical(&build::build(&self.source, &self.root, &self.crates).graph)
    }

    /// Runs incrementally, asserts the result equals a cold build, returns the refresh.
    pub fn run_checked(&self) -> Refresh {
        let (graph, refresh) = self.run();
        assert_eq!(canonical(&graph), self.cold(), "incremental != cold");
        refresh
    }

    pub fn cache_file(&self, name: &str) -> PathBuf {
        let v = cargo_parseltongue::cache::SCHEMA_VERSION;
        self.cache.path().join(format!("{name}-v{v}.json"))
    }
}

/// What the refresh did with `path`.
pub fn explained(r: &Refresh, path: &str) -> Option<(Action, Reason)> {
    r.explain
        .iter()
        .find(|e| e.path == path)
        .map(|e| (e.action, e.reason.clone()))
}

impl Harness<ModelFs> {
    /// A model tree holding `files`, written 100 s before the clock (not racy).
    pub fn model(files: &[(&str, &str)]) -> Self {
        let fs = ModelFs::new();
        fs.advance(-100 * SEC as i128);
        for (p, t) in files {
            fs.write(p, t);
        }
        fs.advance(100 * SEC as i128);
        Harness::with_source(fs, PathBuf::from(ROOT))
    }
}

/// A real directory tree.
pub struct DiskTree {
    pub dir: tempfile::TempDir,
}

impl Harness<DiskSource> {
    /// A temporary directory holding `files`, with mtimes one hour in the past.
    pub fn disk(files: &[(&str, &str)]) -> (Self, DiskTree) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().to_path_buf();
        let tree = DiskTree { dir };
        for (p, t) in files {
            tree.write(p, t);
            tree.age(p, 3600);
        }
        (Harness::with_source(DiskSource, root), tree)
    }
}

impl DiskTree {
    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }
    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    /// Sets the mtime `secs` seconds into the past.
    pub fn age(&self, rel: &str, secs: i64) {
        let now = filetime::FileTime::now();
        let t = filetime::FileTime::from_unix_time(now.unix_seconds() - secs, now.nanoseconds());
        filetime::set_file_mtime(self.path(rel), t).unwrap();
    }
    pub fn mtime(&self, rel: &str) -> filetime::FileTime {
        filetime::FileTime::from_last_modification_time(&std::fs::metadata(self.path(rel)).unwrap())
    }
    pub fn set_mtime(&self, rel: &str, t: filetime::FileTime) {
        filetime::set_file_mtime(self.path(rel), t).unwrap();
    }
}
