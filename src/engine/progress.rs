//! A refresh's progress, counted as it goes so another thread can draw it (the CLI's
//! progress bar). Counting costs one relaxed atomic add per file.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// What a refresh is doing.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Reading, parsing or reusing the facts of files.
    Indexing,
    /// Resolving names into edges and detecting exceptions.
    Linking,
    /// Writing the snapshot.
    Writing,
}

/// Counters of one refresh. Shared through an `Arc`; every field only grows during a
/// refresh.
#[derive(Debug, Default)]
pub struct Progress {
    files: AtomicUsize,
    expected: AtomicUsize,
    phase: AtomicU8,
}

impl Progress {
    /// Files loaded so far (from the facts cache or parsed).
    pub fn files(&self) -> usize {
        self.files.load(Ordering::Relaxed)
    }

    /// Files the previous snapshot indexed (what this refresh will likely load); 0 when
    /// there was none, so the total is unknown.
    pub fn expected(&self) -> usize {
        self.expected.load(Ordering::Relaxed)
    }

    /// What the refresh is doing now.
    pub fn phase(&self) -> Phase {
        match self.phase.load(Ordering::Relaxed) {
            0 => Phase::Indexing,
            1 => Phase::Linking,
            _ => Phase::Writing,
        }
    }

    pub(crate) fn enter(&self, phase: Phase) {
        self.phase.store(phase as u8, Ordering::Relaxed);
    }

    pub(crate) fn file_done(&self) {
        self.files.fetch_add(1, Ordering::Relaxed);
    }

    pub(crate) fn expect(&self, files: usize) {
        self.expected.store(files, Ordering::Relaxed);
    }
}
