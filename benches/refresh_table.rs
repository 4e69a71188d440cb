//! The refresh paths on real workspaces, as one table (not criterion: each figure is one
//! measured quantity). Run by `bash benches/refresh.sh`, which vendors the crates and
//! builds the release binary first.
//!
//! Per workspace: the parse-only floor (read + `syn::parse_file` of the same files, on the
//! same thread pool; CPU time), the cold build's CPU and wall time (in this process, and as
//! calls of the real binary: CPU and peak RSS from `getrusage(RUSAGE_CHILDREN)`), the warm
//! call and the calls after a comment appended to a file and after a body edit (wall time of
//! the real binary, mean of 5 after a warm-up), snapshot sizes, and memory per node (heap
//! bytes measured with a counting allocator). This process allocates with mimalloc, as the
//! binary does, and counts only around the heap measurements.

#![allow(clippy::print_stdout, clippy::print_stderr)]

#[path = "support/counting_alloc.rs"]
mod counting_alloc;

use cargo_parseltongue::cache;
use cargo_parseltongue::engine::{self, Inputs, Options};
use cargo_parseltongue::graph::{Edge, Node};
use cargo_parseltongue::parse;
use cargo_parseltongue::source::DiskSource;
use cargo_parseltongue::workspace::{self, MetadataOptions};
use counting_alloc::{Counting, live, set_counting};
use rayon::prelude::*;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// User + system CPU time of this process (Linux `/proc/self/stat`, clock ticks of 10 ms).
fn cpu_time() -> Duration {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit(')').next().unwrap_or("");
    let fields: Vec<u64> = after
        .split_whitespace()
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    // Fields 14 and 15 of the full line: utime, stime; index 11/12 after the comm field.
    let ticks = fields.get(11).copied().unwrap_or(0) + fields.get(12).copied().unwrap_or(0);
    Duration::from_millis(ticks * 10)
}

/// CPU time (user + system) and peak RSS in KiB of the children this process has waited
/// for so far (`getrusage(RUSAGE_CHILDREN)`: the peak is the largest child's).
fn children_usage() -> (Duration, u64) {
    // SAFETY: getrusage only writes the struct it is given.
    let usage = unsafe {
        let mut usage: libc::rusage = std::mem::zeroed();
        libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage);
        usage
    };
    let time = |t: libc::timeval| {
        Duration::from_secs(t.tv_sec as u64) + Duration::from_micros(t.tv_usec as u64)
    };
    (
        time(usage.ru_utime) + time(usage.ru_stime),
        usage.ru_maxrss as u64,
    )
}

fn peak_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

fn binary() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("target/release/cargo-parseltongue")
}

