//! Lint levels set in Cargo.toml: a package's `[lints]`, or `[workspace.lints]` when the
//! package says `[lints] workspace = true`.

use crate::lint::{LintLevel, ManifestLint, ManifestTable};
use std::path::Path;

/// The lint levels that apply to every target of the package whose manifest is `manifest`;
/// `workspace_manifest` is the workspace root's Cargo.toml (read only when the package
/// inherits). Entries of `[lints.rust]` are unprefixed, others are `tool::lint`; sorted by
/// lint name.
///
/// # Errors
/// A message naming the file when a manifest cannot be read or is not valid TOML (cargo
/// accepted it, so this means it changed since `cargo metadata` ran).
pub fn read(manifest: &Path, workspace_manifest: &Path) -> Result<Vec<ManifestLint>, String> {
    let package = parse(manifest)?;
    let inherits = package
        .get("lints")
        .and_then(|l| l.get("workspace"))
        .and_then(toml::Value::as_bool)
        == Some(true);
    let root = if inherits {
        Some(parse(workspace_manifest)?)
    } else {
        None
    };
    Ok(lints_of(&package, root.as_ref()))
}

/// The lint levels of a parsed package manifest: its `[lints]`, or with
/// `[lints] workspace = true` the `[workspace.lints]` of `workspace` (none when it is not
/// given). Any table shape is accepted; entries that are not lint levels are left out.
pub fn lints_of(package: &toml::Table, workspace: Option<&toml::Table>) -> Vec<ManifestLint> {
    let Some(lints) = package.get("lints").and_then(toml::Value::as_table) else {
        return Vec::new();
    };
    if lints.get("workspace").and_then(toml::Value::as_bool) == Some(true) {
        let table = workspace
            .and_then(|root| root.get("workspace"))
            .and_then(|w| w.get("lints"))
            .and_then(toml::Value::as_table);
        return table
            .map(|t| levels(t, ManifestTable::Workspace))
            .unwrap_or_default();
    }
    levels(lints, ManifestTable::Package)
}

/// A manifest as a TOML table; errors name the file.
pub(crate) fn parse(path: &Path) -> Result<toml::Table, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("{}: cannot read manifest: {e}", path.display()))?;
    text.parse::<toml::Table>()
        .map_err(|e| format!("{}: invalid TOML: {e}", path.display()))
}

/// `{ rust = { unsafe_code = "forbid" }, clippy = { all = { level = "warn", priority = -1 } } }`
fn levels(table: &toml::Table, source: ManifestTable) -> Vec<ManifestLint> {
    let mut out = Vec::new();
    for (tool, lints) in table {
        let Some(lints) = lints.as_table() else {
            continue;
        };
        for (name, value) in lints {
            let level = match value {
                toml::Value::String(s) => LintLevel::parse(s),
                toml::Value::Table(t) => t
                    .get("level")
                    .and_then(toml::Value::as_str)
                    .and_then(LintLevel::parse),
                _ => None,
            };
            if let Some(level) = level {
                let lint = if tool == "rust" {
                    name.clone()
                } else {
                    format!("{tool}::{name}")
                };
                out.push(ManifestLint {
                    lint,
                    level,
                    table: source,
                });
            }
        }
    }
    out.sort_by(|a, b| a.lint.cmp(&b.lint));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_package_and_inherited_workspace_lints() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("Cargo.toml");
        std::fs::write(
            &root,
            "[workspace]\n[workspace.lints.rust]\nunsafe_code = \"forbid\"\n\
             [workspace.lints.clippy]\nall = { level = \"warn\", priority = -1 }\n",
        )
        .unwrap();
        let member = dir.path().join("member.toml");
        std::fs::write(
            &member,
            "[package]\nname = \"m\"\n[lints]\nworkspace = true\n",
        )
        .unwrap();
        let own = dir.path().join("own.toml");
        std::fs::write(
            &own,
            "[package]\nname = \"o\"\n[lints.rust]\ndead_code = \"allow\"\n",
        )
        .unwrap();
        let got = read(&member, &root).unwrap();
        assert_eq!(
            got.iter()
                .map(|l| (l.lint.as_str(), l.level, l.table))
                .collect::<Vec<_>>(),
            vec![
                ("clippy::all", LintLevel::Warn, ManifestTable::Workspace),
                ("unsafe_code", LintLevel::Forbid, ManifestTable::Workspace),
            ]
        );
        let got = read(&own, &root).unwrap();
        assert_eq!(got[0].lint, "dead_code");
        assert_eq!(got[0].table, ManifestTable::Package);
        assert!(read(&dir.path().join("missing.toml"), &root).is_err());
    }
}
