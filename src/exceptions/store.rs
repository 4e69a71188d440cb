//! [`ExceptionStore`]: exceptions keyed by (node, property), safe to fill from rayon workers.
//!
//! Layout: 16 shards chosen by the node id, each an `RwLock<IndexMap>` from
//! (node, interned property) to the exception, so lookup by (node, property) is one hash
//! probe and all of a node's exceptions live in one shard. Property names and notes are
//! interned once per store. Serialisation writes the entries sorted by (node, property) with
//! their strings, so it is deterministic and round-trips exactly.

use super::model::{Exception, ExceptionKind, ImplRecord, Source};
use crate::graph::NodeId;
use indexmap::{IndexMap, IndexSet};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::{BTreeMap, HashMap};
use std::num::NonZeroU32;
use std::sync::{PoisonError, RwLock, RwLockReadGuard, RwLockWriteGuard};

const SHARDS: usize = 16;

/// An interned string of the store (a property name or a note).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
struct Symbol(NonZeroU32);

/// What a shard holds per key.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Stored {
    exception: Exception,
    note: Option<Symbol>,
}

type Shard = IndexMap<(NodeId, Symbol), Stored>;

/// One exception with its key and strings, as listings return it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The node whose property is overridden (an impl, a method, a type, a module, …).
    pub node: NodeId,
    /// `path::Trait::item` for trait items and methods, the lint name for lint levels,
    /// `A::m & B::m` for two traits competing for a method name.
    pub property: String,
    /// What was overridden, how, and how sure.
    pub exception: Exception,
    /// Free text from the source, e.g. a lint attribute's `reason = "…"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Counts over the store's contents.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct StoreStats {
    /// Exceptions held.
    pub exceptions: usize,
    /// Exceptions per source.
    pub by_source: BTreeMap<Source, usize>,
    /// Exceptions per kind.
    pub by_kind: BTreeMap<ExceptionKind, usize>,
    /// Distinct interned strings (properties and notes).
    pub interned_strings: usize,
    /// Impl records held.
    pub impls: usize,
}

/// The seeds' pattern analysis: how exceptions spread over sources, kinds, confidence and
/// properties.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct PatternAnalysis {
    /// Exceptions per source.
    pub by_source: BTreeMap<Source, usize>,
    /// Exceptions with confidence ≥ 0.9.
    pub high_confidence: usize,
    /// Exceptions with confidence in [0.7, 0.9).
    pub medium_confidence: usize,
    /// Exceptions with confidence < 0.7.
    pub low_confidence: usize,
    /// The ten properties with the most exceptions, most first (ties by name).
    pub top_properties: Vec<(String, usize)>,
}

/// Per trait item with a default: how its implementors treat it (the seeds' pattern
/// learner).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct OverrideStat {
    /// The provided trait item.
    pub item: NodeId,
    /// Impls that define it themselves.
    pub overridden: usize,
    /// Impls that keep the default.
    pub inherited: usize,
    /// Estimated probability that a new implementor overrides it: Laplace's rule of
    /// succession, (overridden + 1) / (overridden + inherited + 2).
    pub override_likelihood: f64,
}

/// Exceptions keyed by (node, property) plus the impl records they were derived from.
/// All methods take `&self`; the store is `Sync` and may be filled from many threads.
pub struct ExceptionStore {
    shards: Box<[RwLock<Shard>]>,
    symbols: RwLock<IndexSet<Box<str>>>,
    impls: RwLock<Vec<ImplRecord>>,
}

fn read<T>(lock: &RwLock<T>) -> RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(PoisonError::into_inner)
}

fn write<T>(lock: &RwLock<T>) -> RwLockWriteGuard<'_, T> {
    lock.write().unwrap_or_else(PoisonError::into_inner)
}

impl Default for ExceptionStore {
    fn default() -> Self {
        ExceptionStore::new()
    }
}

