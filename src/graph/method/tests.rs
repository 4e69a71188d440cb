//! Method calls and receiver types on small in-memory workspaces.

use crate::graph::build::tests::{edges, graph, linked};
use crate::graph::{Confidence, EdgeKind, Graph};

/// Whether `g` has a `calls` edge `demo::{from}` → `demo::{to}` at Medium: a method found
/// through written types, not a name-only (Low) guess.
fn typed_call(g: &Graph, from: &str, to: &str) -> bool {
    g.edges.iter().any(|e| {
        e.kind == EdgeKind::Calls
            && e.confidence == Confidence::Medium
            && g.node(e.from).unwrap().path == format!("demo::{from}")
            && g.node(e.to).unwrap().path == format!("demo::{to}")
    })
}

mod arguments;
mod macros;
mod outside_types;

#[test]
fn method_calls_follow_fields_return_types_chains_and_wrappers() {
    let g = graph(&[(
        "src/lib.rs",
        "use std::sync::{Arc, Mutex};\n\
         pub struct Io; impl Io { pub fn flush(&self) {} pub fn buf(&self) -> &Buf { todo!() } }\n\
         pub struct Buf; impl Buf { pub fn len(&self) -> usize { 0 } }\n\
         pub struct Other; impl Other { pub fn flush(&self) {} pub fn len(&self) -> usize { 0 } }\n\
         pub struct Conn<T> { io: T, shared: Arc<Mutex<Io>>, list: Vec<Other> }\n\
         impl Conn<Io> {\n\
             pub fn new() -> Self { todo!() }\n\
             pub fn field(&self) { self.io.flush() }\n\
             pub fn chain(&self) { self.io.buf().len(); }\n\
             pub fn wrapped(&self) { self.shared.lock().unwrap().flush() }\n\
             pub fn external(&self) { self.list.len(); }\n\
         }\n\
         pub fn make() -> Option<Io> { None }\n\
         pub fn user() -> Option<()> { let c = Conn::new(); c.field(); make()?.flush(); Io {}.buf(); Some(()) }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    let has = |from: &str, to: &str| linked(&calls, from, to);
    assert!(has("Conn::field", "Io::flush"), "{calls:?}");
    assert!(!has("Conn::field", "Other::flush"), "{calls:?}");
    assert!(
        has("Conn::chain", "Io::buf") && has("Conn::chain", "Buf::len"),
        "{calls:?}"
    );
    assert!(!has("Conn::chain", "Other::len"), "{calls:?}");
    assert!(has("Conn::wrapped", "Io::flush"), "{calls:?}");
    // `Vec::len` is std's: no name-only guess at the workspace's `len`s.
    assert!(
        !has("Conn::external", "Buf::len") && !has("Conn::external", "Other::len"),
        "{calls:?}"
    );
    assert!(
        has("user", "Conn::field") && has("user", "Io::flush") && has("user", "Io::buf"),
        "{calls:?}"
    );
    assert!(!has("user", "Other::flush"), "{calls:?}");
}

#[test]
fn receivers_typed_by_bounded_parameters_call_the_bounding_trait() {
    let g = graph(&[(
        "src/lib.rs",
        "pub trait Sink { fn context(&mut self); }\n\
         pub trait Other { fn flush(&self); }\n\
         pub trait Both: Sink + Other {}\n\
         pub fn run<S: Sink>(sink: &mut S) { sink.context() }\n\
         pub fn run_where<S>(sink: &mut S) where S: Sink { sink.context() }\n\
         pub fn through_super<B: Both>(b: &B) { b.flush() }\n\
         pub fn dynamic(f: &dyn Other) { f.flush() }\n\
         pub struct Core<S: Sink> { sink: S }\n\
         impl<S: Sink> Core<S> { pub fn go(&mut self) { self.sink.context() } }\n\
         impl<T: Other + ?Sized> Other for &T { fn flush(&self) { (**self).flush() } }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    let has = |from: &str, to: &str| linked(&calls, from, to);
    assert!(has("run", "Sink::context"), "{calls:?}");
    assert!(has("run_where", "Sink::context"), "{calls:?}");
    assert!(has("through_super", "Other::flush"), "{calls:?}");
    assert!(has("dynamic", "Other::flush"), "{calls:?}");
    assert!(has("Core::go", "Sink::context"), "{calls:?}");
    // A generic self type names no item: its items are named as rustdoc names them.
    assert!(has("<&T as Other>::flush", "Other::flush"), "{calls:?}");
}

#[test]
fn tuple_fields_and_tuple_patterns_are_receivers() {
    // smallvec's `self.triple_mut().0.as_ptr()`, where `.0` is std's `NonNull` and the
    // workspace's `ConstNonNull::as_ptr` is not meant; `let (ptr, len) = self.triple();`.
    let g = graph(&[(
        "src/lib.rs",
        "use std::ptr::NonNull;\n\
         pub struct ConstNonNull(NonNull<u8>);\n\
         impl ConstNonNull { pub fn as_ptr(self) -> *const u8 { todo!() } }\n\
         pub struct Len; impl Len { pub fn get(&self) -> usize { 0 } }\n\
         pub struct Vec8;\n\
         impl Vec8 {\n\
             fn triple(&self) -> (ConstNonNull, Len) { todo!() }\n\
             fn triple_mut(&mut self) -> (NonNull<u8>, &mut Len) { todo!() }\n\
             pub fn as_mut_ptr(&mut self) -> *mut u8 { self.triple_mut().0.as_ptr() }\n\
             pub fn as_ptr(&self) -> *const u8 { self.triple().0.as_ptr() }\n\
             pub fn len(&self) -> usize { let (_, len) = self.triple(); len.get() }\n\
         }\n",
    )]);
    assert!(typed_call(&g, "Vec8::as_ptr", "ConstNonNull::as_ptr"));
    assert!(typed_call(&g, "Vec8::len", "Len::get"));
    let calls = edges(&g, EdgeKind::Calls);
    assert!(
        !linked(&calls, "Vec8::as_mut_ptr", "ConstNonNull::as_ptr"),
        "{calls:?}"
    );
}

#[test]
fn a_closure_over_what_a_method_returns_takes_its_element() {
    // toml_edit's `error.unexpected().map(|span| span.start()..span.end())`.
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Span; impl Span { pub fn end(&self) -> usize { 0 } }\n\
         pub struct Other; impl Other { pub fn end(&self) -> usize { 1 } }\n\
         pub struct Error { at: Option<Span> }\n\
         impl Error { pub fn unexpected(&self) -> Option<Span> { None } }\n\
         pub fn new(error: &Error) -> Option<usize> { error.unexpected().map(|span| span.end()) }\n",
    )]);
    assert!(typed_call(&g, "new", "Span::end"));
    let calls = edges(&g, EdgeKind::Calls);
    assert!(!linked(&calls, "new", "Other::end"), "{calls:?}");
}

#[test]
fn an_indexed_element_is_a_receiver() {
    // aho-corasick's `self.pattern_lens[pid].as_usize()` (a `Vec<SmallIndex>`) and
    // `self.nfa.states[sid].depth.as_usize()`.
    let g = graph(&[(
        "src/lib.rs",
        "use std::collections::HashMap;\n\
         pub struct Index; impl Index { pub fn as_usize(&self) -> usize { 0 } }\n\
         pub struct Other; impl Other { pub fn as_usize(&self) -> usize { 1 } }\n\
         pub struct State { depth: Index }\n\
         pub struct Nfa { states: Vec<State>, lens: [Index; 4], names: HashMap<String, Index> }\n\
         impl Nfa {\n\
             pub fn len(&self, i: usize) -> usize { self.lens[i].as_usize() }\n\
             pub fn depth(&self, i: usize) -> usize { self.states[i].depth.as_usize() }\n\
             pub fn named(&self, k: &str) -> usize { self.names[k].as_usize() }\n\
             pub fn ranged(&self) -> usize { self.states[1..].len() }\n\
         }\n",
    )]);
    for from in ["Nfa::len", "Nfa::depth", "Nfa::named"] {
        assert!(typed_call(&g, from, "Index::as_usize"), "{from}");
        assert!(
            !linked(&edges(&g, EdgeKind::Calls), from, "Other::as_usize"),
            "{from}"
        );
    }
}

#[test]
fn elements_of_iterated_collections_and_statics_are_receivers() {
    let g = graph(&[(
        "src/lib.rs",
        "pub trait Flag { fn name(&self) -> &str; }\n\
         pub struct Item;\n\
         impl Item { pub fn weight(&self) -> u8 { 1 } }\n\
         pub struct Table;\n\
         impl Table { pub fn lookup(&self) {} }\n\
         pub static FLAGS: &[&dyn Flag] = &[];\n\
         pub const TABLE: Table = Table;\n\
         pub struct Bag { items: Vec<Item>, slots: [Item; 2] }\n\
         impl Bag {\n\
             const ALL: [Item; 1] = [Item];\n\
             pub fn sum(&self) { for x in &self.items { x.weight(); } }\n\
             pub fn slots(&self) { for s in self.slots.iter() { s.weight(); } }\n\
             pub fn all() { for a in Self::ALL { a.weight(); } }\n\
         }\n\
         pub fn names() { for flag in FLAGS.iter() { flag.name(); } }\n\
         pub fn copied() { for flag in FLAGS.iter().copied() { flag.name(); } }\n\
         pub fn owned(v: Vec<Item>) { for i in v { i.weight(); } }\n\
         pub fn sliced(v: &[Item]) { for i in v.iter() { i.weight(); } }\n\
         pub fn table() { TABLE.lookup(); }\n\
         pub fn shadowed(v: Vec<Item>) { for v in v { v.weight(); } let v = 3u8; v.weight(); }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    let has = |from: &str, to: &str| linked(&calls, from, to);
    assert!(has("names", "Flag::name"), "{calls:?}");
    assert!(has("copied", "Flag::name"), "{calls:?}");
    assert!(has("Bag::sum", "Item::weight"), "{calls:?}");
    assert!(has("Bag::slots", "Item::weight"), "{calls:?}");
    assert!(has("Bag::all", "Item::weight"), "{calls:?}");
    assert!(has("owned", "Item::weight"), "{calls:?}");
    assert!(has("sliced", "Item::weight"), "{calls:?}");
    assert!(has("table", "Table::lookup"), "{calls:?}");
    assert!(has("shadowed", "Item::weight"), "{calls:?}");
}

#[test]
fn elements_of_workspace_iterables_are_their_iterator_items() {
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Pattern;\n\
         impl Pattern { pub fn len(&self) -> usize { 0 } }\n\
         pub struct Other;\n\
         impl Other { pub fn len(&self) -> usize { 1 } }\n\
         pub struct Patterns { all: Vec<Pattern> }\n\
         pub struct PatternIter<'p> { it: core::slice::Iter<'p, Pattern> }\n\
         impl<'p> Iterator for PatternIter<'p> {\n\
             type Item = &'p Pattern;\n\
             fn next(&mut self) -> Option<&'p Pattern> { self.it.next() }\n\
         }\n\
         impl Patterns { pub fn iter(&self) -> PatternIter<'_> { PatternIter { it: self.all.iter() } } }\n\
         pub struct Bag;\n\
         impl<'a> IntoIterator for &'a Bag {\n\
             type Item = &'a Other;\n\
             type IntoIter = core::slice::Iter<'a, Other>;\n\
             fn into_iter(self) -> Self::IntoIter { [].iter() }\n\
         }\n\
         pub struct Searcher { patterns: Patterns }\n\
         impl Searcher { pub fn total(&self) { for p in self.patterns.iter() { p.len(); } } }\n\
         pub fn walk(it: PatternIter<'_>) { for p in it { p.len(); } }\n\
         pub fn bagged(bag: &Bag) { for o in bag { o.len(); } }\n",
    )]);
    assert!(typed_call(&g, "Searcher::total", "Pattern::len"));
    assert!(typed_call(&g, "walk", "Pattern::len"));
    assert!(typed_call(&g, "bagged", "Other::len"));
    let calls = edges(&g, EdgeKind::Calls);
    assert!(
        !linked(&calls, "Searcher::total", "Other::len"),
        "{calls:?}"
    );
    assert!(!linked(&calls, "bagged", "Pattern::len"), "{calls:?}");
}

#[test]
fn paths_and_receivers_through_type_aliases_reach_the_aliased_type() {
    let g = graph(&[(
        "src/lib.rs",
        "mod private { pub struct Inner<T>(T); impl<T> Inner<T> { pub fn new(t: T) -> Self { Inner(t) } pub fn go(&self) {} } }\n\
         pub type Outer<T> = private::Inner<T>;\n\
         pub type Outer2 = Outer<u8>;\n\
         pub type Cyclic = Cyclic2;\n\
         pub type Cyclic2 = Cyclic;\n\
         pub fn make() { Outer::new(1u8); }\n\
         pub fn make2() { Outer2::new(1); }\n\
         pub fn run(o: Outer2) { o.go(); }\n\
         pub fn cyc() { Cyclic::new(); }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    let has = |from: &str, to: &str| linked(&calls, from, to);
    assert!(has("make", "private::Inner::new"), "{calls:?}");
    assert!(has("make2", "private::Inner::new"), "{calls:?}");
    assert!(has("run", "private::Inner::go"), "{calls:?}");
    let uses = edges(&g, EdgeKind::Uses);
    assert!(
        uses.contains(&("demo::make".to_string(), "demo::Outer".to_string())),
        "{uses:?}"
    );
}

#[test]
fn receivers_deref_through_workspace_impls_and_aliases_of_outside_types() {
    let g = graph(&[(
        "src/lib.rs",
        "use core::ops::Deref;\n\
         use std::sync::atomic::{AtomicUsize, Ordering};\n\
         pub struct Padded<T> { value: T }\n\
         impl<T> Deref for Padded<T> { type Target = T; fn deref(&self) -> &T { &self.value } }\n\
         #[cfg(target_has_atomic = \"64\")] type Index = core::sync::atomic::AtomicU64;\n\
         #[cfg(not(target_has_atomic = \"64\"))] type Index = AtomicUsize;\n\
         pub struct Position<T> { index: Index, slot: Slot, value: T }\n\
         pub struct Slot; impl Slot { pub fn take(&self) {} }\n\
         pub struct Lock; impl Lock { pub fn get_mut(&mut self) {} pub fn load(&self) {} }\n\
         pub struct Channel<T> { head: Padded<Position<T>>, shared: Shared<Slot> }\n\
         type Shared<T> = std::sync::Arc<T>;\n\
         impl<T> Channel<T> {\n\
             pub fn drop_all(&mut self) { self.head.index.get_mut(); self.head.slot.take(); }\n\
             pub fn peek(&self) { self.head.index.load(Ordering::Relaxed); self.shared.take(); }\n\
         }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    let has = |from: &str, to: &str| linked(&calls, from, to);
    // Through `Padded`'s Deref to `Position`'s field.
    assert!(has("Channel::drop_all", "Slot::take"), "{calls:?}");
    // An alias of an outside type with arguments: `Arc<Slot>` derefs to `Slot`.
    assert!(has("Channel::peek", "Slot::take"), "{calls:?}");
    // `index` is core's AtomicUsize: its methods are not the workspace's same-named ones.
    assert!(!has("Channel::drop_all", "Lock::get_mut"), "{calls:?}");
    assert!(!has("Channel::peek", "Lock::load"), "{calls:?}");
}

#[test]
fn a_raw_pointer_is_no_receiver_until_as_ref_gives_its_pointee() {
    // rayon-core's `WorkerThread::current().as_ref()?` then `curr.index()`.
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Worker; pub struct Builder;\n\
         impl Worker {\n    \
             pub fn current() -> *const Worker { std::ptr::null() }\n    \
             pub fn index(&self) -> usize { 0 }\n}\n\
         impl Builder { pub fn index(&self) -> usize { 1 } }\n\
         pub fn current_index() -> Option<usize> {\n    \
             unsafe {\n        \
                 let curr = Worker::current().as_ref()?;\n        \
                 Some(curr.index())\n    \
             }\n}\n\
         pub fn raw() -> usize { let p = Worker::current(); p.index() }\n\
         pub fn in_block() -> Option<usize> {\n    \
             let curr = unsafe { Worker::current().as_ref()? };\n    \
             Some(curr.index())\n}\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    let has = |from: &str, to: &str| linked(&calls, from, to);
    assert!(has("current_index", "Worker::index"), "{calls:?}");
    assert!(!has("current_index", "Builder::index"), "{calls:?}");
    // The value of an `unsafe` block is its last expression's.
    assert!(has("in_block", "Worker::index"), "{calls:?}");
    assert!(!has("in_block", "Builder::index"), "{calls:?}");
    // A raw pointer's own methods are not the pointee's (no auto-deref).
    assert!(!has("raw", "Builder::index"), "{calls:?}");
}

#[test]
fn a_non_null_pointer_gives_its_pointee_through_as_mut() {
    // smallvec's `Drain::drop`: `let v = self.vec.as_mut(); v.as_mut_ptr()`.
    let g = graph(&[(
        "src/lib.rs",
        "use core::ptr::NonNull;\n\
         pub struct Vec2; pub struct Other;\n\
         impl Vec2 { pub fn as_mut_ptr(&mut self) -> *mut u8 { todo!() } }\n\
         impl Other { pub fn as_mut_ptr(&mut self) -> *mut u8 { todo!() } }\n\
         pub struct Drain { vec: NonNull<Vec2> }\n\
         impl Drain {\n    \
             pub fn drop_tail(&mut self) {\n        \
                 let v = unsafe { self.vec.as_mut() };\n        \
                 v.as_mut_ptr();\n    \
             }\n}\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    let has = |from: &str, to: &str| linked(&calls, from, to);
    assert!(has("Drain::drop_tail", "Vec2::as_mut_ptr"), "{calls:?}");
    assert!(!has("Drain::drop_tail", "Other::as_mut_ptr"), "{calls:?}");
}

#[test]
fn self_paths_in_a_trait_impl_name_its_own_items_and_reach_the_trait() {
    let g = graph(&[(
        "src/lib.rs",
        "pub trait Visitor { type Value; fn visit(&self) -> Self::Value; }\n\
         pub trait Other { type Value; fn other(&self) {} }\n\
         pub struct V;\n\
         pub struct Holder<'a, T>(&'a T);\n\
         impl Other for V { type Value = u16; }\n\
         impl Visitor for V { type Value = u8; fn visit(&self) -> Self::Value { 0 } }\n\
         pub fn run(v: V) { v.visit(); }\n\
         pub fn by_path(v: V) { V::visit(&v); }\n\
         impl Visitor for u32 { type Value = u8; fn visit(&self) -> Self::Value { 0 } }\n\
         use std::path::{Path, PathBuf};\n\
         impl<'a> Visitor for Path { type Value = u8; fn visit(&self) -> Self::Value { 0 } }\n\
         impl Visitor for PathBuf { type Value = u8; fn visit(&self) -> Self::Value { 0 } }\n\
         impl Visitor for &str { type Value = u8; fn visit(&self) -> Self::Value { 0 } }\n\
         pub trait Extract<S> { type Rejection; fn extract(s: S) -> Self::Rejection; }\n\
         pub struct Local;\n\
         impl<S> Extract<S> for Local { type Rejection = u8; fn extract(_: S) -> Self::Rejection { 0 } }\n\
         impl<S> Extract<S> for Vec<S> { type Rejection = u8; fn extract(_: S) -> Self::Rejection { 0 } }\n",
    )]);
    let uses = edges(&g, EdgeKind::Uses);
    // `Self::Value` in the Visitor impl is that impl's own `Value`, not Other's.
    let value_of = |from: &str| {
        g.edges
            .iter()
            .filter(|e| e.kind == EdgeKind::Uses && g.node(e.from).unwrap().path == from)
            .filter_map(|e| g.node(e.to))
            .filter(|n| n.name == "Value")
            .map(|n| g.node(n.parent.unwrap()).unwrap().name.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        value_of("demo::V::visit"),
        ["impl Visitor for V"],
        "{uses:?}"
    );
    // An impl's item named by a path depends on its trait; a method call does not
    // (rustc reports nothing there once the impl is gone). In a non-generic impl's own
    // signatures rustc does not report `Self::Value` (rand's `impl SeedableRng for SmallRng
    // { fn from_seed(seed: Self::Seed) }`).
    let has = |from: &str, to: &str| linked(&uses, from, to);
    assert!(!has("V::visit", "Visitor"), "{uses:?}");
    assert!(has("by_path", "Visitor"), "{uses:?}");
    assert!(!has("run", "Visitor"), "{uses:?}");
    // rustc stops at the header of an impl for a primitive whose trait is gone.
    assert!(!has("u32::visit", "Visitor"), "{uses:?}");
    // So does it for a type outside the workspace, unless the impl is generic (thiserror's
    // `impl<'a> AsDisplay<'a> for Path`: E0223 at `Self::Target`).
    assert!(!has("PathBuf::visit", "Visitor"), "{uses:?}");
    assert!(has("Path::visit", "Visitor"), "{uses:?}");
    // An elided lifetime is a generic parameter too (winnow's `impl StreamIsPartial for
    // &str`).
    assert!(has("str::visit", "Visitor"), "{uses:?}");
    // A type parameter only the trait names makes a generic impl too (the crate declares
    // `Holder<'a, T>`).
    assert!(has("Local::extract", "Extract"), "{uses:?}");
    assert!(has("Vec::extract", "Extract"), "{uses:?}");
}

#[test]
fn self_paths_in_generic_impls_reach_the_trait_when_the_crate_declares_a_generic_type() {
    // tower-layer: `impl<S> Layer<S> for Identity { fn layer(&self, inner: S) ->
    // Self::Service }` is E0223 once `Layer` is gone, because the crate declares a generic
    // type (`Stack<Inner, Outer>`); futures-core declares none, and rustc reports nothing in
    // `impl<S: Stream> Stream for &mut S`. An `async fn`'s return type is never reported
    // (axum's `impl<S> FromRequestParts<S> for HeaderMap`).
    let source = |generic_type: &str| {
        format!(
            "pub trait Layer<S> {{ type Service; fn layer(&self, inner: S) -> Self::Service; }}\n\
             pub trait Extract<S> {{ type Rejection; async fn extract(s: S) -> Self::Rejection; }}\n\
             pub struct Identity;\n\
             {generic_type}\n\
             impl<S> Layer<S> for Identity {{ type Service = S; fn layer(&self, inner: S) -> Self::Service {{ inner }} }}\n\
             impl<T> Layer<u8> for Vec<T> {{ type Service = u8; fn layer(&self, inner: u8) -> Self::Service {{ inner }} }}\n\
             impl<S> Extract<S> for Identity {{ type Rejection = u8; async fn extract(_: S) -> Self::Rejection {{ 0 }} }}\n\
             pub trait Opaque<S> {{ type Out; fn opaque(s: S) -> impl Iterator<Item = Self::Out>; fn body(s: S) -> u8; }}\n\
             impl<S> Opaque<S> for Identity {{ type Out = u8; fn opaque(_: S) -> impl Iterator<Item = Self::Out> {{ None.into_iter() }} fn body(_: S) -> u8 {{ let x: Self::Out = 0; x }} }}\n"
        )
    };
    for (generic_type, reported) in [
        ("pub struct Stack<I, O>(I, O);", true),
        ("pub struct Borrowed<'a>(&'a u8);", true),
        ("enum Choice<T> { One(T) }", true),
        ("pub struct Plain(u8); pub type Alias<T> = Vec<T>;", false),
    ] {
        let g = graph(&[("src/lib.rs", &source(generic_type))]);
        let uses = edges(&g, EdgeKind::Uses);
        let has = |from: &str, to: &str| linked(&uses, from, to);
        assert_eq!(
            has("Identity::layer", "Layer"),
            reported,
            "{generic_type}: {uses:?}"
        );
        assert_eq!(
            has("Vec::layer", "Layer"),
            reported,
            "{generic_type}: {uses:?}"
        );
        // Not in an `async fn`'s return type, `impl Trait` or a body: rustc checks none.
        assert!(
            !has("Identity::extract", "Extract"),
            "{generic_type}: {uses:?}"
        );
        assert!(
            !has("Identity::opaque", "Opaque"),
            "{generic_type}: {uses:?}"
        );
        assert!(!has("Identity::body", "Opaque"), "{generic_type}: {uses:?}");
    }
}

#[test]
fn a_method_call_never_names_an_associated_function_without_self() {
    // bytes: `dst[..n].copy_from_slice(src)` is the slice method, never
    // `Bytes::copy_from_slice(data: &[u8]) -> Self`.
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Bytes;\n\
         impl Bytes { pub fn copy_from_slice(_: &[u8]) -> Self { Bytes } pub fn len(&self) -> usize { 0 } }\n\
         pub fn fill(dst: &mut [u8], src: &[u8]) { dst[..1].copy_from_slice(src); }\n\
         pub fn make(src: &[u8]) -> usize { let b = Bytes::copy_from_slice(src); b.len() }\n\
         pub fn guess() -> usize { let x = elsewhere(); x.len() }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    let calls_to = |from: &str, to: &str| linked(&calls, from, to);
    assert!(!calls_to("fill", "Bytes::copy_from_slice"), "{calls:?}");
    assert!(calls_to("make", "Bytes::copy_from_slice"), "{calls:?}");
    assert!(calls_to("make", "Bytes::len"), "{calls:?}");
    assert!(calls_to("guess", "Bytes::len"), "{calls:?}");
}

#[test]
fn a_self_constructor_depends_on_the_type() {
    // rustc rejects `Self` and `Self(…)` as values once the type is renamed, even inside
    // an impl whose header it stops at; `Self { … }` and `-> Self` it does not.
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Unit; pub struct Tuple(u8); pub struct Named { a: u8 }\n\
         impl Unit { pub fn make() -> Self { Self } pub fn ty() -> Self { todo!() } }\n\
         impl Tuple { pub fn make() -> Self { Self(1) } }\n\
         impl Named { pub fn make() -> Self { Self { a: 1 } } }\n",
    )]);
    let uses = edges(&g, EdgeKind::Uses);
    let has = |from: &str, to: &str| linked(&uses, from, to);
    assert!(has("Unit::make", "Unit"), "{uses:?}");
    assert!(has("Tuple::make", "Tuple"), "{uses:?}");
    assert!(!has("Named::make", "Named"), "{uses:?}");
    assert!(!has("Unit::ty", "Unit"), "{uses:?}");
}

#[test]
fn patterns_bind_parts_of_the_scrutinee_and_fields_of_the_struct_or_variant_they_name() {
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Value; impl Value { pub fn unexpected(&self) -> u8 { 0 } }\n\
         pub struct Other; impl Other { pub fn unexpected(&self) -> u8 { 0 } }\n\
         pub fn catch_all(v: Value) -> u8 { match v { other => other.unexpected() } }\n\
         pub fn at(v: &Value) -> u8 { match v { whole @ _ => whole.unexpected() } }\n\
         pub fn some(v: Option<Value>) -> u8 { match v { Some(x) => x.unexpected(), None => 0 } }\n\
         pub fn ok(v: Result<Value, Other>) -> u8 { match v { Ok(ref x) => x.unexpected(), Err(_) => 0 } }\n\
         pub fn if_let(v: Option<&Value>) -> u8 { if let Some(&ref x) = v { x.unexpected() } else { 0 } }\n\
         pub fn let_else(v: Option<Value>) -> u8 { let Some(x) = v else { return 0 }; x.unexpected() }\n\
         pub fn shadowed(x: Value, v: Option<(Other, u8)>) -> u8 { if let Some((x, _)) = v { x.unexpected() } else { 0 } }\n\
         pub enum Json { Number(Value), Named { inner: Value }, Empty }\n\
         pub struct Wrap(pub Other, pub Value);\n\
         pub struct Point { pub v: Value }\n\
         pub fn variant(j: Json) -> u8 { match j { Json::Number(n) => n.unexpected(), Json::Named { inner } => inner.unexpected(), Json::Empty => 0 } }\n\
         pub fn tuple_struct(w: Wrap) -> u8 { let Wrap(_, v) = w; v.unexpected() }\n\
         pub fn struct_pattern(p: Point) -> u8 { let Point { v: renamed } = p; renamed.unexpected() }\n\
         impl Json { pub fn own(&self) -> u8 { match self { Self::Number(n) => n.unexpected(), _ => 0 } } }\n\
         pub fn nested(j: Option<Json>) -> u8 { if let Some(Json::Number(n)) = j { n.unexpected() } else { 0 } }\n\
         pub fn before_rest(w: Wrap) -> u8 { let Wrap(o, ..) = w; o.unexpected() }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    let typed = |from: &str, to: &str| typed_call(&g, from, to);
    for from in [
        "catch_all",
        "at",
        "some",
        "ok",
        "if_let",
        "let_else",
        "variant",
        "tuple_struct",
        "struct_pattern",
        "Json::own",
        "nested",
    ] {
        assert!(typed(from, "Value::unexpected"), "{from}: {calls:?}");
        assert!(
            !linked(&calls, from, "Other::unexpected"),
            "{from}: {calls:?}"
        );
    }
    // A binding the pattern does not type shadows the parameter's type: a guess, not Value's.
    assert!(!typed("shadowed", "Value::unexpected"), "{calls:?}");
    assert!(typed("before_rest", "Other::unexpected"), "{calls:?}");
    assert!(
        !linked(&calls, "before_rest", "Value::unexpected"),
        "{calls:?}"
    );
}

#[test]
fn closure_parameters_hold_elements_of_what_the_adaptor_iterates() {
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Item; impl Item { pub fn name(&self) -> u8 { 0 } pub fn rank(&self) -> u8 { 0 } }\n\
         pub struct Other; impl Other { pub fn name(&self) -> u8 { 0 } pub fn rank(&self) -> u8 { 0 } }\n\
         pub struct List { items: Vec<Item>, best: Option<Item> }\n\
         pub struct Holder { item: Item }\n\
         pub fn with<R>(f: impl FnOnce(&Holder) -> R) -> R { todo!() }\n\
         impl List {\n\
             pub fn names(&self) -> Vec<u8> { self.items.iter().map(|i| i.name()).collect() }\n\
             pub fn filtered(&self) -> usize { self.items.iter().filter(|i| i.rank() > 0).map(|&ref i| i.name()).count() }\n\
             pub fn destructured() -> u8 { with(|Holder { item }| item.name()) }\n\
             pub fn best(&self) -> Option<u8> { self.best.as_ref().map(|b| b.name()) }\n\
             pub fn fallible(r: Result<Item, Other>) -> Result<u8, u8> { r.map(|ok| ok.name()).map_err(|e| e.rank()) }\n\
             pub fn sorted(mut v: Vec<Item>) { v.sort_by(|a, b| a.rank().cmp(&b.rank())); }\n\
             pub fn typed(f: Other) -> u8 { let g = |o: &Item| o.name(); g(&Item); f.name() }\n\
             pub fn scoped(i: Other, v: Vec<Item>) -> u8 { v.iter().for_each(|i| { i.rank(); }); i.rank() }\n\
         }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    let typed = |from: &str, to: &str| typed_call(&g, &format!("List::{from}"), to);
    assert!(typed("names", "Item::name"), "{calls:?}");
    assert!(
        typed("filtered", "Item::rank") && typed("filtered", "Item::name"),
        "{calls:?}"
    );
    assert!(typed("sorted", "Item::rank"), "{calls:?}");
    assert!(typed("best", "Item::name"), "{calls:?}");
    // A struct pattern as a parameter of any closure binds the struct's fields, as a `let`
    // does (tokio's `CURRENT.with(|LocalData { ctx, .. }| ctx.get())`).
    assert!(typed("destructured", "Item::name"), "{calls:?}");
    // A `Result`'s `map` takes the `Ok` value; `map_err`'s closure is not an element.
    assert!(typed("fallible", "Item::name"), "{calls:?}");
    assert!(!typed("fallible", "Item::rank"), "{calls:?}");
    assert!(
        typed("typed", "Item::name") && typed("typed", "Other::name"),
        "{calls:?}"
    );
    // The closure's `i` ends with it: the parameter `i` is `Other` again.
    assert!(
        typed("scoped", "Item::rank") && typed("scoped", "Other::rank"),
        "{calls:?}"
    );
    for from in ["names", "filtered", "sorted", "best"] {
        let guess = |to: &str| linked(&calls, &format!("List::{from}"), to);
        assert!(
            !guess("Other::name") && !guess("Other::rank"),
            "{from}: {calls:?}"
        );
    }
}

#[test]
fn pin_project_projection_types_name_the_fields_and_variants_of_their_type() {
    let g = graph(&[(
        "src/lib.rs",
        "use std::pin::Pin;\n\
         use pin_project_lite::pin_project;\n\
         pub struct Svc; impl Svc { pub fn call(&self) {} }\n\
         pub struct Other; impl Other { pub fn call(&self) {} }\n\
         pin_project! {\n    #[project = StateProj]\n    pub enum State { Waiting { svc: Svc }, Done }\n}\n\
         #[pin_project::pin_project(project = FutProj, project_ref = FutProjRef, !Unpin)]\n\
         pub struct Fut { inner: Svc }\n\
         impl State { pub fn poll(self: Pin<&mut Self>) { match self.project() { StateProj::Waiting { svc } => svc.call(), StateProj::Done => {} } } }\n\
         impl Fut { pub fn poll(self: Pin<&mut Self>) { let FutProj { inner } = self.project(); inner.call(); } }\n\
         impl Fut { pub fn peek(self: Pin<&Self>) { let FutProjRef { inner } = self.project_ref(); inner.call(); } }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    let typed = |from: &str| typed_call(&g, from, "Svc::call");
    for from in ["State::poll", "Fut::poll", "Fut::peek"] {
        assert!(typed(from), "{from}: {calls:?}");
        assert!(!linked(&calls, from, "Other::call"), "{from}: {calls:?}");
    }
    let unresolved: Vec<_> = g.unresolved_paths.iter().map(|u| &u.path).collect();
    assert!(unresolved.is_empty(), "{unresolved:?}");
}

#[test]
fn a_binary_operator_gives_its_trait_s_output() {
    // glam: `(rhs - self).length()` on `Vec4`, whose `impl Sub for Vec4` has `type Output =
    // Vec4`; `Instant - Instant` gives another type, which has the other `length`.
    let g = graph(&[(
        "src/lib.rs",
        "use core::ops::Sub;\n\
         pub struct Vec4; pub struct Span;\n\
         impl Sub for Vec4 { type Output = Vec4; fn sub(self, _: Vec4) -> Vec4 { Vec4 } }\n\
         pub struct Instant;\n\
         impl Sub for Instant { type Output = Span; fn sub(self, _: Instant) -> Span { Span } }\n\
         impl Span { pub fn length(self) -> f32 { 0.0 } }\n\
         impl Vec4 {\n    \
             pub fn length(self) -> f32 { 0.0 }\n    \
             pub fn distance(self, rhs: Vec4) -> f32 { (rhs - self).length() }\n\
         }\n\
         pub fn elapsed(a: Instant, b: Instant) -> f32 { let d = a - b; d.length() }\n",
    )]);
    assert!(typed_call(&g, "Vec4::distance", "Vec4::length"));
    assert!(!typed_call(&g, "Vec4::distance", "Span::length"));
    assert!(typed_call(&g, "elapsed", "Span::length"));
    assert!(!typed_call(&g, "elapsed", "Vec4::length"));
}

#[test]
fn a_field_typed_by_a_parameter_takes_the_bounds_the_impl_gives_it() {
    // parking_lot's `impl<R: RawRwLockFair, T> ArcRwLockReadGuard<R, T>`, whose
    // `s.rwlock.raw.unlock_shared_fair()` goes through `rwlock: Arc<RwLock<R, T>>` and
    // `raw: R` of a struct that bounds `R` by a supertrait only.
    let g = graph(&[(
        "src/lib.rs",
        "use std::mem::ManuallyDrop;\n\
         use std::sync::Arc;\n\
         pub trait Raw { fn unlock(&self); }\n\
         pub trait RawFair: Raw { fn unlock_fair(&self); }\n\
         pub struct Lock<R> { raw: R }\n\
         pub struct Guard<R: Raw> { lock: Arc<Lock<R>> }\n\
         impl<R: RawFair> Guard<R> {\n\
             pub fn direct(&self) { self.lock.raw.unlock_fair(); }\n\
             pub fn wrapped(s: Self) { let s = ManuallyDrop::new(s); s.lock.raw.unlock_fair(); }\n\
         }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    assert!(
        linked(&calls, "Guard::direct", "RawFair::unlock_fair"),
        "{calls:?}"
    );
    assert!(
        linked(&calls, "Guard::wrapped", "RawFair::unlock_fair"),
        "{calls:?}"
    );
}

#[test]
fn a_method_returning_its_impl_s_parameter_gives_the_receiver_s_argument() {
    // petgraph's `impl<G: Visitable> Acyclic<G> { fn inner(&self) -> &G }`, called on an
    // `&Acyclic<StableDiGraph<N, E, Ix>>` (an alias of `StableGraph<N, E, Directed, Ix>`).
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Graph<N, Ty> { n: N, t: Ty }\n\
         pub struct Directed;\n\
         pub type DiGraph<N> = Graph<N, Directed>;\n\
         impl<N, Ty> Graph<N, Ty> { pub fn edges_directed(&self) {} }\n\
         pub struct Other; impl Other { pub fn edges_directed(&self) {} }\n\
         pub struct Acyclic<G> { graph: G }\n\
         impl<G> Acyclic<G> { pub fn inner(&self) -> &G { &self.graph } }\n\
         pub trait IntoEdgesDirected { fn edges_directed(self); }\n\
         impl<'a, N> IntoEdgesDirected for &'a Acyclic<DiGraph<N>> {\n\
             fn edges_directed(self) { self.inner().edges_directed() }\n\
         }\n\
         pub fn plain(a: &Acyclic<Graph<u8, Directed>>) { a.inner().edges_directed() }\n\
         pub fn unknown<T>(a: &Acyclic<T>) { a.inner().edges_directed() }\n",
    )]);
    assert!(typed_call(&g, "plain", "Graph::edges_directed"));
    assert!(typed_call(
        &g,
        "Acyclic::edges_directed",
        "Graph::edges_directed"
    ));
    let calls = edges(&g, EdgeKind::Calls);
    assert!(
        !linked(&calls, "plain", "Other::edges_directed"),
        "{calls:?}"
    );
    // An argument that is a parameter of the caller's gives no type to look a method up in.
    assert!(
        !linked(&calls, "unknown", "Graph::edges_directed"),
        "{calls:?}"
    );
}

#[test]
fn a_value_receiver_takes_a_by_value_trait_method_over_an_autoref_inherent_one() {
    // rustc probes by-value methods (inherent, then trait) before autoref: on a `Small`
    // value with `Pow` in scope, `pow` is the trait's `pow(self)`, not `Small::pow(&self)`.
    let outside = |input: &mut crate::graph::build::CrateInput| {
        input.extern_crates.insert(
            "outside".to_string(),
            crate::graph::resolve::ExternCrate::External("outside".to_string()),
        );
    };
    let g = crate::graph::build::tests::graph_with(
        &[(
            "src/lib.rs",
            "use outside::Pow;\n\
             pub struct Small;\n\
             impl Small { pub fn pow(&self, e: u32) -> Small { Pow::pow(self, e) } }\n\
             impl Pow<u32> for Small { type Output = Small; fn pow(self, e: u32) -> Small { todo!() } }\n\
             impl Pow<u32> for &Small { type Output = Small; fn pow(self, e: u32) -> Small { todo!() } }\n\
             pub struct Big { data: Small, borrowed: &'static Small }\n\
             impl Big {\n\
                 pub fn field(self) -> Small { self.data.pow(2) }\n\
                 pub fn borrowed_field(self) -> Small { self.borrowed.pow(2) }\n\
                 pub fn param(s: Small) -> Small { s.pow(2) }\n\
                 pub fn reference(s: &Small) -> Small { s.pow(2) }\n\
             }\n\
             pub mod elsewhere { pub fn no_trait(s: super::Small) -> super::Small { s.pow(2) } }\n",
        )],
        outside,
    );
    // The impl (or type) whose `pow` each caller calls: the methods share one path.
    let callees = |from: &str| -> Vec<String> {
        let path = |n| g.node(n).unwrap().path.clone();
        g.edges
            .iter()
            .filter(|e| e.kind == EdgeKind::Calls && path(e.from) == format!("demo::{from}"))
            .filter_map(|e| {
                g.edges
                    .iter()
                    .find(|c| c.kind == EdgeKind::Contains && c.to == e.to)
                    .map(|c| path(c.from))
            })
            .collect()
    };
    for from in ["Big::field", "Big::param"] {
        assert_eq!(callees(from), ["demo::impl Pow<u32> for Small"], "{from}");
    }
    // A reference has `pow(&self)` at its first probe step, and without `Pow` in scope
    // the trait's method is no candidate.
    for from in [
        "Big::borrowed_field",
        "Big::reference",
        "elsewhere::no_trait",
    ] {
        assert_eq!(callees(from), ["demo::impl Small"], "{from}");
    }
}

#[test]
fn self_in_an_inherent_impl_calls_that_impl_s_own_method() {
    // tracing-core: `impl dyn Subscriber + Sync { fn is<T>(&self) -> bool {
    // self.downcast_ref::<T>().is_some() } … }` beside the same for `dyn Subscriber`.
    let g = graph(&[(
        "src/lib.rs",
        "pub trait Subscriber {}\n\
         impl dyn Subscriber { pub fn is(&self) -> bool { self.downcast_ref::<u8>() } pub fn downcast_ref<T>(&self) -> bool { true } }\n\
         impl dyn Subscriber + Sync { pub fn is(&self) -> bool { self.downcast_ref::<u8>() } pub fn downcast_ref<T>(&self) -> bool { true } }\n",
    )]);
    let mut calls: Vec<(u32, u32, Confidence)> = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Calls)
        .map(|e| {
            let line = |id| g.node(id).unwrap().span.as_ref().unwrap().line;
            (line(e.from), line(e.to), e.confidence)
        })
        .collect();
    calls.sort();
    // Each `is` calls the `downcast_ref` of its own impl (its line), exactly.
    assert_eq!(calls, [(2, 2, Confidence::High), (3, 3, Confidence::High)]);
}
