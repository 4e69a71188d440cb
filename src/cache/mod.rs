//! The snapshot under `<target dir>/parseltongue/`: four framed JSON files ([`framing`])
//! and the facts shards, the only module that touches that directory. File names carry
//! [`SCHEMA_VERSION`] (`-v<schema>`).
//!
//! - `snapshot-v<schema>.json`, the [`Index`]: one [`FileEntry`] per source file (stat fields,
//!   content hash, racy flag, last good hash), the `mod` probes, and the digest of the graph
//!   it belongs to. Small; read on every call.
//! - `graph-v<schema>.json`: the linked [`Graph`], read when the index says nothing changed
//!   or the edited files' facts are unchanged.
//! - `macros-v<schema>.json` ([`MacroViewsFile`]): the macros each file calling another
//!   file's macros was extracted again with by the link that wrote the graph (its digest
//!   inside), read only to compare an edited caller's facts.
//! - `facts-v<schema>/<content hash>.json`, the [`FactsStore`]'s shards: one file's facts
//!   each, keyed by content hash, read only when something changed;
//!   `facts-v<schema>.json`, their generation table (when each content was last used).
//!
//! Writes go facts → graph → macro views → index, each an atomic rename (shards in place,
//! checksummed); a reader that finds an index whose graph digest does not match the graph
//! file (or the macro views file) rebuilds (or links again).

pub mod facts_store;
pub mod framing;
pub mod graph_file;
pub mod lock;

pub use facts_store::{FactsStore, Generations, Outcome};
pub use framing::{Expect, Rejected, SCHEMA_VERSION};

use crate::graph::Graph;
use crate::source::FileStat;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Identifies the writer: the package version plus the running executable's length and
/// mtime, so a rebuilt binary (another parser, another extractor) never trusts files an
/// older build of it wrote.
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

/// The cache files of one cache directory.
#[derive(Clone, Debug)]
pub struct Paths {
    /// The directory, `<target dir>/parseltongue`.
    pub dir: PathBuf,
}

impl Paths {
    /// The files in `dir`.
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }
    /// The index file.
    pub fn index(&self) -> PathBuf {
        self.dir.join(format!("snapshot-v{SCHEMA_VERSION}.json"))
    }
    /// The graph file.
    pub fn graph(&self) -> PathBuf {
        self.dir.join(format!("graph-v{SCHEMA_VERSION}.json"))
    }
    /// The facts cache's generation table.
    pub fn facts(&self) -> PathBuf {
        self.dir.join(format!("facts-v{SCHEMA_VERSION}.json"))
    }
    /// The directory of the facts cache's shards.
    pub fn facts_shards(&self) -> PathBuf {
        self.dir.join(format!("facts-v{SCHEMA_VERSION}"))
    }
    /// The macro views of the last link ([`MacroViewsFile`]).
    pub fn macro_views(&self) -> PathBuf {
        self.dir.join(format!("macros-v{SCHEMA_VERSION}.json"))
    }
}

/// What the snapshot knows about one source file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileEntry {
    /// Path relative to the workspace root, `/`-separated.
    pub path: String,
    /// Stat fields taken before the read; an mtime of 0 marks an entry whose stat changed
    /// during the read (never trusted, re-hashed next time).
    pub stat: FileStat,
    /// xxh3-128 of the bytes the facts came from, 32 hex digits.
    pub hash: String,
    /// The mtime was too close to the scan start to vouch for the content (git's racy
    /// entry): the next run re-hashes the file whatever its stat says.
    pub racy: bool,
    /// Whether the content parsed.
    pub parsed: bool,
    /// For a file that does not parse: the hash of its last content that did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_good: Option<String>,
}

/// The index: what the snapshot was built from.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Index {
    /// One entry per file read, in path order.
    pub files: Vec<FileEntry>,
    /// Paths (relative to the workspace root) whose appearance would change the module tree.
    pub probes: Vec<String>,
    /// Checksum of the body of the graph file written with this index.
    pub graph_digest: String,
    /// Scan start of the run that wrote it, ns since the epoch.
    pub scan_start_ns: u128,
    /// Whether the graph holds the last good facts of files that do not parse now.
    pub stale_facts: bool,
}

