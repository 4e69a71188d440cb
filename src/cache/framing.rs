//! The on-disk framing every cache file shares: one line of header JSON, then the body.
//!
//! The header carries a magic string, the file kind, the schema version, the writing tool's
//! identity, the configuration fingerprint, and the body's length and xxh3-128 checksum, so a
//! corrupt, truncated, foreign or older file is recognised before its body is decoded.
//! Writes are atomic: a temporary file in the same directory, synced, then renamed.

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use std::io::Write;
use std::path::Path;

/// First field of every header.
pub const MAGIC: &str = "parseltongue-snapshot";
/// Bumped whenever a cache file's shape or meaning changes; older files are rebuilt.
pub const SCHEMA_VERSION: u32 = 18;
/// Bodies above this length are refused without reading them (a hostile or corrupt length
/// never becomes a huge allocation).
pub const MAX_BODY_LEN: u64 = 4 << 30;

/// The header line.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    /// Always [`MAGIC`].
    pub magic: String,
    /// Which cache file this is (`index`, `graph`, `facts`).
    pub kind: String,
    /// [`SCHEMA_VERSION`] of the writer.
    pub schema: u32,
    /// The writing tool's identity ([`super::tool_version`]).
    pub tool: String,
    /// Fingerprint of the configuration the body depends on (empty when it depends on none).
    pub config: String,
    /// Body length in bytes.
    pub body_len: u64,
    /// xxh3-128 of the body bytes, 32 hex digits.
    pub body_xxh3: String,
}

/// Why a cache file was not used. The text is what the user sees after "ignoring snapshot".
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejected {
    /// The file does not exist (not worth a warning).
    Missing,
    /// It exists but is not a valid, current file for this configuration (the reason).
    Invalid(String),
}

impl std::fmt::Display for Rejected {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejected::Missing => write!(f, "missing"),
            Rejected::Invalid(why) => write!(f, "{why}"),
        }
    }
}

/// What a reader expects of a header.
#[derive(Debug, Clone, Copy)]
pub struct Expect<'a> {
    /// File kind.
    pub kind: &'a str,
    /// Tool identity.
    pub tool: &'a str,
    /// Configuration fingerprint.
    pub config: &'a str,
}

/// xxh3-128 of `bytes` as 32 hex digits.
pub fn digest(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

/// Reads and validates a framed file, in order: magic, kind, schema, tool, configuration,
/// body length, checksum, then decodes the body.
///
/// # Errors
/// [`Rejected::Missing`] when there is no file; [`Rejected::Invalid`] with the first check
/// that failed otherwise.
pub fn read<T: DeserializeOwned>(path: &Path, expect: Expect<'_>) -> Result<(Header, T), Rejected> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Err(Rejected::Missing),
        Err(e) => return Err(Rejected::Invalid(format!("could not read it: {e}"))),
    };
    let (header, body) = check(&bytes, expect)?;
    let value = serde_json::from_slice(body)
        .map_err(|e| Rejected::Invalid(format!("body does not decode: {e}")))?;
    Ok((header, value))
}

/// Validates the header and checksum of a framed file's bytes; returns the header and body.
///
/// # Errors
/// [`Rejected::Invalid`] naming the first check that failed.
pub fn check<'b>(bytes: &'b [u8], expect: Expect<'_>) -> Result<(Header, &'b [u8]), Rejected> {
    let invalid = |why: String| Err(Rejected::Invalid(why));
    if bytes.is_empty() {
        return invalid("empty file".into());
    }
    let Some(newline) = bytes.iter().take(64 << 10).position(|b| *b == b'\n') else {
        return invalid("no header line".into());
    };
    #[derive(Deserialize)]
    struct Magic {
        magic: String,
    }
    match serde_json::from_slice::<Magic>(&bytes[..newline]) {
        Ok(m) if m.magic == MAGIC => {}
        _ => return invalid("not a parseltongue snapshot (bad magic)".into()),
    }
    let header: Header = match serde_json::from_slice(&bytes[..newline]) {
        Ok(h) => h,
        Err(e) => return invalid(format!("header does not decode: {e}")),
    };
    if header.kind != expect.kind {
        return invalid(format!("a {} file, expected {}", header.kind, expect.kind));
    }
    if header.schema != SCHEMA_VERSION {
        return invalid(format!(
            "schema {}, this tool reads schema {SCHEMA_VERSION}",
            header.schema
        ));
    }
    if header.tool != expect.tool {
        return invalid(format!("written by another build ({})", header.tool));
    }
    if header.config != expect.config {
        return invalid("configuration changed".into());
    }
    let body = &bytes[newline + 1..];
    if header.body_len > MAX_BODY_LEN || header.body_len != body.len() as u64 {
        return invalid(format!(
            "truncated or padded: body is {} bytes, header says {}",
            body.len(),
            header.body_len
        ));
    }
    if digest(body) != header.body_xxh3 {
        return invalid("checksum mismatch (corrupt)".into());
    }
    Ok((header, body))
}

