//! Files that call macros other files define, extracted again with those macros visible, and
//! the module instances re-pointed at the new facts (or the trees walked again when the
//! re-extraction declares other modules).

use super::facts::{FileFacts, ModuleBody, ModuleFacts};
use super::file::{FileLoader, Reextract};
use super::{ParsedWorkspace, Placed, Step, module_indexes, pool};
use crate::source::SourceTree;
use rayon::prelude::*;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Files that call macros they do not define are extracted again with the `macro_rules!`
/// definitions of every file visible (by name; the first in path order wins, the file's own
/// always win). A re-extraction is recorded in `expanded` (keyed by the file's canonical path,
/// with the digest of the macros it saw) and replaces the facts the walk placed. When it
/// declares the same modules, the module instances are re-pointed at the new item indexes;
/// when it declares others (the macro writes `mod` items), the answer is
/// [`Settled::WalkAgain`]: the module trees must be walked again with it. When a
/// re-extraction defines a macro no file defined before (petgraph's `trait_template!`
/// writing `macro_rules! Data`) that another file calls, the answer is
/// [`Settled::ExpandAgain`]: the callers must be extracted again with it.
pub(super) fn expand_across_files(
    out: &mut ParsedWorkspace,
    placed: &mut Placed,
    crate_names: &[String],
    source: &dyn SourceTree,
    root: &Path,
    loader: &dyn FileLoader,
    expanded: &mut HashMap<PathBuf, (u128, Option<FileFacts>)>,
) -> Settled {
    if placed.calls.iter().all(Vec::is_empty) {
        return Settled::Done;
    }
    let order = order_by_path(out);
    // Each macro by its name, and by its crate's name for calls naming the crate
    // (`other::m!`, `$crate::m!`, `use other::m;`).
    let mut crates_of: Vec<Vec<&str>> = vec![Vec::new(); out.files.len()];
    for m in &out.modules {
        let name = crate_names[m.krate].as_str();
        if !crates_of[m.file].contains(&name) {
            crates_of[m.file].push(name);
        }
    }
    let mut visible: HashMap<String, String> = HashMap::new();
    for i in order {
        for (name, body) in out.files[i].facts.iter().flat_map(|f| &f.macros) {
            visible.entry(name.clone()).or_insert_with(|| body.clone());
            for krate in &crates_of[i] {
                let qualified = format!("{krate}::{name}");
                visible.entry(qualified).or_insert_with(|| body.clone());
            }
        }
    }
    // A bare call (`cfg_rt!`) means a macro of the calling crate before a same-named one of
    // another crate (tokio and tokio-util each define `cfg_rt!`): crates whose own macros are
    // not the first of their names get a view where theirs are.
    let mut crate_views: HashMap<&str, HashMap<String, String>> = HashMap::new();
    for i in order_by_path(out) {
        let Some(&krate) = crates_of[i].first() else {
            continue;
        };
        for (name, body) in out.files[i].facts.iter().flat_map(|f| &f.macros) {
            let qualified = format!("{krate}::{name}");
            let own = visible.get(&qualified).unwrap_or(body);
            if visible.get(name) != Some(own) {
                let view = crate_views.entry(krate).or_insert_with(|| visible.clone());
                view.insert(name.clone(), own.clone());
            }
        }
    }
    let crate_view_of = |i: usize| -> &HashMap<String, String> {
        crates_of[i]
            .first()
            .and_then(|k| crate_views.get(k))
            .unwrap_or(&visible)
    };
    let called: std::collections::HashSet<&str> =
        placed.calls.iter().flatten().map(String::as_str).collect();
    let callers: Vec<usize> = (0..out.files.len())
        .filter(|&i| !out.files[i].stale && out.files[i].facts.is_some())
        .filter(|&i| placed.calls[i].iter().any(|m| visible.contains_key(m)))
        .collect();
    let file_views = scoped_views(out, &callers, &placed.calls, &crate_view_of);
    let view_of = |i: usize| -> &HashMap<String, String> {
        file_views.get(&i).unwrap_or_else(|| crate_view_of(i))
    };
    out.macro_views = record_views(
        out,
        &callers,
        &crates_of,
        &visible,
        &crate_views,
        &file_views,
    );
    // Only files calling a macro some other file defines are worth a second look, and only
    // when the macros they would see differ from the last look; stale facts stay as they are.
    let pending: Vec<(usize, u128)> = callers
        .into_iter()
        .map(|i| {
            let key = macros_key(&placed.calls[i], view_of(i), crates_of[i].first().copied());
            (i, key)
        })
        .filter(|(i, key)| {
            expanded
                .get(&placed.canonicals[*i])
                .is_none_or(|(k, _)| k != key)
        })
        .collect();
    let redone: Vec<Option<FileFacts>> = pool().install(|| {
        pending
            .par_iter()
            .map(|&(i, key)| {
                let file = &out.files[i];
                let request = Reextract {
                    path: &root.join(&file.rel_path),
                    rel: &file.rel_path,
                    hash: file.hash,
                    macros_key: key,
                    visible: view_of(i),
                    calling_crate: crates_of[i].first().copied(),
                };
                loader.reextract(source, &request)
            })
            .collect()
    });
    let mut walk_again = false;
    let mut defines_new = false;
    for ((i, key), facts) in pending.into_iter().zip(redone) {
        let (Some(new), Some(old)) = (facts, &out.files[i].facts) else {
            continue;
        };
        defines_new |= new
            .macros
            .iter()
            .any(|(name, _)| !visible.contains_key(name) && called.contains(name.as_str()));
        // Module instances point into the file's items by index: with the same modules they
        // are re-pointed (the facts move into the walk; `expanded` keeps the key, and gets
        // them back if the trees are walked again); with other modules the trees are walked
        // again with them.
        if !same_modules(&old.module, &new.module) {
            expanded.insert(placed.canonicals[i].clone(), (key, Some(new)));
            walk_again = true;
            continue;
        }
        expanded.insert(placed.canonicals[i].clone(), (key, None));
        for m in out.modules.iter_mut().filter(|m| m.file == i) {
            let (mut old_at, mut new_at) = (&old.module, &new.module);
            for step in m.inline_path.iter_mut() {
                let moved = counterpart(old_at, new_at, *step);
                (old_at, new_at) = (inline_body(old_at, *step), inline_body(new_at, moved));
                *step = moved;
            }
            for (step, _) in m.children.iter_mut() {
                *step = counterpart(old_at, new_at, *step);
            }
        }
        let previous = out.files[i].facts.replace(new);
        if placed.originals[i].is_none() {
            placed.originals[i] = previous;
        }
    }
    if walk_again {
        Settled::WalkAgain
    } else if defines_new {
        Settled::ExpandAgain
    } else {
        Settled::Done
    }
}