/// Mean wall time of `runs` calls of the binary after one warm-up; `before` runs before each.
fn time_calls(
    dir: &Path,
    target: &Path,
    args: &[&str],
    runs: u32,
    mut before: impl FnMut(u32),
) -> Duration {
    let call = || {
        let out = Command::new(binary())
            .args(args)
            .current_dir(dir)
            .env("CARGO_TARGET_DIR", target)
            .env_remove("CI")
            .output()
            .expect("the release binary runs (cargo build --release)");
        assert!(
            out.status.code().is_some_and(|c| c <= 1),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    before(0);
    call();
    let mut total = Duration::ZERO;
    for i in 1..=runs {
        before(i);
        let start = Instant::now();
        call();
        total += start.elapsed();
    }
    total / runs
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = root.join("target/corpus/ws");
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    let names: Vec<String> = if args.is_empty() {
        vec!["tokio".into()]
    } else {
        args
    };
    for name in names {
        let dir = corpus.join(&name);
        if !dir.join("Cargo.toml").exists() {
            eprintln!("skipping {name}: run `bash benches/corpus.sh --prepare` first");
            continue;
        }
        report(&name, &dir);
    }
}

fn report(name: &str, dir: &Path) {
    // Timed work runs uncounted; the heap measurements below turn counting on.
    set_counting(false);
    let ws = workspace::load(&MetadataOptions {
        manifest_path: Some(dir.join("Cargo.toml")),
        cargo_flags: Vec::new(),
        fresh: false,
    })
    .expect("the workspace loads");
    let scratch = tempfile::tempdir().unwrap();
    let cache_dir = scratch.path().join("parseltongue");
    let inputs = Inputs {
        root: &ws.root,
        crates: &ws.crates,
        config: &ws.fingerprint,
        cache_dir: &cache_dir,
    };

    // Cold build: parse, link, write, from an empty cache.
    let cpu = cpu_time();
    let start = Instant::now();
    let (graph, _) = engine::refresh_inputs(
        &inputs,
        &DiskSource,
        Options {
            force: true,
            ..Options::default()
        },
        &mut || {},
    )
    .unwrap();
    let cold_wall = start.elapsed();
    let cold_cpu = cpu_time() - cpu;
    let peak = peak_rss_kib();

    // Parse-only floor over the same files.
    let files: Vec<PathBuf> = graph.files.iter().map(|f| ws.root.join(&f.path)).collect();
    let cpu = cpu_time();
    let start = Instant::now();
    let parsed = parse::on_parser_pool(|| {
        files
            .par_iter()
            .filter(|p| {
                let text = std::fs::read_to_string(p).unwrap_or_default();
                let ok = syn::parse_file(&text).is_ok();
                proc_macro2::extra::invalidate_current_thread_spans();
                ok
            })
            .count()
    });
    let floor_wall = start.elapsed();
    let floor_cpu = cpu_time() - cpu;

    // Memory: heap bytes of the node and edge tables, measured by cloning them.
    set_counting(true);
    let before = live();
    let nodes: Vec<Node> = graph.nodes.clone();
    let node_heap = (live() - before) as f64;
    let before = live();
    let edges: Vec<Edge> = graph.edges.clone();
    let edge_heap = (live() - before) as f64;
    let n = nodes.len().max(1) as f64;
    drop((nodes, edges));
    let before = live();
    let index = cache::load_index(
        &cache::Paths::new(&cache_dir),
        &cache::tool_version(),
        &ws.fingerprint,
    )
    .unwrap();
    let loaded = cache::load_graph(
        &cache::Paths::new(&cache_dir),
        &index,
        &cache::tool_version(),
        &ws.fingerprint,
    )
    .unwrap();
    let graph_heap = (live() - before) as f64;
    drop(loaded);
    set_counting(false);

    // Calls of the real binary: cold (`build --rebuild`), warm, one file changed.
    let target = scratch.path().join("target");
    let (cpu_before, _) = children_usage();
    let cold_call = time_calls(dir, &target, &["build", "--rebuild", "-q"], 3, |_| {});
    let (cpu_after, cold_call_peak) = children_usage();
    // Four calls: the warm-up and the three timed.
    let cold_call_cpu = (cpu_after - cpu_before) / 4;
    let warm = time_calls(dir, &target, &["what-implements", "Clone", "-q"], 5, |_| {});
    let edited = graph
        .files
        .iter()
        .filter(|f| f.parsed && (f.path.starts_with("src/") || f.path.contains("/src/")))
        .map(|f| ws.root.join(&f.path))
        .max_by_key(|p| std::fs::metadata(p).map_or(0, |m| m.len()))
        .expect("a source file");
    let original = std::fs::read(&edited).unwrap();
    // A comment appended: a new content whose facts are the old ones.
    let comment = time_calls(dir, &target, &["what-implements", "Clone", "-q"], 5, |i| {
        let mut text = original.clone();
        text.extend_from_slice(format!("\n// edit {i}\n").as_bytes());
        std::fs::write(&edited, text).unwrap();
    });
    // A body edit: a call added at the start of a function's body, a different function
    // each run, so every run's facts differ from the last run's.
    let text = String::from_utf8_lossy(&original).into_owned();
    let lines: Vec<&str> = text.lines().collect();
    let bodies: Vec<usize> = (0..lines.len())
        .filter(|&l| {
            let t = lines[l].trim_start();
            (t.starts_with("fn ") || t.starts_with("pub fn ") || t.starts_with("pub(crate) fn "))
                && t.ends_with('{')
        })
        .collect();
    let body_edit = (!bodies.is_empty()).then(|| {
        time_calls(dir, &target, &["what-implements", "Clone", "-q"], 5, |i| {
            let at = bodies[i as usize % bodies.len()];
            let mut out: Vec<&str> = lines.clone();
            out.insert(at + 1, "let _ = std::mem::size_of::<u8>();");
            std::fs::write(&edited, out.join("\n") + "\n").unwrap();
        })
    });
    std::fs::write(&edited, &original).unwrap();
    let size = |f: PathBuf| std::fs::metadata(f).map_or(0, |m| m.len());
    let paths = cache::Paths::new(&cache_dir);
    let shards: u64 = std::fs::read_dir(paths.facts_shards())
        .map(|d| {
            d.flatten()
                .filter_map(|e| e.metadata().ok())
                .map(|m| m.len())
                .sum()
        })
        .unwrap_or(0);

    println!(
        "## {name}: {} files ({parsed} parse), {} nodes, {} edges",
        files.len(),
        graph.nodes.len(),
        graph.edges.len()
    );
    println!("| measure | value | target |");
    println!("|---|---|---|");
    println!(
        "| parse-only floor (read + syn::parse_file) | {:.0} ms CPU, {:.0} ms wall | |",
        ms(floor_cpu),
        ms(floor_wall)
    );
    println!(
        "| cold build (parse, link, write; library) | {:.0} ms CPU, {:.0} ms wall | |",
        ms(cold_cpu),
        ms(cold_wall),
    );
    println!(
        "| cold call `build --rebuild` (binary) | {:.0} ms CPU, {:.0} ms wall | CPU ≤ 2.0 × floor: {:.2} × |",
        ms(cold_call_cpu),
        ms(cold_call),
        ms(cold_call_cpu) / ms(floor_cpu).max(1.0)
    );
    println!(
        "| peak RSS of the cold call (binary) | {cold_call_peak} KiB ({:.0} B/node) | ≤ 100 MB |",
        cold_call_peak as f64 * 1024.0 / n
    );
    println!(
        "| warm call `what-implements` | {:.0} ms wall | ≤ 15 % of the floor's wall: {:.0} % |",
        ms(warm),
        100.0 * ms(warm) / ms(floor_wall).max(1.0)
    );
    let edited = edited.strip_prefix(&ws.root).unwrap_or(&edited).display();
    println!(
        "| call after a comment appended to {edited} (facts unchanged: graph kept) | {:.0} ms wall | ≤ warm + 15 ms: warm + {:.0} ms |",
        ms(comment),
        ms(comment) - ms(warm)
    );
    if let Some(body_edit) = body_edit {
        println!(
            "| call after a body edit in {edited} (a call added: linked again) | {:.0} ms wall | ≤ warm + 15 ms: warm + {:.0} ms |",
            ms(body_edit),
            ms(body_edit) - ms(warm)
        );
    }
    println!(
        "| snapshot: index / graph / facts (shards + table) | {:.1} / {:.1} / {:.1} + {:.2} MB | |",
        size(paths.index()) as f64 / 1e6,
        size(paths.graph()) as f64 / 1e6,
        shards as f64 / 1e6,
        size(paths.facts()) as f64 / 1e6
    );
    println!(
        "| node: inline + owned heap | {} + {:.0} = {:.0} B/node | ≤ 72 B + interned strings |",
        std::mem::size_of::<Node>(),
        node_heap / n - std::mem::size_of::<Node>() as f64,
        node_heap / n
    );
    println!(
        "| edge: inline + owned heap | {} + {:.0} B/edge | |",
        std::mem::size_of::<Edge>(),
        edge_heap / graph.edges.len().max(1) as f64 - std::mem::size_of::<Edge>() as f64
    );
    println!(
        "| loaded graph (all tables, indexes) | {:.0} B/node | |",
        graph_heap / n
    );
    println!("| peak RSS after the cold build (library) | {peak} KiB | |");
    println!();
}
