//! Source files → per-file facts, following each crate's module tree.
//!
//! The driver walks module trees breadth-first: each wave parses, in parallel (rayon, on
//! threads with large stacks), every file the previous wave's `mod x;` declarations reached
//! that is not parsed yet. A file reached twice (two targets, symlinks) is parsed once.

pub(crate) mod apply_attr;
mod bitflags;
pub(crate) mod cfg_if;
pub mod expansion;
pub mod extract;
pub mod facts;
pub mod file;
pub mod fingerprint;
pub mod item_parts;
pub mod lint_attrs;
pub mod macro_rules;
pub mod modules;
mod reextract;
pub use reextract::macros_key;
pub mod refs;
pub mod signature;

pub use file::{
    ColdLoader, FileLoader, FileOutcome, MAX_FILE_LEN, MAX_NESTING, Reextract, content_id,
    nesting_depth, parse_bytes, parse_text, parse_text_with, reextract_file,
};

use crate::diagnostics::{Diagnostic, DiagnosticKind};
use crate::source::SourceTree;
use facts::{FileFacts, ModuleBody, ModuleFacts};
use modules::{ChildModule, ModuleLocation};
use rayon::prelude::*;
use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// Stack size of parser threads, in bytes (reserved lazily by the OS).
const PARSER_STACK: usize = 256 << 20;
/// Module nesting beyond which `mod` declarations are not followed (guards `#[path]` loops).
const MAX_MODULE_DEPTH: usize = 128;

/// A crate root to walk: index into the crate table, crate name, absolute root file.
#[derive(Clone, Debug)]
pub struct CrateRoot {
    /// Crate name used as the first path segment.
    pub name: String,
    /// Absolute path of the root file.
    pub root_file: PathBuf,
}

/// One source file, parsed or not.
#[derive(Clone, Debug)]
pub struct ParsedFile {
    /// Path relative to the workspace root, `/`-separated.
    pub rel_path: String,
    /// xxh3-128 of the raw bytes read (0 if the file could not be read).
    pub hash: u128,
    /// The facts, or `None` if the file could not be read or parsed.
    pub facts: Option<FileFacts>,
    /// True when `facts` are the last good facts of a file that does not parse now.
    pub stale: bool,
}

/// One step down from a module's items to a nested scope: item `item`'s body (an inline
/// `mod`, a function's block), or with `assoc`, the block of that impl's or trait's
/// associated item `assoc` (a method whose body declares items).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Step {
    /// Index into the module's items.
    pub item: usize,
    /// Index into that item's associated items.
    pub assoc: Option<usize>,
}

impl Step {
    /// The item (or associated item) the step goes through, if `facts` has it.
    pub fn item_in<'f>(&self, facts: &'f ModuleFacts) -> Option<&'f facts::ItemFacts> {
        let item = facts.items.get(self.item)?;
        match self.assoc {
            Some(j) => item.children.get(j),
            None => Some(item),
        }
    }

    /// The scope the step leads into, if `facts` has one there.
    pub fn body_in<'f>(&self, facts: &'f ModuleFacts) -> Option<&'f ModuleFacts> {
        match self.item_in(facts)?.module.as_deref()? {
            ModuleBody::Inline(inner) | ModuleBody::Block(inner) => Some(inner),
            ModuleBody::File { .. } => None,
        }
    }
}

/// A module as it sits in one crate's tree.
#[derive(Clone, Debug)]
pub struct ModuleInstance {
    /// Index of the crate in the roots given to [`parse_workspace`].
    pub krate: usize,
    /// Module path, starting with the crate name.
    pub path: Vec<String>,
    /// Parent module instance.
    pub parent: Option<usize>,
    /// Index into [`ParsedWorkspace::files`] of the file holding the module.
    pub file: usize,
    /// Steps leading from the file's top module down inline `mod x { … }` blocks and
    /// function blocks.
    pub inline_path: Vec<Step>,
    /// `(step to a mod item of this module, child instance)`, and to a function or method
    /// whose body declares items (its block scope).
    pub children: Vec<(Step, usize)>,
    /// A function body's block scope ([`ModuleBody::Block`]), not a module: it has no node
    /// of its own (its items hang off the function), names not bound in it are looked up in
    /// the enclosing scope, and `self`/`super` mean what they mean there.
    pub block: bool,
    /// A file an `include!("path")` of the parent instance names: not a module, its items
    /// are the parent's (named, bound and resolved there), its spans its own file's.
    pub included: bool,
}

