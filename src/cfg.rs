//! Build configurations: which `#[cfg(…)]` variants of the graph a query sees.
//!
//! The graph keeps every cfg variant of every item (a Linux and a Windows impl both exist)
//! with its predicate as written ([`Node::cfg`](crate::graph::Node::cfg)). A
//! [`Configuration`] says which predicates hold, as a compiler invocation would: the target's
//! cfg as `rustc --print cfg` prints it, the `--cfg` flags given, and each package's enabled
//! features (its `default` feature unless turned off, the requested ones, and every feature
//! they enable, following the package's `[features]` table). A name nothing sets is false,
//! as in rustc (`test`, `docsrs`, `tokio_unstable`). [`restrict`] drops the items whose
//! predicate, or an enclosing module's, is false.

use crate::graph::{Edge, Graph, Node, NodeId};
use proc_macro2::{Delimiter, TokenStream, TokenTree};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A parsed cfg predicate.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CfgExpr {
    /// `unix`
    Name(String),
    /// `feature = "rt"`
    KeyValue(String, String),
    /// `all(…)` (true when empty)
    All(Vec<CfgExpr>),
    /// `any(…)` (false when empty)
    Any(Vec<CfgExpr>),
    /// `not(…)`
    Not(Box<CfgExpr>),
}

impl CfgExpr {
    /// Parses a predicate as the graph stores it (`feature = "rt"`, `all(unix, not(test))`);
    /// `None` when it is not a cfg predicate.
    pub fn parse(text: &str) -> Option<CfgExpr> {
        let tokens: TokenStream = text.parse().ok()?;
        let trees: Vec<TokenTree> = tokens.into_iter().collect();
        let (expr, used) = parse_predicate(&trees)?;
        (used == trees.len()).then_some(expr)
    }

    /// Evaluates the predicate; `holds(key, value)` tells whether `key` (value `None`) or
    /// `key = "value"` is set.
    pub fn eval(&self, holds: &dyn Fn(&str, Option<&str>) -> bool) -> bool {
        match self {
            CfgExpr::Name(n) => holds(n, None),
            CfgExpr::KeyValue(k, v) => holds(k, Some(v)),
            CfgExpr::All(xs) => xs.iter().all(|x| x.eval(holds)),
            CfgExpr::Any(xs) => xs.iter().any(|x| x.eval(holds)),
            CfgExpr::Not(x) => !x.eval(holds),
        }
    }

    /// Whether the predicate is false in every build that sets no cfg of its own (no
    /// `--cfg`, no build script's), whatever the target and features: it needs a name rustc
    /// never sets by itself (`test_node_semver`, `docsrs`, `loom`), or `test`, `doc` or
    /// `miri`. Predicates on the target, features, `debug_assertions` and the like are
    /// undecided.
    pub fn off_by_default(&self) -> bool {
        self.default_value() == Some(false)
    }

    /// Three-valued [`Self::eval`] for [`Self::off_by_default`]: `None` when the target or
    /// the features decide.
    fn default_value(&self) -> Option<bool> {
        /// Names rustc sets by itself for some builds (besides every `target_*` key).
        const SET_BY_RUSTC: &[&str] = &[
            "unix",
            "windows",
            "debug_assertions",
            "overflow_checks",
            "panic",
            "proc_macro",
            "feature",
            "relocation_model",
            "sanitize",
            "fmt_debug",
            "ub_checks",
            "contract_checks",
        ];
        // `all` is decided by a false member, `any` by a true one; either is decided the
        // other way when every member is.
        let combine = |xs: &[CfgExpr], decisive: bool| {
            let values: Vec<Option<bool>> = xs.iter().map(CfgExpr::default_value).collect();
            if values.contains(&Some(decisive)) {
                Some(decisive)
            } else if values.iter().all(|v| *v == Some(!decisive)) {
                Some(!decisive)
            } else {
                None
            }
        };
        match self {
            // `test`, `doc`, `miri` and custom names are off without a cfg of one's own.
            CfgExpr::Name(n) | CfgExpr::KeyValue(n, _) => {
                (!(SET_BY_RUSTC.contains(&n.as_str()) || n.starts_with("target_"))).then_some(false)
            }
            CfgExpr::All(xs) => combine(xs, false),
            CfgExpr::Any(xs) => combine(xs, true),
            CfgExpr::Not(x) => x.default_value().map(|v| !v),
        }
    }
}

