//! `macro_rules!` calls met while extracting a file: which macros the file sees (its own,
//! other files' by name, another crate's by crate path, renamed imports), their expansion
//! within depth and size limits, the failures recorded, and the `generated_by` marks and
//! `#[cfg]`s expansions put on what they produce. One thread-local state per file.

mod outside_input;
pub(super) use outside_input::{declares_static, items_in_brace_groups, parse_items_lenient};

use super::extract::use_facts;
use super::facts::*;
use super::item_parts::{cfg, local, path_span};
use super::macro_rules::MacroRules;
use crate::graph::Visibility;
use proc_macro2::{Span, TokenStream, TokenTree};
use std::collections::HashMap;
use syn::{Attribute, Item};

/// Starts extracting `file`: the macros it sees are its own (returned as (name, rules text),
/// in source order), then `visible` (other files' of the workspace).
pub(super) fn begin_file(
    file: &syn::File,
    visible: &HashMap<String, String>,
    calling_crate: Option<&str>,
) -> Vec<(String, String)> {
    let mut own = Vec::new();
    collect_macros(&file.items, &mut own);
    // Before extraction meets each definition (textual order, [`define`]), a name means the
    // file's definition whose scope reaches the file's top level (written there or in a
    // `#[macro_use]` module) over one scoped to an inline module.
    let mut macros = visible.clone();
    let mut top_level = Vec::new();
    collect_top_level_macros(&file.items, &mut top_level);
    for (name, body) in own.iter().chain(&top_level) {
        macros.insert(name.clone(), body.clone());
    }
    EXPANSION.with(|e| {
        *e.borrow_mut() = ExpansionState {
            macros,
            imported_from: imported_macros(&file.items),
            glob_crates: glob_imported_crates(&file.items),
            renamed: renamed_imports(&file.items),
            own: own.iter().map(|(name, _)| name.clone()).collect(),
            calling_crate: calling_crate.map(str::to_string),
            ..ExpansionState::default()
        }
    });
    own
}

/// A `macro_rules!` definition met during extraction is visible to the calls extracted
/// after it (textual order, as in rustc): one written in the file shadows an earlier one of
/// its name; one an expansion wrote, another file's macro of that name (the file's own
/// written definitions stay as they are).
pub(super) fn define(name: &str, rules: &TokenStream) {
    EXPANSION.with(|e| {
        let mut e = e.borrow_mut();
        let written = e.generated_by.is_none();
        if e.own.contains(name) && !written {
            return;
        }
        let text = rules.to_string();
        e.parsed.remove(name);
        e.macros.insert(name.to_string(), text.clone());
        if !e.own.contains(name) {
            e.defined.push((name.to_string(), text));
        }
    });
}

/// What the names an inline module's written `macro_rules!` define meant before the module
/// ([`enter_inline_module`]), restored when it ends ([`leave_inline_module`]).
pub(super) struct ModuleMacroScope {
    before: Vec<(String, Option<String>)>,
    macro_use: bool,
}

/// Starts an inline module with `items`: the `macro_rules!` written in it are visible to
/// the end of the module only, unless it is `#[macro_use]` (rustc's textual scope).
pub(super) fn enter_inline_module(items: &[Item], macro_use: bool) -> ModuleMacroScope {
    let mut defined = Vec::new();
    collect_macros(items, &mut defined);
    EXPANSION.with(|e| {
        let e = e.borrow();
        let mut before: Vec<(String, Option<String>)> = Vec::new();
        for (name, _) in defined {
            if !before.iter().any(|(n, _)| *n == name) {
                let meant = e.macros.get(&name).cloned();
                before.push((name, meant));
            }
        }
        ModuleMacroScope { before, macro_use }
    })
}

