//! Code dumps: one text file holding many sources, each section starting with a line
//! `FILE: path/to/file.rs`. The dump is built into a graph without cargo, in memory.

use crate::graph::build::{self, BuildOutput, CrateInput};
use crate::source::MemorySource;
use std::path::{Path, PathBuf};

/// Splits a dump into `(path, contents)` sections. Text before the first `FILE:` line is
/// ignored; paths are trimmed and `\` becomes `/`.
pub fn split_dump(dump: &str) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = Vec::new();
    for line in dump.split_inclusive('\n') {
        if let Some(path) = line.strip_prefix("FILE:") {
            out.push((path.trim().replace('\\', "/"), String::new()));
        } else if let Some((_, body)) = out.last_mut() {
            body.push_str(line);
        }
    }
    out
}

/// Builds a graph from a dump. `src/lib.rs` (crate `crate_name`) and `src/main.rs` are
/// crate roots whose module trees are followed; every `.rs` file no tree reaches becomes a
/// crate root of its own, named after its file stem. Exceptions detected in a dump keep
/// their kind and are marked [`Source::Imported`](crate::exceptions::Source::Imported).
pub fn ingest(dump: &str, crate_name: &str) -> BuildOutput {
    let built = build_dump(dump, crate_name);
    built.graph.exceptions.mark_imported();
    built
}

fn build_dump(dump: &str, crate_name: &str) -> BuildOutput {
    let root = PathBuf::from("/dump");
    let mut source = MemorySource::default();
    for (path, body) in split_dump(dump) {
        source.files.insert(root.join(&path), body.into_bytes());
    }
    let lib = root.join("src/lib.rs");
    let main = root.join("src/main.rs");
    let mut inputs = Vec::new();
    if source.files.contains_key(&lib) {
        inputs.push(CrateInput::standalone(
            crate_name, crate_name, "lib", &root, &lib,
        ));
    }
    if source.files.contains_key(&main) {
        inputs.push(CrateInput::standalone(
            crate_name, crate_name, "bin", &root, &main,
        ));
    }
    link_lib(&mut inputs, &lib);
    let first = build::build(&source, &root, &inputs);
    let reached: Vec<String> = first.graph.files.iter().map(|f| f.path.clone()).collect();
    let orphans: Vec<PathBuf> = source
        .files
        .keys()
        .filter(|p| p.extension().is_some_and(|e| e == "rs"))
        .filter(|p| !reached.contains(&crate::parse::relative(&root, p)))
        .cloned()
        .collect();
    if orphans.is_empty() {
        return first;
    }
    for p in &orphans {
        let stem = p
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default();
        inputs.push(CrateInput::standalone(crate_name, &stem, "lib", &root, p));
    }
    link_lib(&mut inputs, &lib);
    build::build(&source, &root, &inputs)
}

/// Lets every other root see the `src/lib.rs` crate under its name, as cargo does for bins.
fn link_lib(inputs: &mut [CrateInput], lib: &Path) {
    let Some(lib_index) = inputs.iter().position(|c| c.root_file == lib) else {
        return;
    };
    let name = inputs[lib_index].info.name.clone();
    for (i, c) in inputs.iter_mut().enumerate() {
        if i != lib_index {
            c.extern_crates.insert(
                name.clone(),
                crate::graph::resolve::ExternCrate::Workspace(lib_index),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exceptions_from_a_dump_are_imported_with_their_kind() {
        let built = ingest(
            "FILE: src/lib.rs\n\
             pub trait T { fn f(&self) -> u8 { 1 } }\n\
             pub struct S;\n\
             impl T for S { fn f(&self) -> u8 { 2 } }\n",
            "demo",
        );
        let all = built.graph.exceptions.entries();
        assert_eq!(all.len(), 1);
        assert_eq!(all[0].property, "demo::T::f");
        assert_eq!(
            all[0].exception.kind,
            crate::exceptions::ExceptionKind::OverriddenDefault
        );
        assert_eq!(all[0].exception.source, crate::exceptions::Source::Imported);
    }

    #[test]
    fn splits_sections_on_file_markers() {
        let parts =
            split_dump("preamble\nFILE: src/lib.rs\npub fn a() {}\nFILE: src/b.rs\nfn b() {}\n");
        assert_eq!(parts.len(), 2);
        assert_eq!(
            parts[0],
            ("src/lib.rs".to_string(), "pub fn a() {}\n".to_string())
        );
    }
}