/// What [`expand_across_files`] leaves to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Settled {
    /// Every caller was extracted with the macros the files define.
    Done,
    /// A re-extraction declares other modules: walk the module trees again.
    WalkAgain,
    /// A re-extraction defines a macro another file calls: extract the callers again.
    ExpandAgain,
}

/// Views of callers whose calls mean another definition than the crate's view gives,
/// as rustc scopes macros: a name several files define means, in a caller, the definition
/// its `use` names by path (serde_with's `use super::impls::macros::{foreach_map,
/// foreach_set};` in `ser/`, while `de/impls.rs` defines other `foreach_set!`), else the
/// one in the nearest file of a module enclosing the caller's module or declared before it
/// ([`textual_definition`]; quick-xml's `se/mod.rs` defines `write_primitive!` before `mod
/// key;`, which calls it, while its sibling `se/content.rs` keeps its own), over the first by path that
/// `crate_view_of` gives. Only callers whose view differs are listed.
fn scoped_views<'v>(
    out: &ParsedWorkspace,
    callers: &[usize],
    calls: &[Vec<String>],
    crate_view_of: &dyn Fn(usize) -> &'v HashMap<String, String>,
) -> HashMap<usize, HashMap<String, String>> {
    let mut views = HashMap::new();
    let mut instances_of: HashMap<usize, Vec<usize>> = HashMap::new();
    for (at, m) in out.modules.iter().enumerate() {
        instances_of.entry(m.file).or_default().push(at);
    }
    let defined_in = |f: usize, name: &str| {
        out.files[f]
            .facts
            .iter()
            .flat_map(|facts| &facts.macros)
            .find(|(n, _)| n == name)
            .map(|(_, body)| body)
    };
    // Subtrees are searched once per macro name whatever the caller (tokio: 183 callers
    // under the same modules); a caller's own file found there is searched past.
    let subtrees: std::cell::RefCell<SubtreeDefinitions<'_>> = std::cell::RefCell::default();
    let in_subtree = |q: usize, name: &str, caller: usize| -> Option<&String> {
        let key = (q, name.to_string());
        let cached = subtrees.borrow().get(&key).copied();
        let found = cached.unwrap_or_else(|| {
            let found = subtree_definition(out, q, name, None, &defined_in);
            subtrees.borrow_mut().insert(key, found);
            found
        });
        match found {
            Some((f, _)) if f == caller => {
                subtree_definition(out, q, name, Some(caller), &defined_in).map(|(_, b)| b)
            }
            found => found.map(|(_, b)| b),
        }
    };
    for &i in callers {
        let base = crate_view_of(i);
        let instances = instances_of.get(&i).map_or(&[][..], Vec::as_slice);
        let mut overrides: Vec<(&String, &String)> = Vec::new();
        for name in &calls[i] {
            let imported = instances
                .iter()
                .map(|&m| &out.modules[m])
                .filter(|m| m.inline_path.is_empty())
                .find_map(|m| {
                    let uses = &out.files[i].facts.as_ref()?.module.uses;
                    let target = uses.iter().find_map(|u| {
                        (!u.glob && u.alias.as_ref() == Some(name) && u.path.last() == Some(name))
                            .then(|| module_of_use(&m.path, &u.path))
                            .flatten()
                    })?;
                    let module = out
                        .modules
                        .iter()
                        .find(|t| t.krate == m.krate && t.path == target)?;
                    defined_in(module.file, name)
                });
            let enclosing = || {
                instances
                    .iter()
                    .find_map(|&m| textual_definition(out, m, i, name, &defined_in, &in_subtree))
            };
            if let Some(body) = imported.or_else(enclosing)
                && base.get(name) != Some(body)
            {
                overrides.push((name, body));
            }
        }
        if !overrides.is_empty() {
            let mut view = base.clone();
            for (name, body) in overrides {
                view.insert(name.clone(), body.clone());
            }
            views.insert(i, view);
        }
    }
    views
}

