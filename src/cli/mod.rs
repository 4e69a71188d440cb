//! The command-line front end: argument normalisation, dispatch, and the mapping of
//! outcomes to exit codes. The only place that decides the process's exit code.

pub mod args;
mod diagram;
mod impact_report;
mod mcp;
pub mod output;
mod progress;
mod render;

use crate::error::{Error, Result};
use crate::exit_code;
use crate::query::{self, Scope};
use crate::source::DiskSource;
use crate::workspace;
use args::{CargoCli, Cli, Command, Format};
use output::Output;
use std::ffi::OsString;
use std::time::Instant;

/// Inserts `parseltongue` after the program name unless cargo already put it there, so
/// `cargo parseltongue …`, `cargo-parseltongue …` and `cargo run -- …` parse alike.
pub fn normalize_args(args: impl IntoIterator<Item = OsString>) -> Vec<OsString> {
    let mut args: Vec<OsString> = args.into_iter().collect();
    if args.is_empty() {
        args.push(OsString::from("cargo-parseltongue"));
    }
    if args.get(1).is_none_or(|a| a != "parseltongue") {
        args.insert(1, OsString::from("parseltongue"));
    }
    args
}

/// Runs the tool with the process's arguments; returns the exit code.
pub fn main() -> i32 {
    use clap::{CommandFactory, FromArgMatches};
    let args = normalize_args(std::env::args_os());
    let parsed = CargoCli::command()
        .try_get_matches_from(args)
        .and_then(|m| CargoCli::from_arg_matches(&m).map(|c| (c, m)));
    let (CargoCli::Parseltongue(mut cli), matches) = match parsed {
        Ok(c) => c,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                exit_code::USAGE
            } else {
                exit_code::SUCCESS
            };
        }
    };
    // Which of the command's options the user gave (the rest may come from the
    // repository's configuration).
    let given: Vec<String> = matches
        .subcommand_matches("parseltongue")
        .and_then(|m| m.subcommand())
        .map(|(_, m)| {
            m.ids()
                .filter(|id| {
                    matches!(
                        m.value_source(id.as_str()),
                        Some(clap::parser::ValueSource::CommandLine)
                            | Some(clap::parser::ValueSource::EnvVariable)
                    )
                })
                .map(|id| id.as_str().to_string())
                .collect()
        })
        .unwrap_or_default();
    cli.given = given;
    let format = cli.global.format_for(&cli.command);
    let out = Output::new(format, cli.global.color, cli.global.quiet);
    match run(&cli, &out) {
        Ok(code) => code,
        Err(Error::Fatal(e)) if is_broken_pipe(&e) => exit_code::SUCCESS,
        Err(e) => {
            let message = match &e {
                Error::Fatal(inner) => format!("{inner:?}"),
                other => other.to_string(),
            };
            out.error(&message);
            e.exit_code()
        }
    }
}

/// The graph restricted to the configuration the flags ask for (see [`crate::cfg`]).
fn configure(
    g: &args::GlobalOptions,
    ws: &workspace::Workspace,
    selected: &[usize],
    graph: &crate::graph::Graph,
    out: &Output,
) -> Result<crate::graph::Graph> {
    let target = crate::cfg::target_cfg(g.target.as_deref()).map_err(Error::Usage)?;
    let packages = ws
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.features.clone()))
        .collect();
    let member_deps = ws
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.member_deps.clone()))
        .collect();
    let request = crate::cfg::FeatureRequest {
        features: g.features.clone(),
        all: g.all_features,
        no_default: g.no_default_features,
        // As cargo builds `-p x` (or `--exclude y`): features unify over what it selects.
        selected: if selected.len() == ws.packages.len() {
            Vec::new()
        } else {
            selected
                .iter()
                .map(|&i| ws.packages[i].name.clone())
                .collect()
        },
    };
    // `--cfg` values from RUSTFLAGS and `.cargo/config.toml`, as cargo passes them to rustc.
    let (mut cfgs, why) = crate::cfg::rustflags_cfgs(g.target.as_deref());
    if let Some(why) = why {
        out.warning(&format!(
            "cfgs from RUSTFLAGS and cargo config not read: {why}"
        ));
    }
    cfgs.extend(g.cfgs.iter().cloned());
    let mut config = crate::cfg::Configuration::new(&target, &cfgs, &packages, &request)
        .map_err(Error::Usage)?;
    config.unify_member_features(&packages, &member_deps);
    let (configured, removed) = crate::cfg::restrict(graph, &config);
    out.status(
        "Configured",
        &format!("{removed} items outside the requested cfg left out"),
    );
    Ok(configured)
}

