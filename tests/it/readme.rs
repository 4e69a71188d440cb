//! README.md's example sessions, replayed: every "`cargo parseltongue …`" line of its
//! Examples section followed by a code block is run on `fixtures/workspace` (in order, one
//! target directory, as a reader would), and its stdout must match the block, where `[..]`
//! stands for any text within a line and `...` for any lines (snapbox's wildcards).

use crate::util::{fixture, run_in};

/// `(arguments, expected stdout)` of each example, in README order.
fn examples(readme: &str) -> Vec<(Vec<String>, String)> {
    let section = readme
        .split_once("### Examples")
        .and_then(|(_, rest)| rest.split_once("\n### ").map(|(s, _)| s))
        .expect("README.md has an Examples section");
    let mut out = Vec::new();
    let mut lines = section.lines().peekable();
    while let Some(line) = lines.next() {
        let Some(command) = line
            .strip_prefix("`cargo parseltongue ")
            .and_then(|l| l.split_once('`'))
            .map(|(c, _)| c)
        else {
            continue;
        };
        // The block that follows (after the rest of the sentence and blank lines).
        for next in lines.by_ref() {
            if next.starts_with("```") {
                break;
            }
        }
        let mut block = String::new();
        for next in lines.by_ref() {
            if next.starts_with("```") {
                break;
            }
            block.push_str(next);
            block.push('\n');
        }
        out.push((
            command.split_whitespace().map(str::to_string).collect(),
            block,
        ));
    }
    out
}

#[test]
fn readme_examples_print_what_the_readme_shows() {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .expect("README.md");
    let examples = examples(&readme);
    assert!(
        examples.len() >= 7,
        "found only {} examples",
        examples.len()
    );
    let target = tempfile::tempdir().unwrap();
    for (args, expected) in examples {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let out = run_in(&fixture("workspace"), target.path(), &args);
        assert!(
            out.code == 0,
            "{args:?} exited with {}: {}",
            out.code,
            out.stderr
        );
        snapbox::Assert::new().eq(out.stdout, expected);
    }
}
