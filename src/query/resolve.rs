//! resolve: for a type and a method name, the definition `x.method()` runs and why — the
//! type's inherent method, its impl's own item, the trait's default, or none because two
//! traits compete — following `Deref` targets when the type itself has no such method.
//!
//! Works on the impl records of the exception store and the graph's associated items, so it
//! sees impls whose self type is a workspace type (not blanket impls over generics).

use super::{NodeRef, find_entity, qualified_path};
use crate::error::{Error, Result};
use crate::exceptions::ImplRecord;
use crate::graph::{Graph, NodeId, NodeKind};
use serde::Serialize;

/// Why a definition is the one that runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// An inherent method: it wins over every trait method of the same name.
    Inherent,
    /// The impl's own item for the only trait providing the method.
    ImplItem,
    /// The trait's default, which the type's impl does not override.
    TraitDefault,
    /// Several traits provide the method; `x.method()` needs disambiguation.
    Ambiguous,
}

/// A definition of the method.
#[derive(Clone, Debug, Serialize)]
pub struct Definition {
    /// The method node (an inherent method, an impl item or a trait default).
    pub item: NodeRef,
    /// The item as Rust names it (`<shapes::Square as shapes::Shape>::area`).
    pub qualified: String,
    /// Its signature.
    pub signature: String,
    /// The trait it belongs to, if any.
    #[serde(rename = "trait")]
    pub trait_path: Option<String>,
    /// The impl that brings it to the type.
    #[serde(rename = "impl")]
    pub impl_path: String,
}

/// The answer to resolve.
#[derive(Clone, Debug, Serialize)]
pub struct Resolution {
    /// The type asked about.
    #[serde(rename = "type")]
    pub type_ref: NodeRef,
    /// The method name.
    pub method: String,
    /// Why [`effective`](Self::effective) runs.
    pub outcome: Outcome,
    /// The definition that runs (`None` when ambiguous).
    pub effective: Option<Definition>,
    /// The trait default the effective impl item overrides.
    pub replaces: Option<Definition>,
    /// Trait methods of the same name the inherent method hides.
    pub shadowed: Vec<Definition>,
    /// The competing definitions when ambiguous.
    pub candidates: Vec<Definition>,
    /// Deref targets followed to find the method, outermost first.
    pub via_deref: Vec<String>,
    /// One sentence for humans.
    pub explanation: String,
}

const MAX_DEREF: usize = 8;

/// Resolves `type_name.method()`.
///
/// # Errors
/// Usage error when the type is unknown or ambiguous, or has no method of that name
/// (listing the methods it has).
pub fn resolve(graph: &Graph, type_name: &str, method: &str) -> Result<Resolution> {
    let ty = find_entity(graph, type_name, "type", |n| {
        n.kind.is_type() && n.kind != NodeKind::Trait
    })?;
    let records = graph.exceptions.impls();
    let mut at = graph.nodes[ty].id;
    let mut via = Vec::new();
    loop {
        if let Some(mut r) = resolve_on(graph, &records, at, method) {
            r.type_ref = NodeRef::new(graph, &graph.nodes[ty]);
            if !via.is_empty() {
                r.explanation = format!(
                    "no `{method}` on `{}` itself; through Deref ({}): {}",
                    graph.nodes[ty].path,
                    via.join(" → "),
                    r.explanation
                );
            }
            r.via_deref = via;
            return Ok(r);
        }
        let next = records
            .iter()
            .find(|r| r.self_type == Some(at) && r.deref_target.is_some())
            .and_then(|r| r.deref_target);
        match next {
            Some(u) if via.len() < MAX_DEREF => {
                via.push(graph.node(u).map_or_else(String::new, |n| n.path.clone()));
                at = u;
            }
            _ => break,
        }
    }
    let mut names: Vec<String> = records
        .iter()
        .filter(|r| r.self_type == Some(graph.nodes[ty].id))
        .flat_map(|r| graph.associated_items(r.node))
        .filter(|&c| graph.nodes[c].kind == NodeKind::Method)
        .map(|c| graph.nodes[c].name.clone())
        .collect();
    names.sort();
    names.dedup();
    Err(Error::Usage(format!(
        "no method `{method}` found for `{}` in its impls in the workspace{}",
        graph.nodes[ty].path,
        if names.is_empty() {
            String::new()
        } else {
            format!("; it has: {}", names.join(", "))
        }
    )))
}

