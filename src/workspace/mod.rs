//! The workspace as `cargo metadata --no-deps` describes it: packages, their targets as
//! crates, each crate's extern prelude, and where the snapshot lives. The only module that
//! runs cargo, and only when nothing recorded answers the question ([`recorded`]).

pub mod recorded;

use crate::error::{Error, Result};
use crate::graph::CrateInfo;
use crate::graph::build::CrateInput;
use crate::graph::resolve::ExternCrate;
use cargo_metadata::{DependencyKind, Metadata, MetadataCommand, TargetKind};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A workspace member.
#[derive(Clone, Debug)]
pub struct Package {
    /// Package name.
    pub name: String,
    /// Absolute path of its Cargo.toml.
    pub manifest_path: PathBuf,
    /// Indexes into [`Workspace::crates`] of its targets.
    pub crates: Vec<usize>,
    /// The `[features]` table as cargo metadata reports it (feature → what it enables;
    /// optional dependencies appear as implicit features `x = ["dep:x"]`).
    pub features: std::collections::BTreeMap<String, Vec<String>>,
    /// The manifest's `[package.metadata]` table as JSON (`null` when absent).
    pub metadata: serde_json::Value,
    /// Its dependencies on other members (by path, or patched to a member's path), with
    /// the features they enable there.
    pub member_deps: Vec<MemberDependency>,
}

/// A member's dependency on another member, as its manifest declares it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberDependency {
    /// The member depended on (package name).
    pub package: String,
    /// The dependency's key in the manifest (its `rename`, else the package name): what
    /// `dep:x`, `x/f` and `x?/f` in the `[features]` table refer to.
    pub key: String,
    /// `features = […]`.
    pub features: Vec<String>,
    /// `default-features` (true unless turned off).
    pub default_features: bool,
    /// `optional = true`: active only when a feature enables it.
    pub optional: bool,
    /// A `[dev-dependencies]` entry (tests, examples and benches only).
    pub dev: bool,
}

/// The resolved workspace.
#[derive(Clone, Debug)]
pub struct Workspace {
    /// Absolute workspace root.
    pub root: PathBuf,
    /// cargo's target directory (honours `CARGO_TARGET_DIR` and `build.target-dir`).
    pub target_dir: PathBuf,
    /// Members in metadata order.
    pub packages: Vec<Package>,
    /// The root manifest's `[workspace.metadata]` table as JSON (`null` when absent).
    pub metadata: serde_json::Value,
    /// One crate per target of every member.
    pub crates: Vec<CrateInput>,
    /// The package you stand in: the member whose manifest `--manifest-path` names or the
    /// current directory is found in (`None` at a virtual root). Answers cover the whole
    /// workspace whatever it is; it is reported so a reader knows where they are.
    pub current_package: Option<usize>,
    /// A hash of everything in the metadata that shapes the graph (members, targets,
    /// dependencies); a change invalidates the snapshot.
    pub fingerprint: String,
    /// The metadata came from the record of an earlier call ([`recorded`]), not from
    /// running cargo.
    pub metadata_reused: bool,
}

/// Options passed through to `cargo metadata`.
#[derive(Clone, Debug, Default)]
pub struct MetadataOptions {
    /// `--manifest-path`: a Cargo.toml, or a directory holding one.
    pub manifest_path: Option<PathBuf>,
    /// `--offline`, `--locked`, `--frozen` as given.
    pub cargo_flags: Vec<String>,
    /// Always run `cargo metadata`, never reuse a recorded answer (`--verify`, `CI=true`).
    pub fresh: bool,
}

fn target_kind(kinds: &[TargetKind]) -> &'static str {
    for k in kinds {
        match k {
            TargetKind::Lib
            | TargetKind::RLib
            | TargetKind::DyLib
            | TargetKind::CDyLib
            | TargetKind::StaticLib
            | TargetKind::ProcMacro => return "lib",
            TargetKind::Bin => return "bin",
            TargetKind::Test => return "test",
            TargetKind::Bench => return "bench",
            TargetKind::Example => return "example",
            TargetKind::CustomBuild => return "build-script",
            _ => {}
        }
    }
    "other"
}

