//! One file's facts: what loading a file gave ([`FileOutcome`]), where facts come from
//! ([`FileLoader`]: the cold loader here, the incremental engine's cache elsewhere), and the
//! way from bytes to facts — UTF-8 decoding, the size and nesting guards, syn's parse and
//! extraction, a panic in extraction contained as a diagnostic.

use super::extract;
use super::facts::FileFacts;
use crate::diagnostics::{Diagnostic, DiagnosticKind};
use crate::source::SourceTree;
use std::collections::HashMap;
use std::path::Path;
use std::time::{Duration, Instant};

/// Bracket nesting beyond which a file is skipped rather than risk the parser's stack.
pub const MAX_NESTING: usize = 1_000;
/// Files longer than this many bytes are skipped (generated data, not code to index).
pub const MAX_FILE_LEN: usize = 16 << 20;

/// What loading one file gave, and what each step took.
#[derive(Debug)]
pub struct FileOutcome {
    /// xxh3-128 of the raw bytes (0 if unreadable).
    pub hash: u128,
    /// The facts, or the diagnostic saying why there are none.
    pub facts: Result<FileFacts, Diagnostic>,
    /// For a file that does not parse now: the facts of its last content that did, used as a
    /// stale layer (the diagnostic is still reported).
    pub last_good: Option<FileFacts>,
    /// Time spent reading (and hashing).
    pub read: Duration,
    /// Time spent parsing.
    pub parse: Duration,
}

/// A request to extract a file again with other files' macros visible.
#[derive(Debug)]
pub struct Reextract<'a> {
    /// Absolute path.
    pub path: &'a Path,
    /// Workspace-relative path.
    pub rel: &'a str,
    /// Content hash the first extraction saw; the re-extraction must see the same bytes.
    pub hash: u128,
    /// Digest of the macro definitions in `visible` the file calls ([`macros_key`]).
    pub macros_key: u128,
    /// Macro name → `macro_rules!` text.
    pub visible: &'a HashMap<String, String>,
    /// The crate the file is compiled into (the first, when several): `$crate` in the
    /// expansion of another crate's macro called by its bare name names the crate defining
    /// it, not this one.
    pub calling_crate: Option<&'a str>,
}

/// Where a file's facts come from: read and parse ([`ColdLoader`]) or a cache keyed by
/// content hash (the incremental engine).
pub trait FileLoader: Sync {
    /// Facts of the file at `path` (`rel` relative to the workspace root).
    fn load(&self, source: &dyn SourceTree, path: &Path, rel: &str) -> FileOutcome;
    /// Facts of the file extracted again with `request.visible` macros, or `None` to keep the
    /// first extraction (unreadable, changed since, or no longer parsing).
    fn reextract(&self, source: &dyn SourceTree, request: &Reextract<'_>) -> Option<FileFacts> {
        reextract_file(source, request).flatten()
    }
    /// Called once every file is loaded, before linking starts (for progress displays).
    fn all_loaded(&self) {}
}

/// Reads and parses every file; no cache.
#[derive(Clone, Copy, Debug, Default)]
pub struct ColdLoader;

impl FileLoader for ColdLoader {
    fn load(&self, source: &dyn SourceTree, path: &Path, rel: &str) -> FileOutcome {
        load_timed(source, path, |bytes, _| parse_bytes(bytes, rel))
    }
}

/// Reads the file at `path`, then gets its facts from `facts(bytes, content hash)` (parsing
/// them, or from a cache), timing both steps; no stale layer.
pub fn load_timed(
    source: &dyn SourceTree,
    path: &Path,
    facts: impl FnOnce(std::io::Result<Vec<u8>>, u128) -> Result<FileFacts, Diagnostic>,
) -> FileOutcome {
    let start = Instant::now();
    let bytes = source.read(path);
    let read = start.elapsed();
    let start = Instant::now();
    let hash = bytes.as_ref().map_or(0, |b| content_id(b));
    let facts = facts(bytes, hash);
    FileOutcome {
        hash,
        facts,
        last_good: None,
        read,
        parse: start.elapsed(),
    }
}

/// xxh3-128 of raw bytes: a file's content identity.
pub fn content_id(bytes: &[u8]) -> u128 {
    xxhash_rust::xxh3::xxh3_128(bytes)
}

