//! The per-file decision of an incremental refresh: stat, then (if the stat does not vouch
//! for the content) read and hash, then (if the content is new) parse. Stat data is a hint,
//! the content hash is the truth; stat fields are compared for equality, never by order.

use super::explain::{Action, FileExplain, Reason};
use crate::cache::FileEntry;
use crate::cache::facts_store::{self, FactsStore, Outcome};
use crate::parse::facts::FileFacts;
use crate::parse::{self, FileLoader, FileOutcome, Reextract};
use crate::source::{FileStat, SourceTree};
use std::collections::HashMap;
use std::path::Path;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// What the loader learnt about one file.
#[derive(Debug)]
pub struct Loaded {
    /// The file's new index entry.
    pub entry: FileEntry,
    /// Why it was reused, re-hashed or re-parsed.
    pub explain: FileExplain,
    /// A fresh parse result to add to the facts cache.
    pub new_outcome: Option<(String, Outcome)>,
}

/// What an [`IncrementalLoader`] did.
#[derive(Debug)]
pub struct Finished {
    /// Per file reached, in no particular order.
    pub loaded: Vec<Loaded>,
    /// Re-extractions to add to the facts cache (key, facts).
    pub reextracted: Vec<(String, Option<FileFacts>)>,
    /// First extractions parsed.
    pub parses: usize,
    /// Re-extractions parsed.
    pub reextractions: usize,
}

/// Settings of one refresh.
#[derive(Clone, Copy, Debug)]
pub struct LoaderOptions {
    /// mtimes at or after this (ns since the epoch) are racy: the scan start minus a slack.
    pub racy_after_ns: u128,
    /// Hash every file (no stat fast path).
    pub verify: bool,
    /// Give a file that does not parse its last good facts (marked stale).
    pub stale_facts: bool,
}

/// A [`FileLoader`] over the previous index and facts cache; records what it did.
pub struct IncrementalLoader<'a> {
    prev: HashMap<&'a str, &'a FileEntry>,
    store: &'a FactsStore,
    options: LoaderOptions,
    loaded: Mutex<Vec<Loaded>>,
    reextracted: Mutex<Vec<(String, Option<FileFacts>)>>,
    parses: Mutex<(usize, usize)>,
    progress: Option<std::sync::Arc<super::Progress>>,
    /// Outcomes of contents this run already parsed (by content hash), used instead of
    /// parsing them again and counted as parses.
    parsed_before: Mutex<HashMap<String, Outcome>>,
}

/// The content hash of an unreadable file's entry (never equal to a real content's).
pub const UNREADABLE_HASH: &str = "00000000000000000000000000000000";

impl<'a> IncrementalLoader<'a> {
    /// A loader that reuses `prev` entries and `store` facts.
    pub fn new(prev: &'a [FileEntry], store: &'a FactsStore, options: LoaderOptions) -> Self {
        Self {
            prev: prev.iter().map(|e| (e.path.as_str(), e)).collect(),
            store,
            options,
            loaded: Mutex::default(),
            reextracted: Mutex::default(),
            parses: Mutex::default(),
            progress: None,
            parsed_before: Mutex::default(),
        }
    }

    /// Uses `outcomes` (content hash → what parsing it gave, earlier in this run) instead of
    /// parsing those contents again.
    pub fn with_parsed(self, outcomes: Vec<(String, Outcome)>) -> Self {
        *self.parsed_before.lock().expect("loader lock") = outcomes.into_iter().collect();
        self
    }

    /// Counts each loaded file on `progress`.
    pub fn with_progress(mut self, progress: Option<std::sync::Arc<super::Progress>>) -> Self {
        self.progress = progress;
        self
    }

    /// What the loader did, once the walk is over.
    pub fn finish(self) -> Finished {
        let (parses, reextractions) = self.parses.into_inner().expect("loader lock");
        Finished {
            loaded: self.loaded.into_inner().expect("loader lock"),
            reextracted: self.reextracted.into_inner().expect("loader lock"),
            parses,
            reextractions,
        }
    }