fn definition(graph: &Graph, item: usize, record: &ImplRecord) -> Definition {
    let node = &graph.nodes[item];
    Definition {
        item: NodeRef::new(graph, node),
        qualified: qualified_path(graph, node),
        signature: node.signature.clone(),
        trait_path: record
            .trait_node
            .and_then(|t| graph.node(t))
            .map(|t| t.path.clone()),
        impl_path: graph
            .node(record.node)
            .map_or_else(String::new, |n| n.path.clone()),
    }
}

fn named_method(graph: &Graph, owner: NodeId, method: &str) -> Option<usize> {
    graph
        .associated_items(owner)
        .into_iter()
        .find(|&c| graph.nodes[c].kind == NodeKind::Method && graph.nodes[c].name == method)
}

/// The resolution on type `ty` alone, `None` when none of its impls has the method.
fn resolve_on(
    graph: &Graph,
    records: &[ImplRecord],
    ty: NodeId,
    method: &str,
) -> Option<Resolution> {
    let mut inherent = Vec::new();
    // (definition, overridden default, is the default itself)
    let mut traits: Vec<(Definition, Option<Definition>, bool)> = Vec::new();
    for r in records.iter().filter(|r| r.self_type == Some(ty)) {
        let own = named_method(graph, r.node, method);
        match r.trait_node {
            None => inherent.extend(own.map(|i| definition(graph, i, r))),
            Some(t) => {
                let default = named_method(graph, t, method)
                    .filter(|&d| graph.nodes[d].flags.has_default)
                    .map(|d| definition(graph, d, r));
                match own {
                    Some(i) => traits.push((definition(graph, i, r), default, false)),
                    None => {
                        if let Some(d) = default {
                            traits.push((d, None, true));
                        }
                    }
                }
            }
        }
    }
    let ty_path = graph.node(ty).map_or("", |n| n.path.as_str());
    let empty = |outcome, explanation| Resolution {
        type_ref: NodeRef::new(graph, graph.node(ty).expect("type node exists")),
        method: method.to_string(),
        outcome,
        effective: None,
        replaces: None,
        shadowed: Vec::new(),
        candidates: Vec::new(),
        via_deref: Vec::new(),
        explanation,
    };
    if let Some(first) = inherent.first().cloned() {
        let mut r = empty(
            Outcome::Inherent,
            format!(
                "`{ty_path}` has an inherent `{method}`; inherent methods win over trait methods{}",
                if traits.is_empty() {
                    String::new()
                } else {
                    format!(
                        " ({} trait method(s) of that name are shadowed)",
                        traits.len()
                    )
                }
            ),
        );
        r.effective = Some(first);
        r.candidates = inherent.into_iter().skip(1).collect();
        r.shadowed = traits.into_iter().map(|t| t.0).collect();
        return Some(r);
    }
    match traits.len() {
        0 => None,
        1 => {
            let (def, replaces, is_default) = traits.pop().expect("one element");
            let trait_path = def.trait_path.clone().unwrap_or_default();
            let r = if is_default {
                let mut r = empty(
                    Outcome::TraitDefault,
                    format!(
                        "`{}` does not define `{method}`, so the default of `{trait_path}` runs",
                        def.impl_path
                    ),
                );
                r.effective = Some(def);
                r
            } else {
                let mut r = empty(
                    Outcome::ImplItem,
                    match &replaces {
                        Some(d) => format!(
                            "`{}` defines `{method}`, replacing the default `{}`",
                            def.impl_path, d.item.path
                        ),
                        None => format!("`{}` defines `{method}`", def.impl_path),
                    },
                );
                r.effective = Some(def);
                r.replaces = replaces;
                r
            };
            Some(r)
        }
        n => {
            let mut r = empty(
                Outcome::Ambiguous,
                format!(
                    "{n} trait impls of `{ty_path}` provide `{method}`; call it as \
                     `Trait::{method}(&x)` (or import only one trait)"
                ),
            );
            r.candidates = traits.into_iter().map(|t| t.0).collect();
            Some(r)
        }
    }
}