/// Re-reads the file of `request`, checks it still has the hash the first extraction saw,
/// and extracts it with the visible macros: `None` if the file cannot be read or changed
/// since, `Some(None)` if that content does not extract with them.
pub fn reextract_file(
    source: &dyn SourceTree,
    request: &Reextract<'_>,
) -> Option<Option<FileFacts>> {
    let bytes = source.read(request.path).ok()?;
    if content_id(&bytes) != request.hash {
        return None;
    }
    let text = String::from_utf8(bytes).ok();
    Some(
        text.and_then(|t| {
            parse_text_in(&t, request.rel, request.visible, request.calling_crate).ok()
        }),
    )
}

/// Facts from a file's bytes (or the error reading them). Errors are diagnostics naming `rel`.
pub fn parse_bytes(bytes: std::io::Result<Vec<u8>>, rel: &str) -> Result<FileFacts, Diagnostic> {
    decode(bytes, rel).and_then(|t| parse_text(&t, rel))
}

fn decode(bytes: std::io::Result<Vec<u8>>, rel: &str) -> Result<String, Diagnostic> {
    let diag =
        |kind, line, column, message: String| Diagnostic::new(kind, rel, line, column, message);
    let bytes = match bytes {
        Ok(b) => b,
        Err(e) => {
            return Err(diag(
                DiagnosticKind::Unreadable,
                0,
                0,
                format!("could not read file: {e}; check its permissions"),
            ));
        }
    };
    if bytes.len() > MAX_FILE_LEN {
        return Err(diag(
            DiagnosticKind::TooLarge,
            0,
            0,
            format!(
                "file is {} bytes (limit {MAX_FILE_LEN}); skipped",
                bytes.len()
            ),
        ));
    }
    match String::from_utf8(bytes) {
        Ok(t) => Ok(t),
        Err(e) => {
            let offset = e.utf8_error().valid_up_to();
            let before = &e.as_bytes()[..offset];
            let line = before.iter().filter(|b| **b == b'\n').count() as u32 + 1;
            let line_start = before
                .iter()
                .rposition(|b| *b == b'\n')
                .map_or(0, |p| p + 1);
            let column = String::from_utf8_lossy(&before[line_start..])
                .chars()
                .count() as u32
                + 1;
            Err(diag(
                DiagnosticKind::NotUtf8,
                line,
                column,
                format!("file is not valid UTF-8 (byte {offset}); Rust sources must be UTF-8"),
            ))
        }
    }
}

/// Parses source text into facts. Errors are diagnostics naming `rel`.
pub fn parse_text(text: &str, rel: &str) -> Result<FileFacts, Diagnostic> {
    parse_text_with(text, rel, &HashMap::new())
}

/// [`parse_text`] with the `macro_rules!` definitions of other files visible (name → rules
/// as token text) for calls inside impl and trait bodies.
pub fn parse_text_with(
    text: &str,
    rel: &str,
    visible: &HashMap<String, String>,
) -> Result<FileFacts, Diagnostic> {
    parse_text_in(text, rel, visible, None)
}

/// [`parse_text_with`] for a file compiled into `calling_crate` ([`Reextract::calling_crate`]).
fn parse_text_in(
    text: &str,
    rel: &str,
    visible: &HashMap<String, String>,
    calling_crate: Option<&str>,
) -> Result<FileFacts, Diagnostic> {
    let diag =
        |kind, line, column, message: String| Diagnostic::new(kind, rel, line, column, message);
    let depth = nesting_depth(text);
    if depth > MAX_NESTING {
        return Err(diag(
            DiagnosticKind::TooDeep,
            0,
            0,
            format!(
                "nesting {depth} deep (brackets, or operator chains like `&&&…` / \
                 `Vec<Vec<…>>` counted {OPERATORS_PER_LEVEL} to a level; limit {MAX_NESTING}); \
                 file skipped"
            ),
        ));
    }
    let mut content = text.strip_prefix('\u{feff}').unwrap_or(text).to_string();
    // A shebang line (not `#![attr]`) is blanked out, keeping line numbers.
    if content.starts_with("#!") && !content[2..].trim_start().starts_with('[') {
        let end = content.find('\n').unwrap_or(content.len());
        content.replace_range(..end, &" ".repeat(end));
    }
    let result = match syn::parse_str::<syn::File>(&content) {
        // A panic in extraction (a dependency meeting syntax it does not support) costs this
        // file, not the run.
        Ok(file) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            extract::extract(&file, visible, calling_crate)
        }))
        .map_err(|panic| {
            let what = panic
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| panic.downcast_ref::<&str>().copied())
                .unwrap_or("unknown");
            diag(
                DiagnosticKind::SyntaxError,
                0,
                0,
                format!("internal error extracting this file ({what}); the file is skipped, please report it"),
            )
        }),
        Err(e) => {
            let start = e.span().start();
            let what = match e.to_string().as_str() {
                "cannot parse string into token stream" => {
                    "unbalanced delimiter or invalid token".to_string()
                }
                other => other.to_string(),
            };
            Err(diag(
                DiagnosticKind::SyntaxError,
                start.line as u32,
                start.column as u32 + 1,
                format!("syntax error: {what}; the file is skipped until it parses"),
            ))
        }
    };
    // Spans hold offsets into a per-thread source map that otherwise grows forever.
    proc_macro2::extra::invalidate_current_thread_spans();
    result
}

