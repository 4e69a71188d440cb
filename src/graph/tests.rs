//! Validation of graphs read from a snapshot.

use super::*;

fn node(path: &str, krate: Option<u32>, file: &str) -> Node {
    let mut n = Node::test_fn(path, krate);
    n.span = Some(Span {
        file: file.into(),
        line: 1,
        column: 1,
        end_line: 1,
    });
    n
}

fn file(path: &str) -> FileRecord {
    serde_json::from_value(serde_json::json!({"path": path, "len": 1, "parsed": true})).unwrap()
}

#[test]
fn forged_graphs_fail_validation() {
    let ok = Graph::new(
        vec![],
        vec![file("src/lib.rs")],
        vec![node("a", None, "src/lib.rs")],
        vec![],
        vec![],
    );
    assert_eq!(ok.validate(), Ok(()));
    // A crate index past the crate table (it panicked in `crate_of`).
    let g = Graph::new(
        vec![],
        vec![file("src/lib.rs")],
        vec![node("a", Some(3), "src/lib.rs")],
        vec![],
        vec![],
    );
    assert!(g.validate().unwrap_err().contains("crate out of range"));
    // A span in a file the snapshot did not index, or outside the root.
    let g = Graph::new(
        vec![],
        vec![file("src/lib.rs")],
        vec![node("a", None, "/etc/passwd")],
        vec![],
        vec![],
    );
    assert!(g.validate().unwrap_err().contains("not indexed"));
    let g = Graph::new(vec![], vec![file("../x.rs")], vec![], vec![], vec![]);
    assert!(g.validate().unwrap_err().contains("bad file path"));
    // The same node twice.
    let a = node("a", None, "src/lib.rs");
    let g = Graph::new(
        vec![],
        vec![file("src/lib.rs")],
        vec![a.clone(), a],
        vec![],
        vec![],
    );
    assert!(g.validate().unwrap_err().contains("duplicate node ids"));
    // Nodes of one indexed file, then one of a file not indexed: the file is checked again
    // when it changes.
    let a = node("a", None, "src/lib.rs");
    let mut b = node("b", None, "src/lib.rs");
    b.span = a.span.clone();
    let g = Graph::new(
        vec![],
        vec![file("src/lib.rs")],
        vec![a.clone(), b.clone(), node("c", None, "/etc/passwd")],
        vec![],
        vec![],
    );
    assert!(g.validate().unwrap_err().contains("not indexed"));
    // An edge to a node the graph does not hold, named by id or, as a graph file's rows
    // name it, by an index past the node table.
    let edge = |to: NodeId| Edge {
        from: a.id,
        to,
        kind: EdgeKind::Calls,
        confidence: Confidence::High,
        span: None,
        cfg: None,
    };
    let nodes = vec![a.clone(), b.clone()];
    let files = vec![file("src/lib.rs")];
    let g = Graph::new(
        vec![],
        files.clone(),
        nodes.clone(),
        vec![edge(b.id)],
        vec![],
    );
    assert_eq!(g.validate(), Ok(()));
    let missing = node("gone", None, "src/lib.rs").id;
    let g = Graph::new(
        vec![],
        files.clone(),
        nodes.clone(),
        vec![edge(missing)],
        vec![],
    );
    assert!(g.validate().unwrap_err().contains("missing node"));
    let g = Graph::with_edge_ends(vec![], files, nodes, vec![edge(b.id)], vec![], &[(0, 2)]);
    assert!(g.validate().unwrap_err().contains("missing node"));
    assert!(g.outgoing(0).is_empty());
    // A crate cargo placed outside the root is accepted below its own directory only.
    let outside = vec!["../shared".to_string()];
    let g = Graph::new(
        vec![],
        vec![file("../shared/lib.rs")],
        vec![],
        vec![],
        vec![],
    );
    assert_eq!(g.validate_with(&outside), Ok(()));
    assert!(g.validate().is_err());
    for forged in ["../shared/../../etc/passwd", "/etc/passwd", "../other/x.rs"] {
        let g = Graph::new(vec![], vec![file(forged)], vec![], vec![], vec![]);
        assert!(g.validate_with(&outside).is_err(), "{forged}");
        assert!(g.validate_with(&[String::new()]).is_err(), "{forged}");
    }
}
