//! How central each node is: PageRank over the dependency edges, as percentiles.
//!
//! A power iteration over the edge list (petgraph's `page_rank` walks every node pair per
//! iteration, far too slow for tokio's 19 k nodes). Edges run from dependent to dependency,
//! so rank flows to what much of the workspace relies on.

use crate::graph::{EdgeKind, Graph};

/// The damping factor of the original paper.
const DAMPING: f64 = 0.85;
/// Iterations at most; the walk usually converges well before.
const MAX_ITERATIONS: usize = 50;
/// Stop when the ranks moved less than this in total (L1).
const TOLERANCE: f64 = 1e-9;

/// PageRank of every node of `graph` (indexed like [`Graph::nodes`], summing to 1) over its
/// dependency edges (`calls`, `uses`, `implements`, `inherits`; not `contains`). Nodes
/// without such edges spread their rank evenly.
pub fn pagerank(graph: &Graph) -> Vec<f64> {
    let n = graph.nodes.len();
    if n == 0 {
        return Vec::new();
    }
    let links: Vec<(usize, usize)> = graph
        .edges
        .iter()
        .filter(|e| e.kind != EdgeKind::Contains && e.from != e.to)
        .filter_map(|e| Some((graph.index_of(e.from)?, graph.index_of(e.to)?)))
        .collect();
    let mut out_degree = vec![0usize; n];
    for &(from, _) in &links {
        out_degree[from] += 1;
    }
    let uniform = 1.0 / n as f64;
    let mut rank = vec![uniform; n];
    let mut next = vec![0.0; n];
    for _ in 0..MAX_ITERATIONS {
        let dangling: f64 = (0..n)
            .filter(|&i| out_degree[i] == 0)
            .map(|i| rank[i])
            .sum();
        let base = (1.0 - DAMPING) * uniform + DAMPING * dangling * uniform;
        next.iter_mut().for_each(|x| *x = base);
        for &(from, to) in &links {
            next[to] += DAMPING * rank[from] / out_degree[from] as f64;
        }
        let moved: f64 = rank.iter().zip(&next).map(|(a, b)| (a - b).abs()).sum();
        std::mem::swap(&mut rank, &mut next);
        if moved < TOLERANCE {
            break;
        }
    }
    rank
}

/// Each score's percentile among `scores`: the share of scores strictly below it, in
/// `0.0..1.0` (equal scores share a percentile).
pub fn percentiles(scores: &[f64]) -> Vec<f64> {
    let mut sorted: Vec<f64> = scores.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = scores.len().max(1) as f64;
    scores
        .iter()
        .map(|s| sorted.partition_point(|x| x < s) as f64 / n)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{pagerank, percentiles};

    #[test]
    fn rank_flows_to_what_is_depended_on() {
        let dump = "FILE: src/lib.rs\n\
                    pub fn core() {}\n\
                    pub fn a() { core() }\n\
                    pub fn b() { core() }\n\
                    pub fn c() { a() }\n";
        let graph = crate::ingest::ingest(dump, "demo").graph;
        let rank = pagerank(&graph);
        let of = |p: &str| rank[graph.nodes.iter().position(|n| n.path == p).unwrap()];
        assert!((rank.iter().sum::<f64>() - 1.0).abs() < 1e-6);
        assert!(of("demo::core") > of("demo::a"));
        assert!(of("demo::a") > of("demo::b"));
        // Nothing depends on b or c: they rank alike.
        assert!((of("demo::b") - of("demo::c")).abs() < 1e-12);
    }

    #[test]
    fn percentiles_share_ties() {
        assert_eq!(percentiles(&[0.5, 0.1, 0.5, 0.9]), [0.25, 0.0, 0.25, 0.75]);
    }
}
