//! The graph as it was on the old side of a change: the workspace's files with each changed
//! file at its old content (an added file absent, a deleted one present), linked like any
//! graph. A removed or renamed item exists only there; its dependents there are the items
//! whose references named it, and they no longer compile. Facts of unchanged contents come
//! from the snapshot's facts cache (keyed by content hash), so only the old sides are parsed.

use crate::cache::facts_store::{self, FactsStore};
use crate::graph::Graph;
use crate::parse::facts::FileFacts;
use crate::parse::{self, FileLoader, FileOutcome, Reextract};
use crate::source::{DiskSource, FileStat, SourceTree};
use crate::workspace::Workspace;
use std::collections::HashMap;
use std::io;
use std::path::{Path, PathBuf};

/// The disk with some files replaced: `Some(text)` is a file's old content, `None` a file
/// that did not exist on the old side.
struct Overlay {
    files: HashMap<PathBuf, Option<Vec<u8>>>,
}

impl SourceTree for Overlay {
    fn read(&self, path: &Path) -> io::Result<Vec<u8>> {
        match self.files.get(path) {
            Some(Some(bytes)) => Ok(bytes.clone()),
            Some(None) => Err(io::Error::new(
                io::ErrorKind::NotFound,
                "not on the old side",
            )),
            None => DiskSource.read(path),
        }
    }

    fn stat(&self, path: &Path) -> Option<FileStat> {
        match self.files.get(path) {
            Some(Some(bytes)) => Some(FileStat {
                len: bytes.len() as u64,
                ..FileStat::default()
            }),
            Some(None) => None,
            None => DiskSource.stat(path),
        }
    }

    fn canonical(&self, path: &Path) -> PathBuf {
        match self.files.get(path) {
            Some(_) => path.to_path_buf(),
            None => DiskSource.canonical(path),
        }
    }
}

/// Facts from the snapshot's facts cache by content hash, else parsed.
struct CachedFacts<'a> {
    store: &'a FactsStore,
}

impl FileLoader for CachedFacts<'_> {
    fn load(&self, source: &dyn SourceTree, path: &Path, rel: &str) -> FileOutcome {
        parse::file::load_timed(source, path, |bytes, hash| {
            let cached = bytes
                .is_ok()
                .then(|| self.store.outcome(&facts_store::key(hash)))
                .flatten();
            match cached {
                Some(outcome) => outcome.for_path(rel),
                None => parse::parse_bytes(bytes, rel),
            }
        })
    }

    fn reextract(&self, source: &dyn SourceTree, request: &Reextract<'_>) -> Option<FileFacts> {
        let key = facts_store::reextract_key(request.hash, request.macros_key);
        match self.store.reextraction(&key) {
            Some(facts) => facts,
            None => parse::reextract_file(source, request).flatten(),
        }
    }
}

/// The graph of `ws` with the files of `old` (workspace-relative paths) at their old
/// content (`None`: absent on the old side). Uses the facts cache under the target
/// directory when it is readable; never writes.
pub fn old_graph(ws: &Workspace, old: &HashMap<String, Option<String>>) -> Graph {
    let overlay = Overlay {
        files: old
            .iter()
            .map(|(rel, text)| {
                let bytes = text.as_ref().map(|t| t.clone().into_bytes());
                (ws.root.join(rel), bytes)
            })
            .collect(),
    };
    let paths = crate::cache::Paths::new(ws.cache_dir());
    let tool = crate::cache::tool_version();
    let store = crate::cache::load_facts(&paths, &tool)
        .unwrap_or_else(|_| crate::cache::facts_without_table(&paths, &tool));
    let loader = CachedFacts { store: &store };
    crate::graph::build::build_with(&overlay, &ws.root, &ws.crates, &loader).graph
}
