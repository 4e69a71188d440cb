//! The paths an item's signature and body name: calls, uses, method calls with what is known
//! of their receivers, `use` declarations inside bodies, and what workspace macros called in
//! bodies expand to.

use super::expansion::expand_in_body;
use super::extract::use_facts;
use super::facts::*;
use super::item_parts::{path_facts, point, type_facts};
use crate::graph::Visibility;
use proc_macro2::TokenStream;
use std::collections::{HashMap, HashSet};
use syn::punctuated::Punctuated;
use syn::visit::{self, Visit};
use syn::{Expr, Item, Token};

mod bindings;
mod macro_input;
use bindings::member_name;
use macro_input::{
    EVALUATING_MACROS, NON_CODE_MACROS, PATTERN_MACROS, QUOTING_MACROS, parse_pattern_macro,
};

/// Runs `walk` over a fresh [`RefCollector`]; impls found in bodies go to `hoisted`.
pub(super) fn collect_refs(
    hoisted: &mut Vec<syn::ItemImpl>,
    walk: impl FnOnce(&mut RefCollector),
) -> Vec<RefFacts> {
    let mut r = RefCollector::default();
    walk(&mut r);
    r.finish(hoisted)
}

/// [`collect_refs`] over a free function: the items its body declares (at any depth of
/// blocks and closures) are returned, in source order, instead of being walked as part of the
/// function, so they can be placed in the function's block scope. Item-position macro calls
/// stay where they are.
pub(super) fn collect_refs_and_items(
    walk: impl FnOnce(&mut RefCollector),
) -> (Vec<RefFacts>, Vec<Item>) {
    let mut r = RefCollector {
        block: Some(Vec::new()),
        ..RefCollector::default()
    };
    walk(&mut r);
    let items = r.block.take().unwrap_or_default();
    (r.finish(&mut Vec::new()), items)
}

/// Walks signatures and bodies, recording the paths they name.
#[derive(Default)]
pub(super) struct RefCollector {
    refs: Vec<RefFacts>,
    seen: HashSet<(RefKind, Vec<String>)>,
    locals: HashSet<String>,
    /// Bindings whose receiver shape is known (typed parameters, `let`s).
    typed_locals: HashMap<String, Receiver>,
    hoisted: Vec<syn::ItemImpl>,
    /// The items a function's or method's body declares, when they are collected for its block
    /// scope ([`collect_refs_and_items`]); `None` elsewhere (impls are then hoisted).
    block: Option<Vec<Item>>,
    /// How many calls of macros that may not evaluate their tokens enclose the visit.
    guessing: usize,
    /// `macro_rules!` definitions written in the body, in order, with what each name meant
    /// before ([`super::expansion::define_local`]), undone when the walk ends.
    local_macros: Vec<(String, Option<String>)>,
    /// The visit is in a signature's parameter or return type, outside `impl Trait`
    /// ([`RefFacts::signature`]).
    in_signature: bool,
    /// The cfg predicates of the statements, match arms and field values around the visit,
    /// outermost first ([`RefFacts::cfg`]).
    cfgs: Vec<String>,
    /// The name being pushed is a capitalised name alone in a pattern
    /// ([`RefFacts::maybe_binding`]).
    pattern_name: bool,
    /// The visit is in a refutable pattern: a match arm's, an `if let`'s or `while let`'s.
    refutable: bool,
}

/// The `core::ops` trait a binary operator calls (`-` → `Sub`); `None` for comparisons,
/// `&&`, `||` and the compound assignments.
fn operator_trait(op: &syn::BinOp) -> Option<&'static str> {
    use syn::BinOp::*;
    Some(match op {
        Add(_) => "Add",
        Sub(_) => "Sub",
        Mul(_) => "Mul",
        Div(_) => "Div",
        Rem(_) => "Rem",
        BitAnd(_) => "BitAnd",
        BitOr(_) => "BitOr",
        BitXor(_) => "BitXor",
        Shl(_) => "Shl",
        Shr(_) => "Shr",
        _ => return None,
    })
}

impl RefCollector {
    fn finish(mut self, hoisted: &mut Vec<syn::ItemImpl>) -> Vec<RefFacts> {
        // The body's own `macro_rules!` go out of scope with it.
        while let Some((name, before)) = self.local_macros.pop() {
            super::expansion::restore_local(&name, before);
        }
        hoisted.extend(self.hoisted);
        self.refs
    }

