//! Where source text comes from: the disk, or an in-memory map (code dumps, tests).

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

/// File metadata used for change detection: length in bytes and modification time in
/// nanoseconds since the Unix epoch (0 where the platform gives none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileStat {
    /// Length in bytes.
    pub len: u64,
    /// mtime, ns since the epoch.
    pub mtime_ns: u128,
}

/// Read access to a tree of source files, addressed by absolute paths.
pub trait SourceTree: Sync {
    /// The file's bytes.
    ///
    /// # Errors
    /// Any I/O error from the underlying store (not found, permission denied).
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// Length and mtime, or `None` if the path is not a file.
    fn stat(&self, path: &Path) -> Option<FileStat>;
    /// The path with symlinks resolved, used to parse a file reached twice only once.
    fn canonical(&self, path: &Path) -> PathBuf;
    /// Whether `path` is a regular file (following symlinks).
    fn is_file(&self, path: &Path) -> bool {
        self.stat(path).is_some()
    }
}

/// The real file system.
#[derive(Clone, Copy, Debug, Default)]
pub struct DiskSource;

impl SourceTree for DiskSource {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        std::fs::read(path)
    }

    fn stat(&self, path: &Path) -> Option<FileStat> {
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        let mtime_ns = meta
            .modified()
            .ok()
            .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        Some(FileStat {
            len: meta.len(),
            mtime_ns,
        })
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    }
}

/// An in-memory tree: absolute path → contents. mtimes are 0.
#[derive(Clone, Debug, Default)]
pub struct MemorySource {
    /// The files.
    pub files: BTreeMap<PathBuf, Vec<u8>>,
}

impl SourceTree for MemorySource {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.files
            .get(path)
            .cloned()
            .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "no such file in the dump"))
    }

    fn stat(&self, path: &Path) -> Option<FileStat> {
        self.files.get(path).map(|b| FileStat {
            len: b.len() as u64,
            mtime_ns: 0,
        })
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }
}
