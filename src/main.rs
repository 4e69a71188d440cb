//! `cargo-parseltongue`: see the library's `cli` module.

/// mimalloc: a call allocates and frees the whole graph (hundreds of thousands of small
/// strings); with the system allocator a call after an edit on tokio took 0.8–1.0 s, with
/// mimalloc 0.5–0.65 s.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cargo_parseltongue::cli::main());
}
