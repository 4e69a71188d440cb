//! Per-file facts keyed by content hash: what parsing a given sequence of bytes gave. Keyed
//! by content, not path, so renames, copies and switching branches back and forth cost no
//! parse. The facts are path-independent; diagnostics are re-addressed to the path at hand.
//! One shard file per entry ([`FactsStore`]).

use crate::diagnostics::Diagnostic;
use crate::parse::facts::FileFacts;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

/// What parsing one content gave.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// The facts.
    Parsed(FileFacts),
    /// Why there are none (syntax error, not UTF-8, too deep), as a diagnostic whose `file`
    /// is the path it was first seen at.
    Failed(Diagnostic),
}

impl Outcome {
    /// The facts, or the diagnostic addressed to `rel`.
    pub fn for_path(self, rel: &str) -> Result<FileFacts, Diagnostic> {
        match self {
            Outcome::Parsed(f) => Ok(f),
            Outcome::Failed(d) => Err(Diagnostic {
                file: rel.to_string(),
                ..d
            }),
        }
    }
}

/// How many writes an unreferenced content's facts survive (a file renamed out of the
/// module tree and back, a branch switched away and back, costs no parse meanwhile).
pub const KEEP_GENERATIONS: u64 = 16;

/// The store: content hash → outcome, and (content hash, macro digest) → the facts of a
/// re-extraction with other files' `macro_rules!` definitions visible.
///
/// On disk each entry is a shard of its own, `<shard dir>/<key>.json`, framed like the other
/// cache files with the key as its configuration, so a shard copied under another name is
/// rejected. A shard is read when a file asks for it (from the loader's threads, in
/// parallel), and only the entries this run added are written: a one-file edit writes one
/// or two shards plus the small generation table ([`Generations`]), not every file's facts.
/// A missing, torn or foreign shard is a miss: that file is parsed again.
#[derive(Clone, Debug, Default)]
pub struct FactsStore {
    /// Where the shards are; `None` for a store that only holds what was added in memory.
    shards: Option<PathBuf>,
    /// The tool identity shards must carry.
    tool: String,
    /// Outcomes added in this run (by content hash), written by [`FactsStore::save`].
    pub outcomes: BTreeMap<String, Outcome>,
    /// Re-extractions added in this run, `"<hash>-<macro digest>"` → facts, or `None` when
    /// the re-extraction kept the first.
    pub reextracted: BTreeMap<String, Option<FileFacts>>,
    /// The generation table.
    pub generations: Generations,
}

/// When each content was last referenced, by write generation: the small file written on
/// every relink, which garbage collection reads.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Generations {
    /// Number of times the store was written.
    pub generation: u64,
    /// `hash` → the last generation an index referenced it.
    pub last_used: BTreeMap<String, u64>,
}

/// A content hash as the store's key.
pub fn key(hash: u128) -> String {
    format!("{hash:032x}")
}

/// The key of a re-extraction.
pub fn reextract_key(hash: u128, macros: u128) -> String {
    format!("{hash:032x}-{macros:032x}")
}

/// Whether `name` is a shard file name: `<32 hex>.json` or `<32 hex>-<32 hex>.json`. Only
/// such files are ever read or removed in the shard directory.
pub fn is_shard_name(name: &str) -> bool {
    let Some(stem) = name.strip_suffix(".json") else {
        return false;
    };
    let hex = |s: &str| s.len() == 32 && s.bytes().all(|b| b.is_ascii_hexdigit());
    match stem.split_once('-') {
        Some((a, b)) => hex(a) && hex(b),
        None => hex(stem),
    }
}

impl FactsStore {
    /// A store over the shards in `dir` written by `tool`, with its generation table.
    pub fn on_disk(dir: PathBuf, tool: &str, generations: Generations) -> Self {
        Self {
            shards: Some(dir),
            tool: tool.to_string(),
            generations,
            ..Self::default()
        }
    }

    fn read_shard<T: serde::de::DeserializeOwned>(&self, key: &str) -> Option<T> {
        let dir = self.shards.as_ref()?;
        let expect = super::Expect {
            kind: "facts",
            tool: &self.tool,
            config: key,
        };
        super::framing::read(&dir.join(format!("{key}.json")), expect)
            .ok()
            .map(|(_, v)| v)
    }

    /// The outcome of the content with hash `key` (32 hex digits): added in this run, or
    /// read from its shard.
    pub fn outcome(&self, key: &str) -> Option<Outcome> {
        if let Some(o) = self.outcomes.get(key) {
            return Some(o.clone());
        }
        self.read_shard(key)
    }

