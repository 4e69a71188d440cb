//! Synthetic exception data shared by the exception benches.

#![allow(dead_code)]

use cargo_parseltongue::exceptions::detect::{DetectInput, ImplInput, ItemDetail, TraitTarget};
use cargo_parseltongue::exceptions::{Exception, ExceptionKind, LevelOrigin, Source, Value};
use cargo_parseltongue::graph::{
    Confidence, CrateInfo, Edge, EdgeKind, Graph, Node, NodeFlags, NodeId, NodeKind, Span,
    Visibility,
};
use cargo_parseltongue::lint::{LintLevel, ManifestTable};

/// A node id spread like real ones.
pub fn id(n: u64) -> NodeId {
    NodeId::from_u128(u128::from(n).wrapping_mul(0x9e37_79b9_7f4a_7c15_f39c_c060_5ced_c835))
}

/// The `i`-th exception of a realistic mix: 80 % trait-default overrides on 200 trait items,
/// 20 % lint levels on 20 lints, one in ten of them with a reason.
pub fn exception(i: u64) -> (NodeId, String, Exception, Option<&'static str>) {
    if i % 5 == 4 {
        let e = Exception::new(
            ExceptionKind::LintLevel,
            Source::Explicit,
            1.0,
            Value::Level {
                level: LintLevel::Deny,
                origin: LevelOrigin::Manifest(ManifestTable::Workspace),
            },
            Value::Level {
                level: LintLevel::Allow,
                origin: LevelOrigin::Attribute(id(i)),
            },
        );
        let note = (i % 10 == 9).then_some("generated code");
        (id(i), format!("clippy::lint_{}", i % 20), e, note)
    } else {
        let e = Exception::new(
            ExceptionKind::OverriddenDefault,
            Source::Explicit,
            1.0,
            Value::Item {
                node: id(1_000_000 + i % 200),
                body: i.wrapping_mul(31) | 1,
            },
            Value::Item {
                node: id(2_000_000 + i),
                body: i.wrapping_mul(17) | 1,
            },
        );
        (
            id(i),
            format!("bench::Trait{}::item{}", i % 20, i % 200),
            e,
            None,
        )
    }
}

fn node(id: NodeId, kind: NodeKind, path: String, parent: Option<NodeId>, default: bool) -> Node {
    Node {
        id,
        kind,
        name: path.rsplit("::").next().unwrap_or("").to_string(),
        path,
        krate: Some(0),
        signature: String::new(),
        visibility: Visibility::Public,
        doc: None,
        cfg: None,
        span: Some(Span {
            file: "src/lib.rs".into(),
            line: 1,
            column: 1,
            end_line: 1,
        }),
        parent,
        flags: NodeFlags {
            has_default: default,
            ..NodeFlags::default()
        },
        generated_by: None,
    }
}

/// A trait with `provided` default methods and one impl overriding every other one (half
/// of them token for token), as a graph with the detection input the linker would hand over.
pub fn trait_with_provided_items(provided: u64) -> (Graph, DetectInput) {
    let module = id(1);
    let tr = id(2);
    let imp = id(3);
    let ty = id(4);
    let mut nodes = vec![
        node(module, NodeKind::Module, "bench".into(), None, false),
        node(
            tr,
            NodeKind::Trait,
            "bench::Big".into(),
            Some(module),
            false,
        ),
        node(
            imp,
            NodeKind::Impl,
            "bench::impl Big for S".into(),
            Some(module),
            false,
        ),
        node(ty, NodeKind::Struct, "bench::S".into(), Some(module), false),
    ];
    let contains = |from, to| Edge {
        from,
        to,
        kind: EdgeKind::Contains,
        confidence: Confidence::High,
        span: None,
        cfg: None,
    };
    let mut edges = vec![
        contains(module, tr),
        contains(module, imp),
        contains(module, ty),
    ];
    let mut input = DetectInput::default();
    for i in 0..provided {
        let ti = id(10_000 + i);
        nodes.push(node(
            ti,
            NodeKind::Method,
            format!("bench::Big::m{i}"),
            Some(tr),
            true,
        ));
        edges.push(contains(tr, ti));
        input.items.insert(
            ti,
            ItemDetail {
                body: i + 1,
                self_param: None,
            },
        );
        if i % 2 == 0 {
            let ii = id(20_000 + i);
            nodes.push(node(
                ii,
                NodeKind::Method,
                format!("bench::S::m{i}"),
                Some(imp),
                false,
            ));
            edges.push(contains(imp, ii));
            let body = if i % 4 == 0 { i + 1 } else { i + 7 };
            input.items.insert(
                ii,
                ItemDetail {
                    body,
                    self_param: None,
                },
            );
        }
    }
    input.impls.push(ImplInput {
        node: imp,
        self_type: Some(ty),
        self_text: "S".into(),
        trait_target: TraitTarget::Resolved {
            node: tr,
            confidence: Confidence::High,
        },
        deref_target: None,
    });
    input.manifest_lints = vec![Vec::new()];
    let krate = CrateInfo {
        name: "bench".into(),
        package: "bench".into(),
        target_kind: "lib".into(),
        target_name: "bench".into(),
        root_file: "src/lib.rs".into(),
    };
    (
        Graph::new(vec![krate], Vec::new(), nodes, edges, Vec::new()),
        input,
    )
}
