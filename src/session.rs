//! The library's entry point for build scripts, xtasks and other tools: a loaded workspace
//! with its refreshed graph, and the queries the command line answers, returning the same
//! typed results (`serde::Serialize`, public fields).
//!
//! ```no_run
//! use cargo_parseltongue::Session;
//!
//! // cargo metadata --no-deps, then the snapshot under target/parseltongue is refreshed
//! // (only changed files are parsed again).
//! let session = Session::open("Cargo.toml")?;
//! for imp in session.what_implements("Display")?.impls {
//!     println!("{} at {}:{}", imp.self_type, imp.file, imp.line);
//! }
//! # Ok::<(), cargo_parseltongue::error::Error>(())
//! ```

use crate::changes::{ChangeSet, Selection};
use crate::engine::{self, Refresh};
use crate::error::{Error, Result};
use crate::graph::{Confidence, Graph};
use crate::query::{self, Scope};
use crate::source::DiskSource;
use crate::workspace::{self, MetadataOptions, Workspace};
use std::path::Path;

/// A workspace and its Interface Signature Graph, refreshed from the files on disk.
#[derive(Debug)]
pub struct Session {
    /// The workspace as `cargo metadata --no-deps` describes it (root, target directory,
    /// packages, crates).
    pub workspace: Workspace,
    /// The graph: nodes, edges, diagnostics and the exception store.
    pub graph: Graph,
    /// What the last refresh did (files reused and parsed, timings, warnings).
    pub refresh: Refresh,
    options: engine::Options,
    metadata: MetadataOptions,
}

impl Session {
    /// Loads the workspace of `manifest_path` (a `Cargo.toml`, or the directory holding one)
    /// and refreshes its snapshot with the default options (stale facts kept, a 60 s lock
    /// timeout).
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # std::fs::create_dir(dir.path().join("src"))?;
    /// # std::fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n")?;
    /// # std::fs::write(dir.path().join("src/lib.rs"), "pub fn parse() -> usize { helper() }\npub fn helper() -> usize { 1 }\n")?;
    /// # let manifest = dir.path().join("Cargo.toml");
    /// use cargo_parseltongue::Session;
    ///
    /// let session = Session::open(&manifest)?;
    /// assert_eq!(session.workspace.packages[0].name, "demo");
    /// assert!(session.graph.nodes.iter().any(|n| n.path == "demo::helper"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Usage`] when cargo cannot read the manifest (cargo's message included) or
    /// the snapshot cannot be used with `--frozen`; [`Error::Fatal`] when cargo cannot run.
    pub fn open(manifest_path: impl AsRef<Path>) -> Result<Session> {
        let metadata = MetadataOptions {
            manifest_path: Some(manifest_path.as_ref().to_path_buf()),
            ..MetadataOptions::default()
        };
        Session::open_with(&metadata, engine::Options::default())
    }

    /// Like [`Session::open`], with `cargo metadata` flags and refresh options (`--verify`,
    /// `--rebuild`, `--frozen`, …) given.
    ///
    /// # Errors
    /// As [`Session::open`].
    pub fn open_with(metadata: &MetadataOptions, options: engine::Options) -> Result<Session> {
        let mut session = Session {
            workspace: workspace::load(metadata)?,
            graph: Graph::default(),
            refresh: Refresh::default(),
            options,
            metadata: metadata.clone(),
        };
        session.refresh()?;
        Ok(session)
    }

    /// Refreshes the workspace (a new member or target is noticed; `cargo metadata` runs
    /// only when something it reads changed) and the graph from the files on disk (files
    /// whose stat fields and content are unchanged are not parsed again), and returns what
    /// the refresh did.
    ///
    /// # Errors
    /// [`Error::Usage`] when cargo rejects a manifest now, or `--frozen` was asked for and
    /// there is no usable snapshot; [`Error::Fatal`] when cargo cannot run.
    pub fn refresh(&mut self) -> Result<&Refresh> {
        if !self.options.frozen {
            self.workspace = workspace::load(&self.metadata)?;
        }
        // The graph held since the last refresh is kept when the snapshot still has it.
        let mut options = self.options.clone();
        options.held_digest = self.refresh.graph_digest.clone();
        let (graph, refresh) = engine::refresh(&self.workspace, &DiskSource, options, &mut || {})
            .map_err(|e| Error::Usage(e.to_string()))?;
        if !refresh.kept_held {
            self.graph = graph;
        }
        self.refresh = refresh;
        Ok(&self.refresh)
    }

    /// Every impl of the trait `name` (full path or unambiguous suffix; external traits such
    /// as `Clone` too) in every workspace package.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # std::fs::create_dir(dir.path().join("src"))?;
    /// # std::fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n")?;
    /// # std::fs::write(dir.path().join("src/lib.rs"), "pub trait Shape { fn name(&self) -> &str { \"shape\" } }\npub struct Square;\nimpl Shape for Square {}\n")?;
    /// # let manifest = dir.path().join("Cargo.toml");
    /// let session = cargo_parseltongue::Session::open(&manifest)?;
    /// let answer = session.what_implements("Shape")?;
    /// assert_eq!(answer.impls[0].self_type, "Square");
    /// assert_eq!((answer.impls[0].file.as_str(), answer.impls[0].line), ("src/lib.rs", 3));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Usage`] when no trait, or several, match `name`.
    pub fn what_implements(&self, name: &str) -> Result<query::implements::Implementations> {
        query::implements::what_implements(&self.graph, name, &Scope::default())
    }

