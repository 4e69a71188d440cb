//! Names that come from outside the module's own items and imports: the extern prelude an
//! `extern crate` at the root adds to, and the bindings a `matches!` pattern makes.

use super::{edges, graph};
use crate::graph::EdgeKind;

#[test]
fn an_extern_crate_at_the_crate_root_joins_the_extern_prelude() {
    // bumpalo: `pub extern crate alloc as core_alloc;` at the root, `use core_alloc::fmt;`
    // in a module, as rustc allows since Rust 2018.
    let g = graph(&[
        (
            "src/lib.rs",
            "pub extern crate alloc as core_alloc;\nmod boxed;\n",
        ),
        (
            "src/boxed.rs",
            "use core_alloc::fmt;\n\
             pub struct B;\n\
             impl fmt::Display for B {\n    \
                 fn fmt(&self, _: &mut fmt::Formatter<'_>) -> fmt::Result { Ok(()) }\n\
             }\n",
        ),
    ]);
    let unresolved: Vec<&str> = g.unresolved_paths.iter().map(|u| u.path.as_str()).collect();
    assert_eq!(unresolved, Vec::<&str>::new());
    assert_eq!(
        edges(&g, EdgeKind::Implements),
        [(
            "demo::boxed::impl fmt::Display for B".to_string(),
            "alloc::fmt::Display".to_string()
        )]
    );
}

#[test]
fn the_pattern_of_matches_binds_locals_and_names_its_variants() {
    // pulldown-cmark: `matches!(body, ItemBody::MaybeMath(_can_open, _can_close, _))`.
    let g = graph(&[(
        "src/lib.rs",
        "pub enum ItemBody { MaybeMath(bool, bool), Text }\n\
         pub fn limit() -> u8 { 3 }\n\
         pub fn is_math(body: &ItemBody) -> bool {\n    \
             matches!(body, ItemBody::MaybeMath(_can_open, depth) if *depth && limit() > 0)\n\
         }\n\
         pub fn is_open(body: &ItemBody) -> bool {\n    \
             matches!(body, ItemBody::MaybeMath(_can_open, _can_close))\n\
         }\n",
    )]);
    let unresolved: Vec<&str> = g.unresolved_paths.iter().map(|u| u.path.as_str()).collect();
    assert_eq!(unresolved, Vec::<&str>::new());
    let mut named = edges(&g, EdgeKind::Uses);
    named.extend(edges(&g, EdgeKind::Calls));
    named.retain(|(from, _)| from != "demo::limit");
    named.sort();
    assert_eq!(
        named,
        [
            ("demo::is_math".to_string(), "demo::ItemBody".to_string()),
            ("demo::is_math".to_string(), "demo::limit".to_string()),
            ("demo::is_open".to_string(), "demo::ItemBody".to_string())
        ]
    );
}
