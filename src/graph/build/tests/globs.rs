//! Globs: names read through globs of outside modules (under cfgs, of std enums) and what
//! outranks such a guess.

use super::{edges, graph, linked, unresolved_paths};
use crate::graph::{Confidence, EdgeKind, Graph};

/// `(from path, to path, confidence)` of every edge of `kinds`, in edge order.
fn edges_with_confidence(g: &Graph, kinds: &[EdgeKind]) -> Vec<(String, String, Confidence)> {
    g.edges
        .iter()
        .filter(|e| kinds.contains(&e.kind))
        .map(|e| {
            (
                g.node(e.from).unwrap().path.clone(),
                g.node(e.to).unwrap().path.clone(),
                e.confidence,
            )
        })
        .collect()
}

#[test]
fn a_name_through_one_platform_glob_each_is_a_low_guess_not_unresolved() {
    // sha2's x86 backend: one glob of intrinsics per architecture, each under its cfg. The
    // globs differ, so the name is read through the first, as a guess; an unconditional
    // pair that differs stays unresolved.
    let g = graph(&[(
        "src/lib.rs",
        "mod simd {\n\
             #[cfg(target_arch = \"x86\")] use core::arch::x86::*;\n\
             #[cfg(target_arch = \"x86_64\")] use core::arch::x86_64::*;\n\
             pub fn add() { _mm_add_epi32(); }\n\
         }\n\
         mod mixed {\n\
             use core::arch::x86::*;\n\
             use core::arch::x86_64::*;\n\
             pub fn add() { _mm_add_epi32(); }\n\
         }\n\
         mod backend {\n\
             pub use ::core::ptr::*;\n\
             #[cfg(feature = \"c\")] pub use ::core::arch::x86::*;\n\
             pub fn nothing() { null(); }\n\
         }\n",
    )]);
    let mut calls = edges_with_confidence(&g, &[EdgeKind::Calls]);
    calls.sort();
    // One glob every build has beside one under a cfg (flate2's backends): the former.
    assert_eq!(
        calls,
        [
            (
                "demo::backend::nothing".to_string(),
                "core::ptr::null".to_string(),
                Confidence::Low
            ),
            (
                "demo::simd::add".to_string(),
                "core::arch::x86::_mm_add_epi32".to_string(),
                Confidence::Low
            )
        ]
    );
    let unresolved = unresolved_paths(&g);
    assert_eq!(unresolved, ["_mm_add_epi32"]);
}

#[test]
fn a_glob_of_a_std_enum_binds_its_variants_and_nothing_else() {
    // ordered-float's tests: `use std::cmp::Ordering::*;` beside another glob. The enum's
    // variants are known, so `Equal` is its variant (Medium, as through any glob) and
    // `stdin` can only come through the other glob (Low: std::io's items are not listed).
    let g = graph(&[(
        "src/lib.rs",
        "use std::cmp::Ordering::*;\n\
         use std::io::*;\n\
         pub fn order() { let _ = Equal; }\n\
         pub fn input() { let _ = stdin(); }\n",
    )]);
    let mut uses = edges_with_confidence(&g, &[EdgeKind::Uses, EdgeKind::Calls]);
    uses.sort();
    assert_eq!(
        uses,
        [
            (
                "demo::input".to_string(),
                "std::io::stdin".to_string(),
                Confidence::Low
            ),
            (
                "demo::order".to_string(),
                "core::cmp::Ordering::Equal".to_string(),
                Confidence::Medium
            ),
        ]
    );
    assert!(g.unresolved_paths.is_empty(), "{:?}", g.unresolved_paths);
}

#[test]
fn a_workspace_item_outranks_an_outside_path_globs_bring_in_another_namespace() {
    // flate2's backends: the C one re-exports `libz::Z_FINISH as MZ_FINISH` (an outside
    // path, bound in every namespace), the default one defines `const MZ_FINISH`; both reach
    // `ffi` through globs under cfgs, and `ffi::MZ_FINISH` in an expression is the const.
    let g = graph(&[(
        "src/lib.rs",
        "mod ffi {\n\
             #[cfg(feature = \"c\")] mod c {\n\
                 pub use self::backend::*;\n\
                 mod backend { use core as libz; pub use libz::Z_FINISH as MZ_FINISH; }\n\
             }\n\
             #[cfg(feature = \"c\")] pub use self::c::*;\n\
             #[cfg(not(feature = \"c\"))] mod rust { pub const MZ_FINISH: isize = 4; }\n\
             #[cfg(not(feature = \"c\"))] pub use self::rust::*;\n\
         }\n\
         pub enum Flush { Finish = ffi::MZ_FINISH as isize }\n",
    )]);
    let uses = edges(&g, EdgeKind::Uses);
    assert!(linked(&uses, "Flush", "ffi::rust::MZ_FINISH"), "{uses:?}");
}

