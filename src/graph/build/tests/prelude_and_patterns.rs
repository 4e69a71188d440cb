//! Names that come from outside the module's own items and imports, and names that are not
//! paths: the extern prelude an `extern crate` at the root adds to; patterns (`matches!`,
//! a workspace macro in pattern position, capitalised names in refutable patterns); items an
//! `#[apply(m)]` hands to a macro; what an outside macro's input that is not items names.

use super::{edges, graph, unresolved_paths};
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
    let unresolved = unresolved_paths(&g);
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
    let unresolved = unresolved_paths(&g);
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

#[test]
fn a_capitalised_name_in_a_refutable_pattern_is_the_constant_in_scope() {
    // hyper: `matches!(*name, AUTHORIZATION | CACHE_CONTROL)`; nix: a variant only another
    // platform's enum has is then a binding, not an unresolved path; parking_lot: `let
    // NtCreateKeyedEvent = …;` is a binding.
    let g = graph(&[(
        "src/lib.rs",
        "pub const AUTHORIZATION: u8 = 1;\n\
         pub const CACHE_CONTROL: u8 = 2;\n\
         pub fn is_hop(name: u8) -> bool { !matches!(name, AUTHORIZATION | CACHE_CONTROL) }\n\
         pub fn describe(e: u8) -> u8 { match e { AUTHORIZATION => 0, EDOOFUS => EDOOFUS } }\n\
         pub fn load() -> u8 { let NtCreate = || 3; NtCreate() }\n",
    )]);
    let unresolved = unresolved_paths(&g);
    assert_eq!(unresolved, Vec::<&str>::new());
    let uses = edges(&g, EdgeKind::Uses);
    assert_eq!(
        uses,
        [
            (
                "demo::describe".to_string(),
                "demo::AUTHORIZATION".to_string()
            ),
            (
                "demo::is_hop".to_string(),
                "demo::AUTHORIZATION".to_string()
            ),
            (
                "demo::is_hop".to_string(),
                "demo::CACHE_CONTROL".to_string()
            ),
        ]
    );
}

#[test]
fn a_workspace_macro_in_pattern_position_binds_names() {
    // proptest: `let product_unpack![range, a] = args;`.
    let g = graph(&[(
        "src/lib.rs",
        "macro_rules! unpack { ($($n:ident),*) => { ($($n),*) }; }\n\
         pub fn split(args: (u8, u8)) -> u8 { let unpack![range, a] = args; range + a }\n",
    )]);
    let unresolved = unresolved_paths(&g);
    assert_eq!(unresolved, Vec::<&str>::new());
}

#[test]
fn an_item_under_apply_is_given_to_the_macro() {
    // rustls: `#[macro_rules_attribute::apply(test_for_each_provider)] mod tests { … }` is
    // `test_for_each_provider! { mod tests { … } }`, which wraps it in a module per provider
    // that imports the provider as `provider`.
    let g = graph(&[(
        "src/lib.rs",
        "pub mod ring { pub fn default_provider() {} }\n\
         macro_rules! for_each_provider {\n    \
             ($($tt:tt)+) => { mod with_ring { use crate::ring as provider; $($tt)+ } };\n\
         }\n\
         #[macro_rules_attribute::apply(for_each_provider)]\n\
         mod tests { pub fn check() { super::provider::default_provider(); } }\n",
    )]);
    let unresolved = unresolved_paths(&g);
    assert_eq!(unresolved, Vec::<&str>::new());
    assert_eq!(
        edges(&g, EdgeKind::Calls),
        [(
            "demo::with_ring::tests::check".to_string(),
            "demo::ring::default_provider".to_string()
        )]
    );
}

#[test]
fn what_an_outside_macro_call_of_other_tokens_names_is_the_module_s() {
    // async-channel: `easy_wrapper! { pub struct Recv<'a, T>(RecvInner<'a, T> => T); }` is
    // not items; what it names depends the module on it, as a guess.
    let g = graph(&[(
        "src/lib.rs",
        "pub struct RecvInner;\n\
         event_listener_strategy::easy_wrapper! { pub struct Recv(RecvInner => ()); }\n",
    )]);
    let uses: Vec<_> = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Uses)
        .map(|e| {
            (
                g.node(e.from).unwrap().path.as_str(),
                g.node(e.to).unwrap().path.as_str(),
                e.confidence,
            )
        })
        .collect();
    assert_eq!(
        uses,
        [("demo", "demo::RecvInner", crate::graph::Confidence::Medium)]
    );
}