    /// Records a path that may follow a qualified self type. `<T as Trait>::item` is written
    /// with the trait's path (`Trait::item`), as syn gives it. `<Type>::item` names an item of
    /// the type (`Type::item`) when the type is a path; of another type (`<[u8]>::len`) it
    /// names nothing this tool resolves, and is not recorded.
    fn push_qualified(&mut self, kind: RefKind, qself: Option<&syn::QSelf>, path: &syn::Path) {
        match qself {
            Some(q) if q.position == 0 => {
                if let syn::Type::Path(ty) = &*q.ty
                    && ty.qself.is_none()
                {
                    let mut facts = path_facts(&ty.path);
                    facts
                        .segments
                        .extend(path.segments.iter().map(|s| s.ident.to_string()));
                    self.push(kind, facts, None);
                }
            }
            _ => self.push(kind, path_facts(path), None),
        }
    }

    fn push(&mut self, kind: RefKind, path: PathFacts, receiver: Option<Receiver>) {
        if path.segments.len() == 1
            && kind != RefKind::MethodCall
            && self.locals.contains(&path.segments[0])
        {
            return;
        }
        let guessed = self.guessing > 0;
        let cfg = crate::cfg::all_of(self.cfgs.clone());
        // Keep the first occurrence of each (kind, path): one edge per target is enough,
        // and its span points at the first use (a sure one makes an earlier guess sure).
        if receiver.is_none() && !self.seen.insert((kind, path.segments.clone())) {
            if let Some(r) = self.refs.iter_mut().find(|r| {
                r.kind == kind && r.receiver.is_none() && r.path.segments == path.segments
            }) {
                // A sure use makes an earlier guess sure; a use in the signature marks the
                // kept one so.
                if !guessed || self.in_signature {
                    r.guessed &= guessed;
                    r.signature |= self.in_signature;
                }
                r.maybe_binding &= self.pattern_name;
                r.cfg = either_cfg(r.cfg.take(), cfg);
            }
            return;
        }
        self.refs.push(RefFacts {
            kind,
            path,
            receiver,
            guessed,
            signature: self.in_signature,
            cfg,
            maybe_binding: self.pattern_name,
        });
    }

    /// One arm of a `match` whose scrutinee has `shape`: its pattern binds parts of it.
    fn match_arm(&mut self, arm: &syn::Arm, shape: &Receiver) {
        for attr in &arm.attrs {
            self.visit_attribute(attr);
        }
        // `pat if guard`: the guard reads what the pattern binds.
        let (pat, guard) = match &arm.pat {
            syn::Pat::Guard(g) => {
                for attr in &g.attrs {
                    self.visit_attribute(attr);
                }
                (&*g.pat, Some(&*g.guard))
            }
            pat => (pat, None),
        };
        let refutable = std::mem::replace(&mut self.refutable, true);
        self.visit_pat(pat);
        self.refutable = refutable;
        self.bind_pattern(pat, shape.clone());
        if let Some(guard) = guard {
            self.visit_expr(guard);
        }
        self.visit_expr(&arm.body);
    }

    /// Runs `visit` with the cfg predicate of `attrs` (if any) pushed on [`Self::cfgs`].
    fn under_cfg(&mut self, attrs: &[syn::Attribute], visit: impl FnOnce(&mut Self)) {
        match super::item_parts::cfg(attrs) {
            Some(cfg) => {
                self.cfgs.push(cfg);
                visit(self);
                self.cfgs.pop();
            }
            None => visit(self),
        }
    }

    pub(super) fn signature(&mut self, sig: &syn::Signature) {
        for input in &sig.inputs {
            match input {
                syn::FnArg::Receiver(r) => {
                    // `&self` names no item (the impl names its type); `self: Box<Self>`
                    // names `Box`.
                    if let syn::ReceiverKind::Typed(_, ty) = &r.kind {
                        self.visit_type(ty);
                    }
                }
                syn::FnArg::Typed(pt) => {
                    self.visit_pat(&pt.pat);
                    if let syn::Pat::Ident(pi) = &*pt.pat
                        && let Some(ty) = type_facts(&pt.ty)
                    {
                        self.typed_locals
                            .insert(pi.ident.to_string(), Receiver::of(ReceiverRoot::Typed(ty)));
                    }
                    self.in_signature = true;
                    self.visit_type(&pt.ty);
                    self.in_signature = false;
                }
            }
        }
        self.visit_generics(&sig.generics);
        // An `async fn`'s return type is its future's output: an opaque type's bound.
        self.in_signature = sig.asyncness.is_none();
        self.visit_return_type(&sig.output);
        self.in_signature = false;
    }

