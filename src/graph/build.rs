//! Per-file facts placed in crate module trees → nodes and resolved edges.
//!
//! Passes: (1) a node for every module and item, bound in its module's scope; (2) imports
//! resolved to a fixpoint ([`super::resolve`]); (3) impl headers, derives and supertraits
//! resolved, associated items of impls named after their self type; (4) every reference of
//! every item resolved to an edge.

use super::resolve::{Binding, Ctx, ExternCrate, Ns, Scope, Target};
use super::{
    Confidence, CrateInfo, Edge, EdgeKind, FileRecord, Graph, Node, NodeFlags, NodeId, NodeKind,
    Span, Visibility,
};
use crate::exceptions;
use crate::parse::facts::{ItemFacts, LocalSpan};
use crate::parse::{self, CrateRoot, ParsedWorkspace};
use crate::source::SourceTree;
use rustc_hash::{FxHashMap, FxHashSet};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

mod cfg_twins;
mod headers;
mod refs;

/// One crate to build: its description, root file and extern prelude.
#[derive(Clone, Debug)]
pub struct CrateInput {
    /// Names and target of the crate.
    pub info: CrateInfo,
    /// Absolute path of the crate root file.
    pub root_file: PathBuf,
    /// Names usable as `name::…` in this crate: dependencies (after Cargo.toml renames,
    /// `-` replaced by `_`) and, for non-lib targets, the package's own lib.
    pub extern_crates: HashMap<String, ExternCrate>,
    /// Lint levels from the package's Cargo.toml (`[lints]` or the inherited
    /// `[workspace.lints]`), the outermost scope of lint-level exceptions.
    pub lints: Vec<crate::lint::ManifestLint>,
    /// The target is Rust 2015 (cargo's `edition`): `::x` and `use x::…` start at the crate
    /// root, where the extern crates are.
    pub edition_2015: bool,
}

impl CrateInput {
    /// A crate without dependencies or manifest lints (code dumps, tests, generated
    /// workspaces): target `target` of kind `kind` (`lib`, `bin`) in package `package`,
    /// whose root is `root_file` under workspace root `root`. The crate name is the
    /// target's with `-` as `_`.
    pub fn standalone(
        package: &str,
        target: &str,
        kind: &str,
        root: &Path,
        root_file: &Path,
    ) -> Self {
        CrateInput {
            info: CrateInfo {
                name: target.replace('-', "_"),
                package: package.to_string(),
                target_kind: kind.to_string(),
                target_name: target.to_string(),
                root_file: parse::relative(root, root_file),
            },
            root_file: root_file.to_path_buf(),
            extern_crates: HashMap::new(),
            lints: Vec::new(),
            edition_2015: false,
        }
    }
}

/// Wall-clock and summed thread times of the build phases.
#[derive(Clone, Copy, Debug, Default)]
pub struct BuildTimings {
    /// Reading files, summed over parser threads.
    pub read: Duration,
    /// Parsing and fact extraction, summed over parser threads.
    pub parse: Duration,
    /// Wall time of reading and parsing together (they run in parallel).
    pub read_parse_wall: Duration,
    /// Module trees, name resolution and edges (wall).
    pub resolve: Duration,
}

/// The result of [`build`].
#[derive(Debug)]
pub struct BuildOutput {
    /// The graph.
    pub graph: Graph,
    /// Paths whose creation would change the module tree (missing `mod` candidates).
    pub probes: Vec<String>,
    /// The macros files calling other files' macros were extracted again with.
    pub macro_views: parse::MacroViews,
    /// Phase times.
    pub timings: BuildTimings,
}

/// Parses and links `inputs` under workspace root `root` (absolute) into a graph, reading
/// and parsing every file.
pub fn build(source: &dyn SourceTree, root: &Path, inputs: &[CrateInput]) -> BuildOutput {
    build_with(source, root, inputs, &parse::ColdLoader)
}

