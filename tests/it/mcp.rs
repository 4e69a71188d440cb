//! `cargo parseltongue mcp` driven by a client nobody here wrote (rmcp's client over the
//! child's stdio): initialise, list the tools, call each, compare with the CLI's JSON,
//! edit between calls, cut answers to `max_tokens`, and every bad input.

use crate::util::{copy_fixture, fixture, run_in};
use cargo_parseltongue::query::context::Tokenizer;
use rmcp::RoleClient;
use rmcp::model::{CallToolRequestParams, CallToolResult};
use rmcp::service::{RunningService, ServiceExt};
use rmcp::transport::{ConfigureCommandExt, TokioChildProcess};
use serde_json::{Value, json};
use std::path::Path;

/// A client connected to `cargo parseltongue mcp` run in `dir` (snapshot under `target`).
async fn connect(dir: &Path, target: &Path) -> RunningService<RoleClient, ()> {
    let command =
        tokio::process::Command::new(env!("CARGO_BIN_EXE_cargo-parseltongue")).configure(|c| {
            c.arg("mcp")
                .current_dir(dir)
                .env("CARGO_TARGET_DIR", target)
                .env_remove("CI");
        });
    let transport = TokioChildProcess::new(command).expect("the server starts");
    ().serve(transport).await.expect("initialize succeeds")
}

async fn call(
    client: &RunningService<RoleClient, ()>,
    tool: &'static str,
    args: Value,
) -> CallToolResult {
    let Value::Object(map) = args else {
        panic!("arguments are an object")
    };
    client
        .call_tool(CallToolRequestParams::new(tool).with_arguments(map))
        .await
        .unwrap_or_else(|e| panic!("{tool}: {e}"))
}

fn structured(r: &CallToolResult) -> &Value {
    r.structured_content.as_ref().expect("structuredContent")
}

fn text(r: &CallToolResult) -> String {
    r.content
        .iter()
        .filter_map(|c| c.as_text().map(|t| t.text.clone()))
        .collect()
}

/// The CLI's JSON answer without the envelope's fields.
fn cli_json(dir: &Path, target: &Path, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.extend(["--format", "json"]);
    let mut v = run_in(dir, target, &args).json();
    for key in [
        "format_version",
        "command",
        "partial",
        "coverage",
        "diagnostics",
        "stale_files",
    ] {
        v.as_object_mut().unwrap().remove(key);
    }
    // MCP answers say `truncated: false` where the CLI counts the rows its limit left out.
    if let Some(t) = v.get_mut("truncated").filter(|t| t.is_number()) {
        *t = Value::Bool(t.as_u64() != Some(0));
    }
    v
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn tools_are_listed_with_schemas_in_few_tokens() {
    runtime().block_on(async {
        let target = tempfile::tempdir().unwrap();
        let client = connect(&fixture("root_package"), target.path()).await;
        let info = client.peer_info().expect("server info");
        assert_eq!(
            info.server_info.as_ref().map(|i| i.name.as_str()),
            Some("cargo-parseltongue")
        );
        let tools = client.list_all_tools().await.unwrap();
        let mut names: Vec<&str> = tools.iter().map(|t| t.name.as_ref()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "blast_radius",
                "context",
                "exceptions",
                "neighbours",
                "resolve",
                "search",
                "status",
                "what_implements"
            ]
        );
        let listed = serde_json::to_string(&tools).unwrap();
        let tokens = Tokenizer::Cl100k.count(&listed);
        assert!(tokens < 2000, "tools/list costs {tokens} tokens");
        client.cancel().await.unwrap();
    });
}

#[test]
fn every_tool_answers_as_the_cli_does() {
    runtime().block_on(async {
        let dir = fixture("root_package");
        let target = tempfile::tempdir().unwrap();
        let client = connect(&dir, target.path()).await;
        let r = call(&client, "search", json!({"pattern": "RegexMatcher"})).await;
        assert_eq!(
            structured(&r),
            &cli_json(&dir, target.path(), &["search", "RegexMatcher"])
        );
        assert!(
            text(&r).starts_with("struct      finder_regex::RegexMatcher"),
            "{}",
            text(&r)
        );
        let r = call(&client, "what_implements", json!({"trait": "Matcher"})).await;
        assert_eq!(
            structured(&r),
            &cli_json(&dir, target.path(), &["what-implements", "Matcher"])
        );
        let r = call(
            &client,
            "blast_radius",
            json!({"entity": "RegexMatcher::new"}),
        )
        .await;
        assert_eq!(
            structured(&r),
            &cli_json(&dir, target.path(), &["blast-radius", "RegexMatcher::new"])
        );
        let r = call(&client, "exceptions", json!({})).await;
        assert_eq!(
            structured(&r),
            &cli_json(&dir, target.path(), &["exceptions"])
        );
        let r = call(
            &client,
            "resolve",
            json!({"type": "NoMatch", "method": "find"}),
        )
        .await;
        assert_eq!(
            structured(&r),
            &cli_json(&dir, target.path(), &["resolve", "NoMatch", "find"])
        );
        let r = call(
            &client,
            "neighbours",
            json!({"entity": "Searcher::search_slice", "direction": "callers"}),
        )
        .await;
        let members: Vec<&str> = structured(&r)["members"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["node"]["path"].as_str().unwrap())
            .collect();
        assert!(members.contains(&"finder::main"), "{members:?}");
        let r = call(
            &client,
            "context",
            json!({"entities": ["Matcher"], "max_tokens": 3000}),
        )
        .await;
        assert!(
            text(&r).starts_with("# Context: `finder_matcher::Matcher`"),
            "{}",
            text(&r)
        );
        let r = call(&client, "status", json!({})).await;
        assert_eq!(structured(&r)["members"].as_array().unwrap().len(), 4);
        assert!(structured(&r)["coverage"].is_array());
        client.cancel().await.unwrap();
    });
}