/// The predicate that holds when all of `preds` do, as the graph writes it: `None` for none,
/// the predicate itself for one, `all(a, b, …)` otherwise.
pub fn all_of(mut preds: Vec<String>) -> Option<String> {
    match preds.len() {
        0 => None,
        1 => preds.pop(),
        _ => Some(format!("all({})", preds.join(", "))),
    }
}

/// One predicate at the start of `trees`; returns it and the token trees it used.
fn parse_predicate(trees: &[TokenTree]) -> Option<(CfgExpr, usize)> {
    let TokenTree::Ident(name) = trees.first()? else {
        return None;
    };
    let name = name.to_string();
    match trees.get(1) {
        Some(TokenTree::Punct(p)) if p.as_char() == '=' => {
            let TokenTree::Literal(lit) = trees.get(2)? else {
                return None;
            };
            let value = syn::parse_str::<syn::LitStr>(&lit.to_string())
                .ok()?
                .value();
            Some((CfgExpr::KeyValue(name, value), 3))
        }
        Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis => {
            let inner: Vec<TokenTree> = g.stream().into_iter().collect();
            let mut list = Vec::new();
            let mut at = 0;
            while at < inner.len() {
                let (expr, used) = parse_predicate(&inner[at..])?;
                list.push(expr);
                at += used;
                match inner.get(at) {
                    Some(TokenTree::Punct(p)) if p.as_char() == ',' => at += 1,
                    None => {}
                    Some(_) => return None,
                }
            }
            let expr = match name.as_str() {
                "all" => CfgExpr::All(list),
                "any" => CfgExpr::Any(list),
                "not" if list.len() == 1 => CfgExpr::Not(Box::new(list.pop()?)),
                _ => return None,
            };
            Some((expr, 2))
        }
        // The boolean literals (`#[cfg(true)]`, stable since Rust 1.88).
        _ if name == "true" => Some((CfgExpr::All(Vec::new()), 1)),
        _ if name == "false" => Some((CfgExpr::Any(Vec::new()), 1)),
        _ => Some((CfgExpr::Name(name), 1)),
    }
}

/// What a query's configuration sets: target cfg, `--cfg` flags, features per package.
#[derive(Clone, Debug, Default)]
pub struct Configuration {
    /// `(key, None)` for names, `(key, Some(value))` for key-value pairs.
    set: HashSet<(String, Option<String>)>,
    /// Package name → enabled features.
    features: HashMap<String, HashSet<String>>,
    /// The packages `-p` selected (empty: every member).
    selected: Vec<String>,
}

/// The features a query asks for, as cargo's flags give them.
#[derive(Clone, Debug, Default)]
pub struct FeatureRequest {
    /// `--features`: names (applied to every package that declares them) or
    /// `package/feature`; comma- or space-separated lists are split.
    pub features: Vec<String>,
    /// `--all-features`
    pub all: bool,
    /// `--no-default-features`
    pub no_default: bool,
    /// The packages `-p` selects (empty: every member, as `--workspace`). As in cargo,
    /// `--features x` and `--all-features` apply to the selected packages, and features
    /// members enable on each other are those of the selected packages' dependencies
    /// ([`Configuration::unify_member_features`]).
    pub selected: Vec<String>,
}

impl FeatureRequest {
    /// Whether `package` is one the request selects (every package when none is named).
    fn selects(&self, package: &str) -> bool {
        self.selected.is_empty() || self.selected.iter().any(|s| s == package)
    }
}

