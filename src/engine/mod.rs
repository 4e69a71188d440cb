//! The incremental refresh every command runs before answering: the graph as fresh as the
//! files on disk, at the cost of a `stat` per file when nothing changed.
//!
//! 1. Lock `<cache dir>/.lock` ([`crate::cache::lock`]), load the index.
//! 2. Stat every file the index lists; a file whose stat does not vouch for it (changed,
//!    racy, untrusted) is read and hashed. Same hashes everywhere and no `mod` probe
//!    created → the graph file is the answer ([`check_unchanged`]). Edited files whose facts
//!    are their old contents' → the graph file is still the answer (`edits.rs`).
//! 3. Otherwise walk the module trees again with an [`IncrementalLoader`]: facts come from
//!    the facts cache by content hash, and only new content is parsed. The link step (module
//!    trees, names, exceptions, edges) runs over all facts, so the result equals a cold
//!    build.
//! 4. Write facts, graph, macro views, index (each atomically), unless another run holds
//!    the lock.

mod edits;
pub mod explain;
pub mod loader;
mod progress;
pub use progress::{Phase, Progress};

use crate::cache::{self, FactsStore, FileEntry, Index, Paths, Rejected};
use crate::graph::Graph;
use crate::graph::build::{self, CrateInput};
use crate::source::SourceTree;
use crate::workspace::Workspace;
pub use edits::MAX_COMPARED_EDITS;
use edits::{Where, keep_graph};
use explain::{Action, FileExplain, Reason, Timings};
use loader::{
    IncrementalLoader, LoaderOptions, Reread, UNREADABLE_HASH, reread, reread_reason, stat_vouches,
};
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// An mtime this close to the scan start (or later) does not vouch for the content: covers
/// file systems with 1 s and 2 s timestamps and the kernel's cached clock. In nanoseconds.
pub const RACY_SLACK_NS: u128 = 2_000_000_000;

/// How to refresh.
#[derive(Clone, Debug)]
pub struct Options {
    /// Ignore the snapshot and the facts cache: parse everything (`build --rebuild`).
    pub force: bool,
    /// Answer from the snapshot as it is, without looking at the files (`--frozen`).
    pub frozen: bool,
    /// Hash every file instead of trusting equal stat fields (`--verify`, `CI=true`).
    pub verify: bool,
    /// Keep the last good facts of files that do not parse now, marked stale.
    pub stale_facts: bool,
    /// How long to wait for another invocation's lock before going on without writing.
    pub lock_timeout: Duration,
    /// Counters the refresh advances as it loads files, for a progress display.
    pub progress: Option<std::sync::Arc<Progress>>,
    /// The graph digest ([`Refresh::graph_digest`]) of a graph the caller holds from an
    /// earlier refresh (a long-lived session). When the snapshot is unchanged and still has
    /// that digest, the graph file is not read: the returned graph is empty and
    /// [`Refresh::kept_held`] says to keep the held one.
    pub held_digest: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            force: false,
            frozen: false,
            verify: false,
            stale_facts: true,
            lock_timeout: Duration::from_secs(60),
            progress: None,
            held_digest: None,
        }
    }
}

/// What a refresh is over: the workspace's crates and where its cache lives.
#[derive(Clone, Copy, Debug)]
pub struct Inputs<'a> {
    /// Workspace root (absolute).
    pub root: &'a Path,
    /// The crates to index.
    pub crates: &'a [CrateInput],
    /// Fingerprint of everything besides file contents the graph depends on (members,
    /// targets, dependencies, lints); a different one discards the snapshot.
    pub config: &'a str,
    /// The cache directory.
    pub cache_dir: &'a Path,
}

