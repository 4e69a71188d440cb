//! `cargo metadata` skipped when nothing it reads has changed.
//!
//! After a successful `cargo metadata`, its output is recorded in
//! `<target dir>/parseltongue/workspace-v1.json` (framed and checksummed like the other cache
//! files) together with what it was derived from:
//!
//! - the cargo flags, the `CARGO*`/`RUSTUP*` environment and the configuration files
//!   found from the working directory; the manifest the run starts from must be the root's
//!   or a member's;
//! - the stat fields (or absence) of every file and directory cargo consults: `Cargo.toml`,
//!   `.cargo/config{,.toml}` and `rust-toolchain{,.toml}` in every ancestor of the root and
//!   the members, the working directory and the root; cargo's and rustup's home
//!   configuration; `Cargo.lock`; each member's manifest and directory, its auto-discovery
//!   directories (`src/bin`, `tests`, `examples`, `benches`); the directories member globs
//!   expand in and the `Cargo.toml` of their subdirectories;
//! - whether each target's root file, `src/lib.rs`, `src/main.rs` and the `main.rs` of each
//!   auto-discovery subdirectory exists (existence only: editing a crate root must not
//!   cost a `cargo metadata`).
//!
//! The next call finds the record where the target directory must be (`CARGO_TARGET_DIR`,
//! else `CARGO_BUILD_TARGET_DIR`, else `<ancestor>/target`) and reuses it when every one of
//! those is equal and none was racy when recorded (git's rule, as for source files:
//! [`crate::engine::RACY_SLACK_NS`]). A directory's mtime changes when an entry is created,
//! removed or renamed in it, which is how a new member, target or config file is noticed.
//! A target directory set only in a config file (`build.target-dir`) is not predicted, so
//! such workspaces always run `cargo metadata`; nothing is written outside the target
//! directory cargo reports.

use cargo_metadata::Metadata;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The record's file name inside `<target dir>/parseltongue`.
pub const FILE_NAME: &str = "workspace-v1.json";

/// Stat fields of a path, following symlinks; `None` in [`Record::stats`] means absent.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PathStat {
    /// Whether it is a directory (otherwise a file or something else that exists).
    pub dir: bool,
    /// Length in bytes.
    pub len: u64,
    /// mtime, ns since the epoch (0 if unknown).
    pub mtime_ns: u128,
    /// ctime, ns since the epoch (0 where the platform has none).
    pub ctime_ns: u128,
    /// Inode number (0 where the platform has none).
    pub ino: u64,
}

/// What the call is asking cargo. A record answers it when the configuration files, flags
/// and environment are equal and `start` is the record's root manifest or a member's.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    /// The manifest `cargo metadata` starts from (absolute, as named or found upwards
    /// from the working directory).
    pub start: PathBuf,
    /// The `.cargo/config{,.toml}` files in the working directory and its ancestors (cargo
    /// discovers configuration from there): two directories with the same ones ask the
    /// same question.
    pub config_files: Vec<PathBuf>,
    /// `--offline`, `--locked`, `--frozen` as given.
    pub cargo_flags: Vec<String>,
    /// `CARGO*` and `RUSTUP*` environment variables, sorted by name.
    pub env: Vec<(String, String)>,
}

/// A recorded `cargo metadata` answer and what it depends on.
#[derive(Debug, Serialize, Deserialize)]
pub struct Record {
    /// The question it answered.
    pub question: Question,
    /// When `cargo metadata` was started, ns since the epoch: stats at or after this
    /// (minus the racy slack) cannot vouch for the answer.
    pub started_ns: u128,
    /// Every path consulted with its stat fields (`None`: absent).
    pub stats: Vec<(PathBuf, Option<PathStat>)>,
    /// Paths whose existence alone matters, and whether they existed.
    pub exists: Vec<(PathBuf, bool)>,
    /// cargo's answer.
    pub metadata: Metadata,
}

/// Stat fields of `path` (following symlinks), `None` when it does not exist or cannot be
/// read.
pub fn stat(path: &Path) -> Option<PathStat> {
    let meta = std::fs::metadata(path).ok()?;
    let s = crate::source::FileStat::of(&meta);
    Some(PathStat {
        dir: meta.is_dir(),
        len: if meta.is_dir() { 0 } else { s.len },
        mtime_ns: s.mtime_ns,
        ctime_ns: s.ctime_ns,
        ino: s.ino,
    })
}

/// The `.cargo/config{,.toml}` files that exist in `cwd` and its ancestors, nearest first.
pub fn config_files(cwd: &Path) -> Vec<PathBuf> {
    cwd.ancestors()
        .flat_map(|a| [a.join(".cargo/config"), a.join(".cargo/config.toml")])
        .filter(|p| p.is_file())
        .collect()
}