/// Everything the parse phase produces.
#[derive(Clone, Debug, Default)]
pub struct ParsedWorkspace {
    /// Files in the order first reached.
    pub files: Vec<ParsedFile>,
    /// Module instances; each crate's root comes first among its modules.
    pub modules: Vec<ModuleInstance>,
    /// Instance index of each crate's root module.
    pub crate_roots: Vec<usize>,
    /// Problems found, sorted and de-duplicated.
    pub diagnostics: Vec<Diagnostic>,
    /// Candidate paths of `mod` declarations that did not exist (a file created there
    /// changes the module tree), relative to the workspace root.
    pub probes: Vec<String>,
    /// Time spent reading files, summed over parser threads.
    pub read_time: Duration,
    /// Time spent parsing and extracting facts, summed over parser threads.
    pub parse_time: Duration,
    /// The `macro_rules!` definitions each file calling another file's macros was extracted
    /// again with, in the last walk (empty when no file calls one).
    pub macro_views: MacroViews,
}

/// The macros files were re-extracted with: a few views (name → definition text; a view per
/// crate whose own macros are not the first of their names), and per file calling a macro
/// another file defines (workspace-relative path), its view. What a refresh needs to extract
/// an edited file again with the macros the last link gave it, without that link's facts.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct MacroViews {
    /// The views: macro name (and `crate::name`) → its `macro_rules!` definition text.
    pub views: Vec<HashMap<String, String>>,
    /// Path of each file calling a macro of another file → index into `views`.
    pub of_file: std::collections::BTreeMap<String, usize>,
    /// Path of each such file → the crate it was extracted as compiled into
    /// ([`Reextract::calling_crate`]); absent when the file is in no crate's module tree.
    #[serde(default)]
    pub crate_of: std::collections::BTreeMap<String, String>,
}

impl ParsedWorkspace {
    /// The facts of a module instance (`None` if its file failed to parse).
    pub fn module_facts(&self, module: &ModuleInstance) -> Option<&ModuleFacts> {
        let mut facts = &self.files[module.file].facts.as_ref()?.module;
        for step in &module.inline_path {
            facts = step.body_in(facts)?;
        }
        Some(facts)
    }
}

fn pool() -> &'static rayon::ThreadPool {
    static POOL: OnceLock<rayon::ThreadPool> = OnceLock::new();
    POOL.get_or_init(|| {
        rayon::ThreadPoolBuilder::new()
            .stack_size(PARSER_STACK)
            .thread_name(|i| format!("parseltongue-parse-{i}"))
            .build()
            .expect("failed to start the parser thread pool")
    })
}

/// Runs `f` on the parser pool (large stacks); use for any deep walk of syntax trees.
pub fn on_parser_pool<R: Send>(f: impl FnOnce() -> R + Send) -> R {
    pool().install(f)
}

/// Path of `path` relative to `root`, `/`-separated; absolute if outside `root`.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

struct Pending {
    krate: usize,
    path: Vec<String>,
    /// The parent instance and the step to this scope in its items (unused for includes).
    parent: Option<(usize, Step)>,
    loc: ModuleLocation,
    /// A function's block scope.
    block: bool,
    /// A file the parent `include!`s.
    included: bool,
}

/// Walks and parses the module trees of `crates` under workspace root `root`, reading and
/// parsing every file.
pub fn parse_workspace(
    source: &dyn SourceTree,
    root: &Path,
    crates: &[CrateRoot],
) -> ParsedWorkspace {
    parse_workspace_with(source, root, crates, &ColdLoader)
}