#[test]
fn a_built_in_derive_outranks_a_guess_through_outside_globs() {
    // winnow's tests: `#[cfg(feature = "std")] use proptest::prelude::*;` and `use
    // snapbox::prelude::*;`, then `#[derive(Debug)]`: the prelude's derive, not
    // `snapbox::prelude::Debug`.
    let g = graph(&[(
        "src/lib.rs",
        "#[cfg(feature = \"std\")]\n\
         use proptest::prelude::*;\n\
         use snapbox::prelude::*;\n\
         #[derive(Debug)]\n\
         pub struct Token;\n",
    )]);
    let implements: Vec<(String, Confidence)> = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Implements)
        .map(|e| (g.node(e.to).unwrap().path.clone(), e.confidence))
        .collect();
    assert_eq!(
        implements,
        [("core::fmt::Debug".to_string(), Confidence::High)]
    );
}

#[test]
fn a_glob_of_a_cfg_variant_module_brings_its_private_imports_to_the_other_variants_modules() {
    // h2: `#[cfg(not(feature = "unstable"))] mod proto;` and `#[cfg(feature = "unstable")]
    // pub mod proto;` make two instances of one module; `crate::proto` names the first, and
    // `use crate::proto::*;` in either instance's `connection` brings proto's private
    // imports, as it is inside proto in every build.
    let g = graph(&[
        (
            "src/lib.rs",
            "mod codec { pub struct Codec; }\n\
             #[cfg(not(feature = \"unstable\"))] mod proto;\n\
             #[cfg(feature = \"unstable\")] pub mod proto;\n",
        ),
        (
            "src/proto/mod.rs",
            "mod connection;\n\
             use crate::codec::Codec;\n\
             use std::fmt::Debug as Shown;\n",
        ),
        (
            "src/proto/connection.rs",
            "use crate::proto::*;\n\
             pub(crate) struct Connection { c: Codec }\n\
             fn show<T: Shown>() {}\n",
        ),
    ]);
    let unresolved = unresolved_paths(&g);
    assert_eq!(unresolved, Vec::<&str>::new());
    let mut uses = edges_with_confidence(&g, &[EdgeKind::Uses]);
    uses.retain(|(from, _, _)| from.ends_with("Connection"));
    assert_eq!(uses.len(), 2, "{uses:?}");
    assert!(uses.iter().all(|(_, to, _)| to == "demo::codec::Codec"));
}

#[test]
fn a_glob_of_a_std_module_whose_items_are_known_has_only_those() {
    // proptest: `use std::sync::mpsc::*; use std::sync::*;`; glam: `use core::ops::*;` beside
    // `use core::arch::wasm32::*;`. The std modules' items are known, so a name is theirs
    // (Medium, as through any glob) or the other glob's (Low, a guess).
    let g = graph(&[(
        "src/lib.rs",
        "mod sync {\n    \
             use std::sync::mpsc::*;\n    \
             use std::sync::*;\n    \
             pub fn lock() { let _ = Mutex::new(()); let _ = channel::<u8>(); }\n\
         }\n\
         mod simd {\n    \
             use core::ops::*;\n    \
             use core::arch::wasm32::*;\n    \
             pub fn splat() { f32x4_splat(1.0); }\n\
         }\n",
    )]);
    let mut calls = edges_with_confidence(&g, &[EdgeKind::Calls]);
    calls.sort();
    assert_eq!(
        calls,
        [
            (
                "demo::simd::splat".to_string(),
                "core::arch::wasm32::f32x4_splat".to_string(),
                Confidence::Low
            ),
            (
                "demo::sync::lock".to_string(),
                "std::sync::Mutex::new".to_string(),
                Confidence::Medium
            ),
            (
                "demo::sync::lock".to_string(),
                "std::sync::mpsc::channel".to_string(),
                Confidence::Medium
            ),
        ]
    );
    assert!(g.unresolved_paths.is_empty(), "{:?}", g.unresolved_paths);
}
