//! Invocation, help, exit codes and errors.

use crate::util::{fixture, run, run_in, settings};
use insta::assert_snapshot;

#[test]
fn help_lists_every_command() {
    let out = run("workspace", &["--help"]);
    assert_eq!(out.code, 0);
    settings().bind(|| assert_snapshot!("help", out.stdout));
}

#[test]
fn cargo_style_invocation_with_the_subcommand_name_works() {
    let out = run(
        "workspace",
        &["parseltongue", "what-implements", "Shape", "-q"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Circle"));
}

#[test]
fn exit_code_success_partial_usage_findings() {
    assert_eq!(
        run("workspace", &["what-implements", "Named", "-q"]).code,
        0
    );
    assert_eq!(run("broken", &["what-implements", "Check", "-q"]).code, 1);
    assert_eq!(run("workspace", &["what-implements", "Nope", "-q"]).code, 2);
    assert_eq!(run("workspace", &["no-such-command"]).code, 2);
    assert_eq!(
        run("workspace", &["find-cycles", "--deny", "--workspace", "-q"]).code,
        100
    );
}

#[test]
fn unknown_entity_suggests_near_matches() {
    let out = run("workspace", &["what-implements", "Shap", "--workspace"]);
    assert_eq!(out.code, 2);
    settings().bind(|| assert_snapshot!("unknown_entity", out.transcript()));
}

#[test]
fn ambiguous_entity_lists_candidates() {
    let out = run("workspace", &["blast-radius", "name", "--workspace"]);
    assert_eq!(out.code, 2);
    settings().bind(|| assert_snapshot!("ambiguous_entity", out.transcript()));
}

#[test]
fn unknown_package_is_a_usage_error() {
    let out = run("workspace", &["build", "-p", "nope"]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("package `nope` is not a member"),
        "{}",
        out.stderr
    );
}

#[test]
fn missing_manifest_gives_cargos_message_and_the_usage_code() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_in(
        dir.path(),
        dir.path(),
        &["build", "--manifest-path", "nowhere/Cargo.toml"],
    );
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.starts_with("error: `cargo metadata` failed"),
        "{}",
        out.stderr
    );
}