/// Ends the inline module [`enter_inline_module`] started.
pub(super) fn leave_inline_module(scope: ModuleMacroScope) {
    if scope.macro_use {
        return;
    }
    EXPANSION.with(|e| {
        let mut e = e.borrow_mut();
        for (name, meant) in scope.before {
            e.parsed.remove(&name);
            match meant {
                Some(text) => e.macros.insert(name, text),
                None => e.macros.remove(&name),
            };
        }
    })
}

/// A `macro_rules!` written in a function body: visible to the calls extracted after it (the
/// rest of the body, rustc's textual scope), never to other files. Returns what `name` meant
/// before, for [`restore_local`] at the end of the body.
pub(super) fn define_local(name: &str, rules: &TokenStream) -> Option<String> {
    EXPANSION.with(|e| {
        let mut e = e.borrow_mut();
        e.parsed.remove(name);
        e.macros.insert(name.to_string(), rules.to_string())
    })
}

/// Ends the scope of a body's `macro_rules!` ([`define_local`]): `name` means `before` again.
pub(super) fn restore_local(name: &str, before: Option<String>) {
    EXPANSION.with(|e| {
        let mut e = e.borrow_mut();
        e.parsed.remove(name);
        match before {
            Some(text) => e.macros.insert(name.to_string(), text),
            None => e.macros.remove(name),
        };
    })
}

/// An item declared in a body without a block scope (a method's): not indexed, counted.
pub(super) fn unindexed(span: LocalSpan) {
    EXPANSION.with(|e| e.borrow_mut().unindexed.push(span));
}

/// What extracting a file found besides its items ([`end_file`]).
pub(super) struct FileEnd {
    /// Macros called without being seen (sorted, deduplicated).
    pub unexpanded: Vec<String>,
    /// Calls that failed.
    pub failures: Vec<MacroFailure>,
    /// `macro_rules!` definitions expansions wrote ([`define`]; the first of each name).
    pub defined: Vec<(String, String)>,
    /// Items declared in bodies without a block scope ([`unindexed`]), in order met.
    pub unindexed: Vec<LocalSpan>,
}

/// Ends the file [`begin_file`] started.
pub(super) fn end_file() -> FileEnd {
    let mut state = EXPANSION.with(|e| std::mem::take(&mut *e.borrow_mut()));
    state.unexpanded.sort();
    state.unexpanded.dedup();
    let mut seen = std::collections::HashSet::new();
    state.defined.retain(|(name, _)| seen.insert(name.clone()));
    FileEnd {
        unexpanded: state.unexpanded,
        failures: state.failures,
        defined: state.defined,
        unindexed: state.unindexed,
    }
}

/// The outermost macro call being expanded (written at its call site), and the `#[cfg]`s
/// of the enclosing calls: what an item extracted now inherits.
pub(super) fn enclosing_calls() -> (Option<(String, LocalSpan)>, Vec<String>) {
    EXPANSION.with(|e| (e.borrow().generated_by.clone(), e.borrow().cfgs.clone()))
}

/// Runs `walk` one expansion level deeper (for expansions read inside bodies).
pub(super) fn deeper<R>(walk: impl FnOnce() -> R) -> R {
    EXPANSION.with(|e| e.borrow_mut().depth += 1);
    let result = walk();
    EXPANSION.with(|e| e.borrow_mut().depth -= 1);
    result
}

/// Keeps [`ItemFacts::generated_by`] only on items that start at their expansion's call
/// site (the macro wrote them); clears the extraction-time sites.
pub(super) fn settle_generated(module: &mut ModuleFacts) {
    fn settle(item: &mut ItemFacts) {
        if let Some(site) = item.expansion_site.take()
            && (item.span.line, item.span.column) != (site.line, site.column)
        {
            item.generated_by = None;
        }
        item.children.iter_mut().for_each(settle);
        if let Some(ModuleBody::Inline(inner) | ModuleBody::Block(inner)) =
            item.module.as_deref_mut()
        {
            settle_generated(inner);
        }
    }
    module.items.iter_mut().for_each(settle);
}