/// [`build`] with `loader` supplying each file's facts (from a cache or by parsing).
pub fn build_with(
    source: &dyn SourceTree,
    root: &Path,
    inputs: &[CrateInput],
    loader: &dyn parse::FileLoader,
) -> BuildOutput {
    let start = Instant::now();
    let roots: Vec<CrateRoot> = inputs
        .iter()
        .map(|c| CrateRoot {
            name: c.info.name.clone(),
            root_file: c.root_file.clone(),
        })
        .collect();
    let mut pw = parse::parse_workspace_with(source, root, &roots, loader);
    let macro_views = std::mem::take(&mut pw.macro_views);
    loader.all_loaded();
    let read_parse_wall = start.elapsed();
    let start = Instant::now();
    let graph = parse::on_parser_pool(|| link(&pw, inputs));
    let out = BuildOutput {
        graph,
        probes: pw.probes.clone(),
        macro_views,
        timings: BuildTimings {
            read: pw.read_time,
            parse: pw.parse_time,
            read_parse_wall,
            resolve: start.elapsed(),
        },
    };
    drop_in_background(pw);
    out
}

/// Frees `value` on another thread: the facts of a large workspace take milliseconds to
/// free, which the caller need not wait for.
pub(crate) fn drop_in_background<T: Send + 'static>(value: T) {
    // Without a thread to be had, the closure (and the value in it) is freed here.
    let _ = std::thread::Builder::new()
        .name("parseltongue-free".into())
        .spawn(move || drop(value));
}

/// Where a node's facts are: the module instance, the item, and for associated items the
/// impl or trait node.
#[derive(Clone, Copy, Debug)]
pub(super) struct NodeFacts<'a> {
    pub module: usize,
    pub item: &'a ItemFacts,
    pub parent: Option<usize>,
}

/// State of the linker; the resolution half lives in [`super::resolve`], method calls in
/// [`super::method`].
pub(super) struct Builder<'a> {
    /// References whose path resolved to nothing, in module order.
    unresolved: Vec<crate::graph::UnresolvedPath>,
    pub pw: &'a ParsedWorkspace,
    pub inputs: &'a [CrateInput],
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    ids: HashSet<NodeId, crate::graph::id::BuildIdHasher>,
    /// For a path given to several nodes (cfg variants, repeated impl headers, a macro's
    /// copies): the next `#n` suffix to try, so numbering the k-th copy costs O(1), not O(k).
    next_suffix: HashMap<NodeId, usize, crate::graph::id::BuildIdHasher>,
    /// Per module instance: the step to its `mod` item (or function, for a block scope) in
    /// its parent's items (`None` for a crate root and an included file), so that a parent
    /// of thousands of modules is not searched per child.
    pub item_in_parent: Vec<Option<crate::parse::Step>>,
    /// Scopes defined after pass 3: the blocks of impl methods (whose nodes pass 3 makes) and
    /// every scope inside them, in instance order.
    deferred: Vec<usize>,
    /// Pass 1 is over: a scope whose function has no node now never will.
    late: bool,
    /// A name a workspace module does not bind may be read through its globs of outside
    /// modules, or taken from another cfg variant of the module (off while imports first
    /// settle, so a workspace binding found later wins).
    pub(super) through_outside_globs: bool,
    pub scopes: Vec<Scope>,
    pub module_node: Vec<usize>,
    pub module_of_node: FxHashMap<usize, usize>,
    /// (module instance, item index) → node.
    pub item_node: FxHashMap<(usize, usize), usize>,
    /// Impl or trait node → associated item nodes.
    pub assoc: FxHashMap<usize, Vec<usize>>,
    /// Type node → impl nodes of that type.
    pub impls_of: FxHashMap<usize, Vec<usize>>,
    /// Impl node → implemented trait.
    pub impl_trait: FxHashMap<usize, Target>,
    /// Impl node → resolved self type.
    pub impl_self: FxHashMap<usize, Target>,
    /// Impl node → confidence of its trait's resolution; absent when the path resolved to
    /// nothing (the trait is then a low-confidence external guess).
    pub impl_trait_confidence: FxHashMap<usize, Confidence>,
    pub supertraits: FxHashMap<usize, Vec<usize>>,
    /// Method name → method nodes of that name that take `self` (impls and traits): the
    /// candidates of a method call.
    pub methods_by_name: FxHashMap<String, Vec<usize>>,
    /// Method name → the trait methods among them (declared in a trait), so a lookup of
    /// trait candidates never scans the impls' methods.
    pub trait_methods_by_name: FxHashMap<String, Vec<usize>>,
    /// Per crate (index into the inputs), the workspace crates whose items it can reach:
    /// itself and the workspace crates of its extern prelude, transitively.
    pub reachable_crates: Vec<Vec<bool>>,
    /// Item node → the facts it was made from (for method lookup: fields, return types).
    pub item_facts: FxHashMap<usize, NodeFacts<'a>>,
    externals: BTreeMap<String, Node>,
    /// (module instance, use index) → what the `use` resolved to.
    pub use_targets: FxHashMap<(usize, usize), Vec<Target>>,
    /// Per parsed file: its path relative to the workspace root, shared by every span in it.
    file_names: Vec<Arc<str>>,
    /// The crates that declare a generic struct, enum or union (set before pass 4).
    pub(super) generic_type_crates: FxHashSet<usize>,
    /// Workspace trait impls for outside types by the type's name (set before pass 4).
    pub(super) outside_type_impls: FxHashMap<String, Vec<usize>>,
    /// Workspace traits with a blanket impl (set before pass 4).
    pub(super) blanket_traits: FxHashSet<usize>,
    /// Item node → the other items of its name and namespace in its module under other cfgs
    /// (smallvec's `#[cfg(feature = "union")] union SmallVecData` and
    /// `#[cfg(not(feature = "union"))] enum SmallVecData`; the targets of one name's imports
    /// under exclusive cfgs): the name binds the first, and a `uses` or `calls` edge to one
    /// goes to each, so every configuration keeps its own.
    pub(super) cfg_twins: FxHashMap<usize, Vec<usize>>,
    /// Names bound by imports under exclusive cfgs to items that every build compiles, which
    /// are therefore no cfg variants of one another (tokio's `pub use tokio_macros::test;`
    /// and `pub use tokio_macros::test_rt as test;`): a path ending in one of them reaches
    /// each import's item ([`Self::alias_alternatives`]), a path naming an item itself only
    /// that item.
    pub(super) alias_names: FxHashSet<String>,
}

