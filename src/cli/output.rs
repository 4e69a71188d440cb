//! Everything the tool prints: results to stdout (human or JSON), status lines, warnings and
//! errors to stderr in cargo's style. The only module that writes to the terminal.
#![allow(clippy::print_stdout, clippy::print_stderr)]

use super::args::{ColorChoice, Format};
use crate::error::Error;
use anstyle::{AnsiColor, Effects, Style};
use serde::Serialize;
use std::io::{self, IsTerminal, Write};
use std::path::Path;

/// Version of every JSON document printed on stdout.
pub const JSON_FORMAT_VERSION: u32 = 1;

/// Where and how to print.
pub struct Output {
    /// Result format.
    pub format: Format,
    color_stderr: bool,
    color_stdout: bool,
    quiet: bool,
    stale: std::cell::RefCell<Vec<String>>,
    coverage: std::cell::RefCell<Vec<crate::query::coverage::PackageCoverage>>,
    diagnostics: std::cell::RefCell<Vec<crate::diagnostics::Diagnostic>>,
}

/// A JSON document: the format version, the command, whether the answer may be incomplete,
/// and the command's result fields.
#[derive(Serialize)]
struct Envelope<'a, T: Serialize> {
    format_version: u32,
    command: &'a str,
    partial: bool,
    /// Files whose items are their last good facts (they do not parse now).
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    stale_files: &'a [String],
    /// What the graph holds of each package and what it does not follow.
    #[serde(skip_serializing_if = "<[crate::query::coverage::PackageCoverage]>::is_empty")]
    coverage: &'a [crate::query::coverage::PackageCoverage],
    /// The problems found while indexing (kind, file, 1-based line and column, message).
    #[serde(skip_serializing_if = "<[crate::diagnostics::Diagnostic]>::is_empty")]
    diagnostics: &'a [crate::diagnostics::Diagnostic],
    #[serde(flatten)]
    result: &'a T,
}

/// `text` safe for a terminal: control characters (but newline and tab) become visible
/// escapes (`\u{1b}`), so a file name or doc comment cannot move the cursor, set the title
/// or write the clipboard; only SGR colour sequences (`ESC [ 0-9;… m`, as our own styling
/// emits) pass through.
pub fn sanitize(text: &str) -> std::borrow::Cow<'_, str> {
    let unsafe_char = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(unsafe_char) {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\u{1b}' {
            // An SGR sequence: ESC '[' digits and ';' then 'm'.
            let body = &rest[1..];
            if let Some(params) = body.strip_prefix('[') {
                let end = params
                    .find(|ch: char| !(ch.is_ascii_digit() || ch == ';'))
                    .unwrap_or(params.len());
                if params[end..].starts_with('m') {
                    let len = 1 + 1 + end + 1;
                    out.push_str(&rest[..len]);
                    rest = &rest[len..];
                    continue;
                }
            }
        }
        if unsafe_char(c) {
            out.push_str(&c.escape_unicode().to_string());
        } else {
            out.push(c);
        }
        rest = &rest[c.len_utf8()..];
    }
    std::borrow::Cow::Owned(out)
}

fn use_color(choice: ColorChoice, is_tty: bool) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => is_tty && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()),
    }
}

impl Output {
    /// Sets up printing for the given flags.
    pub fn new(format: Format, color: ColorChoice, quiet: bool) -> Output {
        Output {
            format,
            color_stderr: use_color(color, io::stderr().is_terminal()),
            color_stdout: use_color(color, io::stdout().is_terminal()),
            quiet,
            stale: Default::default(),
            coverage: Default::default(),
            diagnostics: Default::default(),
        }
    }

    fn paint(&self, on: bool, style: Style, text: &str) -> String {
        if on {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_string()
        }
    }

    /// Styles `text` for stdout (human results).
    pub fn bold(&self, text: &str) -> String {
        self.paint(self.color_stdout, Style::new().effects(Effects::BOLD), text)
    }

    /// Dims `text` for stdout (locations, notes).
    pub fn dim(&self, text: &str) -> String {
        self.paint(
            self.color_stdout,
            Style::new().effects(Effects::DIMMED),
            text,
        )
    }

    /// Marks a row that rests on a guess: `[medium]` (a glob import, the prelude or a trait
    /// lookup) or `[low]` (a name-only match), yellow on a terminal; empty for `high`.
    pub fn confidence_mark(&self, confidence: crate::graph::Confidence) -> String {
        use crate::graph::Confidence;
        let text = match confidence {
            Confidence::High => return String::new(),
            Confidence::Medium => "[medium]",
            Confidence::Low => "[low]",
        };
        format!(
            "  {}",
            self.paint(self.color_stdout, AnsiColor::Yellow.on_default(), text)
        )
    }

    /// Records each package's coverage, for the JSON envelope's `coverage`.
    pub fn set_coverage(&self, coverage: Vec<crate::query::coverage::PackageCoverage>) {
        *self.coverage.borrow_mut() = coverage;
    }

    /// Records the problems found while indexing, for the JSON envelope's `diagnostics`.
    pub fn set_diagnostics(&self, diagnostics: Vec<crate::diagnostics::Diagnostic>) {
        *self.diagnostics.borrow_mut() = diagnostics;
    }

    /// Records the files whose facts are stale, for the JSON envelope's `stale_files`.
    pub fn set_stale(&self, files: Vec<String>) {
        *self.stale.borrow_mut() = files;
    }

    /// Whether a progress bar may be drawn: stderr is a terminal and `--quiet` is off.
    pub fn may_draw_progress(&self) -> bool {
        !self.quiet && io::stderr().is_terminal()
    }

