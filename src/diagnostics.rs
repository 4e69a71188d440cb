//! Non-fatal problems met while building the graph, kept as data next to the partial graph.

use serde::{Deserialize, Serialize};
use std::fmt;

/// What went wrong.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DiagnosticKind {
    /// syn could not parse the file; it contributes no items.
    SyntaxError,
    /// The file is not valid UTF-8.
    NotUtf8,
    /// The file could not be read (permissions, I/O error).
    Unreadable,
    /// A `mod x;` declaration whose file exists at none of the candidate paths.
    MissingModule,
    /// A `#[path = "…"]` that points outside the workspace root; not followed.
    PathOutsideWorkspace,
    /// Input nested deeper than the parser's limit; the file is skipped.
    TooDeep,
}

/// A problem with a file, reported once per build. `line`/`column` are 1-based; 0 when the
/// problem concerns the whole file.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Diagnostic {
    /// Category.
    pub kind: DiagnosticKind,
    /// File path relative to the workspace root.
    pub file: String,
    /// 1-based line, 0 if unknown.
    pub line: u32,
    /// 1-based column, 0 if unknown.
    pub column: u32,
    /// Human-readable message, lower case, no trailing period.
    pub message: String,
}

impl Diagnostic {
    /// A diagnostic about file `file` (relative to the workspace root).
    pub fn new(
        kind: DiagnosticKind,
        file: &str,
        line: u32,
        column: u32,
        message: String,
    ) -> Diagnostic {
        Diagnostic {
            kind,
            file: file.to_string(),
            line,
            column,
            message,
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line > 0 {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file, self.line, self.column, self.message
            )
        } else {
            write!(f, "{}: {}", self.file, self.message)
        }
    }
}
