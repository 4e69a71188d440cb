//! Fixtures committed to scratch git repositories, for the tests of `--since`, `--staged`
//! and the pre-commit hooks.

use crate::util::copy_fixture;
use std::path::Path;
use std::process::Command;

/// Runs `git ARGS` in `dir` with a fixed identity; panics with git's stderr on failure.
pub fn git(dir: &Path, args: &[&str]) {
    let out = git_output(dir, args);
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Gives `cmd` (git, or a program that runs git) a fixed author and committer.
pub fn with_identity(cmd: &mut Command) -> &mut Command {
    cmd.env("GIT_AUTHOR_NAME", "test")
        .env("GIT_AUTHOR_EMAIL", "test@example.com")
        .env("GIT_COMMITTER_NAME", "test")
        .env("GIT_COMMITTER_EMAIL", "test@example.com")
}

/// Runs `git ARGS` in `dir` with a fixed identity and returns what it did.
pub fn git_output(dir: &Path, args: &[&str]) -> std::process::Output {
    with_identity(Command::new("git").args(args).current_dir(dir))
        .env_remove("GIT_DIR")
        .env_remove("GIT_INDEX_FILE")
        .output()
        .expect("git runs")
}

/// Fixture `name` committed as the only commit of a new repository on branch `main`.
pub fn repo(name: &str) -> tempfile::TempDir {
    let dir = copy_fixture(name);
    git(dir.path(), &["init", "-q", "-b", "main"]);
    git(dir.path(), &["add", "."]);
    git(dir.path(), &["commit", "-q", "-m", "base"]);
    dir
}

/// Replaces the first `from` in `file` (relative to `dir`) with `to`.
pub fn edit(dir: &Path, file: &str, from: &str, to: &str) {
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "{file} lacks {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
}
