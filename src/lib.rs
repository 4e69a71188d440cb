//! cargo-parseltongue: an Interface Signature Graph of a Cargo workspace, and the queries it
//! answers (what-implements, blast-radius, find-cycles, search, export).
//!
//! The library exists for the binary, its tests and benches; its API is not yet stable.
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
pub mod parse;
pub mod query;
pub mod source;
pub mod workspace;
