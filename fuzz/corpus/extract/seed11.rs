//! Loaded through `#[path = "extra/special.rs"]`.

pub const LIMIT: usize = 16;

pub fn limit() -> usize {
    LIMIT
}
