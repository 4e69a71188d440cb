//! The error type of the library and how each error maps to an exit code.

use crate::exit_code;

/// An error that stops a command. Recoverable problems (a file that does not parse) are
/// [`Diagnostic`](crate::diagnostics::Diagnostic)s instead.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The command line, the manifest or an entity name is wrong; the user can fix the call.
    #[error("{0}")]
    Usage(String),
    /// Anything else that prevented an answer (I/O on the target directory, cargo missing).
    #[error(transparent)]
    Fatal(#[from] anyhow::Error),
}

impl Error {
    /// The process exit code for this error: [`exit_code::USAGE`] or [`exit_code::FAILED`].
    pub fn exit_code(&self) -> i32 {
        match self {
            Error::Usage(_) => exit_code::USAGE,
            Error::Fatal(_) => exit_code::FAILED,
        }
    }
}

/// `Result` with [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;
