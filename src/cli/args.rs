//! The command line, as clap derive types. Cargo runs us as
//! `cargo-parseltongue parseltongue ARGS…`; [`super::normalize_args`] makes a direct
//! `cargo-parseltongue ARGS…` look the same.

use crate::exceptions::{ExceptionKind, Source};
use crate::graph::{Confidence, NodeKind};
use crate::query::cycles::Level;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// `cargo` with our one subcommand.
#[derive(Debug, Parser)]
#[command(name = "cargo", bin_name = "cargo", styles = clap_cargo_styles())]
pub enum CargoCli {
    /// Code intelligence for Cargo workspaces: an Interface Signature Graph and its queries.
    Parseltongue(Cli),
}

/// Arguments of `cargo parseltongue`.
#[derive(Debug, Args)]
#[command(version, about, long_about = None)]
pub struct Cli {
    /// Options shared by every command.
    #[command(flatten)]
    pub global: GlobalOptions,
    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
    /// clap ids of the command's options given on the command line or by environment (the
    /// others may take the repository's defaults); filled after parsing.
    #[arg(skip)]
    pub given: Vec<String>,
}

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// Text for people.
    Human,
    /// One JSON document on stdout.
    Json,
    /// Markdown: a pull-request comment (blast-radius of a change set), an LLM prompt
    /// (context, where it is the default).
    Markdown,
    /// SARIF 2.1.0 for code-scanning uploads (blast-radius of a change set).
    Sarif,
    /// Graphviz DOT (graph, find-cycles, blast-radius).
    Dot,
    /// Mermaid flowchart (graph, find-cycles, blast-radius).
    Mermaid,
}

/// When to colour output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when stderr/stdout is a terminal and `NO_COLOR` is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// Options accepted before or after the command.
#[derive(Debug, Args)]
pub struct GlobalOptions {
    /// Path to Cargo.toml (or the directory holding it)
    #[arg(
        long,
        global = true,
        value_name = "PATH",
        help_heading = "Manifest Options"
    )]
    pub manifest_path: Option<PathBuf>,
    /// Run without accessing the network (passed to cargo metadata)
    #[arg(long, global = true, help_heading = "Manifest Options")]
    pub offline: bool,
    /// Assert that Cargo.lock will remain unchanged (passed to cargo metadata)
    #[arg(long, global = true, help_heading = "Manifest Options")]
    pub locked: bool,
    /// Answer from the snapshot without refreshing it; implies --locked and --offline
    #[arg(long, global = true, help_heading = "Manifest Options")]
    pub frozen: bool,
    /// Only answer with items of these packages (default: every workspace member); with a
    /// configuration flag, features unify as `cargo test -p` would build them
    #[arg(
        short = 'p',
        long = "package",
        global = true,
        value_name = "SPEC",
        help_heading = "Package Selection"
    )]
    pub packages: Vec<String>,
    /// Answer for every workspace member (the default; accepted as cargo accepts it)
    #[arg(long, global = true, help_heading = "Package Selection")]
    pub workspace: bool,
    /// Leave these packages' items out of the answers
    #[arg(
        long,
        global = true,
        value_name = "SPEC",
        help_heading = "Package Selection"
    )]
    pub exclude: Vec<String>,
    /// Output format (default: human; markdown for context, json for export); each
    /// command's help lists the formats it accepts
    #[arg(long, global = true, value_enum)]
    pub format: Option<Format>,
    /// Coloring
    #[arg(long, global = true, value_enum, env = "CARGO_TERM_COLOR", default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,
    /// Print no status lines or warnings (errors still go to stderr)
    #[arg(short, long, global = true)]
    pub quiet: bool,
    /// Ignore the snapshot and the facts cache: parse every file again
    #[arg(long, global = true, help_heading = "Snapshot Options")]
    pub rebuild: bool,
    /// Hash every file instead of trusting unchanged stat fields (default when CI=true)
    #[arg(long, global = true, help_heading = "Snapshot Options")]
    pub verify: bool,
    /// Seconds to wait for another invocation's lock before answering without the cache
    #[arg(
        long,
        global = true,
        value_name = "SECS",
        default_value_t = 60.0,
        value_parser = seconds,
        help_heading = "Snapshot Options"
    )]
    pub lock_timeout: f64,
    /// Leave files that do not parse out, instead of using their last good facts (stale)
    #[arg(long, global = true, help_heading = "Snapshot Options")]
    pub no_stale_facts: bool,
    /// Print per-phase times of the refresh on stderr (stat, hash, read, parse, link, load, write)
    #[arg(long, global = true, help_heading = "Snapshot Options")]
    pub timings: bool,
    /// Answer for this cfg only: `unix`, `tokio_unstable`, `target_os="linux"` (repeatable;
    /// any configuration flag makes queries see the crate as compiled for the host target
    /// plus these, with each package's default features)
    #[arg(
        long = "cfg",
        global = true,
        value_name = "PRED",
        help_heading = "Configuration Options"
    )]
    pub cfgs: Vec<String>,
    /// Features to enable, comma- or space-separated (`rt,net` or `tokio/rt`)
    #[arg(
        short = 'F',
        long,
        global = true,
        value_name = "FEATURES",
        help_heading = "Configuration Options"
    )]
    pub features: Vec<String>,
    /// Enable every feature of every package
    #[arg(long, global = true, help_heading = "Configuration Options")]
    pub all_features: bool,
    /// Do not enable the `default` features
    #[arg(long, global = true, help_heading = "Configuration Options")]
    pub no_default_features: bool,
    /// Target triple whose cfg (`rustc --print cfg --target …`) replaces the host's
    #[arg(
        long,
        global = true,
        value_name = "TRIPLE",
        help_heading = "Configuration Options"
    )]
    pub target: Option<String>,
}

