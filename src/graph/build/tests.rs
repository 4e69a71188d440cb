//! The linker on small in-memory workspaces.

use super::*;
use crate::source::MemorySource;

mod globs;
mod prelude_and_patterns;
mod scopes;

/// Builds one lib crate `demo` from `(path, text)` files under `/w`.
pub(in crate::graph) fn graph(files: &[(&str, &str)]) -> Graph {
    graph_with(files, |_| {})
}

/// [`graph`] with `adjust` applied to the crate's input first (its edition, say).
pub(in crate::graph) fn graph_with(
    files: &[(&str, &str)],
    adjust: impl FnOnce(&mut CrateInput),
) -> Graph {
    let mut source = MemorySource::default();
    for (p, t) in files {
        source
            .files
            .insert(PathBuf::from("/w").join(p), t.as_bytes().to_vec());
    }
    let root = Path::new("/w");
    let mut input = CrateInput::standalone("demo", "demo", "lib", root, &root.join("src/lib.rs"));
    adjust(&mut input);
    build(&source, root, &[input]).graph
}

/// Whether `edges` (from [`edges`]) holds `demo::from` → `demo::to`.
pub(in crate::graph) fn linked(edges: &[(String, String)], from: &str, to: &str) -> bool {
    edges.contains(&(format!("demo::{from}"), format!("demo::{to}")))
}

