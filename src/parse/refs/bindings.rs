//! What a local binding holds, read from how it is bound: a written type, the scrutinee of
//! a pattern (or the field of the struct or variant a pattern names), an element of what a
//! `for` loop or an iterator adaptor's closure iterates. These shapes are what the linker
//! evaluates to receiver types ([`crate::graph::method`]).

use super::RefCollector;
use crate::parse::facts::{Receiver, ReceiverRoot, ReceiverStep, TypeFacts};
use crate::parse::item_parts::{path_facts, type_facts};
use syn::Expr;
use syn::punctuated::Punctuated;
use syn::visit::Visit;

/// Iterator adaptors (and `iter()`-like methods) whose items are the receiver's elements:
/// what [`RefCollector::element_shape`] looks through.
const SAME_ELEMENT: &[&str] = &[
    "iter",
    "iter_mut",
    "into_iter",
    "copied",
    "cloned",
    "filter",
    "skip",
    "take",
    "rev",
    "step_by",
    "fuse",
    "peekable",
    "skip_while",
    "take_while",
    "inspect",
    "by_ref",
    "cycle",
    "chain",
    "as_ref",
    "as_mut",
    "as_slice",
    "drain",
];

/// Methods of iterators, slices, `Vec`, `Option` and `Result` whose closure arguments take
/// one element of the receiver (a `Result`'s `Ok` value) as their first parameter.
const ELEMENT_CLOSURE_METHODS: &[&str] = &[
    "map",
    "filter",
    "for_each",
    "try_for_each",
    "any",
    "all",
    "find",
    "find_map",
    "position",
    "rposition",
    "filter_map",
    "flat_map",
    "inspect",
    "take_while",
    "skip_while",
    "map_while",
    "max_by_key",
    "min_by_key",
    "partition",
    "and_then",
    "is_some_and",
    "is_none_or",
    "is_ok_and",
    "map_or",
    "map_or_else",
    "sort_by_key",
    "sort_unstable_by_key",
    "sort_by_cached_key",
    "retain",
    "retain_mut",
    "dedup_by_key",
    "binary_search_by_key",
];

/// std types whose `new(x)` wraps `x` as their first type argument, which a method called on
/// the wrapper reaches: by auto-deref (`Box`, `Rc`, `Arc`, `Pin`, `ManuallyDrop`) or through
/// a method giving the inner value (`Mutex::lock`, `RwLock::read`, `RefCell::borrow`).
const WRAPPER_CONSTRUCTORS: &[&str] = &[
    "Box",
    "Rc",
    "Arc",
    "Pin",
    "ManuallyDrop",
    "Mutex",
    "RwLock",
    "RefCell",
];

/// Methods whose closure arguments take elements of the receiver as every parameter
/// (comparators, reducers).
const ELEMENTS_CLOSURE_METHODS: &[&str] = &[
    "sort_by",
    "sort_unstable_by",
    "max_by",
    "min_by",
    "dedup_by",
    "is_sorted_by",
    "reduce",
    "binary_search_by",
];

impl RefCollector {
    /// The shape of an expression that is not a chain link.
    pub(super) fn leaf_shape(&self, expr: &Expr) -> Receiver {
        match expr {
            Expr::Path(p) if p.qself.is_none() && p.path.segments.len() == 1 => {
                let name = p.path.segments[0].ident.to_string();
                if name == "self" {
                    Receiver::of(ReceiverRoot::SelfValue)
                } else if let Some(shape) = self.typed_locals.get(&name) {
                    shape.clone()
                } else if self.locals.contains(&name) {
                    Receiver::unknown()
                } else {
                    value_shape(&p.path)
                }
            }
            Expr::Path(p) if p.qself.is_none() => value_shape(&p.path),
            Expr::Call(c) => match &*c.func {
                Expr::Path(p) if p.qself.is_none() => {
                    let segs = path_facts(&p.path).segments;
                    if segs.len() == 1 && self.locals.contains(&segs[0]) {
                        Receiver::unknown() // a closure or fn pointer in a local
                    } else if let Some(wrapped) = self.wrapped_shape(&segs, &c.args) {
                        wrapped
                    } else {
                        Receiver::of(ReceiverRoot::Call {
                            path: segs,
                            args: self.place_args(&c.args),
                        })
                    }
                }
                _ => Receiver::unknown(),
            },
            Expr::Struct(s) if s.qself.is_none() => Receiver::of(ReceiverRoot::Typed(TypeFacts {
                path: path_facts(&s.path).segments,
                args: Vec::new(),
                reference: false,
            })),
            Expr::Cast(c) => type_facts(&c.ty)
                .map_or_else(Receiver::unknown, |t| Receiver::of(ReceiverRoot::Typed(t))),
            // A workspace macro whose expansion is an expression: that expression's shape
            // (hyper-util's `e!(UserUnsupportedVersion).with_connect_info(…)`, `e!` writing
            // an `Error { … }` literal).
            Expr::Macro(m) => crate::parse::expansion::expand_in_body(&m.mac)
                .and_then(|tokens| syn::parse2::<Expr>(tokens).ok())
                .map_or_else(Receiver::unknown, |e| {
                    crate::parse::expansion::deeper(|| self.leaf_shape(&e))
                }),
            Expr::Lit(l) => literal_type(&l.lit).map_or_else(Receiver::unknown, |ty| {
                Receiver::of(ReceiverRoot::Typed(TypeFacts {
                    path: vec![ty.to_string()],
                    args: Vec::new(),
                    reference: false,
                }))
            }),
            _ => Receiver::unknown(),
        }
    }