/// The definition of macro `name` textual scope gives module instance `m` (in file
/// `caller`): going out from `m`, each enclosing module's own file, then the modules it
/// declares before the one on the way to `m`, nearest first, with everything inside them
/// (rustix's `#[macro_use] mod weak;` before `mod backend;` in `lib.rs` gives
/// `backend/libc/c.rs` weak's `syscall!`, not the other backend's of the same name).
/// `in_subtree(q, name, caller)` gives the definition in module `q` or inside it (see
/// [`subtree_definition`]).
fn textual_definition<'o>(
    out: &'o ParsedWorkspace,
    m: usize,
    caller: usize,
    name: &str,
    defined_in: &dyn Fn(usize, &str) -> Option<&'o String>,
    in_subtree: &dyn Fn(usize, &str, usize) -> Option<&'o String>,
) -> Option<&'o String> {
    let inside = |q: usize| in_subtree(q, name, caller);
    let mut child = m;
    while let Some(p) = out.modules[child].parent {
        let parent = &out.modules[p];
        if parent.file != caller
            && let Some(body) = defined_in(parent.file, name)
        {
            return Some(body);
        }
        if let Some(&(at, _)) = parent.children.iter().find(|&&(_, c)| c == child) {
            let mut before: Vec<&(super::Step, usize)> = parent
                .children
                .iter()
                .filter(|(step, c)| *c != child && step.item < at.item)
                .collect();
            before.sort_by_key(|(step, _)| std::cmp::Reverse(step.item));
            if let Some(body) = before.into_iter().find_map(|&(_, q)| inside(q)) {
                return Some(body);
            }
        }
        child = p;
    }
    None
}

/// (module, macro name) → [`subtree_definition`]'s answer for them, with no file skipped.
type SubtreeDefinitions<'o> = HashMap<(usize, String), Option<(usize, &'o String)>>;

