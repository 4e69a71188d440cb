//! Pictures: DOT rendered by Graphviz (`dot -Tsvg`) for this repository's own crate, and the
//! Mermaid and DOT text of the small gate fixture pinned by snapshots.

use crate::util::{run, run_in, settings};
use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

/// Renders DOT text with Graphviz; panics with its message when it rejects the input.
fn render_svg(dot: &str) -> String {
    let mut child = Command::new("dot")
        .arg("-Tsvg")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("Graphviz `dot` is installed (bash .ci/setup installs it)");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(dot.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "dot rejected the input: {}\n{dot}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// Runs on this repository (a real crate) with a fresh target dir.
fn on_this_repo(args: &[&str]) -> crate::util::Run {
    let target = tempfile::tempdir().unwrap();
    run_in(Path::new(env!("CARGO_MANIFEST_DIR")), target.path(), args)
}

#[test]
fn dot_of_a_real_crate_renders_with_graphviz() {
    for args in [
        &[
            "graph",
            "cargo_parseltongue::graph::build::link",
            "--depth",
            "2",
            "--format",
            "dot",
        ][..],
        &[
            "graph",
            "cargo_parseltongue::query::NodeRef",
            "--reverse",
            "--format",
            "dot",
        ][..],
        &[
            "blast-radius",
            "cargo_parseltongue::graph::Graph::node",
            "--format",
            "dot",
        ][..],
        &["find-cycles", "--level", "item", "--format", "dot"][..],
    ] {
        let r = on_this_repo(args);
        assert_eq!(r.code, 0, "{args:?}: {}", r.stderr);
        assert!(
            r.stdout.starts_with("digraph parseltongue {"),
            "{}",
            r.stdout
        );
        let svg = render_svg(&r.stdout);
        assert!(svg.contains("<svg"), "{args:?}");
        // Nodes are labelled with kind and short path, clustered by module.
        assert!(r.stdout.contains("subgraph cluster_0"), "{}", r.stdout);
    }
}

#[test]
fn large_diagrams_are_trimmed_with_a_note() {
    let r = on_this_repo(&[
        "graph",
        "cargo_parseltongue::graph::Graph",
        "--reverse",
        "--depth",
        "3",
        "--format",
        "dot",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let nodes = r
        .stdout
        .lines()
        .filter(|l| l.trim_start().starts_with('n') && l.contains("[label=") && !l.contains("->"))
        .count();
    assert_eq!(nodes, 60, "{}", r.stdout);
    assert!(
        r.stdout
            .contains("more nodes not shown (cut by --limit, or past the 60 a diagram shows)"),
        "{}",
        r.stdout
    );
    render_svg(&r.stdout);
}

#[test]
fn mermaid_and_dot_of_the_gate_fixture() {
    let mermaid = run("gate", &["graph", "gate_app::run", "--format", "mermaid"]);
    assert_eq!(mermaid.code, 0, "{}", mermaid.stderr);
    let dot = run(
        "gate",
        &["graph", "gate_core::parse", "--reverse", "--format", "dot"],
    );
    assert_eq!(dot.code, 0, "{}", dot.stderr);
    render_svg(&dot.stdout);
    settings().bind(|| {
        insta::assert_snapshot!("pictures_gate_mermaid", mermaid.stdout);
        insta::assert_snapshot!("pictures_gate_dot", dot.stdout);
    });
}

#[test]
fn formats_a_command_cannot_print_are_usage_errors() {
    let r = run("gate", &["what-implements", "Shape", "--format", "dot"]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("--format dot is for graph, find-cycles and blast-radius"),
        "{}",
        r.stderr
    );
    let r = run(
        "gate",
        &["blast-radius", "gate_core::parse", "--format", "sarif"],
    );
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("--format sarif is for blast-radius of a change set"),
        "{}",
        r.stderr
    );
}

#[test]
fn labels_say_impl_once_and_crate_roots_have_a_cluster() {
    let dot = run(
        "workspace",
        &["graph", "Named", "--reverse", "--format", "dot"],
    );
    assert_eq!(dot.code, 0, "{}", dot.stderr);
    assert!(!dot.stdout.contains("impl impl"), "{}", dot.stdout);
    assert!(!dot.stdout.contains("label=\"\";"), "{}", dot.stdout);
    assert!(!dot.stdout.contains("\\\\n"), "{}", dot.stdout);
    let mermaid = run(
        "workspace",
        &["graph", "Named", "--reverse", "--format", "mermaid"],
    );
    assert!(!mermaid.stdout.contains("[\"\"]"), "{}", mermaid.stdout);
    assert!(!mermaid.stdout.contains("impl impl"), "{}", mermaid.stdout);
}