    /// Visits `expr` (recording what it names) and returns its shape as a receiver. A
    /// method call in the chain is recorded first and the shape continues from it
    /// ([`ReceiverRoot::Returned`]), so nothing is copied along a chain.
    fn chain(&mut self, expr: &Expr) -> Receiver {
        let step = |mut r: Receiver, step: ReceiverStep| {
            if !r.is_unknown() {
                r.steps.push(step);
            }
            r
        };
        match expr {
            Expr::Paren(p) => self.chain(&p.expr),
            Expr::Group(g) => self.chain(&g.expr),
            Expr::Reference(r) => self.chain(&r.expr),
            Expr::Unary(u) if matches!(u.op, syn::UnOp::Deref(_)) => self.chain(&u.expr),
            // An `async fn`'s written return type is what `.await` yields.
            Expr::Await(a) => self.chain(&a.base),
            Expr::Field(f) => {
                let base = self.chain(&f.base);
                step(base, ReceiverStep::Field(member_name(&f.member)))
            }
            Expr::Try(t) => {
                let base = self.chain(&t.expr);
                step(base, ReceiverStep::Try)
            }
            // `v[i]` is one element; `v[a..b]` a slice of them, which no workspace type is.
            Expr::Index(i) if !matches!(&*i.index, Expr::Range(_)) => {
                let base = self.chain(&i.expr);
                self.visit_expr(&i.index);
                step(base, ReceiverStep::Index)
            }
            // `(rhs - self).length()`: the operator trait's `Output` for the left side's type.
            Expr::Binary(b) if let Some(op) = operator_trait(&b.op) => {
                let left = self.chain(&b.left);
                self.visit_expr(&b.right);
                step(left, ReceiverStep::Operator(op.to_string()))
            }
            Expr::MethodCall(m) => match self.method_call(m) {
                Some(i) => Receiver::of(ReceiverRoot::Returned(i)),
                None => Receiver::unknown(),
            },
            // `let curr = unsafe { Worker::current().as_ref()? };`: the block's value.
            Expr::Unsafe(syn::ExprUnsafe { block, .. })
            | Expr::Block(syn::ExprBlock { block, .. }) => {
                let Some((last, before)) = block.stmts.split_last() else {
                    return Receiver::unknown();
                };
                before.iter().for_each(|s| self.visit_stmt(s));
                match last {
                    syn::Stmt::Expr(e, None) => self.chain(e),
                    other => {
                        self.visit_stmt(other);
                        Receiver::unknown()
                    }
                }
            }
            other => {
                let shape = self.leaf_shape(other);
                self.visit_expr(other);
                shape
            }
        }
    }

    /// Records `call` (its receiver chain first, then the call, then its arguments) and
    /// returns the call's index in `refs`.
    fn method_call(&mut self, call: &syn::ExprMethodCall) -> Option<u32> {
        for attr in &call.attrs {
            self.visit_attribute(attr);
        }
        let receiver = self.chain(&call.receiver);
        let element = self.closure_element(call, &receiver);
        let index = u32::try_from(self.refs.len()).ok();
        self.push(
            RefKind::MethodCall,
            PathFacts {
                segments: vec![call.method.to_string()],
                span: point(call.method.span()),
            },
            Some(receiver),
        );
        if let Some(turbofish) = &call.turbofish {
            self.visit_angle_bracketed_generic_arguments(turbofish);
        }
        for arg in &call.args {
            match (arg, &element) {
                (Expr::Closure(c), Some((element, every_param))) => {
                    self.closure(c, Some(element), *every_param);
                }
                _ => self.visit_expr(arg),
            }
        }
        index
    }
}

/// What a reference written under cfg `a` and again under `b` is under: nothing when either
/// is under nothing, else `any(a, b)`.
fn either_cfg(a: Option<String>, b: Option<String>) -> Option<String> {
    match (a, b) {
        (Some(a), Some(b)) if a == b => Some(a),
        (Some(a), Some(b)) => Some(format!("any({a}, {b})")),
        _ => None,
    }
}