fn link<'a>(pw: &'a ParsedWorkspace, inputs: &'a [CrateInput]) -> Graph {
    let mut b = Builder {
        pw,
        inputs,
        nodes: Vec::new(),
        edges: Vec::new(),
        ids: HashSet::default(),
        next_suffix: HashMap::default(),
        item_in_parent: {
            let mut of = vec![None; pw.modules.len()];
            for m in &pw.modules {
                for &(item, child) in &m.children {
                    of[child] = Some(item);
                }
            }
            of
        },
        deferred: Vec::new(),
        late: false,
        through_outside_globs: false,
        scopes: vec![Scope::default(); pw.modules.len()],
        module_node: vec![usize::MAX; pw.modules.len()],
        module_of_node: FxHashMap::default(),
        item_node: FxHashMap::default(),
        assoc: FxHashMap::default(),
        impls_of: FxHashMap::default(),
        impl_trait: FxHashMap::default(),
        impl_self: FxHashMap::default(),
        impl_trait_confidence: FxHashMap::default(),
        supertraits: FxHashMap::default(),
        methods_by_name: FxHashMap::default(),
        trait_methods_by_name: FxHashMap::default(),
        reachable_crates: reachable_crates(inputs),
        item_facts: FxHashMap::default(),
        externals: BTreeMap::new(),
        use_targets: FxHashMap::default(),
        unresolved: Vec::new(),
        generic_type_crates: FxHashSet::default(),
        outside_type_impls: FxHashMap::default(),
        blanket_traits: FxHashSet::default(),
        cfg_twins: FxHashMap::default(),
        alias_names: FxHashSet::default(),
        file_names: pw
            .files
            .iter()
            .map(|f| Arc::from(f.rel_path.as_str()))
            .collect(),
    };
    for m in 0..pw.modules.len() {
        b.define_module(m);
    }
    b.pair_items_of_module_twins();
    b.resolve_imports();
    // Modules the imports made cfg variants of one another (mio's `sys::event` through
    // `pub use self::unix::*;` or `pub(crate) use self::wasip1::*;`) pair their items too.
    b.pair_items_of_module_twins();
    let deferred: FxHashSet<usize> = b.deferred.iter().copied().collect();
    b.use_edges(&|m| !deferred.contains(&m));
    for m in 0..pw.modules.len() {
        if !deferred.contains(&m) {
            b.link_headers(m);
        }
    }
    // The blocks of impl methods, now that pass 3 made the methods: each defined, then its
    // impl headers linked (which makes the methods of the blocks inside it, later in order).
    b.late = true;
    for m in std::mem::take(&mut b.deferred) {
        b.define_module(m);
        b.resolve_imports_of(std::iter::once(m));
        b.link_headers(m);
    }
    b.use_edges(&|m| deferred.contains(&m));
    b.pair_inherent_items_of_type_twins();
    b.link_all_refs();
    let input = b.detect_input();
    let mut graph = b.finish();
    let (store, diagnostics) = exceptions::detect::detect(&graph, &input);
    let inherits: Vec<Edge> = store
        .impls()
        .iter()
        .flat_map(|r| {
            let span = graph.node(r.node).and_then(|n| n.span.clone());
            let confidence = exceptions::detect::confidence_class(r.confidence);
            r.inherited.iter().map(move |&item| Edge {
                from: r.node,
                to: item,
                kind: EdgeKind::Inherits,
                confidence,
                span: span.clone(),
                cfg: None,
            })
        })
        .collect();
    graph.add_edges(inherits);
    graph.diagnostics.extend(diagnostics);
    graph.diagnostics.sort();
    graph.exceptions = store;
    graph
}