/// Now, ns since the epoch.
pub fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

/// The `CARGO*` and `RUSTUP*` environment, sorted (`CARGO_MAKEFLAGS`, a jobserver handle
/// that differs per build, left out).
pub fn cargo_env() -> Vec<(String, String)> {
    let mut env: Vec<(String, String)> = std::env::vars_os()
        .filter_map(|(k, v)| Some((k.into_string().ok()?, v.into_string().ok()?)))
        .filter(|(k, _)| {
            (k.starts_with("CARGO") || k.starts_with("RUSTUP")) && k != "CARGO_MAKEFLAGS"
        })
        .collect();
    env.sort();
    env
}

fn env_path(name: &str, cwd: &Path) -> Option<PathBuf> {
    let v = std::env::var_os(name).filter(|v| !v.is_empty())?;
    Some(cwd.join(v))
}

/// Where the target directory must be for `question` when no config file moves it:
/// `CARGO_TARGET_DIR`, else `CARGO_BUILD_TARGET_DIR` (relative to the working directory),
/// else `None` (it is `<workspace root>/target`).
pub fn target_dir_from_env(cwd: &Path) -> Option<PathBuf> {
    env_path("CARGO_TARGET_DIR", cwd).or_else(|| env_path("CARGO_BUILD_TARGET_DIR", cwd))
}

/// Candidate record files for a start manifest: under the environment's target directory,
/// or under `<ancestor>/target` for each ancestor of the manifest's directory, nearest first.
pub fn candidates(question: &Question, cwd: &Path) -> Vec<PathBuf> {
    if let Some(dir) = target_dir_from_env(cwd) {
        return vec![dir.join("parseltongue").join(FILE_NAME)];
    }
    question
        .start
        .parent()
        .into_iter()
        .flat_map(Path::ancestors)
        .map(|a| a.join("target").join("parseltongue").join(FILE_NAME))
        .collect()
}

/// Whether `metadata`'s target directory is where [`candidates`] looks: only then is a
/// record written (into that directory).
pub fn predictable(metadata: &Metadata, cwd: &Path) -> bool {
    let actual = metadata.target_directory.as_std_path();
    let expected = target_dir_from_env(cwd)
        .unwrap_or_else(|| metadata.workspace_root.as_std_path().join("target"));
    crate::parse::modules::normalize(actual) == crate::parse::modules::normalize(&expected)
}

fn home(var: &str, default: &str) -> Option<PathBuf> {
    std::env::var_os(var)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::home_dir().map(|h| h.join(default)))
}

fn subdirectories(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut found: Vec<PathBuf> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        .collect();
    found.sort();
    found
}

/// What `metadata` depends on for `question`: the paths whose creation, removal or change
/// could change it, and the paths whose existence alone matters (target root files, whose
/// edits must not cost a `cargo metadata`).
pub fn consulted_paths(question: &Question, metadata: &Metadata) -> (Vec<PathBuf>, Vec<PathBuf>) {
    let root = metadata.workspace_root.as_std_path();
    let mut out: Vec<PathBuf> = Vec::new();
    let mut exists: Vec<PathBuf> = Vec::new();
    let mut ancestors: Vec<&Path> = Vec::new();
    out.extend(question.config_files.iter().cloned());
    let members = metadata.workspace_packages();
    let dirs = members
        .iter()
        .filter_map(|p| p.manifest_path.as_std_path().parent())
        .chain([root])
        .chain(question.start.parent());
    for dir in dirs {
        ancestors.extend(dir.ancestors());
    }
    ancestors.sort();
    ancestors.dedup();
    for a in ancestors {
        for name in [
            "Cargo.toml",
            ".cargo/config",
            ".cargo/config.toml",
            "rust-toolchain",
            "rust-toolchain.toml",
        ] {
            out.push(a.join(name));
        }
    }
    if let Some(cargo_home) = home("CARGO_HOME", ".cargo") {
        out.push(cargo_home.join("config"));
        out.push(cargo_home.join("config.toml"));
    }
    if let Some(rustup_home) = home("RUSTUP_HOME", ".rustup") {
        out.push(rustup_home.join("settings.toml"));
    }
    out.push(root.join("Cargo.lock"));
    let mut member_parents: Vec<PathBuf> = Vec::new();
    for pkg in metadata.workspace_packages() {
        let manifest = pkg.manifest_path.as_std_path();
        out.push(manifest.to_path_buf());
        let Some(dir) = manifest.parent() else {
            continue;
        };
        // The package directory (a new `tests/` or `build.rs`), the default roots, and the
        // auto-discovery directories with the `main.rs` of each subdirectory.
        out.push(dir.to_path_buf());
        exists.push(dir.join("src/lib.rs"));
        exists.push(dir.join("src/main.rs"));
        for auto in ["src/bin", "tests", "examples", "benches"] {
            let d = dir.join(auto);
            out.push(d.clone());
            for sub in subdirectories(&d) {
                exists.push(sub.join("main.rs"));
            }
        }
        if let Some(parent) = dir.parent() {
            member_parents.push(parent.to_path_buf());
        }
        for t in &pkg.targets {
            exists.push(t.src_path.as_std_path().to_path_buf());
        }
    }
    // Where member globs expand: a new directory, or a `Cargo.toml` appearing in one.
    member_parents.sort();
    member_parents.dedup();
    for p in member_parents {
        out.push(p.clone());
        for sub in subdirectories(&p) {
            out.push(sub.join("Cargo.toml"));
        }
    }
    out.sort();
    out.dedup();
    exists.sort();
    exists.dedup();
    (out, exists)
}

