//! FZ5: a forged graph body (a CI cache restore is someone else's bytes) never panics: it
//! decodes or is refused; one that decodes is validated; one that validates answers the
//! queries (what-implements, blast-radius, cycles, search) without panicking and
//! names only files that are relative and inside the workspace. Unframed bytes, since a
//! checksum would hide the decoder from the fuzzer.
#![no_main]

use cargo_parseltongue::cache::graph_file;
use cargo_parseltongue::graph::Confidence;
use cargo_parseltongue::query::cycles::Level;
use cargo_parseltongue::query::{self, Scope};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(graph) = graph_file::from_slice(data) else {
        return;
    };
    if graph.validate().is_err() {
        return;
    }
    for f in &graph.files {
        assert!(
            cargo_parseltongue::cache::is_relative_inside(&f.path),
            "{} passed validation",
            f.path
        );
    }
    let scope = Scope::default();
    let names: Vec<String> = graph.nodes.iter().take(8).map(|n| n.path.clone()).collect();
    for name in &names {
        let _ = query::implements::what_implements(&graph, name, &scope);
        let options = query::blast_radius::Options {
            max_depth: None,
            limit: 100,
            min_confidence: Confidence::Low,
            change: None,
        };
        let _ = query::blast_radius::blast_radius(&graph, name, &options, &scope);
    }
    let _ = query::search::search(&graph, "*", None, true, &scope, 100);
    for level in [Level::Module, Level::Item] {
        let _ = query::cycles::find_cycles(&graph, level, Confidence::Low, &scope);
    }
});