/// Per crate of `inputs`, the crates it can reach: itself and, transitively, the workspace
/// crates in its extern prelude (a `[n][n]` table of flags, `n` the number of crates).
fn reachable_crates(inputs: &[CrateInput]) -> Vec<Vec<bool>> {
    (0..inputs.len())
        .map(|from| {
            let mut seen = vec![false; inputs.len()];
            seen[from] = true;
            let mut todo = vec![from];
            while let Some(c) = todo.pop() {
                for e in inputs[c].extern_crates.values() {
                    if let ExternCrate::Workspace(d) = e
                        && *d < seen.len()
                        && !seen[*d]
                    {
                        seen[*d] = true;
                        todo.push(*d);
                    }
                }
            }
            seen
        })
        .collect()
}

fn ns_of(item: &ItemFacts) -> &'static [Ns] {
    match item.kind {
        NodeKind::Fn | NodeKind::Const | NodeKind::Static => &[Ns::Value],
        NodeKind::Struct if item.is_value => &[Ns::Type, Ns::Value],
        NodeKind::Struct
        | NodeKind::Enum
        | NodeKind::Union
        | NodeKind::Trait
        | NodeKind::TypeAlias
        | NodeKind::Module => &[Ns::Type],
        NodeKind::Macro => &[Ns::Macro],
        _ => &[],
    }
}

impl<'a> Builder<'a> {
    /// The path of module instance `m`'s file, shared.
    fn file_of(&self, m: usize) -> Arc<str> {
        self.file_names[self.pw.modules[m].file].clone()
    }

    fn span(&self, m: usize, s: LocalSpan) -> Option<Span> {
        (s.line > 0).then(|| Span {
            file: self.file_of(m),
            line: s.line,
            column: s.column,
            end_line: s.end_line,
        })
    }

    fn add_node(&mut self, krate: usize, mut node: Node) -> usize {
        let key = self.inputs[krate].info.key();
        let base = NodeId::new(&key, &node.path, node.kind.as_str());
        let mut id = base;
        // cfg variants and repeated impl headers share a path: number them, starting after
        // the last number this path was given.
        if !self.ids.insert(id) {
            let next = self.next_suffix.entry(base).or_insert(2);
            loop {
                id = NodeId::new(&key, &format!("{}#{next}", node.path), node.kind.as_str());
                *next += 1;
                if self.ids.insert(id) {
                    break;
                }
            }
        }
        node.id = id;
        node.krate = Some(krate as u32);
        self.nodes.push(node);
        self.nodes.len() - 1
    }

    fn node_from_facts(&self, m: usize, f: &ItemFacts, path: String, parent: usize) -> Node {
        Node {
            id: NodeId::PLACEHOLDER,
            kind: f.kind,
            path,
            name: f.name.clone(),
            krate: None,
            signature: f.signature.clone(),
            visibility: f.visibility.clone(),
            doc: f.doc.clone(),
            cfg: f.cfg.clone(),
            span: self.span(m, f.span),
            parent: Some(self.nodes[parent].id),
            flags: NodeFlags {
                has_default: f.has_default,
                is_test: f.is_test,
                ..NodeFlags::default()
            },
            generated_by: f.generated_by.clone(),
        }
    }