/// How the graph was obtained and what it cost.
#[derive(Debug, Default)]
pub struct Refresh {
    /// `None` when the snapshot was fresh; otherwise why the graph was linked again.
    pub rebuilt_because: Option<String>,
    /// Per file: reused, re-hashed or re-parsed, and why (path order).
    pub explain: Vec<FileExplain>,
    /// Files parsed (first extractions).
    pub parses: usize,
    /// Files extracted again with other files' macros visible.
    pub reextractions: usize,
    /// Phase times.
    pub timings: Timings,
    /// Warnings for the user (snapshot ignored, could not be written).
    pub warnings: Vec<String>,
    /// Whether cache files were written.
    pub wrote: bool,
    /// The digest of the graph the snapshot now holds (`None` when no snapshot was read or
    /// written): pass it back as [`Options::held_digest`] to skip reading an unchanged graph.
    pub graph_digest: Option<String>,
    /// The snapshot is unchanged and its graph is the one [`Options::held_digest`] names:
    /// the returned graph is empty; keep the held one.
    pub kept_held: bool,
}

/// `--frozen` found nothing to answer from.
#[derive(Debug, thiserror::Error)]
#[error("--frozen: no usable snapshot in {dir} ({why}); run once without --frozen to create it")]
pub struct NoSnapshot {
    /// The cache directory.
    pub dir: PathBuf,
    /// Why the snapshot could not be used.
    pub why: String,
}

/// [`refresh_inputs`] for a loaded workspace.
///
/// # Errors
/// [`NoSnapshot`] with `--frozen` when there is no usable snapshot.
pub fn refresh(
    ws: &Workspace,
    source: &dyn SourceTree,
    options: Options,
    waiting: &mut dyn FnMut(),
) -> Result<(Graph, Refresh), NoSnapshot> {
    let dir = ws.cache_dir();
    let inputs = Inputs {
        root: &ws.root,
        crates: &ws.crates,
        config: &ws.fingerprint,
        cache_dir: &dir,
    };
    refresh_inputs(&inputs, source, options, waiting)
}

