//! Exit codes: a written contract, following the cargo family (cargo-semver-checks, nextest).
//! README.md's "Exit status" section lists the same table; tests pin each code.

/// The command completed; results (possibly empty) are on stdout.
pub const SUCCESS: i32 = 0;
/// The command completed, but some files could not be read or parsed: the answer may be
/// incomplete. Each problem was reported on stderr.
pub const PARTIAL: i32 = 1;
/// Usage error: bad arguments, a missing or invalid manifest, an unknown or ambiguous
/// entity, an unknown package (clap also exits with 2).
pub const USAGE: i32 = 2;
/// A check the user opted into found something (`find-cycles --deny`), the gate tripped.
pub const FINDINGS: i32 = 100;
/// The command could not complete (I/O error, cargo not found, internal error; a panic
/// also exits with 101).
pub const FAILED: i32 = 101;