impl GlobalOptions {
    /// What `cargo metadata` is asked, from `--manifest-path`, `--offline`, `--locked` and
    /// `--frozen`.
    pub fn metadata_options(&self) -> crate::workspace::MetadataOptions {
        let cargo_flags = [
            (self.offline, "--offline"),
            (self.locked, "--locked"),
            (self.frozen, "--frozen"),
        ]
        .into_iter()
        .filter(|(on, _)| *on)
        .map(|(_, flag)| flag.to_string())
        .collect();
        crate::workspace::MetadataOptions {
            manifest_path: self.manifest_path.clone(),
            cargo_flags,
            fresh: self.verifies(),
        }
    }

    /// `--verify`, or `CI=true`/`CI=1`: hash every file, run `cargo metadata` every time.
    pub fn verifies(&self) -> bool {
        self.verify || std::env::var_os("CI").is_some_and(|v| v == "true" || v == "1")
    }

    /// How the snapshot is refreshed, from the snapshot options (`--verify` is the default
    /// when `CI=true` or `CI=1`); no progress counters, no held graph.
    pub fn refresh_options(&self) -> crate::engine::Options {
        crate::engine::Options {
            force: self.rebuild,
            frozen: self.frozen,
            verify: self.verifies(),
            stale_facts: !self.no_stale_facts,
            lock_timeout: std::time::Duration::from_secs_f64(self.lock_timeout.max(0.0)),
            progress: None,
            held_digest: None,
        }
    }

    /// The format asked for, or `command`'s default: JSON for `export`, human otherwise
    /// (for `context`, human output is its Markdown).
    pub fn format_for(&self, command: &Command) -> Format {
        self.format.unwrap_or(match command {
            Command::Export => Format::Json,
            _ => Format::Human,
        })
    }

    /// Whether a configuration flag asks queries to see one cfg variant only.
    pub fn configured(&self) -> bool {
        !self.cfgs.is_empty()
            || !self.features.is_empty()
            || self.all_features
            || self.no_default_features
            || self.target.is_some()
    }
}

