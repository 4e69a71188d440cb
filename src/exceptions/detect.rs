//! Detection: the graph plus per-item details from the parser → an [`ExceptionStore`].
//!
//! Four independent passes run in parallel (rayon), all adding to one store:
//! trait defaults per impl, shadowing per self type, deref shadowing per `Deref` impl, and
//! lint levels per attributed node. Only the graph's workspace nodes, `contains` edges and
//! `has_default` flags are read; everything else comes in [`DetectInput`].

use super::model::{Exception, ExceptionKind, ImplRecord, LevelOrigin, Source, Value};
use super::store::ExceptionStore;
use crate::diagnostics::{Diagnostic, DiagnosticKind};
use crate::graph::{Confidence, Graph, NodeId, NodeKind};
use crate::lint::ManifestLint;
use crate::parse::facts::{LintAttr, SelfParam};
use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::sync::Mutex;

/// How an impl's trait path resolved.
#[derive(Clone, Debug, PartialEq)]
pub enum TraitTarget {
    /// An inherent impl.
    None,
    /// Resolved to a node (a workspace trait or an external path).
    Resolved {
        /// The trait node.
        node: NodeId,
        /// The resolver's confidence.
        confidence: Confidence,
    },
    /// The path resolved to nothing; `candidate` is the one workspace trait with the same
    /// name, if exactly one exists (used with low confidence).
    Unresolved {
        /// The same-named workspace trait.
        candidate: Option<NodeId>,
    },
}

/// One impl block as detection needs it.
#[derive(Clone, Debug)]
pub struct ImplInput {
    /// The impl node.
    pub node: NodeId,
    /// The self type's node, when it is a workspace type.
    pub self_type: Option<NodeId>,
    /// The self type as written (`Wrapper<u8>`): two impls of one type with different
    /// written self types may apply to different instantiations.
    pub self_text: String,
    /// The implemented trait.
    pub trait_target: TraitTarget,
    /// For `impl Deref for T { type Target = U; }`: `U`, when it is a workspace type.
    pub deref_target: Option<NodeId>,
}

/// Parser facts of an associated item that the graph does not keep.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct ItemDetail {
    /// Token fingerprint of the body, 0 if none.
    pub body: u64,
    /// How a method takes `self`.
    pub self_param: Option<SelfParam>,
}

/// What detection needs beyond the graph, gathered by the linker from the per-file facts.
#[derive(Clone, Debug, Default)]
pub struct DetectInput {
    /// Every impl block (derived impls included; they have no items).
    pub impls: Vec<ImplInput>,
    /// Details of associated items, by node id.
    pub items: HashMap<NodeId, ItemDetail>,
    /// Lint attributes by node (for modules: the `mod` item's attributes, then the file's
    /// inner ones).
    pub lints: Vec<(NodeId, Vec<LintAttr>)>,
    /// Cargo.toml levels, indexed like [`Graph::crates`].
    pub manifest_lints: Vec<Vec<ManifestLint>>,
}

/// The 0.0–1.0 confidence for a resolver confidence.
pub fn confidence_value(c: Confidence) -> f32 {
    match c {
        Confidence::High => 1.0,
        Confidence::Medium => 0.9,
        Confidence::Low => 0.3,
    }
}

/// The resolver confidence for a 0.0–1.0 confidence (inverse of [`confidence_value`]).
pub fn confidence_class(c: f32) -> Confidence {
    if c >= 1.0 {
        Confidence::High
    } else if c >= 0.7 {
        Confidence::Medium
    } else {
        Confidence::Low
    }
}

/// Confidence of a name-only guess at an unresolved trait.
const GUESSED_TRAIT: f32 = 0.3;
/// Confidence that a deref target's same-named method is really hidden (it is only when
/// the call goes through auto-deref, and receivers may differ).
const DEREF_SHADOWING: f32 = 0.8;
/// Factor when two impls name different instantiations of one type (`W<u8>`, `W<u16>`).
const OTHER_INSTANTIATION: f32 = 0.5;
/// Factor when two same-named methods take `self` differently (autoref order decides).
const OTHER_RECEIVER: f32 = 0.6;
/// Confidence of a lint level set under `cfg_attr`.
const CONDITIONAL_LINT: f32 = 0.8;

