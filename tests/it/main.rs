//! Integration tests: the built binary run on the fixture workspaces, as a user would.

mod build_script;
mod cache;
mod cli;
mod context;
mod exceptions;
mod first_contact;
mod gate;
mod git_repo;
mod harness;
mod hooks;
mod incremental;
mod incremental_props;
mod macros;
mod mcp;
mod metadata_record;
mod pictures;
mod queries;
mod readme;
mod repo_layout;
mod util;
