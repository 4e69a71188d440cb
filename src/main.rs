//! `cargo-parseltongue`: see the library's `cli` module.

fn main() {
    std::process::exit(cargo_parseltongue::cli::main());
}