/// Reads the record for `question`, if one is where it must be and still answers it.
/// Anything unreadable, foreign or stale is `None`: the caller runs `cargo metadata`.
pub fn lookup(question: &Question, cwd: &Path, tool: &str) -> Option<Metadata> {
    for path in candidates(question, cwd) {
        let expect = crate::cache::Expect {
            kind: "workspace",
            tool,
            config: "",
        };
        let Ok((_, record)) = crate::cache::framing::read::<Record>(&path, expect) else {
            continue;
        };
        let same_question = record.question.config_files == question.config_files
            && record.question.cargo_flags == question.cargo_flags
            && record.question.env == question.env;
        if !same_question || !answers_from(&record.metadata, &question.start) {
            continue;
        }
        // The record must sit in the target directory cargo reported for it.
        let dir = record
            .metadata
            .target_directory
            .as_std_path()
            .join("parseltongue");
        let canonical = |p: &Path| std::fs::canonicalize(p).ok();
        if path
            .parent()
            .and_then(canonical)
            .is_none_or(|p| Some(p) != canonical(&dir))
        {
            continue;
        }
        return still_valid(&record).then_some(record.metadata);
    }
    None
}

/// Whether cargo started from `start` gives `metadata`'s workspace: `start` is its root
/// manifest or a member's (whose ancestors' manifests the record stats).
fn answers_from(metadata: &Metadata, start: &Path) -> bool {
    // cargo reports canonical paths; the start may be reached through a symlink.
    let start = std::fs::canonicalize(start).unwrap_or_else(|_| start.to_path_buf());
    metadata.workspace_root.as_std_path().join("Cargo.toml") == start
        || metadata
            .workspace_packages()
            .iter()
            .any(|p| p.manifest_path.as_std_path() == start)
}

/// Whether a recorded stat cannot vouch for the record: an unknown mtime, or one at or
/// after `started_ns` minus the racy slack. Racy by mtime: a write sets mtime and ctime
/// alike, and a later write within the same tick is what the rule guards against (ctime is
/// compared for equality).
fn any_racy(record: &Record) -> bool {
    let racy_after = record
        .started_ns
        .saturating_sub(crate::engine::RACY_SLACK_NS);
    record
        .stats
        .iter()
        .any(|(_, s)| s.is_some_and(|s| s.mtime_ns == 0 || s.mtime_ns >= racy_after))
}

fn still_valid(record: &Record) -> bool {
    !any_racy(record)
        && record
            .stats
            .iter()
            .all(|(path, recorded)| stat(path) == *recorded)
        && record.exists.iter().all(|(path, e)| path.exists() == *e)
}

/// Records `metadata` for `question` in its target directory when that directory is
/// predictable and nothing consulted was racy at `started_ns`. Failing to write is silent:
/// the next call simply runs `cargo metadata` again.
pub fn save(question: &Question, cwd: &Path, started_ns: u128, metadata: &Metadata, tool: &str) {
    if !predictable(metadata, cwd) {
        return;
    }
    // Created first, so that creating it does not change a directory the record stats.
    let dir = metadata.target_directory.as_std_path().join("parseltongue");
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let (stat_paths, exist_paths) = consulted_paths(question, metadata);
    let stats = stat_paths
        .into_iter()
        .map(|p| {
            let s = stat(&p);
            (p, s)
        })
        .collect();
    let exists = exist_paths
        .into_iter()
        .map(|p| {
            let e = p.exists();
            (p, e)
        })
        .collect();
    let record = Record {
        question: question.clone(),
        started_ns,
        stats,
        exists,
        metadata: metadata.clone(),
    };
    // The stats were just taken: only their raciness is left to check.
    if any_racy(&record) {
        return;
    }
    if let Ok(bytes) = crate::cache::framing::encode("workspace", tool, "", &record) {
        let _ = crate::cache::framing::write_atomic(&dir.join(FILE_NAME), &bytes);
    }
}