    /// A cargo-style status line: a bold green verb right-aligned to 12 columns.
    pub fn status(&self, verb: &str, message: &str) {
        if self.quiet {
            return;
        }
        let style = AnsiColor::Green.on_default().effects(Effects::BOLD);
        eprintln!(
            "{} {}",
            self.paint(self.color_stderr, style, &format!("{verb:>12}")),
            sanitize(message)
        );
    }

    /// `warning: …` on stderr (suppressed by `--quiet`).
    pub fn warning(&self, message: &str) {
        if self.quiet {
            return;
        }
        let style = AnsiColor::Yellow.on_default().effects(Effects::BOLD);
        eprintln!(
            "{}: {}",
            self.paint(self.color_stderr, style, "warning"),
            sanitize(message)
        );
    }

    /// `error: …` on stderr (never suppressed).
    pub fn error(&self, message: &str) {
        let style = AnsiColor::Red.on_default().effects(Effects::BOLD);
        eprintln!(
            "{}: {}",
            self.paint(self.color_stderr, style, "error"),
            sanitize(message)
        );
    }

    /// Prints `text` on stdout as it is, whatever the format (a completion script).
    ///
    /// # Errors
    /// [`Error::Fatal`] wrapping the I/O error writing stdout.
    pub fn text(&self, text: &str) -> crate::error::Result<()> {
        let mut stdout = io::stdout().lock();
        stdout
            .write_all(text.as_bytes())
            .and_then(|()| stdout.flush())
            .map_err(|e| {
                Error::Fatal(anyhow::Error::new(e).context("could not write the result to stdout"))
            })
    }

    /// Prints a result: `human` for people, or `result` inside a JSON envelope.
    ///
    /// # Errors
    /// [`Error::Fatal`] wrapping the I/O error writing stdout (a closed pipe keeps its
    /// `BrokenPipe` kind in the error chain).
    pub fn result<T: Serialize>(
        &self,
        command: &str,
        partial: bool,
        result: &T,
        human: impl FnOnce() -> String,
    ) -> crate::error::Result<()> {
        let mut stdout = io::stdout().lock();
        self.write_result(&mut stdout, command, partial, result, human)
            .and_then(|()| stdout.flush())
            .map_err(|e| {
                Error::Fatal(anyhow::Error::new(e).context("could not write the result to stdout"))
            })
    }

    /// Like [`Output::result`], into `file` when given: written to a temporary file beside
    /// it and renamed over it (parent directories created), so a reader never sees half.
    ///
    /// # Errors
    /// [`Error::Usage`] naming the file when it cannot be written.
    pub fn result_to<T: Serialize>(
        &self,
        file: Option<&Path>,
        command: &str,
        partial: bool,
        result: &T,
        human: impl FnOnce() -> String,
    ) -> crate::error::Result<()> {
        let Some(file) = file else {
            return self.result(command, partial, result, human);
        };
        let dir = match file.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        // Only a regular file (or nothing) is replaced by a rename, keeping its mode; anything
        // else (a symbolic link, `/dev/null`, a FIFO, `/proc/self/fd/1`) is written in place.
        let existing = std::fs::symlink_metadata(file).ok();
        let written = match existing {
            Some(m) if !m.file_type().is_file() => std::fs::OpenOptions::new()
                .write(true)
                .truncate(true)
                .open(file)
                .and_then(|mut f| self.write_result(&mut f, command, partial, result, human)),
            _ => std::fs::create_dir_all(dir)
                .and_then(|()| {
                    let mut builder = tempfile::Builder::new();
                    // A new file gets the umask's mode, as `File::create` would give it.
                    #[cfg(unix)]
                    {
                        use std::os::unix::fs::PermissionsExt;
                        builder.permissions(std::fs::Permissions::from_mode(0o666));
                    }
                    builder.tempfile_in(dir)
                })
                .and_then(|mut tmp| {
                    self.write_result(&mut tmp, command, partial, result, human)?;
                    if let Some(m) = &existing {
                        tmp.as_file().set_permissions(m.permissions())?;
                    }
                    tmp.persist(file).map_err(|e| e.error)?;
                    Ok(())
                }),
        };
        written.map_err(|e| {
            Error::Usage(format!(
                "could not write {}: {e}; check the path given to --output",
                file.display()
            ))
        })
    }

    fn write_result<T: Serialize>(
        &self,
        out: &mut impl Write,
        command: &str,
        partial: bool,
        result: &T,
        human: impl FnOnce() -> String,
    ) -> io::Result<()> {
        match self.format {
            Format::Json => {
                let stale = self.stale.borrow();
                let coverage = self.coverage.borrow();
                let diagnostics = self.diagnostics.borrow();
                let env = Envelope {
                    format_version: JSON_FORMAT_VERSION,
                    command,
                    partial,
                    stale_files: &stale,
                    coverage: &coverage,
                    diagnostics: &diagnostics,
                    result,
                };
                serde_json::to_writer_pretty(&mut *out, &env)?;
                out.write_all(b"\n")
            }
            _ => out.write_all(sanitize(&human()).as_bytes()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn control_characters_are_escaped_but_colours_pass() {
        assert_eq!(sanitize("plain\ttext\n"), "plain\ttext\n");
        assert_eq!(
            sanitize("doc \u{1b}]0;pwned\u{7} end"),
            "doc \\u{1b}]0;pwned\\u{7} end"
        );
        assert_eq!(sanitize("\u{1b}[1mbold\u{1b}[0m"), "\u{1b}[1mbold\u{1b}[0m");
        assert_eq!(sanitize("a\rb\u{1b}[2Jc"), "a\\u{d}b\\u{1b}[2Jc");
    }
}