/// `command` with the options the user did not give (`given` holds clap's ids of those
/// given) set from the repository's configuration, where it sets them.
fn with_repo_defaults(
    command: &Command,
    config: &crate::repo_config::RepoConfig,
    given: &[String],
) -> Command {
    let mut command = command.clone();
    let unset = |id: &str| !given.iter().any(|g| g == id);
    let confidence = |c: &mut crate::graph::Confidence| {
        if let Some(m) = config.min_confidence
            && unset("min_confidence")
        {
            *c = m;
        }
    };
    match &mut command {
        Command::BlastRadius {
            entity,
            max,
            max_crates,
            min_confidence,
            ..
        } => {
            confidence(min_confidence);
            // The gate is for change sets only.
            if entity.is_none() {
                if unset("max") && max.is_none() {
                    *max = config.max;
                }
                if unset("max_crates") && max_crates.is_none() {
                    *max_crates = config.max_crates;
                }
            }
        }
        Command::Context {
            budget,
            tokenizer,
            min_confidence,
            ..
        } => {
            confidence(min_confidence);
            if let Some(b) = config.budget
                && unset("budget")
            {
                *budget = b;
            }
            if let Some(t) = config.tokenizer
                && unset("tokenizer")
            {
                *tokenizer = t;
            }
        }
        Command::Graph { min_confidence, .. } | Command::FindCycles { min_confidence, .. } => {
            confidence(min_confidence)
        }
        _ => {}
    }
    command
}

