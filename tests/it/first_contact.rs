//! A newcomer's first session, on `fixtures/root_package` (laid out as ripgrep is: the root
//! manifest is also a package, the libraries are members under `crates/`): every answer
//! covers the whole workspace, says how sure it is, and lists an item once.

use crate::util::{copy_fixture, fixture, run, run_in, settings};

/// The first session, command after command in one target directory, as one transcript.
#[test]
fn first_session_at_a_root_package() {
    let target = tempfile::tempdir().unwrap();
    let root = fixture("root_package");
    let session: &[&[&str]] = &[
        &["what-implements", "Matcher"],
        &["search", "RegexMatcher"],
        &["blast-radius", "RegexMatcher::new"],
        &["blast-radius", "Sink::take"],
        &["blast-radius", "Sink::take", "--min-confidence", "low"],
        &["search", "line_terminator"],
        &["exceptions"],
        &["context", "Matcher", "--budget", "1500"],
        &["graph", "Matcher", "--reverse", "--format", "mermaid"],
    ];
    let mut transcript = String::new();
    for args in session {
        let out = run_in(&root, target.path(), args);
        assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
        assert!(!out.stdout.trim().is_empty(), "{args:?} printed nothing");
        // One row per item: no line is printed twice.
        let mut lines: Vec<&str> = out
            .stdout
            .lines()
            .filter(|l| !l.trim().is_empty())
            .collect();
        let all = lines.len();
        lines.sort_unstable();
        lines.dedup();
        if !matches!(args[0], "context" | "graph") {
            assert_eq!(lines.len(), all, "{args:?} repeats a line:\n{}", out.stdout);
        }
        transcript.push_str(&format!("$ cargo parseltongue {}\n", args.join(" ")));
        transcript.push_str(&out.transcript());
        transcript.push('\n');
    }
    settings().bind(|| insta::assert_snapshot!("first_session_at_a_root_package", transcript));
    // Workspace-wide: the impls, the matches and the dependents are in other packages than
    // the root's.
    assert!(transcript.contains("finder_regex::RegexMatcher::new"));
    assert!(transcript.contains("NoMatch") && transcript.contains("RegexMatcher  "));
    // A name-only match is left out by default, counted, and marked when asked for.
    assert!(transcript.contains("+ 1 more through name-only matches: --min-confidence low"));
    assert!(transcript.contains("calls finder_searcher::Sink::take at src/main.rs:27:18  [low]"));
    // cfg variants are one row with their conditions.
    assert!(transcript.contains("cfg: unix | windows"));
    // The finding leads `exceptions`.
    assert!(transcript.contains("found: 1 redundant_override"));
}

#[test]
fn a_members_directory_still_answers_for_the_workspace() {
    let target = tempfile::tempdir().unwrap();
    let member = fixture("root_package").join("crates/regex");
    let out = run_in(
        &member,
        target.path(),
        &["blast-radius", "RegexMatcher::new"],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("finder::main (fn, src/main.rs:20)"),
        "{}",
        out.stdout
    );
    let out = run_in(&member, target.path(), &["what-implements", "Matcher"]);
    assert!(out.stdout.contains("NoMatch"), "{}", out.stdout);
    // -p narrows.
    let out = run_in(
        &member,
        target.path(),
        &["what-implements", "Matcher", "-p", "finder-regex"],
    );
    assert!(!out.stdout.contains("NoMatch"), "{}", out.stdout);
    assert!(out.stdout.contains("RegexMatcher"), "{}", out.stdout);
}

#[test]
fn json_rows_carry_their_confidence_and_cfg_variants() {
    let out = run(
        "root_package",
        &["blast-radius", "line_terminator", "--format", "json"],
    );
    let json = out.json();
    assert_eq!(
        json["entity"]["cfg_variants"],
        serde_json::json!(["unix", "windows"])
    );
    assert_eq!(json["total"], 3);
    let rows: Vec<&serde_json::Value> = json["levels"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|l| l["dependents"].as_array().unwrap())
        .collect();
    let main = rows
        .iter()
        .find(|r| r["node"]["path"] == "finder::main")
        .unwrap();
    assert_eq!(main["confidence"], "medium", "{main}");
    assert_eq!(json["min_confidence"], "medium");
    assert_eq!(json["below_min_confidence"], 0);
}