/// Serialises `body` with its header into bytes.
///
/// # Errors
/// A serialisation error of `body`.
pub fn encode<T: Serialize>(
    kind: &str,
    tool: &str,
    config: &str,
    body: &T,
) -> serde_json::Result<Vec<u8>> {
    frame(kind, tool, config, serde_json::to_vec(body)?)
}

/// Puts the header line in front of an already serialised `body`.
///
/// # Errors
/// A serialisation error of the header (none in practice).
pub fn frame(kind: &str, tool: &str, config: &str, body: Vec<u8>) -> serde_json::Result<Vec<u8>> {
    let mut out = header_line(kind, tool, config, &body, &digest(&body))?;
    out.extend_from_slice(&body);
    Ok(out)
}

/// The header line (with its newline) that frames `body`, whose [`digest`] is
/// `body_digest`, for writing the two with [`write_atomic_parts`] without copying a large
/// body behind it.
///
/// # Errors
/// A serialisation error of the header (none in practice).
pub fn header_line(
    kind: &str,
    tool: &str,
    config: &str,
    body: &[u8],
    body_digest: &str,
) -> serde_json::Result<Vec<u8>> {
    let header = Header {
        magic: MAGIC.to_string(),
        kind: kind.to_string(),
        schema: SCHEMA_VERSION,
        tool: tool.to_string(),
        config: config.to_string(),
        body_len: body.len() as u64,
        body_xxh3: body_digest.to_string(),
    };
    let mut out = serde_json::to_vec(&header)?;
    out.push(b'\n');
    Ok(out)
}

/// Writes `bytes` to `path` atomically: a temporary `.snapshot-*` file in the same
/// directory, synced, then renamed over `path`. Readers see the old file or the new one.
///
/// # Errors
/// Any I/O error (read-only or full directory); `path` is then left as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write_atomic_parts(path, &[bytes])
}

/// [`write_atomic`] of the concatenation of `parts` (a header line and a large body).
///
/// # Errors
/// As [`write_atomic`].
pub fn write_atomic_parts(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    write_then_rename(path, parts)
}

/// Writes a content-addressed, checksummed file (a facts shard) in place: created or
/// truncated, then written, with neither a temporary file nor a rename (two directory
/// operations per shard that cost a cold build of a large workspace ~100 ms of system
/// time). A crash or a reader racing the write sees a torn file, which its header's length
/// and checksum reject: a miss, re-derived, never a wrong answer. Writers hold the cache
/// lock, so two never write one shard at once.
///
/// # Errors
/// Any I/O error; a partly written file is then removed (best effort).
pub fn write_checksummed_in_place(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let written = std::fs::File::create(path).and_then(|mut f| f.write_all(bytes));
    if written.is_err() {
        let _ = std::fs::remove_file(path);
    }
    written
}

fn write_then_rename(path: &Path, parts: &[&[u8]]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let mut builder = tempfile::Builder::new();
    builder.prefix(".snapshot-");
    // The umask's mode, as `File::create` gives it (a CI cache is shared with its readers).
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(dir)?;
    for part in parts {
        tmp.write_all(part)?;
    }
    tmp.as_file().sync_data()?;
    tmp.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Removes the `.snapshot-*` temporary files in `dir`, left by a run killed mid-write. Call
/// it with the lock held: no other writer is alive then. Errors are ignored: this is
/// housekeeping.
pub fn remove_leftovers(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for e in entries.flatten() {
        if e.file_name().to_string_lossy().starts_with(".snapshot-") {
            let _ = std::fs::remove_file(e.path());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_any_age_go_and_files_get_the_umasks_mode() {
        let dir = tempfile::tempdir().unwrap();
        let leftover = dir.path().join(".snapshot-abc");
        std::fs::write(&leftover, b"half").unwrap();
        let kept = dir.path().join("graph-v5.json");
        write_atomic(&kept, b"whole").unwrap();
        remove_leftovers(dir.path());
        assert!(!leftover.exists());
        assert_eq!(std::fs::read(&kept).unwrap(), b"whole");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let probe = dir.path().join("probe");
            std::fs::File::create(&probe).unwrap();
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&kept), mode(&probe));
        }
    }

    const EXPECT: Expect<'static> = Expect {
        kind: "index",
        tool: "t",
        config: "c",
    };

    #[test]
    fn round_trips_and_rejects_every_damage() {
        let bytes = encode("index", "t", "c", &vec![1u32, 2, 3]).unwrap();
        let (_, body) = check(&bytes, EXPECT).unwrap();
        assert_eq!(serde_json::from_slice::<Vec<u32>>(body).unwrap(), [1, 2, 3]);
        for cut in 0..bytes.len() {
            assert!(
                check(&bytes[..cut], EXPECT).is_err(),
                "prefix {cut} accepted"
            );
        }
        for i in 0..bytes.len() {
            let mut flipped = bytes.clone();
            flipped[i] ^= 0x20;
            assert!(check(&flipped, EXPECT).is_err(), "flip at {i} accepted");
        }
        let other = Expect {
            config: "d",
            ..EXPECT
        };
        assert_eq!(
            check(&bytes, other).unwrap_err(),
            Rejected::Invalid("configuration changed".into())
        );
    }
}
