//! Which scope a name is looked up in: Rust 2015's crate-rooted `use name;`, `super` of a
//! module declared in a function body, foreign items declared in a body, and lifetimes in
//! expansions read as tokens.

use super::{edges, graph, graph_with, linked, unresolved_paths};
use crate::graph::EdgeKind;

#[test]
fn in_rust_2015_a_use_of_one_name_imports_from_the_crate_root() {
    // generic-array (edition 2015): `use {ArrayLength, GenericArray};` in `impl_serde`.
    let g = graph_with(
        &[
            (
                "src/lib.rs",
                "pub trait ArrayLength {}\npub struct GenericArray;\nmod impl_serde;\n",
            ),
            (
                "src/impl_serde.rs",
                "use {ArrayLength, GenericArray};\n\
                 pub fn len<N: ArrayLength>(_: GenericArray) {}\n",
            ),
        ],
        |input| input.edition_2015 = true,
    );
    assert_eq!(unresolved_paths(&g), Vec::<&str>::new());
    let uses = edges(&g, EdgeKind::Uses);
    assert!(linked(&uses, "impl_serde::len", "ArrayLength"), "{uses:?}");
    assert!(linked(&uses, "impl_serde::len", "GenericArray"), "{uses:?}");
}

#[test]
fn super_of_a_module_in_a_function_body_is_the_module_around_the_function() {
    // zerocopy: `mod tests { fn test_impls() { struct Local; mod autoref_trick { use
    // super::*; … } } }`: `super` skips the body, so the glob brings `tests`' names.
    let g = graph(&[(
        "src/lib.rs",
        "pub trait Immutable {}\n\
         mod tests {\n    \
             use super::*;\n    \
             pub fn test_impls() {\n        \
                 mod autoref_trick {\n            \
                     use super::*;\n            \
                     pub fn check<T: Immutable>() {}\n        \
                 }\n        \
                 autoref_trick::check::<u8>();\n    \
             }\n\
         }\n",
    )]);
    assert_eq!(unresolved_paths(&g), Vec::<&str>::new());
    let uses = edges(&g, EdgeKind::Uses);
    assert!(
        linked(
            &uses,
            "tests::test_impls::autoref_trick::check",
            "Immutable"
        ),
        "{uses:?}"
    );
}

#[test]
fn a_foreign_function_declared_in_a_body_is_an_item_of_its_block_scope() {
    // tower-http's test: `extern "system" { fn GetFileType(h: *mut c_void) -> u32; }` then
    // `unsafe { GetFileType(handle) }` in the same body.
    let g = graph(&[(
        "src/lib.rs",
        "pub fn is_char_device() -> bool {\n    \
             extern \"system\" { fn GetFileType(h: usize) -> u32; }\n    \
             unsafe { GetFileType(0) == 2 }\n\
         }\n",
    )]);
    assert_eq!(unresolved_paths(&g), Vec::<&str>::new());
    let calls = edges(&g, EdgeKind::Calls);
    assert!(
        linked(&calls, "is_char_device", "is_char_device::GetFileType"),
        "{calls:?}"
    );
}

#[test]
fn macros_in_type_position_name_their_expansions_types_and_a_lifetime_names_nothing() {
    // pin-project-lite: `f2: __pin_project_make_proj_field_mut!(T)` in a projection struct
    // written by `pin_project!` in a test function, expanding to `Pin<&'__pin mut (T)>`; an
    // expansion that parses as nothing is scanned for paths, and `'__pin ()` calls nothing.
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Pin<P>(P);\n\
         macro_rules! field_mut { ($t:ty) => { crate::Pin<&'__pin mut ($t)> }; }\n\
         pub trait Tr { type Out; }\n\
         macro_rules! out { ($t:ty) => { <$t as crate::Tr>::Out }; }\n\
         macro_rules! odd { ($t:ty) => { core::marker::PhantomData<&'__pin ()> $t ;; } }\n\
         pub struct Inner;\n\
         pub struct Top<'__pin> { f: field_mut!(Inner) }\n\
         pub fn test() {\n    \
             struct Projection<'__pin> { f: field_mut!(Inner) }\n    \
             let _ = odd!(Inner);\n    \
             let _o: Option<out!(Inner)> = None;\n\
         }\n",
    )]);
    assert_eq!(unresolved_paths(&g), Vec::<&str>::new());
    let uses = edges(&g, EdgeKind::Uses);
    assert!(linked(&uses, "test::Projection", "Pin"), "{uses:?}");
    assert!(linked(&uses, "test::Projection", "Inner"), "{uses:?}");
    assert!(linked(&uses, "test", "Tr"), "{uses:?}");
    assert!(linked(&uses, "Top", "Pin"), "{uses:?}");
    assert!(linked(&uses, "Top", "Inner"), "{uses:?}");
}

#[test]
fn a_derive_is_a_macro_so_a_trait_of_its_name_does_not_take_it() {
    // typenum: `pub trait Ord` in `marker_traits`, in scope through `use super::*;`, beside
    // `#[derive(Eq, PartialEq, Ord)] pub struct ATerm;`: the derive is core's `Ord`.
    let g = graph(&[(
        "src/lib.rs",
        "pub mod marker_traits { pub trait Ord {} }\n\
         pub use marker_traits::*;\n\
         pub mod array {\n    \
             use super::*;\n    \
             #[derive(PartialEq, Ord)]\n    \
             pub struct ATerm;\n    \
             pub struct Less;\n    \
             impl Ord for Less {}\n\
         }\n",
    )]);
    let implements = edges(&g, EdgeKind::Implements);
    assert!(
        implements.contains(&(
            "demo::array::impl Ord for ATerm".to_string(),
            "core::cmp::Ord".to_string()
        )),
        "{implements:?}"
    );
    assert!(
        linked(
            &implements,
            "array::impl Ord for Less",
            "marker_traits::Ord"
        ),
        "{implements:?}"
    );
}

#[test]
fn items_a_macro_statement_writes_in_a_body_are_under_the_statement_s_cfg() {
    // zerocopy: `const _: () = { #[cfg(feature = "alloc")] unsafe_impl!(T => FromZeros for
    // Option<Box<T>>); };`: the impl exists only with the feature.
    let g = graph(&[(
        "src/lib.rs",
        "pub trait FromZeros {}\n\
         pub struct Boxed;\n\
         pub struct Plain;\n\
         macro_rules! unsafe_impl { ($t:ty) => { impl FromZeros for $t {} }; }\n\
         const _: () = {\n    \
             #[cfg(feature = \"alloc\")]\n    \
             unsafe_impl!(Boxed);\n    \
             unsafe_impl!(Plain);\n\
         };\n",
    )]);
    let cfg_of = |name: &str| {
        g.nodes
            .iter()
            .find(|n| n.kind == crate::graph::NodeKind::Impl && n.path.ends_with(name))
            .map(|n| n.cfg.clone())
    };
    assert_eq!(
        cfg_of("impl FromZeros for Boxed"),
        Some(Some("feature = \"alloc\"".to_string()))
    );
    assert_eq!(cfg_of("impl FromZeros for Plain"), Some(None));
}