impl Configuration {
    /// A configuration from `rustc --print cfg` output (`target_cfg`, one `name` or
    /// `key="value"` per line), extra predicates (`--cfg` values, same syntax), and the
    /// features `request` enables in each package (`packages`: name → `[features]` table as
    /// cargo metadata reports it, implicit features of optional dependencies included).
    ///
    /// # Errors
    /// A `--cfg` value that is not `name` or `key="value"`, naming the value.
    pub fn new(
        target_cfg: &str,
        extra: &[String],
        packages: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
        request: &FeatureRequest,
    ) -> Result<Configuration, String> {
        let mut set = HashSet::new();
        for line in target_cfg.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if let Some(pair) = cfg_atom(line) {
                set.insert(pair);
            }
        }
        for value in extra {
            let pair = cfg_atom(value).ok_or_else(|| {
                format!("`--cfg {value}` is not a cfg: write `name` or `key=\"value\"`")
            })?;
            set.insert(pair);
        }
        let requested: Vec<&str> = request
            .features
            .iter()
            .flat_map(|f| f.split([',', ' ']))
            .filter(|f| !f.is_empty())
            .collect();
        let features = packages
            .iter()
            .map(|(name, table)| {
                let mut start: Vec<&str> = Vec::new();
                let selected = request.selects(name);
                if request.all && selected {
                    start.extend(table.keys().map(String::as_str));
                } else if !(request.no_default && selected) && table.contains_key("default") {
                    start.push("default");
                }
                for f in &requested {
                    match f.split_once('/') {
                        Some((pkg, feat)) if pkg == name => start.push(feat),
                        Some(_) => {}
                        None if selected => start.push(f),
                        None => {}
                    }
                }
                (name.clone(), enabled_features(table, &start))
            })
            .collect();
        Ok(Configuration {
            set,
            features,
            selected: request.selected.clone(),
        })
    }

    /// Adds the features members enable on each other, as cargo unifies them: a member
    /// that depends on another (`core = { path = "../core", features = ["net"] }`, default
    /// features unless turned off, an optional dependency only when a feature enables it,
    /// `core/f` and `core?/f` in an enabled feature) enables those features there; repeated
    /// until nothing changes. `tables`: package → `[features]` table; `deps`: package → its
    /// dependencies on members. As cargo resolves a build of the selected packages (every
    /// member unless `-p` named some) with their tests: the selected packages' dependencies,
    /// dev-dependencies included (the graph holds test targets too), and, transitively, the
    /// normal and build dependencies of the members those reach. A member nothing selected
    /// reaches keeps the features the request gave it and enables none elsewhere.
    pub fn unify_member_features(
        &mut self,
        tables: &BTreeMap<String, BTreeMap<String, Vec<String>>>,
        deps: &BTreeMap<String, Vec<crate::workspace::MemberDependency>>,
    ) {
        let empty = BTreeMap::new();
        let roots: HashSet<&str> = deps
            .keys()
            .map(String::as_str)
            .filter(|p| self.selected.is_empty() || self.selected.iter().any(|s| s == p))
            .collect();
        let mut reached: HashSet<String> = roots.iter().map(|p| p.to_string()).collect();
        loop {
            let mut changed = false;
            for (package, list) in deps {
                if !reached.contains(package) {
                    continue;
                }
                let root = roots.contains(package.as_str());
                let table = tables.get(package).unwrap_or(&empty);
                let on = self.features.get(package).cloned().unwrap_or_default();
                // Entries of the enabled features, e.g. `dep:x`, `x/f`, `x?/f`.
                let entries: Vec<&str> = on
                    .iter()
                    .filter_map(|f| table.get(f))
                    .flatten()
                    .map(String::as_str)
                    .collect();
                for d in list {
                    let key = d.key.as_str();
                    let active = !d.optional
                        || on.contains(key)
                        || entries.iter().any(|e| {
                            e.strip_prefix("dep:") == Some(key)
                                || e.split_once('/').map(|(x, _)| x) == Some(key)
                        });
                    if !active || (d.dev && !root) {
                        continue;
                    }
                    changed |= reached.insert(d.package.clone());
                    let mut start: Vec<&str> = d.features.iter().map(String::as_str).collect();
                    if d.default_features {
                        start.push("default");
                    }
                    for e in &entries {
                        if let Some((x, f)) = e.split_once('/')
                            && x.trim_end_matches('?') == key
                        {
                            start.push(f);
                        }
                    }
                    let dep_table = tables.get(&d.package).unwrap_or(&empty);
                    let add = enabled_features(dep_table, &start);
                    let target = self.features.entry(d.package.clone()).or_default();
                    for f in add {
                        changed |= target.insert(f);
                    }
                }
            }
            if !changed {
                break;
            }
        }
    }

    /// Whether `pred` holds for an item of package `package`.
    pub fn holds(&self, package: Option<&str>, pred: &CfgExpr) -> bool {
        let features = package.and_then(|p| self.features.get(p));
        pred.eval(&|key, value| match (key, value) {
            ("feature", Some(f)) if features.is_some_and(|set| set.contains(f)) => true,
            (k, v) => self.set.contains(&(k.to_string(), v.map(str::to_string))),
        })
    }
}