    /// `Arc::new(x)`, `ManuallyDrop::new(x)`, `Mutex::new(x)`, …: a std wrapper of its one
    /// argument, as a written type (`ManuallyDrop<Bytes>` when `x: Bytes`), so that a
    /// method called on it auto-derefs (or `lock()`s, `borrow()`s) to the argument's type.
    /// `None` unless `segs` ends in one of [`WRAPPER_CONSTRUCTORS`]' `new` and the argument's
    /// type is written (a typed local or parameter, a struct literal, a cast or a literal),
    /// behind any `&`/`&mut`.
    fn wrapped_shape(
        &self,
        segs: &[String],
        args: &syn::punctuated::Punctuated<Expr, syn::Token![,]>,
    ) -> Option<Receiver> {
        let [.., wrapper, new] = segs else {
            return None;
        };
        if new != "new" || !WRAPPER_CONSTRUCTORS.contains(&wrapper.as_str()) || args.len() != 1 {
            return None;
        }
        let mut arg = &args[0];
        while let Expr::Reference(r) = arg {
            arg = &r.expr;
        }
        let inner = match self.leaf_shape(arg).root {
            ReceiverRoot::Typed(inner) => inner,
            // `ManuallyDrop::new(self)`: a wrapper of `Self` (arrayvec's
            // `into_inner_unchecked`, then `self_.as_ptr()`).
            ReceiverRoot::SelfValue => TypeFacts {
                path: vec!["Self".to_string()],
                args: Vec::new(),
                reference: false,
            },
            _ => return None,
        };
        if !self.steps_free(arg) {
            return None;
        }
        Some(Receiver::of(ReceiverRoot::Typed(TypeFacts {
            path: segs[..segs.len() - 1].to_vec(),
            args: vec![inner],
            reference: false,
        })))
    }

    /// Whether `arg`'s shape is its root's type itself: a local's shape may carry steps
    /// (`let x = self.io;` is `self` then field `io`), which a written type cannot hold.
    fn steps_free(&self, arg: &Expr) -> bool {
        match arg {
            Expr::Path(p) if p.path.segments.len() == 1 => self
                .typed_locals
                .get(&p.path.segments[0].ident.to_string())
                .is_none_or(|shape| shape.steps.is_empty()),
            _ => true,
        }
    }

    /// Binds local `name` to `shape`, or forgets an earlier shape when `shape` is unknown
    /// (the new binding shadows it).
    pub(super) fn bind_local(&mut self, name: &syn::Ident, shape: Receiver) {
        if shape.is_unknown() {
            self.typed_locals.remove(&name.to_string());
        } else {
            self.typed_locals.insert(name.to_string(), shape);
        }
    }

