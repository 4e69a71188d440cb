//! Cfg variants on small in-memory workspaces: what a path follows among them, and the
//! edges that reach each.

use crate::graph::build::tests::{edges, graph, linked, unresolved_paths};
use crate::graph::{EdgeKind, NodeKind};

#[test]
fn a_path_continues_through_the_other_cfg_globs_binding_its_first_segment() {
    // libc: every platform's module is glob-imported under its cfg, and several bring a
    // `linux` module; `crate::linux::can` is in the Linux one only.
    let g = graph(&[(
        "src/lib.rs",
        "mod new {\n    \
             #[cfg(target_os = \"android\")] mod bionic { pub(crate) mod linux { pub struct Other; } }\n    \
             #[cfg(target_os = \"android\")] pub(crate) use bionic::*;\n    \
             #[cfg(target_os = \"linux\")] mod uapi { pub(crate) mod linux { pub mod can { pub type Id = u32; } } }\n    \
             #[cfg(target_os = \"linux\")] pub(crate) use uapi::*;\n\
             }\n\
         pub use new::*;\n\
         pub fn id() -> crate::linux::can::Id { 0 }\n\
         pub fn other() -> crate::linux::Other { todo!() }\n",
    )]);
    let paths = unresolved_paths(&g);
    assert!(paths.is_empty(), "{paths:?}");
    let uses = edges(&g, EdgeKind::Uses);
    assert!(linked(&uses, "id", "new::uapi::linux::can::Id"), "{uses:?}");
    assert!(
        linked(&uses, "other", "new::bionic::linux::Other"),
        "{uses:?}"
    );
}

#[test]
fn of_two_imports_of_one_name_under_cfgs_the_first_is_followed() {
    // hashbrown's `cfg_if!` picks `use sse2 as imp;` first and `use generic as imp;` last.
    let g = graph(&[(
        "src/lib.rs",
        "macro_rules! pick { ($($i:item)*) => { $(#[cfg(target_feature = \"sse2\")] $i)* }; }\n\
         macro_rules! fallback { ($($i:item)*) => { $(#[cfg(not(target_feature = \"sse2\"))] $i)* }; }\n\
         pub mod group {\n    \
             pick! { mod sse2 { pub struct Group; impl Group { pub fn tag(&self) {} } } use sse2 as imp; }\n    \
             fallback! { mod generic { pub struct Group; impl Group { pub fn tag(&self) {} } } use generic as imp; }\n    \
             pub use self::imp::Group;\n\
         }\n\
         pub fn find(g: group::Group) { g.tag() }\n\
         pub mod parker {\n    \
             cfg_if::cfg_if! {\n        \
                 if #[cfg(unix)] { mod unix { pub fn park() {} } use unix as imp; }\n        \
                 else { mod generic { pub fn park() {} } use generic as imp; }\n    \
             }\n    \
             pub use self::imp::park;\n\
         }\n\
         pub fn wait() { parker::park() }\n\
         #[cfg(test_node_semver)] mod node { pub struct Req; }\n\
         #[cfg(test_node_semver)] use node::Req;\n\
         #[cfg(not(test_node_semver))] use real::Req;\n\
         mod real { pub struct Req; }\n\
         pub fn req(_: Req) {}\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    assert!(
        linked(&calls, "find", "group::sse2::Group::tag"),
        "{calls:?}"
    );
    // The two `Group`s are cfg variants (the targets of one name's imports under exclusive
    // cfgs), so their inherent methods are too: the call reaches the fallback's `tag`,
    // which the other configuration compiles.
    assert!(
        linked(&calls, "find", "group::generic::Group::tag"),
        "{calls:?}"
    );
    // The same with `cfg_if!`'s branches, whose cfgs the `use`s inherit; the two `imp`
    // modules are cfg variants, so their `park`s are too and the call reaches both (a
    // configuration keeps one).
    assert!(linked(&calls, "wait", "parker::unix::park"), "{calls:?}");
    assert!(linked(&calls, "wait", "parker::generic::park"), "{calls:?}");
    // Unless no build sets the first one's cfg by default (semver's tests).
    let uses = edges(&g, EdgeKind::Uses);
    assert!(linked(&uses, "req", "real::Req"), "{uses:?}");
    assert!(!linked(&uses, "req", "node::Req"), "{uses:?}");
}

#[test]
fn a_reference_to_an_item_under_a_cfg_reaches_each_of_its_cfg_variants() {
    // smallvec: `SmallVecData` is a union with the `union` feature and an enum without; the
    // field `data: SmallVecData<A>` uses whichever the configuration compiles.
    let g = graph(&[(
        "src/lib.rs",
        "#[cfg(feature = \"union\")]\nunion Data { a: u8 }\n\
         #[cfg(not(feature = \"union\"))]\nenum Data { A }\n\
         pub struct Holder { data: Data }\n\
         pub fn plain() {}\n\
         pub fn caller() { plain() }\n",
    )]);
    let used_kinds: Vec<NodeKind> = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Uses && g.node(e.from).unwrap().path == "demo::Holder")
        .map(|e| g.node(e.to).unwrap().kind)
        .collect();
    assert!(used_kinds.contains(&NodeKind::Union), "{used_kinds:?}");
    assert!(used_kinds.contains(&NodeKind::Enum), "{used_kinds:?}");
    // An item without a cfg has no variants: one edge.
    let calls = edges(&g, EdgeKind::Calls);
    assert_eq!(
        calls
            .iter()
            .filter(|(from, _)| from == "demo::caller")
            .count(),
        1,
        "{calls:?}"
    );
}

#[test]
fn items_of_cfg_variant_modules_are_cfg_variants_of_one_another() {
    // mio: `sys::Events` is the `Events` of whichever `cfg_attr(path)` selector applies.
    let g = graph(&[
        (
            "src/lib.rs",
            "mod sys;\npub struct Events { inner: sys::Events }\n",
        ),
        (
            "src/sys/mod.rs",
            "#[cfg_attr(target_os = \"linux\", path = \"epoll.rs\")]\n\
             #[cfg_attr(not(target_os = \"linux\"), path = \"kqueue.rs\")]\n\
             mod selector;\n\
             pub(crate) use self::selector::*;\n",
        ),
        ("src/sys/epoll.rs", "pub type Events = Vec<u8>;\n"),
        ("src/sys/kqueue.rs", "pub type Events = Vec<u16>;\n"),
    ]);
    let used: Vec<&str> = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Uses && g.node(e.from).unwrap().path == "demo::Events")
        .map(|e| g.node(e.to).unwrap())
        .filter(|n| n.kind == NodeKind::TypeAlias)
        .map(|n| n.span.as_ref().unwrap().file.as_ref())
        .collect();
    assert!(used.contains(&"src/sys/epoll.rs"), "{used:?}");
    assert!(used.contains(&"src/sys/kqueue.rs"), "{used:?}");
}