/// The commands.
#[derive(Clone, Debug, Subcommand)]
pub enum Command {
    /// Build or refresh the graph and print its statistics
    #[command(after_help = "Formats: human, json")]
    Build {
        /// List every file with why it was reused, re-hashed or re-parsed
        #[arg(long)]
        explain: bool,
        /// List every reference whose path resolved to nothing, where it is written (the
        /// coverage lines count them per package)
        #[arg(long)]
        unresolved: bool,
    },
    /// List every impl of a trait (workspace trait or external, e.g. Clone, serde::Serialize)
    #[command(after_help = "Formats: human, json")]
    WhatImplements {
        /// The trait: full path or unambiguous suffix
        #[arg(value_name = "TRAIT")]
        trait_name: String,
    },
    /// Transitive reverse dependencies of an item, or of the entities a change touches
    /// (--since/--staged/--files), with a CI gate (--max/--max-crates: exit 100 when exceeded)
    #[command(group = clap::ArgGroup::new("changes").args(["since", "staged", "files"]).multiple(false))]
    #[command(
        after_help = "Formats: human, json, dot, mermaid; with --since, --staged or --files also markdown (a pull-request comment) and sarif"
    )]
    BlastRadius {
        /// The item: full path or unambiguous suffix (e.g. Config::new)
        #[arg(required_unless_present_any = ["since", "staged", "files"])]
        entity: Option<String>,
        /// The entities changed in the work tree since the merge base of REV and HEAD
        #[arg(long, value_name = "REV", conflicts_with_all = ["entity", "staged", "files"])]
        since: Option<String>,
        /// The entities changed in the index (what `git commit` would record)
        #[arg(long, conflicts_with_all = ["entity", "files"])]
        staged: bool,
        /// The entities changed in these files against HEAD (every item of an untracked file)
        #[arg(long, value_name = "PATH", num_args = 1.., conflicts_with = "entity")]
        files: Vec<PathBuf>,
        /// Gate: exit 100 when more than N entities are affected (changed ones not counted)
        #[arg(long, value_name = "N", requires = "changes")]
        max: Option<usize>,
        /// Gate: exit 100 when more than M packages are touched (changed or affected)
        #[arg(long, value_name = "M", requires = "changes")]
        max_crates: Option<usize>,
        /// Stop after N levels
        #[arg(long, value_name = "N")]
        depth: Option<usize>,
        /// Show at most N dependents
        #[arg(long, value_name = "N", default_value_t = 200)]
        limit: usize,
        /// Follow edges down to this confidence (low adds name-only method-call guesses; how
        /// many more they would add is printed)
        #[arg(long, value_enum, default_value_t = Confidence::Medium)]
        min_confidence: Confidence,
        /// Only what this change to ENTITY reaches: interface (renaming or re-signing it:
        /// what breaks) or body (callers and impls inheriting it as a default); both by
        /// default, each dependent marked
        #[arg(long, value_enum, value_name = "CHANGE", conflicts_with = "changes")]
        change: Option<crate::query::blast_radius::ChangeMode>,
    },
    /// The entities around an item (its dependencies, or with --reverse its dependents), for
    /// pictures: --format dot or mermaid
    #[command(after_help = "Formats: human, json, dot, mermaid")]
    Graph {
        /// The item: full path or unambiguous suffix
        entity: String,
        /// Follow edges this many levels out
        #[arg(long, value_name = "N", default_value_t = 2)]
        depth: usize,
        /// Follow dependents (incoming edges) instead of dependencies
        #[arg(long)]
        reverse: bool,
        /// At most N nodes, nearest first
        #[arg(long, value_name = "N", default_value_t = 200)]
        limit: usize,
        /// Ignore edges below this confidence
        #[arg(long, value_enum, default_value_t = Confidence::Medium)]
        min_confidence: Confidence,
    },
    /// What an LLM needs to edit entities safely (signatures, uses, users, implementors,
    /// blast radius), ranked and cut to a token budget; Markdown (default) or JSON
    #[command(group = clap::ArgGroup::new("changes").args(["since", "staged", "files"]).multiple(false))]
    #[command(after_help = "Formats: markdown (default; human is the same), json")]
    Context {
        /// The items: full paths or unambiguous suffixes
        #[arg(required_unless_present_any = ["since", "staged", "files"])]
        entities: Vec<String>,
        /// The entities changed in the work tree since the merge base of REV and HEAD
        #[arg(long, value_name = "REV", conflicts_with_all = ["entities", "staged", "files"])]
        since: Option<String>,
        /// The entities changed in the index (what `git commit` would record)
        #[arg(long, conflicts_with_all = ["entities", "files"])]
        staged: bool,
        /// The entities changed in these files against HEAD
        #[arg(long, value_name = "PATH", num_args = 1.., conflicts_with = "entities")]
        files: Vec<PathBuf>,
        /// Most tokens the Markdown may take (counted with --tokenizer)
        #[arg(long, value_name = "TOKENS", default_value_t = 8000)]
        budget: usize,
        /// The BPE vocabulary that counts tokens
        #[arg(long, value_enum, default_value_t = crate::query::context::Tokenizer::Cl100k)]
        tokenizer: crate::query::context::Tokenizer,
        /// Include the source text of the target entities
        #[arg(long)]
        with_source: bool,
        /// Write the context to FILE (parent directories created) instead of stdout
        #[arg(short, long, value_name = "FILE")]
        output: Option<PathBuf>,
        /// Ignore edges below this confidence
        #[arg(long, value_enum, default_value_t = Confidence::Medium)]
        min_confidence: Confidence,
    },
    /// Strongly connected components of the module or item dependency graph
    #[command(after_help = "Formats: human, json, dot, mermaid")]
    FindCycles {
        /// Which graph to search
        #[arg(long, value_enum, default_value_t = Level::Module)]
        level: Level,
        /// Exit with code 100 when a cycle is found
        #[arg(long)]
        deny: bool,
        /// Ignore edges below this confidence (low adds name-only method-call guesses)
        #[arg(long, value_enum, default_value_t = Confidence::Medium)]
        min_confidence: Confidence,
    },
    /// Entities whose path matches PATTERN (substring, or a glob with * and ?)
    #[command(after_help = "Formats: human, json")]
    Search {
        /// Substring (case-insensitive) or glob over the full path
        pattern: String,
        /// Only nodes of this kind
        #[arg(long, value_enum)]
        kind: Option<NodeKind>,
        /// Include items outside the workspace (std, dependencies)
        #[arg(long)]
        include_external: bool,
        /// Show at most N matches
        #[arg(long, value_name = "N", default_value_t = 100)]
        limit: usize,
    },
    /// Where the workspace overrides what it inherits: trait defaults, shadowing, lint levels
    #[command(after_help = "Formats: human, json")]
    Exceptions {
        /// Only properties of this trait (path or unambiguous suffix)
        #[arg(long = "trait", value_name = "TRAIT")]
        trait_name: Option<String>,
        /// Only this trait item, method or lint (e.g. describe, dead_code)
        #[arg(long, value_name = "NAME")]
        item: Option<String>,
        /// Only exceptions on this type, its impls and their items
        #[arg(long = "type", value_name = "TYPE")]
        type_name: Option<String>,
        /// Only exceptions recorded from this source
        #[arg(long, value_enum)]
        source: Option<Source>,
        /// Only exceptions of this kind
        #[arg(long, value_enum)]
        kind: Option<ExceptionKind>,
        /// Only exceptions at least this sure (0.0 to 1.0)
        #[arg(long, value_name = "X", default_value_t = 0.0, value_parser = confidence)]
        min_confidence: f32,
        /// Show counts and per trait item override statistics of what the list holds
        #[arg(long)]
        stats: bool,
        /// Also list routine overridden defaults and every trait impl's kept defaults
        /// (listed anyway with --kind overridden_default, --trait, --type or --item)
        #[arg(long)]
        all: bool,
        /// Also read exceptions from another tool's JSON file (marked imported)
        #[arg(long, value_name = "FILE")]
        import: Vec<PathBuf>,
    },
    /// Which definition `x.METHOD()` runs for a value of TYPE, and why
    #[command(after_help = "Formats: human, json")]
    Resolve {
        /// The type: full path or unambiguous suffix
        #[arg(value_name = "TYPE")]
        type_name: String,
        /// The method name
        method: String,
    },
    /// Print the whole graph (nodes, edges, diagnostics) as JSON
    #[command(after_help = "Formats: json (default), human (one line per node and edge)")]
    Export,
    /// Serve the graph to coding agents over the Model Context Protocol on stdio (tools:
    /// search, what_implements, blast_radius, neighbours, context, exceptions, resolve,
    /// status); refreshed from the files before every call
    Mcp,
    /// Print a shell completion script for `cargo-parseltongue` (e.g. `cargo parseltongue
    /// completions bash > ~/.local/share/bash-completion/completions/cargo-parseltongue`)
    Completions {
        /// The shell
        shell: clap_complete::Shell,
    },
    /// Build the graph from a code dump (sections starting with `FILE: path`) without cargo
    Ingest {
        /// The dump file
        dump: PathBuf,
        /// Crate name for the dump's root files
        #[arg(long, default_value = "dump")]
        crate_name: String,
    },
}