impl ExceptionStore {
    /// An empty store.
    pub fn new() -> ExceptionStore {
        ExceptionStore {
            shards: (0..SHARDS).map(|_| RwLock::new(Shard::default())).collect(),
            symbols: RwLock::new(IndexSet::new()),
            impls: RwLock::new(Vec::new()),
        }
    }

    fn shard(&self, node: NodeId) -> &RwLock<Shard> {
        // Node ids are uniform hashes: their low bits spread nodes evenly.
        &self.shards[(node.as_u128() as usize) % SHARDS]
    }

    fn intern(&self, text: &str) -> Symbol {
        if let Some(s) = self.lookup(text) {
            return s;
        }
        let mut symbols = write(&self.symbols);
        let (index, _) = symbols.insert_full(text.into());
        Symbol(NonZeroU32::new(index as u32 + 1).expect("index + 1 is not zero"))
    }

    fn lookup(&self, text: &str) -> Option<Symbol> {
        read(&self.symbols)
            .get_index_of(text)
            .map(|i| Symbol(NonZeroU32::new(i as u32 + 1).expect("index + 1 is not zero")))
    }

    fn text(&self, symbol: Symbol) -> String {
        read(&self.symbols)
            .get_index(symbol.0.get() as usize - 1)
            .map(|s| s.to_string())
            .unwrap_or_default()
    }

    /// Records `exception` at (`node`, `property`), replacing and returning what was there.
    pub fn add(&self, node: NodeId, property: &str, exception: Exception) -> Option<Exception> {
        self.add_with_note(node, property, exception, None)
    }

    /// [`add`](Self::add) with free text from the source (a lint's `reason = "…"`).
    pub fn add_with_note(
        &self,
        node: NodeId,
        property: &str,
        exception: Exception,
        note: Option<&str>,
    ) -> Option<Exception> {
        let key = (node, self.intern(property));
        let note = note.map(|n| self.intern(n));
        write(self.shard(node))
            .insert(key, Stored { exception, note })
            .map(|s| s.exception)
    }

    /// The exception at (`node`, `property`): one hash probe.
    pub fn get(&self, node: NodeId, property: &str) -> Option<Exception> {
        let symbol = self.lookup(property)?;
        read(self.shard(node))
            .get(&(node, symbol))
            .map(|s| s.exception)
    }

    /// The note recorded with the exception at (`node`, `property`).
    pub fn note(&self, node: NodeId, property: &str) -> Option<String> {
        let symbol = self.lookup(property)?;
        let note = read(self.shard(node)).get(&(node, symbol))?.note?;
        Some(self.text(note))
    }

    /// Removes and returns the exception at (`node`, `property`).
    pub fn remove(&self, node: NodeId, property: &str) -> Option<Exception> {
        let symbol = self.lookup(property)?;
        write(self.shard(node))
            .shift_remove(&(node, symbol))
            .map(|s| s.exception)
    }

    /// Number of exceptions.
    pub fn len(&self) -> usize {
        self.shards.iter().map(|s| read(s).len()).sum()
    }

    /// Whether the store holds no exception.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Every exception matching `keep`, sorted by (node, property).
    pub fn filter(&self, keep: impl Fn(NodeId, &str, &Exception) -> bool) -> Vec<Entry> {
        let symbols = read(&self.symbols);
        let name = |s: Symbol| symbols[s.0.get() as usize - 1].to_string();
        let mut out = Vec::new();
        for shard in self.shards.iter() {
            for (&(node, property), stored) in read(shard).iter() {
                let prop = &symbols[property.0.get() as usize - 1];
                if keep(node, prop, &stored.exception) {
                    out.push(Entry {
                        node,
                        property: prop.to_string(),
                        exception: stored.exception,
                        note: stored.note.map(name),
                    });
                }
            }
        }
        out.sort_by(|a, b| (a.node, &a.property).cmp(&(b.node, &b.property)));
        out
    }

    /// All exceptions, sorted by (node, property).
    pub fn entries(&self) -> Vec<Entry> {
        self.filter(|_, _, _| true)
    }

