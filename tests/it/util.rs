//! Runs the real binary on a fixture with a scrubbed environment and a temporary target dir.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Absolute path of `fixtures/<name>`.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fixtures")
        .join(name)
}

/// What a run printed and returned.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Exit code, stdout and stderr in one text, for snapshots.
    pub fn transcript(&self) -> String {
        format!(
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }

    /// stdout parsed as JSON.
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }
}

/// Runs `cargo-parseltongue ARGS` in `dir` with its own `CARGO_TARGET_DIR` (`target`).
pub fn run_in(dir: &Path, target: &Path, args: &[&str]) -> Run {
    let out = Command::new(env!("CARGO_BIN_EXE_cargo-parseltongue"))
        .args(args)
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", target)
        .env("CARGO_TERM_COLOR", "never")
        .env("RUST_BACKTRACE", "0")
        .env_remove("CI")
        .env_remove("NO_COLOR")
        .output()
        .expect("the binary runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// Runs on fixture `name` with a fresh temporary target dir.
pub fn run(name: &str, args: &[&str]) -> Run {
    let target = tempfile::tempdir().unwrap();
    run_in(&fixture(name), target.path(), args)
}

/// Replaces timings so snapshots are stable.
pub fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.add_filter(r"\d+(\.\d+)? ?(ms|s)\b", "[time]");
    s.add_filter(
        r#""(metadata|lock|stat|hash|load|read|parse|resolve|write)": [0-9.e-]+"#,
        "\"$1\": [ms]",
    );
    s.add_filter(r#""mtime_ns": \d+"#, "\"mtime_ns\": [mtime]");
    s.add_filter(r#""recorded_at": \d+"#, "\"recorded_at\": [time]");
    s.set_prepend_module_to_snapshot(false);
    s
}

/// Copies a fixture into a fresh temporary directory (for tests that edit files).
pub fn copy_fixture(name: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&fixture(name), dir.path());
    dir
}

/// Copies the directory tree `from` into `to` (created).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for entry in std::fs::read_dir(from).unwrap() {
        let entry = entry.unwrap();
        let dest = to.join(entry.file_name());
        let kind = entry.file_type().unwrap();
        if kind.is_symlink() {
            // Symlinks stay symlinks (a fixture's symlinked source directory).
            #[cfg(unix)]
            std::os::unix::fs::symlink(std::fs::read_link(entry.path()).unwrap(), &dest).unwrap();
        } else if kind.is_dir() {
            if entry.file_name() != "target" {
                copy_dir(&entry.path(), &dest);
            }
        } else {
            std::fs::copy(entry.path(), dest).unwrap();
        }
    }
}

/// One insta snapshot test per line, each running the binary with the given arguments:
/// `snapshot_tests! { "fixture"; name: ["arg", …]; … }`, or with a fixture per line,
/// `snapshot_tests! { name: "fixture", ["arg", …]; … }`.
macro_rules! snapshot_tests {
    ($fixture:literal; $($name:ident: [$($arg:literal),*];)*) => {
        $crate::util::snapshot_tests! { $($name: $fixture, [$($arg),*];)* }
    };
    ($($name:ident: $fixture:literal, [$($arg:literal),*];)*) => {
        $(
            #[test]
            fn $name() {
                $crate::queries::check(stringify!($name), $fixture, &[$($arg),*]);
            }
        )*
    };
}
pub(crate) use snapshot_tests;