/// [`parse_workspace`] with `loader` deciding, per file, whether facts come from a cache or
/// from reading and parsing (the incremental engine's hook).
///
/// Module trees are built as rustc builds them: when a file's re-extraction with other files'
/// macros declares modules its first extraction did not (`crate_root!();` expanding to
/// `pub mod de; pub mod ser;`), the trees are walked again with the re-extracted facts, until
/// no re-extraction changes a file's modules. Likewise, when a re-extraction defines a macro
/// another file calls (petgraph's `trait_template!` writing `macro_rules! Data`), the callers
/// are extracted again with it. Walks and such rounds together are at most
/// [`MAX_EXPANSION_ROUNDS`]. Each file is loaded once however many walks reach it.
pub fn parse_workspace_with(
    source: &dyn SourceTree,
    root: &Path,
    crates: &[CrateRoot],
    loader: &dyn FileLoader,
) -> ParsedWorkspace {
    let source = &crate::source::CanonicalDirs::new(source);
    let mut loaded: HashMap<PathBuf, Loaded> = HashMap::new();
    let mut expanded: HashMap<PathBuf, (u128, Option<FileFacts>)> = HashMap::new();
    let (mut read_time, mut parse_time) = (Duration::ZERO, Duration::ZERO);
    let mut rounds = 0;
    let names: Vec<String> = crates.iter().map(|c| c.name.clone()).collect();
    let mut out = loop {
        rounds += 1;
        let (mut out, mut placed) = walk(source, root, crates, loader, &mut loaded, &mut expanded);
        read_time += out.read_time;
        parse_time += out.parse_time;
        let start = Instant::now();
        let settled = loop {
            let settled = reextract::expand_across_files(
                &mut out,
                &mut placed,
                &names,
                source,
                root,
                loader,
                &mut expanded,
            );
            if settled != reextract::Settled::ExpandAgain || rounds >= MAX_EXPANSION_ROUNDS {
                break settled;
            }
            rounds += 1;
        };
        parse_time += start.elapsed();
        if settled != reextract::Settled::WalkAgain || rounds >= MAX_EXPANSION_ROUNDS {
            break out;
        }
        // The files go back to the loader's side, with the facts it gave, for the next walk.
        let placed_files = placed.canonicals.into_iter().zip(out.files);
        let as_loaded = placed.originals.into_iter().zip(placed.diagnostics);
        for ((canonical, mut file), (original, diagnostic)) in placed_files.zip(as_loaded) {
            if original.is_some() {
                let current = std::mem::replace(&mut file.facts, original);
                if let Some((_, slot)) = expanded.get_mut(&canonical) {
                    *slot = current;
                }
            }
            loaded.insert(canonical, Loaded { file, diagnostic });
        }
    };
    out.read_time = read_time;
    out.parse_time = parse_time;
    for file in &out.files {
        for at in file.facts.iter().flat_map(|f| &f.unindexed_items) {
            out.diagnostics.push(Diagnostic::new(
                DiagnosticKind::ItemInBodyNotIndexed,
                &file.rel_path,
                at.line,
                at.column,
                "an item declared in an expression outside a body or an initializer (an array length, a discriminant) is not indexed".to_string(),
            ));
        }
        for f in file.facts.iter().flat_map(|f| &f.macro_failures) {
            let kind = if f.reason == extract::OUTSIDE_NOT_ITEMS {
                DiagnosticKind::MacroOutsideWorkspace
            } else {
                DiagnosticKind::MacroExpansion
            };
            out.diagnostics.push(Diagnostic::new(
                kind,
                &file.rel_path,
                f.span.line,
                f.span.column,
                format!("`{}!` not expanded: {}", f.name, f.reason),
            ));
        }
    }
    out.diagnostics.sort();
    out.diagnostics.dedup();
    out.probes.sort();
    out.probes.dedup();
    out
}

/// Walks of the module trees and re-extraction rounds before they settle: a macro that
/// declares modules (or defines macros) can live in a module another macro declares, so more
/// than two are rare but possible.
pub const MAX_EXPANSION_ROUNDS: usize = 8;

/// Per file of a walk (parallel to [`ParsedWorkspace::files`]): its canonical path, and the
/// macros its first extraction called without seeing them (a re-extraction lists only those
/// it still could not see).
#[derive(Default)]
struct Placed {
    canonicals: Vec<PathBuf>,
    calls: Vec<Vec<String>>,
    /// The facts the loader gave, where re-extracted facts replaced them.
    originals: Vec<Option<FileFacts>>,
    /// What the loader reported for the file, if it did not parse.
    diagnostics: Vec<Option<Diagnostic>>,
}

/// A file as its loader gave it, kept across walks.
struct Loaded {
    file: ParsedFile,
    diagnostic: Option<Diagnostic>,
}