/// Runs every detector over `graph` and returns the filled store (with its impl records)
/// and diagnostics (an impl item its trait does not declare), sorted.
pub fn detect(graph: &Graph, input: &DetectInput) -> (ExceptionStore, Vec<Diagnostic>) {
    let store = ExceptionStore::new();
    let diagnostics = Mutex::new(Vec::new());
    let ctx = Ctx {
        graph,
        input,
        store: &store,
    };
    let records: Vec<ImplRecord> = input
        .impls
        .par_iter()
        .map(|imp| ctx.trait_defaults(imp, &diagnostics))
        .collect();
    let mut by_type: BTreeMap<NodeId, Vec<&ImplInput>> = BTreeMap::new();
    for imp in &input.impls {
        if let Some(t) = imp.self_type {
            by_type.entry(t).or_default().push(imp);
        }
    }
    let methods: HashMap<NodeId, TypeMethods<'_>> = by_type
        .par_iter()
        .map(|(&t, impls)| (t, ctx.type_methods(impls)))
        .collect();
    methods.par_iter().for_each(|(&t, m)| ctx.shadowing(t, m));
    input
        .impls
        .par_iter()
        .filter(|i| i.deref_target.is_some())
        .for_each(|i| ctx.deref_shadowing(i, &methods));
    let lints: HashMap<NodeId, &[LintAttr]> = input
        .lints
        .iter()
        .map(|(n, l)| (*n, l.as_slice()))
        .collect();
    input
        .lints
        .par_iter()
        .for_each(|(node, attrs)| ctx.lint_levels(*node, attrs, &lints));
    store.set_impls(records);
    let mut diagnostics = diagnostics.into_inner().unwrap_or_else(|e| e.into_inner());
    diagnostics.sort();
    (store, diagnostics)
}

/// A method a type can call: where it is defined and through which trait.
#[derive(Clone, Debug)]
struct Method<'a> {
    name: &'a str,
    /// The definition that runs: an inherent method, an impl's item, or a trait default.
    node: NodeId,
    /// The trait (`None` for inherent methods).
    trait_node: Option<NodeId>,
    /// The impl that provides it.
    impl_node: NodeId,
    self_text: &'a str,
    confidence: f32,
}

#[derive(Clone, Debug, Default)]
struct TypeMethods<'a> {
    inherent: Vec<Method<'a>>,
    /// Trait methods grouped by name.
    traits: HashMap<&'a str, Vec<Method<'a>>>,
}

struct Ctx<'a> {
    graph: &'a Graph,
    input: &'a DetectInput,
    store: &'a ExceptionStore,
}