/// The current file's macros and where extraction stands inside their expansions; reset
/// for every file.
#[derive(Default)]
struct ExpansionState {
    /// The `macro_rules!` macros visible to the file (name → rules as token text).
    macros: HashMap<String, String>,
    /// `macros` entries parsed so far (each at its first call).
    parsed: HashMap<String, std::rc::Rc<MacroRules>>,
    /// Macros called that are not in `macros` (see [`FileFacts::unexpanded`]).
    unexpanded: Vec<String>,
    /// The macro whose call (written in the file) is being expanded, with the call site.
    generated_by: Option<(String, LocalSpan)>,
    /// The `#[cfg]` predicates on the enclosing macro calls, outermost first.
    cfgs: Vec<String>,
    /// How many expansions enclose the current one.
    depth: usize,
    /// Token trees produced by expansions in this file so far.
    tokens: usize,
    /// Calls skipped so far.
    failures: Vec<MacroFailure>,
    /// Names the file imports from another crate (`use numbers::impl_zero;` → `numbers`):
    /// `$crate` in such a macro's expansion names that crate.
    imported_from: HashMap<String, String>,
    /// Crates whose root the file imports with a glob (`use tracing_core::*;`): a bare call
    /// of one of their `#[macro_export]` macros expands with `$crate` naming that crate.
    glob_crates: Vec<String>,
    /// Names the file imports under another name (`use crate::__define_rejection as
    /// define_rejection;` → `define_rejection` → `__define_rejection`).
    renamed: HashMap<String, String>,
    /// Names of the `macro_rules!` definitions written in the file (they win over others).
    own: std::collections::HashSet<String>,
    /// The crate the file is compiled into, when known ([`super::Reextract::calling_crate`]).
    calling_crate: Option<String>,
    /// `macro_rules!` definitions expansions wrote (`define_namer!(namer)` expanding to
    /// `macro_rules! namer { … }`), as (name, rules text) in the order met.
    defined: Vec<(String, String)>,
    /// Items declared in bodies that have no block scope ([`FileFacts::unindexed_items`]).
    unindexed: Vec<LocalSpan>,
}

/// First path segments that name something in the current crate, not another crate.
const LOCAL_ROOTS: [&str; 4] = ["crate", "self", "super", "Self"];

/// The `use` declarations of the file, its inline modules included, flattened.
fn file_uses(items: &[Item]) -> Vec<UseFacts> {
    fn collect(items: &[Item], uses: &mut Vec<UseFacts>) {
        for it in items {
            match it {
                Item::Use(u) => uses.extend(use_facts(u, Visibility::Private, None)),
                Item::Mod(m) => {
                    if let Some((_, inner)) = &m.content {
                        collect(inner, uses);
                    }
                }
                _ => {}
            }
        }
    }
    let mut uses = Vec::new();
    collect(items, &mut uses);
    uses
}

/// Names the file imports under another name, with the name they have where they are
/// defined (the last segment of the imported path).
fn renamed_imports(items: &[Item]) -> HashMap<String, String> {
    file_uses(items)
        .into_iter()
        .filter_map(|u| {
            let original = u.path.last()?.clone();
            let alias = u.alias?;
            (!u.glob && alias != original && alias != "_").then_some((alias, original))
        })
        .collect()
}

/// Names the file (its inline modules included) imports from another crate, with that
/// crate's name. A crate the file renames (`use itertools as it;`) is seen through its new
/// name: `use crate::it::iproduct;` and `use it::iproduct;` import from `itertools`.
fn imported_macros(items: &[Item]) -> HashMap<String, String> {
    let uses = file_uses(items);
    let crate_aliases: HashMap<&str, &str> = uses
        .iter()
        .filter_map(|u| {
            let [krate] = u.path.as_slice() else {
                return None;
            };
            let alias = u.alias.as_deref()?;
            (!u.glob && !LOCAL_ROOTS.contains(&krate.as_str()) && alias != krate)
                .then_some((alias, krate.as_str()))
        })
        .collect();
    uses.iter()
        .filter_map(|u| {
            let mut segments = u.path.iter().filter(|s| !s.is_empty());
            let mut first = segments.next()?.as_str();
            let through_root = matches!(first, "crate" | "self");
            if through_root {
                first = segments.next()?.as_str();
            }
            // Through the root, only a renamed crate names another crate.
            let first = match crate_aliases.get(first) {
                Some(&krate) => krate,
                None if through_root => return None,
                None => first,
            };
            let local = LOCAL_ROOTS.contains(&first);
            let alias = u.alias.clone()?;
            (u.path.len() >= 2 && !local && !u.glob).then(|| (alias, first.to_string()))
        })
        .collect()
}

