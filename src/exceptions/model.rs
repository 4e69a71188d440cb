//! The records of the exception store: what was overridden, how, and how sure we are.

use crate::graph::NodeId;
use crate::lint::{LintLevel, ManifestTable};
use serde::{Deserialize, Serialize};

/// What kind of local override an exception records.
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum ExceptionKind {
    /// An impl defines an item for which its trait provides a default.
    OverriddenDefault,
    /// An override whose body is token for token the default's: it could be deleted.
    RedundantOverride,
    /// An inherent method with the name of a method of a trait the type implements; the
    /// inherent one wins at `x.m()`.
    InherentShadowsTrait,
    /// Two traits implemented by one type provide a method of the same name; `x.m()` is
    /// ambiguous where both are in scope.
    AmbiguousTraitMethods,
    /// A type that derefs to `U` defines a method `U` also has; auto-deref never reaches `U`'s.
    DerefShadowing,
    /// A lint attribute that changes the level inherited from an enclosing scope or Cargo.toml.
    LintLevel,
}

impl ExceptionKind {
    /// snake_case name used in JSON and human output.
    pub fn as_str(self) -> &'static str {
        match self {
            ExceptionKind::OverriddenDefault => "overridden_default",
            ExceptionKind::RedundantOverride => "redundant_override",
            ExceptionKind::InherentShadowsTrait => "inherent_shadows_trait",
            ExceptionKind::AmbiguousTraitMethods => "ambiguous_trait_methods",
            ExceptionKind::DerefShadowing => "deref_shadowing",
            ExceptionKind::LintLevel => "lint_level",
        }
    }

    /// Whether a person would act on it (delete a redundant override, rename a shadowing
    /// method, …); `false` for overridden defaults, which are how traits are meant to be
    /// used.
    pub fn is_finding(self) -> bool {
        self != ExceptionKind::OverriddenDefault
    }

    /// The order `exceptions` lists kinds in: findings first, by how surely they call for a
    /// change, routine overridden defaults last.
    pub fn listing_rank(self) -> u8 {
        match self {
            ExceptionKind::RedundantOverride => 0,
            ExceptionKind::InherentShadowsTrait => 1,
            ExceptionKind::AmbiguousTraitMethods => 2,
            ExceptionKind::DerefShadowing => 3,
            ExceptionKind::LintLevel => 4,
            ExceptionKind::OverriddenDefault => 5,
        }
    }

    /// A one-line explanation of the kind, used as the reason when no better one is known.
    pub fn describe(self) -> &'static str {
        match self {
            ExceptionKind::OverriddenDefault => "the impl overrides the trait's default",
            ExceptionKind::RedundantOverride => {
                "the override is token for token the default; deleting it changes nothing"
            }
            ExceptionKind::InherentShadowsTrait => {
                "the inherent method wins over the trait's at `x.m()`"
            }
            ExceptionKind::AmbiguousTraitMethods => {
                "both traits provide the method; `x.m()` is ambiguous where both are in scope"
            }
            ExceptionKind::DerefShadowing => {
                "the method hides the deref target's method of the same name"
            }
            ExceptionKind::LintLevel => "a local attribute changes the inherited lint level",
        }
    }
}

/// How an exception came to be recorded (the seeds' taxonomy).
#[derive(
    Clone,
    Copy,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum Source {
    /// Written in the source: an override, a lint attribute.
    Explicit,
    /// Inferred by analysis, with confidence below 1 (deref shadowing).
    Detected,
    /// An override that could be promoted back to the default (redundant override).
    Promoted,
    /// Two definitions compete for one name (shadowing, ambiguity).
    Conflict,
    /// Read from a code dump or another tool's file; the kind is kept.
    Imported,
}

impl Source {
    /// snake_case name used in JSON and human output.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Explicit => "explicit",
            Source::Detected => "detected",
            Source::Promoted => "promoted",
            Source::Conflict => "conflict",
            Source::Imported => "imported",
        }
    }
}

/// Where an inherited lint level was set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelOrigin {
    /// An attribute on this node (an enclosing module or item, or the crate root).
    Attribute(NodeId),
    /// A Cargo.toml lints table.
    Manifest(ManifestTable),
}

/// One side of an exception: the inherited or the actual value of the property.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Value {
    /// An item of the graph: a trait's default, an override, a method. `body` is the token
    /// fingerprint of its body ([`token_fingerprint`](crate::parse::fingerprint)), 0 when it
    /// has none or is unknown; its signature and span are the node's.
    Item {
        /// The item.
        node: NodeId,
        /// Body fingerprint, 0 if none; serialised as 16 hex digits (JSON numbers lose
        /// precision above 2^53).
        #[serde(with = "hex_u64")]
        body: u64,
    },
    /// A lint level and where it was set.
    Level {
        /// The level.
        level: LintLevel,
        /// Where it was set.
        origin: LevelOrigin,
    },
    /// rustc's built-in level for the lint (nothing in the workspace sets it).
    DefaultLevel,
}

/// One exception: at (node, property) the actual value differs from the inherited one.
/// The key is held by the store; this is the value. Compact on purpose (no strings: the
/// property and the note are interned by the store) so a store of 10 000 exceptions stays
/// under 200 bytes per exception.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exception {
    /// What was overridden.
    pub kind: ExceptionKind,
    /// How it was recorded.
    pub source: Source,
    /// 0.0–1.0: how sure the detector is (1.0 for exactly resolved overrides).
    pub confidence: f32,
    /// What the node would have without the local override.
    pub inherited: Value,
    /// What the node has.
    pub actual: Value,
    /// Seconds since the Unix epoch when the exception was recorded (serialisable, unlike
    /// `Instant`).
    pub recorded_at: u64,
}

impl Exception {
    /// An exception recorded now, `confidence` clamped to 0.0–1.0 (NaN becomes 0.0).
    pub fn new(
        kind: ExceptionKind,
        source: Source,
        confidence: f32,
        inherited: Value,
        actual: Value,
    ) -> Exception {
        Exception {
            kind,
            source,
            confidence: if confidence.is_nan() {
                0.0
            } else {
                confidence.clamp(0.0, 1.0)
            },
            inherited,
            actual,
            recorded_at: now_secs(),
        }
    }

    /// Whether the confidence is at least 0.8 (the seeds' "high confidence").
    pub fn is_high_confidence(&self) -> bool {
        self.confidence >= 0.8
    }
}

/// Seconds since the Unix epoch (0 if the clock is before it).
pub fn now_secs() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0)
}

/// How one impl of a trait treats the trait's provided (default) items, and its self type;
/// kept for every impl, inherent ones included, so queries can find a type's impls.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImplRecord {
    /// The impl node.
    pub node: NodeId,
    /// The self type's node, when it is a workspace type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub self_type: Option<NodeId>,
    /// The implemented trait (workspace or external node); `None` for inherent impls.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trait_node: Option<NodeId>,
    /// 0.0–1.0: how sure the resolver is of `trait_node`.
    pub confidence: f32,
    /// Provided trait items the impl defines itself.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overridden: Vec<NodeId>,
    /// Provided trait items the impl keeps.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inherited: Vec<NodeId>,
    /// For `impl Deref for T { type Target = U; }` with `U` in the workspace: `U`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deref_target: Option<NodeId>,
}

/// `u64` as 16 lowercase hex digits.
mod hex_u64 {
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(value: &u64, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format!("{value:016x}"))
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        u64::from_str_radix(&text, 16).map_err(serde::de::Error::custom)
    }
}
