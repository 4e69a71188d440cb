//! Lint levels as rustc knows them, and where a level is set.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A lint level, in rustc's order from most to least permissive.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LintLevel {
    /// `allow`
    Allow,
    /// `expect`: allowed, and rustc warns when the lint does not fire.
    Expect,
    /// `warn`
    Warn,
    /// `deny`
    Deny,
    /// `forbid`: deny, and no inner scope may lower it (rustc rejects the attempt, E0453).
    Forbid,
}

impl LintLevel {
    /// Parses an attribute name or a Cargo.toml level (`"allow"`, `"forbid"`, …).
    pub fn parse(text: &str) -> Option<LintLevel> {
        Some(match text {
            "allow" => LintLevel::Allow,
            "expect" => LintLevel::Expect,
            "warn" => LintLevel::Warn,
            "deny" => LintLevel::Deny,
            "forbid" => LintLevel::Forbid,
            _ => return None,
        })
    }

    /// The attribute name (`allow`, …).
    pub fn as_str(self) -> &'static str {
        match self {
            LintLevel::Allow => "allow",
            LintLevel::Expect => "expect",
            LintLevel::Warn => "warn",
            LintLevel::Deny => "deny",
            LintLevel::Forbid => "forbid",
        }
    }
}

impl fmt::Display for LintLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which Cargo.toml table set a level.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ManifestTable {
    /// The package's own `[lints]`.
    Package,
    /// `[workspace.lints]`, reached through `[lints] workspace = true`.
    Workspace,
}

impl ManifestTable {
    /// The table as written in Cargo.toml.
    pub fn as_str(self) -> &'static str {
        match self {
            ManifestTable::Package => "Cargo.toml [lints]",
            ManifestTable::Workspace => "Cargo.toml [workspace.lints]",
        }
    }
}

/// A level set for one lint in a package's manifest.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManifestLint {
    /// Lint name as rustc spells it: `unsafe_code`, `clippy::unwrap_used`,
    /// `rustdoc::broken_intra_doc_links` (Cargo.toml's `[lints.rust]` entries are unprefixed).
    pub lint: String,
    /// The level.
    pub level: LintLevel,
    /// The table it came from.
    pub table: ManifestTable,
}
