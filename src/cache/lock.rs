//! The advisory lock on `<cache dir>/.lock` that keeps concurrent invocations from doing the
//! same work twice. Correctness does not depend on it (every write is one atomic rename and
//! every entry is re-checked against the disk); a run that cannot lock still answers, it
//! only does not write.

use std::fs::{File, TryLockError};
use std::path::Path;
use std::time::{Duration, Instant};

/// Name of the lock file inside the cache directory.
pub const LOCK_FILE: &str = ".lock";

/// How taking the lock went.
#[derive(Debug)]
pub enum Locked {
    /// We hold the lock until this value is dropped (the OS releases it if we die).
    Held(File),
    /// Another invocation held it for the whole timeout: proceed without writing.
    TimedOut,
    /// No lock could be taken (read-only directory, unsupported file system), with the
    /// reason: proceed, but do not rely on it.
    Unavailable(String),
}

impl Locked {
    /// Whether this run may write the cache files.
    pub fn may_write(&self) -> bool {
        !matches!(self, Locked::TimedOut)
    }
}

/// Takes the lock in `dir`, waiting up to `timeout`. `waiting` is called once, before
/// blocking, so the caller can print cargo's "Blocking waiting for file lock" line.
pub fn acquire(dir: &Path, timeout: Duration, waiting: &mut dyn FnMut()) -> Locked {
    // A lock file that is a symbolic link would create or lock its target, wherever it
    // points: refuse it.
    let path = dir.join(LOCK_FILE);
    if std::fs::symlink_metadata(&path).is_ok_and(|m| m.file_type().is_symlink()) {
        return Locked::Unavailable(format!("{} is a symbolic link; remove it", path.display()));
    }
    let file = match std::fs::create_dir_all(dir).and_then(|()| {
        File::options()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
    }) {
        Ok(f) => f,
        Err(e) => return Locked::Unavailable(e.to_string()),
    };
    let start = Instant::now();
    let mut announced = false;
    loop {
        match file.try_lock() {
            Ok(()) => return Locked::Held(file),
            Err(TryLockError::WouldBlock) => {
                if !announced {
                    waiting();
                    announced = true;
                }
                if start.elapsed() >= timeout {
                    return Locked::TimedOut;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            Err(TryLockError::Error(e)) => return Locked::Unavailable(e.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_lock_file_that_is_a_symlink_is_refused_and_its_target_untouched() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("elsewhere");
        std::os::unix::fs::symlink(&target, dir.path().join(LOCK_FILE)).unwrap();
        let lock = acquire(dir.path(), Duration::ZERO, &mut || {});
        assert!(matches!(&lock, Locked::Unavailable(why) if why.contains("symbolic link")));
        assert!(!target.exists());
    }

    #[test]
    fn a_second_holder_waits_then_times_out() {
        let dir = tempfile::tempdir().unwrap();
        let first = acquire(dir.path(), Duration::ZERO, &mut || {});
        assert!(matches!(first, Locked::Held(_)));
        let mut waited = 0;
        let second = acquire(dir.path(), Duration::from_millis(60), &mut || waited += 1);
        assert!(matches!(second, Locked::TimedOut));
        assert_eq!(waited, 1);
        drop(first);
        let third = acquire(dir.path(), Duration::ZERO, &mut || {});
        assert!(matches!(third, Locked::Held(_)));
    }
}