/// Crates the file (its inline modules included) imports the root of with a glob
/// (`use tracing_core::*;`), in source order.
fn glob_imported_crates(items: &[Item]) -> Vec<String> {
    let mut crates = Vec::new();
    for u in file_uses(items) {
        if let [krate] = u.path.as_slice()
            && u.glob
            && !LOCAL_ROOTS.contains(&krate.as_str())
            && !crates.contains(krate)
        {
            crates.push(krate.clone());
        }
    }
    crates
}

/// The crate `$crate` names in the expansion of `mac`: the first segment of a qualified
/// call (`numbers::impl_zero!`), the crate a `use` imported the macro from, the crate a glob
/// imported it from (when the macro the bare name finds is that crate's), the workspace crate
/// defining it when that is not the calling crate, else `None` (the calling crate).
fn dollar_crate(mac: &syn::Macro) -> Option<String> {
    let segments: Vec<String> = mac
        .path
        .segments
        .iter()
        .map(|s| s.ident.to_string())
        .collect();
    if segments.len() >= 2 {
        let first = &segments[0];
        return (!LOCAL_ROOTS.contains(&first.as_str())).then(|| first.clone());
    }
    let name = segments.first()?;
    EXPANSION.with(|e| {
        let e = e.borrow();
        if let Some(krate) = e.imported_from.get(name) {
            return Some(krate.clone());
        }
        if e.own.contains(name) {
            return None;
        }
        let found = e.macros.get(name)?;
        if let Some(krate) = e
            .glob_crates
            .iter()
            .find(|krate| e.macros.get(&format!("{krate}::{name}")) == Some(found))
        {
            return Some(krate.clone());
        }
        // Another crate's macro called by its bare name (nix's `ioctl_read!` in its test
        // crate, after `#[macro_use] extern crate nix;` in the test's root): `$crate` names
        // the crate defining it. The calling crate's own definition wins; of several crates
        // defining it, the first by name.
        let calling = e.calling_crate.as_deref()?;
        if e.macros.get(&format!("{calling}::{name}")) == Some(found) {
            return None;
        }
        let suffix = format!("::{name}");
        e.macros
            .iter()
            .filter(|&(_, body)| body == found)
            .filter_map(|(key, _)| key.strip_suffix(suffix.as_str()))
            .filter(|krate| !krate.contains("::") && !LOCAL_ROOTS.contains(krate))
            .min()
            .map(str::to_string)
    })
}

thread_local! {
    /// Macros and expansion context of the file being extracted.
    static EXPANSION: std::cell::RefCell<ExpansionState> =
        std::cell::RefCell::new(ExpansionState::default());
}

/// Every `macro_rules!` definition in `items` as (name, rules text), in source order:
/// inline modules and item-position macro calls whose body parses as items included.
fn collect_macros(items: &[Item], out: &mut Vec<(String, String)>) {
    collect_macros_in(items, &|_| true, out);
}

/// The `macro_rules!` definitions whose textual scope reaches the end of the file: written
/// at its top level or in `#[macro_use]` inline modules, in source order.
fn collect_top_level_macros(items: &[Item], out: &mut Vec<(String, String)>) {
    let macro_use = |m: &syn::ItemMod| m.attrs.iter().any(|a| a.path().is_ident("macro_use"));
    collect_macros_in(items, &macro_use, out);
}

