//! Method calls on values of types outside the workspace: std's wrappers, slices, `str`
//! and primitives, and outside types with workspace trait impls.

use super::typed_call;
use crate::graph::build::tests::{edges, graph, linked};
use crate::graph::{Confidence, EdgeKind};

#[test]
fn a_primitive_type_never_binds_to_a_function_of_its_name() {
    // winnow's `binary` module has parsers named `u32` and `f32`.
    let g = graph(&[(
        "src/lib.rs",
        "pub fn u32(x: u8) -> u8 { x }\n\
         pub fn be_u32(x: u8) -> u32 { let y: u32 = 0; y + u32::from(x) }\n\
         pub fn parser() -> fn(u8) -> u8 { u32 }\n",
    )]);
    let uses = edges(&g, EdgeKind::Uses);
    let to_fn = |from: &str| linked(&uses, from, "u32");
    assert!(!to_fn("be_u32"), "{uses:?}");
    assert!(to_fn("parser"), "{uses:?}");
}

#[test]
fn methods_of_workspace_trait_impls_for_outside_types_are_found_on_those_types() {
    let g = graph(&[(
        "src/lib.rs",
        "use proc_macro2::Ident;\n\
         pub trait IdentExt { fn unraw(&self) -> Ident; fn peek_any(&self) -> bool { true } }\n\
         impl IdentExt for Ident { fn unraw(&self) -> Ident { self.clone() } }\n\
         pub trait Parse { fn parse_any(input: u8) -> Self; }\n\
         impl Parse for String { fn parse_any(input: u8) -> Self { String::new() } }\n\
         pub trait StrExt { fn shout(&self) -> String; }\n\
         impl StrExt for str { fn shout(&self) -> String { String::new() } }\n\
         pub trait Other { fn shout(&self) -> String; fn unraw(&self) -> u8; fn peek_any(&self) -> bool; }\n\
         pub struct Local;\n\
         impl Other for Local { fn shout(&self) -> String { String::new() } fn unraw(&self) -> u8 { 0 } fn peek_any(&self) -> bool { false } }\n\
         pub fn user(i: &Ident, s: &str) { i.unraw(); i.peek_any(); s.shout(); }\n\
         pub fn by_path() -> String { String::parse_any(0) }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    let typed = |to: &str| typed_call(&g, "user", to);
    assert!(typed("Ident::unraw"), "{calls:?}");
    assert!(typed("IdentExt::peek_any"), "{calls:?}");
    assert!(typed("str::shout"), "{calls:?}");
    for to in ["Local::unraw", "Local::shout", "Local::peek_any"] {
        assert!(!linked(&calls, "user", to), "{to}: {calls:?}");
    }
    // A path through the outside type (syn's `Ident::parse_any`).
    assert!(linked(&calls, "by_path", "String::parse_any"), "{calls:?}");
    let unresolved: Vec<_> = g.unresolved_paths.iter().map(|u| &u.path).collect();
    assert!(
        !unresolved.iter().any(|p| p.contains("parse_any")),
        "{unresolved:?}"
    );
}

#[test]
fn a_receiver_bounded_by_an_outside_trait_never_guesses_a_workspace_method() {
    // either's `for_both!(self, inner => inner.write_str(s))` with `L: fmt::Write`: the call
    // is `fmt::Write::write_str` on `L`, never `Either::write_str` by name.
    let g = graph(&[(
        "src/lib.rs",
        "use std::fmt;\n\
         pub enum Either<L, R> { Left(L), Right(R) }\n\
         impl<L: fmt::Write, R> fmt::Write for Either<L, R> where R: fmt::Write {\n\
             fn write_str(&mut self, s: &str) -> fmt::Result {\n\
                 match self { Either::Left(inner) => inner.write_str(s), Either::Right(inner) => inner.write_str(s) }\n\
             }\n\
         }\n\
         pub fn direct<W: fmt::Write>(w: &mut W) { w.write_str(\"x\").ok(); }\n\
         pub trait Access { fn size_hint(&self) -> usize { 0 } }\n\
         impl<A: Access + ?Sized> Access for &mut A {}\n\
         impl<A> Access for Box<A> {}\n\
         pub fn hint<I: Iterator>(iter: &I) { iter.size_hint(); }\n\
         pub trait Base { fn base(&self); }\n\
         pub trait BaseExt { fn go(&self) {} }\n\
         impl<T: Base> BaseExt for T {}\n\
         pub fn extended<B: Base>(b: &B) { b.go() }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    assert!(
        !calls
            .iter()
            .any(|(_, to)| to.ends_with("::write_str") && to.starts_with("demo::")),
        "{calls:?}"
    );
    // `Iterator::size_hint`, not the workspace trait's method of that name (its impls for
    // `&mut A` and `Box<A>` are no blanket impls).
    assert!(!linked(&calls, "hint", "Access::size_hint"), "{calls:?}");
    // A workspace bound without the method: a blanket impl's trait may have it (a guess).
    assert!(linked(&calls, "extended", "BaseExt::go"), "{calls:?}");
}

#[test]
fn a_literal_is_a_receiver_of_its_primitive_type() {
    // heck's tests: `"We are".to_train_case()` reaches `impl ToTrainCase for str`, and only
    // it, not the same-named method of the impl for `char`.
    let g = graph(&[(
        "src/lib.rs",
        "pub trait Shout { fn shout(&self) -> u8; }\n\
         impl Shout for str { fn shout(&self) -> u8 { 1 } }\n\
         impl Shout for char { fn shout(&self) -> u8 { 2 } }\n\
         impl Shout for u8 { fn shout(&self) -> u8 { 3 } }\n\
         pub fn words() -> u8 { \"a\".shout() }\n\
         pub fn letter() -> u8 { 'a'.shout() }\n\
         pub fn byte() -> u8 { 1u8.shout() }\n\
         pub trait Measure { fn len(&self) -> usize; }\n\
         impl Measure for Vec<u8> { fn len(&self) -> usize { 0 } }\n\
         pub fn std_len() -> usize { let s = \"ab\"; s.len() }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    let has = |from: &str, to: &str| linked(&calls, from, to);
    assert!(
        has("words", "str::shout") && !has("words", "char::shout"),
        "{calls:?}"
    );
    assert!(
        has("letter", "char::shout") && !has("letter", "str::shout"),
        "{calls:?}"
    );
    assert!(
        has("byte", "u8::shout") && !has("byte", "char::shout"),
        "{calls:?}"
    );
    // No guess anywhere: a `str`'s `len` (`std_len`) is std's, not the `len` of a workspace
    // trait `str` does not implement.
    assert!(
        g.edges
            .iter()
            .filter(|e| e.kind == EdgeKind::Calls)
            .all(|e| e.confidence != Confidence::Low),
        "{calls:?}"
    );
}

#[test]
fn a_std_wrapper_made_of_a_typed_value_reaches_its_methods() {
    // bytes' `let mut bytes = ManuallyDrop::new(bytes); bytes.data_mut()` with `bytes: Bytes`;
    // `Mutex::new(x).lock()` and `Arc::new(Io {}).flush()` alike. Two types with a method of
    // each name, so a name-only guess would not be Medium and would reach both.
    let g = graph(&[(
        "src/lib.rs",
        "use std::mem::ManuallyDrop;\n\
         use std::sync::{Arc, Mutex};\n\
         pub struct Io; impl Io { pub fn data(&mut self) {} pub fn flush(&self) {} }\n\
         pub struct Other; impl Other { pub fn data(&mut self) {} pub fn flush(&self) {} }\n\
         pub fn take(io: Io) { let mut io = ManuallyDrop::new(io); io.data(); }\n\
         pub fn shared(io: Io) { let m = Mutex::new(io); m.lock().unwrap().flush(); }\n\
         pub fn counted() { let a = Arc::new(Io {}); a.flush(); }\n\
         pub fn pinned(mut io: Io) { let p = std::pin::Pin::new(&mut io); p.flush(); }\n\
         pub fn unknown(x: u8) { let o = Box::new(make(x)); o.flush(); }\n\
         fn make(_: u8) -> Other { Other }\n\
         impl Io { pub fn into_raw(self) { let s = ManuallyDrop::new(self); s.flush(); } }\n",
    )]);
    // arrayvec's `let self_ = ManuallyDrop::new(self); self_.as_ptr()`.
    assert!(typed_call(&g, "Io::into_raw", "Io::flush"));
    assert!(!linked(
        &edges(&g, EdgeKind::Calls),
        "Io::into_raw",
        "Other::flush"
    ));
    assert!(typed_call(&g, "take", "Io::data"));
    assert!(!linked(&edges(&g, EdgeKind::Calls), "take", "Other::data"));
    assert!(typed_call(&g, "shared", "Io::flush"));
    assert!(typed_call(&g, "counted", "Io::flush"));
    assert!(typed_call(&g, "pinned", "Io::flush"));
    assert!(!typed_call(&g, "unknown", "Io::flush"));
}

#[test]
fn a_value_of_an_outside_type_has_no_workspace_method_guessed_by_name() {
    // tokio's `let mut files = Vec::with_capacity(n); files.push(…)` is no call of the
    // trait method `Overflow::push`; a `Command::new(…)` (as hyper's h2 `Builder::default()`)
    // has no workspace `Builder`'s methods. bytes' `impl Buf for &[u8]`: a slice's `advance` is that impl's.
    let g = graph(&[(
        "src/lib.rs",
        "pub trait Overflow { fn push(&self, x: u8); }\n\
         pub struct Queue; impl Overflow for Queue { fn push(&self, _: u8) {} }\n\
         pub struct Builder; impl Builder { pub fn arg(&mut self, _: &str) {} }\n\
         pub trait Buf { fn advance(&mut self, n: usize); }\n\
         impl Buf for &[u8] { fn advance(&mut self, _: usize) {} }\n\
         pub fn fill() { let mut files = Vec::with_capacity(2); files.push(1u8); }\n\
         pub fn build() { let mut c = std::process::Command::new(\"ls\"); c.arg(\"-l\"); }\n\
         fn input() -> &'static [u8] { b\"\" }\n\
         pub fn skip() { let mut buf = input(); buf.advance(1); }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    assert!(!linked(&calls, "fill", "Overflow::push"), "{calls:?}");
    assert!(!linked(&calls, "build", "Builder::arg"), "{calls:?}");
    assert!(
        typed_call(&g, "skip", "<&[u8] as Buf>::advance"),
        "{calls:?}"
    );
}

#[test]
fn a_slice_s_own_methods_come_before_a_workspace_trait_s() {
    // nix's `impl NixPath for [u8]` has `len` and `is_empty`; `fds.len()` on `&mut [PollFd]`
    // is the slice's, and `path.with()` on a slice of another element is not the impl's.
    let g = graph(&[(
        "src/lib.rs",
        "pub trait NixPath { fn len(&self) -> usize; fn with(&self); }\n\
         impl NixPath for [u8] { fn len(&self) -> usize { 0 } fn with(&self) {} }\n\
         pub struct PollFd;\n\
         pub fn poll(fds: &mut [PollFd]) { fds.len(); fds.with(); }\n\
         pub fn open(path: &[u8]) { path.with(); }\n",
    )]);
    let calls = edges(&g, EdgeKind::Calls);
    assert!(
        !linked(&calls, "poll", "<[u8] as NixPath>::len"),
        "{calls:?}"
    );
    assert!(
        !linked(&calls, "poll", "<[u8] as NixPath>::with"),
        "{calls:?}"
    );
    assert!(
        typed_call(&g, "open", "<[u8] as NixPath>::with"),
        "{calls:?}"
    );
}

#[test]
fn a_name_only_guess_is_medium_only_for_the_one_method_of_a_name_std_has_not() {
    // bitvec's `self.get_unchecked(range).as_bitptr_range()`: the receiver's type comes from
    // an associated type of the index, which is not followed; one method of the workspace
    // has the name, and no std type has it.
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Bits;\n\
         impl Bits { pub fn as_bitptr_range(&self) -> u8 { 0 } pub fn push(&mut self) {} pub fn twice(&self) {} }\n\
         pub struct Other;\n\
         impl Other { pub fn twice(&self) {} }\n\
         pub struct Keys;\n\
         impl dep::Deserializer for Keys { fn deserialize_keys(&self) {} }\n\
         pub fn untyped() { let v = dep::make(); v.as_bitptr_range(); v.push(); v.twice(); v.deserialize_keys(); }\n",
    )]);
    let confidence = |to: &str| -> Vec<Confidence> {
        g.edges
            .iter()
            .filter(|e| e.kind == EdgeKind::Calls)
            .filter(|e| g.node(e.from).unwrap().path == "demo::untyped")
            .filter(|e| g.node(e.to).unwrap().path == format!("demo::{to}"))
            .map(|e| e.confidence)
            .collect()
    };
    assert_eq!(confidence("Bits::as_bitptr_range"), [Confidence::Medium]);
    // `push` is a method of `Vec`, `String`, …: the receiver may well be one of those.
    assert_eq!(confidence("Bits::push"), [Confidence::Low]);
    // Two workspace methods share `twice`: either may be meant.
    assert_eq!(confidence("Bits::twice"), [Confidence::Low]);
    assert_eq!(confidence("Other::twice"), [Confidence::Low]);
    // An outside trait's method (serde's `deserialize_bool` in toml's `impl Deserializer for
    // KeyDeserializer`): the outside types implementing the trait have it too.
    assert_eq!(confidence("Keys::deserialize_keys"), [Confidence::Low]);
}

#[test]
fn name_only_guesses_are_methods_of_crates_the_caller_depends_on() {
    // toml's workspace: `token.span()` in toml_parser (depended on by toml_edit) is none of
    // toml_edit's `span` methods; code in toml_edit may call either crate's.
    use crate::graph::build::{CrateInput, build};
    use crate::graph::resolve::ExternCrate;
    use crate::source::MemorySource;
    use std::path::{Path, PathBuf};
    let mut source = MemorySource::default();
    let files = [
        (
            "parser/src/lib.rs",
            "pub struct Token;\nimpl Token { pub fn span_of(&self) -> u8 { 0 } }\n\
             pub fn low() { let t = dep::next(); t.span_of(); }\n",
        ),
        (
            "edit/src/lib.rs",
            "pub struct Key; pub struct Value;\n\
             impl Key { pub fn span_of(&self) -> u8 { 1 } }\n\
             impl Value { pub fn span_of(&self) -> u8 { 2 } }\n\
             pub fn high() { let t = dep::next(); t.span_of(); }\n",
        ),
    ];
    for (p, t) in files {
        source
            .files
            .insert(PathBuf::from("/w").join(p), t.as_bytes().to_vec());
    }
    let root = Path::new("/w");
    let krate = |name: &str, deps: &[(&str, usize)]| {
        let mut input =
            CrateInput::standalone(name, name, "lib", root, &root.join(name).join("src/lib.rs"));
        for (dep, index) in deps {
            input
                .extern_crates
                .insert(dep.to_string(), ExternCrate::Workspace(*index));
        }
        input
    };
    let inputs = [krate("parser", &[]), krate("edit", &[("parser", 0)])];
    let g = build(&source, root, &inputs).graph;
    let mut calls: Vec<(String, String, Confidence)> = g
        .edges
        .iter()
        .filter(|e| e.kind == EdgeKind::Calls)
        .map(|e| {
            let path = |id| g.node(id).unwrap().path.clone();
            (path(e.from), path(e.to), e.confidence)
        })
        .collect();
    calls.sort();
    let call = |from: &str, to: &str, c| (from.to_string(), to.to_string(), c);
    assert_eq!(
        calls,
        [
            call("edit::high", "edit::Key::span_of", Confidence::Low),
            call("edit::high", "edit::Value::span_of", Confidence::Low),
            call("edit::high", "parser::Token::span_of", Confidence::Low),
            // The one `span_of` the parser crate sees, a name std has not: Medium.
            call("parser::low", "parser::Token::span_of", Confidence::Medium),
        ]
    );
}