#[test]
fn a_name_imported_under_exclusive_cfgs_reaches_each_import() {
    // mio's `sys`: `pub use self::unix::*;` on unix, `pub(crate) use self::wasip1::*;` on
    // WASI; `sys::Events` is whichever applies.
    let g = graph(&[(
        "src/lib.rs",
        "mod sys {\n\
             #[cfg(unix)] mod unix { pub struct Events; pub mod event { pub fn is_readable() {} } }\n\
             #[cfg(unix)] pub use self::unix::*;\n\
             #[cfg(target_os = \"wasi\")] mod wasip1 { pub struct Events; pub mod event { pub fn is_readable() {} } }\n\
             #[cfg(target_os = \"wasi\")] pub(crate) use self::wasip1::*;\n\
         }\n\
         pub struct Events { inner: sys::Events }\n\
         pub fn readable() { sys::event::is_readable() }\n",
    )]);
    let uses = edges(&g, EdgeKind::Uses);
    assert!(linked(&uses, "Events", "sys::unix::Events"), "{uses:?}");
    assert!(linked(&uses, "Events", "sys::wasip1::Events"), "{uses:?}");
    // The modules the two globs bind as `event` are cfg variants, so are their items
    // (mio's `sys::event::is_readable`).
    let calls = edges(&g, EdgeKind::Calls);
    assert!(
        linked(&calls, "readable", "sys::unix::event::is_readable"),
        "{calls:?}"
    );
    assert!(
        linked(&calls, "readable", "sys::wasip1::event::is_readable"),
        "{calls:?}"
    );
}