    /// The transitive reverse dependencies of the item `name`.
    ///
    /// # Errors
    /// [`Error::Usage`] when `name` is unknown or ambiguous.
    pub fn blast_radius(
        &self,
        name: &str,
        options: &query::blast_radius::Options,
    ) -> Result<query::blast_radius::BlastRadius> {
        query::blast_radius::blast_radius(&self.graph, name, options, &Scope::default())
    }

    /// The strongly connected components of the module (or item) dependency graph, over
    /// edges of at least `min` confidence.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # std::fs::create_dir(dir.path().join("src"))?;
    /// # std::fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n")?;
    /// # std::fs::write(dir.path().join("src/lib.rs"), "pub fn ping(n: u32) { if n > 0 { pong(n - 1) } }\npub fn pong(n: u32) { ping(n) }\n")?;
    /// # let manifest = dir.path().join("Cargo.toml");
    /// use cargo_parseltongue::{Session, graph::Confidence, query::cycles::Level};
    ///
    /// let session = Session::open(&manifest)?;
    /// let cycles = session.find_cycles(Level::Item, Confidence::Medium);
    /// let members: Vec<&str> = cycles.cycles[0].members.iter().map(|m| m.path.as_str()).collect();
    /// assert_eq!(members, ["demo::ping", "demo::pong"]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn find_cycles(
        &self,
        level: query::cycles::Level,
        min: Confidence,
    ) -> query::cycles::Cycles {
        query::cycles::find_cycles(&self.graph, level, min, &Scope::default())
    }

    /// The exceptions (overridden trait defaults, shadowing, lint levels) `filter` keeps;
    /// with `stats`, counts instead of the list.
    ///
    /// # Errors
    /// [`Error::Usage`] when a trait or type named in `filter` is unknown or ambiguous.
    pub fn exceptions(
        &self,
        filter: &query::exceptions::Filter,
        stats: bool,
    ) -> Result<query::exceptions::ExceptionsReport> {
        query::exceptions::exceptions(&self.graph, filter, &Scope::default(), stats)
    }

    /// The entities `selection` changed (work tree since a revision, the index, files).
    ///
    /// # Errors
    /// [`Error::Usage`] when git is missing, the workspace is not in a repository or the
    /// revision is unknown.
    pub fn changes(&self, selection: &Selection) -> Result<ChangeSet> {
        crate::changes::changed_entities(&self.graph, &self.workspace, selection)
    }

    /// The blast radius of the entities `selection` changed, with the gate's limits checked
    /// (`gate.tripped` lists what was exceeded).
    ///
    /// # Errors
    /// As [`Session::changes`].
    pub fn impact(
        &self,
        selection: &Selection,
        min: Confidence,
        max: Option<usize>,
        max_crates: Option<usize>,
    ) -> Result<query::impact::Impact> {
        let changes = self.changes(selection)?;
        Ok(query::impact::impact(
            &self.graph,
            changes,
            min,
            max,
            max_crates,
        ))
    }

    /// The LLM context of the items named in `names` (full paths or unambiguous suffixes),
    /// cut to `budget` tokens counted with `tokenizer`; the Markdown is
    /// [`query::context::markdown::render`] of the result.
    ///
    /// ```
    /// # let dir = tempfile::tempdir()?;
    /// # std::fs::create_dir(dir.path().join("src"))?;
    /// # std::fs::write(dir.path().join("Cargo.toml"), "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\n")?;
    /// # std::fs::write(dir.path().join("src/lib.rs"), "/// Parses.\npub fn parse() -> usize { helper() }\npub fn helper() -> usize { 1 }\n")?;
    /// # let manifest = dir.path().join("Cargo.toml");
    /// use cargo_parseltongue::{Session, query::context::{markdown, Tokenizer}};
    ///
    /// let session = Session::open(&manifest)?;
    /// let context = session.context(&["helper"], 500, Tokenizer::Cl100k)?;
    /// let text = markdown::render(&context);
    /// assert!(text.contains("- `demo::parse` (fn, `src/lib.rs:2`): calls `demo::helper` at line 2"));
    /// assert!(Tokenizer::Cl100k.count(&text) <= 500);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`Error::Usage`] when a name is unknown or ambiguous, or the budget cannot hold the
    /// first target.
    pub fn context(
        &self,
        names: &[&str],
        budget: usize,
        tokenizer: query::context::Tokenizer,
    ) -> Result<query::context::Context> {
        let options = query::context::Options {
            budget,
            tokenizer,
            with_source: false,
            min_confidence: Confidence::Medium,
            root: self.workspace.root.clone(),
        };
        query::context::context(
            &self.graph,
            query::context::Subject::named(&self.graph, names)?,
            &options,
        )
    }
}