    /// The exceptions of one node (one shard is scanned), sorted by property.
    pub fn by_node(&self, node: NodeId) -> Vec<Entry> {
        let symbols = read(&self.symbols);
        let name = |s: Symbol| symbols[s.0.get() as usize - 1].to_string();
        let mut out: Vec<Entry> = read(self.shard(node))
            .iter()
            .filter(|((n, _), _)| *n == node)
            .map(|(&(n, p), s)| Entry {
                node: n,
                property: name(p),
                exception: s.exception,
                note: s.note.map(name),
            })
            .collect();
        out.sort_by(|a, b| a.property.cmp(&b.property));
        out
    }

    /// The exceptions of one property, sorted by node.
    pub fn by_property(&self, property: &str) -> Vec<Entry> {
        match self.lookup(property) {
            Some(_) => self.filter(|_, p, _| p == property),
            None => Vec::new(),
        }
    }

    /// The exceptions recorded from `source`.
    pub fn by_source(&self, source: Source) -> Vec<Entry> {
        self.filter(|_, _, e| e.source == source)
    }

    /// The exceptions with confidence at least `min_confidence`.
    pub fn high_confidence(&self, min_confidence: f32) -> Vec<Entry> {
        self.filter(|_, _, e| e.confidence >= min_confidence)
    }

    /// Removes every exception of `node`; returns how many.
    pub fn clear_node(&self, node: NodeId) -> usize {
        let mut shard = write(self.shard(node));
        let before = shard.len();
        shard.retain(|(n, _), _| *n != node);
        before - shard.len()
    }

    /// Removes every exception of `property`; returns how many.
    pub fn clear_property(&self, property: &str) -> usize {
        let Some(symbol) = self.lookup(property) else {
            return 0;
        };
        let mut removed = 0;
        for shard in self.shards.iter() {
            let mut shard = write(shard);
            let before = shard.len();
            shard.retain(|(_, p), _| *p != symbol);
            removed += before - shard.len();
        }
        removed
    }

    /// Empties the store (exceptions, interned strings and impl records).
    pub fn clear(&self) {
        for shard in self.shards.iter() {
            write(shard).clear();
        }
        write(&self.symbols).clear();
        write(&self.impls).clear();
    }

    /// Releases spare capacity: shrinks every table to its contents and drops interned
    /// strings no exception refers to any more (renumbering the rest).
    pub fn compact(&self) {
        let entries = self.entries();
        let impls = std::mem::take(&mut *write(&self.impls));
        self.clear();
        for e in entries {
            self.add_with_note(e.node, &e.property, e.exception, e.note.as_deref());
        }
        for shard in self.shards.iter() {
            write(shard).shrink_to_fit();
        }
        write(&self.symbols).shrink_to_fit();
        let mut impls = impls;
        impls.shrink_to_fit();
        *write(&self.impls) = impls;
    }

    /// Replaces the impl records (sorted by impl node id).
    pub fn set_impls(&self, mut records: Vec<ImplRecord>) {
        records.sort_by_key(|r| r.node);
        *write(&self.impls) = records;
    }

    /// The impl records, sorted by impl node id.
    pub fn impls(&self) -> Vec<ImplRecord> {
        read(&self.impls).clone()
    }

    /// Counts by source and kind.
    pub fn stats(&self) -> StoreStats {
        let mut stats = StoreStats {
            interned_strings: read(&self.symbols).len(),
            impls: read(&self.impls).len(),
            ..StoreStats::default()
        };
        for shard in self.shards.iter() {
            for stored in read(shard).values() {
                stats.exceptions += 1;
                *stats.by_source.entry(stored.exception.source).or_default() += 1;
                *stats.by_kind.entry(stored.exception.kind).or_default() += 1;
            }
        }
        stats
    }

