//! Criterion benches of the exception store, after seed 001: add and get at 100, 1 000 and
//! 10 000 exceptions; detection on a trait with 1 000 provided items; resolution (exception
//! or inherited value) with 10/50/90 % of queries hitting an exception; concurrent fills at
//! 1, 2 and 4 threads.

#[path = "support/synthetic.rs"]
mod synthetic;

use cargo_parseltongue::exceptions::ExceptionStore;
use cargo_parseltongue::exceptions::detect::detect;
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use synthetic::{exception, id, trait_with_provided_items};

fn filled(n: u64) -> ExceptionStore {
    let store = ExceptionStore::new();
    for i in 0..n {
        let (node, property, e, note) = exception(i);
        store.add_with_note(node, &property, e, note);
    }
    store
}

fn store_operations(c: &mut Criterion) {
    let mut group = c.benchmark_group("exception_store");
    for n in [100u64, 1_000, 10_000] {
        let data: Vec<_> = (0..n).map(exception).collect();
        group.throughput(Throughput::Elements(n));
        group.bench_with_input(BenchmarkId::new("add", n), &data, |b, data| {
            b.iter(|| {
                let store = ExceptionStore::new();
                for (node, property, e, note) in data {
                    store.add_with_note(*node, property, *e, *note);
                }
                store
            })
        });
        let store = filled(n);
        group.bench_with_input(BenchmarkId::new("get", n), &data, |b, data| {
            b.iter(|| {
                data.iter()
                    .filter(|(node, property, _, _)| store.get(*node, property).is_some())
                    .count()
            })
        });
    }
    group.finish();
}

fn detection(c: &mut Criterion) {
    let mut group = c.benchmark_group("exception_detection");
    for provided in [10u64, 100, 1_000] {
        let (graph, input) = trait_with_provided_items(provided);
        group.bench_with_input(
            BenchmarkId::new("provided_items", provided),
            &(graph, input),
            |b, (graph, input)| b.iter(|| detect(black_box(graph), black_box(input))),
        );
    }
    group.finish();
}

/// What runs for (node, property): the exception's actual value, else the inherited one.
fn resolution(c: &mut Criterion) {
    let mut group = c.benchmark_group("exception_resolution");
    let store = filled(1_000);
    for hit_percent in [10u64, 50, 90] {
        let queries: Vec<_> = (0..1_000u64)
            .map(|q| {
                let (node, property, e, _) = exception(q);
                let node = if q % 100 < hit_percent {
                    node
                } else {
                    id(5_000_000 + q)
                };
                (node, property, e.inherited)
            })
            .collect();
        group.throughput(Throughput::Elements(queries.len() as u64));
        group.bench_with_input(
            BenchmarkId::new("hit_percent", hit_percent),
            &queries,
            |b, queries| {
                b.iter(|| {
                    queries
                        .iter()
                        .map(|(node, property, inherited)| {
                            store.get(*node, property).map_or(*inherited, |e| e.actual)
                        })
                        .filter(|v| matches!(v, cargo_parseltongue::exceptions::Value::Item { .. }))
                        .count()
                })
            },
        );
    }
    group.finish();
}

fn concurrent_fills(c: &mut Criterion) {
    let mut group = c.benchmark_group("exception_concurrent_fill");
    let per_thread = 2_000u64;
    let data: Vec<_> = (0..4 * per_thread).map(exception).collect();
    for threads in [1u64, 2, 4] {
        group.throughput(Throughput::Elements(threads * per_thread));
        group.bench_with_input(BenchmarkId::new("threads", threads), &threads, |b, &t| {
            b.iter(|| {
                let store = ExceptionStore::new();
                std::thread::scope(|s| {
                    for chunk in data[..(t * per_thread) as usize].chunks(per_thread as usize) {
                        let store = &store;
                        s.spawn(move || {
                            for (node, property, e, note) in chunk {
                                store.add_with_note(*node, property, *e, *note);
                            }
                        });
                    }
                });
                store
            })
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    store_operations,
    detection,
    resolution,
    concurrent_fills
);
criterion_main!(benches);
