//! The snapshot: the graph as versioned JSON under `<target_dir>/parseltongue/`, written
//! atomically, and the freshness check every command runs before answering. The only module
//! that touches the target directory.

use crate::graph::Graph;
use crate::source::SourceTree;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Identifies our snapshot files.
pub const FORMAT: &str = "cargo-parseltongue-snapshot";
/// Bumped whenever the snapshot's shape or meaning changes; older snapshots are rebuilt.
pub const SCHEMA_VERSION: u32 = 2;
/// File name inside the cache directory.
pub const FILE_NAME: &str = "snapshot.json";

/// Identifies the writer: the package version plus the running executable's length and
/// mtime, so a rebuilt binary never trusts a snapshot an older build of it wrote.
pub fn tool_version() -> String {
    let exe = std::env::current_exe()
        .ok()
        .and_then(|p| std::fs::metadata(p).ok())
        .map(|m| {
            let mtime = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
                .map_or(0, |d| d.as_nanos());
            format!("+{}.{mtime}", m.len())
        })
        .unwrap_or_default();
    format!("{}{exe}", env!("CARGO_PKG_VERSION"))
}

/// The snapshot file: a header and the graph.
#[derive(Debug, Serialize, Deserialize)]
pub struct Snapshot {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema_version: u32,
    /// Version of the tool that wrote it.
    pub tool_version: String,
    /// The workspace metadata fingerprint the graph was built from.
    pub fingerprint: String,
    /// Paths (relative to the workspace root) whose appearance would change the module tree.
    pub probes: Vec<String>,
    /// The graph.
    pub graph: Graph,
}

/// Why a snapshot was not used.
#[derive(Debug, PartialEq, Eq)]
pub enum Stale {
    /// No snapshot yet.
    Missing,
    /// Unreadable, corrupt, foreign or from another schema or tool version (the reason).
    Invalid(String),
    /// Written by another build of the tool.
    Tool,
    /// The workspace's members, targets or dependencies changed.
    Metadata,
    /// This file changed, appeared or disappeared (relative path).
    File(String),
}

impl std::fmt::Display for Stale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Stale::Missing => write!(f, "no snapshot yet"),
            Stale::Invalid(why) => write!(f, "snapshot unusable ({why})"),
            Stale::Tool => write!(f, "written by another build of cargo-parseltongue"),
            Stale::Metadata => write!(f, "workspace metadata changed"),
            Stale::File(p) => write!(f, "{p} changed"),
        }
    }
}

/// Path of the snapshot file in `cache_dir`.
pub fn snapshot_path(cache_dir: &Path) -> PathBuf {
    cache_dir.join(FILE_NAME)
}

/// Loads the snapshot in `cache_dir`.
///
/// # Errors
/// [`Stale::Missing`] if there is none, [`Stale::Invalid`] if it cannot be used.
pub fn load(cache_dir: &Path) -> Result<Snapshot, Stale> {
    let path = snapshot_path(cache_dir);
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Stale::Missing),
        Err(e) => return Err(Stale::Invalid(e.to_string())),
    };
    // One parse of the whole file on the hot path; the header alone is read only to explain
    // why a file that is not a current snapshot failed to parse.
    #[derive(Deserialize)]
    struct Header {
        format: String,
        schema_version: u32,
    }
    let mut snapshot: Snapshot = match serde_json::from_slice(&bytes) {
        Ok(s) => s,
        Err(e) => {
            let header = serde_json::from_slice::<Header>(&bytes);
            return Err(
                match header.map(|h| check_header(&h.format, h.schema_version)) {
                    Ok(Err(why)) => why,
                    _ => Stale::Invalid(e.to_string()),
                },
            );
        }
    };
    check_header(&snapshot.format, snapshot.schema_version)?;
    if snapshot.tool_version != tool_version() {
        return Err(Stale::Tool);
    }
    snapshot.graph.index();
    Ok(snapshot)
}

/// Rejects files of another format or schema.
fn check_header(format: &str, schema_version: u32) -> Result<(), Stale> {
    if format != FORMAT {
        return Err(Stale::Invalid(format!("not a {FORMAT} file")));
    }
    if schema_version != SCHEMA_VERSION {
        return Err(Stale::Invalid(format!(
            "schema {schema_version}, this tool writes schema {SCHEMA_VERSION}"
        )));
    }
    Ok(())
}

/// Checks that the snapshot still describes the tree: same metadata fingerprint, every file
/// with the same length and mtime, and no missing `mod` candidate created since.
///
/// # Errors
/// The first reason found why it does not.
pub fn check_fresh(
    snapshot: &Snapshot,
    fingerprint: &str,
    root: &Path,
    source: &dyn SourceTree,
) -> Result<(), Stale> {
    if snapshot.fingerprint != fingerprint {
        return Err(Stale::Metadata);
    }
    for f in &snapshot.graph.files {
        match source.stat(&root.join(&f.path)) {
            Some(s) if s.len == f.len && s.mtime_ns == f.mtime_ns => {}
            _ => return Err(Stale::File(f.path.clone())),
        }
    }
    for p in &snapshot.probes {
        if source.is_file(&root.join(p)) {
            return Err(Stale::File(p.clone()));
        }
    }
    Ok(())
}

/// Writes the snapshot atomically: a temporary file in `cache_dir`, flushed and synced, then
/// renamed over the old one, so readers never see a torn file.
///
/// # Errors
/// Any I/O error creating the directory or writing the file.
pub fn save(cache_dir: &Path, snapshot: &Snapshot) -> std::io::Result<()> {
    std::fs::create_dir_all(cache_dir)?;
    let mut tmp = tempfile::NamedTempFile::new_in(cache_dir)?;
    {
        let mut w = std::io::BufWriter::new(tmp.as_file_mut());
        serde_json::to_writer(&mut w, snapshot)?;
        w.flush()?;
    }
    tmp.as_file().sync_all()?;
    tmp.persist(snapshot_path(cache_dir)).map_err(|e| e.error)?;
    Ok(())
}
