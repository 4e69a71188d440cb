//! Name resolution: module scopes, `use` imports resolved to a fixpoint (renames, groups,
//! globs, re-export chains), and paths resolved from an item's context (`self`, `super`,
//! `crate`, `Self`, generic parameters, the extern prelude and the std prelude).

use super::build::Builder;
use super::externals;
use super::{Confidence, NodeKind, Visibility};
use crate::parse::facts::UseFacts;

mod assoc;
pub(in crate::graph) use assoc::slice_element;
mod globs;

/// Rust's three namespaces.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Ns {
    Type = 0,
    Value = 1,
    Macro = 2,
}

/// What a name refers to.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(super) enum Target {
    /// A workspace node (index into the builder's nodes).
    Node(usize),
    /// An item outside the workspace, by canonical path.
    External(String),
}

/// A name bound in a module scope.
#[derive(Clone, Debug)]
pub(super) struct Binding {
    pub target: Target,
    /// Module instance where the item is defined or the import written.
    pub origin: usize,
    pub visibility: Visibility,
    /// Bound by a glob import (lowest priority).
    pub glob: bool,
    /// Bound by an item definition (highest priority).
    pub item: bool,
    pub confidence: Confidence,
    /// Bound under a `#[cfg]` (an import that exists in some configurations only).
    pub conditional: bool,
    /// Bound under a `#[cfg]` no build sets by default (`#[cfg(test_node_semver)]`,
    /// [`crate::cfg::CfgExpr::off_by_default`]): an alternative under another cfg wins.
    pub off_by_default: bool,
    /// What other globs or imports bind the name to, when one under a `#[cfg]` conflicts
    /// with the one bound (libc's `new` module: `pub(crate) use bionic_libc::*;` for Android,
    /// `pub(crate) use linux_uapi::*;` for Linux, each with a `linux` module): a path whose
    /// next segment the bound target lacks continues through these, in order.
    pub alternatives: Vec<Target>,
}

impl Binding {
    /// Adds `other`'s target and alternatives to this binding's alternatives (those it does
    /// not already name); whether any was new.
    fn add_alternatives(&mut self, other: Binding) -> bool {
        let mut changed = false;
        for t in std::iter::once(other.target).chain(other.alternatives) {
            if t != self.target && !self.alternatives.contains(&t) {
                self.alternatives.push(t);
                changed = true;
            }
        }
        changed
    }
}

/// The names visible in one module instance.
#[derive(Clone, Debug, Default)]
pub(super) struct Scope {
    pub names: [rustc_hash::FxHashMap<String, Binding>; 3],
    /// Paths of external modules glob-imported (`use std::io::*`).
    pub external_globs: Vec<String>,
    /// Those of `external_globs` imported under a cfg (sha2's `#[cfg(target_arch = "x86")]
    /// use core::arch::x86::*;` beside the same for `x86_64`).
    pub conditional_globs: Vec<String>,
}

/// Where a reference is resolved from.
pub(super) struct Ctx<'c> {
    pub module: usize,
    /// What `Self` means here: the impl's self type or the trait.
    pub self_target: Option<Target>,
    /// Generic parameters in scope (they shadow module items).
    pub generics: &'c [String],
    /// Trait bounds of the generic parameters in scope (a receiver typed by a parameter
    /// finds its methods on them).
    pub bounds: &'c [crate::parse::facts::BoundFacts],
    /// The impl the reference is written in: `Self::X` names its own associated item `X`
    /// (or the default its trait declares) before any other impl's of the same type.
    pub impl_node: Option<usize>,
}

/// What a crate name in the extern prelude stands for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ExternCrate {
    /// A workspace crate (index into the crate table).
    Workspace(usize),
    /// A dependency outside the workspace, by crate name.
    External(String),
}