#[test]
fn an_edit_between_two_calls_is_in_the_second_answer() {
    runtime().block_on(async {
        let dir = copy_fixture("root_package");
        let target = tempfile::tempdir().unwrap();
        let client = connect(dir.path(), target.path()).await;
        let before = call(&client, "search", json!({"pattern": "brand_new_helper"})).await;
        assert_eq!(structured(&before)["matches"], json!([]));
        let lib = dir.path().join("crates/matcher/src/lib.rs");
        let mut source = std::fs::read_to_string(&lib).unwrap();
        source.push_str("\n/// Added mid-session.\npub fn brand_new_helper() {}\n");
        std::fs::write(&lib, source).unwrap();
        let after = call(&client, "search", json!({"pattern": "brand_new_helper"})).await;
        assert_eq!(
            structured(&after)["matches"][0]["path"],
            "finder_matcher::brand_new_helper"
        );
        // A file that stops parsing mid-session: its last good facts still answer.
        std::fs::write(&lib, "pub fn broken( {").unwrap();
        let stale = call(&client, "search", json!({"pattern": "brand_new_helper"})).await;
        assert_eq!(stale.is_error, Some(false));
        assert_eq!(
            structured(&stale)["matches"][0]["path"],
            "finder_matcher::brand_new_helper"
        );
        let status = call(&client, "status", json!({})).await;
        assert!(
            text(&status).contains("syntax error"),
            "the problem is reported: {}",
            text(&status)
        );
        client.cancel().await.unwrap();
    });
}

#[test]
fn answers_are_cut_to_max_tokens_and_say_so() {
    runtime().block_on(async {
        let target = tempfile::tempdir().unwrap();
        let client = connect(&fixture("workspace"), target.path()).await;
        let whole = call(&client, "search", json!({"pattern": "demo"})).await;
        let rows = structured(&whole)["matches"].as_array().unwrap().len();
        assert!(rows > 20, "{rows}");
        assert_eq!(structured(&whole)["truncated"], false);
        let cut = call(
            &client,
            "search",
            json!({"pattern": "demo", "max_tokens": 600}),
        )
        .await;
        let s = structured(&cut);
        assert_eq!(s["truncated"], true);
        let kept = s["matches"].as_array().unwrap().len();
        assert!(kept > 0 && kept < rows, "{kept} of {rows}");
        assert_eq!(s["left_out"], rows - kept);
        let tokens = Tokenizer::Cl100k.count(&s.to_string()) + Tokenizer::Cl100k.count(&text(&cut));
        assert!(tokens <= 600, "{tokens} tokens");
        assert!(text(&cut).contains("truncated:"), "{}", text(&cut));
        client.cancel().await.unwrap();
    });
}

#[test]
fn bad_input_is_an_answer_and_the_server_keeps_serving() {
    runtime().block_on(async {
        let dir = copy_fixture("root_package");
        let target = tempfile::tempdir().unwrap();
        let client = connect(dir.path(), target.path()).await;
        // An unknown tool: a protocol error.
        let unknown = client
            .call_tool(CallToolRequestParams::new("no_such_tool"))
            .await;
        assert!(unknown.is_err());
        // Bad arguments: an error result naming the argument.
        let bad = call(&client, "search", json!({"patern": "x"})).await;
        assert_eq!(bad.is_error, Some(true));
        assert!(text(&bad).contains("pattern"), "{}", text(&bad));
        let bad = call(
            &client,
            "neighbours",
            json!({"entity": "main", "direction": "up"}),
        )
        .await;
        assert_eq!(bad.is_error, Some(true));
        assert!(
            text(&bad).contains("callers, callees, uses or users"),
            "{}",
            text(&bad)
        );
        // An unknown name: the near matches, as a normal answer.
        let near = call(&client, "what_implements", json!({"trait": "Matchr"})).await;
        assert_eq!(near.is_error, Some(false));
        assert_eq!(structured(&near)["found"], false);
        assert_eq!(
            structured(&near)["candidates"],
            json!(["finder_matcher::Matcher"])
        );
        // A workspace that stops loading: an error result; fixed, it answers again.
        let manifest = dir.path().join("Cargo.toml");
        let good = std::fs::read_to_string(&manifest).unwrap();
        std::fs::write(&manifest, "[package\nname = ").unwrap();
        let client2 = connect(dir.path(), target.path()).await;
        let failed = call(&client2, "status", json!({})).await;
        assert_eq!(failed.is_error, Some(true));
        assert!(
            text(&failed).contains("could not be loaded"),
            "{}",
            text(&failed)
        );
        std::fs::write(&manifest, good).unwrap();
        let fixed = call(&client2, "status", json!({})).await;
        assert_eq!(fixed.is_error, Some(false), "{}", text(&fixed));
        // The first client still works.
        let r = call(&client, "search", json!({"pattern": "Searcher"})).await;
        assert_eq!(r.is_error, Some(false));
        client.cancel().await.unwrap();
        client2.cancel().await.unwrap();
    });
}