/// Whether `path` (from a snapshot) is a workspace-relative, `/`-separated path that stays
/// inside the root: not empty, not absolute, no `..` or empty component. A backslash is a
/// separator on Windows only; elsewhere it is a character cargo and rustc accept in names.
pub fn is_relative_inside(path: &str) -> bool {
    is_indexable(path, &[])
}

/// [`is_relative_inside`], or a path under one of `outside`: the directories, as
/// [`crate::parse::relative`] writes them (`../shared`), of crate roots cargo placed outside
/// the workspace root (`[lib] path = "../shared/lib.rs"`); below such a prefix the path
/// must be plain again (no `..`).
pub fn is_indexable(path: &str, outside: &[String]) -> bool {
    if is_plain_relative(path) {
        return true;
    }
    outside
        .iter()
        .filter(|dir| !dir.is_empty() && *dir != "/")
        .any(|dir| {
            path.strip_prefix(dir.as_str())
                .and_then(|rest| rest.strip_prefix('/'))
                .is_some_and(is_plain_relative)
        })
}

fn is_plain_relative(path: &str) -> bool {
    !(path.is_empty()
        || path.starts_with('/')
        || path.contains('\0')
        || (cfg!(windows) && (path.contains('\\') || path.contains(':')))
        || path.split('/').any(|c| c == ".." || c.is_empty()))
}

impl Index {
    /// Semantic checks beyond the checksum: relative paths without `..`, no duplicates,
    /// hashes of 32 hex digits.
    ///
    /// # Errors
    /// The first problem found.
    pub fn validate(&self) -> Result<(), String> {
        self.validate_with(&[])
    }

    /// [`Index::validate`], accepting paths under `outside` (see [`is_indexable`]).
    ///
    /// # Errors
    /// The first problem found.
    pub fn validate_with(&self, outside: &[String]) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for f in self.files.iter().map(|f| &f.path).chain(&self.probes) {
            if !is_indexable(f, outside) {
                return Err(format!("bad path {f:?}"));
            }
        }
        for f in &self.files {
            if !seen.insert(&f.path) {
                return Err(format!("duplicate path {:?}", f.path));
            }
            for h in std::iter::once(&f.hash).chain(&f.last_good) {
                if h.len() != 32 || !h.bytes().all(|b| b.is_ascii_hexdigit()) {
                    return Err(format!("bad hash for {:?}", f.path));
                }
            }
        }
        Ok(())
    }
}

/// Reads the index in `paths`, checked against `expect` and [`Index::validate`].
///
/// # Errors
/// [`Rejected`] with the reason it cannot be used.
pub fn load_index(paths: &Paths, tool: &str, config: &str) -> Result<Index, Rejected> {
    load_index_with(paths, tool, config, &[])
}

/// [`load_index`], accepting files under the `outside` directories (crate roots cargo
/// placed outside the workspace root; see [`is_indexable`]).
///
/// # Errors
/// [`Rejected`] with the reason it cannot be used.
pub fn load_index_with(
    paths: &Paths,
    tool: &str,
    config: &str,
    outside: &[String],
) -> Result<Index, Rejected> {
    let expect = Expect {
        kind: "index",
        tool,
        config,
    };
    let (_, index): (_, Index) = framing::read(&paths.index(), expect)?;
    index.validate_with(outside).map_err(Rejected::Invalid)?;
    Ok(index)
}

/// Reads the graph file and checks it is the one `index` was written with.
///
/// # Errors
/// [`Rejected`] when it is missing, damaged or belongs to another index.
pub fn load_graph(
    paths: &Paths,
    index: &Index,
    tool: &str,
    config: &str,
) -> Result<Graph, Rejected> {
    load_graph_with(paths, index, tool, config, &[])
}

/// [`load_graph`], accepting files under the `outside` directories (see [`is_indexable`]).
///
/// # Errors
/// [`Rejected`] when it is missing, damaged, fails validation or belongs to another index.
pub fn load_graph_with(
    paths: &Paths,
    index: &Index,
    tool: &str,
    config: &str,
    outside: &[String],
) -> Result<Graph, Rejected> {
    let expect = Expect {
        kind: "graph",
        tool,
        config,
    };
    let bytes = match std::fs::read(paths.graph()) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(Rejected::Invalid("the graph file is missing".into()));
        }
        Err(e) => return Err(Rejected::Invalid(format!("could not read the graph: {e}"))),
    };
    let (header, body) = framing::check(&bytes, expect)?;
    if header.body_xxh3 != index.graph_digest {
        return Err(Rejected::Invalid(
            "the graph file belongs to another index".into(),
        ));
    }
    let graph = graph_file::from_slice(body)
        .map_err(|e| Rejected::Invalid(format!("graph does not decode: {e}")))?;
    graph
        .validate_with(outside)
        .map_err(|e| Rejected::Invalid(format!("graph fails validation: {e}")))?;
    Ok(graph)
}