/// The `macro_rules!` definitions in `items` and in the inline modules `enter` accepts.
fn collect_macros_in(
    items: &[Item],
    enter: &dyn Fn(&syn::ItemMod) -> bool,
    out: &mut Vec<(String, String)>,
) {
    for it in items {
        match it {
            Item::Macro(m) if m.mac.path.is_ident("macro_rules") => {
                if let Some(ident) = &m.ident {
                    out.push((ident.to_string(), m.mac.tokens.to_string()));
                }
            }
            // `cfg_io! { macro_rules! m { … } … }`: a token scan, not a second parse.
            Item::Macro(m) => scan_macro_rules(m.mac.tokens.clone(), out),
            Item::Mod(m) if enter(m) => {
                if let Some((_, inner)) = &m.content {
                    collect_macros_in(inner, enter, out);
                }
            }
            _ => {}
        }
    }
}

/// `macro_rules ! name { … }` sequences at the top level of an item-position macro's body.
fn scan_macro_rules(tokens: TokenStream, out: &mut Vec<(String, String)>) {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    for w in trees.windows(4) {
        if let [
            TokenTree::Ident(kw),
            TokenTree::Punct(bang),
            TokenTree::Ident(name),
            TokenTree::Group(body),
        ] = w
            && kw == "macro_rules"
            && bang.as_char() == '!'
        {
            out.push((name.to_string(), body.stream().to_string()));
        }
    }
}

/// Maximum nesting of `macro_rules!` expansions: rustc's default `recursion_limit`, which a
/// tt-muncher reaches one step per item (libc's `c_enum!` over an enum of 100 variants); a
/// runaway macro is cut here.
pub const MAX_EXPANSION_DEPTH: usize = 128;
/// Most token trees all expansions of one file may produce together (guards against
/// macros whose expansions multiply at every level).
pub const MAX_FILE_EXPANSION_TOKENS: usize = 2_000_000;

/// What a macro call turned into.
pub(super) enum Expansion {
    /// The macro is not a `macro_rules!` macro visible to the file.
    Unknown,
    /// The call could not be expanded; the reason is recorded as a [`MacroFailure`].
    Failed,
    /// The expansion: tokens the macro wrote spanned at the call site, tokens of the
    /// call's input where they are written.
    Tokens(TokenStream),
}

/// The call's site: from the macro path to the closing delimiter.
pub(super) fn call_span(mac: &syn::Macro) -> Span {
    let start = path_span(&mac.path);
    start.join(mac.delimiter.span().close()).unwrap_or(start)
}

/// [`call_span`] as a [`LocalSpan`].
pub(super) fn call_site(mac: &syn::Macro) -> LocalSpan {
    let span = call_span(mac);
    local(span, span)
}

/// Records that the call `mac` was skipped because of `reason`.
pub(super) fn failed(mac: &syn::Macro, reason: String) {
    let failure = MacroFailure {
        name: macro_name(mac),
        span: call_site(mac),
        reason,
    };
    EXPANSION.with(|e| e.borrow_mut().failures.push(failure));
}

pub(super) fn macro_name(mac: &syn::Macro) -> String {
    mac.path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default()
}

/// Runs `walk` with the items it extracts marked as generated by `mac` (unless an outer
/// call already marks them) and under the call's `#[cfg]`, one expansion level deeper.
pub(super) fn in_expansion<R>(
    mac: &syn::Macro,
    attrs: &[Attribute],
    walk: impl FnOnce() -> R,
) -> R {
    let outer = EXPANSION.with(|e| {
        let mut e = e.borrow_mut();
        e.depth += 1;
        let outer = e.generated_by.clone();
        if outer.is_none() {
            e.generated_by = Some((format!("{}!", macro_name(mac)), call_site(mac)));
        }
        outer
    });
    let result = under_cfg(attrs, walk);
    EXPANSION.with(|e| {
        let mut e = e.borrow_mut();
        e.depth -= 1;
        e.generated_by = outer;
    });
    result
}

