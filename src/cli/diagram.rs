//! Pictures: a small diagram model built from query results, printed as Graphviz DOT or a
//! Mermaid flowchart. Nodes are labelled with their kind and their path inside their module
//! and clustered by module; past [`MAX_NODES`] the farthest nodes are left out with a note,
//! so a large radius stays readable.

use crate::graph::NodeKind;
use crate::query::NodeRef;
use crate::query::blast_radius::BlastRadius;
use crate::query::cycles::Cycles;
use crate::query::impact::Impact;
use crate::query::neighbourhood::Neighbourhood;
use std::collections::BTreeMap;
use std::fmt::Write;

/// Most nodes a diagram shows.
pub const MAX_NODES: usize = 60;

/// How a node is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// The entity asked about, or a changed entity.
    Focus,
    /// Reached only through body-only changes.
    Behavioural,
    /// Anything else.
    Plain,
}

/// A node: its path (identity), module (cluster) and label.
#[derive(Clone, Debug)]
pub struct DiagramNode {
    path: String,
    module: String,
    label: String,
    role: Role,
}

/// A diagram: nodes in order of relevance, edges dependent → dependency.
#[derive(Clone, Debug, Default)]
pub struct Diagram {
    title: String,
    nodes: Vec<DiagramNode>,
    edges: Vec<(String, String, String)>,
    omitted: usize,
}

/// `(module, path inside it)` of a node: the path without its last segment (two for
/// associated items); an impl's header stays whole.
fn split_module(node: &NodeRef) -> (String, String) {
    let path = node.path.as_str();
    let cut = match path.find("::impl ") {
        Some(i) => i,
        None => {
            let segments: Vec<&str> = path.split("::").collect();
            let keep = match node.kind {
                NodeKind::Method | NodeKind::AssocConst | NodeKind::AssocType => 2,
                _ => 1,
            };
            if segments.len() <= keep {
                // A crate root is the cluster of its crate; an external stub named by one
                // segment goes with the other externals.
                let module = if node.kind == NodeKind::Module {
                    path.to_string()
                } else {
                    "(external)".to_string()
                };
                return (module, path.to_string());
            }
            path.len() - segments[segments.len() - keep..].join("::").len() - 2
        }
    };
    (path[..cut].to_string(), path[cut + 2..].to_string())
}

impl Diagram {
    fn new(title: String) -> Diagram {
        Diagram {
            title,
            ..Diagram::default()
        }
    }

    fn node(&mut self, node: &NodeRef, role: Role) {
        if self.nodes.iter().any(|b| b.path == node.path) {
            return;
        }
        let (module, short) = split_module(node);
        // An impl's header already says `impl`; a crate root is labelled as the crate.
        let label = match node.kind {
            NodeKind::Impl if short.starts_with("impl") => short,
            NodeKind::Module if !node.path.contains("::") => format!("crate {short}"),
            kind => format!("{} {short}", kind.as_str()),
        };
        self.nodes.push(DiagramNode {
            path: node.path.clone(),
            module,
            label,
            role,
        });
    }

    fn edge(&mut self, from: &str, to: &str, label: &str) {
        let e = (from.to_string(), to.to_string(), label.to_string());
        if !self.edges.contains(&e) {
            self.edges.push(e);
        }
    }

    /// `graph <ENTITY>`.
    pub fn of_neighbourhood(n: &Neighbourhood) -> Diagram {
        let dir = if n.reverse {
            "dependents"
        } else {
            "dependencies"
        };
        let mut d = Diagram::new(format!("{} and its {dir}", n.entity.path));
        for m in &n.members {
            d.node(
                &m.node,
                if m.depth == 0 {
                    Role::Focus
                } else {
                    Role::Plain
                },
            );
        }
        for l in &n.links {
            d.edge(&l.from, &l.to, l.kind.as_str());
        }
        d.omitted = n.trimmed;
        d.finish()
    }

    /// `find-cycles`: each cycle's members and the chain of edges closing it.
    pub fn of_cycles(c: &Cycles) -> Diagram {
        let mut d = Diagram::new(format!("{} dependency cycles", c.cycles.len()));
        for cycle in &c.cycles {
            for m in &cycle.members {
                d.node(m, Role::Plain);
            }
            for s in &cycle.chain {
                d.edge(&s.from, &s.to, s.kind.as_str());
            }
        }
        d.finish()
    }

    /// `blast-radius <ENTITY>`: dependents pointing at what brought them in.
    pub fn of_blast_radius(r: &BlastRadius) -> Diagram {
        let mut d = Diagram::new(format!("blast radius of {}", r.entity.path));
        d.node(&r.entity, Role::Focus);
        for level in &r.levels {
            for dep in &level.dependents {
                d.node(&dep.node, Role::Plain);
                d.edge(&dep.node.path, &dep.via.to, dep.via.kind.as_str());
            }
        }
        d.omitted = r.truncated;
        d.finish()
    }

