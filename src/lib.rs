//! cargo-parseltongue: an Interface Signature Graph of a Cargo workspace, and the queries it
//! answers (what-implements, blast-radius, find-cycles, search, export).
//!
//! The library exists for the binary, its tests and benches; its API is not yet stable.

pub mod cache;
pub mod cli;
pub mod diagnostics;
pub mod engine;
pub mod error;
pub mod exit_code;
pub mod graph;
pub mod ingest;
pub mod parse;
pub mod query;
pub mod source;
pub mod workspace;