/// Returns a graph that reflects the files in `source` now, refreshing the snapshot in
/// `inputs.cache_dir`. `waiting` is called once if another invocation holds the lock.
/// Cache problems (corrupt files, read-only directory) are warnings in
/// [`Refresh::warnings`], never errors: the answer is the same as a cold build's.
///
/// # Errors
/// [`NoSnapshot`] with `options.frozen` when there is no usable snapshot.
pub fn refresh_inputs(
    inputs: &Inputs<'_>,
    source: &dyn SourceTree,
    options: Options,
    waiting: &mut dyn FnMut(),
) -> Result<(Graph, Refresh), NoSnapshot> {
    let mut info = Refresh::default();
    let paths = Paths::new(inputs.cache_dir);
    // Directories of crate roots cargo placed outside the workspace root, as the snapshot
    // names them (`../shared`).
    let outside: Vec<String> = inputs
        .crates
        .iter()
        .filter_map(|c| c.root_file.parent())
        .map(|d| crate::parse::relative(inputs.root, d))
        .filter(|d| d == ".." || d.starts_with("../") || (d.starts_with('/') && d.len() > 1))
        .collect();
    let tool = cache::tool_version();
    let config = inputs.config;

    let start = Instant::now();
    let lock = cache::lock::acquire(&paths.dir, options.lock_timeout, waiting);
    if let cache::lock::Locked::TimedOut = lock {
        info.warnings.push(format!(
            "gave up waiting for the lock on {} after {:.0?}; answering without the cache",
            paths.dir.display(),
            options.lock_timeout
        ));
    }
    if let cache::lock::Locked::Unavailable(why) = &lock {
        info.warnings.push(format!(
            "could not take the lock on {} ({why}); another invocation may write at the same time",
            paths.dir.display()
        ));
    }
    if matches!(lock, cache::lock::Locked::Held(_)) {
        cache::framing::remove_leftovers(&paths.dir);
        cache::framing::remove_leftovers(&paths.facts_shards());
    }
    info.timings.lock = start.elapsed();
    // Without the lock held for the whole run, a concurrent writer may be mid-way: read
    // nothing (a cold but correct answer) and write nothing.
    let use_cache = lock.may_write() && !options.force;

    let start = Instant::now();
    let index = if use_cache || options.frozen {
        match cache::load_index_with(&paths, &tool, config, &outside) {
            Ok(i) => Some(i),
            Err(why) => {
                if options.frozen {
                    return Err(NoSnapshot {
                        dir: paths.dir.clone(),
                        why: why.to_string(),
                    });
                }
                if let Rejected::Invalid(reason) = &why {
                    info.warnings
                        .push(format!("ignoring snapshot ({reason}); rebuilding"));
                }
                info.rebuilt_because = Some(match why {
                    Rejected::Missing => "no snapshot yet".into(),
                    Rejected::Invalid(reason) => format!("snapshot unusable: {reason}"),
                });
                None
            }
        }
    } else {
        info.rebuilt_because = Some(if options.force {
            "a rebuild was requested".into()
        } else {
            "the cache is locked by another run".into()
        });
        None
    };
    info.timings.load = start.elapsed();

    let scan_start = source.now_ns();
    let racy_after_ns = scan_start.saturating_sub(RACY_SLACK_NS);

    // A clock that went backwards makes every recorded timestamp suspect: hash everything.
    let mut options = options;
    if index.as_ref().is_some_and(|i| scan_start < i.scan_start_ns) {
        options.verify = true;
    }
    // The facts store and the parses of edited files' check, reused when the graph is linked.
    let mut store_early: Option<FactsStore> = None;
    let mut parsed_early = Vec::new();
    if let Some(index) = &index {
        if options.frozen {
            let start = Instant::now();
            let graph =
                cache::load_graph_with(&paths, index, &tool, config, &outside).map_err(|why| {
                    NoSnapshot {
                        dir: paths.dir.clone(),
                        why: why.to_string(),
                    }
                })?;
            info.timings.load += start.elapsed();
            return Ok((graph, info));
        }
        let checked = if index.stale_facts == options.stale_facts {
            check_unchanged(
                index,
                inputs.root,
                source,
                racy_after_ns,
                options.verify,
                &mut info,
            )
        } else {
            Err("the stale-facts setting changed".to_string())
        };
        // Edited files whose facts stay the same keep the graph: their new contents' facts
        // are cached, the index records them, and nothing is linked again.
        let unchanged = match checked {
            Ok(c) if c.edited.is_empty() => Ok(c.changed.then_some(c.files)),
            Ok(c) => {
                let store = store_early.insert(load_store(&paths, &tool, &mut info));
                let at = Where {
                    paths: &paths,
                    tool: &tool,
                    config,
                    root: inputs.root,
                    source,
                };
                keep_graph(store, index, c, &at, &mut info)
                    .map(Some)
                    .map_err(|(why, parsed)| {
                        parsed_early = parsed;
                        why
                    })
            }
            Err(why) => Err(why),
        };
        match unchanged {
            Ok(updated) => {
                let start = Instant::now();
                info.graph_digest = Some(index.graph_digest.clone());
                let held = options.held_digest.as_deref() == Some(index.graph_digest.as_str());
                let loaded = if held {
                    info.kept_held = true;
                    Ok(Graph::default())
                } else {
                    cache::load_graph_with(&paths, index, &tool, config, &outside)
                };
                match loaded {
                    Ok(graph) => {
                        info.timings.load += start.elapsed();
                        if let Some(files) = updated
                            && lock.may_write()
                        {
                            let index = Index {
                                files,
                                probes: index.probes.clone(),
                                graph_digest: index.graph_digest.clone(),
                                scan_start_ns: scan_start,
                                stale_facts: index.stale_facts,
                            };
                            write_index(&paths, &tool, config, &index, &mut info);
                        }
                        return Ok((graph, info));
                    }
                    Err(why) => {
                        info.timings.load += start.elapsed();
                        info.graph_digest = None;
                        info.warnings
                            .push(format!("ignoring snapshot ({why}); rebuilding"));
                        info.rebuilt_because = Some(format!("snapshot unusable: {why}"));
                    }
                }
            }
            Err(why) => info.rebuilt_because = Some(why),
        }
    }

    // Something changed: link again from cached and fresh facts.
    let store = match store_early {
        Some(store) => store,
        None if use_cache => load_store(&paths, &tool, &mut info),
        None => FactsStore::default(),
    };
    let prev: &[FileEntry] = index.as_ref().map_or(&[], |i| &i.files);
    if let Some(p) = &options.progress {
        p.expect(prev.len());
    }
    let loader = IncrementalLoader::new(
        prev,
        &store,
        LoaderOptions {
            racy_after_ns,
            verify: options.verify,
            stale_facts: options.stale_facts,
        },
    )
    .with_progress(options.progress.clone())
    .with_parsed(parsed_early);
    let mut out = build::build_with(source, inputs.root, inputs.crates, &loader);
    if let Some(p) = &options.progress {
        p.enter(Phase::Writing);
    }
    info.timings.read += out.timings.read;
    info.timings.parse += out.timings.parse;
    info.timings.read_parse_wall += out.timings.read_parse_wall;
    info.timings.link += out.timings.resolve;
    let loader::Finished {
        loaded,
        reextracted,
        parses,
        reextractions,
    } = loader.finish();
    info.parses = parses;
    info.reextractions = reextractions;

    let mut files: Vec<FileEntry> = Vec::with_capacity(loaded.len());
    let mut explain = Vec::with_capacity(loaded.len());
    let mut fresh: Vec<(String, cache::Outcome)> = Vec::new();
    for l in loaded {
        files.push(l.entry);
        explain.push(l.explain);
        fresh.extend(l.new_outcome);
    }
    files.sort_by(|a, b| a.path.cmp(&b.path));
    let current: HashSet<&str> = files.iter().map(|f| f.path.as_str()).collect();
    for gone in prev.iter().filter(|p| !current.contains(p.path.as_str())) {
        explain.push(FileExplain {
            path: gone.path.clone(),
            action: Action::Dropped,
            reason: Reason::Deleted,
            broken: false,
        });
    }
    if index.is_none()
        && let Some(why) = &info.rebuilt_because
    {
        for e in explain.iter_mut().filter(|e| e.reason == Reason::New) {
            e.reason = Reason::SnapshotDiscarded(why.clone());
        }
    }
    explain.sort();
    info.explain = explain;

    if lock.may_write() {
        let start = Instant::now();
        let mut store = store;
        let live: HashSet<String> = files
            .iter()
            .flat_map(|f| std::iter::once(f.hash.clone()).chain(f.last_good.clone()))
            .filter(|h| h != UNREADABLE_HASH)
            .collect();
        // The facts file is rewritten only when it gains entries or the index references
        // a content it has not marked as used yet (a file renamed back, say).
        let g = &store.generations;
        let facts_changed = !fresh.is_empty()
            || !reextracted.is_empty()
            || live
                .iter()
                .any(|h| g.last_used.get(h) != Some(&g.generation));
        store.outcomes.extend(fresh);
        store.reextracted.extend(reextracted);
        let macro_views = std::mem::take(&mut out.macro_views);
        let written = (|| -> Result<String, String> {
            if facts_changed {
                cache::save_facts(&paths, &tool, &mut store, &live)?;
            }
            let graph_digest = cache::save_graph(&paths, &tool, config, &out.graph)?;
            let views = cache::MacroViewsFile {
                graph_digest,
                views: macro_views,
            };
            cache::save_macro_views(&paths, &tool, config, &views)?;
            Ok(views.graph_digest)
        })();
        build::drop_in_background(store);
        info.timings.write = start.elapsed();
        match written {
            Ok(graph_digest) => {
                info.graph_digest = Some(graph_digest.clone());
                let index = Index {
                    files,
                    probes: out.probes.clone(),
                    graph_digest,
                    scan_start_ns: scan_start,
                    stale_facts: options.stale_facts,
                };
                write_index(&paths, &tool, config, &index, &mut info);
            }
            Err(e) => info.warnings.push(write_warning(&paths, &e)),
        }
    }
    drop(lock);
    Ok((out.graph, info))
}

