//! Receivers typed from a call's signature and arguments: a closure's parameters from the
//! callee's `Fn*` bound, type parameters from the arguments that bind them.

use super::typed_call;
use crate::graph::build::tests::graph;

#[test]
fn a_closure_given_to_a_workspace_function_takes_its_parameter_types_from_the_signature() {
    // fastrand's `with_rng(|r| r.seed(seed))`: `r` is the `&mut Rng` the callee's
    // `impl FnOnce(&mut Rng) -> R` gives it; so is a type parameter's `Fn*` bound's, in
    // `<…>` or `where`, and an associated function's.
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Rng; impl Rng { pub fn seed(&mut self, s: u64) {} }\n\
         pub struct Other; impl Other { pub fn seed(&mut self, s: u64) {} }\n\
         fn with_rng<R>(f: impl FnOnce(&mut Rng) -> R) -> R { todo!() }\n\
         fn bounded<F: Fn(u8, &Rng)>(f: F) {}\n\
         fn clause<F>(f: &mut F) where F: FnMut(Other) {}\n\
         impl Rng { fn visit(&self, f: impl Fn(&Rng)) {} }\n\
         pub fn seed(s: u64) { with_rng(|r| r.seed(s)); }\n\
         pub fn second(s: u64) { bounded(|_, r| r.seed(s)); }\n\
         pub fn where_clause(s: u64) { clause(&mut |mut o| o.seed(s)); }\n\
         pub fn associated(s: u64) { Rng::visit(&Rng, |r| r.seed(s)); }\n\
         pub fn local(s: u64) { let with_rng = |f: fn(&mut Other)| (); with_rng(|r| r.seed(s)); }\n",
    )]);
    for from in ["seed", "second", "associated"] {
        assert!(typed_call(&g, from, "Rng::seed"), "{from}");
        assert!(!typed_call(&g, from, "Other::seed"), "{from}");
    }
    // A closure behind `&mut`, its parameter typed by a `where` bound.
    assert!(typed_call(&g, "where_clause", "Other::seed"));
    assert!(!typed_call(&g, "where_clause", "Rng::seed"));
    // A closure in a local is called, not a workspace function of its name.
    assert!(!typed_call(&g, "local", "Rng::seed"));
}

#[test]
fn a_closure_parameter_typed_by_a_type_parameter_takes_the_argument_that_binds_it() {
    // hashbrown's `guard(self, |self_| self_.clear_no_drop())` with
    // `fn guard<T, F>(value: T, dropfn: F) where F: FnMut(&mut T)`: `self_` is `self`'s type;
    // likewise a local's, a field's, and an argument after the closure.
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Table; impl Table { pub fn clear(&mut self) {} }\n\
         pub struct Other; impl Other { pub fn clear(&mut self) {} }\n\
         pub struct Holder { table: Table }\n\
         pub fn guard<T, F>(value: T, dropfn: F) where F: FnMut(&mut T) {}\n\
         pub fn after<F: FnOnce(&T), T>(f: F, value: T) {}\n\
         impl Table { pub fn reset(&mut self) { guard(self, |t| t.clear()); } }\n\
         pub fn local(o: Other) { guard(o, |t| t.clear()); }\n\
         pub fn field(h: Holder) { guard(h.table, |t| t.clear()); }\n\
         pub fn later(o: &Other) { after(|t| t.clear(), o); }\n\
         pub fn unknown(x: u8) { guard(x.into(), |t| t.clear()); }\n",
    )]);
    assert!(typed_call(&g, "Table::reset", "Table::clear"));
    assert!(!typed_call(&g, "Table::reset", "Other::clear"));
    assert!(typed_call(&g, "local", "Other::clear"));
    assert!(!typed_call(&g, "local", "Table::clear"));
    assert!(typed_call(&g, "field", "Table::clear"));
    assert!(typed_call(&g, "later", "Other::clear"));
    // An argument whose type is not known leaves the parameter unknown.
    assert!(!typed_call(&g, "unknown", "Table::clear"));
    assert!(!typed_call(&g, "unknown", "Other::clear"));
}

#[test]
fn a_generic_function_s_return_type_takes_the_type_of_the_argument_that_binds_its_parameter() {
    // hashbrown's `let mut guard = guard(self, |self_| …); guard.find_insert_index(hash)`:
    // `guard` returns a `ScopeGuard<T, F>` that derefs to `T`, `self`'s type.
    let g = graph(&[(
        "src/lib.rs",
        "pub struct Table; impl Table { pub fn find(&self) {} }\n\
         pub struct Other; impl Other { pub fn find(&self) {} }\n\
         pub struct ScopeGuard<T, F> { value: T, dropfn: F }\n\
         impl<T, F> core::ops::Deref for ScopeGuard<T, F> {\n\
             type Target = T;\n\
             fn deref(&self) -> &T { &self.value }\n\
         }\n\
         pub fn guard<T, F>(value: T, dropfn: F) -> ScopeGuard<T, F> where F: FnMut(&mut T) {\n\
             ScopeGuard { value, dropfn }\n\
         }\n\
         pub fn wrap<T>(value: T) -> Option<T> { Some(value) }\n\
         impl Table { pub fn rehash(&mut self) { let mut guard = guard(self, |_| {}); guard.find(); } }\n\
         pub fn local(o: Other) { let g = guard(o, |_| {}); g.find(); }\n\
         pub fn opt(o: Other) { if let Some(x) = wrap(o) { x.find(); } }\n",
    )]);
    assert!(typed_call(&g, "Table::rehash", "Table::find"));
    assert!(!typed_call(&g, "Table::rehash", "Other::find"));
    assert!(typed_call(&g, "local", "Other::find"));
    assert!(!typed_call(&g, "local", "Table::find"));
    assert!(typed_call(&g, "opt", "Other::find"));
}
