//! `examples/build_script.rs`, the build script on the library, checked on `fixtures/gate`
//! in a scratch repository: new exceptions and cycles become `cargo:warning=` lines, and
//! the uncommitted change is gated.

#[path = "../../examples/build_script.rs"]
mod example;

use crate::git_repo::{edit, repo};

#[test]
fn warns_about_new_exceptions_and_cycles_and_gates_the_change() {
    let dir = repo("gate");
    let out_dir = tempfile::tempdir().unwrap();
    let check = |max| example::check(dir.path(), out_dir.path(), max).unwrap();

    // The first build records what there is and warns about nothing.
    let first = check(50);
    assert!(first.tripped.is_empty());
    let warnings = |lines: &[String]| -> Vec<String> {
        lines
            .iter()
            .filter_map(|l| l.strip_prefix("cargo:warning="))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(warnings(&first.lines), Vec::<String>::new());
    let lib = dir.path().join("crates/core/src/lib.rs");
    assert!(
        first
            .lines
            .contains(&format!("cargo:rerun-if-changed={}", lib.display())),
        "{:?}",
        first.lines
    );

    // Square now overrides the default `name`, and shapes and text use each other.
    edit(
        dir.path(),
        "crates/core/src/shapes.rs",
        "        self.0 * self.0\n    }\n",
        "        self.0 * self.0\n    }\n\n    fn name(&self) -> String {\n        \
         crate::text::shout(\"square\")\n    }\n",
    );
    edit(
        dir.path(),
        "crates/core/src/text.rs",
        "s.to_uppercase()",
        "let _ = crate::shapes::describe; s.to_uppercase()",
    );
    let second = check(50);
    assert!(second.tripped.is_empty(), "{:?}", second.tripped);
    assert_eq!(
        warnings(&second.lines),
        [
            "parseltongue: new exception: overridden_default gate_core::shapes::Shape::name on \
             gate_core::shapes::impl Shape for Square at crates/core/src/shapes.rs:14",
            "parseltongue: new module cycle: gate_core::shapes -> gate_core::text",
        ]
    );
    // Recorded: the next build is quiet again.
    assert_eq!(warnings(&check(50).lines), Vec::<String>::new());

    // A signature change reaching three entities trips a gate of 1.
    edit(
        dir.path(),
        "crates/core/src/lib.rs",
        "pub fn helper() -> usize {",
        "pub fn helper() -> u64 {",
    );
    let gated = check(1);
    assert_eq!(gated.tripped, ["3 entities affected, more than --max 1"]);
    assert!(
        gated.lines.contains(
            &"cargo:warning=parseltongue: gate tripped: 3 entities affected, more than --max 1"
                .to_string()
        ),
        "{:?}",
        gated.lines
    );
}