/// The facts cache (its generation table; shards are read on demand), or an empty table
/// over the shards with a warning when the table is damaged. Adds to the load timing.
fn load_store(paths: &Paths, tool: &str, info: &mut Refresh) -> FactsStore {
    let start = Instant::now();
    let store = match cache::load_facts(paths, tool) {
        Ok(s) => s,
        Err(Rejected::Missing) => cache::facts_without_table(paths, tool),
        Err(Rejected::Invalid(why)) => {
            info.warnings.push(format!(
                "ignoring the facts cache's generation table ({why}); starting it over"
            ));
            cache::facts_without_table(paths, tool)
        }
    };
    info.timings.load += start.elapsed();
    store
}

fn write_warning(paths: &Paths, e: &str) -> String {
    format!(
        "could not write the snapshot to {}: {e}; answers stay correct but the next call starts over",
        paths.dir.display()
    )
}

fn write_index(paths: &Paths, tool: &str, config: &str, index: &Index, info: &mut Refresh) {
    let start = Instant::now();
    match cache::save_index(paths, tool, config, index) {
        Ok(()) => info.wrote = true,
        Err(e) => info.warnings.push(write_warning(paths, &e)),
    }
    info.timings.write += start.elapsed();
}

/// What [`check_unchanged`] found.
#[derive(Debug)]
pub struct Checked {
    /// One entry per file the index lists, in its order, as the file is now: stat fields,
    /// racy mark and, for an edited file, the new content's hash.
    pub files: Vec<FileEntry>,
    /// Whether any entry differs from the index's (the index is to be rewritten).
    pub changed: bool,
    /// The files whose content differs from the index's: position in `files` and what was
    /// read. Empty when every content is the same.
    pub edited: Vec<(usize, Reread)>,
}

