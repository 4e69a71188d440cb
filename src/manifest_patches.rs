//! Where the workspace's root manifest redirects dependencies: `[patch.<registry>]` entries
//! and `[replace]` entries with a `path`. A multi-crate repository usually has its members
//! depend on each other by version and patches them to their paths; cargo then builds the
//! member, so the dependency is the member, not an external crate.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Package name → directory (absolute, lexically normalised) that the root manifest at
/// `root_manifest` patches or replaces it with. `[patch.<registry>] name = { path = "…" }`
/// (with `package = "real-name"` when the key is a rename) and `[replace] "name:version" =
/// { path = "…" }`; paths are relative to the manifest's directory. Entries without a path
/// (git, registry) are left out.
///
/// # Errors
/// A message naming the file when it cannot be read or is not valid TOML.
pub fn read(root_manifest: &Path) -> Result<HashMap<String, PathBuf>, String> {
    let table = crate::manifest_lints::parse(root_manifest)?;
    let dir = root_manifest.parent().unwrap_or(Path::new(""));
    Ok(patched_paths(&table, dir))
}

/// [`read`], plus the `[patch]` tables of cargo's configuration files (`config_files`,
/// nearest first: `.cargo/config.toml` of the root and its ancestors), whose paths are
/// relative to the directory holding `.cargo`. A nearer file wins over a farther one, and
/// configuration over the manifest, as cargo merges them. A configuration file that cannot
/// be read or parsed is skipped (cargo itself reports it).
///
/// # Errors
/// As [`read`], for the manifest.
pub fn read_with_config(
    root_manifest: &Path,
    config_files: &[PathBuf],
) -> Result<HashMap<String, PathBuf>, String> {
    let mut out = read(root_manifest)?;
    for file in config_files.iter().rev() {
        let Ok(table) = crate::manifest_lints::parse(file) else {
            continue;
        };
        let base = file
            .parent()
            .and_then(Path::parent)
            .unwrap_or(Path::new(""));
        let patches = table.get("patch").map(|p| {
            let mut only = toml::Table::new();
            only.insert("patch".into(), p.clone());
            patched_paths(&only, base)
        });
        out.extend(patches.into_iter().flatten());
    }
    Ok(out)
}

/// [`read`] on an already parsed manifest whose directory is `dir`.
pub fn patched_paths(manifest: &toml::Table, dir: &Path) -> HashMap<String, PathBuf> {
    let mut out = HashMap::new();
    let entry = |key: &str, value: &toml::Value| -> Option<(String, PathBuf)> {
        let path = value.get("path")?.as_str()?;
        let name = value
            .get("package")
            .and_then(toml::Value::as_str)
            .unwrap_or(key);
        let name = name.split(':').next().unwrap_or(name).trim();
        Some((
            name.to_string(),
            crate::parse::modules::normalize(&dir.join(path)),
        ))
    };
    let registries = manifest.get("patch").and_then(toml::Value::as_table);
    for entries in registries.into_iter().flat_map(|r| r.values()) {
        for (key, value) in entries.as_table().into_iter().flatten() {
            out.extend(entry(key, value));
        }
    }
    let replace = manifest.get("replace").and_then(toml::Value::as_table);
    for (key, value) in replace.into_iter().flatten() {
        out.extend(entry(key, value));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patch_and_replace_entries_with_paths_are_read() {
        let manifest: toml::Table = r#"
            [workspace]
            members = ["serde", "serde_core"]
            [patch.crates-io]
            serde = { path = "serde" }
            core2 = { path = "./serde_core/", package = "serde_core" }
            remote = { git = "https://example.invalid/x" }
            [patch."https://example.invalid/index"]
            other = { path = "vendor/../other" }
            [replace]
            "legacy:0.1.0" = { path = "legacy" }
        "#
        .parse()
        .unwrap();
        let got = patched_paths(&manifest, Path::new("/w"));
        let mut got: Vec<(String, String)> = got
            .into_iter()
            .map(|(k, v)| (k, v.display().to_string()))
            .collect();
        got.sort();
        assert_eq!(
            got,
            [
                ("legacy", "/w/legacy"),
                ("other", "/w/other"),
                ("serde", "/w/serde"),
                ("serde_core", "/w/serde_core"),
            ]
            .map(|(a, b)| (a.to_string(), b.to_string()))
        );
    }
}
