//! Integration tests: the built binary run on the fixture workspaces, as a user would.

mod cache;
mod cli;
mod exceptions;
mod gate;
mod harness;
mod incremental;
mod incremental_props;
mod macros;
mod pictures;
mod queries;
mod util;
