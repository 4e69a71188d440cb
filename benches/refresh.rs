//! Criterion benches of the three refresh paths on generated workspaces of 1k, 10k and 50k
//! items: a cold build (no cache), a warm call (nothing changed), and a call after one
//! file's content changed.

#[path = "support/generated_workspace.rs"]
mod generated_workspace;

use cargo_parseltongue::engine::{self, Inputs, Options};
use cargo_parseltongue::source::DiskSource;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};

fn benches(c: &mut Criterion) {
    let mut group = c.benchmark_group("refresh");
    group.sample_size(10);
    for items in [1_000usize, 10_000, 50_000] {
        let dir = tempfile::tempdir().unwrap();
        let crates = generated_workspace::write(dir.path(), items);
        let cache = dir.path().join("target/parseltongue");
        let inputs = Inputs {
            root: dir.path(),
            crates: &crates,
            config: "bench",
            cache_dir: &cache,
        };
        let run = |options: Options| {
            engine::refresh_inputs(&inputs, &DiskSource, options, &mut || {}).unwrap()
        };
        let cold = Options {
            force: true,
            ..Options::default()
        };
        group.bench_with_input(BenchmarkId::new("cold", items), &items, |b, _| {
            b.iter(|| run(cold.clone()))
        });
        run(Options::default());
        group.bench_with_input(BenchmarkId::new("warm", items), &items, |b, _| {
            b.iter(|| run(Options::default()))
        });
        let file = dir.path().join("src/m0.rs");
        let mut salt = 0;
        group.bench_with_input(
            BenchmarkId::new("one file changed", items),
            &items,
            |b, _| {
                b.iter(|| {
                    salt += 1;
                    std::fs::write(&file, generated_workspace::module_text(0, salt)).unwrap();
                    run(Options::default())
                })
            },
        );
    }
    group.finish();
}

criterion_group!(refresh, benches);
criterion_main!(refresh);