    /// An edge from node `from` to `to` (an outside path becomes its external node, made
    /// once), and for a `uses` or `calls` edge, one to each of the target's cfg variants.
    fn edge(
        &mut self,
        from: usize,
        to: Target,
        kind: EdgeKind,
        conf: Confidence,
        span: Option<Span>,
    ) {
        // The target's cfg variants get the edge too ([`Self::cfg_twins`]).
        if let Target::Node(n) = to
            && matches!(kind, EdgeKind::Uses | EdgeKind::Calls)
            && let Some(twins) = self.cfg_twins.get(&n).cloned()
        {
            for twin in twins {
                self.push_edge(from, Target::Node(twin), kind, conf, span.clone());
            }
        }
        self.push_edge(from, to, kind, conf, span);
    }

    /// [`Self::edge`] to `to` alone.
    fn push_edge(
        &mut self,
        from: usize,
        to: Target,
        kind: EdgeKind,
        conf: Confidence,
        span: Option<Span>,
    ) {
        let to = match to {
            Target::Node(n) => self.nodes[n].id,
            Target::External(path) => {
                let is_trait = matches!(kind, EdgeKind::Implements | EdgeKind::Inherits);
                let node = self.externals.entry(path.clone()).or_insert_with(|| Node {
                    id: NodeId::new("extern", &path, "external"),
                    kind: NodeKind::External,
                    name: path.rsplit("::").next().unwrap_or(&path).to_string(),
                    path,
                    krate: None,
                    signature: String::new(),
                    visibility: Visibility::Public,
                    doc: None,
                    cfg: None,
                    span: None,
                    parent: None,
                    flags: NodeFlags::default(),
                    generated_by: None,
                });
                node.flags.is_trait |= is_trait;
                node.id
            }
        };
        let from = self.nodes[from].id;
        if from == to && kind != EdgeKind::Calls {
            return;
        }
        self.edges.push(Edge {
            from,
            to,
            kind,
            confidence: conf,
            span,
            cfg: None,
        });
    }

    /// Pass 1: the module's node, its items' nodes, and their scope bindings.
    fn define_module(&mut self, m: usize) {
        let inst = &self.pw.modules[m];
        let krate = inst.krate;
        // Inside a scope not defined yet (an impl method's block): defined after pass 3.
        if let Some(p) = inst.parent
            && self.module_node[p] == usize::MAX
        {
            if !self.late {
                self.deferred.push(m);
            }
            return;
        }
        if inst.included {
            // A file an `include!` names: its items are the parent's.
            let n = self.module_node[inst.parent.expect("an included file has an includer")];
            self.module_node[m] = n;
            self.define_items(m, n);
            return;
        }
        if inst.block {
            // A function's block scope: its items hang off the function's node (defined
            // with the enclosing scope, which comes first).
            let p = inst.parent.expect("a block scope has a function around it");
            let step = self.item_in_parent[m].expect("a block is listed by its scope");
            let item = self.item_node.get(&(p, step.item)).copied();
            let function = match step.assoc {
                None => item,
                // A method: a trait's are made with it, an impl's in pass 3.
                Some(j) => item
                    .and_then(|n| self.assoc.get(&n))
                    .and_then(|kids| kids.get(j))
                    .copied(),
            };
            match function {
                Some(n) => {
                    self.module_node[m] = n;
                    self.define_items(m, n);
                }
                None if step.assoc.is_some() && !self.late => self.deferred.push(m),
                None => self.module_node[m] = self.module_node[p],
            }
            return;
        }
        let path = inst.path.join("::");
        let node = match inst.parent {
            None => Node {
                id: NodeId::PLACEHOLDER,
                kind: NodeKind::Module,
                name: inst.path[0].clone(),
                signature: format!("crate {}", inst.path[0]),
                path,
                krate: None,
                visibility: Visibility::Public,
                doc: None,
                cfg: None,
                span: Some(Span {
                    file: self.file_of(m),
                    line: 1,
                    column: 1,
                    end_line: 1,
                }),
                parent: None,
                flags: NodeFlags::default(),
                generated_by: None,
            },
            Some(p) => {
                let step = self.item_in_parent[m].expect("a child module is listed by its parent");
                let facts = step
                    .item_in(
                        self.pw
                            .module_facts(&self.pw.modules[p])
                            .expect("parent parsed"),
                    )
                    .expect("a child module's item is in its parent");
                self.node_from_facts(p, facts, path, self.module_node[p])
            }
        };
        // A module file's `#![cfg(…)]` is the module's, as its `mod` item's `#[cfg]` is.
        let mut node = node;
        if inst.inline_path.is_empty()
            && let Some(inner) = self.pw.module_facts(inst).and_then(|f| f.cfg.clone())
        {
            node.cfg = crate::cfg::all_of(node.cfg.take().into_iter().chain([inner]).collect());
        }
        let n = self.add_node(krate, node);
        self.module_node[m] = n;
        self.module_of_node.insert(n, m);
        if let Some(p) = inst.parent {
            let pn = self.module_node[p];
            let span = self.nodes[n].span.clone();
            self.edge(
                pn,
                Target::Node(n),
                EdgeKind::Contains,
                Confidence::High,
                span,
            );
            let name = self.nodes[n].name.clone();
            let visibility = self.nodes[n].visibility.clone();
            let scope = self.scope_of(p);
            // A `cfg_attr(path)` variant (or a `#[cfg]`'d twin) of a module bound already.
            let conditional = self.nodes[n].cfg.is_some();
            self.bind_item(
                scope,
                Ns::Type,
                &name,
                Binding {
                    target: Target::Node(n),
                    origin: scope,
                    visibility,
                    glob: false,
                    item: true,
                    confidence: Confidence::High,
                    conditional,
                    off_by_default: false,
                    alternatives: Vec::new(),
                },
            );
        }
        self.define_items(m, n);
    }