/// The attributes of an expression statement's expression (`#[cfg(unix)] { … }`,
/// `#[cfg(unix)] call();`); none for the kinds a statement rarely starts with.
fn expr_attrs(e: &Expr) -> &[syn::Attribute] {
    match e {
        Expr::Assign(x) => &x.attrs,
        Expr::Async(x) => &x.attrs,
        Expr::Await(x) => &x.attrs,
        Expr::Binary(x) => &x.attrs,
        Expr::Block(x) => &x.attrs,
        Expr::Break(x) => &x.attrs,
        Expr::Call(x) => &x.attrs,
        Expr::Closure(x) => &x.attrs,
        Expr::Continue(x) => &x.attrs,
        Expr::Field(x) => &x.attrs,
        Expr::ForLoop(x) => &x.attrs,
        Expr::If(x) => &x.attrs,
        Expr::Loop(x) => &x.attrs,
        Expr::Macro(x) => &x.attrs,
        Expr::Match(x) => &x.attrs,
        Expr::MethodCall(x) => &x.attrs,
        Expr::Paren(x) => &x.attrs,
        Expr::Path(x) => &x.attrs,
        Expr::Return(x) => &x.attrs,
        Expr::Struct(x) => &x.attrs,
        Expr::Try(x) => &x.attrs,
        Expr::Tuple(x) => &x.attrs,
        Expr::Unary(x) => &x.attrs,
        Expr::Unsafe(x) => &x.attrs,
        Expr::While(x) => &x.attrs,
        _ => &[],
    }
}

impl<'ast> Visit<'ast> for RefCollector {
    fn visit_stmt(&mut self, stmt: &'ast syn::Stmt) {
        let attrs: &[syn::Attribute] = match stmt {
            syn::Stmt::Local(l) => &l.attrs,
            syn::Stmt::Expr(e, _) => expr_attrs(e),
            syn::Stmt::Macro(m) => &m.attrs,
            syn::Stmt::Item(_) => &[],
        };
        self.under_cfg(attrs, |r| visit::visit_stmt(r, stmt));
    }