/// The change selection of `--since`, `--staged` and `--files`.
fn selection(
    since: &Option<String>,
    staged: bool,
    files: &[std::path::PathBuf],
) -> crate::changes::Selection {
    match (since, staged) {
        (Some(rev), _) => crate::changes::Selection::Since(rev.clone()),
        (None, true) => crate::changes::Selection::Staged,
        (None, false) => crate::changes::Selection::Files(files.to_vec()),
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| {
        c.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// Checks that `command` can print `format` before any work is done.
fn check_format(command: &Command, format: Format) -> Result<()> {
    let changes = matches!(command, Command::BlastRadius { entity: None, .. });
    let context = matches!(command, Command::Context { .. });
    let ok = match format {
        Format::Human | Format::Json => true,
        Format::Dot | Format::Mermaid => matches!(
            command,
            Command::Graph { .. } | Command::FindCycles { .. } | Command::BlastRadius { .. }
        ),
        Format::Markdown => changes || context,
        Format::Sarif => changes,
    };
    if ok {
        return Ok(());
    }
    let name = format!("{format:?}").to_lowercase();
    Err(Error::Usage(match format {
        Format::Markdown => "--format markdown is for context and for blast-radius of a change \
                             set (--since, --staged or --files)"
            .to_string(),
        Format::Sarif => {
            "--format sarif is for blast-radius of a change set (--since, --staged or --files)"
                .to_string()
        }
        _ => format!("--format {name} is for graph, find-cycles and blast-radius"),
    }))
}

fn run(cli: &Cli, out: &Output) -> Result<i32> {
    let g = &cli.global;
    check_format(&cli.command, out.format)?;
    if let Command::Ingest { dump, crate_name } = &cli.command {
        return ingest(out, dump, crate_name);
    }
    if let Command::Mcp = &cli.command {
        return mcp_server(g);
    }
    if let Command::Completions { shell } = &cli.command {
        out.text(&completions(*shell))?;
        return Ok(exit_code::SUCCESS);
    }
    let start = Instant::now();
    let ws = workspace::load(&g.metadata_options())?;
    let metadata_time = start.elapsed();
    let selected = ws.select(&g.packages, &g.exclude)?;
    let (config, config_warnings) = crate::repo_config::read(&ws);
    for w in &config_warnings {
        out.warning(w);
    }
    let command = with_repo_defaults(&cli.command, &config, &cli.given);
    let scope = Scope {
        packages: Some(
            selected
                .iter()
                .map(|&i| ws.packages[i].name.clone())
                .collect(),
        ),
        exclude_paths: config.exclude_paths.clone(),
    };
    let started = Instant::now();
    let options = crate::engine::Options {
        progress: Some(std::sync::Arc::default()),
        ..g.refresh_options()
    };
    let progress = options.progress.clone().expect("set above");
    let (graph, refresh) = progress::while_running(out, &progress, || {
        crate::engine::refresh(&ws, &DiskSource, options, &mut || {
            out.status("Blocking", "waiting for file lock on parseltongue snapshot")
        })
    })
    .map_err(|e| Error::Usage(e.to_string()))?;
    for w in &refresh.warnings {
        out.warning(w);
    }
    if g.timings {
        out.status(
            "Timings",
            &render::timings(&refresh, metadata_time, ws.metadata_reused),
        );
    }
    let stale = graph.stale_files();
    if !stale.is_empty() {
        out.warning(&format!(
            "answers use the last good facts of {} (they do not parse now; stale)",
            stale.join(", ")
        ));
        out.set_stale(stale.iter().map(|s| s.to_string()).collect());
    }
    if refresh.rebuilt_because.is_some() {
        out.status(
            "Indexed",
            &format!(
                "{} crates, {} files in {:.2}s",
                graph.crates.len(),
                graph.files.len(),
                started.elapsed().as_secs_f64()
            ),
        );
    }
    // `build` lists the problems in its result. Other commands warn in full about the
    // problems of files this refresh parsed, and count the known ones in one line.
    if !matches!(cli.command, Command::Build { .. }) {
        let parsed: std::collections::HashSet<&str> = refresh
            .explain
            .iter()
            .filter(|e| e.action == crate::engine::explain::Action::Reparsed)
            .map(|e| e.path.as_str())
            .collect();
        let (new, known): (Vec<_>, Vec<_>) = graph
            .diagnostics
            .iter()
            .filter(|d| !d.kind.is_coverage_note())
            .partition(|d| parsed.contains(d.file.as_str()));
        for d in new {
            out.warning(&d.to_string());
        }
        if !known.is_empty() {
            out.warning(&format!(
                "{} known problem{} in the indexed files; `cargo parseltongue build` lists {}",
                known.len(),
                if known.len() == 1 { "" } else { "s" },
                if known.len() == 1 { "it" } else { "them" }
            ));
        }
    }
    // `build` and `export` carry the diagnostics in their result.
    if !matches!(cli.command, Command::Build { .. } | Command::Export) {
        out.set_diagnostics(
            graph
                .diagnostics
                .iter()
                .filter(|d| !d.kind.is_coverage_note())
                .cloned()
                .collect(),
        );
    }
    // A JSON answer says what the graph holds of each package (`build` has it in its result).
    if out.format == args::Format::Json && !matches!(cli.command, Command::Build { .. }) {
        out.set_coverage(query::coverage::coverage(&graph, &ws));
    }
    let partial = graph.is_partial();
    let done = if partial {
        exit_code::PARTIAL
    } else {
        exit_code::SUCCESS
    };
    // Queries see the configuration asked for; `build` reports on the whole graph.
    let graph = if g.configured() && !matches!(cli.command, Command::Build { .. }) {
        configure(g, &ws, &selected, &graph, out)?
    } else {
        graph
    };
    match &command {
        Command::Build {
            explain,
            unresolved,
        } => {
            let mut r = query::stats::report(&graph, &refresh, metadata_time);
            r.coverage = query::coverage::coverage(&graph, &ws);
            r.members = ws.packages.iter().map(|p| p.name.clone()).collect();
            r.current_package = ws.current_package.map(|p| ws.packages[p].name.clone());
            for w in r.coverage.iter().filter_map(|c| c.warning.as_ref()) {
                out.warning(w);
            }
            if *explain {
                r.explain = Some(refresh.explain.clone());
            }
            if *unresolved {
                r.unresolved = Some(query::coverage::unresolved(&graph));
            }
            out.result("build", partial, &r, || render::build(out, &r))?;
        }
        Command::WhatImplements { trait_name } => {
            let r = query::implements::what_implements(&graph, trait_name, &scope)?;
            out.result("what-implements", partial, &r, || {
                render::implementations(out, &r)
            })?;
        }
        Command::BlastRadius {
            entity: Some(entity),
            depth,
            limit,
            min_confidence,
            change,
            ..
        } => {
            let opts = query::blast_radius::Options {
                max_depth: *depth,
                limit: *limit,
                min_confidence: *min_confidence,
                change: *change,
            };
            let r = query::blast_radius::blast_radius(&graph, entity, &opts, &scope)?;
            out.result("blast-radius", partial, &r, || match out.format {
                Format::Dot => diagram::Diagram::of_blast_radius(&r).dot(),
                Format::Mermaid => diagram::Diagram::of_blast_radius(&r).mermaid(),
                _ => render::blast_radius(out, &r),
            })?;
        }
        Command::BlastRadius {
            entity: None,
            since,
            staged,
            files,
            min_confidence,
            max,
            max_crates,
            ..
        } => {
            let selection = selection(since, *staged, files);
            let changes = crate::changes::changed_entities(&graph, &ws, &selection)?;
            let r = query::impact::impact(&graph, changes, *min_confidence, *max, *max_crates);
            let focus = impact_report::changed_nodes(&r, &graph);
            let picture = || diagram::Diagram::of_impact(&r, &focus);
            out.result("blast-radius", partial, &r, || match out.format {
                Format::Markdown => impact_report::markdown(&r, &picture()),
                Format::Sarif => impact_report::sarif(&r),
                Format::Dot => picture().dot(),
                Format::Mermaid => picture().mermaid(),
                _ => {
                    let mut text = impact_report::human(out, &r);
                    if std::env::var_os("GITHUB_ACTIONS").is_some_and(|v| v == "true") {
                        text.push_str(&impact_report::github_annotations(&r));
                    }
                    text
                }
            })?;
            if !r.gate.tripped.is_empty() {
                for t in &r.gate.tripped {
                    out.error(&format!("blast-radius gate tripped: {t}"));
                }
                return Ok(exit_code::FINDINGS);
            }
        }
        Command::Context {
            entities,
            since,
            staged,
            files,
            budget,
            tokenizer,
            with_source,
            output,
            min_confidence,
        } => {
            use query::context::{Options, Subject};
            let subject = if entities.is_empty() {
                let selection = selection(since, *staged, files);
                Subject::Changes(crate::changes::changed_entities(&graph, &ws, &selection)?)
            } else {
                Subject::named(&graph, entities)?
            };
            let opts = Options {
                budget: *budget,
                tokenizer: *tokenizer,
                with_source: *with_source,
                min_confidence: *min_confidence,
                root: ws.root.clone(),
            };
            let r = query::context::context(&graph, subject, &opts)?;
            out.result_to(output.as_deref(), "context", partial, &r, || {
                query::context::markdown::render(&r)
            })?;
            if let Some(file) = output {
                out.status(
                    "Wrote",
                    &format!(
                        "{} ({} of {} tokens, {})",
                        file.display(),
                        r.budget.used,
                        r.budget.limit,
                        r.budget.tokenizer
                    ),
                );
            }
        }
        Command::Graph {
            entity,
            depth,
            reverse,
            limit,
            min_confidence,
        } => {
            let r = query::neighbourhood::neighbourhood(
                &graph,
                entity,
                *depth,
                *reverse,
                *min_confidence,
                *limit,
            )?;
            out.result("graph", partial, &r, || match out.format {
                Format::Dot => diagram::Diagram::of_neighbourhood(&r).dot(),
                Format::Mermaid => diagram::Diagram::of_neighbourhood(&r).mermaid(),
                _ => render::neighbourhood(out, &r),
            })?;
        }
        Command::FindCycles {
            level,
            deny,
            min_confidence,
        } => {
            let r = query::cycles::find_cycles(&graph, *level, *min_confidence, &scope);
            out.result("find-cycles", partial, &r, || match out.format {
                Format::Dot => diagram::Diagram::of_cycles(&r).dot(),
                Format::Mermaid => diagram::Diagram::of_cycles(&r).mermaid(),
                _ => render::cycles(out, &r),
            })?;
            if *deny && !r.cycles.is_empty() {
                return Ok(exit_code::FINDINGS);
            }
        }
        Command::Search {
            pattern,
            kind,
            include_external,
            limit,
        } => {
            let r =
                query::search::search(&graph, pattern, *kind, *include_external, &scope, *limit);
            out.result("search", partial, &r, || render::search(out, &r))?;
        }
        Command::Exceptions {
            trait_name,
            item,
            type_name,
            source,
            kind,
            min_confidence,
            stats,
            all,
            import,
        } => {
            for file in import {
                let text = read_capped(file).map_err(|e| {
                    Error::Usage(format!(
                        "could not read {}: {e}; check the path given to --import",
                        file.display()
                    ))
                })?;
                let done = query::exceptions::import(&graph, &text, &file.display().to_string())?;
                for s in &done.skipped {
                    out.warning(&format!("{}: skipped {s}", file.display()));
                }
                out.status(
                    "Imported",
                    &format!("{} exceptions from {}", done.added, file.display()),
                );
            }
            let filter = query::exceptions::Filter {
                trait_name: trait_name.clone(),
                item: item.clone(),
                type_name: type_name.clone(),
                source: *source,
                kind: *kind,
                min_confidence: *min_confidence,
                all: *all,
            };
            let r = query::exceptions::exceptions(&graph, &filter, &scope, *stats)?;
            out.result("exceptions", partial, &r, || render::exceptions(out, &r))?;
        }
        Command::Resolve { type_name, method } => {
            let r = query::resolve::resolve(&graph, type_name, method)?;
            out.result("resolve", partial, &r, || render::resolution(out, &r))?;
        }
        Command::Export => {
            out.result("export", partial, &graph, || render::export(&graph))?;
        }
        Command::Ingest { .. } | Command::Completions { .. } | Command::Mcp => {
            unreachable!("handled above")
        }
    }
    // The answer is out and the process exits next (`main` returns the exit code to
    // `std::process::exit`): the graph's memory goes back with the process, not freed
    // piece by piece first.
    std::mem::forget(graph);
    Ok(done)
}

/// `cargo parseltongue mcp`: the workspace the global flags name, served until the client
/// disconnects.
fn mcp_server(g: &args::GlobalOptions) -> Result<i32> {
    // `--rebuild` would rebuild before every call of the session: it means nothing here.
    let options = crate::engine::Options {
        force: false,
        ..g.refresh_options()
    };
    mcp::serve(g.metadata_options(), options)
}

/// The completion script of `shell` for the `cargo-parseltongue` binary, which takes the
/// same arguments as `cargo parseltongue`.
fn completions(shell: clap_complete::Shell) -> String {
    use clap::Args;
    let mut command = Cli::augment_args(clap::Command::new("cargo-parseltongue"));
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut command, "cargo-parseltongue", &mut script);
    let script = String::from_utf8_lossy(&script).into_owned();
    // clap_complete's bash script spells the state of a hyphenated binary's subcommands two
    // ways (`cargo__parseltongue__subcmd__…` while walking the words, and
    // `cargo__subcmd__parseltongue__subcmd__…` in the case arms; clap-rs/clap#6421), so no
    // option after a subcommand would complete: the arms get the walk's spelling.
    if shell == clap_complete::Shell::Bash {
        script.replace("cargo__subcmd__parseltongue", "cargo__parseltongue")
    } else {
        script
    }
}

/// A text file the user names (`--import`, a dump), read up to the source size cap
/// ([`crate::parse::MAX_FILE_LEN`]) so `/dev/zero` cannot exhaust memory.
fn read_capped(path: &std::path::Path) -> std::io::Result<String> {
    use std::io::Read;
    let cap = crate::parse::MAX_FILE_LEN as u64;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(cap + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > cap {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("larger than {cap} bytes"),
        ));
    }
    String::from_utf8(bytes)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e.to_string()))
}