    fn racy(&self, stat: &FileStat) -> bool {
        stat.is_racy(self.options.racy_after_ns)
    }

    /// The last good facts (by `hash`) for a file whose current `facts` are a failure.
    fn stale_facts(
        &self,
        facts: &Result<FileFacts, crate::diagnostics::Diagnostic>,
        hash: Option<&String>,
    ) -> Option<FileFacts> {
        if facts.is_ok() || !self.options.stale_facts {
            return None;
        }
        match self.store.outcome(hash?)? {
            Outcome::Parsed(f) => Some(f),
            Outcome::Failed(_) => None,
        }
    }

    fn record(&self, loaded: Loaded) {
        if let Some(p) = &self.progress {
            p.file_done();
        }
        self.loaded.lock().expect("loader lock").push(loaded);
    }
}

/// Whether a stat taken now lets the entry be reused without reading the file.
pub fn stat_vouches(entry: &FileEntry, now: Option<&FileStat>, verify: bool) -> bool {
    !verify && !entry.racy && now.is_some_and(|s| s.is_trustworthy() && *s == entry.stat)
}

/// The stat to record for a file stat'ed before (`before`) and after (`after`) its read: the
/// first if both agree, else one with mtime 0, which never vouches for anything.
pub fn stable_stat(before: Option<FileStat>, after: Option<FileStat>) -> (FileStat, bool) {
    match (before, after) {
        (Some(b), Some(a)) if a == b => (b, true),
        (_, a) => (
            FileStat {
                mtime_ns: 0,
                ..a.unwrap_or_default()
            },
            false,
        ),
    }
}

/// A file read and hashed because its stat did not vouch for it.
#[derive(Debug)]
pub struct Reread {
    /// The bytes read (or the error).
    pub bytes: std::io::Result<Vec<u8>>,
    /// The stat to record ([`stable_stat`] of the stats before and after the read).
    pub stat: FileStat,
    /// Whether the stat stayed the same across the read.
    pub stable: bool,
    /// xxh3-128 of the bytes (0 if unreadable).
    pub hash: u128,
    /// The facts cache key: [`facts_store::key`] of the hash, or [`UNREADABLE_HASH`].
    pub key: String,
}

/// Reads and hashes the file at `path`, whose stat before the read was `before`.
pub fn reread(source: &dyn SourceTree, path: &Path, before: Option<FileStat>) -> Reread {
    let bytes = source.read(path);
    let (stat, stable) = stable_stat(before, source.stat(path));
    let hash = bytes.as_ref().map_or(0, |b| parse::content_id(b));
    let key = match &bytes {
        Ok(_) => facts_store::key(hash),
        Err(_) => UNREADABLE_HASH.to_string(),
    };
    Reread {
        bytes,
        stat,
        stable,
        hash,
        key,
    }
}

/// Why a file that had to be read was: new, changed during the read, changed, racy,
/// `--verify`, or only its stat changed.
pub fn reread_reason(prev: Option<&FileEntry>, read: &Reread, verify: bool) -> Reason {
    match prev {
        None => Reason::New,
        Some(_) if !read.stable => Reason::UnstableRead,
        Some(p) if p.hash != read.key => Reason::ContentChanged,
        Some(p) if p.racy => Reason::RacyRecheck,
        Some(_) if verify => Reason::Verify,
        Some(_) => Reason::StatChanged,
    }
}

/// The hash of the last content that parsed, for a file whose content `key` did (`parsed`)
/// or did not parse, given its previous entry.
fn last_good_hash(parsed: bool, prev: Option<&FileEntry>, key: &str) -> Option<String> {
    match (parsed, prev) {
        (true, _) | (false, None) => None,
        (false, Some(p)) if p.parsed && p.hash != key => Some(p.hash.clone()),
        (false, Some(p)) => p.last_good.clone(),
    }
}