    fn visit_expr_call(&mut self, call: &'ast syn::ExprCall) {
        // The called path, when a closure argument's parameters can take their types from
        // its signature (`with_rng(|r| r.seed(s))`).
        let mut callee = None;
        if let Expr::Path(p) = &*call.func {
            if let Some(q) = &p.qself {
                self.visit_type(&q.ty);
            }
            self.push_qualified(RefKind::Call, p.qself.as_ref(), &p.path);
            for seg in &p.path.segments {
                self.visit_path_arguments(&seg.arguments);
            }
            let segments = path_facts(&p.path).segments;
            // A closure held in a local (`f(|x| …)`) is no item.
            let local = matches!(&segments[..], [one] if self.locals.contains(one));
            if p.qself.is_none() && !local {
                callee = Some(segments);
            }
        } else {
            self.visit_expr(&call.func);
        }
        // `clause(&mut |o| …)` gives the closure behind a reference.
        let unborrowed = |mut a: &'ast Expr| {
            while let Expr::Reference(r) = a {
                a = &r.expr;
            }
            a
        };
        // The other arguments that are places, for closure parameters typed by the type
        // parameter one of them binds (`guard(self, |s| …)`).
        let places: Vec<(u32, Receiver)> = if callee.is_some()
            && call
                .args
                .iter()
                .any(|a| matches!(unborrowed(a), Expr::Closure(_)))
        {
            self.place_args(&call.args)
        } else {
            Vec::new()
        };
        for (arg, a) in call.args.iter().enumerate() {
            match (unborrowed(a), &callee, u32::try_from(arg)) {
                (Expr::Closure(c), Some(callee), Ok(arg)) => self.closure_with(c, |param| {
                    Some(Receiver::of(ReceiverRoot::ClosureParam {
                        callee: callee.clone(),
                        arg,
                        param: u32::try_from(param).ok()?,
                        args: places.clone(),
                    }))
                }),
                _ => self.visit_expr(a),
            }
        }
    }

    fn visit_expr_method_call(&mut self, call: &'ast syn::ExprMethodCall) {
        self.method_call(call);
    }

    fn visit_expr_path(&mut self, p: &'ast syn::ExprPath) {
        if let Some(q) = &p.qself {
            self.visit_type(&q.ty);
        }
        // A bare `Self` as a value is the unit struct's constructor, like `Self(…)`.
        let kind = if p.qself.is_none() && p.path.is_ident("Self") {
            RefKind::Call
        } else {
            RefKind::Use
        };
        self.push_qualified(kind, p.qself.as_ref(), &p.path);
        for seg in &p.path.segments {
            self.visit_path_arguments(&seg.arguments);
        }
    }

    fn visit_type_path(&mut self, p: &'ast syn::TypePath) {
        if let Some(q) = &p.qself {
            self.visit_type(&q.ty);
        }
        // A primitive type names no item; recorded, it could bind to a function of the same
        // name in the value namespace (winnow's `fn u32` parser).
        let primitive = p.qself.is_none()
            && p.path.leading_colon.is_none()
            && p.path.segments.len() == 1
            && p.path.segments[0].arguments.is_none()
            && crate::graph::externals::is_primitive(&p.path.segments[0].ident.to_string());
        if primitive {
            return;
        }
        self.push_qualified(RefKind::Use, p.qself.as_ref(), &p.path);
        for seg in &p.path.segments {
            self.visit_path_arguments(&seg.arguments);
        }
    }

    fn visit_trait_bound(&mut self, b: &'ast syn::TraitBound) {
        self.push(RefKind::Use, path_facts(&b.path), None);
        for seg in &b.path.segments {
            self.visit_path_arguments(&seg.arguments);
        }
    }

    fn visit_expr_struct(&mut self, s: &'ast syn::ExprStruct) {
        self.push(RefKind::Use, path_facts(&s.path), None);
        for f in &s.fields {
            self.under_cfg(&f.attrs, |r| r.visit_expr(&f.expr));
        }
        if let Some(rest) = &s.rest {
            self.visit_expr(rest);
        }
    }

    fn visit_pat_struct(&mut self, s: &'ast syn::PatStruct) {
        self.push(RefKind::Use, path_facts(&s.path), None);
        for f in &s.fields {
            self.visit_pat(&f.pat);
        }
    }

    fn visit_expr_closure(&mut self, c: &'ast syn::ExprClosure) {
        self.closure(c, None, false);
    }

    fn visit_type_impl_trait(&mut self, t: &'ast syn::TypeImplTrait) {
        let in_signature = std::mem::replace(&mut self.in_signature, false);
        visit::visit_type_impl_trait(self, t);
        self.in_signature = in_signature;
    }

    fn visit_pat_tuple_struct(&mut self, s: &'ast syn::PatTupleStruct) {
        self.push(RefKind::Use, path_facts(&s.path), None);
        for p in &s.elems {
            self.visit_pat(p);
        }
    }

    fn visit_pat(&mut self, pat: &'ast syn::Pat) {
        let syn::Pat::Macro(p) = pat else {
            return visit::visit_pat(self, pat);
        };
        // A workspace macro in pattern position (proptest's `let product_unpack![range, a]
        // = args;`): its expansion is a pattern, whose names are bindings.
        if let Some(expanded) = expand_in_body(&p.mac) {
            let parse = syn::Pat::parse_multi_with_leading_vert;
            if let Ok(pat) = syn::parse::Parser::parse2(parse, expanded) {
                super::expansion::deeper(|| self.visit_pat(&pat));
            }
            return;
        }
        visit::visit_pat(self, pat);
    }

    fn visit_pat_ident(&mut self, p: &'ast syn::PatIdent) {
        // In a refutable pattern, a capitalised name alone is a constant, a unit struct or a
        // unit variant in scope (hyper's `matches!(*name, AUTHORIZATION | CACHE_CONTROL |
        // …)`, `None`), as rustc reads it when one is in scope; bindings are snake_case. In
        // `let` and parameters it is a binding (parking_lot's `let NtCreateKeyedEvent = …`).
        if self.refutable
            && p.by_ref.is_none()
            && p.mutability.is_none()
            && p.subpat.is_none()
            && p.ident
                .to_string()
                .starts_with(|c: char| c.is_ascii_uppercase())
        {
            self.pattern_name = true;
            self.push(
                RefKind::Use,
                path_facts(&syn::Path::from(p.ident.clone())),
                None,
            );
            self.pattern_name = false;
            // When it is a binding, what the arm reads of it is not a path.
            self.locals.insert(p.ident.to_string());
            return;
        }
        // A new binding shadows whatever shape the name had; the caller binds it again when
        // the pattern says what it holds.
        self.typed_locals.remove(&p.ident.to_string());
        self.locals.insert(p.ident.to_string());
        visit::visit_pat_ident(self, p);
    }

    fn visit_expr_for_loop(&mut self, f: &'ast syn::ExprForLoop) {
        // The iterated expression is read before the loop's pattern binds.
        for attr in &f.attrs {
            self.visit_attribute(attr);
        }
        let shape = self.element_shape(&f.expr);
        self.visit_expr(&f.expr);
        self.visit_pat(&f.pat);
        self.bind_pattern(&f.pat, shape);
        self.visit_block(&f.body);
    }

    fn visit_local(&mut self, l: &'ast syn::Local) {
        // The initializer is visited (and its receivers read) before the binding shadows.
        for attr in &l.attrs {
            self.visit_attribute(attr);
        }
        let init = l.init.as_ref().map(|init| {
            let shape = self.chain(&init.expr);
            if let Some((_, diverge)) = &init.diverge {
                self.visit_expr(diverge);
            }
            shape
        });
        // `let string = string(&mut target);` calls the function `string`.
        self.visit_pat(&l.pat);
        // `let x = e;`, `let Some(x) = e else { … };`, `let x: T;` (the written type wins).
        self.bind_pattern(&l.pat, init.unwrap_or_else(Receiver::unknown));
    }

    fn visit_expr_match(&mut self, m: &'ast syn::ExprMatch) {
        // Each arm's pattern binds parts of the scrutinee: `other => other.unexpected()`,
        // `Some(v) => v.flush()`.
        for attr in &m.attrs {
            self.visit_attribute(attr);
        }
        let shape = self.chain(&m.expr);
        for arm in &m.arms {
            self.under_cfg(&arm.attrs, |r| r.match_arm(arm, &shape));
        }
    }

    fn visit_expr_let(&mut self, l: &'ast syn::ExprLet) {
        // `if let Some(x) = e`, `while let Some(x) = e`: the pattern binds after `e` is read.
        for attr in &l.attrs {
            self.visit_attribute(attr);
        }
        let shape = self.chain(&l.expr);
        let refutable = std::mem::replace(&mut self.refutable, true);
        self.visit_pat(&l.pat);
        self.refutable = refutable;
        self.bind_pattern(&l.pat, shape);
    }

    fn visit_item(&mut self, item: &'ast Item) {
        // sha2's `macro_rules! unrolled_iterations { … }` in a function, called right after:
        // visible to the calls after it in the body, as rustc's textual scope has it.
        if let Item::Macro(m) = item
            && m.mac.path.is_ident("macro_rules")
            && let Some(name) = &m.ident
        {
            let name = name.to_string();
            let before = super::expansion::define_local(&name, &m.mac.tokens);
            self.local_macros.push((name, before));
            return;
        }
        // A foreign block's functions and statics are items of the block scope too
        // (tower-http's `extern "system" { fn GetFileType(…) -> u32; }` in a test).
        if let Some(block) = &mut self.block
            && !matches!(item, Item::Macro(_) | Item::Verbatim(_))
        {
            let mut item = item.clone();
            // Under the cfgs of the statements around it (zerocopy's `#[cfg(feature =
            // "alloc")] unsafe_impl!(…);` in a `const _: () = { … };` block).
            if let Some(cfg) = crate::cfg::all_of(self.cfgs.clone())
                && let Ok(predicate) = cfg.parse::<TokenStream>()
                && let Some(attrs) = super::apply_attr::attrs_mut(&mut item)
            {
                attrs.insert(0, syn::parse_quote!(#[cfg(#predicate)]));
            }
            block.push(item);
            return;
        }
        // No block scope here (an array length, an enum discriminant: bodies and
        // initializers collect their items): the item is no node, and a path naming it is
        // local, like a `let` binding.
        let declared = match item {
            Item::Fn(f) => Some(&f.sig.ident),
            Item::Const(c) => Some(&c.ident),
            Item::Static(s) => Some(&s.ident),
            Item::Struct(s) => Some(&s.ident),
            Item::Enum(e) => Some(&e.ident),
            Item::Union(u) => Some(&u.ident),
            Item::Type(t) => Some(&t.ident),
            _ => None,
        };
        if let Some(name) = declared {
            self.locals.insert(name.to_string());
        }
        if let Item::ForeignMod(fm) = item {
            for foreign in &fm.items {
                match foreign {
                    syn::ForeignItem::Fn(f) => self.locals.insert(f.sig.ident.to_string()),
                    syn::ForeignItem::Static(s) => self.locals.insert(s.ident.to_string()),
                    _ => false,
                };
            }
        }
        match item {
            Item::Impl(i) => self.hoisted.push(i.clone()),
            // Not a node; counted.
            Item::Struct(_)
            | Item::Enum(_)
            | Item::Union(_)
            | Item::Trait(_)
            | Item::TraitAlias(_)
            | Item::Type(_)
            | Item::Mod(_) => {
                let span = syn::spanned::Spanned::span(item);
                super::expansion::unindexed(super::item_parts::local(span, span));
            }
            Item::Fn(_) | Item::Const(_) | Item::Static(_) => visit::visit_item(self, item),
            // `use crate::ast::Kind;` in a body: the enclosing item names what it imports.
            Item::Use(u) => {
                let uses = use_facts(u, Visibility::Private, None);
                for used in uses.into_iter().filter(|u| !u.path.is_empty()) {
                    self.push(
                        RefKind::Use,
                        PathFacts {
                            segments: used.path,
                            span: used.span,
                        },
                        None,
                    );
                }
            }
            _ => {}
        }
    }

    fn visit_macro(&mut self, mac: &'ast syn::Macro) {
        // A workspace `macro_rules!` macro: what its expansion names (tokens it writes are
        // spanned at the call site, its input where it is written).
        if let Some(expanded) = expand_in_body(mac) {
            let parse_stmts = syn::Block::parse_within;
            let parse_exprs = Punctuated::<Expr, Token![,]>::parse_terminated;
            super::expansion::deeper(|| {
                if let Ok(stmts) = syn::parse::Parser::parse2(parse_stmts, expanded.clone()) {
                    stmts.iter().for_each(|s| self.visit_stmt(s));
                } else if let Ok(exprs) = syn::parse::Parser::parse2(parse_exprs, expanded.clone())
                {
                    exprs.iter().for_each(|e| self.visit_expr(e));
                } else {
                    self.scan_tokens(expanded);
                }
            });
            return;
        }
        let tokens = mac.tokens.clone();
        let name = mac.path.segments.last().map(|s| s.ident.to_string());
        if name
            .as_deref()
            .is_some_and(|n| NON_CODE_MACROS.contains(&n) || QUOTING_MACROS.contains(&n))
        {
            return;
        }
        // `matches!(value, Pattern(binding, ..) if guard)`: a match arm, whose bindings are
        // locals, not paths (pulldown-cmark's `ItemBody::MaybeMath(_can_open, ..)`).
        if name.as_deref().is_some_and(|n| PATTERN_MACROS.contains(&n))
            && let Ok((value, arm, rest)) = mac.parse_body_with(parse_pattern_macro)
        {
            let shape = self.chain(&value);
            self.match_arm(&arm, &shape);
            rest.iter().for_each(|e| self.visit_expr(e));
            return;
        }
        let evaluates = name.is_some_and(|n| EVALUATING_MACROS.contains(&n.as_str()));
        if !evaluates {
            self.guessing += 1;
        }
        if let Ok(exprs) = mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated) {
            for e in &exprs {
                match e {
                    // `width = max_len` in `write!`, `field.name = value` in tracing's
                    // `info!`: the left side names an argument or a field, not an item.
                    Expr::Assign(a) => self.visit_expr(&a.right),
                    _ => self.visit_expr(e),
                }
            }
        } else if let Ok(stmts) = mac.parse_body_with(syn::Block::parse_within) {
            for s in &stmts {
                self.visit_stmt(s);
            }
        } else if super::expansion::declares_static(&tokens)
            && let Ok(file) = super::expansion::parse_items_lenient(&tokens)
        {
            // `thread_local!(static KEY: u8 = 0)`: items without the last `;`.
            for item in &file.items {
                self.visit_item(item);
            }
        } else {
            self.scan_tokens(tokens);
        }
        if !evaluates {
            self.guessing -= 1;
        }
    }
}
