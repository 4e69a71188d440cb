//! FZ2: loading snapshot files from arbitrary bytes never panics: the framing check returns
//! a typed rejection or a body; an index body that decodes and validates survives a second
//! encode/load unchanged; a graph body that decodes can be indexed. Bodies are also tried
//! without framing, since a checksum would hide the decoder from the fuzzer.
#![no_main]

use cargo_parseltongue::cache::{Expect, Index, framing, graph_file};
use cargo_parseltongue::graph::Graph;
use libfuzzer_sys::fuzz_target;

const EXPECT: Expect<'static> = Expect {
    kind: "index",
    tool: "fuzz",
    config: "cfg",
};

fuzz_target!(|data: &[u8]| {
    let body = match framing::check(data, EXPECT) {
        Ok((_, body)) => body,
        Err(_) => data,
    };
    if let Ok(mut graph) = serde_json::from_slice::<Graph>(body) {
        graph.index();
    }
    if let Ok(graph) = graph_file::from_slice(body) {
        let again = graph_file::to_vec(&graph).unwrap();
        let back = graph_file::from_slice(&again).expect("a re-encoded graph decodes");
        assert_eq!(back.nodes.len(), graph.nodes.len());
        assert_eq!(back.edges.len(), graph.edges.len());
    }
    let Ok(index) = serde_json::from_slice::<Index>(body) else {
        return;
    };
    if index.validate().is_err() {
        return;
    }
    let again = framing::encode("index", "fuzz", "cfg", &index).unwrap();
    let (_, body) = framing::check(&again, EXPECT).expect("re-encoded index validates");
    let back: Index = serde_json::from_slice(body).unwrap();
    assert_eq!(back, index);
});