/// Runs `walk` with the `#[cfg]` of `attrs` (a macro call's) applied to the items it
/// extracts.
pub(super) fn under_cfg<R>(attrs: &[Attribute], walk: impl FnOnce() -> R) -> R {
    let Some(pred) = cfg(attrs) else {
        return walk();
    };
    EXPANSION.with(|e| e.borrow_mut().cfgs.push(pred));
    let result = walk();
    EXPANSION.with(|e| e.borrow_mut().cfgs.pop());
    result
}

/// The `macro_rules!` rules of the macro `name` visible to the file, parsed once per file.
/// A name the file cannot see is remembered (see [`FileFacts::unexpanded`]).
fn visible_rules(name: &str) -> Option<std::rc::Rc<MacroRules>> {
    EXPANSION.with(|e| {
        let mut e = e.borrow_mut();
        if let Some(rules) = e.parsed.get(name) {
            return Some(rules.clone());
        }
        let Some(text) = e.macros.get(name) else {
            e.unexpanded.push(name.to_string());
            return None;
        };
        let rules = std::rc::Rc::new(MacroRules::parse(text.parse().ok()?)?);
        e.parsed.insert(name.to_string(), rules.clone());
        Some(rules)
    })
}

/// The name a call's macro is looked up by among the visible macros: its name where it is
/// defined (through a renaming `use`), qualified by its crate when the call names a macro
/// of another crate (`other::m!`, `$crate::m!` from another crate's macro, `use other::m;`):
/// `other::m`. A macro of a crate outside the workspace is then never bound to a workspace
/// macro of the same name.
fn lookup_name(mac: &syn::Macro) -> String {
    let name = macro_name(mac);
    let name = EXPANSION.with(|e| e.borrow().renamed.get(&name).cloned().unwrap_or(name));
    match dollar_crate(mac) {
        Some(krate) => format!("{krate}::{name}"),
        None => name,
    }
}

/// Expands a call to a `macro_rules!` macro visible to the file, within the depth and size
/// limits; failures are recorded.
pub(super) fn expand_call(mac: &syn::Macro) -> Expansion {
    expand_recording(mac, failed)
}

/// [`expand_call`] for a call inside a function body: a failure is not recorded (the call's
/// tokens are then read as expressions, as for a macro of another crate).
pub(super) fn expand_in_body(mac: &syn::Macro) -> Option<TokenStream> {
    match expand_recording(mac, |_, _| {}) {
        Expansion::Tokens(tokens) => Some(tokens),
        Expansion::Unknown | Expansion::Failed => None,
    }
}

/// [`expand_call`] with `failed` told of each failure.
fn expand_recording(mac: &syn::Macro, failed: impl Fn(&syn::Macro, String)) -> Expansion {
    if macro_name(mac).is_empty() {
        return Expansion::Unknown;
    }
    let name = lookup_name(mac);
    let Some(rules) = visible_rules(&name) else {
        return Expansion::Unknown;
    };
    if EXPANSION.with(|e| e.borrow().depth) >= MAX_EXPANSION_DEPTH {
        failed(
            mac,
            format!("recursion limit reached ({MAX_EXPANSION_DEPTH} nested expansions)"),
        );
        return Expansion::Failed;
    }
    match rules.expand(
        mac.tokens.clone(),
        call_span(mac),
        dollar_crate(mac).as_deref(),
    ) {
        Ok(tokens) => {
            let produced = count_trees(&tokens);
            let over = EXPANSION.with(|e| {
                let mut e = e.borrow_mut();
                e.tokens += produced;
                e.tokens > MAX_FILE_EXPANSION_TOKENS
            });
            if over {
                failed(
                    mac,
                    format!("expansions in this file exceed {MAX_FILE_EXPANSION_TOKENS} tokens"),
                );
                return Expansion::Failed;
            }
            Expansion::Tokens(tokens)
        }
        Err(e) => {
            failed(mac, e.to_string());
            Expansion::Failed
        }
    }
}