#[test]
fn a_path_continues_through_the_cfg_attr_path_variant_of_a_module_that_has_the_name() {
    // rustix: `#[cfg_attr(libc, path = "backend/libc/mod.rs")]` and
    // `#[cfg_attr(linux_raw, path = "backend/linux_raw/mod.rs")] mod backend;`. Both have
    // `conv`; `reg` and `conv::c_uint` are in the linux_raw one only.
    let g = graph(&[
        (
            "src/lib.rs",
            "#[cfg_attr(libc, path = \"backend/libc/mod.rs\")]\n\
             #[cfg_attr(not(libc), path = \"backend/linux_raw/mod.rs\")]\n\
             mod backend;\n\
             pub fn go() -> u32 { crate::backend::reg::nr() }\n",
        ),
        (
            "src/backend/libc/mod.rs",
            "pub(crate) mod conv { pub(crate) fn other() {} }\n",
        ),
        (
            "src/backend/linux_raw/mod.rs",
            "pub(crate) mod conv { pub(crate) fn c_uint(x: u32) -> u32 { x } }\n\
             pub(crate) mod reg {\n    \
                 use crate::backend::conv::c_uint;\n    \
                 pub(crate) fn nr() -> u32 { c_uint(1) }\n\
             }\n",
        ),
    ]);
    let paths = unresolved_paths(&g);
    assert!(paths.is_empty(), "{paths:?}");
    let calls = edges(&g, EdgeKind::Calls);
    assert!(linked(&calls, "go", "backend::reg::nr"), "{calls:?}");
    assert!(
        linked(&calls, "backend::reg::nr", "backend::conv::c_uint"),
        "{calls:?}"
    );
}

#[test]
fn a_method_of_a_type_reaches_the_same_method_of_the_type_s_cfg_variants() {
    // glam: one `Vec4` per backend, imported under exclusive cfgs; a call of `length` on
    // the `Vec4` the name binds is a call of every backend's `length`.
    let g = graph(&[(
        "src/lib.rs",
        "#[cfg(target_feature = \"sse2\")] mod sse2 {\n    \
             pub struct Vec4; impl Vec4 { pub fn length(&self) -> f32 { 0.0 } }\n\
         }\n\
         #[cfg(not(target_feature = \"sse2\"))] mod scalar {\n    \
             pub struct Vec4; impl Vec4 { pub fn length(&self) -> f32 { 0.0 } }\n\
         }\n\
         #[cfg(target_feature = \"sse2\")] pub use sse2::*;\n\
         #[cfg(not(target_feature = \"sse2\"))] pub use scalar::*;\n\
         pub fn norm(v: &Vec4) -> f32 { v.length() }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    assert!(linked(&calls, "norm", "sse2::Vec4::length"), "{calls:?}");
    assert!(linked(&calls, "norm", "scalar::Vec4::length"), "{calls:?}");
}

#[test]
fn items_every_configuration_compiles_are_no_variants_of_one_another() {
    // bitvec: `pub use self::Lsb0 as LocalBits;` on little-endian targets, `pub use
    // self::Msb0 as LocalBits;` on big-endian ones. Both structs exist in every build, so a
    // use of `Msb0` by its own name is no use of `Lsb0`.
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Lsb0;\n\
         pub struct Msb0;\n\
         #[cfg(target_endian = \"little\")] pub use self::Lsb0 as LocalBits;\n\
         #[cfg(target_endian = \"big\")] pub use self::Msb0 as LocalBits;\n\
         pub fn msb(_: Msb0) {}\n\
         pub fn lsb(_: Lsb0) {}\n\
         pub fn local(_: LocalBits) {}\n\
         pub mod outer { pub fn far(_: crate::LocalBits) {} }\n",
    )]);
    let uses = edges(&g, EdgeKind::Uses);
    assert!(linked(&uses, "msb", "Msb0"), "{uses:?}");
    assert!(!linked(&uses, "msb", "Lsb0"), "{uses:?}");
    assert!(linked(&uses, "lsb", "Lsb0"), "{uses:?}");
    assert!(!linked(&uses, "lsb", "Msb0"), "{uses:?}");
    // A use of the name the imports bind is a use of each: the build that compiles the
    // other import breaks when either is renamed.
    assert!(linked(&uses, "local", "Lsb0"), "{uses:?}");
    assert!(linked(&uses, "local", "Msb0"), "{uses:?}");
    assert!(linked(&uses, "outer::far", "Msb0"), "{uses:?}");
}