/// cargo's help colours: bold green headers, bold cyan literals.
fn clap_cargo_styles() -> clap::builder::Styles {
    use anstyle::{AnsiColor, Effects};
    clap::builder::Styles::styled()
        .header(AnsiColor::Green.on_default().effects(Effects::BOLD))
        .usage(AnsiColor::Green.on_default().effects(Effects::BOLD))
        .literal(AnsiColor::Cyan.on_default().effects(Effects::BOLD))
        .placeholder(AnsiColor::Cyan.on_default())
        .error(AnsiColor::Red.on_default().effects(Effects::BOLD))
        .valid(AnsiColor::Cyan.on_default().effects(Effects::BOLD))
        .invalid(AnsiColor::Yellow.on_default().effects(Effects::BOLD))
}

/// Parses a confidence in 0.0–1.0.
fn confidence(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(x) if (0.0..=1.0).contains(&x) => Ok(x),
        _ => Err(format!("`{text}` is not a number from 0.0 to 1.0")),
    }
}

/// A number of seconds a `Duration` can hold: finite, not negative, at most a year.
fn seconds(text: &str) -> Result<f64, String> {
    const YEAR: f64 = 365.0 * 24.0 * 3600.0;
    match text.trim().parse::<f64>() {
        Ok(s) if s.is_finite() && (0.0..=YEAR).contains(&s) => Ok(s),
        Ok(_) => Err(format!(
            "`{text}` is not a number of seconds from 0 to {YEAR} (a year)"
        )),
        Err(e) => Err(format!("`{text}` is not a number of seconds: {e}")),
    }
}