    /// Spread of exceptions over sources, confidence bands and properties.
    pub fn analyze_patterns(&self) -> PatternAnalysis {
        let mut analysis = PatternAnalysis::default();
        let mut per_property: HashMap<String, usize> = HashMap::new();
        for e in self.entries() {
            *analysis.by_source.entry(e.exception.source).or_default() += 1;
            match e.exception.confidence {
                c if c >= 0.9 => analysis.high_confidence += 1,
                c if c >= 0.7 => analysis.medium_confidence += 1,
                _ => analysis.low_confidence += 1,
            }
            *per_property.entry(e.property).or_default() += 1;
        }
        let mut top: Vec<(String, usize)> = per_property.into_iter().collect();
        top.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        top.truncate(10);
        analysis.top_properties = top;
        analysis
    }

    /// Per provided trait item, how many impls override or inherit it, from the impl
    /// records; sorted by item id.
    pub fn override_stats(&self) -> Vec<OverrideStat> {
        let mut counts: BTreeMap<NodeId, (usize, usize)> = BTreeMap::new();
        for r in read(&self.impls).iter() {
            for &i in &r.overridden {
                counts.entry(i).or_default().0 += 1;
            }
            for &i in &r.inherited {
                counts.entry(i).or_default().1 += 1;
            }
        }
        counts
            .into_iter()
            .map(|(item, (o, i))| OverrideStat {
                item,
                overridden: o,
                inherited: i,
                override_likelihood: (o as f64 + 1.0) / ((o + i) as f64 + 2.0),
            })
            .collect()
    }

    /// Marks every exception as [`Source::Imported`], keeping its kind (for stores that
    /// come from a code dump or another tool).
    pub fn mark_imported(&self) {
        for shard in self.shards.iter() {
            for stored in write(shard).values_mut() {
                stored.exception.source = Source::Imported;
            }
        }
    }
}

impl Clone for ExceptionStore {
    fn clone(&self) -> Self {
        let copy = ExceptionStore::new();
        for e in self.entries() {
            copy.add_with_note(e.node, &e.property, e.exception, e.note.as_deref());
        }
        copy.set_impls(self.impls());
        copy
    }
}

impl std::fmt::Debug for ExceptionStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ExceptionStore")
            .field("exceptions", &self.len())
            .field("impls", &read(&self.impls).len())
            .finish()
    }
}

impl PartialEq for ExceptionStore {
    fn eq(&self, other: &Self) -> bool {
        self.entries() == other.entries() && self.impls() == other.impls()
    }
}

/// The serialised form: entries sorted by (node, property), impl records by node.
#[derive(Serialize, Deserialize)]
struct Serialized {
    exceptions: Vec<Entry>,
    impls: Vec<ImplRecord>,
}

impl Serialize for ExceptionStore {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        Serialized {
            exceptions: self.entries(),
            impls: self.impls(),
        }
        .serialize(s)
    }
}

impl<'de> Deserialize<'de> for ExceptionStore {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<ExceptionStore, D::Error> {
        let data = Serialized::deserialize(d)?;
        let store = ExceptionStore::new();
        for e in data.exceptions {
            store.add_with_note(e.node, &e.property, e.exception, e.note.as_deref());
        }
        store.set_impls(data.impls);
        Ok(store)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exceptions::model::{LevelOrigin, Value};
    use crate::lint::{LintLevel, ManifestTable};

    fn id(n: u128) -> NodeId {
        NodeId::from_u128(n.wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835))
    }

    fn item_exception(kind: ExceptionKind, source: Source, confidence: f32) -> Exception {
        Exception::new(
            kind,
            source,
            confidence,
            Value::Item {
                node: id(1),
                body: 7,
            },
            Value::Item {
                node: id(2),
                body: 9,
            },
        )
    }

