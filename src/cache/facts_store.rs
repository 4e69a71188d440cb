//! Per-file facts keyed by content hash: what parsing a given sequence of bytes gave. Keyed
//! by content, not path, so renames, copies and switching branches back and forth cost no
//! parse. The facts are path-independent; diagnostics are re-addressed to the path at hand.

use crate::diagnostics::Diagnostic;
use crate::parse::facts::FileFacts;
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

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
    pub fn for_path(&self, rel: &str) -> Result<FileFacts, Diagnostic> {
        match self {
            Outcome::Parsed(f) => Ok(f.clone()),
            Outcome::Failed(d) => Err(Diagnostic {
                file: rel.to_string(),
                ..d.clone()
            }),
        }
    }
}

/// How many writes an unreferenced content's facts survive (a file renamed out of the
/// module tree and back, a branch switched away and back, costs no parse meanwhile).
pub const KEEP_GENERATIONS: u64 = 16;

/// The store: content hash → outcome, and (content hash, macro digest) → the facts of a
/// re-extraction with other files' `macro_rules!` definitions visible.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FactsStore {
    /// `hash` (32 hex digits) → outcome.
    pub outcomes: BTreeMap<String, Outcome>,
    /// `"<hash>-<macro digest>"` → facts, or `None` when the re-extraction kept the first.
    pub reextracted: BTreeMap<String, Option<FileFacts>>,
    /// Number of times the store was written.
    #[serde(default)]
    pub generation: u64,
    /// `hash` → the last generation an index referenced it.
    #[serde(default)]
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

impl FactsStore {
    /// Starts a new generation in which the hashes in `live` are referenced, and drops the
    /// entries no index referenced for [`KEEP_GENERATIONS`] generations.
    pub fn collect_garbage(&mut self, live: &HashSet<String>) {
        self.generation += 1;
        let generation = self.generation;
        for h in live {
            self.last_used.insert(h.clone(), generation);
        }
        let keep = |h: &str, used: &BTreeMap<String, u64>| {
            used.get(h)
                .is_some_and(|g| generation - g <= KEEP_GENERATIONS)
        };
        let used = std::mem::take(&mut self.last_used);
        self.outcomes.retain(|k, _| keep(k, &used));
        self.reextracted
            .retain(|k, _| k.split('-').next().is_some_and(|h| keep(h, &used)));
        self.last_used = used
            .into_iter()
            .filter(|(_, g)| generation - g <= KEEP_GENERATIONS)
            .collect();
    }
}
