//! The progress bar of a long refresh: cargo-like (`Indexing 412/780 files`), on stderr,
//! only on a terminal, never with `--quiet`, and only once a refresh has run for
//! [`DELAY`] (a warm call never shows it).

use super::output::Output;
use crate::engine::Progress;
use std::sync::mpsc;
use std::time::Duration;

/// How long a refresh runs before the bar appears.
pub const DELAY: Duration = Duration::from_secs(1);

/// [`DELAY`], or `PARSELTONGUE_PROGRESS_DELAY_MS` milliseconds when set (for tests).
fn delay() -> Duration {
    std::env::var("PARSELTONGUE_PROGRESS_DELAY_MS")
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .map_or(DELAY, Duration::from_millis)
}
/// How often the bar is redrawn.
const TICK: Duration = Duration::from_millis(100);

/// Runs `work`, drawing `progress` on stderr from a helper thread while it runs longer than
/// [`DELAY`] (when `out` may draw one); the bar is cleared when `work` returns.
pub fn while_running<R>(out: &Output, progress: &Progress, work: impl FnOnce() -> R) -> R {
    if !out.may_draw_progress() {
        return work();
    }
    let (done, finished) = mpsc::channel::<()>();
    std::thread::scope(|scope| {
        scope.spawn(move || {
            if finished.recv_timeout(delay()) != Err(mpsc::RecvTimeoutError::Timeout) {
                return;
            }
            let bar = indicatif::ProgressBar::with_draw_target(
                None,
                indicatif::ProgressDrawTarget::stderr(),
            );
            // Without a previous snapshot the total is unknown: a count, no bar.
            let template = if progress.expected() > 0 {
                "{prefix:>12.cyan.bold} [{bar:27}] {pos}/{len} files"
            } else {
                "{prefix:>12.cyan.bold} {pos} files"
            };
            bar.set_style(
                indicatif::ProgressStyle::with_template(template)
                    .expect("a valid template")
                    .progress_chars("=> "),
            );
            loop {
                bar.set_prefix(match progress.phase() {
                    crate::engine::Phase::Indexing => "Indexing",
                    crate::engine::Phase::Linking => "Linking",
                    crate::engine::Phase::Writing => "Writing",
                });
                let (files, expected) = (progress.files(), progress.expected());
                // Past the previous snapshot's count (new files), the total grows with it.
                bar.set_length(expected.max(files).max(1) as u64);
                bar.set_position(files as u64);
                if finished.recv_timeout(TICK) != Err(mpsc::RecvTimeoutError::Timeout) {
                    break;
                }
            }
            bar.finish_and_clear();
        });
        let result = work();
        let _ = done.send(());
        result
    })
}
