//! Memory per exception, measured with a counting global allocator: the heap bytes live
//! after filling a store with 10 000 exceptions (a realistic mix, see `support/synthetic.rs`),
//! divided by 10 000; before and after `compact()`. Prints a table; run with
//! `cargo bench --bench exception_memory`.

// A bench script reports on stdout.
#![allow(clippy::print_stdout)]

#[path = "support/synthetic.rs"]
mod synthetic;

use cargo_parseltongue::exceptions::ExceptionStore;
#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use counting_alloc::{Counting, live};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn main() {
    // Criterion-style flags (`--bench`) are accepted and ignored.
    println!("{:>8}  {:>14}  {:>14}", "count", "B/exception", "compacted");
    for n in [1_000u64, 10_000, 100_000] {
        // Build the inputs first so only the store's own allocations are counted.
        let data: Vec<_> = (0..n).map(synthetic::exception).collect();
        let before = live();
        let store = ExceptionStore::new();
        for (node, property, e, note) in &data {
            store.add_with_note(*node, property, *e, *note);
        }
        let filled = live() - before;
        store.compact();
        let compacted = live() - before;
        assert_eq!(store.len() as u64, n);
        println!(
            "{n:>8}  {:>14.1}  {:>14.1}",
            filled as f64 / n as f64,
            compacted as f64 / n as f64
        );
    }
}