/// `name` or `key="value"` (as `rustc --print cfg` prints and `--cfg` takes).
fn cfg_atom(text: &str) -> Option<(String, Option<String>)> {
    match CfgExpr::parse(text)? {
        CfgExpr::Name(n) => Some((n, None)),
        CfgExpr::KeyValue(k, v) => Some((k, Some(v))),
        _ => None,
    }
}

/// The features `start` enables in a package with `[features]` table `table`, following
/// cargo: a feature enables the features it lists; `dep:x` enables no feature; `x/f` and
/// `x?/f` enable the implicit feature `x` of an optional dependency when it exists (`x?/f`
/// only when something else enables it). Names the table does not declare are ignored.
pub fn enabled_features(table: &BTreeMap<String, Vec<String>>, start: &[&str]) -> HashSet<String> {
    let mut on: HashSet<String> = HashSet::new();
    let mut todo: Vec<String> = start.iter().map(|s| s.to_string()).collect();
    while let Some(f) = todo.pop() {
        if !table.contains_key(&f) || !on.insert(f.clone()) {
            continue;
        }
        for entry in &table[&f] {
            if entry.starts_with("dep:") {
                continue;
            }
            match entry.split_once('/') {
                Some((dep, _)) if !dep.ends_with('?') => todo.push(dep.to_string()),
                Some(_) => {}
                None => todo.push(entry.clone()),
            }
        }
    }
    on
}

/// The `--cfg` values cargo would pass to rustc from its rustflags for `target` (or the
/// host): `CARGO_ENCODED_RUSTFLAGS`, `RUSTFLAGS`, `target.<triple>.rustflags`,
/// `target.'cfg(…)'.rustflags` and `build.rustflags` in `.cargo/config.toml`, with cargo's
/// precedence (resolved by `cargo-config2`, from the working directory). A configuration
/// that cannot be read gives no cfgs and the reason.
pub fn rustflags_cfgs(target: Option<&str>) -> (Vec<String>, Option<String>) {
    let flags = (|| -> Result<Vec<String>, cargo_config2::Error> {
        let config = cargo_config2::Config::load()?;
        let triple = match target {
            Some(t) => t.to_string(),
            None => config.host_triple()?.to_string(),
        };
        Ok(config
            .rustflags(triple.as_str())?
            .map(|f| f.flags)
            .unwrap_or_default())
    })();
    match flags {
        // A value rustc would reject is left out here, not turned into a usage error.
        Ok(flags) => (
            cfg_values(&flags)
                .into_iter()
                .filter(|v| cfg_atom(v).is_some())
                .collect(),
            None,
        ),
        Err(e) => (Vec::new(), Some(e.to_string())),
    }
}

/// The values of `--cfg X` and `--cfg=X` in rustc flags.
fn cfg_values(flags: &[String]) -> Vec<String> {
    let mut out = Vec::new();
    let mut it = flags.iter();
    while let Some(f) = it.next() {
        if f == "--cfg" {
            out.extend(it.next().cloned());
        } else if let Some(v) = f.strip_prefix("--cfg=") {
            out.push(v.to_string());
        }
    }
    out
}