    /// The re-extraction `key` ([`reextract_key`]): `Some(None)` when it kept the first
    /// extraction; `None` when unknown.
    pub fn reextraction(&self, key: &str) -> Option<Option<FileFacts>> {
        if let Some(f) = self.reextracted.get(key) {
            return Some(f.clone());
        }
        self.read_shard(key)
    }

    /// Starts a new generation in which the hashes in `live` are referenced; entries no
    /// index referenced for [`KEEP_GENERATIONS`] generations are dropped from the table.
    /// Returns whether `key`'s content is still kept.
    pub fn collect_garbage(&mut self, live: &HashSet<String>) -> impl Fn(&str) -> bool + use<> {
        let g = &mut self.generations;
        g.generation += 1;
        let generation = g.generation;
        for h in live {
            g.last_used.insert(h.clone(), generation);
        }
        g.last_used
            .retain(|_, used| generation - *used <= KEEP_GENERATIONS);
        self.outcomes
            .retain(|k, _| g.last_used.contains_key(k.as_str()));
        let kept = g.last_used.clone();
        self.reextracted
            .retain(|k, _| k.split('-').next().is_some_and(|h| kept.contains_key(h)));
        move |key: &str| key.split('-').next().is_some_and(|h| kept.contains_key(h))
    }

    /// Writes one outcome's shard now (in place, not synced, like [`FactsStore::save`]),
    /// without starting a generation: for a refresh that keeps the graph and writes no
    /// other cache file but the index. The next [`FactsStore::save`] marks it used, as the
    /// index references it.
    ///
    /// # Errors
    /// The I/O or serialisation error, as text; a store without a shard directory writes
    /// nothing.
    pub fn save_outcome(&self, key: &str, outcome: &Outcome) -> Result<(), String> {
        self.save_shard(key, outcome)
    }

    /// [`FactsStore::save_outcome`] for a re-extraction (`key` from [`reextract_key`]).
    ///
    /// # Errors
    /// As [`FactsStore::save_outcome`].
    pub fn save_reextraction(&self, key: &str, facts: &FileFacts) -> Result<(), String> {
        self.save_shard(key, &Some(facts))
    }

    fn save_shard<T: Serialize>(&self, key: &str, value: &T) -> Result<(), String> {
        let Some(dir) = &self.shards else {
            return Ok(());
        };
        let bytes =
            super::framing::encode("facts", &self.tool, key, value).map_err(|e| e.to_string())?;
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        super::framing::write_checksummed_in_place(&dir.join(format!("{key}.json")), &bytes)
            .map_err(|e| e.to_string())
    }

    /// Starts a new generation ([`FactsStore::collect_garbage`]), writes the entries added
    /// in this run as shards into `dir` (each in place, not synced: a shard torn by a
    /// crash fails its checksum and is re-derived) and removes the shards of contents no
    /// longer kept. The caller writes [`FactsStore::generations`] afterwards.
    ///
    /// # Errors
    /// The first I/O or serialisation error, as text.
    pub fn save(&mut self, dir: &Path, tool: &str, live: &HashSet<String>) -> Result<(), String> {
        let kept = self.collect_garbage(live);
        std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
        // A cold build writes one shard per file: encoded in parallel and written from one
        // thread as they come (creating files in one directory from several threads makes
        // them spin on its lock; a bounded queue keeps few encoded shards in memory).
        use rayon::prelude::*;
        let outcomes = self
            .outcomes
            .par_iter()
            .map(|(k, o)| (k, super::framing::encode("facts", tool, k, o)));
        let reextracted = self
            .reextracted
            .par_iter()
            .map(|(k, f)| (k, super::framing::encode("facts", tool, k, f)));
        std::thread::scope(|scope| {
            let (queue, encoded) = std::sync::mpsc::sync_channel(32);
            let writer = scope.spawn(move || -> Result<(), String> {
                for (key, bytes) in encoded {
                    let bytes: Vec<u8> = serde_json::Result::map_err(bytes, |e| e.to_string())?;
                    let path = dir.join(format!("{key}.json"));
                    super::framing::write_checksummed_in_place(&path, &bytes)
                        .map_err(|e| e.to_string())?;
                }
                Ok(())
            });
            // A writer that stopped on an error drops the queue: sends fail, encoding goes on.
            outcomes
                .chain(reextracted)
                .for_each_with(queue, |queue, shard| {
                    let _ = queue.send(shard);
                });
            writer
                .join()
                .unwrap_or_else(|_| Err("the shard writer panicked".into()))
        })?;
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let name = e.file_name();
                let name = name.to_string_lossy();
                if is_shard_name(&name) && !kept(name.trim_end_matches(".json")) {
                    let _ = std::fs::remove_file(e.path());
                }
            }
        }
        self.shards = Some(dir.to_path_buf());
        self.tool = tool.to_string();
        Ok(())
    }
}