/// The workspace as `cargo metadata --no-deps` (no network, no build) describes it: the
/// answer recorded by an earlier call when nothing cargo reads has changed since
/// ([`recorded`]; never with `options.fresh`), otherwise cargo's answer, then recorded.
///
/// # Errors
/// [`Error::Usage`] with cargo's own message when the manifest is missing or invalid;
/// [`Error::Fatal`] when cargo cannot be run at all.
pub fn load(options: &MetadataOptions) -> Result<Workspace> {
    let cwd = std::env::current_dir().unwrap_or_default();
    let named_manifest = options.manifest_path.as_ref().map(|p| {
        let manifest = if p.is_dir() {
            p.join("Cargo.toml")
        } else {
            p.clone()
        };
        cwd.join(manifest)
    });
    let named = named_manifest.is_some();
    let start = named_manifest.or_else(|| find_manifest(&cwd));
    let question = start.clone().map(|start| recorded::Question {
        start,
        config_files: recorded::config_files(&cwd),
        cargo_flags: options.cargo_flags.clone(),
        env: recorded::cargo_env(),
    });
    let tool = crate::cache::tool_version();
    let reused = match &question {
        Some(q) if !options.fresh => recorded::lookup(q, &cwd, &tool),
        _ => None,
    };
    let metadata_reused = reused.is_some();
    let metadata = match reused {
        Some(m) => m,
        None => {
            let started_ns = recorded::now_ns();
            let named_manifest = start.as_deref().filter(|_| named);
            let metadata = run_cargo_metadata(options, named_manifest)?;
            if let Some(q) = &question {
                recorded::save(q, &cwd, started_ns, &metadata, &tool);
            }
            metadata
        }
    };
    // The manifest you stand in: the one named, or found upwards (already, as `start`).
    let here = start.map(|m| {
        if named {
            std::fs::canonicalize(&m).unwrap_or(m)
        } else {
            m
        }
    });
    let mut ws = model(&metadata, here.as_deref());
    ws.metadata_reused = metadata_reused;
    Ok(ws)
}

fn run_cargo_metadata(options: &MetadataOptions, manifest: Option<&Path>) -> Result<Metadata> {
    let mut cmd = MetadataCommand::new();
    cmd.no_deps();
    if let Some(m) = manifest {
        cmd.manifest_path(m);
    }
    cmd.other_options(options.cargo_flags.clone());
    cmd.exec().map_err(|e| match e {
        cargo_metadata::Error::CargoMetadata { stderr } => Error::Usage(format!(
            "`cargo metadata` failed:\n{}",
            stderr.trim_end().trim_start_matches("error: ")
        )),
        other => Error::Fatal(
            anyhow::Error::new(other).context("could not run `cargo metadata`; is cargo on PATH?"),
        ),
    })
}

fn find_manifest(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .map(|d| d.join("Cargo.toml"))
        .find(|m| m.is_file())
}

