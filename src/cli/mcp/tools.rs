//! The MCP tools: their arguments (JSON-schema'd by schemars) and answers, the same query
//! functions and renderings as the CLI's commands.

use super::fit::{Answer, error, fit, not_found};
use super::{DEFAULT_MAX_TOKENS, MAX_MAX_TOKENS, Workspace};
use crate::cli::args::{ColorChoice, Format};
use crate::cli::output::Output;
use crate::cli::{impact_report, render};
use crate::error::Error;
use crate::graph::{Confidence, EdgeKind};
use crate::query::{self, Scope};
use rmcp::handler::server::{router::tool::ToolRouter, wrapper::Parameters};
use rmcp::model::{CallToolResult, Implementation, ServerCapabilities, ServerConfig};
use rmcp::{ServerHandler, tool, tool_handler, tool_router};
use schemars::JsonSchema;
use serde::Deserialize;
use std::sync::Mutex;

/// The server: the workspace behind a lock (one call at a time) and the tool router.
#[derive(Clone)]
pub(super) struct Server {
    workspace: std::sync::Arc<Mutex<Workspace>>,
    tool_router: ToolRouter<Self>,
}

/// Arguments every tool takes.
#[derive(Debug, Default, Deserialize, JsonSchema)]
pub(super) struct Cut {
    /// Most tokens the answer may take (default 8000, at most 24000).
    max_tokens: Option<usize>,
    /// Most rows the answer may list.
    limit: Option<usize>,
}

impl Cut {
    fn max_tokens(&self) -> usize {
        self.max_tokens
            .unwrap_or(DEFAULT_MAX_TOKENS)
            .clamp(200, MAX_MAX_TOKENS)
    }

    fn limit(&self, default: usize) -> usize {
        self.limit.unwrap_or(default).max(1)
    }
}

