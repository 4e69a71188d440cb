//! `cargo parseltongue mcp`: the graph as tools for coding agents, over the Model Context
//! Protocol on stdio (rmcp). The server loads the workspace like any command, keeps it for
//! the session, and refreshes the graph from the files on disk (the same engine and lock as
//! the CLI) before every call, so no answer is stale. Every answer is cut to the call's
//! `max_tokens` (counted with the same tokenizer as `context`) and says when it was cut.
//! Logs go to stderr; stdout carries only the protocol. The server ends when the client
//! closes its stdin.

mod fit;
mod tools;

use crate::error::{Error, Result};
use crate::session::Session;
use crate::workspace::MetadataOptions;
use rmcp::ServiceExt;
use std::sync::Mutex;

/// Answers are cut to this many tokens unless a call asks for another `max_tokens`
/// (agents refuse results past ~25k tokens; schema and framing need room too).
pub const DEFAULT_MAX_TOKENS: usize = 8_000;
/// The most a call may ask for.
pub const MAX_MAX_TOKENS: usize = 24_000;

/// The workspace a session serves: loaded on the first call that needs it (a workspace that
/// fails to load is reported by each call until it loads).
pub(crate) struct Workspace {
    metadata: MetadataOptions,
    options: crate::engine::Options,
    session: Option<Session>,
}

impl Workspace {
    /// The session, loaded or refreshed from the files on disk.
    ///
    /// # Errors
    /// The load or refresh error, for the caller to report as a tool error.
    pub(crate) fn fresh(&mut self) -> Result<&mut Session> {
        match &mut self.session {
            Some(session) => {
                session.refresh()?;
            }
            None => {
                self.session = Some(Session::open_with(&self.metadata, self.options.clone())?);
            }
        }
        Ok(self.session.as_mut().expect("loaded above"))
    }
}

/// Serves MCP on stdin/stdout until the client disconnects; returns the exit code.
///
/// # Errors
/// [`Error::Fatal`] when the async runtime cannot start or the transport fails to
/// initialise.
pub fn serve(metadata: MetadataOptions, options: crate::engine::Options) -> Result<i32> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Error::Fatal(anyhow::Error::new(e).context("could not start the runtime")))?;
    let server = tools::Server::new(Mutex::new(Workspace {
        metadata,
        options,
        session: None,
    }));
    runtime.block_on(async move {
        let running = server
            .serve(rmcp::transport::stdio())
            .await
            .map_err(|e| Error::Fatal(anyhow::anyhow!("MCP initialisation failed: {e}")))?;
        running
            .waiting()
            .await
            .map_err(|e| Error::Fatal(anyhow::anyhow!("MCP session ended with an error: {e}")))?;
        Ok(crate::exit_code::SUCCESS)
    })
}