/// Builds the model from metadata; `manifest` is the Cargo.toml the user pointed at.
pub fn model(metadata: &Metadata, manifest: Option<&Path>) -> Workspace {
    let root = PathBuf::from(metadata.workspace_root.as_std_path());
    let members: Vec<&cargo_metadata::Package> = metadata.workspace_packages();
    let mut packages = Vec::new();
    let mut crates: Vec<CrateInput> = Vec::new();
    let mut lib_of: HashMap<String, usize> = HashMap::new();
    for pkg in &members {
        let mut idx = Vec::new();
        for t in &pkg.targets {
            let kind = target_kind(&t.kind);
            let name = if kind == "build-script" {
                "build_script_build".to_string()
            } else {
                t.name.replace('-', "_")
            };
            if kind == "lib" {
                lib_of.insert(pkg.name.to_string(), crates.len());
            }
            idx.push(crates.len());
            crates.push(CrateInput {
                info: CrateInfo {
                    name,
                    package: pkg.name.to_string(),
                    target_kind: kind.to_string(),
                    target_name: t.name.clone(),
                    root_file: crate::parse::relative(&root, t.src_path.as_std_path()),
                },
                root_file: t.src_path.clone().into_std_path_buf(),
                extern_crates: HashMap::new(),
                lints: Vec::new(),
                edition_2015: t.edition == cargo_metadata::Edition::E2015,
            });
        }
        packages.push(Package {
            name: pkg.name.to_string(),
            manifest_path: pkg.manifest_path.clone().into_std_path_buf(),
            crates: idx,
            features: pkg.features.clone().into_iter().collect(),
            metadata: pkg.metadata.clone(),
            member_deps: Vec::new(),
        });
    }
    // A member's directory, to recognise `[patch]`/`[replace]` entries that point at it.
    let member_dirs: HashMap<&str, PathBuf> = members
        .iter()
        .filter_map(|m| {
            let dir = m.manifest_path.as_std_path().parent()?;
            Some((m.name.as_str(), crate::parse::modules::normalize(dir)))
        })
        .collect();
    // A root manifest cargo has just accepted reads back; if it changed meanwhile, the
    // patches apply from the next run.
    let patched = crate::manifest_patches::read_with_config(
        &root.join("Cargo.toml"),
        &recorded::config_files(&root),
    )
    .unwrap_or_default();
    let member_versions: HashMap<&str, &cargo_metadata::semver::Version> = members
        .iter()
        .map(|m| (m.name.as_str(), &m.version))
        .collect();
    // The member library a dependency is: a path dependency on a member, or a dependency
    // the root manifest patches to a member's directory (cargo builds the member) whose
    // version the dependency accepts: futures-util's `futures_01 = { package = "futures",
    // version = "0.1" }` is crates.io's futures 0.1, not the futures 0.3 member the root
    // patches in, as cargo applies a patch only to requirements its version meets.
    let member_lib = |dep: &cargo_metadata::Dependency| -> Option<usize> {
        let &lib = lib_of.get(&dep.name)?;
        let patched_to_member = || {
            let dir = patched.get(&dep.name)?;
            let accepted = member_versions
                .get(dep.name.as_str())
                .is_none_or(|v| dep.req.matches(v));
            (member_dirs.get(dep.name.as_str())? == dir && accepted).then_some(())
        };
        (dep.path.is_some() || patched_to_member().is_some()).then_some(lib)
    };
    for (p, pkg) in members.iter().enumerate() {
        packages[p].member_deps = pkg
            .dependencies
            .iter()
            .filter(|dep| member_lib(dep).is_some())
            .map(|dep| MemberDependency {
                package: dep.name.clone(),
                key: dep.rename.clone().unwrap_or_else(|| dep.name.clone()),
                features: dep.features.clone(),
                default_features: dep.uses_default_features,
                optional: dep.optional,
                dev: dep.kind == DependencyKind::Development,
            })
            .collect();
        for &c in &packages[p].crates {
            let kind = crates[c].info.target_kind.clone();
            let mut prelude = HashMap::new();
            for dep in &pkg.dependencies {
                let usable = match dep.kind {
                    DependencyKind::Build => kind == "build-script",
                    _ => kind != "build-script",
                };
                if !usable {
                    continue;
                }
                let local = dep.rename.as_deref().unwrap_or(&dep.name).replace('-', "_");
                // hashbrown's `core = { package = "rustc-std-workspace-core", optional = true }`
                // stands in for the sysroot crate only when std itself is built (its
                // `rustc-dep-of-std` feature); every other build's `core` is the real one.
                if dep.optional && matches!(local.as_str(), "core" | "alloc" | "std") {
                    continue;
                }
                let target = match member_lib(dep) {
                    Some(lib) => ExternCrate::Workspace(lib),
                    // Another version of a member's package: named as the package writes
                    // it, so its items are never taken for the member's.
                    None if lib_of.contains_key(&dep.name) => ExternCrate::External(local.clone()),
                    None => ExternCrate::External(dep.name.replace('-', "_")),
                };
                prelude.insert(local, target);
            }
            if kind != "lib"
                && let Some(&lib) = lib_of.get(pkg.name.as_str())
            {
                prelude.insert(crates[lib].info.name.clone(), ExternCrate::Workspace(lib));
            }
            crates[c].extern_crates = prelude;
        }
    }
    let root_manifest = root.join("Cargo.toml");
    for (p, package) in packages.iter().enumerate() {
        // A manifest cargo has just accepted reads back; if it changed meanwhile, the
        // package simply has no manifest lints until the next run.
        let lints =
            crate::manifest_lints::read(&package.manifest_path, &root_manifest).unwrap_or_default();
        for &c in &packages[p].crates {
            crates[c].lints = lints.clone();
        }
    }
    let by_manifest = manifest.and_then(|m| {
        packages.iter().position(|p| {
            std::fs::canonicalize(&p.manifest_path).unwrap_or(p.manifest_path.clone()) == m
        })
    });
    // Written into one text (no string per extern crate: a warm call computes it, and
    // tokio's workspace has thousands), extern crates in name order.
    let fingerprint = {
        use std::fmt::Write as _;
        let mut text = String::new();
        for c in &crates {
            let mut ext: Vec<(&String, &ExternCrate)> = c.extern_crates.iter().collect();
            ext.sort_unstable_by(|a, b| a.0.cmp(b.0));
            let _ = write!(
                text,
                "{:?}|{}|{}|",
                c.info,
                c.root_file.display(),
                c.edition_2015
            );
            for (i, (name, target)) in ext.into_iter().enumerate() {
                let comma = if i == 0 { "" } else { "," };
                let _ = write!(text, "{comma}{name}={target:?}");
            }
            let _ = writeln!(text, "|{:?}", c.lints);
        }
        format!("{:032x}", xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
    };
    Workspace {
        root,
        target_dir: metadata.target_directory.clone().into_std_path_buf(),
        packages,
        metadata: metadata.workspace_metadata.clone(),
        crates,
        current_package: by_manifest,
        fingerprint,
        metadata_reused: false,
    }
}

impl Workspace {
    /// Package indexes selected by cargo's flags: `-p` specs (package names, `*` globs
    /// allowed) and `--exclude`; without `-p`, every member (`--workspace` is accepted and
    /// changes nothing).
    ///
    /// # Errors
    /// [`Error::Usage`] naming a `-p` spec that matches no member.
    pub fn select(&self, specs: &[String], exclude: &[String]) -> Result<Vec<usize>> {
        let matches = |spec: &str, name: &str| crate::query::glob_match(spec, name);
        let mut selected: Vec<usize> = if specs.is_empty() {
            (0..self.packages.len()).collect()
        } else {
            let mut out = Vec::new();
            for spec in specs {
                let hits: Vec<usize> = (0..self.packages.len())
                    .filter(|&i| matches(spec, &self.packages[i].name))
                    .collect();
                if hits.is_empty() {
                    let names: Vec<&str> = self.packages.iter().map(|p| p.name.as_str()).collect();
                    return Err(Error::Usage(format!(
                        "package `{spec}` is not a member of this workspace (members: {})",
                        names.join(", ")
                    )));
                }
                out.extend(hits);
            }
            out
        };
        selected.retain(|&i| !exclude.iter().any(|e| matches(e, &self.packages[i].name)));
        selected.sort_unstable();
        selected.dedup();
        Ok(selected)
    }

    /// Where snapshots live: `<target_dir>/parseltongue`.
    pub fn cache_dir(&self) -> PathBuf {
        self.target_dir.join("parseltongue")
    }
}