#[derive(Debug, Deserialize, JsonSchema)]
pub(super) struct SearchArgs {
    /// Name, path suffix, substring or glob (`Searcher::search_*`).
    pattern: String,
    /// Only this node kind (fn, struct, trait, method, …).
    kind: Option<String>,
    /// Include std and dependency items.
    include_external: Option<bool>,
    #[serde(flatten)]
    cut: Cut,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub(super) struct TraitArgs {
    /// The trait: path or unambiguous suffix (`Clone`, `serde::Serialize`).
    #[serde(rename = "trait")]
    trait_name: String,
    #[serde(flatten)]
    cut: Cut,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub(super) struct RadiusArgs {
    /// The item (path or unambiguous suffix); omit for the working-tree change.
    entity: Option<String>,
    /// With no entity: the change since the merge base of this revision and HEAD
    /// (default: uncommitted changes against HEAD).
    since: Option<String>,
    /// Stop after this many levels.
    depth: Option<usize>,
    /// `interface` (what breaks) or `body` (what behaves differently); default both.
    change: Option<String>,
    /// Lowest edge confidence followed: high, medium (default) or low.
    min_confidence: Option<String>,
    #[serde(flatten)]
    cut: Cut,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub(super) struct NeighboursArgs {
    /// The item: path or unambiguous suffix.
    entity: String,
    /// callers, callees, uses (its dependencies) or users (its dependents).
    direction: String,
    /// Levels out (default 1).
    depth: Option<usize>,
    #[serde(flatten)]
    cut: Cut,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub(super) struct ContextArgs {
    /// The items; omit for the working-tree change.
    entities: Option<Vec<String>>,
    /// With no entities: the change since this revision's merge base.
    since: Option<String>,
    /// Most tokens the answer may take (default 8000, at most 24000).
    max_tokens: Option<usize>,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub(super) struct ExceptionsArgs {
    /// Only properties of this trait.
    #[serde(rename = "trait")]
    trait_name: Option<String>,
    /// Only exceptions on this type.
    #[serde(rename = "type")]
    type_name: Option<String>,
    /// Only this kind (redundant_override, inherent_shadows_trait, …).
    kind: Option<String>,
    /// Also routine overridden defaults.
    all: Option<bool>,
    #[serde(flatten)]
    cut: Cut,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub(super) struct ResolveArgs {
    /// The receiver's type: path or unambiguous suffix.
    #[serde(rename = "type")]
    type_name: String,
    /// The method name.
    method: String,
}

#[derive(Debug, Deserialize, JsonSchema)]
pub(super) struct StatusArgs {
    #[serde(flatten)]
    cut: Cut,
}

/// Output for the CLI's human renderings: no colour, nothing on stderr.
fn plain() -> Output {
    Output::new(Format::Human, ColorChoice::Never, true)
}

/// A query's error as a tool result: an unknown or ambiguous name lists its candidates as
/// a normal answer; anything else is an error result naming what to do.
fn failed(e: Error) -> CallToolResult {
    match e {
        Error::Usage(m) if m.starts_with("no ") || m.contains("is ambiguous") => not_found(m),
        other => error(other.to_string()),
    }
}

/// Parses a clap value name (`medium`, `body`) for argument `name`.
fn choice<T: clap::ValueEnum>(name: &str, value: Option<&str>) -> Result<Option<T>, String> {
    value
        .map(|v| {
            T::from_str(v, true).map_err(|_| {
                let names: Vec<String> = T::value_variants()
                    .iter()
                    .filter_map(|x| x.to_possible_value().map(|p| p.get_name().to_string()))
                    .collect();
                format!("`{name}` must be one of {}, not `{v}`", names.join(", "))
            })
        })
        .transpose()
}

impl Server {
    pub(super) fn new(workspace: Mutex<Workspace>) -> Server {
        Server {
            workspace: std::sync::Arc::new(workspace),
            tool_router: Self::tool_router(),
        }
    }

    /// Runs `f` on the freshly refreshed session; a workspace that does not load, or a
    /// poisoned lock, is an error result.
    fn with(
        &self,
        f: impl FnOnce(&crate::session::Session, &Scope) -> CallToolResult,
    ) -> CallToolResult {
        let mut guard = match self.workspace.lock() {
            Ok(g) => g,
            Err(p) => p.into_inner(),
        };
        match guard.fresh() {
            Ok(session) => {
                let (config, _) = crate::repo_config::read(&session.workspace);
                let scope = Scope {
                    packages: None,
                    exclude_paths: config.exclude_paths,
                };
                f(session, &scope)
            }
            Err(e) => error(format!(
                "the workspace could not be loaded: {e}; fix the manifest (or pass \
                 --manifest-path to `cargo parseltongue mcp`) and call again"
            )),
        }
    }
}

#[tool_router(router = tool_router)]
impl Server {
    /// search
    #[tool(
        name = "search",
        description = "Workspace items by name, path suffix, substring or glob; exact names first."
    )]
    async fn search(&self, Parameters(a): Parameters<SearchArgs>) -> CallToolResult {
        let kind = match choice::<crate::graph::NodeKind>("kind", a.kind.as_deref()) {
            Ok(k) => k,
            Err(m) => return error(m),
        };
        self.with(|s, scope| {
            let r = query::search::search(
                &s.graph,
                &a.pattern,
                kind,
                a.include_external.unwrap_or(false),
                scope,
                a.cut.limit(100),
            );
            let rows = r.matches.len();
            fit(
                Answer {
                    result: r,
                    rows,
                    cut: |r, n| r.matches.truncate(n),
                    render: |r| render::search(&plain(), r),
                    narrow: "use a longer pattern, a glob or `kind`",
                    limited: 0,
                },
                a.cut.max_tokens(),
            )
        })
    }

    /// what_implements
    #[tool(
        name = "what_implements",
        description = "Every impl of a trait: self type, location, written/derived/generated, confidence."
    )]
    async fn what_implements(&self, Parameters(a): Parameters<TraitArgs>) -> CallToolResult {
        self.with(|s, scope| {
            match query::implements::what_implements(&s.graph, &a.trait_name, scope) {
                Ok(mut r) => {
                    let all = r.impls.len();
                    r.impls.truncate(a.cut.limit(500));
                    let rows = r.impls.len();
                    fit(
                        Answer {
                            result: r,
                            rows,
                            cut: |r, n| r.impls.truncate(n),
                            render: |r| render::implementations(&plain(), r),
                            narrow: "pass `limit`, or ask exceptions with `trait` for defaults",
                            limited: all - rows,
                        },
                        a.cut.max_tokens(),
                    )
                }
                Err(e) => failed(e),
            }
        })
    }

    /// blast_radius
    #[tool(
        name = "blast_radius",
        description = "What depends on an item, or on the working-tree change (or `since` a revision): dependents by depth with edge, confidence and breaks/behaviour; tests inside."
    )]
    async fn blast_radius(&self, Parameters(a): Parameters<RadiusArgs>) -> CallToolResult {
        let min = match choice::<Confidence>("min_confidence", a.min_confidence.as_deref()) {
            Ok(m) => m.unwrap_or(Confidence::Medium),
            Err(m) => return error(m),
        };
        let change = match choice::<query::blast_radius::ChangeMode>("change", a.change.as_deref())
        {
            Ok(c) => c,
            Err(m) => return error(m),
        };
        self.with(|s, scope| match &a.entity {
            Some(entity) => {
                let opts = query::blast_radius::Options {
                    max_depth: a.depth,
                    limit: a.cut.limit(500),
                    min_confidence: min,
                    change,
                };
                match query::blast_radius::blast_radius(&s.graph, entity, &opts, scope) {
                    Ok(r) => {
                        let rows = r.levels.iter().map(|l| l.dependents.len()).sum();
                        fit(
                            Answer {
                                result: r,
                                rows,
                                cut: |r, n| {
                                    let mut left = n;
                                    for l in &mut r.levels {
                                        l.dependents.truncate(left);
                                        left -= l.dependents.len();
                                    }
                                    r.levels.retain(|l| !l.dependents.is_empty());
                                },
                                render: |r| render::blast_radius(&plain(), r),
                                narrow: "pass `depth`, `change` or `min_confidence: high`",
                                limited: 0,
                            },
                            a.cut.max_tokens(),
                        )
                    }
                    Err(e) => failed(e),
                }
            }
            None => {
                let selection = match &a.since {
                    Some(rev) => crate::changes::Selection::Since(rev.clone()),
                    None => crate::changes::Selection::Since("HEAD".into()),
                };
                match crate::changes::changed_entities(&s.graph, &s.workspace, &selection) {
                    Ok(changes) => {
                        let mut r = query::impact::impact(&s.graph, changes, min, None, None);
                        let all = r.affected.len();
                        r.affected.truncate(a.cut.limit(500));
                        let rows = r.affected.len();
                        fit(
                            Answer {
                                result: r,
                                rows,
                                cut: |r, n| r.affected.truncate(n),
                                render: |r| impact_report::human(&plain(), r),
                                narrow: "pass `min_confidence: high`, or ask per entity",
                                limited: all - rows,
                            },
                            a.cut.max_tokens(),
                        )
                    }
                    Err(e) => failed(e),
                }
            }
        })
    }