    /// Binds the names `pat` binds to what they hold when it matches a value of `shape`: a
    /// plain binding (`other`, `ref x`, `x @ …`) holds the value, `Some(x)`, `Ok(x)` and
    /// `Ready(x)` its success value (the `?` step), `&x` and `(x)` what the inner pattern
    /// holds, a tuple-struct or struct pattern's fields the fields of the struct or variant
    /// its path names ([`ReceiverRoot::PatternField`]), a tuple pattern's elements the
    /// tuple's fields (`.0`, `.1`, …). Other patterns' bindings stay
    /// unknown ([`Self::visit_pat`] forgot them).
    pub(super) fn bind_pattern(&mut self, pat: &syn::Pat, shape: Receiver) {
        match pat {
            syn::Pat::Ident(pi) => {
                if let Some((_, sub)) = &pi.subpat {
                    self.bind_pattern(sub, shape.clone());
                }
                self.bind_local(&pi.ident, shape);
            }
            syn::Pat::Reference(r) => self.bind_pattern(&r.pat, shape),
            syn::Pat::Paren(p) => self.bind_pattern(&p.pat, shape),
            // `|x: &Config|`: the written type.
            syn::Pat::Type(pt) => {
                let shape = type_facts(&pt.ty).map_or_else(Receiver::unknown, |ty| {
                    Receiver::of(ReceiverRoot::Typed(ty))
                });
                self.bind_pattern(&pt.pat, shape);
            }
            syn::Pat::TupleStruct(ts)
                if ts.qself.is_none()
                    && ts.elems.len() == 1
                    && ts.path.segments.last().is_some_and(|s| {
                        matches!(s.ident.to_string().as_str(), "Some" | "Ok" | "Ready")
                    }) =>
            {
                let mut inner = shape;
                if !inner.is_unknown() {
                    inner.steps.push(ReceiverStep::Try);
                }
                self.bind_pattern(&ts.elems[0], inner);
            }
            // `Value::Number(n)`, `Wrapper(inner, ..)`: the struct's or variant's fields, by
            // index up to a `..`.
            syn::Pat::TupleStruct(ts) if ts.qself.is_none() => {
                let path = path_facts(&ts.path).segments;
                for (i, elem) in ts.elems.iter().enumerate() {
                    if matches!(elem, syn::Pat::Rest(_)) {
                        break;
                    }
                    let shape = Receiver::of(ReceiverRoot::PatternField {
                        path: path.clone(),
                        field: i.to_string(),
                    });
                    self.bind_pattern(elem, shape);
                }
            }
            // `let (ptr, len) = self.triple();`: the tuple's elements, by index up to a `..`.
            syn::Pat::Tuple(t) if !shape.is_unknown() => {
                for (i, elem) in t.elems.iter().enumerate() {
                    if matches!(elem, syn::Pat::Rest(_)) {
                        break;
                    }
                    let mut field = shape.clone();
                    field.steps.push(ReceiverStep::Field(i.to_string()));
                    self.bind_pattern(elem, field);
                }
            }
            // `Point { x, y: top, .. }`
            syn::Pat::Struct(ps) if ps.qself.is_none() => {
                let path = path_facts(&ps.path).segments;
                for fp in &ps.fields {
                    let shape = Receiver::of(ReceiverRoot::PatternField {
                        path: path.clone(),
                        field: member_name(&fp.member),
                    });
                    self.bind_pattern(&fp.pat, shape);
                }
            }
            _ => {}
        }
    }

    /// The shape of one element of the collection a `for` loop or an iterator adaptor
    /// iterates, read without recording anything: `xs`, `&xs`, `self.items`,
    /// `FLAGS.iter()`, `xs.into_iter()`, `FLAGS.iter().copied()`, `xs.iter().filter(…)`
    /// (adaptors that keep the element type, [`SAME_ELEMENT`]), an `Option`'s value.
    pub(super) fn element_shape(&self, expr: &Expr) -> Receiver {
        let mut collection = expr;
        loop {
            collection = match collection {
                Expr::Paren(p) => &p.expr,
                Expr::Group(g) => &g.expr,
                Expr::Reference(r) => &r.expr,
                Expr::MethodCall(m) if SAME_ELEMENT.contains(&m.method.to_string().as_str()) => {
                    &m.receiver
                }
                _ => break,
            };
        }
        let mut shape = self.place_shape(collection);
        if !shape.is_unknown() {
            shape.steps.push(ReceiverStep::Element);
        }
        shape
    }

    /// The shapes of a call's arguments that are places ([`Self::place_shape`], behind any
    /// `&`/`&mut`), by position; the others left out.
    pub(super) fn place_args(
        &self,
        args: &Punctuated<Expr, syn::Token![,]>,
    ) -> Vec<(u32, Receiver)> {
        args.iter()
            .enumerate()
            .filter_map(|(i, a)| {
                let shape = self.place_shape(peel(a));
                Some((u32::try_from(i).ok()?, shape)).filter(|(_, s)| !s.is_unknown())
            })
            .collect()
    }

    /// The shape of a place expression (a path or fields of one), read without recording.
    pub(super) fn place_shape(&self, expr: &Expr) -> Receiver {
        match expr {
            Expr::Paren(p) => self.place_shape(&p.expr),
            Expr::Group(g) => self.place_shape(&g.expr),
            Expr::Field(f) => {
                let mut base = self.place_shape(&f.base);
                if !base.is_unknown() {
                    base.steps.push(ReceiverStep::Field(member_name(&f.member)));
                }
                base
            }
            Expr::Path(_) => self.leaf_shape(expr),
            _ => Receiver::unknown(),
        }
    }