    /// The nodes of scope `m`'s items (modules aside: they are scopes of their own), under
    /// node `n` (the module, or the function whose block `m` is), bound in `m`'s scope.
    fn define_items(&mut self, m: usize, n: usize) {
        let krate = self.pw.modules[m].krate;
        let pw: &'a ParsedWorkspace = self.pw;
        let Some(facts) = pw.module_facts(&pw.modules[m]) else {
            return;
        };
        let module_path = self.nodes[n].path.clone();
        let scope = self.scope_of(m);
        for (idx, item) in facts.items.iter().enumerate() {
            if item.kind == NodeKind::Module {
                continue;
            }
            let path = format!("{module_path}::{}", item.name);
            let node = self.node_from_facts(m, item, path.clone(), n);
            let id = self.add_node(krate, node);
            self.item_node.insert((m, idx), id);
            self.item_facts.insert(
                id,
                NodeFacts {
                    module: m,
                    item,
                    parent: None,
                },
            );
            let span = self.nodes[id].span.clone();
            self.edge(
                n,
                Target::Node(id),
                EdgeKind::Contains,
                Confidence::High,
                span,
            );
            let binding = Binding {
                target: Target::Node(id),
                origin: scope,
                visibility: item.visibility.clone(),
                glob: false,
                item: true,
                confidence: Confidence::High,
                conditional: item.cfg.is_some(),
                off_by_default: super::resolve::off_by_default(item.cfg.as_deref()),
                alternatives: Vec::new(),
            };
            for &ns in ns_of(item) {
                self.bind_item(scope, ns, &item.name, binding.clone());
            }
            // pin-project's projection types name the item's fields and variants: bound
            // like `use Item as StateProj;`, Medium (another type of the same shape).
            for projection in &item.projections {
                let import = Binding {
                    item: false,
                    confidence: Confidence::Medium,
                    ..binding.clone()
                };
                self.bind(scope, Ns::Type, projection, import);
            }
            if item.kind == NodeKind::Trait {
                self.add_children(m, id, item, &path);
            }
        }
    }

