//! Load or refresh: the snapshot if it is fresh, else a rebuild that replaces it.

use crate::cache::{self, Snapshot, Stale};
use crate::graph::Graph;
use crate::graph::build::{self, BuildTimings};
use crate::source::SourceTree;
use crate::workspace::Workspace;
use std::time::{Duration, Instant};

/// How the graph was obtained and what it cost.
#[derive(Debug, Default)]
pub struct Refresh {
    /// `None` when the snapshot was fresh; otherwise why it was rebuilt.
    pub rebuilt_because: Option<String>,
    /// Time to load and check the snapshot.
    pub load: Duration,
    /// Build phase times (zero when not rebuilt).
    pub build: BuildTimings,
    /// Time to write the snapshot.
    pub write: Duration,
    /// Warnings for the user (snapshot unusable, could not be written).
    pub warnings: Vec<String>,
}

/// Returns a graph that reflects the files on disk now: the snapshot if it is fresh,
/// otherwise a full rebuild, saved for next time. `force` rebuilds unconditionally.
/// A snapshot that cannot be written (read-only target directory) is a warning, not an error.
pub fn refresh(ws: &Workspace, source: &dyn SourceTree, force: bool) -> (Graph, Refresh) {
    let mut info = Refresh::default();
    let dir = ws.cache_dir();
    let start = Instant::now();
    let reason = if force {
        "a rebuild was requested".to_string()
    } else {
        match cache::load(&dir)
            .and_then(|s| cache::check_fresh(&s, &ws.fingerprint, &ws.root, source).map(|()| s))
        {
            Ok(snapshot) => {
                info.load = start.elapsed();
                return (snapshot.graph, info);
            }
            Err(why) => {
                if let Stale::Invalid(_) = why {
                    info.warnings.push(format!("{why}; rebuilding it"));
                }
                why.to_string()
            }
        }
    };
    info.load = start.elapsed();
    info.rebuilt_because = Some(reason);
    let out = build::build(source, &ws.root, &ws.crates);
    info.build = out.timings;
    let snapshot = Snapshot {
        format: cache::FORMAT.to_string(),
        schema_version: cache::SCHEMA_VERSION,
        tool_version: cache::tool_version(),
        fingerprint: ws.fingerprint.clone(),
        probes: out.probes,
        graph: out.graph,
    };
    let start = Instant::now();
    if let Err(e) = cache::save(&dir, &snapshot) {
        info.warnings.push(format!(
            "could not write the snapshot to {}: {e}; answers stay correct but every call rebuilds",
            dir.display()
        ));
    }
    info.write = start.elapsed();
    (snapshot.graph, info)
}