/// Operator and keyword tokens in one statement worth one level of bracket nesting in
/// [`nesting_depth`]: the parser recurses once per `&`, `*`, `!`, `-`, `<`, `=`, `|`,
/// `return`, … in a chain (`&&&…&u8`, `Vec<Vec<…>>`, `a = a = …`), and 256 MiB of stack
/// holds about 20,000 of them; MAX_NESTING × this is 5,000.
const OPERATORS_PER_LEVEL: usize = 5;

/// How deep the parser may recurse on `text`: the deepest bracket nesting, or the longest
/// run of recursion-prone operators and keywords in one statement (between `;`, `,`, `{`
/// and `}`) divided by [`OPERATORS_PER_LEVEL`], whichever is more. Comments, strings and
/// char literals are skipped.
pub fn nesting_depth(text: &str) -> usize {
    let b = text.as_bytes();
    let (mut i, mut depth, mut max) = (0usize, 0usize, 0usize);
    let (mut run, mut max_run) = (0usize, 0usize);
    while i < b.len() {
        match b[i] {
            b'&' | b'*' | b'!' | b'-' | b'<' | b'=' | b'|' => {
                run += 1;
                max_run = max_run.max(run);
            }
            b';' | b',' => run = 0,
            c if (c.is_ascii_alphabetic() || c == b'_')
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_'))
                && !matches!(b.get(i + 1), Some(b'#') | Some(b'"')) =>
            {
                let end = b[i..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'_'))
                    .map_or(b.len(), |p| i + p);
                if matches!(
                    &b[i..end],
                    b"return" | b"break" | b"move" | b"box" | b"fn" | b"impl" | b"dyn" | b"yield"
                ) {
                    run += 1;
                    max_run = max_run.max(run);
                }
                i = end;
                continue;
            }
            b'/' if b.get(i + 1) == Some(&b'/') => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
            }
            b'/' if b.get(i + 1) == Some(&b'*') => {
                let mut level = 0usize;
                while i < b.len() {
                    if b[i] == b'/' && b.get(i + 1) == Some(&b'*') {
                        level += 1;
                        i += 2;
                    } else if b[i] == b'*' && b.get(i + 1) == Some(&b'/') {
                        level -= 1;
                        i += 2;
                        if level == 0 {
                            break;
                        }
                    } else {
                        i += 1;
                    }
                }
                continue;
            }
            b'r' if matches!(b.get(i + 1), Some(b'#') | Some(b'"'))
                && (i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')) =>
            {
                let mut j = i + 1;
                let mut hashes = 0;
                while b.get(j) == Some(&b'#') {
                    hashes += 1;
                    j += 1;
                }
                if b.get(j) == Some(&b'"') {
                    j += 1;
                    'raw: while j < b.len() {
                        if b[j] == b'"' && (0..hashes).all(|h| b.get(j + 1 + h) == Some(&b'#')) {
                            j += 1 + hashes;
                            break 'raw;
                        }
                        j += 1;
                    }
                    i = j;
                    continue;
                }
            }
            b'"' => {
                i += 1;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
            }
            b'\'' => {
                // A char literal ('x', '\n', '\u{..}') rather than a lifetime.
                if b.get(i + 1) == Some(&b'\\') {
                    i += 2;
                    while i < b.len() && b[i] != b'\'' {
                        i += 1;
                    }
                } else if let Some(c) = text[i + 1..].chars().next()
                    && text[i + 1 + c.len_utf8()..].starts_with('\'')
                {
                    i += 1 + c.len_utf8();
                }
            }
            b'(' | b'[' | b'{' => {
                if b[i] == b'{' {
                    run = 0;
                }
                depth += 1;
                max = max.max(depth);
            }
            b')' | b']' | b'}' => {
                if b[i] == b'}' {
                    run = 0;
                }
                depth = depth.saturating_sub(1);
            }
            _ => {}
        }
        i += 1;
    }
    max.max(max_run / OPERATORS_PER_LEVEL)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::on_parser_pool;

    #[test]
    fn operator_chains_count_toward_nesting() {
        let chain = |n: usize| format!("type T = {}u8;", "&".repeat(n));
        assert!(nesting_depth(&chain(100_000)) > MAX_NESTING);
        assert!(nesting_depth(&chain(1_000)) < MAX_NESTING);
        let vecs = format!(
            "type T = {}u8{};",
            "Vec<".repeat(30_000),
            ">".repeat(30_000)
        );
        assert!(nesting_depth(&vecs) > MAX_NESTING);
        let returns = format!("fn f() {{ {}1 }}", "return ".repeat(10_000));
        assert!(nesting_depth(&returns) > MAX_NESTING);
        // Long but flat: an array of negative numbers, a long `a - b - c` is one run per
        // element or 1 per operator.
        let array = format!("const A: [i32; 20000] = [{}];", "-1, ".repeat(20_000));
        assert!(nesting_depth(&array) < 10);
        // Strings and identifiers with those letters do not count.
        assert_eq!(nesting_depth("fn returns() { let s = \"&&&&&&&&&&\"; }"), 1);
    }

    #[test]
    fn nesting_ignores_brackets_in_strings_comments_and_chars() {
        assert_eq!(nesting_depth("fn f() { g((\"(((\", '(')); // (((\n }"), 3);
        assert_eq!(
            nesting_depth("fn f<'a>(x: &'a str) { r#\"{{{\"#; /* ( /* ( */ */ }"),
            1
        );
    }

    #[test]
    fn a_macro_a_body_defines_expands_in_that_body_only() {
        // sha2's `load_data_avx`: `macro_rules! unrolled_iterations` written in the function
        // and called right after, its expansion calling `rk`.
        let facts = parse_text(
            "fn load() -> u32 {\n\
                 macro_rules! twice { ($e:expr) => { rk($e) + rk($e) }; }\n\
                 twice!(1)\n\
             }\n\
             fn rk(x: u32) -> u32 { x }\n\
             fn elsewhere() -> u32 { twice!(2) }\n",
            "src/lib.rs",
        )
        .unwrap();
        let calls = |i: usize| -> Vec<(String, bool)> {
            facts.module.items[i]
                .refs
                .iter()
                .map(|r| (r.path.segments.join("::"), r.guessed))
                .collect()
        };
        assert_eq!(calls(0), [("rk".to_string(), false)]);
        // Out of its scope the name is unknown: the call's tokens are read as a guess.
        assert!(
            !calls(2).contains(&("rk".to_string(), false)),
            "{:?}",
            calls(2)
        );
        // Nor is it a macro of the file other files see.
        assert!(facts.macros.is_empty(), "{:?}", facts.macros);
    }

    #[test]
    fn syntax_errors_become_diagnostics_with_positions() {
        let err = parse_text("fn ok() {}\nfn broken( {\n", "src/lib.rs").unwrap_err();
        assert_eq!(err.kind, DiagnosticKind::SyntaxError);
        assert_eq!(err.file, "src/lib.rs");
        assert!(err.line >= 2, "{err}");
    }

    #[test]
    fn unusual_types_do_not_take_the_run_down() {
        // Found by the `extract` fuzz target: prettyplease without `verbatim` panicked here.
        let facts = parse_text(
            "pub fn render(shape: &dyn * ape) -> String { todo!() }",
            "a.rs",
        );
        if let Ok(f) = facts {
            assert_eq!(f.module.items.len(), 1);
        }
    }

    #[test]
    fn deeply_nested_input_is_rejected_not_overflowed() {
        let text = format!("fn f() {{ {}1{} }}", "(".repeat(5000), ")".repeat(5000));
        let err = on_parser_pool(|| parse_text(&text, "deep.rs")).unwrap_err();
        assert_eq!(err.kind, DiagnosticKind::TooDeep);
        // Long flat chains are fine on the parser pool's large stacks.
        let chain = format!("fn f() -> u32 {{ {} 1 }}", "1 + ".repeat(20_000));
        assert!(on_parser_pool(|| parse_text(&chain, "chain.rs")).is_ok());
    }
}