#[test]
fn invalid_manifest_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("Cargo.toml"), "[package\nname = 1").unwrap();
    let out = run_in(dir.path(), dir.path(), &["build"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
}

#[test]
fn manifest_path_accepts_a_directory() {
    let target = tempfile::tempdir().unwrap();
    let dir = fixture("workspace");
    let out = run_in(
        std::env::temp_dir().as_path(),
        target.path(),
        &[
            "what-implements",
            "Shape",
            "-q",
            "--manifest-path",
            dir.to_str().unwrap(),
        ],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("Square"));
}

#[test]
fn broken_pipe_is_not_an_error() {
    use std::process::{Command, Stdio};
    let target = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_cargo-parseltongue"))
        .args(["export", "-q"])
        .current_dir(fixture("workspace"))
        .env("CARGO_TARGET_DIR", target.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take()); // the reader goes away at once
    let out = child.wait_with_output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn ingest_builds_a_graph_from_a_code_dump() {
    let dir = tempfile::tempdir().unwrap();
    let dump = dir.path().join("dump.txt");
    std::fs::write(
        &dump,
        "FILE: src/lib.rs\npub mod net;\npub trait Greet { fn hi(&self) {} }\n\
         FILE: src/net.rs\npub struct Config;\nimpl crate::Greet for Config {}\n\
         FILE: src/main.rs\nuse dump::net::Config;\nfn main() { let _ = Config; }\n",
    )
    .unwrap();
    let out = run_in(
        dir.path(),
        dir.path(),
        &["ingest", dump.to_str().unwrap(), "--format", "json", "-q"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let json = out.json();
    let paths: Vec<&str> = json["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["path"].as_str().unwrap())
        .collect();
    assert!(paths.contains(&"dump::net::Config"), "{paths:?}");
    assert!(
        paths.contains(&"dump::net::impl crate::Greet for Config"),
        "{paths:?}"
    );
    let human = run_in(dir.path(), dir.path(), &["ingest", dump.to_str().unwrap()]);
    assert!(human.stdout.contains("3 files"), "{}", human.stdout);
    // It says plainly that nothing is kept for later commands.
    assert!(
        human
            .stdout
            .contains("snapshot: none written (ingest prints the dump's graph"),
        "{}",
        human.stdout
    );
    assert!(!human.stdout.contains("rebuilt"), "{}", human.stdout);
}

#[test]
fn color_flag_beats_cargo_term_color() {
    use std::process::Command;
    let target = tempfile::tempdir().unwrap();
    let run = |env: &str, flag: Option<&str>| {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_cargo-parseltongue"));
        cmd.args(["what-implements", "Shape"])
            .current_dir(fixture("workspace"));
        cmd.env("CARGO_TARGET_DIR", target.path())
            .env("CARGO_TERM_COLOR", env)
            .env_remove("NO_COLOR");
        if let Some(f) = flag {
            cmd.args(["--color", f]);
        }
        let out = cmd.output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned() + &String::from_utf8_lossy(&out.stderr)
    };
    assert!(run("always", None).contains('\u{1b}'));
    assert!(!run("always", Some("never")).contains('\u{1b}'));
    assert!(run("never", Some("always")).contains('\u{1b}'));
}

#[test]
fn a_lock_timeout_no_duration_holds_is_a_usage_error() {
    // `--lock-timeout inf` used to panic in `Duration::from_secs_f64`.
    for bad in ["inf", "NaN", "1e30", "--5"] {
        let arg = format!("--lock-timeout={bad}");
        let out = run("workspace", &["build", &arg]);
        assert_eq!(out.code, 2, "{bad}: {}", out.stderr);
        assert!(!out.stderr.contains("panicked"), "{}", out.stderr);
    }
    assert_eq!(
        run("workspace", &["build", "--lock-timeout", "2.5", "-q"]).code,
        0
    );
}

#[cfg(unix)]
#[test]
fn endless_inputs_named_on_the_command_line_are_refused() {
    // `/dev/zero` used to be read without bound.
    let out = run("workspace", &["ingest", "/dev/zero"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("larger than"), "{}", out.stderr);
    let out = run("workspace", &["exceptions", "--import", "/dev/zero", "-q"]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("larger than"), "{}", out.stderr);
}

#[test]
fn terminal_escapes_in_sources_are_printed_escaped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"esc\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    // A doc comment that would set the terminal's title and clear the screen.
    std::fs::write(
        dir.path().join("src/lib.rs"),
        "/// Sets \u{1b}]0;pwned\u{7} the title \u{1b}[2J.\npub fn sneaky() {}\n",
    )
    .unwrap();
    let out = run_in(dir.path(), dir.path(), &["context", "sneaky"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(!out.stdout.contains('\u{1b}'), "{:?}", out.stdout);
    assert!(!out.stdout.contains('\u{7}'), "{:?}", out.stdout);
    assert!(
        out.stdout.contains("\\u{1b}]0;pwned\\u{7}"),
        "{}",
        out.stdout
    );
}

#[test]
fn operator_chains_too_deep_for_the_parser_are_skipped_not_fatal() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"deep\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("src/lib.rs"),
        "pub mod deep;\npub fn fine() {}\n",
    )
    .unwrap();
    let git = |args: &[&str]| {
        let out = std::process::Command::new("git")
            .args(args)
            .current_dir(dir.path())
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.invalid")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.invalid")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    };
    std::fs::write(dir.path().join("src/deep.rs"), "pub type T = u8;\n").unwrap();
    git(&["init", "-q"]);
    git(&["add", "."]);
    git(&["commit", "-q", "-m", "base"]);
    // 100,000 `&`: the parser's stack overflowed (exit 134) before the guard counted them.
    let chain = format!("pub type T = {}u8;\n", "&".repeat(100_000));
    std::fs::write(dir.path().join("src/deep.rs"), chain).unwrap();
    let out = run_in(dir.path(), dir.path(), &["build"]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(out.stdout.contains("src/deep.rs"), "{}", out.stdout);
    assert!(out.stdout.contains("file skipped"), "{}", out.stdout);
    // Change detection parses both sides on its own: the same guard.
    let out = run_in(
        dir.path(),
        dir.path(),
        &["blast-radius", "--files", "src/deep.rs"],
    );
    assert!(matches!(out.code, 0 | 1), "{}: {}", out.code, out.stderr);
}

#[cfg(unix)]
#[test]
fn a_symlink_leaving_the_workspace_is_not_followed() {
    let outside = tempfile::tempdir().unwrap();
    std::fs::create_dir(outside.path().join("dir")).unwrap();
    std::fs::write(
        outside.path().join("dir/mod.rs"),
        "pub fn outside_dir() {}\n",
    )
    .unwrap();
    std::fs::write(outside.path().join("file.rs"), "pub fn outside_file() {}\n").unwrap();
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"links\"\nversion = \"0.1.0\"\nedition = \"2021\"\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("src/lib.rs"),
        "mod shared;\nmod single;\nmod inside;\npub fn fine() {}\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("src/real.rs"), "pub fn inside_link() {}\n").unwrap();
    std::os::unix::fs::symlink(outside.path().join("dir"), dir.path().join("src/shared")).unwrap();
    std::os::unix::fs::symlink(
        outside.path().join("file.rs"),
        dir.path().join("src/single.rs"),
    )
    .unwrap();
    std::os::unix::fs::symlink("real.rs", dir.path().join("src/inside.rs")).unwrap();
    let out = run_in(dir.path(), dir.path(), &["build", "--format", "json"]);
    let json = out.json();
    let messages: Vec<&str> = json["diagnostics"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "path_outside_workspace")
        .map(|d| d["message"].as_str().unwrap())
        .collect();
    assert_eq!(messages.len(), 2, "{messages:?}");
    let search = run_in(dir.path(), dir.path(), &["search", "outside_", "-q"]);
    assert!(!search.stdout.contains("outside_dir"), "{}", search.stdout);
    assert!(!search.stdout.contains("outside_file"), "{}", search.stdout);
    // A link that stays inside is followed.
    let search = run_in(dir.path(), dir.path(), &["search", "inside_link", "-q"]);
    assert!(
        search.stdout.contains("links::inside::inside_link"),
        "{}",
        search.stdout
    );
}