    /// neighbours
    #[tool(
        name = "neighbours",
        description = "The local graph around an item: its callers, callees, uses (dependencies) or users (dependents), with edge kinds and confidence."
    )]
    async fn neighbours(&self, Parameters(a): Parameters<NeighboursArgs>) -> CallToolResult {
        let (reverse, calls_only) = match a.direction.as_str() {
            "callers" => (true, true),
            "callees" => (false, true),
            "uses" => (false, false),
            "users" => (true, false),
            other => {
                return error(format!(
                    "`direction` must be callers, callees, uses or users, not `{other}`"
                ));
            }
        };
        self.with(|s, _| {
            let r = query::neighbourhood::neighbourhood(
                &s.graph,
                &a.entity,
                a.depth.unwrap_or(1),
                reverse,
                Confidence::Low,
                a.cut.limit(200),
            );
            match r {
                Ok(mut r) => {
                    if calls_only {
                        r.links.retain(|l| l.kind == EdgeKind::Calls);
                        let kept: std::collections::HashSet<&str> = r
                            .links
                            .iter()
                            .flat_map(|l| [l.from.as_str(), l.to.as_str()])
                            .collect();
                        let entity = r.entity.path.clone();
                        let members = std::mem::take(&mut r.members);
                        r.members = members
                            .into_iter()
                            .filter(|m| {
                                m.node.path == entity || kept.contains(m.node.path.as_str())
                            })
                            .collect();
                    }
                    let rows = r.members.len();
                    fit(
                        Answer {
                            result: r,
                            rows,
                            cut: |r, n| {
                                r.members.truncate(n);
                                let kept: std::collections::HashSet<String> =
                                    r.members.iter().map(|m| m.node.path.clone()).collect();
                                r.links
                                    .retain(|l| kept.contains(&l.from) && kept.contains(&l.to));
                            },
                            render: |r| render::neighbourhood(&plain(), r),
                            narrow: "lower `depth` or pass `limit`",
                            limited: 0,
                        },
                        a.cut.max_tokens(),
                    )
                }
                Err(e) => failed(e),
            }
        })
    }

    /// context
    #[tool(
        name = "context",
        description = "What an LLM needs to edit items (or the working-tree change) safely: signatures, users, implementors, blast radius; ranked Markdown cut to max_tokens."
    )]
    async fn context(&self, Parameters(a): Parameters<ContextArgs>) -> CallToolResult {
        let max_tokens = a
            .max_tokens
            .unwrap_or(DEFAULT_MAX_TOKENS)
            .clamp(200, MAX_MAX_TOKENS);
        self.with(|s, _| {
            use query::context::{Options, Subject};
            let subject = match &a.entities {
                Some(names) if !names.is_empty() => Subject::named(&s.graph, names),
                _ => {
                    let selection = crate::changes::Selection::Since(
                        a.since.clone().unwrap_or_else(|| "HEAD".into()),
                    );
                    crate::changes::changed_entities(&s.graph, &s.workspace, &selection)
                        .map(Subject::Changes)
                }
            };
            let subject = match subject {
                Ok(x) => x,
                Err(e) => return failed(e),
            };
            // The Markdown goes out twice (text, and inside the structured answer, where
            // JSON escapes cost a little more): each copy starts with under half the budget,
            // and the budget shrinks until the whole answer fits.
            let mut budget = max_tokens.saturating_sub(300) / 2;
            let mut answer = None;
            for _ in 0..4 {
                let opts = Options {
                    budget,
                    tokenizer: query::context::Tokenizer::Cl100k,
                    with_source: false,
                    min_confidence: Confidence::Medium,
                    root: s.workspace.root.clone(),
                };
                let r = match query::context::context(&s.graph, subject.clone(), &opts) {
                    Ok(r) => r,
                    Err(e) => return failed(e),
                };
                let markdown = query::context::markdown::render(&r);
                let value = serde_json::json!({
                    "title": r.title,
                    "markdown": markdown,
                    "budget": r.budget,
                    "left_out": r.left_out,
                    "truncated": !r.left_out.is_empty(),
                });
                let tokenizer = query::context::Tokenizer::Cl100k;
                let cost = tokenizer.count(&value.to_string()) + tokenizer.count(&markdown);
                let fits = cost <= max_tokens;
                answer = Some((value, markdown));
                if fits {
                    break;
                }
                budget = budget * max_tokens * 9 / (cost * 10).max(1);
            }
            let (value, markdown) = answer.expect("computed at least once");
            let mut result = CallToolResult::structured(value);
            result.content = vec![rmcp::model::ContentBlock::text(markdown)];
            result
        })
    }

    /// exceptions
    #[tool(
        name = "exceptions",
        description = "Where the workspace overrides what it inherits: redundant overrides, shadowing, ambiguous trait methods, lint levels (findings first)."
    )]
    async fn exceptions(&self, Parameters(a): Parameters<ExceptionsArgs>) -> CallToolResult {
        let kind = match choice::<crate::exceptions::ExceptionKind>("kind", a.kind.as_deref()) {
            Ok(k) => k,
            Err(m) => return error(m),
        };
        self.with(|s, scope| {
            let filter = query::exceptions::Filter {
                trait_name: a.trait_name.clone(),
                type_name: a.type_name.clone(),
                kind,
                all: a.all.unwrap_or(false),
                ..Default::default()
            };
            match query::exceptions::exceptions(&s.graph, &filter, scope, false) {
                Ok(mut r) => {
                    let all = r.exceptions.len();
                    r.exceptions.truncate(a.cut.limit(200));
                    let rows = r.exceptions.len();
                    fit(
                        Answer {
                            result: r,
                            rows,
                            cut: |r, n| {
                                r.exceptions.truncate(n);
                                r.impls.truncate(n);
                            },
                            render: |r| render::exceptions(&plain(), r),
                            narrow: "pass `kind`, `trait` or `type`",
                            limited: all - rows,
                        },
                        a.cut.max_tokens(),
                    )
                }
                Err(e) => failed(e),
            }
        })
    }

    /// resolve
    #[tool(
        name = "resolve",
        description = "Which definition `x.method()` runs for a value of a type, and why (inherent, impl, trait default, Deref, ambiguous)."
    )]
    async fn resolve(&self, Parameters(a): Parameters<ResolveArgs>) -> CallToolResult {
        self.with(
            |s, _| match query::resolve::resolve(&s.graph, &a.type_name, &a.method) {
                Ok(r) => fit(
                    Answer {
                        result: r,
                        rows: 0,
                        cut: |_, _| {},
                        render: |r| render::resolution(&plain(), r),
                        narrow: "",
                        limited: 0,
                    },
                    MAX_MAX_TOKENS,
                ),
                Err(e) => failed(e),
            },
        )
    }

    /// status
    #[tool(
        name = "status",
        description = "The workspace served: packages, snapshot freshness, coverage (unreached files, unexpanded macros, edges by confidence), problems."
    )]
    async fn status(&self, Parameters(a): Parameters<StatusArgs>) -> CallToolResult {
        self.with(|s, _| {
            let mut r = query::stats::report(&s.graph, &s.refresh, std::time::Duration::ZERO);
            r.coverage = query::coverage::coverage(&s.graph, &s.workspace);
            r.members = s
                .workspace
                .packages
                .iter()
                .map(|p| p.name.clone())
                .collect();
            r.current_package = s
                .workspace
                .current_package
                .map(|p| s.workspace.packages[p].name.clone());
            let rows = r.coverage.len();
            fit(
                Answer {
                    result: r,
                    rows,
                    cut: |r, n| r.coverage.truncate(n),
                    render: |r| render::build(&plain(), r),
                    narrow: "the JSON of `cargo parseltongue build --format json` has it all",
                    limited: 0,
                },
                a.cut.max_tokens(),
            )
        })
    }
}

#[tool_handler(router = self.tool_router)]
impl ServerHandler for Server {
    fn get_info(&self) -> ServerConfig {
        ServerConfig::new(ServerCapabilities::builder().enable_tools().build())
            .with_server_info(Implementation::new(
                "cargo-parseltongue",
                env!("CARGO_PKG_VERSION"),
            ))
            .with_instructions(
                "Code intelligence for this Cargo workspace, refreshed from the files before \
                 every call. Name items by path or unambiguous suffix (`Config::new`). Rows \
                 marked medium or low confidence rest on a guess.",
            )
    }
}