impl FileLoader for IncrementalLoader<'_> {
    fn load(&self, source: &dyn SourceTree, path: &Path, rel: &str) -> FileOutcome {
        let start = Instant::now();
        let before = source.stat(path);
        let prev = self.prev.get(rel).copied();

        // Fast path: the stat vouches for the content and its facts are cached.
        if let Some(p) = prev
            && stat_vouches(p, before.as_ref(), self.options.verify)
            && let Some(outcome) = self.store.outcome(&p.hash)
        {
            let stat = before.expect("vouching stat");
            let facts = outcome.for_path(rel);
            let last_good = last_good_hash(facts.is_ok(), Some(p), &p.hash);
            let stale = self.stale_facts(&facts, last_good.as_ref());
            self.record(Loaded {
                entry: FileEntry {
                    racy: self.racy(&stat),
                    parsed: facts.is_ok(),
                    last_good,
                    ..p.clone()
                },
                explain: FileExplain {
                    path: rel.to_string(),
                    action: Action::Reused,
                    reason: Reason::Unchanged,
                    broken: !p.parsed,
                },
                new_outcome: None,
            });
            return FileOutcome {
                hash: u128::from_str_radix(&p.hash, 16).unwrap_or(0),
                facts,
                last_good: stale,
                read: start.elapsed(),
                parse: Duration::ZERO,
            };
        }

        let reread = reread(source, path, before);
        let reason = reread_reason(prev, &reread, self.options.verify);
        let Reread {
            bytes,
            stat,
            hash,
            key,
            ..
        } = reread;
        let read = start.elapsed();
        let start = Instant::now();
        let (facts, action, new_outcome) = match (&bytes, self.store.outcome(&key)) {
            (Ok(_), Some(outcome)) => (outcome.for_path(rel), Action::Rehashed, None),
            _ => {
                // An unreadable file is retried every run; its failure is not content's, and
                // nothing was parsed.
                let is_read = bytes.is_ok();
                let before = is_read
                    .then(|| self.parsed_before.lock().expect("loader lock").remove(&key))
                    .flatten();
                let (facts, outcome) = match before {
                    Some(outcome) => (outcome.clone().for_path(rel), outcome),
                    None => {
                        let facts = parse::parse_bytes(bytes, rel);
                        let outcome = match &facts {
                            Ok(f) => Outcome::Parsed(f.clone()),
                            Err(d) => Outcome::Failed(d.clone()),
                        };
                        (facts, outcome)
                    }
                };
                if is_read {
                    self.parses.lock().expect("loader lock").0 += 1;
                }
                let new = is_read.then(|| (key.clone(), outcome));
                (facts, Action::Reparsed, new)
            }
        };
        let parse = start.elapsed();
        let last_good = last_good_hash(facts.is_ok(), prev, &key);
        let stale = self.stale_facts(&facts, last_good.as_ref());
        self.record(Loaded {
            entry: FileEntry {
                path: rel.to_string(),
                stat,
                hash: key,
                racy: self.racy(&stat),
                parsed: facts.is_ok(),
                last_good,
            },
            explain: FileExplain {
                path: rel.to_string(),
                action,
                reason,
                broken: facts.is_err(),
            },
            new_outcome,
        });
        FileOutcome {
            hash,
            facts,
            last_good: stale,
            read,
            parse,
        }
    }

    fn all_loaded(&self) {
        if let Some(p) = &self.progress {
            p.enter(super::Phase::Linking);
        }
    }

    fn reextract(&self, source: &dyn SourceTree, request: &Reextract<'_>) -> Option<FileFacts> {
        let key = facts_store::reextract_key(request.hash, request.macros_key);
        if let Some(cached) = self.store.reextraction(&key) {
            return cached;
        }
        // `None`: the file changed since its first read; keep the first extraction, and
        // cache nothing for a content that was not read.
        let facts = parse::reextract_file(source, request)?;
        self.parses.lock().expect("loader lock").1 += 1;
        self.reextracted
            .lock()
            .expect("loader lock")
            .push((key, facts.clone()));
        facts
    }
}