/// The first definition of macro `name` in module `q` or a module inside it, depth first,
/// skipping file `caller`, with the file it is in.
fn subtree_definition<'o>(
    out: &'o ParsedWorkspace,
    q: usize,
    name: &str,
    caller: Option<usize>,
    defined_in: &dyn Fn(usize, &str) -> Option<&'o String>,
) -> Option<(usize, &'o String)> {
    let mut stack = vec![q];
    while let Some(x) = stack.pop() {
        let f = out.modules[x].file;
        if Some(f) != caller
            && let Some(body) = defined_in(f, name)
        {
            return Some((f, body));
        }
        stack.extend(out.modules[x].children.iter().map(|&(_, c)| c));
    }
    None
}

/// The module path (crate name first) of the module a `use` path relative to the crate
/// (`crate::`, `self::`, `super::`) names the item of, seen from the module at `from`;
/// `None` for a path through another crate or above the crate root.
fn module_of_use(from: &[String], path: &[String]) -> Option<Vec<String>> {
    let (_, modules) = path.split_last()?;
    let mut segments = modules.iter();
    let mut at: Vec<String> = match segments.next()?.as_str() {
        "crate" => vec![from.first()?.clone()],
        "self" => from.to_vec(),
        "super" => from.get(..from.len().checked_sub(1)?)?.to_vec(),
        _ => return None,
    };
    for s in segments {
        match s.as_str() {
            "super" if at.len() > 1 => {
                at.pop();
            }
            "super" | "self" | "crate" => return None,
            _ => at.push(s.clone()),
        }
    }
    Some(at)
}

/// The views the files in `callers` are extracted with: `visible` first, then the crate
/// views some of them use, then the callers' own ([`scoped_views`]).
fn record_views(
    out: &ParsedWorkspace,
    callers: &[usize],
    crates_of: &[Vec<&str>],
    visible: &HashMap<String, String>,
    crate_views: &HashMap<&str, HashMap<String, String>>,
    file_views: &HashMap<usize, HashMap<String, String>>,
) -> super::MacroViews {
    let mut views = super::MacroViews::default();
    if callers.is_empty() {
        return views;
    }
    views.views.push(visible.clone());
    let mut index_of: HashMap<&str, usize> = HashMap::new();
    for &i in callers {
        let view = if let Some(own) = file_views.get(&i) {
            views.views.push(own.clone());
            views.views.len() - 1
        } else {
            match crates_of[i]
                .first()
                .filter(|k| crate_views.contains_key(*k))
            {
                Some(&krate) => *index_of.entry(krate).or_insert_with(|| {
                    views.views.push(crate_views[krate].clone());
                    views.views.len() - 1
                }),
                None => 0,
            }
        };
        views.of_file.insert(out.files[i].rel_path.clone(), view);
        if let Some(&krate) = crates_of[i].first() {
            views
                .crate_of
                .insert(out.files[i].rel_path.clone(), krate.to_string());
        }
    }
    views
}

/// Indexes of `out`'s files, by path.
fn order_by_path(out: &ParsedWorkspace) -> Vec<usize> {
    let mut order: Vec<usize> = (0..out.files.len()).collect();
    order.sort_by(|&a, &b| out.files[a].rel_path.cmp(&out.files[b].rel_path));
    order
}

/// The step in `new` to the scope `step` leads to in `old` (same rank among the nested
/// scopes; [`same_modules`] holds).
fn counterpart(old: &ModuleFacts, new: &ModuleFacts, step: Step) -> Step {
    let rank = module_indexes(old)
        .iter()
        .position(|&s| s == step)
        .expect("a step leads to a nested scope");
    module_indexes(new)[rank]
}

/// The scope `step` leads to in `facts`.
fn inline_body(facts: &ModuleFacts, step: Step) -> &ModuleFacts {
    step.body_in(facts)
        .expect("an inline path steps through inline modules and blocks")
}

/// Whether two extractions of a file declare the same modules (name, `#[path]`, inline
/// bodies and function and method blocks recursively) in the same order.
fn same_modules(a: &ModuleFacts, b: &ModuleFacts) -> bool {
    let (ma, mb) = (module_indexes(a), module_indexes(b));
    ma.len() == mb.len()
        && ma.iter().zip(&mb).all(|(x, y)| {
            let (Some(x), Some(y)) = (x.item_in(a), y.item_in(b)) else {
                return false;
            };
            x.name == y.name
                && match (x.module.as_deref(), y.module.as_deref()) {
                    (Some(ModuleBody::Inline(p)), Some(ModuleBody::Inline(q)))
                    | (Some(ModuleBody::Block(p)), Some(ModuleBody::Block(q))) => {
                        same_modules(p, q)
                    }
                    (p, q) => p == q,
                }
        })
}