fn ingest(out: &Output, dump: &std::path::Path, crate_name: &str) -> Result<i32> {
    let text = read_capped(dump).map_err(|e| {
        Error::Usage(format!(
            "could not read the dump {}: {e}; check the path",
            dump.display()
        ))
    })?;
    let start = Instant::now();
    let built = crate::ingest::ingest(&text, crate_name);
    let graph = built.graph;
    out.status(
        "Indexed",
        &format!(
            "{} files from {} in {:.2}s",
            graph.files.len(),
            dump.display(),
            start.elapsed().as_secs_f64()
        ),
    );
    for d in &graph.diagnostics {
        out.warning(&d.to_string());
    }
    let partial = graph.is_partial();
    let refresh = crate::engine::Refresh {
        rebuilt_because: Some("ingested from a dump".into()),
        timings: crate::engine::explain::Timings {
            read: built.timings.read,
            parse: built.timings.parse,
            read_parse_wall: built.timings.read_parse_wall,
            link: built.timings.resolve,
            ..Default::default()
        },
        ..Default::default()
    };
    let mut report = query::stats::report(&graph, &refresh, std::time::Duration::ZERO);
    report.persisted = false;
    match out.format {
        args::Format::Json => out.result("ingest", partial, &graph, String::new),
        _ => out.result("ingest", partial, &report, || render::build(out, &report)),
    }?;
    Ok(if partial {
        exit_code::PARTIAL
    } else {
        exit_code::SUCCESS
    })
}

#[cfg(test)]
mod tests {
    use super::normalize_args;
    use std::ffi::OsString;

    fn norm(args: &[&str]) -> Vec<String> {
        normalize_args(args.iter().map(OsString::from))
            .into_iter()
            .map(|a| a.into_string().unwrap())
            .collect()
    }

    #[test]
    fn the_subcommand_name_is_inserted_once() {
        assert_eq!(
            norm(&["cargo-parseltongue", "parseltongue", "build"]),
            ["cargo-parseltongue", "parseltongue", "build"]
        );
        assert_eq!(
            norm(&["cargo-parseltongue", "build"]),
            ["cargo-parseltongue", "parseltongue", "build"]
        );
        assert_eq!(
            norm(&["cargo-parseltongue"]),
            ["cargo-parseltongue", "parseltongue"]
        );
        assert_eq!(norm(&[]), ["cargo-parseltongue", "parseltongue"]);
    }
}