/// Checks the files `index` lists against the disk: equal stat fields (and no racy mark)
/// reuse an entry without reading; otherwise the file is hashed, and a different content is
/// listed in [`Checked::edited`]. No `mod` probe may exist. Fills `info.explain` (edited
/// files as re-parsed for a changed content) and the stat/hash timings.
///
/// # Errors
/// Why the graph must be linked again without looking at facts: the first file deleted, or
/// a `mod` probe created.
pub fn check_unchanged(
    index: &Index,
    root: &Path,
    source: &dyn SourceTree,
    racy_after_ns: u128,
    verify: bool,
    info: &mut Refresh,
) -> Result<Checked, String> {
    let start = Instant::now();
    let stats: Vec<_> = index
        .files
        .iter()
        .map(|e| source.stat(&root.join(&e.path)))
        .collect();
    info.timings.stat += start.elapsed();
    let racy = |s: &crate::source::FileStat| s.is_racy(racy_after_ns);
    let start = Instant::now();
    let mut files = Vec::with_capacity(index.files.len());
    let mut explain = Vec::new();
    let mut changed = false;
    let mut edited = Vec::new();
    for (e, st) in index.files.iter().zip(stats) {
        if stat_vouches(e, st.as_ref(), verify) {
            let st = st.expect("vouching stat");
            let r = racy(&st);
            changed |= r != e.racy;
            files.push(FileEntry {
                racy: r,
                ..e.clone()
            });
            explain.push(FileExplain {
                path: e.path.clone(),
                action: Action::Reused,
                reason: Reason::Unchanged,
                broken: !e.parsed,
            });
            continue;
        }
        let path = root.join(&e.path);
        if st.is_none() {
            info.timings.hash += start.elapsed();
            return Err(format!("{} was deleted", e.path));
        }
        let read = reread(source, &path, st);
        let reason = reread_reason(Some(e), &read, verify);
        let stat = read.stat;
        let entry = FileEntry {
            stat,
            racy: racy(&stat),
            hash: read.key.clone(),
            ..e.clone()
        };
        changed |= entry != *e;
        let content_changed = read.key != e.hash;
        explain.push(FileExplain {
            path: e.path.clone(),
            action: if content_changed {
                Action::Reparsed
            } else {
                Action::Rehashed
            },
            reason,
            broken: !e.parsed,
        });
        if content_changed {
            edited.push((files.len(), read));
        }
        files.push(entry);
    }
    info.timings.hash += start.elapsed();
    if let Some(p) = index.probes.iter().find(|p| source.is_file(&root.join(p))) {
        return Err(format!("{p} was created"));
    }
    info.explain = explain;
    Ok(Checked {
        files,
        changed,
        edited,
    })
}