    /// `blast-radius --since/--staged/--files`.
    pub fn of_impact(r: &Impact, graph_nodes: &[NodeRef]) -> Diagram {
        let mut d = Diagram::new(format!("blast radius of the change ({})", r.compared));
        for n in graph_nodes {
            d.node(n, Role::Focus);
        }
        for a in &r.affected {
            let role = if a.behavioural {
                Role::Behavioural
            } else {
                Role::Plain
            };
            d.node(&a.node, role);
            d.edge(&a.node.path, &a.via.to, a.via.kind.as_str());
        }
        d.finish()
    }

    /// Keeps the first [`MAX_NODES`] nodes and the edges between them.
    fn finish(mut self) -> Diagram {
        if self.nodes.len() > MAX_NODES {
            self.omitted += self.nodes.len() - MAX_NODES;
            self.nodes.truncate(MAX_NODES);
        }
        let known: std::collections::HashSet<&str> =
            self.nodes.iter().map(|n| n.path.as_str()).collect();
        let edges = std::mem::take(&mut self.edges);
        self.edges = edges
            .into_iter()
            .filter(|(a, b, _)| known.contains(a.as_str()) && known.contains(b.as_str()))
            .collect();
        self
    }

    fn note(&self) -> Option<String> {
        (self.omitted > 0).then(|| {
            format!(
                "{} more nodes not shown (cut by --limit, or past the {MAX_NODES} a diagram shows); --format json lists all",
                self.omitted
            )
        })
    }

    fn by_module(&self) -> BTreeMap<&str, Vec<usize>> {
        let mut groups: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
        for (i, n) in self.nodes.iter().enumerate() {
            groups.entry(n.module.as_str()).or_default().push(i);
        }
        groups
    }

    fn index(&self, path: &str) -> usize {
        self.nodes.iter().position(|n| n.path == path).unwrap_or(0)
    }

    /// Graphviz DOT: one `cluster_N` subgraph per module, focus nodes filled.
    pub fn dot(&self) -> String {
        let mut s = String::new();
        let _ = writeln!(s, "digraph parseltongue {{");
        // The title and the note on two lines: DOT's `\n` escape between escaped parts.
        let mut label = dot_escape(&self.title);
        if let Some(n) = self.note() {
            label = format!("{label}\\n{}", dot_escape(&n));
        }
        let _ = writeln!(
            s,
            "  label=\"{label}\";\n  labelloc=t;\n  rankdir=LR;\n  newrank=true;"
        );
        let _ = writeln!(
            s,
            "  node [shape=box, fontname=\"Helvetica\", fontsize=10];"
        );
        let _ = writeln!(s, "  edge [fontname=\"Helvetica\", fontsize=8];");
        for (c, (module, members)) in self.by_module().into_iter().enumerate() {
            let _ = writeln!(s, "  subgraph cluster_{c} {{");
            let _ = writeln!(
                s,
                "    label=\"{}\";\n    style=rounded;",
                dot_escape(module)
            );
            for i in members {
                let n = &self.nodes[i];
                let style = match n.role {
                    Role::Focus => ", style=filled, fillcolor=\"#ffd27f\"",
                    Role::Behavioural => ", style=dashed",
                    Role::Plain => "",
                };
                let _ = writeln!(s, "    n{i} [label=\"{}\"{style}];", dot_escape(&n.label));
            }
            let _ = writeln!(s, "  }}");
        }
        for (a, b, label) in &self.edges {
            let _ = writeln!(
                s,
                "  n{} -> n{} [label=\"{}\"];",
                self.index(a),
                self.index(b),
                dot_escape(label)
            );
        }
        let _ = writeln!(s, "}}");
        s
    }

    /// Mermaid flowchart: one subgraph per module, focus nodes styled.
    pub fn mermaid(&self) -> String {
        let mut s = String::from("flowchart LR\n");
        if let Some(n) = self.note() {
            let _ = writeln!(s, "  %% {n}");
        }
        for (c, (module, members)) in self.by_module().into_iter().enumerate() {
            let _ = writeln!(s, "  subgraph m{c}[\"{}\"]", mermaid_escape(module));
            for i in members {
                let _ = writeln!(s, "    n{i}[\"{}\"]", mermaid_escape(&self.nodes[i].label));
            }
            let _ = writeln!(s, "  end");
        }
        for (a, b, label) in &self.edges {
            let _ = writeln!(
                s,
                "  n{} -->|{}| n{}",
                self.index(a),
                mermaid_escape(label),
                self.index(b)
            );
        }
        for (i, n) in self.nodes.iter().enumerate() {
            match n.role {
                Role::Focus => {
                    let _ = writeln!(s, "  style n{i} fill:#ffd27f");
                }
                Role::Behavioural => {
                    let _ = writeln!(s, "  style n{i} stroke-dasharray: 4 2");
                }
                Role::Plain => {}
            }
        }
        s
    }

    /// Number of nodes shown.
    pub fn len(&self) -> usize {
        self.nodes.len()
    }
}

fn dot_escape(s: &str) -> String {
    s.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Mermaid labels in quotes: `"` and the characters Mermaid reads as markup become entities.
fn mermaid_escape(s: &str) -> String {
    s.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
        .replace('|', "#124;")
}