/// Opens the facts cache (its contents do not depend on the configuration): the generation
/// table, and the shards, read as files ask for them.
///
/// # Errors
/// [`Rejected`] with the reason the generation table cannot be used; the shards stay
/// usable through [`facts_without_table`].
pub fn load_facts(paths: &Paths, tool: &str) -> Result<FactsStore, Rejected> {
    let expect = Expect {
        kind: "facts",
        tool,
        config: "",
    };
    framing::read::<Generations>(&paths.facts(), expect)
        .map(|(_, g)| FactsStore::on_disk(paths.facts_shards(), tool, g))
}

/// The facts cache's shards with a fresh generation table (the table was missing or
/// damaged; each shard validates itself).
pub fn facts_without_table(paths: &Paths, tool: &str) -> FactsStore {
    FactsStore::on_disk(paths.facts_shards(), tool, Generations::default())
}

/// Writes the shards `store` gained, removes those no longer kept, then writes the
/// generation table atomically; `live` are the content hashes the new index references.
///
/// # Errors
/// Why it could not be written (serialisation or I/O), as text for a warning.
pub fn save_facts(
    paths: &Paths,
    tool: &str,
    store: &mut FactsStore,
    live: &std::collections::HashSet<String>,
) -> Result<(), String> {
    store.save(&paths.facts_shards(), tool, live)?;
    let bytes =
        framing::encode("facts", tool, "", &store.generations).map_err(|e| e.to_string())?;
    framing::write_atomic(&paths.facts(), &bytes).map_err(|e| e.to_string())
}

/// Writes the graph file atomically; returns the body digest the index records.
///
/// # Errors
/// Why it could not be written, as text for a warning.
pub fn save_graph(
    paths: &Paths,
    tool: &str,
    config: &str,
    graph: &Graph,
) -> Result<String, String> {
    let body = graph_file::to_vec(graph).map_err(|e| e.to_string())?;
    let digest = framing::digest(&body);
    let head =
        framing::header_line("graph", tool, config, &body, &digest).map_err(|e| e.to_string())?;
    framing::write_atomic_parts(&paths.graph(), &[&head, &body]).map_err(|e| e.to_string())?;
    Ok(digest)
}

/// The macros-views file's body: the macros each file calling another file's macros was
/// extracted again with in the link that wrote the graph with digest `graph_digest`.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct MacroViewsFile {
    /// The body digest of the graph file written by the same link.
    pub graph_digest: String,
    /// The views.
    pub views: crate::parse::MacroViews,
}

/// Writes the macro views file atomically (after the graph it names, before the index).
///
/// # Errors
/// Why it could not be written, as text for a warning.
pub fn save_macro_views(
    paths: &Paths,
    tool: &str,
    config: &str,
    file: &MacroViewsFile,
) -> Result<(), String> {
    let bytes = framing::encode("macros", tool, config, file).map_err(|e| e.to_string())?;
    framing::write_atomic(&paths.macro_views(), &bytes).map_err(|e| e.to_string())
}

/// The macro views of the link that wrote the graph with digest `graph_digest`; `None` when
/// the file is missing, damaged or from another link.
pub fn load_macro_views(
    paths: &Paths,
    tool: &str,
    config: &str,
    graph_digest: &str,
) -> Option<crate::parse::MacroViews> {
    let expect = Expect {
        kind: "macros",
        tool,
        config,
    };
    let (_, file): (_, MacroViewsFile) = framing::read(&paths.macro_views(), expect).ok()?;
    (file.graph_digest == graph_digest).then_some(file.views)
}

/// Writes the index atomically (last, after the files it points at).
///
/// # Errors
/// Why it could not be written, as text for a warning.
pub fn save_index(paths: &Paths, tool: &str, config: &str, index: &Index) -> Result<(), String> {
    let bytes = framing::encode("index", tool, config, index).map_err(|e| e.to_string())?;
    framing::write_atomic(&paths.index(), &bytes).map_err(|e| e.to_string())
}
