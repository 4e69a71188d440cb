//! Method calls written in or on workspace macro calls: the confidence of calls a macro may
//! not run, blocks given as `expr` fragments, a macro call as a receiver.

use super::typed_call;
use crate::graph::build::tests::graph;
use crate::graph::{Confidence, EdgeKind};

#[test]
fn calls_read_from_a_macro_that_may_not_run_them_are_medium_at_most() {
    let g = graph(&[(
        "src/lib.rs",
        "pub fn helper() -> u8 { 1 }\n\
         pub fn quoted() { let _ = outside::maybe!(helper()); }\n\
         pub fn printed() { println!(\"{}\", helper()); }\n\
         pub fn both() { let _ = outside::maybe!(helper()); helper(); }\n",
    )]);
    let confidence = |from: &str| {
        g.edges
            .iter()
            .find(|e| {
                e.kind == EdgeKind::Calls
                    && g.node(e.from).unwrap().path == format!("demo::{from}")
                    && g.node(e.to).unwrap().path == "demo::helper"
            })
            .map(|e| e.confidence)
    };
    assert_eq!(confidence("quoted"), Some(Confidence::Medium));
    assert_eq!(confidence("printed"), Some(Confidence::High));
    assert_eq!(confidence("both"), Some(Confidence::High));
}

#[test]
fn a_block_given_to_a_workspace_macro_as_an_expr_is_a_statement_where_transcribed() {
    // h2's `probe_loop!` writes `$body $probe_var += 1;` with `$body:expr` a block: as
    // rustc parses it, the block needs no `;`, and the calls in it are read with their
    // receivers (`self`) as written, not guessed by name.
    let g = graph(&[(
        "src/lib.rs",
        "macro_rules! probe_loop {\n\
             ($probe_var: ident < $len: expr, $body: expr) => {\n\
                 debug_assert!($len > 0);\n\
                 loop { if $probe_var < $len { $body $probe_var += 1; } else { $probe_var = 0; } }\n\
             };\n\
         }\n\
         pub struct Table { indices: Vec<Option<usize>> }\n\
         pub struct Other;\n\
         impl Other { fn occupied(&mut self) -> usize { 1 } }\n\
         impl Table {\n\
             fn occupied(&mut self) -> usize { 0 }\n\
             fn dynamic(&mut self) -> usize {\n\
                 let mut probe = 0;\n\
                 probe_loop!(probe < self.indices.len(), {\n\
                     if let Some(_pos) = self.indices[probe] { return self.occupied(); }\n\
                 });\n\
             }\n\
         }\n",
    )]);
    let confidence = |to: &str| {
        g.edges
            .iter()
            .find(|e| {
                e.kind == EdgeKind::Calls
                    && g.node(e.from).unwrap().path == "demo::Table::dynamic"
                    && g.node(e.to).unwrap().path == format!("demo::{to}")
            })
            .map(|e| e.confidence)
    };
    assert_eq!(confidence("Table::occupied"), Some(Confidence::High));
    assert_eq!(confidence("Other::occupied"), None);
}

#[test]
fn a_workspace_macro_written_as_a_receiver_has_its_expansion_s_type() {
    // hyper-util's `e!(UserUnsupportedVersion).with_connect_info(…)`, where `e!` writes an
    // `Error { … }` literal.
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Error { kind: u8 }\n\
         impl Error { pub fn with_info(self) -> Self { self } }\n\
         pub struct Other;\n\
         impl Other { pub fn with_info(self) -> Self { self } }\n\
         macro_rules! e { ($k:expr) => { Error { kind: $k } }; }\n\
         pub fn fail() -> Error { e!(1).with_info() }\n\
         pub fn bound() { let err = e!(2); err.with_info(); }\n",
    )]);
    assert!(typed_call(&g, "fail", "Error::with_info"));
    assert!(!typed_call(&g, "fail", "Other::with_info"));
    assert!(typed_call(&g, "bound", "Error::with_info"));
}
