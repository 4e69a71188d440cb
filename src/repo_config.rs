//! Per-repository defaults: the `[workspace.metadata.parseltongue]` table of the root
//! Cargo.toml, and `[package.metadata.parseltongue]` of the package you stand in (its keys
//! win). Command-line flags win over both. Keys are kebab-case, as cargo's own:
//!
//! | key | value | default of |
//! |---|---|---|
//! | `max` | entities (integer) | `blast-radius --max` with `--since`/`--staged`/`--files` |
//! | `max-crates` | packages (integer) | `blast-radius --max-crates` likewise |
//! | `min-confidence` | `"high"`, `"medium"` or `"low"` | `--min-confidence` of blast-radius, graph, context, find-cycles |
//! | `budget` | tokens (integer) | `context --budget` |
//! | `tokenizer` | `"cl100k"` or `"o200k"` | `context --tokenizer` |
//! | `exclude-paths` | globs over workspace-relative file paths (`["benches/*", "*/generated/*"]`) | items left out of every answer |
//!
//! An unknown key or a value of the wrong type is a warning naming it, and is ignored.

use crate::graph::Confidence;
use crate::query::context::Tokenizer;
use crate::workspace::Workspace;
use serde_json::Value;

/// The defaults a repository sets; `None` (or empty) where it sets none.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RepoConfig {
    /// `max`: the change-set gate's most affected entities.
    pub max: Option<usize>,
    /// `max-crates`: the change-set gate's most touched packages.
    pub max_crates: Option<usize>,
    /// `min-confidence`: the lowest edge confidence queries follow.
    pub min_confidence: Option<Confidence>,
    /// `budget`: the context's token budget.
    pub budget: Option<usize>,
    /// `tokenizer`: the vocabulary that counts context tokens.
    pub tokenizer: Option<Tokenizer>,
    /// `exclude-paths`: globs (`*`, `?`) over workspace-relative, `/`-separated file paths
    /// whose items answers leave out.
    pub exclude_paths: Vec<String>,
}

/// The keys this module reads.
pub const KEYS: [&str; 6] = [
    "max",
    "max-crates",
    "min-confidence",
    "budget",
    "tokenizer",
    "exclude-paths",
];

/// Reads the defaults of `ws`: the workspace table, then the current package's over it.
/// Returns them with one warning per unknown key or bad value (naming the table and key).
pub fn read(ws: &Workspace) -> (RepoConfig, Vec<String>) {
    let mut config = RepoConfig::default();
    let mut warnings = Vec::new();
    let mut tables = vec![(
        "[workspace.metadata.parseltongue]".to_string(),
        ws.metadata.get("parseltongue"),
    )];
    if let Some(p) = ws.current_package.and_then(|p| ws.packages.get(p)) {
        tables.push((
            format!("[package.metadata.parseltongue] of `{}`", p.name),
            p.metadata.get("parseltongue"),
        ));
    }
    for (table, value) in tables {
        let Some(value) = value else { continue };
        let Some(entries) = value.as_object() else {
            warnings.push(format!("{table} is not a table; ignored"));
            continue;
        };
        for (key, value) in entries {
            if let Err(e) = apply(&mut config, key, value) {
                warnings.push(format!("{table}: {e}; ignored"));
            }
        }
    }
    (config, warnings)
}

/// Sets `key` of `config` from `value`.
fn apply(config: &mut RepoConfig, key: &str, value: &Value) -> Result<(), String> {
    let count = || {
        value
            .as_u64()
            .and_then(|n| usize::try_from(n).ok())
            .ok_or_else(|| format!("`{key}` must be a whole number, not {value}"))
    };
    let choice = |names: &str| {
        value
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("`{key}` must be one of {names}, not {value}"))
    };
    match key {
        "max" => config.max = Some(count()?),
        "max-crates" => config.max_crates = Some(count()?),
        "budget" => config.budget = Some(count()?),
        "min-confidence" => {
            let names = "\"high\", \"medium\", \"low\"";
            let text = choice(names)?;
            config.min_confidence = Some(
                <Confidence as clap::ValueEnum>::from_str(&text, true)
                    .map_err(|_| format!("`{key}` must be one of {names}, not {value}"))?,
            );
        }
        "tokenizer" => {
            let names = "\"cl100k\", \"o200k\"";
            let text = choice(names)?;
            config.tokenizer = Some(
                <Tokenizer as clap::ValueEnum>::from_str(&text, true)
                    .map_err(|_| format!("`{key}` must be one of {names}, not {value}"))?,
            );
        }
        "exclude-paths" => {
            let globs = value
                .as_array()
                .and_then(|a| a.iter().map(|g| g.as_str().map(str::to_string)).collect())
                .ok_or_else(|| format!("`{key}` must be an array of glob strings, not {value}"))?;
            config.exclude_paths = globs;
        }
        other => {
            return Err(format!(
                "unknown key `{other}` (known: {})",
                KEYS.join(", ")
            ));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_set_their_defaults_and_bad_ones_are_named() {
        let mut c = RepoConfig::default();
        apply(&mut c, "max", &serde_json::json!(50)).unwrap();
        apply(&mut c, "min-confidence", &serde_json::json!("low")).unwrap();
        apply(&mut c, "exclude-paths", &serde_json::json!(["benches/*"])).unwrap();
        assert_eq!(c.max, Some(50));
        assert_eq!(c.min_confidence, Some(Confidence::Low));
        assert_eq!(c.exclude_paths, ["benches/*"]);
        let e = apply(&mut c, "maxx", &serde_json::json!(1)).unwrap_err();
        assert!(e.contains("unknown key `maxx`"), "{e}");
        let e = apply(&mut c, "budget", &serde_json::json!("big")).unwrap_err();
        assert!(e.contains("`budget` must be a whole number"), "{e}");
        let e = apply(&mut c, "tokenizer", &serde_json::json!("gpt2")).unwrap_err();
        assert!(e.contains("\"cl100k\""), "{e}");
    }
}
