//! A global allocator that counts live heap bytes, for benches that measure memory:
//! `#[global_allocator] static A: Counting = Counting;`, then [`live`] before and after.
//! It forwards to mimalloc, the binary's allocator, so that times measured beside the
//! counts are the binary's; [`set_counting`] turns the count off around timed work (a
//! shared counter that every thread updates would slow it).

#![allow(dead_code)]

use mimalloc::MiMalloc;
use std::alloc::{GlobalAlloc, Layout};
use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering};

/// Forwards to mimalloc, counting bytes while counting is on.
pub struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static ON: AtomicBool = AtomicBool::new(true);

/// Heap bytes allocated and not freed while counting was on.
pub fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// Turns counting on or off (on at start). Measure [`live`] deltas only over spans that
/// free nothing allocated while counting was off.
pub fn set_counting(on: bool) {
    ON.store(on, Ordering::Relaxed);
}

fn count(delta: isize) {
    if ON.load(Ordering::Relaxed) {
        LIVE.fetch_add(delta, Ordering::Relaxed);
    }
}

// SAFETY: forwards every call to `MiMalloc` with the caller's arguments.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count(layout.size() as isize);
        // SAFETY: same layout contract as the caller's.
        unsafe { MiMalloc.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        count(-(layout.size() as isize));
        // SAFETY: `ptr` came from this allocator with this layout.
        unsafe { MiMalloc.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count(new_size as isize - layout.size() as isize);
        // SAFETY: as for `realloc` on `MiMalloc`.
        unsafe { MiMalloc.realloc(ptr, layout, new_size) }
    }
}