/// The digest of the `macro_rules!` texts a re-extraction sees: the visible definitions of
/// the names in `called` and, transitively, of the visible macros their definitions call by
/// name (`outer!` writing `inner!()`: editing `inner!` changes what a call of `outer!`
/// expands to), by name, and the crate the file is compiled into (what `$crate` of another
/// crate's macro becomes depends on it) (xxh3-128).
pub fn macros_key(
    called: &[String],
    visible: &HashMap<String, String>,
    calling_crate: Option<&str>,
) -> u128 {
    let mut names: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    let mut work: Vec<&str> = called.iter().map(String::as_str).collect();
    while let Some(name) = work.pop() {
        let Some((name, body)) = visible.get_key_value(name) else {
            continue;
        };
        if names.insert(name) {
            work.extend(bang_names(body));
        }
    }
    let mut text = String::new();
    if let Some(krate) = calling_crate {
        text.push_str(krate);
    }
    text.push('\0');
    for n in names {
        text.push_str(n);
        text.push('\0');
        text.push_str(&visible[n]);
        text.push('\0');
    }
    xxhash_rust::xxh3::xxh3_128(text.as_bytes())
}

/// The identifiers followed by `!` in `text` (a macro definition's tokens): the names of
/// macros it may call, and some words that are not (`a != b` gives `a`), which only make a
/// digest cover more than it needs to.
fn bang_names(text: &str) -> impl Iterator<Item = &str> {
    let bytes = text.as_bytes();
    let ident = |b: u8| b.is_ascii_alphanumeric() || b == b'_';
    bytes
        .iter()
        .enumerate()
        .filter(|&(_, &b)| b == b'!')
        .filter_map(move |(bang, _)| {
            let end = bytes[..bang]
                .iter()
                .rposition(|b| !b.is_ascii_whitespace())
                .map_or(0, |p| p + 1);
            let start = bytes[..end]
                .iter()
                .rposition(|&b| !ident(b))
                .map_or(0, |p| p + 1);
            (start < end).then(|| &text[start..end])
        })
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_use_path_names_a_module_relative_to_the_caller() {
        let v = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        let from = v(&["c", "ser", "duplicates"]);
        let of = |p: &[&str]| super::module_of_use(&from, &v(p));
        assert_eq!(
            of(&["super", "impls", "macros", "m"]),
            Some(v(&["c", "ser", "impls", "macros"]))
        );
        assert_eq!(of(&["crate", "de", "m"]), Some(v(&["c", "de"])));
        assert_eq!(
            of(&["self", "inner", "m"]),
            Some(v(&["c", "ser", "duplicates", "inner"]))
        );
        assert_eq!(of(&["super", "super", "m"]), Some(v(&["c"])));
        assert_eq!(of(&["super", "super", "super", "m"]), None);
        assert_eq!(of(&["other_crate", "m"]), None);
        assert_eq!(of(&["m"]), None);
    }

    use super::*;

    #[test]
    fn a_key_covers_the_macros_a_called_macro_calls() {
        assert_eq!(
            bang_names("() => { inner ! (); if a != b {} $crate::other!{} }").collect::<Vec<_>>(),
            ["inner", "a", "other"]
        );
        let visible = |inner: &str| -> HashMap<String, String> {
            [
                ("outer".to_string(), "() => { inner ! () }".to_string()),
                ("inner".to_string(), inner.to_string()),
                ("unrelated".to_string(), "() => {}".to_string()),
            ]
            .into_iter()
            .collect()
        };
        let called = ["outer".to_string()];
        let key = |v: &HashMap<String, String>| macros_key(&called, v, Some("app"));
        assert_ne!(
            key(&visible("() => { fn a() {} }")),
            key(&visible("() => { fn b() {} }"))
        );
        let mut other = visible("() => { fn a() {} }");
        other.insert("unrelated".into(), "() => { 1 }".into());
        assert_eq!(key(&visible("() => { fn a() {} }")), key(&other));
        // What `$crate` of another crate's macro names depends on the calling crate.
        let view = visible("() => { fn a() {} }");
        assert_ne!(
            macros_key(&called, &view, Some("app")),
            macros_key(&called, &view, Some("app_tests"))
        );
    }
}