/// One walk of every crate's module tree from its root. Files not in `loaded` are loaded (in
/// parallel, per wave); every file reached is moved out of `loaded` into the walk, a file in
/// `expanded` placed with its re-extracted facts. Returns the walk and, per file, its
/// canonical path, the macros it calls, and what it takes to put it back in `loaded`.
fn walk(
    source: &dyn SourceTree,
    root: &Path,
    crates: &[CrateRoot],
    loader: &dyn FileLoader,
    loaded: &mut HashMap<PathBuf, Loaded>,
    expanded: &mut HashMap<PathBuf, (u128, Option<FileFacts>)>,
) -> (ParsedWorkspace, Placed) {
    let mut out = ParsedWorkspace::default();
    let mut placed = Placed::default();
    let mut by_canonical: HashMap<PathBuf, usize> = HashMap::new();
    let mut frontier: Vec<Pending> = crates
        .iter()
        .enumerate()
        .map(|(k, c)| Pending {
            krate: k,
            path: vec![c.name.clone()],
            parent: None,
            loc: ModuleLocation::crate_root(&c.root_file),
            block: false,
            included: false,
        })
        .collect();
    out.crate_roots = vec![usize::MAX; crates.len()];

    // Module files must stay inside the root: resolved once, not per declaration.
    let canonical_root = source.canonical(root);
    while !frontier.is_empty() {
        // Each pending module's canonical file, resolved once (it is a syscall per path).
        let canonicals: Vec<PathBuf> = frontier
            .iter()
            .map(|p| source.canonical(&p.loc.file))
            .collect();
        // Load, in parallel, every file of this wave no earlier walk loaded.
        let mut wave: Vec<(String, &Path, &PathBuf)> = Vec::new();
        let mut in_wave: HashSet<&PathBuf> = HashSet::new();
        for (p, canonical) in frontier.iter().zip(&canonicals) {
            if !by_canonical.contains_key(canonical)
                && !loaded.contains_key(canonical)
                && in_wave.insert(canonical)
            {
                wave.push((relative(root, &p.loc.file), &p.loc.file, canonical));
            }
        }
        let parsed: Vec<FileOutcome> = pool().install(|| {
            wave.par_iter()
                .map(|(rel, path, _)| loader.load(source, path, rel))
                .collect()
        });
        for ((rel, _, canonical), outcome) in wave.into_iter().zip(parsed) {
            out.read_time += outcome.read;
            out.parse_time += outcome.parse;
            let (facts, stale, diagnostic) = match outcome.facts {
                Ok(f) => (Some(f), false, None),
                Err(d) => (outcome.last_good, true, Some(d)),
            };
            let file = ParsedFile {
                rel_path: rel,
                hash: outcome.hash,
                stale: stale && facts.is_some(),
                facts,
            };
            loaded.insert(canonical.clone(), Loaded { file, diagnostic });
        }
        // Place this wave's files (in the order first reached).
        for canonical in &canonicals {
            if by_canonical.contains_key(canonical) {
                continue;
            }
            let Some(Loaded {
                mut file,
                diagnostic,
            }) = loaded.remove(canonical)
            else {
                unreachable!("every file of a wave is loaded before it is placed")
            };
            let calls = file.facts.as_ref().map(|f| f.unexpanded.clone());
            placed.calls.push(calls.unwrap_or_default());
            let original = match expanded.get_mut(canonical).and_then(|(_, f)| f.take()) {
                Some(facts) => file.facts.replace(facts),
                None => None,
            };
            placed.originals.push(original);
            out.diagnostics.extend(diagnostic.clone());
            placed.diagnostics.push(diagnostic);
            by_canonical.insert(canonical.clone(), out.files.len());
            placed.canonicals.push(canonical.clone());
            out.files.push(file);
        }

        let mut next = Vec::new();
        for (p, canonical) in frontier.into_iter().zip(&canonicals) {
            let file = by_canonical[canonical];
            // A `#[path]` loop: the file already encloses this module.
            let mut ancestor = p.parent.map(|(m, _)| m);
            let mut looped = false;
            while let Some(a) = ancestor {
                if out.modules[a].file == file && out.modules[a].inline_path.is_empty() {
                    looped = true;
                }
                ancestor = out.modules[a].parent;
            }
            if looped || p.path.len() > MAX_MODULE_DEPTH {
                continue;
            }
            instantiate(
                &mut out,
                source,
                (root, &canonical_root),
                p,
                file,
                Vec::new(),
                &mut next,
            );
        }
        frontier = next;
    }
    (out, placed)
}

