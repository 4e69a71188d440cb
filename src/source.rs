//! Where source text comes from: the disk, or an in-memory tree (code dumps, tests), and the
//! clock the incremental engine compares modification times against.

use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

/// The stat fields change detection compares, all for equality (never by order): length in
/// bytes, mtime and ctime in nanoseconds since the Unix epoch, and the inode number. A field
/// the platform does not give is 0; an mtime of 0 is never trusted (the file is re-hashed).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FileStat {
    /// Length in bytes.
    pub len: u64,
    /// mtime, ns since the epoch (0 if unknown).
    pub mtime_ns: u128,
    /// ctime (inode change time), ns since the epoch; 0 where the platform has none.
    #[serde(default)]
    pub ctime_ns: u128,
    /// Inode number; 0 where the platform has none.
    #[serde(default)]
    pub ino: u64,
}

impl FileStat {
    /// The stat fields of `meta` (length; mtime and ctime in ns since the epoch, 0 when
    /// unknown; inode, 0 where the platform has none).
    pub fn of(meta: &std::fs::Metadata) -> FileStat {
        #[cfg(unix)]
        let (ctime_ns, ino) = {
            use std::os::unix::fs::MetadataExt;
            let ctime = (meta.ctime().max(0) as u128) * 1_000_000_000 + meta.ctime_nsec() as u128;
            (ctime, meta.ino())
        };
        #[cfg(not(unix))]
        let (ctime_ns, ino) = (0, 0);
        FileStat {
            len: meta.len(),
            mtime_ns: nanos(meta.modified()),
            ctime_ns,
            ino,
        }
    }

    /// Whether the stat can vouch for unchanged content: a known mtime.
    pub fn is_trustworthy(&self) -> bool {
        self.mtime_ns != 0
    }

    /// Git's racy-entry rule: an unknown mtime, or an mtime or ctime at or after
    /// `racy_after_ns` (the scan start minus a slack), cannot vouch for the content, because
    /// a later write within the same timestamp tick would leave the stat unchanged.
    pub fn is_racy(&self, racy_after_ns: u128) -> bool {
        !self.is_trustworthy() || self.mtime_ns.max(self.ctime_ns) >= racy_after_ns
    }
}

/// Read access to a tree of source files, addressed by absolute paths, and its clock.
pub trait SourceTree: Sync {
    /// The file's bytes.
    ///
    /// # Errors
    /// Any I/O error from the underlying store (not found, permission denied).
    fn read(&self, path: &Path) -> io::Result<Vec<u8>>;
    /// Stat fields, or `None` if the path is not a regular file (following symlinks).
    fn stat(&self, path: &Path) -> Option<FileStat>;
    /// The path with symlinks resolved, used to parse a file reached twice only once.
    fn canonical(&self, path: &Path) -> PathBuf;
    /// Whether `path` exists and its last component is not a symlink, so that its canonical
    /// path is its directory's joined with its name (see [`CanonicalDirs`]). `false` when
    /// unknown, which makes [`CanonicalDirs`] resolve the whole path.
    fn is_plain_entry(&self, _path: &Path) -> bool {
        false
    }
    /// Whether `path` is a regular file (following symlinks).
    fn is_file(&self, path: &Path) -> bool {
        self.stat(path).is_some()
    }
    /// The current time on this tree's clock, ns since the Unix epoch: the scan start that
    /// mtimes are compared against (git's racy-entry rule).
    fn now_ns(&self) -> u128 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos())
    }
}

/// The real file system. Reading a FIFO or a device is refused (it could block forever).
#[derive(Clone, Copy, Debug, Default)]
pub struct DiskSource;

fn nanos(t: io::Result<SystemTime>) -> u128 {
    t.ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos())
}

impl SourceTree for DiskSource {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        if !std::fs::metadata(path)?.is_file() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidInput,
                "not a regular file",
            ));
        }
        std::fs::read(path)
    }

    fn stat(&self, path: &Path) -> Option<FileStat> {
        let meta = std::fs::metadata(path).ok()?;
        if !meta.is_file() {
            return None;
        }
        Some(FileStat::of(&meta))
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
    }

    fn is_plain_entry(&self, path: &Path) -> bool {
        std::fs::symlink_metadata(path).is_ok_and(|m| !m.file_type().is_symlink())
    }
}

/// A [`SourceTree`] that resolves each directory's canonical path once: a file that is not a
/// symlink itself costs one `lstat`, not one per component of its path (a walk of tokio's 736
/// files spent 40 ms in `realpath`). Lives for one walk; the directories it remembers may
/// not be re-pointed meanwhile.
pub struct CanonicalDirs<'a> {
    inner: &'a dyn SourceTree,
    dirs: std::sync::Mutex<std::collections::HashMap<PathBuf, PathBuf>>,
}

impl<'a> CanonicalDirs<'a> {
    /// `inner` with a memo of canonical directories.
    pub fn new(inner: &'a dyn SourceTree) -> Self {
        CanonicalDirs {
            inner,
            dirs: std::sync::Mutex::default(),
        }
    }
}

impl SourceTree for CanonicalDirs<'_> {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        self.inner.read(path)
    }

    fn stat(&self, path: &Path) -> Option<FileStat> {
        self.inner.stat(path)
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        let (Some(dir), Some(name)) = (path.parent(), path.file_name()) else {
            return self.inner.canonical(path);
        };
        if dir.as_os_str().is_empty() || !self.inner.is_plain_entry(path) {
            return self.inner.canonical(path);
        }
        let known = self
            .dirs
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .get(dir)
            .cloned();
        let dir_canonical = known.unwrap_or_else(|| {
            let c = self.inner.canonical(dir);
            self.dirs
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .insert(dir.to_path_buf(), c.clone());
            c
        });
        dir_canonical.join(name)
    }

    fn is_plain_entry(&self, path: &Path) -> bool {
        self.inner.is_plain_entry(path)
    }

    fn now_ns(&self) -> u128 {
        self.inner.now_ns()
    }
}

/// An in-memory tree: absolute path → contents. Every file reports an mtime of 0 (unknown),
/// so the incremental engine always hashes it.
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
            ..FileStat::default()
        })
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        path.to_path_buf()
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn canonical_dirs_agree_with_realpath_through_symlinks() {
        let tmp = tempfile::tempdir().unwrap();
        let root = tmp.path();
        std::fs::create_dir_all(root.join("real/sub")).unwrap();
        std::fs::write(root.join("real/sub/a.rs"), "").unwrap();
        std::fs::write(root.join("real/b.rs"), "").unwrap();
        std::os::unix::fs::symlink(root.join("real"), root.join("linked")).unwrap();
        std::os::unix::fs::symlink(root.join("real/b.rs"), root.join("real/sub/c.rs")).unwrap();
        let memo = CanonicalDirs::new(&DiskSource);
        for p in [
            "real/sub/a.rs",
            "linked/sub/a.rs",
            "linked/sub/../b.rs",
            "real/sub/c.rs",
            "linked/sub/c.rs",
            "linked/missing.rs",
            "real/sub/.",
            "linked",
        ] {
            let path = root.join(p);
            // Twice: the second answer comes from the memo.
            for _ in 0..2 {
                assert_eq!(memo.canonical(&path), DiskSource.canonical(&path), "{p}");
            }
        }
    }
}
