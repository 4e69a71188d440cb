//! Why each file was reused, re-hashed or re-parsed (`build --explain`), and what each
//! phase of a refresh cost (`--timings`).

use serde::Serialize;
use std::time::Duration;

/// What the refresh did with a file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    /// Stat fields equal to the snapshot's: not read.
    Reused,
    /// Read and hashed; facts came from the cache (content already known).
    Rehashed,
    /// Read, hashed and parsed.
    Reparsed,
    /// In the snapshot but no longer part of any module tree.
    Dropped,
}

/// Why, in the vocabulary of cargo's fingerprint log and git's racy-entry rule.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Reason {
    /// Stat fields equal, entry not racy.
    Unchanged,
    /// Not in the snapshot.
    New,
    /// Stat fields differ, content is the same (a touch, a checkout).
    StatChanged,
    /// Content differs from the snapshot's.
    ContentChanged,
    /// Content differs from the snapshot's, its facts do not (a comment, a literal, an
    /// expression naming nothing new): the graph was kept, not linked again.
    FactsUnchanged,
    /// The snapshot marked the entry racy (mtime too close to its scan): content re-checked.
    RacyRecheck,
    /// The stat changed while the file was read; recorded so the next run re-hashes.
    UnstableRead,
    /// `--verify` (or `CI=true`): every file hashed, no stat fast path.
    Verify,
    /// The file disappeared (deleted, renamed, or no longer reached by a `mod`).
    Deleted,
    /// No usable snapshot (the reason): everything rebuilt from the facts cache or parsed.
    SnapshotDiscarded(String),
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Reason::Unchanged => write!(f, "UNCHANGED"),
            Reason::New => write!(f, "NEW"),
            Reason::StatChanged => write!(f, "STAT_CHANGED (content same)"),
            Reason::ContentChanged => write!(f, "CONTENT_CHANGED"),
            Reason::FactsUnchanged => write!(f, "CONTENT_CHANGED (facts same: graph kept)"),
            Reason::RacyRecheck => write!(f, "RACY_RECHECK"),
            Reason::UnstableRead => write!(f, "UNSTABLE_READ"),
            Reason::Verify => write!(f, "VERIFY"),
            Reason::Deleted => write!(f, "DELETED"),
            Reason::SnapshotDiscarded(why) => write!(f, "SNAPSHOT_DISCARDED ({why})"),
        }
    }
}

/// One file's line in `build --explain`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct FileExplain {
    /// Path relative to the workspace root.
    pub path: String,
    /// What was done.
    pub action: Action,
    /// Why.
    pub reason: Reason,
    /// The content does not parse (syntax error, not UTF-8, too deep, unreadable).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub broken: bool,
}

/// Phase times of one refresh. `read`, `hash` and `parse` are summed over worker threads;
/// the rest are wall time. Zero for phases that did not run.
#[derive(Clone, Copy, Debug, Default)]
pub struct Timings {
    /// Waiting for and taking the lock.
    pub lock: Duration,
    /// `stat` of every file the snapshot lists.
    pub stat: Duration,
    /// Reading and hashing files whose stat changed (or all, with `--verify`).
    pub hash: Duration,
    /// Reading and hashing in the parse phase (files not decided by the stat check).
    pub read: Duration,
    /// Parsing and fact extraction.
    pub parse: Duration,
    /// Wall time of the whole read-and-parse phase.
    pub read_parse_wall: Duration,
    /// Module trees, name resolution, exceptions, edges.
    pub link: Duration,
    /// Loading the index, the graph and (when needed) the facts cache.
    pub load: Duration,
    /// Writing the cache files.
    pub write: Duration,
}
