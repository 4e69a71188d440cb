//! A generated one-crate workspace on disk: `items` items in files of 50, each file a module
//! with structs, a trait impl, and functions calling into the previous module.

#![allow(dead_code)]

use cargo_parseltongue::graph::build::CrateInput;
use std::fmt::Write;
use std::path::Path;

/// Items per generated file.
pub const ITEMS_PER_FILE: usize = 50;

/// The text of module `m` (about `ITEMS_PER_FILE` items); `salt` changes a body only.
pub fn module_text(m: usize, salt: u32) -> String {
    let mut s = String::new();
    let per = ITEMS_PER_FILE / 5;
    for i in 0..per {
        let _ = writeln!(s, "/// Doc {i}.\npub struct S{i} {{ pub x: u32 }}");
        let _ = writeln!(
            s,
            "impl crate::Shape for S{i} {{ fn area(&self) -> f64 {{ {salt}.0 + self.x as f64 }} }}"
        );
        let prev = if m == 0 {
            "crate".to_string()
        } else {
            format!("crate::m{}", m - 1)
        };
        let _ = writeln!(
            s,
            "pub fn f{i}(a: u32) -> u32 {{ {prev}::f{i}(a) + {salt} }}"
        );
        let _ = writeln!(s, "pub const C{i}: u32 = {i};");
    }
    s
}

/// Writes a workspace with about `items` items under `root`; returns the crate input.
pub fn write(root: &Path, items: usize) -> Vec<CrateInput> {
    let files = items.div_ceil(ITEMS_PER_FILE);
    std::fs::create_dir_all(root.join("src")).unwrap();
    let mut lib = String::from(
        "pub trait Shape { fn area(&self) -> f64; fn name(&self) -> &str { \"s\" } }\n",
    );
    for i in 0..ITEMS_PER_FILE / 5 {
        let _ = writeln!(lib, "pub fn f{i}(a: u32) -> u32 {{ a }}");
    }
    for m in 0..files {
        let _ = writeln!(lib, "pub mod m{m};");
        std::fs::write(root.join(format!("src/m{m}.rs")), module_text(m, 0)).unwrap();
    }
    std::fs::write(root.join("src/lib.rs"), lib).unwrap();
    // Old mtimes: nothing is racy.
    for e in walk(&root.join("src")) {
        let t = filetime::FileTime::from_unix_time(1_600_000_000, 0);
        filetime::set_file_mtime(e, t).unwrap();
    }
    vec![CrateInput::standalone(
        "generated",
        "generated",
        "lib",
        root,
        &root.join("src/lib.rs"),
    )]
}

fn walk(dir: &Path) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .collect()
}