    fn add_children(&mut self, m: usize, parent: usize, item: &'a ItemFacts, base: &str) {
        let krate = self.pw.modules[m].krate;
        let mut kids = Vec::new();
        for c in &item.children {
            let node = self.node_from_facts(m, c, format!("{base}::{}", c.name), parent);
            let id = self.add_node(krate, node);
            self.item_facts.insert(
                id,
                NodeFacts {
                    module: m,
                    item: c,
                    parent: Some(parent),
                },
            );
            let span = self.nodes[id].span.clone();
            self.edge(
                parent,
                Target::Node(id),
                EdgeKind::Contains,
                Confidence::High,
                span,
            );
            // Only a method taking `self` can be named by a method call (`x.m()`).
            if c.kind == NodeKind::Method && c.self_param.is_some() {
                self.methods_by_name
                    .entry(c.name.clone())
                    .or_default()
                    .push(id);
                if self.nodes[parent].kind == NodeKind::Trait {
                    self.trait_methods_by_name
                        .entry(c.name.clone())
                        .or_default()
                        .push(id);
                }
            }
            kids.push(id);
        }
        self.assoc.insert(parent, kids);
    }

    /// `Uses` edges from a module (or the function whose block it is) to what its `use`
    /// declarations import, for the scopes `of` selects; none for an import of a name that
    /// several workspace items of different namespaces share (renaming one of them leaves
    /// the `use` valid).
    fn use_edges(&mut self, of: &dyn Fn(usize) -> bool) {
        let mut entries: Vec<((usize, usize), Vec<Target>)> = self
            .use_targets
            .iter()
            .filter(|((m, _), _)| of(*m) && self.module_node[*m] != usize::MAX)
            .map(|(k, v)| (*k, v.clone()))
            .collect();
        entries.sort_by_key(|(k, _)| *k);
        for ((m, i), targets) in entries {
            // One name for items of several namespaces (ndarray's `pub fn Ix6(…)` beside `pub
            // type Ix6 = …`): the import stands while any of them does, so renaming one breaks
            // the code that uses it, not the `use`.
            let mut nodes: Vec<usize> = targets
                .iter()
                .filter_map(|t| match t {
                    Target::Node(n) => Some(*n),
                    Target::External(_) => None,
                })
                .collect();
            nodes.sort_unstable();
            nodes.dedup();
            if nodes.len() > 1 {
                continue;
            }
            let written = self
                .pw
                .module_facts(&self.pw.modules[m])
                .and_then(|f| f.uses.get(i));
            let span = written.and_then(|u| self.span(m, u.span));
            // `use tokio::test as maybe_tokio_test;` imports each item the name `test` is
            // under tokio's cfgs ([`Self::alias_names`]).
            let mut targets = targets;
            if let Some(u) = written.filter(|u| !u.glob) {
                let ctx = self.ctx(m, None, &[]);
                for alt in self.alias_alternatives(&ctx, &u.path, &[Ns::Macro, Ns::Type, Ns::Value])
                {
                    if !targets.contains(&Target::Node(alt)) {
                        targets.push(Target::Node(alt));
                    }
                }
            }
            for t in targets {
                if let Target::Node(n) = t
                    && n != self.module_node[m]
                {
                    self.edge(
                        self.module_node[m],
                        Target::Node(n),
                        EdgeKind::Uses,
                        Confidence::High,
                        span.clone(),
                    );
                }
            }
        }
    }

    pub(super) fn ctx<'c>(
        &self,
        m: usize,
        self_target: Option<Target>,
        generics: &'c [String],
    ) -> Ctx<'c> {
        Ctx {
            module: self.scope_of(m),
            self_target,
            generics,
            bounds: &[],
            impl_node: None,
        }
    }

    fn finish(self) -> Graph {
        let mut nodes = self.nodes;
        nodes.extend(self.externals.into_values());
        let mut edges = self.edges;
        super::sort_dedup_edges(&mut edges);
        let mut files: Vec<FileRecord> = self
            .pw
            .files
            .iter()
            .map(|f| FileRecord {
                path: f.rel_path.clone(),
                parsed: f.facts.is_some() && !f.stale,
                stale: f.stale,
            })
            .collect();
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let mut graph = Graph::new(
            self.inputs.iter().map(|c| c.info.clone()).collect(),
            files,
            nodes,
            edges,
            self.pw.diagnostics.clone(),
        );
        graph.unresolved_paths = self.unresolved;
        graph
    }
}

#[cfg(test)]
pub(super) mod tests;