/// Token trees in `tokens`, groups counted with their contents.
fn count_trees(tokens: &TokenStream) -> usize {
    tokens
        .clone()
        .into_iter()
        .map(|t| match t {
            TokenTree::Group(g) => 1 + count_trees(&g.stream()),
            _ => 1,
        })
        .sum()
}

/// What a macro call in a trait or impl (associated-item position) stands for.
pub(super) enum AssocExpansion<T> {
    /// A workspace macro's expansion: its items, placed at the call site.
    Expanded(Vec<T>),
    /// A macro no workspace rule expands, read in place as its expansion is written: groups
    /// of associated items, each under the `#[cfg]` attributes given (`cfg_if!`'s branches;
    /// another macro's input that parses as associated items, under none).
    InPlace(Vec<(Vec<Attribute>, Vec<T>)>),
    /// Nothing to index; a failure is recorded as coverage.
    Nothing,
}

/// Expands an associated-item-position macro call: a workspace macro by its rules; a
/// `cfg_if!` (nix's `cfg_if! { if #[cfg(bsd)] { fn len(&self) … } else { fn len(&self) … } }`
/// in a trait) branch by branch; another crate's macro by reading its input as associated
/// items when it parses as such, as in module position. Otherwise the call is a coverage
/// note ([`super::extract::OUTSIDE_NOT_ITEMS`]), never silently dropped.
pub(super) fn expand_assoc<T: syn::parse::Parse>(mac: &syn::Macro) -> AssocExpansion<T> {
    match expand_call(mac) {
        Expansion::Tokens(tokens) => match parse_assoc_items(mac, tokens) {
            Some(items) => AssocExpansion::Expanded(items),
            None => AssocExpansion::Nothing,
        },
        Expansion::Failed => AssocExpansion::Nothing,
        Expansion::Unknown if super::cfg_if::is_cfg_if(mac) => {
            match super::cfg_if::branches_of::<T>(mac.tokens.clone()) {
                Some(branches) => AssocExpansion::InPlace(
                    branches
                        .into_iter()
                        .map(|(cfg, items)| (vec![cfg], items))
                        .collect(),
                ),
                None => {
                    failed(mac, super::extract::OUTSIDE_NOT_ITEMS.to_string());
                    AssocExpansion::Nothing
                }
            }
        }
        Expansion::Unknown => match parse_all::<T>(mac.tokens.clone()) {
            Ok(items) => AssocExpansion::InPlace(vec![(Vec::new(), items)]),
            Err(_) if mac.path.is_ident("compile_error") => AssocExpansion::Nothing,
            Err(_) => {
                failed(mac, super::extract::OUTSIDE_NOT_ITEMS.to_string());
                AssocExpansion::Nothing
            }
        },
    }
}

/// A workspace macro's expansion `tokens` read as associated items; a failure is recorded.
fn parse_assoc_items<T: syn::parse::Parse>(
    mac: &syn::Macro,
    tokens: TokenStream,
) -> Option<Vec<T>> {
    match parse_all::<T>(tokens) {
        Ok(items) => Some(items),
        Err(e) => {
            failed(
                mac,
                format!("expansion does not parse as associated items: {e}"),
            );
            None
        }
    }
}

/// `tokens` read as a sequence of `T`s (associated items) to their end.
///
/// # Errors
/// The first that does not parse.
fn parse_all<T: syn::parse::Parse>(tokens: TokenStream) -> syn::Result<Vec<T>> {
    let parser = |input: syn::parse::ParseStream| {
        let mut items = Vec::new();
        while !input.is_empty() {
            items.push(input.parse::<T>()?);
        }
        Ok(items)
    };
    syn::parse::Parser::parse2(parser, tokens)
}