    #[test]
    fn add_get_remove_by_key_node_property_and_source() {
        let store = ExceptionStore::new();
        let e = item_exception(ExceptionKind::OverriddenDefault, Source::Explicit, 1.0);
        assert_eq!(store.add(id(10), "t::Tr::f", e), None);
        let lint = Exception::new(
            ExceptionKind::LintLevel,
            Source::Explicit,
            1.0,
            Value::Level {
                level: LintLevel::Deny,
                origin: LevelOrigin::Manifest(ManifestTable::Workspace),
            },
            Value::Level {
                level: LintLevel::Allow,
                origin: LevelOrigin::Attribute(id(10)),
            },
        );
        store.add_with_note(id(10), "dead_code", lint, Some("generated code"));
        store.add(
            id(11),
            "t::Tr::f",
            item_exception(ExceptionKind::DerefShadowing, Source::Detected, 0.5),
        );
        assert_eq!(store.len(), 3);
        assert_eq!(store.get(id(10), "t::Tr::f"), Some(e));
        assert_eq!(store.get(id(10), "t::Tr::g"), None);
        assert_eq!(
            store.note(id(10), "dead_code").as_deref(),
            Some("generated code")
        );
        assert_eq!(store.by_node(id(10)).len(), 2);
        assert_eq!(store.by_property("t::Tr::f").len(), 2);
        assert_eq!(store.by_source(Source::Detected).len(), 1);
        assert_eq!(store.high_confidence(0.8).len(), 2);
        assert_eq!(store.stats().by_kind[&ExceptionKind::LintLevel], 1);
        assert_eq!(store.remove(id(10), "t::Tr::f"), Some(e));
        assert_eq!(store.get(id(10), "t::Tr::f"), None);
        assert_eq!(store.clear_property("t::Tr::f"), 1);
        assert_eq!(store.clear_node(id(10)), 1);
        assert!(store.is_empty());
    }

    #[test]
    fn serialisation_round_trips_exactly() {
        let store = ExceptionStore::new();
        for i in 0..200u128 {
            let conf = (i as f32 * 0.37) % 1.0;
            store.add_with_note(
                id(i),
                &format!("p{}", i % 7),
                item_exception(ExceptionKind::RedundantOverride, Source::Promoted, conf),
                (i % 3 == 0).then_some("why"),
            );
        }
        store.set_impls(vec![ImplRecord {
            node: id(3),
            self_type: Some(id(4)),
            trait_node: Some(id(5)),
            confidence: 0.9,
            overridden: vec![id(6)],
            inherited: vec![id(7), id(8)],
            deref_target: None,
        }]);
        let json = serde_json::to_string(&store).unwrap();
        let back: ExceptionStore = serde_json::from_str(&json).unwrap();
        assert!(back == store);
        assert_eq!(serde_json::to_string(&back).unwrap(), json);
        back.compact();
        assert!(back == store);
    }

    #[test]
    fn concurrent_fills_lose_nothing() {
        use rayon::prelude::*;
        let store = ExceptionStore::new();
        (0..4000u128).into_par_iter().for_each(|i| {
            store.add(
                id(i),
                &format!("p{}", i % 50),
                item_exception(ExceptionKind::OverriddenDefault, Source::Explicit, 1.0),
            );
        });
        assert_eq!(store.len(), 4000);
        assert!((0..4000u128).all(|i| store.get(id(i), &format!("p{}", i % 50)).is_some()));
    }

    #[test]
    fn override_stats_use_laplace_rule() {
        let store = ExceptionStore::new();
        store.set_impls(vec![
            ImplRecord {
                node: id(1),
                self_type: None,
                trait_node: Some(id(9)),
                confidence: 1.0,
                overridden: vec![id(20)],
                inherited: vec![id(21)],
                deref_target: None,
            },
            ImplRecord {
                node: id(2),
                self_type: None,
                trait_node: Some(id(9)),
                confidence: 1.0,
                overridden: vec![],
                inherited: vec![id(20), id(21)],
                deref_target: None,
            },
        ]);
        let stats = store.override_stats();
        let s20 = stats.iter().find(|s| s.item == id(20)).unwrap();
        assert_eq!((s20.overridden, s20.inherited), (1, 1));
        assert!((s20.override_likelihood - 0.5).abs() < 1e-12);
        let s21 = stats.iter().find(|s| s.item == id(21)).unwrap();
        assert!((s21.override_likelihood - 0.25).abs() < 1e-12);
    }
}