#[test]
fn search_ranks_names_then_suffixes_and_globs_match_suffixes() {
    let out = run("root_package", &["search", "Searcher"]);
    let first = out.stdout.lines().next().unwrap();
    assert!(
        first.starts_with("struct  finder_searcher::Searcher "),
        "{}",
        out.stdout
    );
    let out = run("root_package", &["search", "Searcher::search_*"]);
    assert_eq!(out.stdout.lines().count(), 2, "{}", out.stdout);
}

#[test]
fn what_implements_shows_the_trait_as_written() {
    let out = run("root_package", &["what-implements", "From"]);
    assert!(
        out.stdout
            .contains("Error  as From<std::fmt::Error>  crates/regex/src/lib.rs:12"),
        "{}",
        out.stdout
    );
}

#[test]
fn repository_defaults_apply_unless_a_flag_is_given() {
    let dir = copy_fixture("root_package");
    let manifest = dir.path().join("Cargo.toml");
    let mut text = std::fs::read_to_string(&manifest).unwrap();
    text.push_str(
        "\n[workspace.metadata.parseltongue]\nmin-confidence = \"low\"\n\
         exclude-paths = [\"crates/matcher/*\"]\nmax-afected = 3\n",
    );
    std::fs::write(&manifest, text).unwrap();
    let target = tempfile::tempdir().unwrap();
    let out = run_in(dir.path(), target.path(), &["blast-radius", "Sink::take"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    // min-confidence = "low": the name-only match is in.
    assert!(out.stdout.contains("[low]"), "{}", out.stdout);
    // An unknown key is named.
    assert!(
        out.stderr.contains(
            "[workspace.metadata.parseltongue]: unknown key `max-afected` (known: max, \
             max-crates, min-confidence, budget, tokenizer, exclude-paths); ignored"
        ),
        "{}",
        out.stderr
    );
    // A flag wins.
    let out = run_in(
        dir.path(),
        target.path(),
        &["blast-radius", "Sink::take", "--min-confidence", "medium"],
    );
    assert!(!out.stdout.contains("[low]"), "{}", out.stdout);
    // exclude-paths leaves the matcher crate's items out.
    let out = run_in(dir.path(), target.path(), &["what-implements", "Matcher"]);
    assert!(!out.stdout.contains("NoMatch"), "{}", out.stdout);
    assert!(out.stdout.contains("RegexMatcher"), "{}", out.stdout);
}

#[test]
fn known_problems_are_one_line_after_the_refresh_that_found_them() {
    let target = tempfile::tempdir().unwrap();
    let first = run_in(&fixture("broken"), target.path(), &["search", "Fine"]);
    assert!(
        first.stderr.contains("src/bad.rs:6:5: syntax error"),
        "{}",
        first.stderr
    );
    let second = run_in(&fixture("broken"), target.path(), &["search", "Fine"]);
    assert!(!second.stderr.contains("syntax error"), "{}", second.stderr);
    assert!(
        second.stderr.contains(
            "4 known problems in the indexed files; `cargo parseltongue build` lists them"
        ),
        "{}",
        second.stderr
    );
    let json = run_in(
        &fixture("broken"),
        target.path(),
        &["search", "Fine", "--format", "json"],
    )
    .json();
    let d = &json["diagnostics"][0];
    assert_eq!(d["kind"], "syntax_error");
    assert_eq!(d["file"], "src/bad.rs");
    assert_eq!(d["line"], 6);
}

#[test]
fn bash_completes_commands_and_options() {
    let out = run("root_package", &["completions", "bash"]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("complete.bash");
    std::fs::write(&script, &out.stdout).unwrap();
    let complete = |words: &str| {
        let shell = format!(
            "source '{}'; COMP_WORDS=({words}); COMP_CWORD=$((${{#COMP_WORDS[@]}} - 1)); \
             _cargo__parseltongue cargo-parseltongue \"${{COMP_WORDS[-1]}}\" \"${{COMP_WORDS[-2]}}\"; \
             echo \"${{COMPREPLY[@]}}\"",
            script.display()
        );
        let out = std::process::Command::new("bash")
            .args(["-c", &shell])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).trim().to_string()
    };
    assert_eq!(complete("cargo-parseltongue what"), "what-implements");
    assert!(
        complete("cargo-parseltongue blast-radius --min-c").contains("--min-confidence"),
        "{}",
        complete("cargo-parseltongue blast-radius --min-c")
    );
}

#[test]
fn each_command_help_lists_its_formats() {
    let out = run("root_package", &["search", "--help"]);
    assert!(
        out.stdout.contains("Formats: human, json"),
        "{}",
        out.stdout
    );
    let out = run("root_package", &["blast-radius", "--help"]);
    assert!(out.stdout.contains("also markdown"), "{}", out.stdout);
}

#[test]
fn no_progress_bar_on_a_pipe() {
    let target = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cargo-parseltongue"))
        .args(["build", "--rebuild"])
        .current_dir(fixture("root_package"))
        .env("CARGO_TARGET_DIR", target.path())
        .env("PARSELTONGUE_PROGRESS_DELAY_MS", "0")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(
        !stderr.contains("Indexing") && !stderr.contains('\r'),
        "{stderr}"
    );
}

#[test]
fn a_progress_bar_on_a_terminal() {
    // `script` (util-linux) gives the command a terminal; skip where it is missing.
    if std::process::Command::new("script")
        .arg("--version")
        .output()
        .is_err()
    {
        return;
    }
    let target = tempfile::tempdir().unwrap();
    let command = format!(
        "'{}' build --rebuild",
        env!("CARGO_BIN_EXE_cargo-parseltongue")
    );
    let run = |quiet: bool| {
        let out = std::process::Command::new("script")
            .args([
                "-qec",
                &format!("{command}{}", if quiet { " -q" } else { "" }),
                "/dev/null",
            ])
            .current_dir(fixture("root_package"))
            .env("CARGO_TARGET_DIR", target.path())
            .env("PARSELTONGUE_PROGRESS_DELAY_MS", "0")
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let shown = run(false);
    assert!(
        ["Indexing", "Linking", "Writing"]
            .iter()
            .any(|p| shown.contains(p)),
        "{shown}"
    );
    assert!(!run(true).contains("Indexing"));
}

#[test]
fn long_self_types_are_cut_in_columns_but_whole_in_json() {
    let dir = copy_fixture("root_package");
    let lib = dir.path().join("crates/matcher/src/lib.rs");
    let mut source = std::fs::read_to_string(&lib).unwrap();
    // A 16-tuple self type, as axum's all_the_tuples! writes them.
    let tuple = (0..16)
        .map(|i| format!("T{i}"))
        .collect::<Vec<_>>()
        .join(", ");
    source.push_str(&format!(
        "\npub trait Wide {{}}\nimpl<{tuple}> Wide for ({tuple}) {{}}\n"
    ));
    std::fs::write(&lib, source).unwrap();
    let target = tempfile::tempdir().unwrap();
    let human = run_in(dir.path(), target.path(), &["what-implements", "Wide"]);
    let row = human.stdout.lines().nth(1).unwrap();
    assert!(row.contains('…'), "{row}");
    assert!(row.chars().count() < 100, "{row}");
    let json = run_in(
        dir.path(),
        target.path(),
        &["what-implements", "Wide", "--format", "json"],
    )
    .json();
    assert_eq!(json["impls"][0]["self_type"], format!("({tuple})"));
}

#[test]
fn context_and_blast_radius_count_the_same_dependents() {
    let target = tempfile::tempdir().unwrap();
    let root = fixture("root_package");
    for entity in ["Matcher::find_at", "line_terminator", "RegexMatcher::new"] {
        let radius = run_in(
            &root,
            target.path(),
            &["blast-radius", entity, "--format", "json"],
        )
        .json();
        let context = run_in(
            &root,
            target.path(),
            &["context", entity, "--format", "json"],
        )
        .json();
        assert_eq!(
            radius["total"], context["radius"]["dependents"],
            "{entity}: blast-radius and context disagree"
        );
    }
}
