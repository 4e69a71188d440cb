//! Where the file of a `mod x;` declaration lives, following the Rust reference's rules:
//! `x.rs` or `x/mod.rs` next to a mod-rs file (crate root, `mod.rs`, or a file loaded through
//! `#[path]`), `stem/x.rs` next to a non-mod-rs file, inline `mod a { mod b; }` adding `a/`,
//! and `#[path = "…"]` relative to the current file's directory (or to the inline module's
//! directory inside inline modules).

use std::path::{Component, Path, PathBuf};

/// Where a module's source sits and where its `mod x;` children are looked up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModuleLocation {
    /// The file holding the module's items.
    pub file: PathBuf,
    /// Directory searched for `mod x;` children.
    pub child_dir: PathBuf,
    /// How many inline `mod a { … }` blocks enclose the module inside `file`.
    pub inline_depth: usize,
}

impl ModuleLocation {
    /// The location of a crate root file (a mod-rs file).
    pub fn crate_root(file: &Path) -> ModuleLocation {
        ModuleLocation {
            file: file.to_path_buf(),
            child_dir: parent(file),
            inline_depth: 0,
        }
    }

    /// The location of inline module `name` (with optional `#[path]`) inside this one.
    /// `#[path = "d"]` on an inline module names the directory its `mod x;` children are
    /// looked up in, as rustc reads it: relative to the directory of the enclosing module,
    /// which for a module written directly in a file is the file's own directory, without
    /// the stem directory a non-mod-rs file adds (num-bigint's `#[path = "bigrand"] mod
    /// impl_0_10 { mod traits; }` in `src/bigrand.rs` reads `src/bigrand/traits.rs`).
    pub fn inline(&self, name: &str, path_attr: Option<&str>) -> ModuleLocation {
        let name = file_stem_of(name);
        let child_dir = match path_attr {
            Some(dir) if self.inline_depth == 0 => parent(&self.file).join(dir),
            Some(dir) => self.child_dir.join(dir),
            None => self.child_dir.join(name),
        };
        ModuleLocation {
            file: self.file.clone(),
            child_dir: normalize(&child_dir),
            inline_depth: self.inline_depth + 1,
        }
    }
}

/// The outcome of looking up `mod name;`.
#[derive(Debug, PartialEq, Eq)]
pub enum ChildModule {
    /// Found at this location.
    Found(ModuleLocation),
    /// None of these candidate paths exists.
    Missing(Vec<PathBuf>),
    /// `#[path]` leads outside the workspace root; the resolved path is given.
    OutsideWorkspace(PathBuf),
}

/// Resolves `mod name;` declared in the module at `loc`. `exists` answers whether a path is a
/// file; `root` bounds where `#[path]` may lead.
pub fn child_module(
    loc: &ModuleLocation,
    name: &str,
    path_attr: Option<&str>,
    root: &Path,
    exists: &dyn Fn(&Path) -> bool,
) -> ChildModule {
    if let Some(p) = path_attr {
        let base = if loc.inline_depth == 0 {
            parent(&loc.file)
        } else {
            loc.child_dir.clone()
        };
        let file = normalize(&base.join(p));
        if !file.starts_with(root) {
            return ChildModule::OutsideWorkspace(file);
        }
        if !exists(&file) {
            return ChildModule::Missing(vec![file]);
        }
        // A file loaded through `#[path]` behaves as a mod-rs file.
        return ChildModule::Found(ModuleLocation {
            child_dir: parent(&file),
            file,
            inline_depth: 0,
        });
    }
    let name = file_stem_of(name);
    let flat = loc.child_dir.join(format!("{name}.rs"));
    let nested = loc.child_dir.join(name).join("mod.rs");
    for file in [flat.clone(), nested.clone()] {
        if exists(&file) {
            return ChildModule::Found(ModuleLocation {
                child_dir: loc.child_dir.join(name),
                file,
                inline_depth: 0,
            });
        }
    }
    ChildModule::Missing(vec![flat, nested])
}

/// The file (or directory) name of module `name`: a raw identifier without its `r#`
/// (zerocopy's `mod r#ref;` is `ref.rs`).
fn file_stem_of(name: &str) -> &str {
    name.strip_prefix("r#").unwrap_or(name)
}

fn parent(file: &Path) -> PathBuf {
    file.parent().map(Path::to_path_buf).unwrap_or_default()
}

/// Lexically removes `.` and `..` components (no file-system access, symlinks untouched).
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                if !out.pop() {
                    out.push("..");
                }
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn lookup(files: &[&str], loc: &ModuleLocation, name: &str, attr: Option<&str>) -> ChildModule {
        let set: HashSet<PathBuf> = files.iter().map(PathBuf::from).collect();
        child_module(loc, name, attr, Path::new("/w"), &|p| set.contains(p))
    }

    #[test]
    fn non_mod_rs_files_look_in_their_stem_directory() {
        let root = ModuleLocation::crate_root(Path::new("/w/src/lib.rs"));
        let ChildModule::Found(net) = lookup(&["/w/src/net.rs"], &root, "net", None) else {
            panic!()
        };
        let found = lookup(&["/w/src/net/tcp.rs"], &net, "tcp", None);
        assert!(matches!(found, ChildModule::Found(l) if l.file == Path::new("/w/src/net/tcp.rs")));
        let missing = lookup(&[], &net, "udp", None);
        assert_eq!(
            missing,
            ChildModule::Missing(vec![
                PathBuf::from("/w/src/net/udp.rs"),
                PathBuf::from("/w/src/net/udp/mod.rs")
            ])
        );
    }

    #[test]
    fn path_attributes_are_relative_to_the_file_or_inline_directory() {
        let net = ModuleLocation {
            file: PathBuf::from("/w/src/net.rs"),
            child_dir: PathBuf::from("/w/src/net"),
            inline_depth: 0,
        };
        let found = lookup(&["/w/src/other/x.rs"], &net, "x", Some("other/x.rs"));
        assert!(matches!(found, ChildModule::Found(l) if l.child_dir == Path::new("/w/src/other")));
        let inline = net.inline("inner", None);
        let found = lookup(&["/w/src/net/inner/y.rs"], &inline, "y", Some("y.rs"));
        assert!(matches!(found, ChildModule::Found(_)));
        let outside = lookup(&[], &net, "z", Some("../../../etc/z.rs"));
        assert!(matches!(outside, ChildModule::OutsideWorkspace(_)));
        // `#[path]` on an inline module in a non-mod-rs file: relative to the file's
        // directory, not to its stem directory.
        let versioned = net.inline("impl_v2", Some("net"));
        let found = lookup(&["/w/src/net/traits.rs"], &versioned, "traits", None);
        assert!(
            matches!(found, ChildModule::Found(l) if l.file == Path::new("/w/src/net/traits.rs"))
        );
        // A raw identifier's file has no `r#` (zerocopy's `mod r#ref;`).
        let found = lookup(&["/w/src/net/ref.rs"], &net, "r#ref", None);
        assert!(
            matches!(found, ChildModule::Found(l) if l.child_dir == Path::new("/w/src/net/ref"))
        );
        assert_eq!(
            net.inline("r#type", None).child_dir,
            Path::new("/w/src/net/type")
        );
        // Deeper inline modules: relative to the enclosing inline module's directory.
        let deeper = inline.inline("v2", Some("shared"));
        assert_eq!(deeper.child_dir, Path::new("/w/src/net/inner/shared"));
    }
}