impl Ctx<'_> {
    /// The item `node` as an exception value, with its body fingerprint.
    fn item_value(&self, node: NodeId) -> Value {
        Value::Item {
            node,
            body: self.input.items.get(&node).map_or(0, |d| d.body),
        }
    }

    fn is_workspace_trait(&self, id: NodeId) -> bool {
        self.graph
            .node(id)
            .is_some_and(|n| n.kind == NodeKind::Trait && n.krate.is_some())
    }

    /// Overridden and inherited defaults of one impl; the exceptions go to the store.
    fn trait_defaults(&self, imp: &ImplInput, diagnostics: &Mutex<Vec<Diagnostic>>) -> ImplRecord {
        let (trait_node, confidence, certain) = match &imp.trait_target {
            TraitTarget::None => (None, 1.0, true),
            TraitTarget::Resolved { node, confidence } => {
                (Some(*node), confidence_value(*confidence), true)
            }
            TraitTarget::Unresolved { candidate } => (*candidate, GUESSED_TRAIT, false),
        };
        let mut record = ImplRecord {
            node: imp.node,
            self_type: imp.self_type,
            trait_node,
            confidence,
            overridden: Vec::new(),
            inherited: Vec::new(),
            deref_target: imp.deref_target,
        };
        let Some(t) = trait_node.filter(|&t| self.is_workspace_trait(t)) else {
            return record;
        };
        let trait_items = self.graph.associated_items(t);
        let impl_items = self.graph.associated_items(imp.node);
        let nodes = &self.graph.nodes;
        let key = |i: usize| (nodes[i].name.as_str(), nodes[i].kind == NodeKind::AssocType);
        let declared: HashMap<(&str, bool), usize> =
            trait_items.iter().map(|&ti| (key(ti), ti)).collect();
        let own: HashMap<(&str, bool), usize> =
            impl_items.iter().map(|&ii| (key(ii), ii)).collect();
        // Under a cfg, the trait or the item may be another configuration's: anyhow's
        // `#[cfg(all(not(feature = "std"), …))] trait StdError` stands for std's `Error`
        // elsewhere, whose `provide` its impls define under `#[cfg(error_generic_member_access)]`.
        if certain && self.graph.node(t).is_some_and(|n| n.cfg.is_none()) {
            for &ii in &impl_items {
                let item = &nodes[ii];
                if !declared.contains_key(&key(ii))
                    && item.cfg.is_none()
                    && let Some(span) = &item.span
                {
                    let message = format!(
                        "`{}` defines `{}`, which trait `{}` does not declare (generated by a \
                         macro or behind a cfg?); it is not counted as an override",
                        self.graph.node(imp.node).map_or("", |n| n.name.as_str()),
                        item.name,
                        self.path(t)
                    );
                    diagnostics
                        .lock()
                        .unwrap_or_else(|e| e.into_inner())
                        .push(Diagnostic::new(
                            DiagnosticKind::UnknownTraitItem,
                            &span.file,
                            span.line,
                            span.column,
                            message,
                        ));
                }
            }
        }
        for &ti in trait_items
            .iter()
            .filter(|&&ti| nodes[ti].flags.has_default)
        {
            let default = &nodes[ti];
            let Some(&own) = own.get(&key(ti)) else {
                record.inherited.push(default.id);
                continue;
            };
            record.overridden.push(default.id);
            let inherited = self.item_value(default.id);
            let actual = self.item_value(nodes[own].id);
            let redundant = matches!(
                (inherited, actual),
                (Value::Item { body: a, .. }, Value::Item { body: b, .. }) if a != 0 && a == b
            );
            let (kind, source) = if redundant {
                (ExceptionKind::RedundantOverride, Source::Promoted)
            } else {
                (ExceptionKind::OverriddenDefault, Source::Explicit)
            };
            self.store.add(
                imp.node,
                &default.path,
                Exception::new(kind, source, confidence, inherited, actual),
            );
        }
        record
    }

    /// The methods a workspace type gets from its inherent and trait impls.
    fn type_methods<'a>(&'a self, impls: &[&'a ImplInput]) -> TypeMethods<'a> {
        let nodes = &self.graph.nodes;
        let mut out = TypeMethods::default();
        let mut traits: Vec<Method<'a>> = Vec::new();
        for imp in impls {
            let own: Vec<usize> = self
                .graph
                .associated_items(imp.node)
                .into_iter()
                .filter(|&i| nodes[i].kind == NodeKind::Method)
                .collect();
            let method = |index: usize, trait_node: Option<NodeId>, confidence: f32| Method {
                name: nodes[index].name.as_str(),
                node: nodes[index].id,
                trait_node,
                impl_node: imp.node,
                self_text: imp.self_text.as_str(),
                confidence,
            };
            match &imp.trait_target {
                TraitTarget::None => {
                    out.inherent
                        .extend(own.iter().map(|&i| method(i, None, 1.0)));
                }
                TraitTarget::Resolved { node, confidence } => {
                    let conf = confidence_value(*confidence);
                    if self.is_workspace_trait(*node) {
                        let own: HashMap<&str, usize> =
                            own.iter().map(|&i| (nodes[i].name.as_str(), i)).collect();
                        for ti in self.graph.associated_items(*node) {
                            if nodes[ti].kind != NodeKind::Method {
                                continue;
                            }
                            match own.get(nodes[ti].name.as_str()) {
                                Some(&i) => traits.push(method(i, Some(*node), conf)),
                                None if nodes[ti].flags.has_default => {
                                    traits.push(method(ti, Some(*node), conf));
                                }
                                None => {}
                            }
                        }
                    } else {
                        traits.extend(own.iter().map(|&i| method(i, Some(*node), conf)));
                    }
                }
                TraitTarget::Unresolved { .. } => {}
            }
        }
        for m in traits {
            out.traits.entry(m.name).or_default().push(m);
        }
        out
    }

    fn receivers_match(&self, a: NodeId, b: NodeId) -> bool {
        let param = |n: NodeId| self.input.items.get(&n).and_then(|d| d.self_param);
        param(a) == param(b)
    }

    fn path(&self, id: NodeId) -> &str {
        self.graph.node(id).map_or("", |n| n.path.as_str())
    }

    /// Inherent methods shadowing trait methods, and trait methods competing for a name.
    fn shadowing(&self, ty: NodeId, methods: &TypeMethods<'_>) {
        let value = |m: &Method| self.item_value(m.node);
        for inherent in &methods.inherent {
            for tm in methods.traits.get(inherent.name).into_iter().flatten() {
                let mut confidence = tm.confidence;
                if !self.receivers_match(inherent.node, tm.node) {
                    confidence *= OTHER_RECEIVER;
                }
                if inherent.self_text != tm.self_text {
                    confidence *= OTHER_INSTANTIATION;
                }
                let trait_path = tm.trait_node.map_or("", |t| self.path(t));
                self.store.add(
                    inherent.node,
                    &format!("{trait_path}::{}", tm.name),
                    Exception::new(
                        ExceptionKind::InherentShadowsTrait,
                        Source::Conflict,
                        confidence,
                        value(tm),
                        value(inherent),
                    ),
                );
            }
        }
        for same_name in methods.traits.values().filter(|v| v.len() > 1) {
            for (i, a) in same_name.iter().enumerate() {
                for b in &same_name[i + 1..] {
                    if a.trait_node == b.trait_node || a.impl_node == b.impl_node {
                        continue;
                    }
                    let (a, b) = if self.path(a.trait_node.unwrap_or(ty))
                        <= self.path(b.trait_node.unwrap_or(ty))
                    {
                        (a, b)
                    } else {
                        (b, a)
                    };
                    let mut confidence = a.confidence.min(b.confidence);
                    if a.self_text != b.self_text {
                        confidence *= OTHER_INSTANTIATION;
                    }
                    let property = format!(
                        "{}::{} & {}::{}",
                        a.trait_node.map_or("", |t| self.path(t)),
                        a.name,
                        b.trait_node.map_or("", |t| self.path(t)),
                        b.name
                    );
                    self.store.add(
                        ty,
                        &property,
                        Exception::new(
                            ExceptionKind::AmbiguousTraitMethods,
                            Source::Conflict,
                            confidence,
                            value(a),
                            value(b),
                        ),
                    );
                }
            }
        }
    }

    /// Methods of `T` that hide same-named methods of `U` for `impl Deref<Target = U> for T`.
    fn deref_shadowing(&self, imp: &ImplInput, methods: &HashMap<NodeId, TypeMethods<'_>>) {
        let (Some(t), Some(u)) = (imp.self_type, imp.deref_target) else {
            return;
        };
        let (Some(tm), Some(um)) = (methods.get(&t), methods.get(&u)) else {
            return;
        };
        for own in &tm.inherent {
            for hidden in um
                .inherent
                .iter()
                .filter(|m| m.name == own.name)
                .chain(um.traits.get(own.name).into_iter().flatten())
            {
                self.store.add(
                    own.node,
                    self.path(hidden.node),
                    Exception::new(
                        ExceptionKind::DerefShadowing,
                        Source::Detected,
                        DEREF_SHADOWING * hidden.confidence,
                        self.item_value(hidden.node),
                        self.item_value(own.node),
                    ),
                );
            }
        }
    }

    /// Lint attributes on `node` that change the level it inherits.
    fn lint_levels(&self, node: NodeId, attrs: &[LintAttr], lints: &HashMap<NodeId, &[LintAttr]>) {
        let Some(n) = self.graph.node(node) else {
            return;
        };
        let manifest = n
            .krate
            .and_then(|k| self.input.manifest_lints.get(k as usize))
            .map_or(&[][..], Vec::as_slice);
        for (i, attr) in attrs.iter().enumerate() {
            // A later attribute on the same node overrides an earlier one.
            if attrs[i + 1..].iter().any(|a| a.lint == attr.lint) {
                continue;
            }
            let from_manifest =
                manifest
                    .iter()
                    .find(|m| m.lint == attr.lint)
                    .map(|m| Value::Level {
                        level: m.level,
                        origin: LevelOrigin::Manifest(m.table),
                    });
            let inherited = if n.parent.is_none() {
                // The crate root sets the crate's policy; it is an exception only against
                // Cargo.toml.
                match from_manifest {
                    Some(v) => v,
                    None => continue,
                }
            } else {
                self.enclosing_level(n.parent, &attr.lint, lints)
                    .or(from_manifest)
                    .unwrap_or(Value::DefaultLevel)
            };
            if matches!(inherited, Value::Level { level, .. } if level == attr.level) {
                continue;
            }
            let confidence = if attr.cfg.is_some() {
                CONDITIONAL_LINT
            } else {
                1.0
            };
            let note = match (&attr.cfg, &attr.reason) {
                (Some(c), Some(r)) => Some(format!("{r} (under cfg_attr({c}))")),
                (Some(c), None) => Some(format!("under cfg_attr({c})")),
                (None, r) => r.clone(),
            };
            self.store.add_with_note(
                node,
                &attr.lint,
                Exception::new(
                    ExceptionKind::LintLevel,
                    Source::Explicit,
                    confidence,
                    inherited,
                    Value::Level {
                        level: attr.level,
                        origin: LevelOrigin::Attribute(node),
                    },
                ),
                note.as_deref(),
            );
        }
    }

    /// The level of `lint` set by the nearest enclosing node from `start` outwards.
    fn enclosing_level(
        &self,
        mut at: Option<NodeId>,
        lint: &str,
        lints: &HashMap<NodeId, &[LintAttr]>,
    ) -> Option<Value> {
        while let Some(id) = at {
            if let Some(attr) = lints
                .get(&id)
                .and_then(|attrs| attrs.iter().rev().find(|a| a.lint == lint))
            {
                return Some(Value::Level {
                    level: attr.level,
                    origin: LevelOrigin::Attribute(id),
                });
            }
            at = self.graph.node(id).and_then(|n| n.parent);
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::diagnostics::DiagnosticKind;
    use crate::exceptions::ExceptionKind;
    use crate::graph::Graph;

    fn graph(lib: &str) -> Graph {
        crate::ingest::ingest(&format!("FILE: src/lib.rs\n{lib}"), "demo").graph
    }

    fn found(g: &Graph) -> Vec<(String, ExceptionKind, f32)> {
        g.exceptions
            .entries()
            .into_iter()
            .map(|e| (e.property, e.exception.kind, e.exception.confidence))
            .collect()
    }

    #[test]
    fn an_unresolved_trait_is_a_low_confidence_guess_never_a_certain_override() {
        let g = graph(
            "mod hidden { pub trait Paint { fn paint(&self) -> u8 { 0 } } }\n\
             pub struct Wall;\n\
             impl Paint for Wall { fn paint(&self) -> u8 { 1 } }\n",
        );
        assert_eq!(
            found(&g),
            vec![(
                "demo::hidden::Paint::paint".into(),
                ExceptionKind::OverriddenDefault,
                0.3
            )]
        );
        assert!(g.diagnostics.is_empty());
    }

    #[test]
    fn an_impl_item_the_trait_lacks_is_a_diagnostic_that_keeps_the_graph_whole() {
        let g = graph(
            "pub trait T { fn a(&self) {} }\n\
             pub struct S;\n\
             impl T for S { fn a(&self) {} fn b(&self) {} }\n",
        );
        assert_eq!(g.diagnostics.len(), 1);
        assert_eq!(g.diagnostics[0].kind, DiagnosticKind::UnknownTraitItem);
        assert_eq!(g.diagnostics[0].line, 3);
        assert!(!g.is_partial());
        assert_eq!(
            found(&g),
            vec![("demo::T::a".into(), ExceptionKind::RedundantOverride, 1.0)]
        );
        // A trait or an item under a cfg may be another configuration's (anyhow's no-std
        // `StdError` beside std's `Error`, whose `provide` the impls define on nightly).
        let g = graph(
            "#[cfg(feature = \"std\")] use std::error::Error as StdError;\n\
             #[cfg(not(feature = \"std\"))] pub trait StdError { fn source(&self) {} }\n\
             pub trait T { fn a(&self) {} }\n\
             pub struct S;\n\
             impl StdError for S { fn source(&self) {} #[cfg(nightly)] fn provide(&self) {} }\n\
             impl T for S { #[cfg(nightly)] fn b(&self) {} }\n",
        );
        assert!(g.diagnostics.is_empty(), "{:?}", g.diagnostics);
    }

    #[test]
    fn shadowing_confidence_drops_for_other_receivers_and_instantiations() {
        let g = graph(
            "pub trait T { fn m(&self) {} fn n(&self) {} }\n\
             pub struct W<X>(X);\n\
             impl T for W<u8> {}\n\
             impl W<u8> { pub fn m(&mut self) {} }\n\
             impl W<u16> { pub fn n(&self) {} }\n",
        );
        let mut got = found(&g);
        got.sort_by(|a, b| a.0.cmp(&b.0));
        assert_eq!(
            got,
            vec![
                (
                    "demo::T::m".into(),
                    ExceptionKind::InherentShadowsTrait,
                    0.6
                ),
                (
                    "demo::T::n".into(),
                    ExceptionKind::InherentShadowsTrait,
                    0.5
                ),
            ]
        );
    }

    #[test]
    fn items_from_macros_in_impl_and_trait_bodies_count_even_across_files() {
        let g = crate::ingest::ingest(
            "FILE: src/lib.rs\n\
             #[macro_use] mod macros;\n\
             macro_rules! provided { ($($m:ident),*) => { $(fn $m(&self) -> u8 { 0 })* } }\n\
             pub trait T { provided!(a, b, c); }\n\
             pub struct S;\n\
             impl T for S {\n\
                 overrides! { a b }\n\
             }\n\
             FILE: src/macros.rs\n\
             macro_rules! overrides { ($($m:ident)*) => { $(fn $m(&self) -> u8 { 1 })* } }\n",
            "demo",
        )
        .graph;
        let record = g
            .exceptions
            .impls()
            .into_iter()
            .find(|r| !r.overridden.is_empty())
            .unwrap();
        let names = |ids: &[crate::graph::NodeId]| -> Vec<String> {
            ids.iter()
                .map(|i| g.node(*i).unwrap().name.clone())
                .collect()
        };
        assert_eq!(names(&record.overridden), vec!["a", "b"]);
        assert_eq!(names(&record.inherited), vec!["c"]);
        let a = g.nodes.iter().find(|n| n.path == "demo::S::a").unwrap();
        assert_eq!(a.span.as_ref().unwrap().line, 6, "placed at the call site");
    }

    #[test]
    fn a_glob_imported_trait_is_medium_confidence() {
        let g = graph(
            "mod api { pub trait T { const N: u8 = 1; } }\n\
             use api::*;\n\
             pub struct S;\n\
             impl T for S { const N: u8 = 2; }\n",
        );
        assert_eq!(
            found(&g),
            vec![(
                "demo::api::T::N".into(),
                ExceptionKind::OverriddenDefault,
                0.9
            )]
        );
    }
}