/// Whether cfg predicate `cfg` is one no build sets by default
/// ([`crate::cfg::CfgExpr::off_by_default`]); `false` without one.
pub(super) fn off_by_default(cfg: Option<&str>) -> bool {
    cfg.and_then(crate::cfg::CfgExpr::parse)
        .is_some_and(|e| e.off_by_default())
}

/// Runs `f` one type-alias level deeper on this thread's counter `depth` (counted per
/// thread: resolving an alias may come back to it); `None` past 8 levels, a cycle included.
pub(super) fn alias_level<R>(
    depth: &'static std::thread::LocalKey<std::cell::Cell<u8>>,
    f: impl FnOnce() -> Option<R>,
) -> Option<R> {
    if depth.get() >= 8 {
        return None;
    }
    depth.set(depth.get() + 1);
    let result = f();
    depth.set(depth.get() - 1);
    result
}

impl Builder<'_> {
    /// Binds `name` in `module`'s scope unless a stronger binding exists. Returns whether the
    /// scope changed.
    pub(super) fn bind(&mut self, module: usize, ns: Ns, name: &str, b: Binding) -> bool {
        let slot = &mut self.scopes[module].names[ns as usize];
        match slot.get(name) {
            Some(old) if old.item => false,
            Some(old) if !old.glob && b.glob => false,
            Some(old) if old.glob == b.glob && old.target == b.target => false,
            // The first glob wins, and of two imports under cfgs the first (hashbrown's
            // `cfg_if!` branches `use sse2 as imp;` … `use generic as imp;`: the most specific
            // platform comes first, the fallback last) unless no build sets its cfg by
            // default (semver's tests: `#[cfg(test_node_semver)] use node::VersionReq;`, then
            // `#[cfg(not(test_node_semver))] use semver::VersionReq;`) or it is an outside
            // path and the other a workspace item; under a cfg the other is an alternative.
            Some(old) if old.glob == b.glob && (b.glob || (old.conditional && b.conditional)) => {
                if !(old.conditional || b.conditional) {
                    return false;
                }
                let old = slot.get_mut(name).expect("just found");
                // A cfg no build sets by default (semver's `test_node_semver`) stays apart.
                let pair = !old.off_by_default && !b.off_by_default;
                // A workspace item wins over an outside path, so its dependents are found
                // (flate2's `MZ_FINISH`: `libz::Z_FINISH` for the C backends, the default
                // backend's own const).
                let workspace_over_outside = matches!(old.target, Target::External(_))
                    && matches!(b.target, Target::Node(_))
                    && old.off_by_default == b.off_by_default;
                let changed = if (old.off_by_default && !b.off_by_default) || workspace_over_outside
                {
                    let first = std::mem::replace(old, b);
                    old.add_alternatives(first);
                    true
                } else {
                    old.add_alternatives(b)
                };
                // What the name means under the other cfgs: its edges reach them too (mio's
                // `sys::Events` through `pub use self::unix::*` or `self::wasip1::*`).
                // Two items every build compiles stay apart (bitvec's `pub use self::Lsb0
                // as LocalBits;` / `pub use self::Msb0 as LocalBits;` under the two
                // endians: a use of `Msb0` is none of `Lsb0`); an item some configuration
                // leaves out is a variant of the others (memchr's `neon::memchr::One` and
                // `all::memchr::One`).
                if changed && pair {
                    let targets: Vec<usize> = std::iter::once(&old.target)
                        .chain(&old.alternatives)
                        .filter_map(|t| match t {
                            Target::Node(n) => Some(*n),
                            Target::External(_) => None,
                        })
                        .collect();
                    let always: Vec<bool> = targets
                        .iter()
                        .map(|&n| self.in_every_configuration(n))
                        .collect();
                    for (i, &x) in targets.iter().enumerate() {
                        for (j, &y) in targets.iter().enumerate().skip(i + 1) {
                            if always[i] && always[j] {
                                self.alias_names.insert(name.to_string());
                            } else {
                                self.pair_cfg_twins(x, y);
                            }
                        }
                    }
                }
                changed
            }
            _ => {
                slot.insert(name.to_string(), b);
                true
            }
        }
    }

    /// The scope module instance `m`'s names live in: `m`, or for a file an `include!` of
    /// its parent names, the parent's.
    pub(super) fn scope_of(&self, mut m: usize) -> usize {
        while self.pw.modules[m].included {
            match self.pw.modules[m].parent {
                Some(p) => m = p,
                None => break,
            }
        }
        m
    }

    /// The module a scope belongs to: `m` itself, or for a function's block scope the
    /// module around the function (what `self` and `super` start from).
    pub(super) fn enclosing_module(&self, mut m: usize) -> usize {
        m = self.scope_of(m);
        while self.pw.modules[m].block {
            match self.pw.modules[m].parent {
                Some(p) => m = self.scope_of(p),
                None => break,
            }
        }
        m
    }

    /// The scopes a name written in scope `m` is looked up in, innermost first: `m`, then,
    /// while `m` is a function's block scope, the scopes around it up to the enclosing module.
    fn lexical_scopes(&self, m: usize) -> impl Iterator<Item = usize> + '_ {
        std::iter::successors(Some(m), |&s| {
            if self.pw.modules[s].block {
                self.pw.modules[s].parent.map(|p| self.scope_of(p))
            } else {
                None
            }
        })
    }

    /// The binding of `name` seen from scope `m` in the first of `namespaces` that has one
    /// (the innermost scope binding it wins, as in a block).
    pub(super) fn lookup(&self, m: usize, namespaces: &[Ns], name: &str) -> Option<&Binding> {
        self.lexical_scopes(m)
            .find_map(|s| self.bound_in(s, namespaces, name))
    }

    /// What `name` is bound to in scope `s`, the namespaces tried in order; an outside path a
    /// glob brought (bound in every namespace, its own unknown) gives way to a workspace item
    /// of a later namespace (flate2's `ffi::MZ_FINISH`: the C backends' `libz::Z_FINISH`
    /// through globs, the default backend's `const MZ_FINISH`).
    pub(super) fn bound_in(&self, s: usize, namespaces: &[Ns], name: &str) -> Option<&Binding> {
        let mut found = namespaces
            .iter()
            .filter_map(|ns| self.scopes[s].names[*ns as usize].get(name));
        let first = found.next()?;
        if first.glob && matches!(first.target, Target::External(_)) {
            let item = found.find(|b| matches!(b.target, Target::Node(_)));
            return Some(item.unwrap_or(first));
        }
        Some(first)
    }

    fn is_descendant(&self, module: usize, ancestor: usize) -> bool {
        let mut m = Some(module);
        while let Some(x) = m {
            if x == ancestor {
                return true;
            }
            m = self.pw.modules[x].parent;
        }
        false
    }

    /// Whether a binding of module `from_scope` may be glob-imported into `into`. A private
    /// binding is visible in its module and the modules inside it, whichever cfg variant of
    /// the module (h2's `#[cfg(not(feature = "unstable"))] mod proto;` beside
    /// `#[cfg(feature = "unstable")] pub mod proto;`, two instances of one path) `crate::proto`
    /// named.
    fn visible(&self, b: &Binding, into: usize) -> bool {
        let same_crate = self.pw.modules[b.origin].krate == self.pw.modules[into].krate;
        match b.visibility {
            Visibility::Public => true,
            Visibility::Private => {
                same_crate
                    && (self.is_descendant(into, b.origin)
                        || self.pw.modules[into]
                            .path
                            .starts_with(&self.pw.modules[b.origin].path))
            }
            _ => same_crate,
        }
    }

    /// Resolves every `use` of every module, repeating until nothing changes, so chains of
    /// re-exports and globs of globs settle. Records each import's targets for `Uses` edges.
    pub(super) fn resolve_imports(&mut self) {
        self.resolve_imports_of(0..self.pw.modules.len());
    }

    /// [`Self::resolve_imports`] for the `use`s of `modules` only (the block scope of an
    /// impl's method, defined after pass 3: `use Phase::*;` of an enum its body declares).
    pub(super) fn resolve_imports_of(&mut self, modules: impl Iterator<Item = usize>) {
        let uses: Vec<(usize, usize, UseFacts)> = modules
            .flat_map(|m| {
                self.pw
                    .module_facts(&self.pw.modules[m])
                    .map(|f| f.uses.clone())
                    .unwrap_or_default()
                    .into_iter()
                    .enumerate()
                    .map(move |(i, u)| (m, i, u))
            })
            .collect();
        let mut done = vec![false; uses.len()];
        // Names the workspace binds settle first; then what is left may be read through
        // modules' globs of outside modules ([`Self::through_globs`]), and settle again.
        for through_globs in [false, true] {
            self.through_outside_globs = through_globs;
            for _round in 0..64 {
                let mut changed = false;
                for (k, (m, i, u)) in uses.iter().enumerate() {
                    if done[k] && !u.glob {
                        continue;
                    }
                    if u.glob {
                        changed |= self.resolve_glob(*m, *i, u);
                    } else if self.resolve_named_import(*m, *i, u) {
                        done[k] = true;
                        changed = true;
                    }
                }
                if !changed {
                    break;
                }
            }
        }
    }

    /// `use path::name as alias;` written in module instance `m` (its `i`-th use), bound in
    /// `m`'s scope.
    fn resolve_named_import(&mut self, m: usize, i: usize, u: &UseFacts) -> bool {
        let written = (m, i);
        let m = self.scope_of(m);
        let Some(alias) = u.alias.clone() else {
            return false;
        };
        let (last, prefix) = u.path.split_last().expect("use paths are non-empty");
        let found: Vec<(Ns, Target, Confidence)> =
            if prefix.is_empty() || (prefix.len() == 1 && prefix[0].is_empty()) {
                // `use foo;` / `use ::foo;`: a crate or a name in scope.
                self.resolve_first_all(m, &u.path)
            } else {
                match self.resolve_container(m, prefix) {
                    Some((Target::External(p), conf)) => {
                        let t = Target::External(externals::canonical(&format!("{p}::{last}")));
                        vec![
                            (Ns::Type, t.clone(), conf),
                            (Ns::Value, t.clone(), conf),
                            (Ns::Macro, t, conf),
                        ]
                    }
                    Some((Target::Node(n), conf)) => match self.module_of_node.get(&n) {
                        // Or from the first cfg variant of the module that has the name
                        // (rustix's `use crate::backend::conv::c_uint;`: `conv` of the
                        // `linux_raw` backend, not of the `libc` one `crate::backend` binds).
                        Some(&src) => {
                            let found = self.import_from_module(m, src, last, conf);
                            // Once the workspace's names have settled: until then, the
                            // first variant's import of the name may be yet to resolve.
                            if found.is_empty() && self.through_outside_globs {
                                self.module_twins(n)
                                    .map(|(_, twin)| self.import_from_module(m, twin, last, conf))
                                    .find(|f| !f.is_empty())
                                    .unwrap_or_default()
                            } else {
                                found
                            }
                        }
                        None => {
                            // `use Enum::Variant` or `use Type::CONST`: bind to the container.
                            vec![(Ns::Value, Target::Node(n), conf)]
                        }
                    },
                    None => Vec::new(),
                }
            };
        if found.is_empty() {
            return false;
        }
        self.use_targets
            .insert(written, found.iter().map(|(_, t, _)| t.clone()).collect());
        if alias != "_" {
            for (ns, target, confidence) in found {
                // Two imports of one name compile together only in different namespaces
                // (`use axum_core::extract::FromRequest;` beside the derive macro
                // `#[cfg(feature = "macros")] use axum_macros::FromRequest;`), unless both
                // are under cfgs (alternatives: `#[cfg(docsrs)] use crate::doc::X;` and
                // `#[cfg(not(docsrs))] use std::X;`). An external path's namespace is
                // unknown: the workspace item keeps the name but for alternatives.
                let shadows_workspace_item = matches!(target, Target::External(_))
                    && self.scopes[m].names[ns as usize]
                        .get(&alias)
                        .is_some_and(|old| {
                            !old.glob
                                && matches!(old.target, Target::Node(_))
                                && !(old.conditional && u.cfg.is_some())
                        });
                if shadows_workspace_item {
                    continue;
                }
                let b = Binding {
                    target,
                    origin: m,
                    visibility: u.visibility.clone(),
                    glob: false,
                    item: false,
                    confidence,
                    conditional: u.cfg.is_some(),
                    off_by_default: off_by_default(u.cfg.as_deref()),
                    alternatives: Vec::new(),
                };
                self.bind(m, ns, &alias, b);
            }
        }
        true
    }

    /// What `use …::name;` written in scope `m` takes from module instance `src` (its path
    /// resolved at `conf`), per namespace. As rustc does, an import takes the namespaces
    /// whose item it can see: `use time_macros::time;` from another crate is the public proc
    /// macro, not the crate's private `mod time` (when it sees none, the code does not
    /// compile; all are kept). A name `src` does not bind is read through its globs of
    /// outside modules once imports may be (`pub use self::core::fmt;` in serde's facade).
    fn import_from_module(
        &self,
        m: usize,
        src: usize,
        name: &String,
        conf: Confidence,
    ) -> Vec<(Ns, Target, Confidence)> {
        let named: Vec<(Ns, &Binding)> = [Ns::Type, Ns::Value, Ns::Macro]
            .into_iter()
            .filter_map(|ns| Some((ns, self.scopes[src].names[ns as usize].get(name)?)))
            .collect();
        let seen = named.iter().any(|(_, b)| self.visible(b, m));
        let bound: Vec<(Ns, Target, Confidence)> = named
            .into_iter()
            .filter(|(_, b)| !seen || self.visible(b, m))
            .map(|(ns, b)| (ns, b.target.clone(), b.confidence.min(conf)))
            .collect();
        if !bound.is_empty() || !self.through_outside_globs {
            return bound;
        }
        let Some((p, through)) = self.through_globs(src, std::slice::from_ref(name)) else {
            return Vec::new();
        };
        let t = Target::External(p);
        let c = conf.min(through);
        vec![
            (Ns::Type, t.clone(), c),
            (Ns::Value, t.clone(), c),
            (Ns::Macro, t, c),
        ]
    }

    /// The first segment looked up in every namespace (for `use name;`).
    fn resolve_first_all(&self, m: usize, path: &[String]) -> Vec<(Ns, Target, Confidence)> {
        // `use crate as miette;`: the crate's root module under another name.
        if let [only] = path
            && only == "crate"
        {
            let root = self.module_node[self.pw.crate_roots[self.pw.modules[m].krate]];
            return vec![(Ns::Type, Target::Node(root), Confidence::High)];
        }
        let name = if path[0].is_empty() {
            &path[1]
        } else {
            &path[0]
        };
        let krate = self.pw.modules[m].krate;
        // Rust 2015: `use foo;` and `use ::foo;` name the crate root's `foo` (generic-array's
        // `use {ArrayLength, GenericArray};`), else the extern crate `foo`.
        let scope = if self.inputs[krate].edition_2015 {
            Some(self.pw.crate_roots[krate])
        } else {
            (!path[0].is_empty()).then_some(m)
        };
        let mut out = Vec::new();
        if let Some(scope) = scope {
            for ns in [Ns::Type, Ns::Value, Ns::Macro] {
                if let Some(b) = self.lookup(scope, &[ns], name) {
                    out.push((ns, b.target.clone(), b.confidence));
                }
            }
        }
        if out.is_empty()
            && let Some(t) = self.extern_crate(krate, name)
        {
            out.push((Ns::Type, t, Confidence::High));
        }
        out
    }

    /// A crate name from the extern prelude: a workspace crate's root module, or an
    /// external crate. `std`, `core`, `alloc`, `proc_macro` and `test` are always there.
    fn extern_crate(&self, krate: usize, name: &str) -> Option<Target> {
        match self.inputs[krate].extern_crates.get(name) {
            Some(ExternCrate::Workspace(c)) => {
                Some(Target::Node(self.module_node[self.pw.crate_roots[*c]]))
            }
            Some(ExternCrate::External(n)) => Some(Target::External(n.clone())),
            // The sysroot's crates: `proc_macro` (a proc-macro crate's prelude, or `extern
            // crate proc_macro;`) and `test` (`extern crate test;` for benches) too.
            None if matches!(name, "std" | "core" | "alloc" | "proc_macro" | "test") => {
                Some(Target::External(name.to_string()))
            }
            None => self.root_extern_crate(krate, name),
        }
    }

    /// `extern crate x as name;` at the crate root puts `name` in the extern prelude, so
    /// every module of the crate may start a path with it (bumpalo's `pub extern crate alloc
    /// as core_alloc;`, then `use core_alloc::fmt;` in `boxed.rs`): the root's import of that
    /// name when it names a crate (an outside one, or a workspace crate's root).
    fn root_extern_crate(&self, krate: usize, name: &str) -> Option<Target> {
        let root = self.pw.crate_roots[krate];
        let b = self.scopes[root].names[Ns::Type as usize].get(name)?;
        if b.item || b.glob {
            return None;
        }
        match &b.target {
            Target::External(p) if !p.contains("::") => Some(b.target.clone()),
            Target::Node(n)
                if self
                    .pw
                    .crate_roots
                    .iter()
                    .any(|&r| self.module_node[r] == *n) =>
            {
                Some(b.target.clone())
            }
            _ => None,
        }
    }

    /// Resolves a path used as a container (module, type or external path), as in the
    /// prefix of a `use` (`self` alone, of `use self::check as cr;`, is the module `m` is in).
    fn resolve_container(&self, m: usize, path: &[String]) -> Option<(Target, Confidence)> {
        if let [only] = path
            && only == "self"
        {
            let module = self.enclosing_module(m);
            return Some((Target::Node(self.module_node[module]), Confidence::High));
        }
        // Rust 2015: `use a::b;` starts at the crate root, as `use ::a::b;` does.
        let krate = self.pw.modules[m].krate;
        if self.inputs[krate].edition_2015
            && path
                .first()
                .is_some_and(|s| !["", "crate", "self", "super"].contains(&s.as_str()))
        {
            let rooted: Vec<String> = std::iter::once(String::new())
                .chain(path.iter().cloned())
                .collect();
            return self.resolve_container(m, &rooted);
        }
        let ctx = Ctx {
            module: self.scope_of(m),
            self_target: None,
            generics: &[],
            bounds: &[],
            impl_node: None,
        };
        self.resolve_path(&ctx, path, &[Ns::Type])
    }

    /// Resolves `path` from `ctx`; `last_ns` orders the namespaces tried for the last
    /// segment. Returns the target and how sure the resolution is.
    pub(super) fn resolve_path(
        &self,
        ctx: &Ctx,
        path: &[String],
        last_ns: &[Ns],
    ) -> Option<(Target, Confidence)> {
        let m = ctx.module;
        let krate = self.pw.modules[m].krate;
        let first = path.first()?;
        let ns_for = |i: usize| -> &[Ns] {
            if i + 1 == path.len() {
                last_ns
            } else {
                &[Ns::Type]
            }
        };
        // What else a first segment bound by conflicting cfg'd globs names.
        let mut alternatives: Option<&Vec<Target>> = None;
        let (cur, conf, i) = match first.as_str() {
            // `::x`: in Rust 2015 the crate root's `x` (its modules and `extern crate`s;
            // mime's `::STAR_STAR`), else the extern crate `x`.
            "" => {
                let next = path.get(1)?;
                let root = self.pw.crate_roots[krate];
                let at_root = self.inputs[krate].edition_2015
                    && self.scopes[root]
                        .names
                        .iter()
                        .any(|ns| ns.contains_key(next));
                if at_root {
                    (Target::Node(self.module_node[root]), Confidence::High, 1)
                } else {
                    (self.extern_crate(krate, next)?, Confidence::High, 2)
                }
            }
            "crate" => (
                Target::Node(self.module_node[self.pw.crate_roots[krate]]),
                Confidence::High,
                1,
            ),
            "self" if path.len() > 1 => (
                Target::Node(self.module_node[self.enclosing_module(m)]),
                Confidence::High,
                1,
            ),
            "self" => return None,
            "super" => {
                let mut module = self.enclosing_module(m);
                let mut i = 0;
                // A function's block is no module: `super` of a module declared in a body
                // (zerocopy's `mod autoref_trick { use super::*; }` in a test function) is
                // the module around the function.
                while path.get(i).map(String::as_str) == Some("super") {
                    module = self.enclosing_module(self.pw.modules[module].parent?);
                    i += 1;
                }
                (Target::Node(self.module_node[module]), Confidence::High, i)
            }
            "Self" => match (ctx.impl_node, path.get(1)) {
                (Some(imp), Some(seg)) => match self.impl_item(imp, seg) {
                    Some(item) => (Target::Node(item), Confidence::High, 2),
                    None => (ctx.self_target.clone()?, Confidence::High, 1),
                },
                _ => (ctx.self_target.clone()?, Confidence::High, 1),
            },
            // `T::Finished` with `T: Target`: the item of the one bounding trait that has it.
            name if ctx.generics.iter().any(|g| g == name) => {
                let [_, item] = path else {
                    return None;
                };
                return self
                    .bound_trait_item(ctx, name, item)
                    .map(|(item, _)| (Target::Node(item), Confidence::High));
            }
            name => {
                // The innermost scope with globs of outside modules, for the last resort.
                let globbed = || {
                    self.lexical_scopes(m)
                        .find(|&s| !self.scopes[s].external_globs.is_empty())
                };
                if let Some(b) = self.lookup(m, ns_for(0), name) {
                    alternatives = Some(&b.alternatives);
                    (b.target.clone(), b.confidence, 1)
                } else if let Some(t) = self.extern_crate(krate, name) {
                    (t, Confidence::High, 1)
                } else if let Some(p) = externals::prelude(name) {
                    (Target::External(p.to_string()), Confidence::Medium, 1)
                } else if externals::is_primitive(name) {
                    return None;
                } else if let Some((p, through)) =
                    globbed().and_then(|s| self.through_globs(s, &path[..1]))
                {
                    (Target::External(p), through, 1)
                } else {
                    return None;
                }
            }
        };
        match alternatives {
            Some(alts) if !alts.is_empty() => {
                self.walk(path, last_ns, cur, conf, i).or_else(|| {
                    alts.iter()
                        .find_map(|t| self.walk(path, last_ns, t.clone(), conf, i))
                })
            }
            _ => self.walk(path, last_ns, cur, conf, i),
        }
    }

    /// The cfg variants of module node `n` ([`Builder::cfg_twins`]): each one's node and
    /// module instance.
    fn module_twins(&self, n: usize) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.cfg_twins
            .get(&n)
            .into_iter()
            .flatten()
            .filter_map(|&twin| Some((twin, *self.module_of_node.get(&twin)?)))
    }

    /// [`Self::walk`] on from the first cfg variant of module node `n` that binds `path[i]`
    /// in `ns`.
    fn walk_module_twin(
        &self,
        n: usize,
        path: &[String],
        last_ns: &[Ns],
        ns: &[Ns],
        conf: Confidence,
        i: usize,
    ) -> Option<(Target, Confidence)> {
        self.module_twins(n).find_map(|(twin, module)| {
            self.bound_in(module, ns, &path[i])?;
            self.walk(path, last_ns, Target::Node(twin), conf, i)
        })
    }

    /// The rest of [`Self::resolve_path`]: from `cur` (what `path[..i]` named), each next
    /// segment in the scope of the module reached, or as an associated item of the type
    /// reached. A name bound with [`Binding::alternatives`] is followed through them when
    /// the rest of the path does not resolve through its bound target.
    fn walk(
        &self,
        path: &[String],
        last_ns: &[Ns],
        mut cur: Target,
        mut conf: Confidence,
        mut i: usize,
    ) -> Option<(Target, Confidence)> {
        let ns_for = |i: usize| -> &[Ns] {
            if i + 1 == path.len() {
                last_ns
            } else {
                &[Ns::Type]
            }
        };
        while i < path.len() {
            let seg = &path[i];
            match cur {
                Target::External(p) => {
                    // `Ident::parse_any` with the workspace's `impl IdentExt for Ident`.
                    if i + 1 == path.len()
                        && let Some(item) = self.item_of_outside_type(&p, seg)
                    {
                        return Some((Target::Node(item), conf.min(Confidence::Medium)));
                    }
                    let rest = path[i..].join("::");
                    return Some((
                        Target::External(externals::canonical(&format!("{p}::{rest}"))),
                        conf,
                    ));
                }
                Target::Node(n) => {
                    if let Some(&module) = self.module_of_node.get(&n) {
                        let bound = self.bound_in(module, ns_for(i), seg);
                        let Some(b) = bound else {
                            // A name only another cfg variant of the module binds (rustix's
                            // `crate::backend::reg`, in `backend/linux_raw/mod.rs` but not in
                            // `backend/libc/mod.rs`, the variant `crate::backend` binds).
                            // Once the workspace's names have settled, as below.
                            if !self.through_outside_globs {
                                return None;
                            }
                            if let Some(found) =
                                self.walk_module_twin(n, path, last_ns, ns_for(i), conf, i)
                            {
                                return Some(found);
                            }
                            // Through the module's globs of outside modules (serde's
                            // `mod core { pub use core::*; }`, then `self::core::fmt`).
                            let (p, through) = self.through_globs(module, &path[i..])?;
                            return Some((Target::External(p), conf.min(through)));
                        };
                        conf = conf.min(b.confidence);
                        if !b.alternatives.is_empty() {
                            return self
                                .walk(path, last_ns, b.target.clone(), conf, i + 1)
                                .or_else(|| {
                                    b.alternatives.iter().find_map(|t| {
                                        self.walk(path, last_ns, t.clone(), conf, i + 1)
                                    })
                                });
                        }
                        cur = b.target.clone();
                    } else if self.nodes[n].kind.is_type() {
                        let found = self
                            .associated(n, seg)
                            .or_else(|| self.alias_target(n).and_then(|t| self.associated(t, seg)));
                        match found {
                            Some(item) => cur = Target::Node(item),
                            // A variant, or an item from a trait outside the workspace: the
                            // reference depends on the type itself.
                            None => {
                                let c = if self.nodes[n].kind == NodeKind::Enum {
                                    conf
                                } else {
                                    conf.min(Confidence::Medium)
                                };
                                return Some((Target::Node(n), c));
                            }
                        }
                    } else {
                        return Some((Target::Node(n), conf.min(Confidence::Medium)));
                    }
                }
            }
            i += 1;
        }
        Some((cur, conf))
    }
}
