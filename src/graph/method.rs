//! Method calls: the receiver's type from written types only (no inference) — `self`,
//! typed parameters and `let`s, fields, return types of called functions and methods, struct
//! literals, consts and statics, elements of iterated collections, `?` and method chains —
//! then the method found on that type or, through auto-deref, on what it wraps (`Box`,
//! `Arc`, `Rc`, `Pin`, guards).

use super::build::Builder;
use super::resolve::{Ctx, Ns, Target};
use super::{Confidence, NodeKind};
use crate::parse::facts::{ItemFacts, Receiver, ReceiverRoot, ReceiverStep, SelfParam, TypeFacts};
use crate::parse::item_parts::{POINTER, TUPLE};
use std_types::{
    DEREF_WRAPPERS, INDEXED, INNER_TYPE, INNER_WRAPPERS, MAPS, SAME_TYPE, SLICE_METHODS,
    STR_METHODS, SUCCESS_WRAPPERS, is_std_method_name,
};

mod std_types;
mod types;

/// A receiver's type as far as method lookup follows it.
#[derive(Clone, Debug)]
pub(super) struct Ty {
    /// The workspace type or trait, when the path resolves to one.
    node: Option<usize>,
    /// Last path segment (`Arc`, `Option`, `Conn`).
    name: String,
    /// Type arguments; an argument we could not follow is an unnamed `Ty` without a node.
    args: Vec<Ty>,
    /// For a generic parameter: the workspace traits bounding it (its methods are theirs).
    bounds: Vec<usize>,
    /// A generic parameter (`L` in `impl<L: fmt::Write> …`): its methods are trait methods
    /// only, never an inherent method of a type, nor one found by its name.
    param: bool,
    /// Known to be a value of this type, not a reference to one (a `self` taken by value, a
    /// field, parameter or `let` written without `&`): its by-value methods, a trait's
    /// included, come before the `&self` ones (`self.data.pow(e)` on a `BigUint` is
    /// `Pow::pow(self, e)`, not the inherent `pow(&self, e)`). `false` when unknown.
    owned: bool,
}

impl Ty {
    fn unknown() -> Ty {
        Ty {
            node: None,
            name: String::new(),
            args: Vec::new(),
            bounds: Vec::new(),
            param: false,
            owned: false,
        }
    }

    fn is_known(&self) -> bool {
        self.node.is_some() || !self.name.is_empty()
    }

    /// The first type argument, when known.
    fn first_arg(&self) -> Option<Ty> {
        self.args.first().filter(|a| a.is_known()).cloned()
    }
}

/// The generic parameters of impl `imp` paired with the arguments `ty` gives them where the
/// impl's self type names a parameter alone as an argument (`impl<T> Deref for
/// CachePadded<T>` on a `CachePadded<Inner>`: `T` is `Inner`); empty for an impl of no
/// written path type.
fn impl_params<'t>(imp: &'t ItemFacts, ty: &'t Ty) -> Vec<(&'t str, &'t Ty)> {
    let Some(of) = imp.impl_of.as_ref() else {
        return Vec::new();
    };
    of.self_args
        .iter()
        .zip(&ty.args)
        .filter_map(|(written, given)| match &written.path[..] {
            [p] if written.args.is_empty() && imp.generics.contains(p) => Some((p.as_str(), given)),
            _ => None,
        })
        .collect()
}

/// Generic parameters paired with the arguments given for them, in order (a parameter
/// without an argument is left out).
fn bound_params<'t>(generics: &'t [String], args: &'t [Ty]) -> Vec<(&'t str, &'t Ty)> {
    generics.iter().map(String::as_str).zip(args).collect()
}

