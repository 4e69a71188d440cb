//! The git CLI, as the change selection needs it: the repository root, a revision check
//! that tells a shallow clone apart, the changed files with renames, and file contents at a
//! revision or in the index.

use crate::error::{Error, Result};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A git work tree, driven through the `git` executable on `PATH`.
#[derive(Clone, Debug)]
pub struct Repo {
    /// Absolute, canonical path of the work tree's top level.
    pub root: PathBuf,
}

/// How a file changed between the two sides of a diff.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FileStatus {
    /// New on the new side (also untracked files with `--since`).
    Added,
    /// Gone on the new side.
    Deleted,
    /// Same path, different content.
    Modified,
    /// Moved from `from` (a path relative to the repository root), possibly edited.
    Renamed {
        /// The old path.
        from: String,
    },
}

/// One changed file, paths relative to the repository root with `/` separators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangedFile {
    /// Path on the new side (on the old side for deleted files).
    pub path: String,
    /// How it changed.
    pub status: FileStatus,
}

impl Repo {
    /// The repository containing `dir`.
    ///
    /// # Errors
    /// Usage error when `git` is missing or `dir` is not inside a git work tree.
    pub fn discover(dir: &Path) -> Result<Repo> {
        let top = run(dir, &["rev-parse", "--show-toplevel"]).map_err(|e| {
            Error::Usage(format!(
                "{} is not inside a git work tree ({e}); --since and --staged need git, \
                 --files works without it",
                dir.display()
            ))
        })?;
        let root = PathBuf::from(top.trim_end());
        Ok(Repo {
            root: root.canonicalize().unwrap_or(root),
        })
    }

    /// `rev` as a commit id. In a shallow clone that lacks it, says how to fetch it.
    ///
    /// # Errors
    /// Usage error for an unknown revision.
    pub fn commit(&self, rev: &str) -> Result<String> {
        if let Ok(id) = run(
            &self.root,
            &[
                "rev-parse",
                "--verify",
                "--quiet",
                &format!("{rev}^{{commit}}"),
            ],
        ) {
            return Ok(id.trim().to_string());
        }
        let shallow = run(&self.root, &["rev-parse", "--is-shallow-repository"])
            .is_ok_and(|s| s.trim() == "true");
        Err(Error::Usage(if shallow {
            format!(
                "revision `{rev}` is not in this shallow clone; fetch it first \
                 (`git fetch --depth=1 origin <branch>`, or `fetch-depth: 0` in \
                 actions/checkout)"
            )
        } else {
            format!("unknown revision `{rev}`; check the name (`git rev-parse {rev}`)")
        }))
    }

    /// The merge base of `commit` and `HEAD` (what a pull request is compared with), or
    /// `commit` itself when they share no history in this clone.
    pub fn merge_base(&self, commit: &str) -> String {
        run(&self.root, &["merge-base", commit, "HEAD"])
            .map(|s| s.trim().to_string())
            .unwrap_or_else(|_| commit.to_string())
    }

    /// Files that differ between `base` and the work tree (staged or not), renames detected,
    /// untracked files (not ignored) as added.
    ///
    /// # Errors
    /// Fatal when git fails.
    pub fn changed_since(&self, base: &str) -> Result<Vec<ChangedFile>> {
        let mut files = self.name_status(&["diff", "--name-status", "-z", "-M", base, "--"])?;
        let untracked = run(
            &self.root,
            &["ls-files", "--others", "--exclude-standard", "-z"],
        )
        .map_err(Error::Fatal)?;
        files.extend(
            untracked
                .split('\0')
                .filter(|p| !p.is_empty())
                .map(|p| ChangedFile {
                    path: p.to_string(),
                    status: FileStatus::Added,
                }),
        );
        Ok(files)
    }

    /// Files that differ between `HEAD` and the index (`git commit` would record them).
    ///
    /// # Errors
    /// Fatal when git fails.
    pub fn changed_staged(&self) -> Result<Vec<ChangedFile>> {
        self.name_status(&["diff", "--cached", "--name-status", "-z", "-M", "--"])
    }

    /// Whether `path` is tracked at `HEAD`.
    pub fn tracked_at_head(&self, path: &str) -> bool {
        run(&self.root, &["cat-file", "-e", &format!("HEAD:{path}")]).is_ok()
    }

    /// The content of `path` at `rev` (`""` for the index); `None` when it does not exist
    /// there.
    pub fn show(&self, rev: &str, path: &str) -> Option<String> {
        run(&self.root, &["show", &format!("{rev}:{path}")]).ok()
    }

    fn name_status(&self, args: &[&str]) -> Result<Vec<ChangedFile>> {
        let out = run(&self.root, args).map_err(Error::Fatal)?;
        let mut fields = out.split('\0').filter(|f| !f.is_empty());
        let mut files = Vec::new();
        while let Some(code) = fields.next() {
            let Some(path) = fields.next() else { break };
            let status = match code.as_bytes()[0] {
                b'A' => FileStatus::Added,
                b'D' => FileStatus::Deleted,
                b'R' | b'C' => {
                    let Some(new) = fields.next() else { break };
                    let from = path.to_string();
                    files.push(ChangedFile {
                        path: new.to_string(),
                        status: if code.starts_with('R') {
                            FileStatus::Renamed { from }
                        } else {
                            FileStatus::Added
                        },
                    });
                    continue;
                }
                _ => FileStatus::Modified,
            };
            files.push(ChangedFile {
                path: path.to_string(),
                status,
            });
        }
        Ok(files)
    }
}

/// Runs `git ARGS` in `dir`; its stdout, or an error with its stderr.
fn run(dir: &Path, args: &[&str]) -> anyhow::Result<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .map_err(|e| anyhow::anyhow!("could not run git: {e}; is git installed?"))?;
    if !out.status.success() {
        anyhow::bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    String::from_utf8(out.stdout).map_err(|e| anyhow::anyhow!("git printed non-UTF-8: {e}"))
}
