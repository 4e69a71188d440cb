//! Memory per exception, measured with a counting global allocator: the heap bytes live
//! after filling a store with 10 000 exceptions (a realistic mix, see `support/synthetic.rs`),
//! divided by 10 000; before and after `compact()`. Prints a table; run with
//! `cargo bench --bench exception_memory`.

// A bench script reports on stdout.
#![allow(clippy::print_stdout)]

#[path = "support/synthetic.rs"]
mod synthetic;

use cargo_parseltongue::exceptions::ExceptionStore;
use std::alloc::{GlobalAlloc, Layout, System};
use std::sync::atomic::{AtomicIsize, Ordering};

/// Counts live heap bytes.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    // Criterion-style flags (`--bench`) are accepted and ignored.
    println!("{:>8}  {:>14}  {:>14}", "count", "B/exception", "compacted");
    for n in [1_000u64, 10_000, 100_000] {
        // Build the inputs first so only the store's own allocations are counted.
        let data: Vec<_> = (0..n).map(synthetic::exception).collect();
        let before = LIVE.load(Ordering::Relaxed);
        let store = ExceptionStore::new();
        for (node, property, e, note) in &data {
            store.add_with_note(*node, property, *e, *note);
        }
        let filled = LIVE.load(Ordering::Relaxed) - before;
        store.compact();
        let compacted = LIVE.load(Ordering::Relaxed) - before;
        assert_eq!(store.len() as u64, n);
        println!(
            "{n:>8}  {:>14.1}  {:>14.1}",
            filled as f64 / n as f64,
            compacted as f64 / n as f64
        );
    }
}