impl Builder<'_> {
    /// Candidates for `recv.name(…)`: the method of the receiver's type when it is known
    /// (High for `self`, Medium through written types); otherwise trait methods of that name
    /// (a known type may implement a workspace trait through a blanket impl; for a generic
    /// parameter, only traits with a blanket impl) or, for an unknown receiver, every
    /// workspace method of that name — at most three, Low.
    /// `self_ty` is the calling item's [`Self::self_value_type`].
    ///
    /// `returned[i]` is what the method call `refs[i]` of the same item returns (for the
    /// references before this one; [`ReceiverRoot::Returned`] reads it). The second value
    /// is what this call returns, for the references after it.
    pub(super) fn resolve_method(
        &self,
        ctx: &Ctx,
        self_ty: Option<&Ty>,
        self_by_value: bool,
        name: &str,
        receiver: Option<&Receiver>,
        returned: &[Option<Ty>],
    ) -> (Vec<(usize, Confidence)>, Option<Ty>) {
        let ty =
            receiver.and_then(|r| self.receiver_type(ctx, self_ty, self_by_value, r, returned));
        // `self.m()` in an inherent impl that defines `m` takes that method, whatever other
        // impls of the type define one too and whether or not `Self` is a type the receiver
        // reader knows: tracing-core's `impl dyn Subscriber + Sync` beside
        // `impl dyn Subscriber` and `impl dyn Subscriber + Send`, or `impl Foo<u8>` beside
        // `impl Foo<u16>`. (In a trait impl an inherent method of the type would come first.)
        if let (Some(imp), Some(r)) = (ctx.impl_node, receiver)
            && matches!(r.root, ReceiverRoot::SelfValue)
            && r.steps.is_empty()
            && !self.impl_trait.contains_key(&imp)
            && let Some(item) = self.assoc_named(imp, name)
            && self.takes_self(item)
        {
            let on = ty.unwrap_or_else(Ty::unknown);
            return (vec![(item, Confidence::High)], self.return_type(item, &on));
        }
        let mut found = ty.as_ref().and_then(|ty| self.method_on(ty, name));
        if let (Some(ty), Some((item, on))) = (&ty, &found)
            && ty.owned
            && on.node == ty.node
            && on.name == ty.name
        {
            match self.by_value_trait_methods(ctx, ty, *item, name)[..] {
                [] => {}
                [one] => found = Some((one, on.clone())),
                // Several impls of one generic trait (`Pow<u8>`, `Pow<u32>`, …): the
                // argument's type picks one, which is not known here.
                ref several => {
                    let guesses = several.len() <= 3;
                    let targets = several
                        .iter()
                        .filter(|_| guesses)
                        .map(|&m| (m, Confidence::Low))
                        .collect();
                    return (targets, None);
                }
            }
        }
        let returns = ty.as_ref().and_then(|base| match &found {
            Some((item, on)) => self.return_type(*item, on),
            // `ptr.as_ref()` of a raw pointer: `Option<&T>`.
            None if base.name == POINTER && matches!(name, "as_ref" | "as_mut") => Some(Ty {
                node: None,
                name: "Option".to_string(),
                args: vec![base.first_arg().unwrap_or_else(Ty::unknown)],
                bounds: Vec::new(),
                param: false,
                owned: false,
            }),
            // `ptr.as_mut()` of a `NonNull<T>`: `&mut T` (smallvec's `self.vec.as_mut()`).
            None if base.name == "NonNull" && matches!(name, "as_ref" | "as_mut") => {
                Some(base.first_arg().unwrap_or_else(Ty::unknown))
            }
            // `clone()` and `to_owned()` give a value, `as_ref()` and `borrow()` references:
            // not known to be values.
            None if SAME_TYPE.contains(&name) => Some(Ty {
                owned: false,
                ..base.clone()
            }),
            None if INNER_TYPE.contains(&name) => Some(Ty {
                owned: false,
                ..base.first_arg().unwrap_or(base.clone())
            }),
            None => None,
        });
        if let (Some(ty), Some((item, _))) = (&ty, found) {
            // `self`, or a parameter whose one bounding trait has the method: exact.
            let bare = receiver.is_some_and(|r| r.steps.is_empty());
            let conf = match receiver.map(|r| &r.root) {
                Some(ReceiverRoot::SelfValue) if bare => Confidence::High,
                Some(ReceiverRoot::Typed(_)) if bare && !ty.bounds.is_empty() => Confidence::High,
                _ => Confidence::Medium,
            };
            return (vec![(item, conf)], returns);
        }
        let Some(candidates) = self.methods_by_name.get(name) else {
            return (Vec::new(), returns);
        };
        let krate = self.pw.modules[ctx.module].krate;
        // More than three candidates is no answer: stop counting at four, so a name shared
        // by thousands of methods costs each call O(1), not O(methods).
        const MAX_GUESSES: usize = 3;
        let untyped = ty.is_none();
        let blanket: Vec<usize>;
        let candidates: &Vec<usize> = match ty {
            // A generic parameter's other methods are those of workspace traits with a
            // blanket impl (`impl<T: Future> FutureExt for T`); an outside bound's own
            // (`I: Iterator` → `size_hint`) are no workspace method. So for any type outside
            // the workspace (a literal's, `"".len()`; `Vec::with_capacity(n)`'s), whose
            // workspace impls for a type of its name `method_on` has read: `files.push(…)`
            // is no call of tokio's `Overflow::push`.
            Some(ty) if ty.param || (ty.node.is_none() && ty.is_known()) => {
                blanket = self
                    .trait_methods_by_name
                    .get(name)
                    .into_iter()
                    .flatten()
                    .copied()
                    .filter(|m| {
                        self.item_facts
                            .get(m)
                            .and_then(|f| f.parent)
                            .is_some_and(|t| self.blanket_traits.contains(&t))
                    })
                    .collect();
                &blanket
            }
            Some(_) => match self.trait_methods_by_name.get(name) {
                Some(traits) => traits,
                None => return (Vec::new(), returns),
            },
            None => candidates,
        };
        // Only methods of the calling crate and the workspace crates it depends on, directly
        // or not, can be called from it (toml_parser's `token.span()` is none of toml_edit's
        // `span` methods).
        let candidates: Vec<usize> = candidates
            .iter()
            .copied()
            .filter(|&m| self.crate_sees(krate, m))
            .take(MAX_GUESSES + 1)
            .collect();
        if candidates.len() > MAX_GUESSES {
            return (Vec::new(), returns);
        }
        // The one workspace method of a name no std type or trait has (bitvec's
        // `.get_unchecked(range).as_bitptr_range()`): a receiver of unknown type most likely
        // reaches it, though a dependency's type might have a method of that name too.
        // Not when it implements an outside trait's method (serde's `deserialize_bool` in
        // `impl Deserializer for KeyDeserializer`): the outside types implementing that trait
        // have the name too.
        let outside_trait_item = |m: usize| {
            self.item_facts
                .get(&m)
                .and_then(|f| f.parent)
                .and_then(|imp| self.impl_trait.get(&imp))
                .is_some_and(|t| matches!(t, Target::External(_)))
        };
        let confidence = if untyped
            && candidates.len() == 1
            && !is_std_method_name(name)
            && !outside_trait_item(candidates[0])
        {
            Confidence::Medium
        } else {
            Confidence::Low
        };
        let guesses = candidates.iter().map(|&i| (i, confidence)).collect();
        (guesses, returns)
    }

    /// The type of `self` in item `from`: the impl's self type with its written arguments
    /// (`impl Conn<Io>`), or the trait.
    pub(super) fn self_value_type(&self, ctx: &Ctx, from: usize) -> Option<Ty> {
        let Some(Target::Node(t)) = &ctx.self_target else {
            // `impl<A: MapAccess> MapAccess for &mut A`: `self` is the bounded parameter.
            let imp = self
                .item_facts
                .get(&from)
                .and_then(|f| f.parent)
                .and_then(|p| self.item_facts.get(&p))
                .and_then(|f| f.item.impl_of.as_ref())?;
            let param = imp.self_path.as_ref()?.segments.first()?;
            return ctx
                .generics
                .contains(param)
                .then(|| self.bounded_param(ctx, param))
                .flatten();
        };
        let mut ty = self.node_ty(*t);
        let imp = self
            .item_facts
            .get(&from)
            .and_then(|f| f.parent)
            .and_then(|p| self.item_facts.get(&p))
            .and_then(|f| f.item.impl_of.as_ref());
        // `Self` is a value unless the impl is for a reference (`impl Pow<u32> for &BigUint`).
        ty.owned = imp.is_some_and(|i| !i.self_type.starts_with('&'));
        if let Some(imp) = imp {
            ty.args = imp
                .self_args
                .iter()
                .map(|a| self.type_of(ctx, a, None, &[]).unwrap_or_else(Ty::unknown))
                .collect();
        }
        Some(ty)
    }

    /// The type of a receiver expression, or `None` when a part of it is not written.
    /// `returned` as for [`Self::resolve_method`].
    fn receiver_type(
        &self,
        ctx: &Ctx,
        self_ty: Option<&Ty>,
        self_by_value: bool,
        r: &Receiver,
        returned: &[Option<Ty>],
    ) -> Option<Ty> {
        let mut ty = match &r.root {
            ReceiverRoot::SelfValue => self_ty.map(|t| Ty {
                owned: t.owned && self_by_value,
                ..t.clone()
            }),
            ReceiverRoot::Typed(tf) => self.type_of(ctx, tf, self_ty, &[]),
            ReceiverRoot::Call { path, args } => self.call_type(ctx, path, |position| {
                let (_, shape) = args.iter().find(|(i, _)| *i == position)?;
                self.receiver_type(ctx, self_ty, self_by_value, shape, returned)
            }),
            ReceiverRoot::ClosureParam {
                callee,
                arg,
                param,
                args,
            } => self.closure_param_type(ctx, callee, *arg, *param, |position| {
                let (_, shape) = args.iter().find(|(i, _)| *i == position)?;
                self.receiver_type(ctx, self_ty, self_by_value, shape, returned)
            }),
            ReceiverRoot::Returned(i) => returned.get(*i as usize).cloned().flatten(),
            ReceiverRoot::Value(path) => self.value_type(ctx, path),
            ReceiverRoot::PatternField { path, field } => {
                self.pattern_field_type(ctx, self_ty, path, field)
            }
            ReceiverRoot::Unknown => None,
        }?;
        for step in &r.steps {
            ty = match step {
                ReceiverStep::Field(field) => self
                    .deref_chain(ty)
                    .into_iter()
                    .find_map(|t| self.field_type(&t, field))?,
                ReceiverStep::Try => SUCCESS_WRAPPERS
                    .contains(&ty.name.as_str())
                    .then(|| ty.first_arg())
                    .flatten()?,
                // `for x in v.iter()` binds references.
                ReceiverStep::Element => self
                    .deref_chain(ty)
                    .into_iter()
                    .find_map(|t| self.element_type(&t))?,
                ReceiverStep::Operator(op) => {
                    self.operator_output_ty(&ty, &format!("core::ops::{op}"))?
                }
                ReceiverStep::Index => self.deref_chain(ty).into_iter().find_map(|t| {
                    if INDEXED.contains(&t.name.as_str()) {
                        t.first_arg()
                    } else if MAPS.contains(&t.name.as_str()) {
                        t.args.get(1).filter(|a| a.is_known()).cloned()
                    } else {
                        None
                    }
                    .map(|e| Ty { owned: false, ..e })
                })?,
            };
        }
        Some(ty)
    }

    /// The type a pattern binds in field `field` of the struct or enum variant `path` names
    /// (`Value::Number(n)`, `Self::Number(n)`, `Point { x, .. }`, `Self { x }`): the written
    /// type of the struct's field, or of the variant's (the enum's `Variant.field`).
    fn pattern_field_type(
        &self,
        ctx: &Ctx,
        self_ty: Option<&Ty>,
        path: &[String],
        field: &str,
    ) -> Option<Ty> {
        let type_at = |segments: &[String]| {
            let written = TypeFacts {
                path: segments.to_vec(),
                args: Vec::new(),
                reference: false,
            };
            let ty = self.type_of(ctx, &written, self_ty, &[])?;
            Some((self.nodes[ty.node?].kind, ty))
        };
        if let Some((NodeKind::Struct | NodeKind::Union, ty)) = type_at(path) {
            return self.field_type(&ty, field);
        }
        let (variant, prefix) = path.split_last()?;
        match type_at(prefix)? {
            (NodeKind::Enum, ty) => self.field_type(&ty, &format!("{variant}.{field}")),
            _ => None,
        }
    }

    /// For `path` = `Type::constructor`, where `Type` is a type outside the workspace (h2's
    /// `Builder::default()`, `Vec::new()`): that type, unknown but for its name, so a method
    /// called on the value is a workspace trait's or none, never an inherent method of a
    /// workspace type guessed by name. `None` when the prefix is no outside path, does not
    /// look like a type (`serde_json::from_str`), or is a wrapper whose methods reach its
    /// argument's ([`DEREF_WRAPPERS`], `Mutex`, `RefCell`, …: the argument is unknown here).
    fn outside_type(&self, ctx: &Ctx, path: &[String]) -> Option<Ty> {
        let (_, prefix) = path.split_last()?;
        let name = prefix.last()?;
        if !name.starts_with(|c: char| c.is_ascii_uppercase())
            || DEREF_WRAPPERS.contains(&name.as_str())
            || INNER_WRAPPERS.contains(&name.as_str())
            || name == "Self"
        {
            return None;
        }
        match self.resolve_path(ctx, prefix, &[Ns::Type])? {
            (Target::External(_), _) => Some(Ty {
                node: None,
                name: name.clone(),
                args: Vec::new(),
                bounds: Vec::new(),
                param: false,
                owned: false,
            }),
            (Target::Node(_), _) => None,
        }
    }

    /// The type of the value a path names: a const's or static's written type, a unit
    /// struct's own type; `None` for anything else.
    fn value_type(&self, ctx: &Ctx, path: &[String]) -> Option<Ty> {
        match self.resolve_path(ctx, path, &[Ns::Value])? {
            (Target::Node(n), _) => match self.nodes[n].kind {
                NodeKind::Const | NodeKind::Static | NodeKind::AssocConst => {
                    self.return_type(n, &Ty::unknown())
                }
                NodeKind::Struct => Some(self.node_ty(n)),
                _ => None,
            },
            (Target::External(_), _) => None,
        }
    }

    /// The value `path(…)` returns: a function's written return type (`Self` being the type
    /// before the last segment), a tuple struct or variant's type, or — for a function we
    /// cannot see such as a derived `Default::default` — the type the path starts with.
    /// A type parameter of the function that an input is typed by as a whole is the type of
    /// the argument at that position, `arg_type(position)` (hashbrown's `guard(self, …)`
    /// with `fn guard<T, F>(value: T, …) -> ScopeGuard<T, F>`).
    fn call_type(
        &self,
        ctx: &Ctx,
        path: &[String],
        arg_type: impl Fn(u32) -> Option<Ty>,
    ) -> Option<Ty> {
        let prefix_ty = || {
            let (_, prefix) = path.split_last()?;
            match self.resolve_path(ctx, prefix, &[Ns::Type])? {
                (Target::Node(t), _) if self.nodes[t].kind.is_type() => Some(self.node_ty(t)),
                _ => None,
            }
        };
        match self.resolve_path(ctx, path, &[Ns::Value, Ns::Type]) {
            Some((Target::Node(f), _))
                if matches!(self.nodes[f].kind, NodeKind::Fn | NodeKind::Method) =>
            {
                let on = prefix_ty().or_else(|| {
                    let parent = self.item_facts.get(&f)?.parent?;
                    match self.impl_self.get(&parent) {
                        Some(Target::Node(t)) => Some(self.node_ty(*t)),
                        _ => None,
                    }
                });
                let bound: Vec<(&str, Ty)> = self
                    .item_facts
                    .get(&f)
                    .into_iter()
                    .flat_map(|facts| &facts.item.generic_inputs)
                    .filter_map(|(name, position)| Some((name.as_str(), arg_type(*position)?)))
                    .collect();
                self.return_type_with(f, &on.unwrap_or_else(Ty::unknown), &bound)
            }
            Some((Target::Node(t), _)) if self.nodes[t].kind.is_type() => Some(self.node_ty(t)),
            _ => {
                let last = path.last()?;
                // Only constructor-like names: `Config::default()`, `Kind::from(…)`.
                let constructor = last == "new"
                    || last == "default"
                    || last.starts_with("from")
                    || last.starts_with("with");
                if !constructor {
                    return None;
                }
                prefix_ty().or_else(|| self.outside_type(ctx, path))
            }
        }
    }

    /// The type of field `field` of `ty` (a workspace struct or union), with the struct's
    /// generic parameters replaced by `ty`'s arguments.
    fn field_type(&self, ty: &Ty, field: &str) -> Option<Ty> {
        if ty.node.is_none() && ty.name == TUPLE {
            let i: usize = field.parse().ok()?;
            return ty.args.get(i).filter(|a| a.is_known()).cloned();
        }
        let n = ty.node?;
        let facts = self.item_facts.get(&n)?;
        let written = &facts.item.fields.iter().find(|f| f.name == field)?.ty;
        let ctx = Ctx {
            bounds: &facts.item.bounds,
            ..self.ctx(facts.module, Some(Target::Node(n)), &facts.item.generics)
        };
        let params = bound_params(&facts.item.generics, &ty.args);
        self.type_of(&ctx, written, Some(ty), &params)
    }

    /// The type parameter `param` of a closure given as argument `arg` to the path call
    /// `callee` gets from the callee's signature (`with_rng(|r| …)` with `fn with_rng<R>(f:
    /// impl FnOnce(&mut Rng) -> R)`: `Rng`), read where the callee is declared; `None` when
    /// the callee is no workspace function or method or its parameter takes no closure.
    /// A type parameter of the callee that an input is typed by as a whole is the type of
    /// the argument at that position, `arg_type(position)` (`guard(self, |s| …)` with
    /// `fn guard<T, F: FnMut(&mut T)>(value: T, dropfn: F)`: `s` is `self`'s type).
    fn closure_param_type(
        &self,
        ctx: &Ctx,
        callee: &[String],
        arg: u32,
        param: u32,
        arg_type: impl Fn(u32) -> Option<Ty>,
    ) -> Option<Ty> {
        let (Target::Node(f), _) = self.resolve_path(ctx, callee, &[Ns::Value])? else {
            return None;
        };
        let facts = self.item_facts.get(&f)?;
        let closure = facts.item.closure_params.iter().find(|c| c.arg == arg)?;
        let written = closure.params.get(param as usize)?;
        let bound: Vec<(&str, Ty)> = closure
            .typed_by_args
            .iter()
            .filter(|(name, _)| matches!(&written.path[..], [one] if one == name))
            .filter_map(|(name, position)| Some((name.as_str(), arg_type(*position)?)))
            .collect();
        let (generics, bounds, self_target) = self.declared_scope(facts);
        let callee_ctx = Ctx {
            bounds: &bounds,
            ..self.ctx(facts.module, self_target, &generics)
        };
        let params: Vec<(&str, &Ty)> = bound.iter().map(|(name, ty)| (*name, ty)).collect();
        self.type_of(&callee_ctx, written, None, &params)
    }

    /// A generic parameter as a receiver type, with the workspace traits its bounds name in
    /// `ctx` (none when it has no bound or only outside traits: its methods are then no
    /// workspace method but a blanket impl's trait method).
    fn bounded_param(&self, ctx: &Ctx, param: &str) -> Option<Ty> {
        let bounds: Vec<usize> = ctx
            .bounds
            .iter()
            .filter(|b| b.param == param)
            .flat_map(|b| &b.traits)
            .filter_map(|path| match self.resolve_path(ctx, path, &[Ns::Type])? {
                (Target::Node(t), _) if self.nodes[t].kind == NodeKind::Trait => Some(t),
                _ => None,
            })
            .collect();
        Some(Ty {
            node: None,
            name: param.to_string(),
            args: Vec::new(),
            bounds,
            param: true,
            owned: false,
        })
    }

    fn node_ty(&self, n: usize) -> Ty {
        Ty {
            node: Some(n),
            name: self.nodes[n].name.clone(),
            args: Vec::new(),
            bounds: Vec::new(),
            param: false,
            owned: false,
        }
    }

    /// `ty`, then what it auto-derefs to through [`DEREF_WRAPPERS`] and the workspace's own
    /// `Deref` impls (at most 8 steps).
    fn deref_chain(&self, ty: Ty) -> Vec<Ty> {
        let mut chain = vec![ty];
        while let Some(last) = chain.last() {
            if chain.len() > 8 {
                break;
            }
            let next = if DEREF_WRAPPERS.contains(&last.name.as_str()) {
                last.first_arg()
            } else {
                self.deref_target_ty(last)
            };
            match next {
                Some(inner) => chain.push(inner),
                None => break,
            }
        }
        chain
    }

    /// Whether code of crate `krate` can call method node `item`: it is in `krate` or a
    /// workspace crate `krate` depends on (directly or not), or outside the workspace.
    fn crate_sees(&self, krate: usize, item: usize) -> bool {
        match self.nodes[item].krate {
            Some(k) => self
                .reachable_crates
                .get(krate)
                .and_then(|r| r.get(k as usize))
                .copied()
                .unwrap_or(true),
            None => true,
        }
    }

    /// Whether `item` takes `self` (a method call can name it); items without facts
    /// count as taking it.
    fn takes_self(&self, item: usize) -> bool {
        self.item_facts
            .get(&item)
            .is_none_or(|f| f.item.kind != NodeKind::Method || f.item.self_param.is_some())
    }

    /// The methods `name` of the trait impls for `ty` itself (not for a reference to it)
    /// that take `self` by value, when rustc's method probe takes them over `found`, the
    /// method [`Self::method_on`] found on `ty`: `found` is an inherent method taking `&self`
    /// or `&mut self`, which only autoref reaches, after every by-value candidate (num-bigint's
    /// `self.data.pow(rhs)` on a `BigUint` field is `Pow::pow(self, rhs)`). Only impls whose
    /// trait is in scope at `ctx` count: defined or imported there, or in the prelude. Empty
    /// when rustc keeps `found`.
    fn by_value_trait_methods(&self, ctx: &Ctx, ty: &Ty, found: usize, name: &str) -> Vec<usize> {
        let takes = |item: usize| self.item_facts.get(&item).and_then(|f| f.item.self_param);
        let inherent = self
            .item_facts
            .get(&found)
            .and_then(|f| f.parent)
            .is_some_and(|p| {
                self.nodes[p].kind == NodeKind::Impl && !self.impl_trait.contains_key(&p)
            });
        let (Some(n), true) = (ty.node, inherent) else {
            return Vec::new();
        };
        if !matches!(takes(found), Some(SelfParam::Ref | SelfParam::RefMut)) {
            return Vec::new();
        }
        let mut methods: Vec<usize> = self
            .impls_of
            .get(&n)
            .into_iter()
            .flatten()
            .copied()
            .filter(|imp| {
                self.item_facts
                    .get(imp)
                    .and_then(|f| f.item.impl_of.as_ref())
                    .is_some_and(|h| h.trait_path.is_some() && !h.self_type.starts_with('&'))
            })
            .filter(|&imp| self.trait_in_scope(ctx, imp))
            .filter_map(|imp| self.impl_item(imp, name))
            .filter(|&m| takes(m) == Some(SelfParam::Value))
            .collect();
        methods.sort_unstable();
        methods.dedup();
        methods
    }

    /// Whether the trait impl `imp` implements is in scope at `ctx`: its name, looked up
    /// there, is that trait (a workspace trait by node, an outside one by last segment).
    /// A trait imported `as _` is not found.
    fn trait_in_scope(&self, ctx: &Ctx, imp: usize) -> bool {
        let last = |p: &str| p.rsplit("::").next().unwrap_or(p).to_string();
        let Some(implemented) = self.impl_trait.get(&imp) else {
            return false;
        };
        let name = match implemented {
            Target::Node(t) => self.nodes[*t].name.clone(),
            Target::External(p) => last(p),
        };
        match (self.resolve_path(ctx, &[name], &[Ns::Type]), implemented) {
            (Some((Target::Node(a), _)), Target::Node(b)) => a == *b,
            (Some((Target::External(a), _)), Target::External(b)) => last(&a) == last(b),
            _ => false,
        }
    }

    /// The method `name` on `ty` or what it derefs to, taking `self`, with the type it was
    /// found on. For a generic parameter: the method of the one bounding trait (supertraits
    /// included) that has it; `None` when none or several do.
    fn method_on(&self, ty: &Ty, name: &str) -> Option<(usize, Ty)> {
        if !ty.bounds.is_empty() {
            let mut found: Vec<usize> = ty
                .bounds
                .iter()
                .filter_map(|&t| self.associated(t, name))
                .filter(|&item| self.takes_self(item))
                .collect();
            found.sort_unstable();
            found.dedup();
            return match found[..] {
                [item] => Some((item, ty.clone())),
                _ => None,
            };
        }
        if ty.param {
            return None;
        }
        self.deref_chain(ty.clone()).into_iter().find_map(|t| {
            let item = match t.node {
                Some(n) => self.associated(n, name)?,
                None => self.method_of_outside_type(&t, name)?,
            };
            self.takes_self(item).then_some((item, t))
        })
    }

    /// The method `name` that the workspace's trait impls for outside types named like `ty`
    /// give it (syn's `impl IdentExt for Ident`: `ident.unraw()`; `impl StrExt for str`):
    /// the impl's own method or the default it keeps; `None` unless exactly one impl has it.
    ///
    /// A slice's or `str`'s own methods come first, as in rustc (`fds.len()` on `&mut
    /// [PollFd]` is the slice's `len`, not nix's `<[u8] as NixPath>::len`), and an impl for a
    /// slice of another element type is not the receiver's.
    fn method_of_outside_type(&self, ty: &Ty, name: &str) -> Option<usize> {
        if (ty.name == crate::parse::item_parts::SLICE && SLICE_METHODS.contains(&name))
            || (ty.name == "str" && STR_METHODS.contains(&name))
        {
            return None;
        }
        let item = self
            .item_of_outside_type(&ty.name, name)
            .filter(|&item| self.takes_self(item))?;
        if ty.name == crate::parse::item_parts::SLICE
            && let Some(element) = ty.first_arg()
            && let Some(imp) = self.item_facts.get(&item).and_then(|f| f.parent)
            && let Some(facts) = self.item_facts.get(&imp)
            && let Some(written) = facts
                .item
                .impl_of
                .as_ref()
                .and_then(|h| super::resolve::slice_element(&h.self_type))
                .filter(|e| e.chars().all(|c| c.is_alphanumeric() || c == '_'))
            && !facts.item.generics.iter().any(|g| g == written)
            && written != element.name
        {
            return None;
        }
        Some(item)
    }
}

#[cfg(test)]
mod tests;
