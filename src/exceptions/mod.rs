//! The exception store: where a workspace overrides locally what it would otherwise
//! inherit — an impl overriding a trait's default item, an inherent method shadowing a trait
//! method, two traits competing for a method name, a method hiding its deref target's, a
//! local `#[allow]` changing a lint level set by an enclosing scope or Cargo.toml.
//!
//! [`detect`] fills an [`ExceptionStore`] during the graph build (in parallel); the store
//! is persisted in the snapshot with the graph. The queries `exceptions` and `resolve` and
//! blast-radius read it.

pub mod detect;
pub mod model;
pub mod store;

pub use model::{Exception, ExceptionKind, ImplRecord, LevelOrigin, Source, Value};
pub use store::{Entry, ExceptionStore, OverrideStat, PatternAnalysis, StoreStats};