    /// Visits closure `c`: a parameter with a written type holds that type; with `element`,
    /// the first parameter (every one with `every_param`) holds an element of the receiver
    /// of the method the closure is given to (`xs.iter().map(|x| x.name())`,
    /// `v.sort_by(|a, b| …)`). The bindings end with the closure.
    pub(super) fn closure(
        &mut self,
        c: &syn::ExprClosure,
        element: Option<&Receiver>,
        every_param: bool,
    ) {
        self.closure_with(c, |i| element.filter(|_| i == 0 || every_param).cloned());
    }

    /// Visits closure `c`, its parameter `i` holding `given(i)` when that is known (a
    /// written type wins, [`Self::bind_pattern`]). The bindings end with the closure.
    pub(super) fn closure_with(
        &mut self,
        c: &syn::ExprClosure,
        given: impl Fn(usize) -> Option<Receiver>,
    ) {
        for attr in &c.attrs {
            self.visit_attribute(attr);
        }
        let outside = self.typed_locals.clone();
        for (i, input) in c.inputs.iter().enumerate() {
            self.visit_pat(input);
            let shape = given(i).unwrap_or_else(Receiver::unknown);
            self.bind_pattern(input, shape);
        }
        if let syn::ReturnType::Type(_, ty) = &c.output {
            self.visit_type(ty);
        }
        self.visit_expr(&c.body);
        self.typed_locals = outside;
    }

    /// For a method whose closure arguments take elements of its receiver
    /// ([`ELEMENT_CLOSURE_METHODS`], [`ELEMENTS_CLOSURE_METHODS`]): the element's shape, and
    /// whether every parameter (not only the first) is one. `receiver` is the receiver's
    /// shape as recorded: when it is what another method returns
    /// (`error.unexpected().map(|span| span.end())`, an `Option<Span>`), an element of that,
    /// unless that method is an adaptor keeping its receiver's elements, whose return type
    /// is not known ([`SAME_ELEMENT`]: `xs.iter().map(…)` is read from `xs`).
    pub(super) fn closure_element(
        &self,
        call: &syn::ExprMethodCall,
        receiver: &Receiver,
    ) -> Option<(Receiver, bool)> {
        let method = call.method.to_string();
        let every_param = ELEMENTS_CLOSURE_METHODS.contains(&method.as_str());
        if !every_param && !ELEMENT_CLOSURE_METHODS.contains(&method.as_str()) {
            return None;
        }
        let mut shape = self.element_shape(&call.receiver);
        if shape.is_unknown()
            && let Expr::MethodCall(inner) = peel(&call.receiver)
            && !SAME_ELEMENT.contains(&inner.method.to_string().as_str())
            && matches!(receiver.root, ReceiverRoot::Returned(_))
        {
            shape = receiver.clone();
            shape.steps.push(ReceiverStep::Element);
        }
        Some((shape, every_param))
    }
}

/// `expr` without the parentheses, groups and borrows around it.
fn peel(mut expr: &Expr) -> &Expr {
    loop {
        expr = match expr {
            Expr::Paren(p) => &p.expr,
            Expr::Group(g) => &g.expr,
            Expr::Reference(r) => &r.expr,
            _ => return expr,
        };
    }
}

/// A field's name as a receiver step: `io`, or `0` for a tuple field.
pub(super) fn member_name(member: &syn::Member) -> String {
    match member {
        syn::Member::Named(id) => id.to_string(),
        syn::Member::Unnamed(i) => i.index.to_string(),
    }
}

/// [`ReceiverRoot::Value`] for a path whose last segment starts with an upper-case letter
/// (a const, static or unit struct by convention); unknown otherwise.
fn value_shape(path: &syn::Path) -> Receiver {
    let upper = path
        .segments
        .last()
        .and_then(|s| s.ident.to_string().chars().next())
        .is_some_and(char::is_uppercase);
    if upper {
        Receiver::of(ReceiverRoot::Value(path_facts(path).segments))
    } else {
        Receiver::unknown()
    }
}

/// The primitive type a literal has on its own: `"…"` a `str` (behind a reference, which
/// method lookup sees through), `'c'` a `char`, `true` a `bool`, a suffixed number its suffix
/// (`1u8`). An unsuffixed number's type comes from inference, so it is not given.
fn literal_type(lit: &syn::Lit) -> Option<&str> {
    match lit {
        syn::Lit::Str(_) => Some("str"),
        syn::Lit::Char(_) => Some("char"),
        syn::Lit::Bool(_) => Some("bool"),
        syn::Lit::Int(i) => Some(i.suffix()).filter(|s| !s.is_empty()),
        syn::Lit::Float(f) => Some(f.suffix()).filter(|s| !s.is_empty()),
        _ => None,
    }
}
