//! Lint levels that differ from the ones they inherit.
#![allow(dead_code)]

/// Never called: allowed by the module's inner attribute.
pub fn unused() {}

#[deny(dead_code)]
fn strict() {}

#[allow(dead_code)]
fn relaxed() {}

/// Parses a literal.
#[expect(clippy::unwrap_used, reason = "the literal always parses")]
pub fn parse() -> u32 {
    "1".parse().unwrap()
}