/// Runs `rustc --print cfg` (for `target`, or the host) and returns its output. Honours
/// `RUSTC` as cargo does.
///
/// # Errors
/// rustc cannot be run or fails; the message names the command.
pub fn target_cfg(target: Option<&str>) -> Result<String, String> {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    let mut cmd = std::process::Command::new(&rustc);
    cmd.args(["--print", "cfg"]);
    if let Some(t) = target {
        cmd.args(["--target", t]);
    }
    let out = cmd.output().map_err(|e| {
        format!(
            "could not run `{} --print cfg`: {e}",
            rustc.to_string_lossy()
        )
    })?;
    if !out.status.success() {
        return Err(format!(
            "`{} --print cfg` failed: {}",
            rustc.to_string_lossy(),
            String::from_utf8_lossy(&out.stderr).trim()
        ));
    }
    Ok(String::from_utf8_lossy(&out.stdout).into_owned())
}

/// The graph as `config` compiles it: nodes whose cfg predicate, or that of an enclosing
/// item (the impl of a method, the modules up to the crate root), is false are removed with
/// their edges, and so are edges whose own cfg ([`Edge::cfg`]) is false. Returns the restricted graph and how many nodes were removed. Predicates
/// that do not parse are taken as true.
pub fn restrict(graph: &Graph, config: &Configuration) -> (Graph, usize) {
    let mut active: HashMap<NodeId, bool> = HashMap::with_capacity(graph.nodes.len());
    for node in &graph.nodes {
        node_active(graph, node, config, &mut active);
    }
    let keep = |id: &NodeId| active.get(id).copied().unwrap_or(true);
    let nodes: Vec<Node> = graph
        .nodes
        .iter()
        .filter(|n| keep(&n.id))
        .cloned()
        .collect();
    let removed = graph.nodes.len() - nodes.len();
    // The linker binds a path to one cfg variant of an item (`#[cfg_attr(…, path = "wide.rs")]
    // mod lock;` gives two `lock::SeqLock::write`); an edge to a variant this configuration
    // drops goes to the variant it keeps, the same item.
    let ordinals = crate::query::impl_ordinals(graph);
    let kept: HashMap<_, NodeId> = graph
        .nodes
        .iter()
        .enumerate()
        .rev()
        .filter(|(_, n)| keep(&n.id))
        .map(|(i, n)| (crate::query::item_key(graph, n, ordinals[i]), n.id))
        .collect();
    // An edge under a cfg of its own (a reference inside `#[cfg(…)] { … }`) goes with it.
    let edge_holds = |e: &Edge| {
        let Some(pred) = e.cfg.as_deref().and_then(CfgExpr::parse) else {
            return true;
        };
        let package = graph
            .node(e.from)
            .and_then(|n| graph.crate_of(n))
            .map(|c| c.package.as_str());
        config.holds(package, &pred)
    };
    let mut edges: Vec<Edge> = graph
        .edges
        .iter()
        .filter(|e| keep(&e.from) && edge_holds(e))
        .filter_map(|e| {
            if keep(&e.to) {
                return Some(e.clone());
            }
            let at = graph.index_of(e.to)?;
            let key = crate::query::item_key(graph, &graph.nodes[at], ordinals[at]);
            let &id = kept.get(&key)?;
            Some(Edge {
                to: id,
                ..e.clone()
            })
        })
        .collect();
    crate::graph::sort_dedup_edges(&mut edges);
    let mut out = Graph::new(
        graph.crates.clone(),
        graph.files.clone(),
        nodes,
        edges,
        graph.diagnostics.clone(),
    );
    out.exceptions = graph.exceptions.clone();
    (out, removed)
}

/// Whether `node` and its enclosing items are active, memoised in `active`.
fn node_active(
    graph: &Graph,
    node: &Node,
    config: &Configuration,
    active: &mut HashMap<NodeId, bool>,
) -> bool {
    if let Some(&a) = active.get(&node.id) {
        return a;
    }
    let package = graph.crate_of(node).map(|c| c.package.as_str());
    let own = node
        .cfg
        .as_deref()
        .and_then(CfgExpr::parse)
        .is_none_or(|pred| config.holds(package, &pred));
    let a = own
        && node
            .parent
            .and_then(|p| graph.node(p))
            .is_none_or(|p| node_active(graph, p, config, active));
    active.insert(node.id, a);
    a
}

#[cfg(test)]
mod tests;
