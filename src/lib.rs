//! cargo-parseltongue: an Interface Signature Graph of a Cargo workspace, and the queries it
//! answers (what-implements, blast-radius, find-cycles, search, export).
//!
//! The same engine the binary runs is a library for build scripts and xtasks: [`Session`]
//! loads a workspace (`cargo metadata --no-deps`), refreshes its snapshot under the target
//! directory and answers the queries with typed results (the [`query`] modules' structs,
//! which the command line prints as text or JSON). `examples/build_script.rs` is a build
//! script that warns about new exceptions and cycles and fails the build when a gate trips.
//! The API follows the command line and may still change before 1.0.
//!
//! Without cargo, a graph can be built from a code dump:
//!
//! ```
//! use cargo_parseltongue::{ingest, query};
//!
//! // Build a graph from a code dump (no cargo needed) and ask what implements a trait.
//! let dump = "FILE: src/lib.rs\n\
//!             pub trait Shape { fn area(&self) -> f64; }\n\
//!             #[derive(Clone)] pub struct Square(pub f64);\n\
//!             impl Shape for Square { fn area(&self) -> f64 { self.0 * self.0 } }\n";
//! let graph = ingest::ingest(dump, "demo").graph;
//! let answer = query::implements::what_implements(&graph, "Shape", &query::Scope::default())?;
//! assert_eq!(answer.trait_ref.path, "demo::Shape");
//! assert_eq!(answer.impls[0].self_type, "Square");
//! assert_eq!(answer.impls[0].line, 3);
//! let clones = query::implements::what_implements(&graph, "Clone", &query::Scope::default())?;
//! assert!(clones.impls[0].derived);
//! # Ok::<(), cargo_parseltongue::error::Error>(())
//! ```

pub mod cache;
pub mod cfg;
pub mod changes;
pub mod cli;
pub mod diagnostics;
pub mod engine;
pub mod error;
pub mod exceptions;
pub mod exit_code;
pub mod graph;
pub mod ingest;
pub mod lint;
pub mod manifest_lints;
pub mod manifest_patches;
pub mod parse;
pub mod query;
pub mod repo_config;
pub mod session;
pub mod source;
pub mod workspace;

pub use session::Session;
