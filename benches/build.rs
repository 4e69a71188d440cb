//! Criterion benches: a cold build of a workspace, and queries on the built graph.
//!
//! Uses `fixtures/workspace`, and tokio from `target/corpus/ws/tokio` when
//! `benches/corpus.sh --prepare` has vendored it.

use cargo_parseltongue::graph::build::build;
use cargo_parseltongue::query::{Scope, blast_radius, implements};
use cargo_parseltongue::source::DiskSource;
use cargo_parseltongue::workspace::{self, MetadataOptions};
use criterion::{Criterion, criterion_group, criterion_main};
use std::path::{Path, PathBuf};

fn workspaces() -> Vec<(&'static str, PathBuf, &'static str, &'static str)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut out = vec![(
        "fixture",
        root.join("fixtures/workspace"),
        "Named",
        "Config::new",
    )];
    let tokio = root.join("target/corpus/ws/tokio");
    if tokio.join("Cargo.toml").exists() {
        out.push((
            "tokio",
            tokio,
            "AsyncRead",
            "tokio::runtime::handle::Handle::spawn",
        ));
    }
    out
}

fn benches(c: &mut Criterion) {
    for (name, dir, trait_name, entity) in workspaces() {
        let ws = workspace::load(&MetadataOptions {
            manifest_path: Some(dir.join("Cargo.toml")),
            cargo_flags: Vec::new(),
            fresh: false,
        })
        .expect("the workspace loads");
        let mut group = c.benchmark_group(name);
        group.sample_size(10);
        group.bench_function("cold build", |b| {
            b.iter(|| build(&DiskSource, &ws.root, &ws.crates))
        });
        let graph = build(&DiskSource, &ws.root, &ws.crates).graph;
        let scope = Scope::default();
        group.bench_function("what-implements", |b| {
            b.iter(|| implements::what_implements(&graph, trait_name, &scope).unwrap())
        });
        let opts = blast_radius::Options {
            max_depth: None,
            limit: 200,
            min_confidence: cargo_parseltongue::graph::Confidence::Low,
            change: None,
        };
        group.bench_function("blast-radius", |b| {
            b.iter(|| blast_radius::blast_radius(&graph, entity, &opts, &scope).unwrap())
        });
        group.finish();
    }
}

criterion_group!(all, benches);
criterion_main!(all);