/// The steps from `facts` to its nested scopes (modules, function and method blocks), in
/// order.
pub(super) fn module_indexes(facts: &ModuleFacts) -> Vec<Step> {
    let mut out = Vec::new();
    for (i, it) in facts.items.iter().enumerate() {
        if it.module.is_some() {
            out.push(Step {
                item: i,
                assoc: None,
            });
        }
        for (j, c) in it.children.iter().enumerate() {
            if c.module.is_some() {
                out.push(Step {
                    item: i,
                    assoc: Some(j),
                });
            }
        }
    }
    out
}

/// A module a module declares, as `instantiate` walks it: where it is among the items, its
/// name, its body (`None`: inline), an inline module's `#[path]`, and its 1-based line and
/// column.
struct ModuleDecl {
    step: Step,
    name: String,
    body: Option<ModuleBody>,
    dir_attr: Option<String>,
    at: (u32, u32),
}

#[allow(clippy::too_many_arguments)]
fn instantiate(
    out: &mut ParsedWorkspace,
    source: &dyn SourceTree,
    (root, canonical_root): (&Path, &Path),
    p: Pending,
    file: usize,
    inline_path: Vec<Step>,
    next: &mut Vec<Pending>,
) {
    let index = out.modules.len();
    if let Some((parent, item)) = p.parent {
        if !p.included {
            out.modules[parent].children.push((item, index));
        }
    } else {
        out.crate_roots[p.krate] = index;
    }
    out.modules.push(ModuleInstance {
        krate: p.krate,
        path: p.path.clone(),
        parent: p.parent.map(|(m, _)| m),
        file,
        inline_path: inline_path.clone(),
        children: Vec::new(),
        block: p.block,
        included: p.included,
    });
    let Some(facts) = out.module_facts(&out.modules[index]) else {
        return;
    };
    let includes = facts.includes.clone();
    // Collect the module declarations first: instantiating mutates `out`.
    let decls: Vec<ModuleDecl> = module_indexes(facts)
        .into_iter()
        .filter_map(|step| {
            let it = step.item_in(facts)?;
            let mut dir_attr = None;
            let body = match it.module.as_deref()? {
                ModuleBody::Inline(inner) => {
                    dir_attr.clone_from(&inner.dir_attr);
                    None
                }
                // A marker: the body itself is reached through the inline path.
                ModuleBody::Block(_) => Some(ModuleBody::Block(ModuleFacts::default())),
                b @ ModuleBody::File { .. } => Some(b.clone()),
            };
            Some(ModuleDecl {
                step,
                name: it.name.clone(),
                body,
                dir_attr,
                at: (it.span.line, it.span.column),
            })
        })
        .collect();
    for ModuleDecl {
        step: item,
        name,
        body,
        dir_attr,
        at: (line, column),
    } in decls
    {
        let mut path = p.path.clone();
        path.push(name.clone());
        match body {
            None | Some(ModuleBody::Block(_)) => {
                let block = body.is_some();
                let mut inner = inline_path.clone();
                inner.push(item);
                let child = Pending {
                    krate: p.krate,
                    path,
                    parent: Some((index, item)),
                    loc: p.loc.inline(&name, dir_attr.as_deref()),
                    block,
                    included: false,
                };
                instantiate(
                    out,
                    source,
                    (root, canonical_root),
                    child,
                    file,
                    inner,
                    next,
                );
            }
            Some(ModuleBody::File {
                path_attr,
                conditional,
            }) => {
                let rel = out.files[file].rel_path.clone();
                match modules::child_module(&p.loc, &name, path_attr.as_deref(), root, &|f| {
                    source.is_file(f)
                }) {
                    // A file reached through a symbolic link that leaves the workspace is not
                    // read, as a `#[path]` out of it is not: one rule for both.
                    ChildModule::Found(loc)
                        if leaves_workspace(out, source, canonical_root, p.krate, &loc.file) =>
                    {
                        out.diagnostics.push(Diagnostic::new(
                            DiagnosticKind::PathOutsideWorkspace,
                            &rel,
                            line,
                            column,
                            format!(
                                "the file of module `{name}` ({}) is a symbolic link, or inside one, that leads outside the workspace root; not followed",
                                relative(root, &loc.file)
                            ),
                        ));
                    }
                    ChildModule::Found(loc) => next.push(Pending {
                        krate: p.krate,
                        path,
                        parent: Some((index, item)),
                        loc,
                        block: false,
                        included: false,
                    }),
                    ChildModule::Missing(candidates) => {
                        let tried: Vec<String> =
                            candidates.iter().map(|c| relative(root, c)).collect();
                        let looked = tried.join(", ");
                        let (kind, message) = if conditional {
                            (
                                DiagnosticKind::ModuleVariantMissing,
                                format!(
                                    "the `cfg_attr` variant of module `{name}` has no file (looked for {looked}); that configuration is not indexed"
                                ),
                            )
                        } else {
                            (
                                DiagnosticKind::MissingModule,
                                format!(
                                    "file not found for module `{name}` (looked for {looked}); create it or fix the `mod` declaration"
                                ),
                            )
                        };
                        out.diagnostics
                            .push(Diagnostic::new(kind, &rel, line, column, message));
                        out.probes.extend(tried);
                    }
                    ChildModule::OutsideWorkspace(_) => {
                        out.diagnostics.push(Diagnostic::new(
                            DiagnosticKind::PathOutsideWorkspace,
                            &rel,
                            line,
                            column,
                            format!(
                                "`#[path = \"{}\"]` of module `{name}` points outside the workspace root; not followed",
                                path_attr.as_deref().unwrap_or_default()
                            ),
                        ));
                    }
                }
            }
            Some(ModuleBody::Inline(_)) => unreachable!("inline bodies are mapped to None"),
        }
    }
    for include in includes {
        include_file(
            out,
            source,
            (root, canonical_root),
            &p,
            index,
            &include,
            next,
        );
    }
}