#[test]
fn items_after_an_internal_rule_marker_of_an_outside_macro_are_items() {
    // indexmap's tests: `quickcheck::quickcheck! { @as_items #[test] fn contains() { … } }`.
    let g = graph(&[(
        "src/lib.rs",
        "pub fn insert() {}\n\
         quickcheck::quickcheck! { @as_items fn contains() { insert() } }\n",
    )]);
    assert_eq!(
        edges(&g, EdgeKind::Calls),
        [("demo::contains".to_string(), "demo::insert".to_string())]
    );
}

#[test]
fn a_foreign_function_s_generic_parameters_are_not_paths() {
    // blake2: `extern "platform-intrinsic" { fn simd_add<T>(x: T, y: T) -> T; }`.
    let g = graph(&[(
        "src/lib.rs",
        "extern \"C\" { pub fn simd_add<T: Copy>(x: T, y: T) -> T; }\n",
    )]);
    let unresolved = unresolved_paths(&g);
    assert_eq!(unresolved, Vec::<&str>::new());
}

#[test]
fn an_import_of_a_name_several_items_share_is_no_use_of_each() {
    // ndarray: `pub fn Ix6(…)` and `pub type Ix6 = …`; `use crate::Ix6;` stands while either
    // does. What uses the name depends on the item it means there.
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Dim;\n\
         pub type Ix6 = Dim;\n\
         #[allow(non_snake_case)] pub fn Ix6() -> Ix6 { Dim }\n\
         pub use self::Dim as Shape;\n\
         mod broadcast {\n    \
             use crate::Ix6;\n    \
             pub fn widest(_: Ix6) {}\n\
         }\n",
    )]);
    let uses = edges(&g, EdgeKind::Uses);
    assert!(
        !uses.iter().any(|(from, _)| from == "demo::broadcast"),
        "{uses:?}"
    );
    assert!(uses.contains(&("demo::broadcast::widest".into(), "demo::Ix6".into())));
    assert!(uses.contains(&("demo".into(), "demo::Dim".into())));
}

#[test]
fn items_an_outside_macro_is_handed_in_brace_groups_are_taken_as_written() {
    // bitvec: `radium::if_atomic!(if atomic(8) { impl BitStore for AtomicU8 { … } })`, and a
    // `dispatch!(Mach, { fn refill_wide(…) { … } })` called in `new`. A group that is not all
    // items (mockall's `mock! { pub Foo { fn x(&self); } }`) is not, nor one that uses an
    // argument the macro binds (rand_chacha's `dispatch!(m, Mach, { … m … })`).
    let g = graph(&[(
        "src/lib.rs",
        "pub trait BitStore { fn load(&self) -> u8; }\n\
         pub struct AtomicU8;\n\
         radium::if_atomic!(if atomic(8) {\n    \
             impl BitStore for AtomicU8 { fn load(&self) -> u8 { 0 } }\n\
         } else { pub struct Never; });\n\
         ppv_lite86::dispatch!(Mach, {\n    \
             fn refill_wide(out: &mut [u8]) { out[0] = 1; }\n\
         });\n\
         ppv_lite86::dispatch!(m, Mach, {\n    \
             fn refill_narrow(out: &mut [u8]) { helper(m, out) }\n\
         });\n\
         pub fn new(out: &mut [u8]) { refill_wide(out) }\n\
         mockall::mock! { pub Foo { fn x(&self); } }\n",
    )]);
    assert_eq!(unresolved_paths(&g), Vec::<&str>::new());
    let implements = edges(&g, EdgeKind::Implements);
    assert!(
        implements.contains(&(
            "demo::impl BitStore for AtomicU8".to_string(),
            "demo::BitStore".to_string()
        )),
        "{implements:?}"
    );
    let calls = edges(&g, EdgeKind::Calls);
    assert!(
        calls.contains(&("demo::new".to_string(), "demo::refill_wide".to_string())),
        "{calls:?}"
    );
    assert!(g.nodes.iter().any(|n| n.path == "demo::Never"));
    assert!(!g.nodes.iter().any(|n| n.path.contains("::x")));
    assert!(!g.nodes.iter().any(|n| n.path == "demo::refill_narrow"));
}