/// The paths `g` records as resolving to nothing, in order.
pub(in crate::graph) fn unresolved_paths(g: &Graph) -> Vec<&str> {
    g.unresolved_paths.iter().map(|u| u.path.as_str()).collect()
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

#[test]
fn items_declared_in_a_function_body_live_in_its_block_scope() {
    let g = graph(&[(
        "src/lib.rs",
        "pub mod a { pub struct Thing; impl Thing { pub fn new() -> Self { Thing } } }\n\
             pub trait Greet { fn hi(&self) -> u32; }\n\
             pub fn helper() -> u32 { 0 }\n\
             pub fn shared() -> u32 { 1 }\n\
             pub fn run() -> u32 {\n\
                 use crate::a::Thing;\n\
                 struct Local;\n\
                 impl Greet for Local { fn hi(&self) -> u32 { helper() + self::shared() } }\n\
                 fn helper() -> u32 { let _ = Thing::new(); 2 }\n\
                 Local.hi() + helper()\n\
             }\n\
             pub fn other() -> u32 { struct Local; impl Local { fn x(&self) -> u32 { 3 } } Local.x() + helper() }\n",
    )]);
    let paths: Vec<&str> = g.nodes.iter().map(|n| n.path.as_str()).collect();
    for p in [
        "demo::run::Local",
        "demo::run::helper",
        "demo::other::Local",
        "demo::other::Local::x",
        "demo::run::impl Greet for Local",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
    let contains = edges(&g, EdgeKind::Contains);
    assert!(linked(&contains, "run", "run::Local"), "{contains:?}");
    let calls = edges(&g, EdgeKind::Calls);
    // The block's `helper` shadows the module's, in the function and in the block's items;
    // outside the block the module's is meant.
    assert!(linked(&calls, "run", "run::helper"), "{calls:?}");
    assert!(linked(&calls, "run::Local::hi", "run::helper"), "{calls:?}");
    assert!(!linked(&calls, "run", "helper"), "{calls:?}");
    assert!(linked(&calls, "other", "helper"), "{calls:?}");
    // `self::` in a block item is the enclosing module; a `use` in the body is in scope for
    // the block's items.
    assert!(linked(&calls, "run::Local::hi", "shared"), "{calls:?}");
    assert!(linked(&calls, "run::helper", "a::Thing::new"), "{calls:?}");
    assert!(linked(&calls, "other", "other::Local::x"), "{calls:?}");
    let implements = edges(&g, EdgeKind::Implements);
    assert!(
        linked(&implements, "run::impl Greet for Local", "Greet"),
        "{implements:?}"
    );
    let uses = edges(&g, EdgeKind::Uses);
    assert!(
        linked(&uses, "run::impl Greet for Local", "run::Local"),
        "{uses:?}"
    );
    assert!(linked(&uses, "run", "a::Thing"), "{uses:?}");
}

#[test]
fn items_declared_in_a_method_body_live_in_its_block_scope() {
    let g = graph(&[(
        "src/lib.rs",
        "pub trait Greet { fn hi(&self) -> u32 { fn inner() -> u32 { 1 } inner() } }\n\
         pub struct S;\n\
         fn helper() -> u32 { 0 }\n\
         impl S {\n\
             pub fn go(&self) -> u32 {\n\
                 struct Local;\n\
                 impl Greet for Local {}\n\
                 fn helper() -> u32 { struct Deep; impl Deep { fn d(&self) -> u32 { 5 } } Deep.d() }\n\
                 Local.hi() + helper()\n\
             }\n\
             pub fn other(&self) -> u32 { helper() }\n\
         }\n",
    )]);
    let paths: Vec<&str> = g.nodes.iter().map(|n| n.path.as_str()).collect();
    for p in [
        "demo::S::go::Local",
        "demo::S::go::helper",
        "demo::S::go::helper::Deep",
        "demo::S::go::helper::Deep::d",
        "demo::Greet::hi::inner",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
    let calls = edges(&g, EdgeKind::Calls);
    // The method's block shadows the module's `helper`; a sibling method sees the module's.
    assert!(linked(&calls, "S::go", "S::go::helper"), "{calls:?}");
    assert!(linked(&calls, "S::other", "helper"), "{calls:?}");
    assert!(linked(&calls, "Greet::hi", "Greet::hi::inner"), "{calls:?}");
    assert!(
        linked(&calls, "S::go::helper", "S::go::helper::Deep::d"),
        "{calls:?}"
    );
    let implements = edges(&g, EdgeKind::Implements);
    assert!(
        linked(&implements, "S::go::impl Greet for Local", "Greet"),
        "{implements:?}"
    );
    let contains = edges(&g, EdgeKind::Contains);
    assert!(linked(&contains, "S::go", "S::go::Local"), "{contains:?}");
}

#[test]
fn items_declared_in_a_const_or_static_initializer_live_in_its_block_scope() {
    // bitflags' layout: each `bitflags!` writes `const _: () = { struct InternalBitFlags; … }`,
    // and an associated const's initializer declares `mod __bitflags_flag_names`.
    let g = graph(&[(
        "src/lib.rs",
        "pub trait Named { const NAMES: &'static [&'static str]; }\n\
         pub struct A;\n\
         pub struct B;\n\
         const _: () = {\n\
             pub struct Internal;\n\
             impl Internal { fn make() -> Internal { Internal } }\n\
             impl Named for A {\n\
                 const NAMES: &'static [&'static str] = {\n\
                     mod names { pub(super) const ONE: &str = \"one\"; }\n\
                     &[names::ONE]\n\
                 };\n\
             }\n\
         };\n\
         const _: () = { pub struct Internal; impl Named for B { const NAMES: &'static [&'static str] = &[]; } };\n\
         static TABLE: u32 = { const INNER: u32 = 3; INNER };\n",
    )]);
    let paths: Vec<&str> = g.nodes.iter().map(|n| n.path.as_str()).collect();
    for p in [
        "demo::_::Internal",
        "demo::_::Internal::make",
        "demo::TABLE::INNER",
    ] {
        assert!(paths.contains(&p), "{p} missing from {paths:?}");
    }
    // One `Internal` per `const _`, each its own node.
    let internals = g
        .nodes
        .iter()
        .filter(|n| n.path == "demo::_::Internal" && n.kind == NodeKind::Struct);
    assert_eq!(internals.count(), 2, "{paths:?}");
    assert!(
        paths.iter().any(|p| p.ends_with("NAMES::names::ONE")),
        "{paths:?}"
    );
    let uses = edges(&g, EdgeKind::Uses);
    assert!(linked(&uses, "TABLE", "TABLE::INNER"), "{uses:?}");
    assert!(
        uses.iter()
            .any(|(from, to)| from.ends_with("::NAMES") && to.ends_with("NAMES::names::ONE")),
        "{uses:?}"
    );
    let implements = edges(&g, EdgeKind::Implements);
    assert_eq!(
        implements
            .iter()
            .filter(|(_, to)| to == "demo::Named")
            .count(),
        2,
        "{implements:?}"
    );
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
}

#[test]
fn a_generic_associated_type_s_parameters_are_not_paths() {
    // heapless' `type Buffer<T>: ?Sized + Borrow<[T]>;` and `type Sequence<const N: usize>`.
    let g = graph(&[(
        "src/lib.rs",
        "pub trait Storage {\n\
             type Buffer<T>: AsRef<[T]>;\n\
             type Sequence<const N: usize>: Default;\n\
         }\n\
         pub struct Owned;\n\
         impl Storage for Owned {\n\
             type Buffer<T> = Vec<T>;\n\
             type Sequence<const N: usize> = [u8; N];\n\
         }\n",
    )]);
    assert!(g.unresolved_paths.is_empty(), "{:?}", g.unresolved_paths);
}

#[test]
fn paths_through_a_module_of_outside_globs_resolve_outside() {
    // serde's facade: `mod core { pub use core::*; }` (or std's, under a cfg), re-exported
    // piecemeal and glob-imported everywhere.
    let g = graph(&[(
        "src/lib.rs",
        "mod lib {\n\
             mod core {\n\
                 #[cfg(not(feature = \"std\"))] pub use core::*;\n\
                 #[cfg(feature = \"std\")] pub use std::*;\n\
             }\n\
             pub use self::core::fmt::{self, Display};\n\
             pub use self::core::marker::PhantomData;\n\
         }\n\
         use crate::lib::*;\n\
         pub struct W(PhantomData<u8>);\n\
         impl Display for W { fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { Ok(()) } }\n",
    )]);
    let implements = edges(&g, EdgeKind::Implements);
    assert!(
        implements.contains(&(
            "demo::impl Display for W".into(),
            "core::fmt::Display".into()
        )),
        "{implements:?}"
    );
    let uses = edges(&g, EdgeKind::Uses);
    for used in [
        "core::marker::PhantomData",
        "core::fmt::Formatter",
        "core::fmt::Result",
    ] {
        assert!(
            uses.iter().any(|(_, to)| to == used),
            "{used} missing from {uses:?}"
        );
    }
    assert!(g.unresolved_paths.is_empty(), "{:?}", g.unresolved_paths);
}

#[test]
fn a_path_after_a_qualified_self_type_names_the_type_s_item() {
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Config;\nimpl Config { pub fn new() -> Self { Config } }\n\
         pub fn make() -> Config { <Config>::new() }\n\
         pub fn widen(x: u8) -> u32 { <u32>::from(x) + <[u8]>::len(&[x]) as u32 }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    assert!(linked(&calls, "make", "Config::new"), "{calls:?}");
    // `<u32>::from` and `<[u8]>::len` name nothing in the workspace, and are not counted
    // as unresolved (they used to be the global path `::from`).
    assert!(g.unresolved_paths.is_empty(), "{:?}", g.unresolved_paths);
}

#[test]
fn a_path_that_resolves_to_nothing_is_recorded_where_it_is_written() {
    let g = graph(&[(
        "src/lib.rs",
        "pub fn run<T: Default>() -> T {\n    \
         crate::gone::helper();\n    \
         let _ = u32::from(1u8);\n    \
         let _ = size_of::<T>();\n    \
         let _ = format!(\"{:>width$}\", 1, width = 3);\n    \
         T::default()\n}\n",
    )]);
    // `u32::from` starts at a primitive type and `T::default` at a generic parameter:
    // nothing to resolve there; `size_of` is in the prelude since Rust 1.80; `width` names
    // a format argument.
    let found: Vec<_> = g
        .unresolved_paths
        .iter()
        .map(|u| {
            let s = u.span.as_ref().expect("a span");
            (u.krate, u.path.as_str(), &*s.file, s.line, s.column)
        })
        .collect();
    assert_eq!(found, [(0, "crate::gone::helper", "src/lib.rs", 2, 5)]);
}

#[test]
fn a_let_binding_shadows_only_after_its_initializer() {
    // form_urlencoded: `let string = string(&mut self.target);` calls the function.
    let g = graph(&[(
        "src/lib.rs",
        "pub fn string(x: u8) -> u8 { x }\n\
         pub fn run() -> u8 { let string = string(1); string }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    assert!(linked(&calls, "run", "string"), "{calls:?}");
}

#[test]
fn an_associated_type_through_a_bound_names_the_trait() {
    // form_urlencoded: `fn finish(&mut self) -> T::Finished` in `impl<T: Target> …`.
    let g = graph(&[(
        "src/lib.rs",
        "pub trait Target { type Finished; fn finish(self) -> Self::Finished; }\n\
         pub trait Other { type Output; }\n\
         pub struct Serializer<T> { target: Option<T> }\n\
         impl<T: Target> Serializer<T> {\n    \
             pub fn finish(&mut self) -> T::Finished { self.target.take().unwrap().finish() }\n}\n\
         pub fn both<T: Target + Other>(_: T::Output) {}\n\
         pub trait Make { fn make() -> Self; }\n\
         pub struct Maker<M>(M);\n\
         impl<M: Make> Maker<M> { pub fn call() -> M { M::make() } }\n\
         pub struct Wrap<T>(T);\n\
         impl<T: Target> Target for Wrap<T> { type Finished = T::Finished; fn finish(self) -> T::Finished { self.0.finish() } }\n\
         pub trait Priv { type Collection; fn init() -> Self::Collection; }\n\
         pub trait FromStream<T>: Priv {}\n\
         pub struct Out<U>(U);\n\
         impl<U: FromStream<u8>> Priv for Out<U> {\n    \
             type Collection = U::Collection;\n    \
             fn init() -> U::Collection { U::init() }\n}\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    assert!(linked(&calls, "Maker::call", "Make::make"), "{calls:?}");
    let uses = edges(&g, EdgeKind::Uses);
    assert!(
        linked(&uses, "Serializer::finish", "Target::Finished"),
        "{uses:?}"
    );
    assert!(linked(&uses, "Serializer::finish", "Target"), "{uses:?}");
    assert!(linked(&uses, "both", "Other::Output"), "{uses:?}");
    // A call through the bound reaches the trait's item, not the trait (nom's
    // `Error::from_error_kind(…)`: rustc reports nothing there once the trait is renamed).
    assert!(!linked(&uses, "Maker::call", "Make"), "{uses:?}");
    // Nor in a trait impl's items (num-traits' `type FromStrRadixErr = T::FromStrRadixErr;`):
    // rustc stops at the impl's header.
    assert!(
        linked(&uses, "Wrap::Finished", "Target::Finished"),
        "{uses:?}"
    );
    assert!(!linked(&uses, "Wrap::Finished", "Target"), "{uses:?}");
    // In an impl of another trait it names the bound's trait (tokio-stream's
    // `U::InternalCollection` with `U: FromStream<T>` in `impl FromStreamPriv`), whose
    // header stands when the bound's trait is gone; not in its associated types, which
    // rustc does not report.
    assert!(linked(&uses, "Out::init", "FromStream"), "{uses:?}");
    assert!(linked(&uses, "Out::init", "Priv::Collection"), "{uses:?}");
    assert!(!linked(&uses, "Out::Collection", "FromStream"), "{uses:?}");
    assert!(
        linked(&uses, "Out::Collection", "Priv::Collection"),
        "{uses:?}"
    );
    let paths = unresolved_paths(&g);
    assert!(paths.is_empty(), "{paths:?}");
}

#[test]
fn items_a_static_s_initializer_declares_are_local_to_it() {
    // tracing's `callsite2!`: the initializer declares `static META` and names it.
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Metadata(u8);\n\
         pub struct Callsite(&'static Metadata);\n\
         macro_rules! callsite { () => {{ static META: Metadata = Metadata(1); Callsite(&META) }}; }\n\
         pub fn run() { static SITE: Callsite = callsite!(); let _ = &SITE; }\n\
         pub static DIRECT: Callsite = { static INNER: Metadata = Metadata(2); Callsite(&INNER) };\n",
    )]);
    let paths = unresolved_paths(&g);
    assert!(paths.is_empty(), "{paths:?}");
    // The initializer's `static INNER` is an item of its block scope, as in a function's body.
    let uses = edges(&g, EdgeKind::Uses);
    assert!(linked(&uses, "DIRECT", "DIRECT::INNER"), "{uses:?}");
    assert!(linked(&uses, "DIRECT::INNER", "Metadata"), "{uses:?}");
}

#[test]
fn thread_locals_and_lazy_statics_are_items() {
    let g = graph(&[(
        "src/lib.rs",
        "use std::cell::Cell;\n\
         thread_local!(static GLOBAL: Cell<u8> = Cell::new(0));\n\
         lazy_static::lazy_static! { static ref TABLE: Vec<u8> = Vec::new(); }\n\
         pub fn key() -> usize {\n    \
             thread_local!(static KEY: u8 = 0);\n    \
             KEY.with(|x| x as *const u8 as usize) + GLOBAL.with(|g| g.get() as usize) + TABLE.len()\n}\n",
    )]);
    let paths = unresolved_paths(&g);
    assert!(paths.is_empty(), "{paths:?}");
    let uses = edges(&g, EdgeKind::Uses);
    assert!(linked(&uses, "key", "GLOBAL"), "{uses:?}");
    assert!(linked(&uses, "key", "key::KEY"), "{uses:?}");
    assert!(linked(&uses, "key", "TABLE"), "{uses:?}");
}

#[test]
fn a_tt_muncher_expands_up_to_rustc_s_default_recursion_limit() {
    // One nested expansion per item, as libc's `c_enum!` over a long enum.
    let g = graph(&[(
        "src/lib.rs",
        "macro_rules! each { () => {}; ($x:ident $($rest:ident)*) => { pub struct $x; each!($($rest)*); }; }\n\
         each!(V0 V1 V2 V3 V4 V5 V6 V7 V8 V9 V10 V11 V12 V13 V14 V15 V16 V17 V18 V19 V20 V21 V22 V23 V24 V25 V26 V27 V28 V29 V30 V31 V32 V33 V34 V35 V36 V37 V38 V39 V40 V41 V42 V43 V44 V45 V46 V47 V48 V49 V50 V51 V52 V53 V54 V55 V56 V57 V58 V59 V60 V61 V62 V63 V64 V65 V66 V67 V68 V69 V70 V71 V72 V73 V74 V75 V76 V77 V78 V79 V80 V81 V82 V83 V84 V85 V86 V87 V88 V89 V90 V91 V92 V93 V94 V95 V96 V97 V98 V99 V100 V101 V102 V103 V104 V105 V106 V107 V108 V109 V110 V111 V112 V113 V114 V115 V116 V117 V118 V119);\n",
    )]);
    assert!(g.nodes.iter().any(|n| n.path == "demo::V119"));
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
}

#[test]
fn a_glob_of_an_enum_brings_its_variants_into_scope() {
    let g = graph(&[(
        "src/lib.rs",
        "mod action {\n    pub enum Action { Stop, Go(u8) }\n}\n\
         use self::action::Action::*;\n\
         pub fn step(go: bool) { let _ = if go { Go(1) } else { Stop }; }\n\
         pub fn other() { let _ = Missing; }\n\
         pub fn local(c: char) -> u8 {\n    \
             enum State { Start, Done }\n    \
             use State::*;\n    \
             match if c == 'a' { Start } else { Done } { Start => 0, Done => 1 }\n}\n\
         pub struct Parser;\n\
         impl Parser {\n    \
             pub fn parse(c: char) -> u8 {\n        \
                 #[derive(Debug)]\n        \
                 enum Phase { Begin, End { at: usize } }\n        \
                 use Phase::*;\n        \
                 let p = if c == 'a' { Begin } else { End { at: 1 } };\n        \
                 match p { Begin => 0, End { at } => at as u8 }\n    }\n}\n",
    )]);
    let uses = edges(&g, EdgeKind::Uses);
    assert!(linked(&uses, "step", "action::Action"), "{uses:?}");
    // A glob of an enum a function body declares, in that body (tracing-subscriber's
    // `ParseState`).
    assert!(linked(&uses, "local", "local::State"), "{uses:?}");
    assert!(
        linked(&uses, "Parser::parse", "Parser::parse::Phase"),
        "{uses:?}"
    );
    let found = unresolved_paths(&g);
    assert_eq!(
        found,
        ["Missing"],
        "the variants resolve, a name nothing binds does not"
    );
}

#[test]
fn a_pin_projection_has_the_struct_s_fields() {
    // `pin_project!` (not expanded) writes `project()`, whose value has the struct's fields.
    let g = graph(&[(
        "src/lib.rs",
        "use core::pin::Pin;\n\
         pub struct Queue;\nimpl Queue { pub fn push(&mut self, _x: u8) {} }\n\
         pub struct Other;\nimpl Other { pub fn push(&mut self, _x: u8) {} }\n\
         pub struct Buffered { queue: Queue }\n\
         impl Buffered {\n    pub fn poll(self: Pin<&mut Self>) {\n        \
         let this = self.project();\n        this.queue.push(1);\n    }\n}\n",
    )]);
    let calls: Vec<(String, String, Confidence)> = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Calls)
        .map(|e| {
            let path = |id| g.node(id).unwrap().path.clone();
            (path(e.from), path(e.to), e.confidence)
        })
        .collect();
    assert_eq!(
        calls,
        [(
            "demo::Buffered::poll".to_string(),
            "demo::Queue::push".to_string(),
            Confidence::Medium
        )]
    );
}

#[test]
fn an_import_binds_only_the_namespaces_it_can_see() {
    // time's tests: `use time::macros::time;` imports the proc macro `time_macros::time`, not
    // time-macros' private `mod time`, so `time::Date` still names the crate `time`.
    let mut source = MemorySource::default();
    let files = [
        (
            "clock/src/lib.rs",
            "pub mod macros { pub use clock_macros::clock; }\npub struct Date;\n",
        ),
        ("macros/src/lib.rs", "mod clock {}\npub fn clock() {}\n"),
        (
            "app/src/lib.rs",
            "use clock::macros::clock;\npub fn f(d: clock::Date) {}\n",
        ),
    ];
    for (p, t) in files {
        source
            .files
            .insert(PathBuf::from("/w").join(p), t.as_bytes().to_vec());
    }
    let root = Path::new("/w");
    let krate = |name: &str, dir: &str, deps: &[(&str, usize)]| {
        let mut input =
            CrateInput::standalone(name, name, "lib", root, &root.join(dir).join("src/lib.rs"));
        for (dep, index) in deps {
            input
                .extern_crates
                .insert(dep.to_string(), ExternCrate::Workspace(*index));
        }
        input
    };
    let inputs = [
        krate("clock", "clock", &[("clock_macros", 1)]),
        krate("clock_macros", "macros", &[]),
        krate("app", "app", &[("clock", 0)]),
    ];
    let g = build(&source, root, &inputs).graph;
    let uses = edges(&g, EdgeKind::Uses);
    assert!(
        uses.contains(&("app::f".to_string(), "clock::Date".to_string())),
        "{uses:?}"
    );
    // The private module is imported by nobody.
    let to_module = g.edges.iter().any(|e| {
        let to = g.node(e.to).unwrap();
        e.kind == EdgeKind::Uses && to.kind == NodeKind::Module && to.path == "clock_macros::clock"
    });
    assert!(!to_module, "{uses:?}");
}

#[test]
fn a_macro_use_module_declared_before_a_module_is_its_textual_scope() {
    // rustix: `#[macro_use] mod weak;` before `mod backend;` in lib.rs; the other backend's
    // `arch.rs` (first by path) defines another `syscall!` of another grammar, declared after.
    let g = graph(&[
        (
            "src/lib.rs",
            "#[macro_use] mod weak;\nmod backend;\n#[macro_use] mod arch;\n",
        ),
        (
            "src/weak.rs",
            "macro_rules! syscall { (fn $name:ident()) => { pub fn $name() {} }; }\n",
        ),
        (
            "src/arch.rs",
            "macro_rules! syscall { ($nr:literal) => { pub fn from_arch() {} }; }\n",
        ),
        ("src/backend.rs", "syscall!(fn made());\n"),
    ]);
    assert!(
        g.nodes.iter().any(|n| n.path == "demo::backend::made"),
        "{:?}",
        g.diagnostics
    );
    assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
}

#[test]
fn a_macro_another_file_s_expansion_defines_is_seen_by_its_callers() {
    // petgraph: `trait_template!` (visit/macros.rs) writes `macro_rules! Data` where visit.rs
    // calls it; frozen.rs calls `Data!` to implement the trait. The definition exists only in
    // visit.rs's re-extraction, so frozen.rs is extracted again once it does.
    let g = graph(&[
        (
            "src/lib.rs",
            "#[macro_use] mod macros;\n#[macro_use] pub mod visit;\nmod frozen;\n",
        ),
        (
            "src/macros.rs",
            "macro_rules! trait_template {\n\
             (pub trait $name:ident $($body:tt)*) => {\n\
             macro_rules! $name { ($m:ident $extra:tt) => { $m! { $extra pub trait $name $($body)* } } }\n\
             pub trait $name $($body)*\n\
             };\n\
             }\n\
             macro_rules! delegate_impl {\n\
             ([$ty:ty] pub trait $name:ident { $($body:tt)* }) => { impl $name for $ty {} };\n\
             }\n",
        ),
        (
            "src/visit.rs",
            "trait_template! { pub trait Data { fn size(&self) -> usize { 0 } } }\n",
        ),
        (
            "src/frozen.rs",
            "use crate::visit::Data;\npub struct Frozen;\nData! {delegate_impl [Frozen]}\n",
        ),
    ]);
    let implements = edges(&g, EdgeKind::Implements);
    assert!(
        implements
            .iter()
            .any(|(from, to)| from.starts_with("demo::frozen::") && to == "demo::visit::Data"),
        "{implements:?}"
    );
}

#[test]
fn the_crate_imported_under_another_name_is_its_root() {
    // miette's `use crate as miette;` then `Option<miette::Severity>`.
    let g = graph(&[(
        "src/lib.rs",
        "pub enum Severity { Error }\n\
         mod wrapper {\n    use crate as demo_alias;\n    \
             pub fn severity() -> Option<demo_alias::Severity> { None }\n}\n",
    )]);
    let uses = edges(&g, EdgeKind::Uses);
    assert!(linked(&uses, "wrapper::severity", "Severity"), "{uses:?}");
}

#[test]
fn an_impl_on_a_type_alias_is_one_on_the_aliased_type() {
    // miette's `type ErasedErrorImpl = ErrorImpl<()>; impl ErasedErrorImpl { fn diagnostic … }`,
    // called as `ErrorImpl::diagnostic(…)` and on a receiver typed `ErrorImpl<E>`.
    let g = graph(&[(
        "src/lib.rs",
        "pub struct ErrorImpl<E> { error: E }\n\
         type Erased = ErrorImpl<()>;\n\
         impl Erased { pub fn diagnostic(&self) -> u8 { 0 } }\n\
         pub fn by_path(e: &Erased) -> u8 { ErrorImpl::diagnostic(e) }\n\
         pub fn by_receiver(e: &ErrorImpl<()>) -> u8 { e.diagnostic() }\n\
         pub fn by_alias(e: &Erased) -> u8 { Erased::diagnostic(e) }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    for from in ["by_path", "by_receiver", "by_alias"] {
        assert!(
            linked(&calls, from, "Erased::diagnostic"),
            "{from}: {calls:?}"
        );
    }
}
#[test]
fn use_self_name_binds_the_module_s_item_in_a_module_and_in_a_body() {
    // miniz_oxide's tests: `use self::check_result as cr;` in a test function's body.
    let g = graph(&[(
        "src/lib.rs",
        "mod test {\n\
             fn check(x: u8) {}\n\
             fn bogus() { use self::check as cr; cr(1); }\n\
         }\n\
         mod other {\n\
             fn check(x: u8) {}\n\
             use self::check as cr;\n\
             fn f() { cr(1); }\n\
         }\n",
    )]);
    assert!(g.unresolved_paths.is_empty(), "{:?}", g.unresolved_paths);
    let calls = edges(&g, EdgeKind::Calls);
    assert!(linked(&calls, "test::bogus", "test::check"), "{calls:?}");
    assert!(linked(&calls, "other::f", "other::check"), "{calls:?}");
}

#[test]
fn what_quote_tokens_name_is_not_a_reference_of_the_crate() {
    // A proc-macro's `quote! { … }` is code for the crate that uses the derive.
    let g = graph(&[(
        "src/lib.rs",
        "pub fn helper() {}\n\
         pub fn generate() {\n\
             let _ = quote! { crate::helper() };\n\
             let _ = syn::parse_quote! { helper() };\n\
         }\n\
         pub fn call() { let _ = vec![helper()]; }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    assert!(!linked(&calls, "generate", "helper"), "{calls:?}");
    assert!(linked(&calls, "call", "helper"), "{calls:?}");
}

#[test]
fn in_rust_2015_leading_colons_and_use_paths_start_at_the_crate_root() {
    // mime (edition 2015): `return Ok(::STAR_STAR);` in `parse`, and `use parse::f;`.
    let g = graph_with(
        &[(
            "src/lib.rs",
            "pub const STAR_STAR: u8 = 1;\n\
             mod parse { pub fn parse() -> u8 { ::STAR_STAR } }\n\
             mod other { use parse::parse; use std::fmt; pub fn run() { parse(); } }\n",
        )],
        |input| input.edition_2015 = true,
    );
    assert!(g.unresolved_paths.is_empty(), "{:?}", g.unresolved_paths);
    let uses = edges(&g, EdgeKind::Uses);
    assert!(linked(&uses, "parse::parse", "STAR_STAR"), "{uses:?}");
    let calls = edges(&g, EdgeKind::Calls);
    assert!(linked(&calls, "other::run", "parse::parse"), "{calls:?}");
}