#[test]
fn a_closed_stdin_ends_the_server_and_releases_the_lock() {
    use std::io::Write;
    let target = tempfile::tempdir().unwrap();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-parseltongue"))
        .arg("mcp")
        .current_dir(fixture("root_package"))
        .env("CARGO_TARGET_DIR", target.path())
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    for line in [
        r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"raw","version":"1"}}}"#,
        r#"{"jsonrpc":"2.0","method":"notifications/initialized"}"#,
        r#"{"jsonrpc":"2.0","id":2,"method":"tools/call","params":{"name":"status","arguments":{}}}"#,
    ] {
        writeln!(stdin, "{line}").unwrap();
    }
    drop(stdin);
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // stdout is only protocol: every line is a JSON-RPC message.
    let stdout = String::from_utf8_lossy(&out.stdout);
    for line in stdout.lines() {
        let v: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
        assert_eq!(v["jsonrpc"], "2.0");
    }
    assert!(stdout.contains(r#""id":2"#), "{stdout}");
    // The lock is free: a CLI call does not wait for it.
    let cli = run_in(
        &fixture("root_package"),
        target.path(),
        &["build", "--lock-timeout", "0"],
    );
    assert_eq!(cli.code, 0, "{}", cli.stderr);
    assert!(!cli.stderr.contains("Blocking"), "{}", cli.stderr);
}

#[test]
fn the_official_python_sdk_drives_the_server() {
    // .ci/setup installs the SDK into target/ci-venv.
    let python = concat!(env!("CARGO_MANIFEST_DIR"), "/target/ci-venv/bin/python3");
    let has_sdk = std::process::Command::new(python)
        .args(["-c", "import mcp"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !has_sdk {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI runs .ci/setup, which installs the MCP Python SDK into target/ci-venv"
        );
        return;
    }
    let dir = copy_fixture("root_package");
    let target = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(python)
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/mcp/python_client.py"
        ))
        .arg(env!("CARGO_BIN_EXE_cargo-parseltongue"))
        .arg(dir.path())
        .env("CARGO_TARGET_DIR", target.path())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success() && stdout.contains("OK"),
        "{stdout}\n{stderr}"
    );
}

#[test]
fn every_tool_answers_on_a_vendored_real_crate_within_its_budget() {
    runtime().block_on(async {
        // fixtures/semver is the semver crate as published (see its VENDORED.md).
        let dir = fixture("semver");
        let target = tempfile::tempdir().unwrap();
        let client = connect(&dir, target.path()).await;
        let budget = 1500;
        for (tool, args) in [
            ("search", json!({"pattern": "Version"})),
            ("what_implements", json!({"trait": "Display"})),
            ("blast_radius", json!({"entity": "Version::parse"})),
            (
                "neighbours",
                json!({"entity": "VersionReq::matches", "direction": "users"}),
            ),
            ("context", json!({"entities": ["VersionReq"]})),
            ("exceptions", json!({"all": true})),
            ("resolve", json!({"type": "Version", "method": "cmp"})),
            ("status", json!({})),
        ] {
            let mut args = args;
            args["max_tokens"] = json!(budget);
            let r = call(&client, tool, args).await;
            assert_eq!(r.is_error, Some(false), "{tool}: {}", text(&r));
            assert!(!text(&r).trim().is_empty(), "{tool} answered nothing");
            let s = structured(&r);
            let tokens =
                Tokenizer::Cl100k.count(&s.to_string()) + Tokenizer::Cl100k.count(&text(&r));
            assert!(tokens <= budget, "{tool}: {tokens} tokens over {budget}");
        }
        // The same answer as the CLI's.
        let r = call(&client, "what_implements", json!({"trait": "Display"})).await;
        assert_eq!(
            structured(&r),
            &cli_json(&dir, target.path(), &["what-implements", "Display"])
        );
        client.cancel().await.unwrap();
    });
}
