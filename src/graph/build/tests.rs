//! The linker on small in-memory workspaces.

use super::*;
use crate::source::MemorySource;

/// Builds one lib crate `demo` from `(path, text)` files under `/w`.
pub(in crate::graph) fn graph(files: &[(&str, &str)]) -> Graph {
    let mut source = MemorySource::default();
    for (p, t) in files {
        source
            .files
            .insert(PathBuf::from("/w").join(p), t.as_bytes().to_vec());
    }
    let root = Path::new("/w");
    let input = CrateInput::standalone("demo", "demo", "lib", root, &root.join("src/lib.rs"));
    build(&source, root, &[input]).graph
}

/// Whether `edges` (from [`edges`]) holds `demo::from` → `demo::to`.
pub(in crate::graph) fn linked(edges: &[(String, String)], from: &str, to: &str) -> bool {
    edges.contains(&(format!("demo::{from}"), format!("demo::{to}")))
}

/// `(from path, to path)` of every edge of `kind`, sorted.
pub(in crate::graph) fn edges(g: &Graph, kind: EdgeKind) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = g
        .edges
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| {
            (
                g.node(e.from).unwrap().path.clone(),
                g.node(e.to).unwrap().path.clone(),
            )
        })
        .collect();
    out.sort();
    out
}

#[test]
fn resolves_renames_globs_reexport_chains_super_and_self() {
    let g = graph(&[
        (
            "src/lib.rs",
            "mod a; mod b; pub use a::*;\n\
             pub trait Greet { fn hi(&self) {} }\n",
        ),
        (
            "src/a.rs",
            "pub mod inner { pub struct Config; impl Config { pub fn new() -> Self { Config } } }\n\
             pub use self::inner::Config as Settings;\n",
        ),
        (
            "src/b.rs",
            "use crate::Settings as S;\n\
             use super::Greet;\n\
             pub fn make() -> S { S::new() }\n\
             impl Greet for S { fn hi(&self) { self.helper() } }\n\
             impl S { fn helper(&self) {} }\n",
        ),
    ]);
    let calls = edges(&g, EdgeKind::Calls);
    assert!(
        calls.contains(&("demo::b::make".into(), "demo::a::inner::Config::new".into())),
        "{calls:?}"
    );
    assert!(
        calls.contains(&(
            "demo::a::inner::Config::hi".into(),
            "demo::a::inner::Config::helper".into()
        )),
        "{calls:?}"
    );
    let implements = edges(&g, EdgeKind::Implements);
    assert!(
        implements.contains(&("demo::b::impl Greet for S".into(), "demo::Greet".into())),
        "{implements:?}"
    );
    assert!(
        implements.contains(&(
            "demo::a::inner::Config::hi".into(),
            "demo::Greet::hi".into()
        )),
        "{implements:?}"
    );
    let uses = edges(&g, EdgeKind::Uses);
    assert!(
        uses.contains(&("demo::b::make".into(), "demo::a::inner::Config".into())),
        "{uses:?}"
    );
}

#[test]
fn a_file_reached_twice_is_parsed_once_and_placed_twice() {
    let g = graph(&[
        (
            "src/lib.rs",
            "mod one { #[path = \"../shared.rs\"] pub mod shared; }\nmod two { #[path = \"../shared.rs\"] pub mod shared; }\n",
        ),
        ("src/shared.rs", "pub fn f() {}\n"),
    ]);
    assert_eq!(g.files.len(), 2, "{:?}", g.files);
    let paths: Vec<&str> = g.nodes.iter().map(|n| n.path.as_str()).collect();
    assert!(
        paths.contains(&"demo::one::shared::f") && paths.contains(&"demo::two::shared::f"),
        "{paths:?}"
    );
}

#[test]
fn generic_parameters_shadow_module_items() {
    let g = graph(&[(
        "src/lib.rs",
        "pub struct T;\npub fn id<T>(x: T) -> T { x }\npub fn mk() -> T { T }\n",
    )]);
    let uses = edges(&g, EdgeKind::Uses);
    assert!(
        !uses.contains(&("demo::id".into(), "demo::T".into())),
        "{uses:?}"
    );
    assert!(
        uses.contains(&("demo::mk".into(), "demo::T".into())),
        "{uses:?}"
    );
}