/// Follows `include!("path")` of module instance `index` (pending as `p`): the named file,
/// relative to the directory of the file holding the call, is walked next as an included
/// instance of the module. A missing file is a coverage note (and a probe); a file outside
/// the workspace is not read, as a `#[path]` out of it is not.
fn include_file(
    out: &mut ParsedWorkspace,
    source: &dyn SourceTree,
    (root, canonical_root): (&Path, &Path),
    p: &Pending,
    index: usize,
    include: &facts::IncludeFacts,
    next: &mut Vec<Pending>,
) {
    let rel = out.files[out.modules[index].file].rel_path.clone();
    let holder = root.join(&rel);
    let file = holder
        .parent()
        .map_or_else(|| PathBuf::from(&include.path), |d| d.join(&include.path));
    let (line, column) = (include.span.line, include.span.column);
    if !source.is_file(&file) {
        out.diagnostics.push(Diagnostic::new(
            DiagnosticKind::MacroExpansion,
            &rel,
            line,
            column,
            format!(
                "`include!` not expanded: the included file does not exist ({}); its items are not indexed",
                relative(root, &file)
            ),
        ));
        out.probes.push(relative(root, &file));
        return;
    }
    if leaves_workspace(out, source, canonical_root, p.krate, &file) {
        out.diagnostics.push(Diagnostic::new(
            DiagnosticKind::PathOutsideWorkspace,
            &rel,
            line,
            column,
            format!(
                "`include!(\"{}\")` names a file outside the workspace root; not followed",
                include.path
            ),
        ));
        return;
    }
    next.push(Pending {
        krate: p.krate,
        path: p.path.clone(),
        parent: Some((
            index,
            Step {
                item: usize::MAX,
                assoc: None,
            },
        )),
        loc: ModuleLocation {
            file,
            child_dir: p.loc.child_dir.clone(),
            inline_depth: 0,
        },
        block: false,
        included: true,
    });
}

/// Whether `file` (a module file found for crate `krate`) really lies outside the workspace
/// root (`canonical_root`, resolved once per walk): its canonical path is neither under the
/// root nor under the directory of the crate's root file (cargo may place a target outside
/// the root, `[lib] path = "../shared/lib.rs"`; its module tree is then read there).
fn leaves_workspace(
    out: &ParsedWorkspace,
    source: &dyn SourceTree,
    canonical_root: &Path,
    krate: usize,
    file: &Path,
) -> bool {
    let canonical = source.canonical(file);
    if canonical.starts_with(canonical_root) {
        return false;
    }
    let crate_dir = out
        .crate_roots
        .get(krate)
        .and_then(|&m| out.modules.get(m))
        .map(|m| source.canonical(&canonical_root.join(&out.files[m.file].rel_path)))
        .and_then(|f| f.parent().map(Path::to_path_buf));
    crate_dir.is_none_or(|dir| !canonical.starts_with(dir))
}
